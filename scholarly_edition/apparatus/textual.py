"""The textual notes: every place where the edition's text and the copy-text
part, or where the copy-text is at odds with itself or with its sources.

In the essay, ``{tn}`Finnuala <finnuala>``` marks a reading (the lemma) and
``{tn}`cover-credit``` a point. On the textual-notes page, inside the
``textual-notes`` directive, ``textual-note`` directives say what each note
records::

    :::{textual-note} gussarova-quote
    :kind: emendation
    :copy-text: terrorist groups.”
    The quotation opens with a single mark …
    :::

The lemma is the edition's reading; ``:copy-text:`` gives the copy-text's
where it differs (an emendation), and is checked against the copy-text file.
Every one of the author's notes gets a textual note of its own without being
asked: the edition re-sets the notes from ``refs.bib``, so the apparatus
keeps the copy-text's wording of each, quoted from the copy-text file, beside
the edition's; a ``textual-note`` with ``:note: N`` adds the editor's remarks
on note N. ``:copy-text-line:`` quotes a whole line of the copy-text (the
cover-image credit).

Notes are numbered in text order, anchored to their ¶ (or note, or caption),
and linked both ways.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from scholarly_edition import ids
from scholarly_edition.apparatus import placing
from scholarly_edition.apparatus.anchors import MarkAt, NoteAt
from scholarly_edition.apparatus.copytext import CopyText, CopyTextError
from scholarly_edition.apparatus.domain import apparatus
from scholarly_edition.apparatus.markup import DefinitionDirective, ListingDirective
from scholarly_edition.apparatus.model import TEXTUAL, Definition, Placed
from scholarly_edition.apparatus.nodes import editorial_definition, note_head
from scholarly_edition.config import settings
from scholarly_edition.problems import Finding
from scholarly_edition.text import pandoc_ast
from scholarly_edition.text.domain import text_domain
from scholarly_edition.text.language import foreign

KINDS = {
    "emendation": "emendation",
    "inconsistency": "the copy-text at odds with itself",
    "name": "a name not in its bearer’s form",
    "reference": "a doubtful or incomplete reference",
    "wording": "the copy-text’s wording",
    "date": "an uncertain date",
    "orthography": "the copy-text’s spelling, kept",
}


def _kinds(argument: str) -> list[str]:
    kinds = [k.strip() for k in argument.split(",") if k.strip()]
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        raise ValueError(f"unknown kind {unknown[0]!r}; choose from {', '.join(KINDS)}")
    return kinds


class TextualNoteDirective(DefinitionDirective):
    series = TEXTUAL.name
    option_spec = {  # noqa: RUF012 (docutils reads it from the class)
        **DefinitionDirective.option_spec,
        "kind": _kinds,
        "copy-text": directives.unchanged_required,
        "copy-text-line": directives.unchanged_required,
        "note": directives.positive_int,
    }


class TextualNotesDirective(ListingDirective):
    series = TEXTUAL.name


def copy_text(env: BuildEnvironment) -> CopyText:
    return CopyText.read(Path(env.srcdir) / settings(env.config).copy_text)


def _no_copy_text(env: BuildEnvironment) -> Finding:
    value = settings(env.config).copy_text
    return Finding(f"conf.py: edition_copy_text = {value!r}: there is no copy-text at {Path(env.srcdir) / value}", None)


def place(env: BuildEnvironment) -> list[Finding]:
    """Put the textual notes in text order and check them against the copy-text."""
    domain = apparatus(env)
    definitions = domain.definitions_of(TEXTUAL.name)
    with_notes = {doc for doc, cites in text_domain(env).cites.items() if cites}
    if not definitions and not domain.marks:
        domain.set_placed(TEXTUAL.name, [])
        return []
    try:
        copy = copy_text(env)
    except OSError:
        return [_no_copy_text(env)]
    by_note = {int(d.options["note"]): d for d in definitions.values() if "note" in d.options}
    entries: list[Placed] = []
    problems: list[Finding] = []
    for docname in placing.doc_order(env, set(domain.marks) | with_notes):
        for anchor in placing.anchors_in(env, docname):
            if isinstance(anchor, MarkAt):
                if anchor.series != TEXTUAL.name:
                    continue
                entry, problem = placing.mark_entry(TEXTUAL.name, docname, anchor, definitions)
                if problem:
                    problems.append(problem)
            else:
                definition = by_note.pop(anchor.number, None)
                key = definition.key if definition else ids.note(anchor.number)
                entry = Placed(
                    TEXTUAL.name,
                    key,
                    docname,
                    ids.mark(TEXTUAL.name, key),
                    f"note {anchor.number} (at {anchor.location})",
                    "",
                    definition,
                    note=anchor.number,
                )
            where = anchor.source if isinstance(anchor, NoteAt) else None
            problems += _readings(entry, copy, where)
            entries.append(entry)
    for number, definition in by_note.items():
        problems.append(Finding(f"textual note {definition.key!r}: the text has no note {number}", definition.location))
    placing.number(entries)
    listing = _listing_doc(env)
    for entry in entries:
        if entry.definition is None:
            entry.definition = Definition(TEXTUAL.name, entry.key, listing, "", 0, {})
    problems += placing.check_definitions(env, TEXTUAL.name, {e.key for e in entries})
    domain.set_placed(TEXTUAL.name, entries)
    return problems


def _listing_doc(env: BuildEnvironment) -> str:
    docs = placing.doc_order(env, apparatus(env).listing_docs(TEXTUAL.name))
    return docs[0] if docs else env.config.root_doc


def _readings(entry: Placed, copy: CopyText, note_at: str | None = None) -> list[Finding]:
    """Fill the entry's copy-text reading and kinds; report what does not hold.

    ``note_at`` is where an author's note stands in the text: a note the
    copy-text lacks is the text's problem, not the copy-text's.
    """
    options = entry.definition.options if entry.definition else {}
    where = entry.definition.location if entry.definition else None
    kinds = list(options.get("kind", []))
    try:
        # a note's or a line's wording is what every such entry records: the page says so once, not each entry
        if entry.note is not None:
            reading = copy.note(entry.note)
        elif "copy-text-line" in options:
            reading = copy.line_starting(options["copy-text-line"])
        else:
            reading = " ".join(options.get("copy-text", entry.lemma).split())
    except CopyTextError as exc:
        if entry.note is not None and note_at:
            notes = copy.notes()
            have = f"notes 1–{max(notes)}" if notes else "no notes"
            message = (
                f"note {entry.note} is not in the copy-text, which has {have}: "
                "a note added to the text is an emendation"
            )
            return [Finding(message, note_at)]
        return [Finding(str(exc), where)]
    entry.copy_text = reading
    entry.kinds = kinds
    problems = []
    emended = entry.note is None and "copy-text-line" not in options and not entry.point and reading != entry.lemma
    if emended and "emendation" not in kinds:
        problems.append(
            Finding(
                f"textual note {entry.key!r}: the text reads {entry.lemma!r} but the copy-text {reading!r}; "
                "a difference is an emendation (:kind: emendation)",
                where,
            )
        )
    if "emendation" in kinds and not emended:
        problems.append(Finding(f"textual note {entry.key!r} is marked as an emendation but changes nothing", where))
    if entry.note is None and "copy-text-line" not in options and reading:
        found = copy.count(reading)
        if found == 0:
            problems.append(
                Finding(f"textual note {entry.key!r}: {reading!r} is not in the copy-text {copy.path}", where)
            )
        elif emended and found > 1:
            problems.append(
                Finding(
                    f"textual note {entry.key!r}: {reading!r} occurs {found} times in the copy-text; "
                    "give a longer reading so the emendation has one place",
                    where,
                )
            )
    entry.emended = emended
    return problems


def render(app: Sphinx, entry: Placed, definition: editorial_definition | None) -> list[nodes.Node]:
    """A textual note: where, the lemma, the kind; copy-text and edition readings; the reason."""
    config = settings(app.config)
    kinds = entry.kinds
    tail = ["; ".join(KINDS[k] for k in kinds)] if kinds else []
    out: list[nodes.Node] = [note_head(TEXTUAL.name, entry.location, entry.lemma, *tail, lang=entry.lemma_lang)]
    out.append(_reading("Copy-text", [_words(entry.copy_text, "tn-copy-text", entry.lemma_lang)]))
    if entry.note is not None:
        edition: list[nodes.Node] = [nodes.inline("", "", *_note_as_set(app, entry), classes=["tn-edition"])]
    elif "emendation" in kinds:
        edition = [_words(entry.lemma, "tn-edition", entry.lemma_lang)]
    elif entry.lemma:
        edition = [_words(entry.lemma, "tn-edition", entry.lemma_lang), nodes.Text(" (not emended)")]
    else:
        edition = [nodes.Text(config.tn_reset_text)]
    out.append(_reading("Edition", edition))
    if definition is not None:
        for child in definition.children:
            copy = child.deepcopy()
            if isinstance(copy, nodes.Element):
                copy["classes"].append("tn-reason")
            out.append(copy)
    return out


def _words(text: str, cls: str, lang: str) -> nodes.inline:
    """A reading, marked with its language where that is not the edition's."""
    words: nodes.Node = foreign(text, text, lang=lang) if lang else nodes.Text(text)
    return nodes.inline("", "", words, classes=[cls])


def _reading(name: str, body: list[nodes.Node]) -> nodes.paragraph:
    para = nodes.paragraph("", "", classes=["tn-reading"])
    para += nodes.strong("", f"{name}: ")
    para.extend(body)
    return para


def _note_as_set(app: Sphinx, entry: Placed) -> list[nodes.Node]:
    assert entry.note is not None
    return pandoc_ast.to_nodes(text_domain(app.env).rendered_note(entry.mark_doc, entry.note - 1))
