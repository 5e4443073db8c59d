"""Putting editorial notes in text order: where each mark stands, and what does not agree.

After all documents are read, the marks are put in text order, numbered
(or lettered), and each is given its place in the text (¶ number, note,
caption) from the paragraph ids that the paragraph numbering sets, as
:mod:`.anchors` took them from each page when it was read.
"""

from __future__ import annotations

from collections.abc import Iterable

from sphinx.environment import BuildEnvironment

from scholarly_edition import ids
from scholarly_edition.apparatus.anchors import MarkAt, NoteAt
from scholarly_edition.apparatus.domain import apparatus
from scholarly_edition.apparatus.model import SERIES, Definition, Placed
from scholarly_edition.problems import Finding
from scholarly_edition.text.domain import text_domain

_TRAILING = "”’\"' .,;:)"


def doc_order(env: BuildEnvironment, docnames: Iterable[str]) -> list[str]:
    """Documents in reading order (the toctree's), any others after them."""
    order: list[str] = []

    def walk(doc: str) -> None:
        if doc in order:
            return
        order.append(doc)
        for child in env.toctree_includes.get(doc, []):
            walk(child)

    walk(env.config.root_doc)
    wanted = set(docnames)
    return [d for d in order if d in wanted] + sorted(wanted - set(order))


def anchors_in(env: BuildEnvironment, docname: str) -> list[MarkAt | NoteAt]:
    """Marks and the author's note references of a document, in text order, as taken when it was read."""
    return apparatus(env).anchors.get(docname, [])


def lemma_of(anchor: MarkAt, definition: Definition | None) -> tuple[str, Finding | None]:
    """The lemma of a mark, and a problem if a point mark's stated lemma is not in the text before it.

    A point mark (no words wrapped) may name its lemma with ``:lemma:`` in the
    definition, where the words carry other markup (a glossary link, a
    language span); the words must then end the text just before the mark.
    """
    if anchor.text or definition is None or "lemma" not in definition.options:
        return anchor.text, None
    lemma = " ".join(definition.options["lemma"].split())
    before = " ".join(anchor.before.split()).rstrip(_TRAILING)
    if not before.endswith(lemma.rstrip(_TRAILING)):
        message = (
            f"{SERIES[definition.series].noun} {definition.key!r}: "
            f"its lemma {lemma!r} is not the text before its mark (…{before[-40:]!r})"
        )
        return lemma, Finding(message, definition.location)
    return lemma, None


def mark_entry(
    series: str, docname: str, anchor: MarkAt, definitions: dict[str, Definition]
) -> tuple[Placed, Finding | None]:
    """A mark as an unnumbered note of ``series``, and any problem with its lemma."""
    definition = definitions.get(anchor.key)
    lemma, problem = lemma_of(anchor, definition)
    entry = Placed(
        series,
        anchor.key,
        docname,
        ids.mark(series, anchor.key),
        anchor.location,
        lemma,
        definition,
        point=not anchor.text,
        lemma_lang=anchor.lemma_lang,
    )
    return entry, problem


def number(entries: list[Placed]) -> None:
    """Number the notes in the order given, and label them as their series does."""
    for n, entry in enumerate(entries, start=1):
        series = SERIES[entry.series]
        entry.number, entry.label, entry.anchor = n, series.label(n), series.anchor_of(n)


def check_definitions(env: BuildEnvironment, series: str, placed_keys: set[str]) -> list[Finding]:
    """Definitions with no mark, defined twice, and marks with no definition."""
    domain = apparatus(env)
    noun = SERIES[series].noun
    problems = []
    defined: dict[str, Definition] = {}
    for defs in domain.definitions.values():
        for d in defs:
            if d.series != series:
                continue
            if d.key in defined:
                problems.append(Finding(f"{noun} {d.key!r} is defined twice", d.location))
            defined[d.key] = d
    for doc_marks in domain.marks.values():
        for m in doc_marks:
            if m.series == series and m.key not in defined:
                problems.append(
                    Finding(f"{{{series}}} mark {m.key!r} has no {noun} definition", f"{m.source}:{m.line}")
                )
    for key, d in defined.items():
        if key not in placed_keys:
            problems.append(Finding(f"{noun} {key!r} has no mark in the text", d.location))
    return problems


def rewritten(env: BuildEnvironment) -> list[str]:
    """The pages that show the apparatus, when what they show of it changed since the last build.

    A mark's page links to its note and a listing page prints every note
    with its place, lemma and (for a note on an author's note) that note as
    set; none of it is in a page's doctree until it is resolved, so a page
    need not be read again when another changes, only written again. After
    an edit that moves no mark and changes no note (most edits of the
    prose), nothing is rewritten but the page edited.
    """
    domain = apparatus(env)
    placed = domain.data["placed"]
    rendered = text_domain(env).data["rendered"]  # the author's notes as set: a textual note quotes its note
    notes = rendered.docs if rendered is not None else {}
    on_pages = _docs_placed(placed)
    # a copy of the series' dicts: each build puts new ones in ``placed`` itself
    shown = (dict(placed), {doc: notes[doc] for doc in sorted(notes) if doc in on_pages})
    if shown == domain.data.get("shown"):
        return []
    domain.data["shown"] = shown
    return sorted((set(domain.marks) | domain.listing_docs() | on_pages) & env.found_docs)


def _docs_placed(placed: dict[str, dict[str, Placed]]) -> set[str]:
    """Every page a placed note stands on: its mark's, and its definition's."""
    docs: set[str] = set()
    for entries in placed.values():
        for entry in entries.values():
            docs.add(entry.mark_doc)
            if entry.definition is not None:
                docs.add(entry.definition.docname)
    return docs
