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
from typing import Any

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from . import marks, pandoc_ast
from .copytext import CopyText, CopyTextError

logger = logging.getLogger(__name__)

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


class TextualNoteDirective(marks.DefinitionDirective):
    series = "tn"
    option_spec = {
        **marks.DefinitionDirective.option_spec,
        "kind": _kinds,
        "copy-text": directives.unchanged_required,
        "copy-text-line": directives.unchanged_required,
        "note": directives.positive_int,
    }


class TextualNotesDirective(marks.ListingDirective):
    series = "tn"


def copy_text(env: BuildEnvironment) -> CopyText:
    path = Path(env.srcdir) / env.config.edition_copy_text
    return CopyText.read(path)


def place(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Put the textual notes in text order and check them against the copy-text."""
    definitions = marks.definitions_of(env, "tn")
    if not definitions and not marks.mark_docs(env):
        marks.set_placed(env, "tn", [])
        return []
    copy = copy_text(env)
    by_note = {int(d.options["note"]): d for d in definitions.values() if "note" in d.options}
    docs = marks.doc_order(env, set(marks.mark_docs(env)) | _docs_with_notes(env))
    entries: list[marks.Placed] = []
    problems: list[str] = []
    for docname in docs:
        for kind, anchor in marks.anchors_in(env, docname):
            if kind == "mark":
                node, location = anchor
                if node["series"] != "tn":
                    continue
                definition = definitions.get(node["key"])
                lemma, problem = marks.lemma_of(node, definition)
                if problem:
                    problems.append(problem)
                entry = marks.Placed(
                    "tn", node["key"], 0, "", docname, f"tn-at-{node['key']}", location, lemma, definition
                )
                entry.extra["point"] = not node.astext()
            else:
                number, location = anchor
                definition = by_note.pop(number, None)
                key = definition.key if definition else f"note-{number}"
                entry = marks.Placed(
                    "tn", key, 0, "", docname, f"tn-at-{key}", f"note {number} (at {location})", "", definition,
                    note=number,
                )
            problems += _readings(entry, copy)
            entries.append(entry)
    for number, definition in by_note.items():
        problems.append(f"{definition.source}:{definition.line}: textual note {definition.key!r}: the text has no note {number}")
    for number, entry in enumerate(entries, start=1):
        entry.number, entry.label = number, str(number)
    listing = _listing_doc(env)
    for entry in entries:
        if entry.definition is None:
            entry.definition = marks.Definition("tn", entry.key, listing, "", 0, {})
    problems += marks.check_definitions(env, "tn", {e.key for e in entries})
    marks.set_placed(env, "tn", entries)
    if problems:
        for problem in problems:
            logger.error(problem, type="edition", subtype="apparatus")
        env.edition_apparatus_failed = True
    return []


def _docs_with_notes(env: BuildEnvironment) -> set[str]:
    return {doc for doc, (cites, _) in getattr(env, "edition_notes", {}).items() if cites}


def _listing_doc(env: BuildEnvironment) -> str:
    docs = [d for d in marks.listing_docs(env) if any(x.series == "tn" for x in env.edition_definitions[d])]
    return docs[0] if docs else env.config.root_doc


def _readings(entry: marks.Placed, copy: CopyText) -> list[str]:
    """Fill the entry's copy-text and edition readings; report what does not hold."""
    options = entry.definition.options if entry.definition else {}
    where = f"{entry.definition.source}:{entry.definition.line}: " if entry.definition else ""
    kinds = list(options.get("kind", []))
    try:
        if entry.note is not None:
            reading = copy.note(entry.note)
            if "wording" not in kinds:
                kinds.insert(0, "wording")
        elif "copy-text-line" in options:
            reading = copy.line_starting(options["copy-text-line"])
            if "wording" not in kinds:
                kinds.insert(0, "wording")
        else:
            reading = " ".join(options.get("copy-text", entry.lemma).split())
    except CopyTextError as exc:
        return [f"{where}{exc}"]
    entry.extra["copy_text"] = reading
    entry.extra["kinds"] = kinds
    problems = []
    emended = (
        entry.note is None and "copy-text-line" not in options and not entry.extra.get("point") and reading != entry.lemma
    )
    if emended and "emendation" not in kinds:
        problems.append(
            f"{where}textual note {entry.key!r}: the text reads {entry.lemma!r} but the copy-text {reading!r}; "
            "a difference is an emendation (:kind: emendation)"
        )
    if "emendation" in kinds and not emended:
        problems.append(f"{where}textual note {entry.key!r} is marked as an emendation but changes nothing")
    if entry.note is None and "copy-text-line" not in options and reading:
        found = copy.count(reading)
        if found == 0:
            problems.append(f"{where}textual note {entry.key!r}: {reading!r} is not in the copy-text {copy.path}")
        elif emended and found > 1:
            problems.append(
                f"{where}textual note {entry.key!r}: {reading!r} occurs {found} times in the copy-text; "
                "give a longer reading so the emendation has one place"
            )
    if emended:
        entry.extra["entry_classes"] = ["emendation"]
        entry.extra["lemma_classes"] = ["emendation"]
    return problems


def render(app: Sphinx, entry: marks.Placed, definition: marks.editorial_definition | None) -> list[nodes.Node]:
    """A textual note: where, the lemma, the kind; copy-text and edition readings; the reason."""
    kinds = entry.extra.get("kinds", [])
    head = nodes.paragraph("", "", classes=["tn-head"])
    head += nodes.inline("", entry.location, classes=["tn-location"])
    if entry.lemma:
        head += nodes.Text(" · ")
        head += nodes.emphasis("", entry.lemma, classes=["tn-lemma"])
    if kinds:
        head += nodes.Text(" · ")
        head += nodes.inline("", "; ".join(KINDS[k] for k in kinds), classes=["tn-kind"])
    out: list[nodes.Node] = [head]
    out.append(_reading("Copy-text", [nodes.inline("", entry.extra.get("copy_text", ""), classes=["tn-copy-text"])]))
    if entry.note is not None:
        edition: list[nodes.Node] = [nodes.inline("", "", *_note_as_set(app, entry), classes=["tn-edition"])]
    elif "emendation" in kinds:
        edition = [nodes.inline("", entry.lemma, classes=["tn-edition"])]
    elif entry.lemma:
        edition = [nodes.inline("", entry.lemma, classes=["tn-edition"]), nodes.Text(" (not emended)")]
    else:
        edition = [nodes.Text(app.config.edition_tn_reset_text)]
    out.append(_reading("Edition", edition))
    if entry.note is not None:
        out.append(nodes.paragraph("", app.config.edition_tn_note_reason, classes=["tn-reason"]))
    if definition is not None:
        for child in definition.children:
            copy = child.deepcopy()
            if isinstance(copy, nodes.Element):
                copy["classes"].append("tn-reason")
            out.append(copy)
    return out


def _reading(name: str, body: list[nodes.Node]) -> nodes.paragraph:
    para = nodes.paragraph("", "", classes=["tn-reading"])
    para += nodes.strong("", f"{name}: ")
    para.extend(body)
    return para


def _note_as_set(app: Sphinx, entry: marks.Placed) -> list[nodes.Node]:
    rendered = app.env.edition_rendered["docs"][entry.mark_doc]["notes"][entry.note - 1]
    return pandoc_ast.to_nodes(rendered)


def setup(app: Sphinx) -> None:
    app.add_config_value("edition_copy_text", "_copytext/copy-text.txt", "env", str)
    app.add_config_value(
        "edition_tn_note_reason",
        "Set anew from the bibliography; the copy-text’s wording is kept here.",
        "env",
        str,
    )
    app.add_config_value("edition_tn_reset_text", "set anew from the bibliography", "env", str)
    marks.register(
        marks.Series(
            name="tn",
            title="Textual note",
            entry_prefix="tn-",
            mark_prefix="tn-at-",
            classes=("tn-marker",),
            latex_macro=r"\EditionTextualMark",
            label=str,
            marker_text=lambda label: "°",
            render=render,
        )
    )
    app.add_role("tn", marks.MarkRole("tn"))
    app.add_role("tn-ref", marks.XrefRole("tn"))
    app.add_directive("textual-note", TextualNoteDirective)
    app.add_directive("textual-notes", TextualNotesDirective)
    # after edition.notes.format_citations, which the edition reading of a note needs
    app.connect("env-updated", place, priority=600)
