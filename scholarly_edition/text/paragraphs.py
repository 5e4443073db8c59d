"""Paragraph numbers: ¶ 1 … ¶ N, the same in the HTML, the PDF and the EPUB.

A passage of the essay is cited by its paragraph, since the editions have
no common page numbers. The numbers count the essay's body paragraphs, in
order: the paragraphs that stand directly in the essay's own section. The
byline, the dateline, the image captions and the author's biographical note
are not numbered (they are the page's furniture and paratext, not the
sequence of the argument), nor is anything the editors add; which classes
mark such paragraphs is set by ``edition_paragraph_skip_classes``.

Each numbered paragraph gets the id ``p-N``, a permalink in every format:
``essay.html#p-N``, ``essay.xhtml#p-N`` in the EPUB and the named
destination ``p-N`` in the PDF (``radicalisation-enigma.pdf#p-N``). In the
HTML the number is a link to its own paragraph, followed by a button that
copies a citation of that paragraph (see the package's ``static/edition-cite.js``).
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform

from scholarly_edition import ids
from scholarly_edition.config import settings
from scholarly_edition.errors import report, stop
from scholarly_edition.problems import Problem
from scholarly_edition.text import pandoc_ast
from scholarly_edition.text.domain import text_domain
from scholarly_edition.translators import SKIPPED, add_node, is_epub


class paragraph_marker(nodes.Inline, nodes.Element):
    """The number at the head of a numbered paragraph.

    It has no text children, so that nothing that reads the text of the
    page (search, descriptions) takes the number for part of the essay;
    each writer prints the number from the ``number`` attribute.
    """


def body_paragraphs(document: nodes.document, skip: Iterable[str]) -> list[nodes.paragraph]:
    """The paragraphs of the document's first section that belong to the essay, subsections included.

    A subheading inside the essay divides its text; it does not end it, so the
    numbering runs on through every section below the essay's title.
    """
    skip = set(skip)
    sections = [s for s in document.children if isinstance(s, nodes.section)]
    found: list[nodes.paragraph] = []

    def walk(section: nodes.section) -> None:
        for child in section.children:
            if isinstance(child, nodes.paragraph) and not skip & set(child["classes"]):
                found.append(child)
            elif isinstance(child, nodes.section):
                walk(child)

    if sections:
        walk(sections[0])
    return found


class NumberParagraphs(SphinxTransform):
    """Number the essay's body paragraphs and give each its anchor."""

    default_priority = 220

    def apply(self, **kwargs: Any) -> None:
        config = settings(self.config)
        if not config.essay_doc or self.env.docname != config.essay_doc:
            return
        paragraphs = body_paragraphs(self.document, config.paragraph_skip_classes)
        for number, paragraph in enumerate(paragraphs, start=1):
            ident = ids.paragraph(number)
            if ident in self.document.ids:
                report(Problem.PARAGRAPH, f"the id {ident!r} is already taken", location=paragraph)
                stop(Problem.PARAGRAPH, f"paragraph {number} cannot have its permalink")
            paragraph["ids"].insert(0, ident)
            self.document.ids[ident] = paragraph
            paragraph["classes"].append("numbered-paragraph")
            paragraph.insert(0, paragraph_marker(number=number))
        sections = [s for s in self.document.children if isinstance(s, nodes.section)]
        if paragraphs and sections:
            sections[0]["classes"].append("numbered-text")  # the web's stylesheet gives it a margin for the numbers
        text_domain(self.env).record("paragraphs", self.env.docname, len(paragraphs))


def _render_inlines(translator: Any, inlines: list[dict[str, Any]]) -> str:
    """HTML of a formatted citation, written by the page's own HTML translator."""
    holder = nodes.inline("", "", *pandoc_ast.to_nodes(inlines))
    start = len(translator.body)
    for child in holder.children:
        child.walkabout(translator)
    markup = "".join(translator.body[start:])
    del translator.body[start:]
    return markup


def visit_html(self: Any, node: paragraph_marker) -> None:
    number = node["number"]
    ident = ids.paragraph(number)
    if is_epub(self):  # the number only; the id is on the paragraph
        self.body.append(
            f'<span class="paragraph-marker editorial"><span class="paragraph-number">¶\u00a0{number}</span></span>'
        )
        raise nodes.SkipNode
    # the sign, the number and the button's word are drawn by the stylesheet (data-*), so that a
    # selection or a parser's text content of the paragraph starts with the author's first word
    parts = [
        '<span class="paragraph-marker editorial">',
        f'<a class="paragraph-number" href="#{ident}" title="Permalink to paragraph {number}"'
        f' aria-label="Paragraph {number}" data-number="{number}"></a>',
    ]
    inlines = node.get("citation")  # set by scholarly_edition.citing where the essay is cited
    if inlines is not None:
        attributes = {
            "type": "button",
            "class": "cite-paragraph",
            "hidden": "hidden",
            "data-citation": pandoc_ast.to_text(inlines),
            "data-citation-html": _render_inlines(self, inlines),
            "aria-label": f"Copy a citation of paragraph {number}",
            "title": f"Copy a citation of paragraph {number}",
            "data-label": "cite",
        }
        if not node.get("absolute"):
            attributes["data-permalink"] = f"#{ident}"
        rendered = " ".join(f'{k}="{html.escape(v, quote=True)}"' for k, v in attributes.items())
        parts.append(f"<button {rendered}></button>")
    parts.append("</span>")
    self.body.append("".join(parts))
    raise nodes.SkipNode


def visit_latex(self: Any, node: paragraph_marker) -> None:
    number = node["number"]
    self.body.append(
        rf"\hypertarget{{{ids.paragraph(number)}}}{{}}"
        rf"\EditionParagraphNumber{{{number}}}"  # in the margin (scholarly_edition.formats.pdfdesign)
    )
    raise nodes.SkipNode


def visit_text(self: Any, node: paragraph_marker) -> None:
    self.add_text(f"¶ {node['number']} ")
    raise nodes.SkipNode


def setup(app: Sphinx) -> None:
    writers = {"html": (visit_html, None), "latex": (visit_latex, None), "text": (visit_text, None)}
    add_node(app, paragraph_marker, man=SKIPPED, texinfo=SKIPPED, **writers)
    app.add_transform(NumberParagraphs)
