"""The facts of the author's notes, and whether a printed note still carries them.

The table (``tests/data/note-facts.toml``) is read from the copy-text by an
editor; :func:`copy_text_notes` lets a test hold it to the copy-text word for
word. :func:`missing` is the check: a house style may print a fact in its own
form, so each fact is matched in the forms a style may give it (a date
spelled out or in figures, a range shortened, a title in headline case or in
other quotation marks), and a fact the printed note does not carry in any
form is reported by its field and the copy-text's wording.

A matched fact is struck from the text before the next is sought, longest
first, so that one printed phrase cannot stand for two facts (the author and
the publisher of note 1 are the same institute: both must be printed), and
a locator is sought only once the URLs and dates, whose digits could pass
for it, are struck.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import fidelity
from copytext_facts import MONTHS

TABLE = Path(__file__).parent / "data" / "note-facts.toml"

_QUOTES = re.compile("[‘’“”'\"…]")
_COPY_NOTE = re.compile(r"^\[(\d+)\] (.*)$")
_SQUEEZE = re.compile("[\\s\u00ad‐-]")


@dataclass(frozen=True)
class Fact:
    """One fact of one note: its field, the copy-text's wording, and what a style may make of it."""

    field: str
    given: str
    date: str = ""
    pages: str = ""
    also: str = ""


def norm(text: str) -> str:
    """Text as a fact is compared: case, quotation marks, ellipses and spacing set aside."""
    text = _QUOTES.sub("", unicodedata.normalize("NFC", text).casefold())
    return " ".join(text.split())


def table() -> dict[int, list[Fact]]:
    """The facts of each note, by its number."""
    data = tomllib.loads(TABLE.read_text("utf-8"))
    return {note["number"]: [Fact(**fact) for fact in note["facts"]] for note in data["note"]}


def credit() -> list[Fact]:
    """The facts of the cover-image credit."""
    return [Fact(**fact) for fact in tomllib.loads(TABLE.read_text("utf-8"))["credit"]["facts"]]


def copy_text_credit() -> str:
    """The cover-image credit as the copy-text prints it."""
    return next(line for line in fidelity.copy_text_lines() if line.startswith("Cover image from "))


def copy_text_notes() -> dict[int, str]:
    """The author's notes as the copy-text prints them, by number."""
    notes = {}
    for line in fidelity.copy_text_lines():
        match = _COPY_NOTE.match(line)
        if match:
            notes[int(match[1])] = match[2]
    return notes


def _date_pattern(iso: str, gap: str) -> str:
    """The forms a style prints an ISO date in, at the precision the note gives it."""
    parts = [int(p) for p in iso.split("-")]
    year = rf"(?<!\d){parts[0]}(?!\d)"
    if len(parts) == 1:
        return year
    month = MONTHS[parts[1] - 1].casefold()
    if len(parts) == 2:
        return rf"{month}\.?{gap}{year}"
    day = rf"(?<!\d){parts[2]}(?:st|nd|rd|th)?"
    return rf"(?:{day}{gap}{month}{gap}{year}|{month}{gap}{day},?{gap}{year})"


def _pages_pattern(pages: str, dash: str) -> str:
    """A page, or a range in any usual form: 140-141, 140–41, 140-1."""
    first, _, last = pages.partition("-")
    if not last:
        return rf"(?<![\w/.:-]){first}(?![\w/-])"
    endings = "|".join(last[i:] for i in range(len(last)))
    return rf"(?<![\w/.:-]){first}\s*{dash}\s*(?:{endings})(?![\w/-])"


def _strike(text: str, pattern: str) -> str | None:
    """``text`` with the first match of ``pattern`` struck out, or None if there is none."""
    match = re.search(pattern, text)
    if match is None:
        return None
    return text[: match.start()] + " | " + text[match.end() :]


def _squeezed(text: str) -> str:
    return _SQUEEZE.sub("", text)


def _pattern(fact: Fact, squeeze: bool) -> str:
    gap, dash = ("", "[-–]?") if squeeze else (r"\s+", "[-–]")
    if fact.field == "accessed":
        return rf"accessed{gap}{_date_pattern(fact.date, gap)}"
    if fact.date:
        return _date_pattern(fact.date, gap)
    if fact.pages:
        return _pages_pattern(fact.pages, dash)
    forms = [norm(form) for form in ([fact.given, fact.also] if fact.also else [fact.given])]
    alternatives = "|".join(re.escape(_squeezed(form) if squeeze else form) for form in forms)
    if fact.field == "editor":
        return rf"(?:ed\.|edited{gap}by){gap}(?:{alternatives})"
    return rf"(?:{alternatives})"


def _order(fact: Fact) -> tuple[int, int]:
    """URLs first, then dates (an access date before the date it could be taken for), text, locators last."""
    rank = {"url": 0, "accessed": 1, "date": 2, "locator": 4}.get(fact.field, 3)
    return rank, -len(fact.given)


def missing(printed: str, facts: list[Fact], *, squeeze: bool = False) -> list[str]:
    """The facts ``printed`` does not carry in any form, as ``field: copy-text wording``.

    ``squeeze`` compares with spaces and hyphens set aside, for text read
    back from the PDF, where a line may break inside a URL or at a hyphen
    that LaTeX added or kept.
    """
    text = _squeezed(norm(printed)) if squeeze else norm(printed)
    lost = []
    for fact in sorted(facts, key=_order):
        struck = _strike(text, _pattern(fact, squeeze))
        if struck is None:
            lost.append(f"{fact.field}: {fact.given}")
        else:
            text = struck
    return lost
