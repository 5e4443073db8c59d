"""The author's numbered notes, each a citation with its own locator.

``{note}`key, p. 4``` puts a numbered footnote at that place in the text.
Notes are numbered in document order, captions included, and every note is
its own footnote even when it cites a work already cited, so the essay's
numbering survives. The note's text is not typed anywhere: after all
documents are read, the whole sequence goes once through the CSL processor
(:mod:`scholarly_edition.bibliography.citeproc`), which decides full or short form and places the
locator; the result fills the footnotes in every output format.

``{cite-inline}`key``` renders a work's full note form in running text (the
cover-image credit), and the ``works-cited`` directive the bibliography.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective, SphinxRole

from scholarly_edition import ids
from scholarly_edition.bibliography import citeproc
from scholarly_edition.config import settings
from scholarly_edition.errors import report, stop
from scholarly_edition.problems import Problem
from scholarly_edition.text import pandoc_ast
from scholarly_edition.text.domain import DocNotes, NoteCite, RenderedNotes, text_domain
from scholarly_edition.text.works import bib_entries, bibfile_names, csl_items
from scholarly_edition.translators import is_epub

_NUMBER = r"(?:\d+|[ivxlcdm]+|[IVXLCDM]+)"
_RANGE = rf"{_NUMBER}(?:[–-]{_NUMBER})?"
_NOTE = re.compile(
    r"^(?P<key>[A-Za-z0-9][A-Za-z0-9_:.-]*)"
    rf"(?:\s*,\s*(?P<locator>(?:p|pp|chap|sec|para|fig|n)\.\s+{_RANGE}(?:,\s*{_RANGE})*))?$"
)
"""``key`` or ``key, p. 4`` (``pp. 140–41``, ``pp. 3, 7–9``): the role's whole grammar.

A locator is a label and page numbers, ranges or lists of them, arabic or
roman; anything else (``p. 15–``, ``p. ,``) is an error, not a locator the
CSL processor would have to guess at."""


class note_citation(nodes.Inline, nodes.Element):
    """Where the text cites a work; becomes a footnote reference."""


class note_text(nodes.Inline, nodes.Element):
    """The body of a note, filled once the CSL processor has run."""


class inline_citation(nodes.Inline, nodes.Element):
    """A full citation in running text."""


class works_cited(nodes.General, nodes.Element):
    """The bibliography, filled once the CSL processor has run."""


class notes_here(nodes.General, nodes.Element):
    """Where the footnotes of a document are gathered."""


class _CiteRole(SphinxRole):
    def parse(self) -> NoteCite | None:
        match = _NOTE.match(self.text.strip())
        source, line = self.get_source_info()
        keys = self.env.temp_data.get("edition_cite_keys")  # once per document read, not once per note
        if keys is None:
            # pybtex's dict ignores case; a key does not
            keys = self.env.temp_data["edition_cite_keys"] = {key.casefold(): key for key in bib_entries(self.env)}
        essay = settings(self.config).essay_doc
        if not match:
            message = f"malformed citation {self.text!r}: expected `key` or `key, p. N` (N: pages, ranges, lists)"
        elif match["key"] not in keys.values():
            known = keys.get(match["key"].casefold())
            hint = f"; keys are case-sensitive: {known!r}?" if known else ""
            message = f"unknown work {match['key']!r}: no entry with that key in {bibfile_names(self.env)}{hint}"
        elif self.name == "note" and essay and self.env.docname != essay:
            message = (
                f"a {{note}} is one of the author's notes, and they are in {essay!r} only: "
                "cite a work elsewhere with {cite-inline}"
            )
        else:
            return NoteCite(match["key"], match["locator"] or "", source, line)
        report(Problem.CITATION, message, location=(self.env.docname, line))
        text_domain(self.env).fail(self.env.docname)
        return None


class NoteRole(_CiteRole):
    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        cite = self.parse()
        if cite is None:
            return [nodes.problematic(self.rawtext, self.rawtext)], []
        node = note_citation(key=cite.key, locator=cite.locator)
        self.set_source_info(node)
        return [node], []


class InlineCiteRole(_CiteRole):
    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        cite = self.parse()
        if cite is None:
            return [nodes.problematic(self.rawtext, self.rawtext)], []
        node = inline_citation(key=cite.key, locator=cite.locator, docname=self.env.docname)
        self.set_source_info(node)
        return [node], []


class NotesDirective(SphinxDirective):
    """Marks where a document's footnotes are listed (HTML and EPUB)."""

    def run(self) -> list[nodes.Node]:
        return [notes_here()]


