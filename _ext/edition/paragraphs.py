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
copies a citation of that paragraph (see ``_static/edition-cite.js``).
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.errors import SphinxError
from sphinx.transforms import SphinxTransform
from sphinx.util.docutils import SphinxTranslator

from . import pandoc_ast

DEFAULT_SKIP = ("byline", "dateline", "subtitle", "author-bio", "editorial")


class ParagraphError(SphinxError):
    category = "Paragraph numbering error"


class paragraph_marker(nodes.Inline, nodes.Element):
    """The number at the head of a numbered paragraph.

    It has no text children, so that nothing that reads the text of the
    page (search, descriptions) takes the number for part of the essay;
    each writer prints the number from the ``number`` attribute.
    """


def paragraph_id(number: int) -> str:
    return f"p-{number}"


def body_paragraphs(document: nodes.document, skip: Iterable[str]) -> list[nodes.paragraph]:
    """The paragraphs of the document's first section that belong to the essay."""
    skip = set(skip)
    sections = [s for s in document.children if isinstance(s, nodes.section)]
    if not sections:
        return []
    return [
        child
        for child in sections[0].children
        if isinstance(child, nodes.paragraph) and not skip & set(child["classes"])
    ]


class NumberParagraphs(SphinxTransform):
    """Number the essay's body paragraphs and give each its anchor."""

    default_priority = 220

    def apply(self, **kwargs: Any) -> None:
        if not self.config.edition_essay_doc or self.env.docname != self.config.edition_essay_doc:
            return
        paragraphs = body_paragraphs(self.document, self.config.edition_paragraph_skip_classes)
        for number, paragraph in enumerate(paragraphs, start=1):
            ident = paragraph_id(number)
            if ident in self.document.ids:
                raise ParagraphError(
                    f"{self.env.doc2path(self.env.docname)}:{paragraph.line}: the id {ident!r} is already taken"
                )
            paragraph["ids"].insert(0, ident)
            self.document.ids[ident] = paragraph
            paragraph["classes"].append("numbered-paragraph")
            paragraph.insert(0, paragraph_marker(number=number))
        _counts(self.env)[self.env.docname] = len(paragraphs)


def _counts(env: BuildEnvironment) -> dict[str, int]:
    if not hasattr(env, "edition_paragraphs"):
        env.edition_paragraphs = {}
    return env.edition_paragraphs


def purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    _counts(env).pop(docname, None)


def merge(app: Sphinx, env: BuildEnvironment, docnames: Iterable[str], other: BuildEnvironment) -> None:
    _counts(env).update({d: n for d, n in _counts(other).items() if d in docnames})


def _render_inlines(translator: SphinxTranslator, inlines: list[dict[str, Any]]) -> str:
    """HTML of a formatted citation, written by the page's own HTML translator."""
    holder = nodes.inline("", "", *pandoc_ast.to_nodes(inlines))
    start = len(translator.body)
    for child in holder.children:
        child.walkabout(translator)
    markup = "".join(translator.body[start:])
    del translator.body[start:]
    return markup


def visit_html(self: SphinxTranslator, node: paragraph_marker) -> None:
    number = node["number"]
    ident = paragraph_id(number)
    if self.builder.name != "html":  # the EPUB: the number only; the id is on the paragraph
        self.body.append(
            f'<span class="paragraph-marker editorial"><span class="paragraph-number">¶\u00a0{number}</span></span>'
        )
        raise nodes.SkipNode
    parts = [
        '<span class="paragraph-marker editorial">',
        f'<a class="paragraph-number" href="#{ident}" title="Permalink to paragraph {number}">'
        f'<span class="edition-sr-only">Paragraph </span><span aria-hidden="true">¶\u00a0</span>{number}</a>',
    ]
    citing = getattr(self.builder.env, "edition_citing", None)
    if citing and citing["styles"] and len(citing["styles"][0]["paragraphs"]) >= number:
        inlines = citing["styles"][0]["paragraphs"][number - 1]
        attributes = {
            "type": "button",
            "class": "cite-paragraph",
            "hidden": "hidden",
            "data-citation": pandoc_ast.to_text(inlines),
            "data-citation-html": _render_inlines(self, inlines),
            "aria-label": f"Copy a citation of paragraph {number}",
            "title": f"Copy a citation of paragraph {number}",
        }
        if not citing.get("essay_url"):
            attributes["data-permalink"] = f"#{ident}"
        rendered = " ".join(f'{k}="{html.escape(v, quote=True)}"' for k, v in attributes.items())
        parts.append(f"<button {rendered}>cite</button>")
    parts.append("</span>")
    self.body.append("".join(parts))
    raise nodes.SkipNode


def visit_latex(self: SphinxTranslator, node: paragraph_marker) -> None:
    number = node["number"]
    self.body.append(
        rf"\hypertarget{{{paragraph_id(number)}}}{{}}"
        rf"\marginpar{{\raggedleft\footnotesize\textcolor{{black!60}}{{\P\,{number}}}}}"
    )
    raise nodes.SkipNode


def visit_text(self: SphinxTranslator, node: paragraph_marker) -> None:
    self.add_text(f"¶ {node['number']} ")
    raise nodes.SkipNode


def setup(app: Sphinx) -> None:
    app.add_config_value("edition_paragraph_skip_classes", DEFAULT_SKIP, "env", (tuple, list))
    app.add_node(
        paragraph_marker,
        html=(visit_html, None),
        latex=(visit_latex, None),
        text=(visit_text, None),
    )
    app.add_transform(NumberParagraphs)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
