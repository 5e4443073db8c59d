"""What the editorial apparatus is made of, with no Sphinx in it.

The edition has two series of editorial notes beside the author's own
numbered notes: the textual notes and the explanatory commentary. A *mark*
is a place in the essay the editor comments on (optionally wrapping the
words it concerns, the *lemma*); a *definition* is the editor's note on it;
a *placed* note is one put in text order, numbered and located.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple


@dataclass(frozen=True)
class Series:
    """One kind of editorial note: how it is named, numbered and marked up."""

    name: str  # "tn", "ed": also the role's name and the ids' prefix
    title: str  # "Textual note", "Editorial note"
    classes: tuple[str, ...]  # classes of the marker, beside "editorial"
    latex_macro: str  # LaTeX command that typesets the marker
    label: Callable[[int], str]
    marker_text: Callable[[str], str]
    noteref: bool = False  # the marker is a note reference (ARIA/EPUB noteref)
    listing_role: str = ""  # ARIA role of the listing section
    listing_epub_type: str = ""
    entry_epub_type: str = ""
    anchor: Callable[[int], str] | None = None  # the note's id suffix, if not its label (ids outlive a restyling)

    @property
    def noun(self) -> str:
        return self.title.lower()

    def anchor_of(self, number: int) -> str:
        """What the note's id ends in: ``tn-7`` stays ``tn-7`` whatever its label reads."""
        return self.anchor(number) if self.anchor else self.label(number)


def letters(number: int) -> str:
    """1 → a, 26 → z, 27 → aa: the letters of editorial commentary."""
    out = ""
    while number:
        number, rest = divmod(number - 1, 26)
        out = chr(ord("a") + rest) + out
    return out


def textual_label(number: int) -> str:
    """7 → T7: the textual notes' own numbering, never to be read as one of the author's notes (1, 2, 3 …)."""
    return f"T{number}"


TEXTUAL = Series(
    "tn", "Textual note", ("tn-marker",), r"\EditionTextualMark", textual_label, lambda label: "°", anchor=str
)
"""Numbered T1, T2 …, marked by a degree sign; listed on their own page."""
COMMENTARY = Series(
    "ed", "Editorial note", ("ed-marker",), r"\EditionCommentaryMark", letters, lambda label: label, True,
    "doc-endnotes", "endnotes", "endnote",
)  # fmt: skip
"""Lettered, superscript, and end-notes in every format's own vocabulary."""
SERIES: dict[str, Series] = {s.name: s for s in (TEXTUAL, COMMENTARY)}
"""Every series, by name; a constant, made once."""


class Mark(NamedTuple):
    series: str
    key: str
    docname: str
    lemma: str
    source: str
    line: int


class Definition(NamedTuple):
    series: str
    key: str
    docname: str
    source: str
    line: int
    options: dict[str, Any]

    @property
    def location(self) -> str | None:
        return f"{self.source}:{self.line}" if self.source else None


@dataclass
class Placed:
    """A note put in order: its number, its label, and where its mark is."""

    series: str
    key: str
    mark_doc: str
    mark_id: str
    location: str
    lemma: str
    definition: Definition | None
    number: int = 0
    label: str = ""  # as readers see it: T7, c
    anchor: str = ""  # what its id ends in: 7, c
    note: int | None = None  # the author's note it is attached to, if any
    point: bool = False  # the mark wraps no words
    lemma_lang: str = ""  # the lemma's language, where it is not the edition's
    copy_text: str = ""  # the copy-text's reading (textual notes)
    kinds: list[str] = field(default_factory=list)
    emended: bool = False

    @property
    def classes(self) -> list[str]:
        return ["emendation"] if self.emended else []