class WorksCitedDirective(SphinxDirective):
    """Every work in ``refs.bib``, in the bibliography form of the edition's style."""

    option_spec: ClassVar[dict[str, Any]] = {"class": directives.class_option}

    def run(self) -> list[nodes.Node]:
        node = works_cited(classes=["works-cited", *self.options.get("class", [])])
        self.set_source_info(node)
        return [node]


class NumberNotes(SphinxTransform):
    """Turn each ``note_citation`` into a numbered footnote and its reference."""

    default_priority = 200

    def apply(self, **kwargs: Any) -> None:
        cites: list[NoteCite] = []
        footnotes: list[nodes.footnote] = []
        for number, node in enumerate(list(self.document.findall(note_citation)), start=1):
            label = str(number)
            ref_id, note_id = ids.noteref(number), ids.note(number)
            ref = nodes.footnote_reference("", label, ids=[ref_id], refid=note_id, classes=["author-note"])
            ref["docname"] = self.env.docname
            ref.source, ref.line = node.source, node.line  # where the note is, for the apparatus's messages
            node.replace_self(ref)
            body = nodes.paragraph("", "", note_text(index=number - 1, docname=self.env.docname))
            footnote = nodes.footnote(
                "",
                nodes.label("", label),
                body,
                ids=[note_id],
                names=[note_id],
                backrefs=[ref_id],
                classes=["author-note"],
            )
            footnote.source, footnote.line = node.source, node.line
            footnotes.append(footnote)
            cites.append(NoteCite(node["key"], node["locator"], node.source or "", node.line or 0))
        inline = [
            NoteCite(n["key"], n["locator"], n.source or "", n.line or 0)
            for n in self.document.findall(inline_citation)
        ]
        for index, citation in enumerate(self.document.findall(inline_citation)):
            citation["index"] = index
        style_file = settings(self.config).csl_style_file(self.env.srcdir)
        if style_file is not None and (cites or inline):
            self.env.note_dependency(str(style_file))  # a changed style re-sets the notes on a rebuild
        domain = text_domain(self.env)
        domain.record("cites", self.env.docname, cites)
        domain.record("inline", self.env.docname, inline)
        if not footnotes:
            return
        targets = list(self.document.findall(notes_here))
        if targets:
            container = nodes.container("", *footnotes, classes=["author-notes"])
            targets[0].replace_self(container)
            for extra in targets[1:]:
                extra.parent.remove(extra)
        else:
            self.document.extend(footnotes)


class NotesHeadingInPrint(SphinxPostTransform):
    """In print the notes stand at the foot of their pages: the "Notes" heading over their list goes.

    On the web and in the EPUB the list is a section of its own, reached by
    the contents and by heading navigation; in the PDF the footnotes leave
    it, and an empty heading would remain.
    """

    default_priority = 100  # before the LaTeX writer moves the footnotes
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        for section in list(self.document.findall(nodes.section)):
            rest = [child for child in section.children if not isinstance(child, nodes.title)]
            if rest and all(_is_notes_list(child) for child in rest):
                section.replace_self(rest)


def _is_notes_list(node: nodes.Node) -> bool:
    return isinstance(node, notes_here) or (isinstance(node, nodes.container) and "author-notes" in node["classes"])


