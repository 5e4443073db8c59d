"""The essay's own bibliographic record: this edition, and the original web page.

Pure functions, no Sphinx. The record is built once, as biblatex entries
(pybtex), from the edition metadata in ``conf.py``; its CSL-JSON comes from
the same converter as every work in ``refs.bib`` (:mod:`scholarly_edition.bibliography.bibtex_csl`),
so the BibTeX and the CSL-JSON of the essay cannot disagree.

The original page is dated only "Updated: Jun 1". Its year is not printed
anywhere; it is implied by the notes, whose latest access date comes a few
weeks before a 1 June. That inference is computed here from the accessed
dates of the cited works, recorded as approximate (biblatex/EDTF ``~``,
CSL ``circa``) and explained in a note, never stated as a fact.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pybtex.database import Entry, Person

from scholarly_edition.bibliography import bibtex_csl
from scholarly_edition.bibliography.csl import date_parts


@dataclass(frozen=True)
class EditionMetadata:
    """What ``conf.py`` says about the essay and this edition of it."""

    key: str
    title: str
    """The title as printed: ``edition_title: edition_subtitle``."""
    bibtex_title: str
    """The same words as citation software stores them: sentence case, proper nouns braced."""
    bibtex_shorttitle: str
    author_given: str
    author_family: str
    date: str
    version: str
    edition: str
    language: str
    original_dateline: str
    original_month_day: tuple[int, int]
    original_site: str = ""
    """The site the essay first appeared on, as the copy-text names it (a tagline); never a guessed name."""


@dataclass(frozen=True)
class OriginalDate:
    """The original page's date as far as it can be known."""

    date: dt.date | None
    """1 June of the inferred year; ``None`` when no accessed date implies one."""
    latest_access: dt.date | None
    """The latest accessed date among the cited works: the ground for the year."""


def _day(item: Mapping[str, Any], variable: str) -> dt.date | None:
    parts = date_parts(item, variable)
    return dt.date(*parts[:3]) if len(parts) >= 3 else None


def original_date(items: Iterable[Mapping[str, Any]], month_day: tuple[int, int]) -> OriginalDate:
    """The first ``month_day`` on or after the latest access date of ``items``.

    The notes were written before the page was last updated, so the update
    is no earlier than the latest day the author consulted a source.
    """
    accessed = [d for item in items if (d := _day(item, "accessed"))]
    if not accessed:
        return OriginalDate(None, None)
    latest = max(accessed)
    month, day = month_day
    year = latest.year if (month, day) >= (latest.month, latest.day) else latest.year + 1
    return OriginalDate(dt.date(year, month, day), latest)


def inference_note(meta: EditionMetadata, original: OriginalDate) -> str:
    """The explanation that travels with the original page's record."""
    site = (
        f"First published on a web site whose tagline is “{meta.original_site}”; the copy-text gives neither "
        "its name nor the page's address. "
        if meta.original_site
        else ""
    )
    said = f"{site}The page is dated “{meta.original_dateline}”, without a year."
    if original.date is None or original.latest_access is None:
        return said
    latest = original.latest_access
    return (
        f"{said} The year {original.date.year} is inferred: the latest access date in the"
        f" essay’s notes is {latest.day} {latest:%B} {latest.year}, and the date is recorded"
        " as approximate."
    )


def _edtf(date: dt.date) -> str:
    return f"{date.isoformat()}~"


def _author(meta: EditionMetadata) -> Person:
    return Person(f"{meta.author_family}, {meta.author_given}")


def _given(fields: dict[str, str]) -> dict[str, str]:
    """The fields that have a value: an empty field would print as an empty element."""
    return {name: value for name, value in fields.items() if value}


def edition_entry(meta: EditionMetadata, original: OriginalDate, url: str | None) -> Entry:
    """The essay as this edition publishes it: a book-like standalone edition.

    ``@book``, because the edition publishes the essay on its own, with an
    edition statement, a version and its own date; the original page's date
    goes in ``origdate``, as for any republished work.
    """
    fields: dict[str, str] = {
        "title": meta.bibtex_title,
        "shorttitle": meta.bibtex_shorttitle,
        "edition": meta.edition,
        "version": meta.version,
        "date": meta.date,
        "language": meta.language,
    }
    if original.date is not None:
        fields["origdate"] = _edtf(original.date)
    if url:
        fields["url"] = url
    entry = Entry("book", fields=_given(fields))
    entry.add_person(_author(meta), "author")
    return entry


def original_entry(meta: EditionMetadata, original: OriginalDate) -> Entry:
    """The original web publication, with only what the copy-text tells."""
    fields: dict[str, str] = {
        "title": meta.bibtex_title,
        "shorttitle": meta.bibtex_shorttitle,
        "language": meta.language,
        "note": inference_note(meta, original),
    }
    if original.date is not None:
        fields["date"] = _edtf(original.date)
    entry = Entry("online", fields=_given(fields))
    entry.add_person(_author(meta), "author")
    return entry


def original_key(meta: EditionMetadata) -> str:
    return f"{meta.key}-original"


def entries(meta: EditionMetadata, original: OriginalDate, url: str | None) -> dict[str, Entry]:
    """Both records, keyed: this edition first, then the original page."""
    return {meta.key: edition_entry(meta, original, url), original_key(meta): original_entry(meta, original)}


def csl_items(records: Mapping[str, Entry]) -> list[dict[str, Any]]:
    """The records as CSL-JSON, through the converter ``refs.bib`` goes through.

    Zotero imports a CSL ``book`` that has a ``version`` as software, its
    author as programmer (zotero/utilities, utilities_item.js,
    ``itemFromCSLJSON``: ``type == 'book' && cslItem.version`` →
    ``computerProgram``). So the edition's version travels in its edition
    statement, which every style prints and every reader keeps.
    """
    items = bibtex_csl.entries_to_csl(records.items())
    for item in items:
        if item["type"] == "book" and "version" in item:
            version = item.pop("version")
            item["edition"] = f"{item['edition']}, version {version}" if item.get("edition") else f"version {version}"
    return items
