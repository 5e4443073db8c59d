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
from sphinx.util import logging

from . import marks

logger = logging.getLogger(__name__)


class CommentaryNoteDirective(marks.DefinitionDirective):
    series = "ed"


class CommentaryDirective(marks.ListingDirective):
    series = "ed"


def place(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Letter the commentary in text order."""
    definitions = marks.definitions_of(env, "ed")
    entries: list[marks.Placed] = []
    problems: list[str] = []
    for docname in marks.mark_docs(env):
        for kind, anchor in marks.anchors_in(env, docname):
            if kind != "mark" or anchor[0]["series"] != "ed":
                continue
            node, location = anchor
            lemma, problem = marks.lemma_of(node, definitions.get(node["key"]))
            if problem:
                problems.append(problem)
            entries.append(
                marks.Placed(
                    "ed", node["key"], 0, "", docname, f"ed-at-{node['key']}", location, lemma,
                    definitions.get(node["key"]),
                )
            )
    seen: set[str] = set()
    for entry in entries:
        if entry.key in seen:
            problems.append(f"{entry.mark_doc}: commentary {entry.key!r} is marked twice in the text")
        seen.add(entry.key)
    for number, entry in enumerate(entries, start=1):
        entry.number, entry.label = number, marks.letters(number)
    problems += marks.check_definitions(env, "ed", seen)
    marks.set_placed(env, "ed", entries)
    if problems:
        for problem in problems:
            logger.error(problem, type="edition", subtype="commentary")
        env.edition_apparatus_failed = True
    return []


def render(app: Sphinx, entry: marks.Placed, definition: marks.editorial_definition | None) -> list[nodes.Node]:
    head = nodes.paragraph("", "", classes=["ed-head"])
    head += nodes.inline("", entry.location, classes=["ed-location"])
    if entry.lemma:
        head += nodes.Text(" · ")
        head += nodes.emphasis("", entry.lemma, classes=["ed-lemma"])
    body = [child.deepcopy() for child in definition.children] if definition is not None else []
    return [head, *body]


def setup(app: Sphinx) -> None:
    marks.register(
        marks.Series(
            name="ed",
            title="Editorial note",
            entry_prefix="ed-",
            mark_prefix="ed-at-",
            classes=("ed-marker",),
            latex_macro=r"\EditionCommentaryMark",
            label=marks.letters,
            marker_text=lambda label: label,
            render=render,
            noteref=True,
            listing_role="doc-endnotes",
            listing_epub_type="endnotes",
            entry_epub_type="endnote",
        )
    )
    app.add_role("ed", marks.MarkRole("ed"))
    app.add_role("ed-ref", marks.XrefRole("ed"))
    app.add_directive("commentary-note", CommentaryNoteDirective)
    app.add_directive("commentary", CommentaryDirective)
    app.connect("env-updated", place, priority=600)
