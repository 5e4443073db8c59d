"""Figures whose image is not reproduced.

The copy-text keeps the captions and credits of the essay's four images but
not the image files. ``{figure-not-reproduced}`` makes a real figure (so the
caption, its notes and its number behave as in any figure) whose body is a
plain statement that the image is not reproduced, instead of an empty box.
The first paragraph of the content is the caption; any further paragraphs
are the figure's description.
"""

from __future__ import annotations

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective


class FigureNotReproduced(SphinxDirective):
    has_content = True
    option_spec = {
        "name": directives.unchanged,
        "label": directives.unchanged,
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
            self.options.get("label", self.config.edition_figure_notice),
            classes=["figure-notice"],
        )
        body = nodes.container("", notice, classes=["figure-placeholder"])
        description = [n for n in container.children if n is not first]
        figure = nodes.figure("", body, caption, *description, classes=["not-reproduced"])
        self.set_source_info(figure)
        if "name" in self.options:
            self.options["name"] = self.options["name"]
            self.add_name(figure)
        return [figure]


def setup(app: Sphinx) -> None:
    app.add_config_value("edition_figure_notice", "Image not reproduced in this edition.", "env", str)
    app.add_directive("figure-not-reproduced", FigureNotReproduced)
