"""What the apparatus needs of a page, taken as the page is read: its marks and notes, where they stand.

A mark's place (¶ 4, note 5, caption after ¶ 2), the words before it (a
point mark's lemma is checked against them) and the language of its lemma
are all in the page's doctree once it is read, and the placing needs them
on every build, every page's. Taken once, in one pass over the doctree
when it is read, they are plain data kept with the page's other records,
so placing the notes never loads a doctree again.
"""

from __future__ import annotations

from typing import NamedTuple

from docutils import nodes

from scholarly_edition.apparatus.nodes import editorial_mark
from scholarly_edition.text.language import foreign
from scholarly_edition.text.places import ancestors, location_of, paragraphs_before_figures

BEFORE = 200
"""How much of the text before a mark is kept, in characters: more than any lemma."""


class MarkAt(NamedTuple):
    """An editorial mark as it stands in the text."""

    series: str
    key: str
    text: str  # the words it wraps; empty for a point mark
    location: str
    before: str  # the text before it (its last BEFORE characters), the author's note numbers left out
    lemma_lang: str  # a point mark's: the language of the {lang} span just before it, if any


class NoteAt(NamedTuple):
    """An author's note reference as it stands in the text."""

    number: int
    location: str
    source: str | None  # "path:line" of the note in the text, for messages


def _in_a_note(node: nodes.Node) -> bool:
    return any(isinstance(a, (nodes.footnote_reference, nodes.footnote)) for a in ancestors(node.parent))


def lemma_language(node: editorial_mark) -> str:
    """The language of a point mark's lemma: that of the ``{lang}`` span just before the mark, if any.

    Marks that stand together after the words (``{lang}`…`{tn}`a`{ed}`b```)
    all take the span's language, so a note quoting a Russian lemma says so.
    """
    if node.astext():
        return ""
    previous = node.previous_sibling()
    while isinstance(previous, editorial_mark) and not previous.astext():
        previous = previous.previous_sibling()
    return str(previous["lang"]) if isinstance(previous, foreign) else ""


def anchors_of(doctree: nodes.document) -> list[MarkAt | NoteAt]:
    """The marks and the author's note references of a page, in text order, in one pass."""
    figures = paragraphs_before_figures(doctree)
    found: list[MarkAt | NoteAt] = []
    before = ""

    def wanted(node: nodes.Node) -> bool:
        return isinstance(node, (nodes.Text, editorial_mark, nodes.footnote_reference))

    for node in doctree.findall(wanted):
        if isinstance(node, nodes.Text):
            if not _in_a_note(node):
                before = (before + node.astext())[-BEFORE:]
        elif isinstance(node, editorial_mark):
            found.append(
                MarkAt(
                    node["series"],
                    node["key"],
                    node.astext(),
                    location_of(node, figures),
                    before,
                    lemma_language(node),
                )
            )
        elif isinstance(node, nodes.Element) and "author-note" in node.get("classes", []):
            source = f"{node.source}:{node.line}" if node.source and node.line else None
            found.append(NoteAt(int(node.astext()), location_of(node, figures), source))
    return found