def format_citations(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Run the CSL processor over every document's note sequence."""
    domain = text_domain(env)
    if domain.failed:
        stop(Problem.CITATION, "the sources above cite unknown works or hold what the edition cannot publish")
    items = csl_items(env)
    config = settings(app.config)
    cache_dir = Path(app.doctreedir) / "citeproc"
    style = config.csl_style_file(app.srcdir) or config.csl_style
    docnames = sorted(set(domain.cites) | set(domain.inline))
    # each document's sequence is its own pandoc run: run them side by side (pandoc is another process)
    with ThreadPoolExecutor(max_workers=4) as pool:
        render = partial(_render, items, style=style, lang=config.language, cache_dir=cache_dir)
        notes_of = {d: pool.submit(render, domain.cites[d]) for d in docnames if domain.cites.get(d)}
        texts_of = {d: pool.submit(render, domain.inline[d]) for d in docnames if domain.inline.get(d)}
        alone = None if notes_of else pool.submit(render, [])
        rendered = {
            d: DocNotes(
                notes_of[d].result().notes if d in notes_of else [],
                texts_of[d].result().notes if d in texts_of else [],
            )
            for d in docnames
        }
        # every run formats the whole bibliography (nocite @*): any one gives it
        last = notes_of[max(notes_of)] if notes_of else alone
        assert last is not None
        bibliography = last.result().bibliography
    domain.data["rendered"] = RenderedNotes(rendered, bibliography)
    return []


def _render(
    items: list[dict[str, Any]], cites: list[NoteCite], *, style: str | Path, lang: str, cache_dir: Path
) -> citeproc.Rendered:
    try:
        return citeproc.render(
            items, [citeproc.Cite(c.key, c.locator) for c in cites], style=style, lang=lang, cache_dir=cache_dir
        )
    except citeproc.CiteprocError as exc:
        report(Problem.CITATION, str(exc), location=f"{cites[0].source}:{cites[0].line}" if cites else None)
        stop(Problem.CITATION, "the CSL processor could not format the notes")


def fill(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Put the formatted text into notes, inline citations and the bibliography."""
    rendered = text_domain(app.env).rendered
    for text in list(doctree.findall(note_text)):
        inlines = rendered.docs[text["docname"]].notes[text["index"]]
        text.replace_self(pandoc_ast.to_nodes(inlines))
    for citation in list(doctree.findall(inline_citation)):
        inlines = _strip_final_period(rendered.docs[citation["docname"]].inline[citation["index"]])
        citation.replace_self(nodes.inline("", "", *pandoc_ast.to_nodes(inlines), classes=["citation-inline"]))
    for works in list(doctree.findall(works_cited)):
        works.replace_self(bibliography_list(rendered.bibliography, works["classes"]))


def _strip_final_period(inlines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A note's closing full stop, dropped where the citation runs on in a sentence."""
    if inlines and inlines[-1].get("t") == "Str" and inlines[-1]["c"].endswith("."):
        last = dict(inlines[-1], c=inlines[-1]["c"][:-1])
        return [*inlines[:-1], last] if last["c"] else inlines[:-1]
    return inlines


def bibliography_list(entries: dict[str, Any], classes: list[str]) -> nodes.Element:
    """The bibliography as a bullet list, one anchored item per work."""
    items = []
    for key, inlines in entries.items():
        para = nodes.paragraph("", "", *pandoc_ast.to_nodes(inlines))
        items.append(nodes.list_item("", para, ids=[ids.work(key)], classes=["csl-entry"]))
    return nodes.bullet_list("", *items, classes=classes)


def visit_noteref_html(self: Any, node: nodes.footnote_reference) -> None:
    """An author's note number on the web: drawn by the stylesheet from ``data-mark``, no part of the text.

    So a selection, a copy, the search's snippets and any parser's text
    content hold the author's words without the number glued to them; the
    link is named by ``aria-label``. Other footnotes, and the EPUB (whose
    reading systems may not draw generated content), keep docutils' markup.
    """
    if "author-note" not in node["classes"] or is_epub(self):
        type(self).visit_footnote_reference(self, node)
        return
    label = node.astext()
    self.body.append(
        self.starttag(
            node,
            "a",
            "",
            classes=["footnote-reference"],
            role="doc-noteref",
            href=f"#{node['refid']}",
            **{"aria-label": f"Note {label}", "data-mark": label},
        )
        + "</a>"
    )
    raise nodes.SkipNode


def depart_noteref_html(self: Any, node: nodes.footnote_reference) -> None:
    type(self).depart_footnote_reference(self, node)


def add_assets(app: Sphinx) -> None:
    """The script that shows a note beside its mark: the web edition only (the EPUB runs no script)."""
    if app.builder.name == "html":
        app.add_js_file("edition-notes.js", loading_method="defer")


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", add_assets)
    app.add_node(nodes.footnote_reference, override=True, html=(visit_noteref_html, depart_noteref_html))
    app.add_node(note_citation)
    app.add_node(note_text)
    app.add_node(inline_citation)
    app.add_node(works_cited)
    app.add_node(notes_here)
    app.add_role("note", NoteRole())
    app.add_role("cite-inline", InlineCiteRole())
    app.add_directive("notes", NotesDirective)
    app.add_directive("works-cited", WorksCitedDirective)
    app.add_transform(NumberNotes)
    app.add_post_transform(NotesHeadingInPrint)
    app.connect("env-updated", format_citations)
    app.connect("doctree-resolved", fill)
