"""The explanatory commentary: the editor's lettered notes.

``{ed}`IOS RAS <iosras>``` (or ``{ed}`key``` at a point) puts a superscript
italic letter in the text, linked to the note of that key on the commentary
page, where the ``commentary`` directive lists them in text order, each
keyed to its ¶ and lemma and linked back.

The author's notes are numbered footnotes (``doc-footnote``, EPUB
``footnote``, LaTeX ``\\footnote``); the commentary is a separate lettered
series of end-notes (a ``doc-endnotes`` section, EPUB ``endnotes`` /
``endnote``, and an end-of-edition list in the PDF), so the two cannot be
confused by a reader or by a machine.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from scholarly_edition.apparatus import placing
from scholarly_edition.apparatus.anchors import MarkAt
from scholarly_edition.apparatus.domain import apparatus
from scholarly_edition.apparatus.markup import DefinitionDirective, ListingDirective
from scholarly_edition.apparatus.model import COMMENTARY, Placed
from scholarly_edition.apparatus.nodes import editorial_definition, note_head
from scholarly_edition.problems import Finding


class CommentaryNoteDirective(DefinitionDirective):
    series = COMMENTARY.name


class CommentaryDirective(ListingDirective):
    series = COMMENTARY.name


def place(env: BuildEnvironment) -> list[Finding]:
    """Letter the commentary in text order."""
    domain = apparatus(env)
    definitions = domain.definitions_of(COMMENTARY.name)
    entries: list[Placed] = []
    problems: list[Finding] = []
    for docname in placing.doc_order(env, domain.marks):
        for anchor in placing.anchors_in(env, docname):
            if isinstance(anchor, MarkAt) and anchor.series == COMMENTARY.name:
                entry, problem = placing.mark_entry(COMMENTARY.name, docname, anchor, definitions)
                entries.append(entry)
                if problem:
                    problems.append(problem)
    seen: set[str] = set()
    for entry in entries:
        if entry.key in seen:
            problems.append(Finding(f"commentary {entry.key!r} is marked twice in the text", (entry.mark_doc, None)))
        seen.add(entry.key)
    placing.number(entries)
    problems += placing.check_definitions(env, COMMENTARY.name, seen)
    domain.set_placed(COMMENTARY.name, entries)
    return problems


def render(app: Sphinx, entry: Placed, definition: editorial_definition | None) -> list[nodes.Node]:
    body = [child.deepcopy() for child in definition.children] if definition is not None else []
    return [note_head(COMMENTARY.name, entry.location, entry.lemma, lang=entry.lemma_lang), *body]
