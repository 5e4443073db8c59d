"""The directives of the "Cite this edition" page.

Nothing on that page is typed by hand: each directive leaves a placeholder
that is filled, once the citations are formatted (:mod:`scholarly_edition.citing.record`),
with what the CSL processor, the essay's record and the exports made.

- ``essay-citation`` *slug*: the essay in one style of ``edition_cite_styles``:
  the note or in-text citation, the same with a paragraph locator, and the
  bibliography or reference-list entry, each with a copy button.
- ``essay-bibtex``, ``essay-csl-json``: the essay's record as a code block.
- ``citation-exports``: links to the four export files.
- ``original-date-note``: how the original page's date was inferred.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from functools import cache
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective
from sphinx.util.osutil import relative_uri

from scholarly_edition.bibliography import citeproc, exports
from scholarly_edition.citing import hosting
from scholarly_edition.citing.domain import Citing, citing_domain
from scholarly_edition.errors import report, stop
from scholarly_edition.problems import Problem
from scholarly_edition.text import pandoc_ast
from scholarly_edition.text.paragraphs import paragraph_marker
from scholarly_edition.translators import SKIPPED

EXPORT_DESCRIPTIONS = {
    exports.REFERENCES_JSON: "CSL-JSON of every work the essay cites (Zotero, pandoc, citeproc)",
    exports.ESSAY_JSON: "CSL-JSON of the essay: this edition and the original web page",
    exports.REFERENCES_BIB: "BibTeX (biblatex) of every work the essay cites",
    exports.REFERENCES_RIS: "RIS of every work the essay cites (EndNote, Mendeley, Zotero)",
}


class cite_placeholder(nodes.General, nodes.Element):
    """Filled after the citations are formatted; ``kind`` says with what."""


class copy_button(nodes.Inline, nodes.Element):
    """A button that copies the element ``target`` (HTML only; hidden until the script runs)."""


class _Placeholder(SphinxDirective):
    kind = ""
    required_arguments = 0

    def run(self) -> list[nodes.Node]:
        node = cite_placeholder(kind=self.kind, argument=" ".join(self.arguments))
        self.set_source_info(node)
        citing_domain(self.env).record("cite_docs", self.env.docname, True)
        return [node]


class EssayCitation(_Placeholder):
    kind = "style"
    required_arguments = 1


class EssayBibTeX(_Placeholder):
    kind = "bibtex"


class EssayCSLJSON(_Placeholder):
    kind = "csl-json"


class CitationExports(_Placeholder):
    kind = "exports"


class OriginalDateNote(_Placeholder):
    kind = "original-date"


@cache
def style_class(style: str) -> str:
    """``note`` or ``in-text``, as the CSL style declares itself."""
    return ET.parse(citeproc.style_path(style)).getroot().get("class", "in-text")


def _citation_block(ident: str, label: str, inlines: list[dict[str, Any]], *, entry: bool = False) -> nodes.Element:
    text = nodes.paragraph("", "", *pandoc_ast.to_nodes(inlines), ids=[ident], classes=["citation-text"])
    return nodes.container(
        "",
        nodes.paragraph("", label, classes=["citation-label"]),
        text,
        copy_button(target=ident, label=label),
        classes=["formatted-citation", *(["citation-entry"] if entry else [])],
    )


def style_blocks(citing: Citing, slug: str, where: nodes.Node | None = None) -> list[nodes.Node]:
    """The essay formatted in the style ``slug``: citation, with locator, and entry."""
    matches = [s for s in citing.styles if s.slug == slug]
    if not matches:
        known = ", ".join(s.slug for s in citing.styles)
        report(
            Problem.CITE_PAGE,
            f"essay-citation: no style {slug!r} in edition_cite_styles (known: {known})",
            location=where,
        )
        stop(Problem.CITE_PAGE, "the cite page names a style above that the edition does not format")
    style = matches[0]
    example = citing.example_paragraph
    note = style_class(style.style) == "note"
    blocks: list[nodes.Node] = [
        nodes.paragraph(
            "",
            "",
            nodes.Text("Official CSL style "),
            nodes.literal("", f"{style.style}.csl"),
            nodes.Text(": "),
            nodes.emphasis("", style.title),
            nodes.Text("."),
            classes=["citation-style-name"],
        )
    ]
    first = "Note (first citation)" if note else "In-text citation"
    blocks.append(_citation_block(f"cite-{slug}-citation", first, style.citation))
    if style.locator_citation is not None:
        label = f"Note citing ¶ {example}" if note else f"In-text citation of ¶ {example}"
        blocks.append(_citation_block(f"cite-{slug}-locator", label, style.locator_citation))
    entry = "Bibliography entry" if note else ("Works-cited entry" if slug == "mla" else "Reference-list entry")
    blocks.append(_citation_block(f"cite-{slug}-entry", entry, style.bibliography, entry=True))
    return [nodes.container("", *blocks, classes=["essay-citation", f"essay-citation-{slug}"])]


def export_list(app: Sphinx, docname: str) -> nodes.Element:
    """Links to the export files; without a base URL, the PDF and EPUB name them only."""
    items = []
    html = app.builder.name == "html"
    for name in exports.FILES:
        url = relative_uri(app.builder.get_target_uri(docname), name) if html else hosting.absolute(app.config, name)
        if url:
            # not class "download": that marks the sidebar's PDF and EPUB links
            label: nodes.Node = nodes.reference(
                "", "", nodes.literal(name, name), refuri=url, classes=["citation-export"]
            )
        else:
            label = nodes.literal(name, name)
        para = nodes.paragraph("", "", label, nodes.Text(f" — {EXPORT_DESCRIPTIONS[name]}"))
        items.append(nodes.list_item("", para))
    return nodes.bullet_list("", *items, classes=["citation-exports"])


def original_date_note(citing: Citing) -> nodes.Element:
    original = citing.original
    text = original.note
    if original.date:
        text += (
            " The exports record it so: CSL-JSON gives the date with ``circa``, BibTeX"
            " an approximate date (``~``), and the styles print it as uncertain."
        )
    para = nodes.paragraph(classes=["original-date-note"])
    for i, part in enumerate(text.split("``")):
        para += nodes.literal(part, part) if i % 2 else nodes.Text(part)
    return para


def fill(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    citing = citing_domain(app.env).citing
    for node in list(doctree.findall(cite_placeholder)):
        if citing is None:
            report(Problem.CITE_PAGE, "the essay is not cited: conf.py names no edition_essay_doc", location=node)
            stop(Problem.CITE_PAGE, "the cite page above has nothing to show")
        kind = node["kind"]
        if kind == "style":
            replacement: list[nodes.Node] = style_blocks(citing, node["argument"], node)
        elif kind == "bibtex":
            replacement = [_code(citing.bibtex, "bibtex")]
        elif kind == "csl-json":
            replacement = [_code(exports.csl_json(citing.items[:1]), "json")]
        elif kind == "exports":
            replacement = [export_list(app, docname)]
        else:
            replacement = [original_date_note(citing)]
        node.replace_self(replacement)
    if citing is not None and citing.styles and docname == citing.essay_doc:
        paragraphs = citing.styles[0].paragraphs
        for marker in doctree.findall(paragraph_marker):
            if len(paragraphs) >= marker["number"]:
                marker["citation"] = paragraphs[marker["number"] - 1]
                marker["absolute"] = bool(citing.essay_url)


def _code(text: str, language: str) -> nodes.literal_block:
    block = nodes.literal_block(text, text, language=language)
    block["classes"].append("citation-code")
    return block


def visit_copy_button_html(self: Any, node: copy_button) -> None:
    if self.builder.name == "html":
        self.body.append(
            self.starttag(
                node,
                "button",
                "",
                type="button",
                CLASS="copy-citation",
                hidden="hidden",
                **{"data-copy-target": node["target"], "aria-label": f"Copy: {node['label']}"},
            )
            + "Copy</button>"
        )
    raise nodes.SkipNode


def add_assets(app: Sphinx) -> None:
    """The copy script and its styles, for the web edition only (the EPUB runs no script)."""
    if app.builder.name == "html":
        app.add_css_file("edition-cite.css")
        app.add_js_file("edition-cite.js", loading_method="defer")


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", add_assets)
    app.add_node(cite_placeholder)
    app.add_node(copy_button, html=(visit_copy_button_html, None), latex=SKIPPED, text=SKIPPED)
    app.add_directive("essay-citation", EssayCitation)
    app.add_directive("essay-bibtex", EssayBibTeX)
    app.add_directive("essay-csl-json", EssayCSLJSON)
    app.add_directive("citation-exports", CitationExports)
    app.add_directive("original-date-note", OriginalDateNote)
    app.connect("doctree-resolved", fill)
