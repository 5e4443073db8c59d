"""Figures whose image is not reproduced.

The copy-text keeps the captions and credits of the essay's four images but
not the image files. ``{figure-not-reproduced}`` makes a real figure (so the
caption, its notes and its number behave as in any figure) whose body is a
plain statement that the image is not reproduced, instead of an empty box.
The first paragraph of the content is the caption; any further paragraphs
are the figure's description.

The editor describes what is missing: ``:shows:`` says, in a sentence,
what the image showed according to its caption, ``:credit:`` gives its credit as the
source gives it; either may hold inline markup, such as a ``{lang}`` span
for a caption quoted in its own language. They make an editorial legend (class ``editorial``, so it
is never taken for the author's words) that also says why the image is not
reproduced, and the text alternative of the placeholder, which screen
readers announce as an image (``role="img"`` with an ``aria-label``).
"""

from __future__ import annotations

from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from scholarly_edition.config import settings
from scholarly_edition.translators import add_node


class placeholder(nodes.General, nodes.Element):
    """Where the image would be: a notice, announced as an image."""


class FigureNotReproduced(SphinxDirective):
    has_content = True
    option_spec: ClassVar[dict[str, Any]] = {
        "name": directives.unchanged,
        "label": directives.unchanged,
        "shows": directives.unchanged_required,
        "credit": directives.unchanged_required,
    }

    def run(self) -> list[nodes.Node]:
        container = nodes.Element()
        self.state.nested_parse(self.content, self.content_offset, container)
        paragraphs = [n for n in container.children if isinstance(n, nodes.paragraph)]
        if not paragraphs:
            raise self.error("figure-not-reproduced needs a caption paragraph")
        first = paragraphs[0]
        caption = nodes.caption(first.rawsource, "", *first.children)
        caption.source, caption.line = first.source, first.line
        notice = nodes.paragraph(
            "",
            self.options.get("label", settings(self.config).figure_notice),
            classes=["figure-notice"],
        )
        body = placeholder("", notice, classes=["figure-placeholder"], alt=self._alternative(notice.astext()))
        description = [n for n in container.children if n is not first]
        legend = self._legend()
        if legend is not None:
            description.append(legend)
        figure = nodes.figure("", body, caption, *description, classes=["not-reproduced"])
        self.set_source_info(figure)
        if "name" in self.options:
            self.add_name(figure)
        return [figure]

    def _inline(self, option: str) -> list[nodes.Node]:
        """An option's text with its inline markup (a ``{lang}`` span), as a paragraph's would be."""
        text = self.options.get(option)
        if not text:
            return []
        parsed, messages = self.parse_inline(text, lineno=self.lineno)
        return [*parsed, *messages]

    def _alternative(self, notice: str) -> str:
        shows = "".join(n.astext() for n in self._inline("shows"))
        return f"{notice} {shows}" if shows else notice

    def _legend(self) -> nodes.legend | None:
        shows, credit = self._inline("shows"), self._inline("credit")
        if not shows and not credit:
            return None
        para = nodes.paragraph(classes=["figure-description"])
        para += nodes.strong("", "Editor’s description. ")
        if shows:
            para.extend([*shows, nodes.Text(" ")])
        if credit:
            para.extend([nodes.Text("Credit, as the source gives it: "), *credit, nodes.Text(" ")])
        para += nodes.Text(settings(self.config).figure_reason)
        return nodes.legend("", para, classes=["editorial", "figure-description"])


def visit_placeholder_html(self: Any, node: placeholder) -> None:
    self.body.append(self.starttag(node, "div", role="img", **{"aria-label": node["alt"]}))


def depart_placeholder_html(self: Any, node: placeholder) -> None:
    self.body.append("</div>\n")


def visit_placeholder_latex(self: Any, node: placeholder) -> None:
    self.body.append("\n\\begin{sphinxuseclass}{figure-placeholder}")


def depart_placeholder_latex(self: Any, node: placeholder) -> None:
    self.body.append("\n\\end{sphinxuseclass}")


def setup(app: Sphinx) -> None:
    html, latex = (visit_placeholder_html, depart_placeholder_html), (visit_placeholder_latex, depart_placeholder_latex)
    add_node(app, placeholder, html=html, latex=latex)
    app.add_directive("figure-not-reproduced", FigureNotReproduced)
