"""BibTeX (as pybtex parsed it) to CSL-JSON.

Pure functions: no Sphinx here, so the mapping can be tested on its own and
reused by every export. The mapping follows the biblatex data model and the
CSL 1.0.2 variables; it covers the entry types and fields this edition uses
and refuses anything else, because a silently dropped field is a wrong
citation.
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Any

import latexcodec  # noqa: F401  (registers the "ulatex" codec)
from pybtex.database import Entry, Person

from scholarly_edition.problems import DataError, Problem

CSL_TYPES: Mapping[str, str] = {
    "article": "article-journal",
    "book": "book",
    "incollection": "chapter",
    "inbook": "chapter",
    "online": "webpage",
    "report": "report",
    "techreport": "report",
    "video": "motion_picture",
    "misc": "document",
}
"""biblatex entry type to CSL item type."""

ARTICLE_SUBTYPES: Mapping[str, str] = {
    "newspaper": "article-newspaper",
    "magazine": "article-magazine",
}
"""biblatex ``entrysubtype`` of an ``@article`` to CSL item type."""

TEXT_FIELDS: Mapping[str, str] = {
    "title": "title",
    "shorttitle": "title-short",
    "journaltitle": "container-title",
    "journal": "container-title",
    "booktitle": "container-title",
    "maintitle": "container-title",
    "publisher": "publisher",
    "institution": "publisher",
    "organization": "publisher",
    "location": "publisher-place",
    "address": "publisher-place",
    "type": "genre",
    "number": "number",
    "pages": "page",
    "volume": "volume",
    "issue": "issue",
    "note": "note",
    "doi": "DOI",
    "url": "URL",
    "language": "language",
    "edition": "edition",
    "version": "version",
}
"""biblatex field to CSL variable, for fields that carry text."""

RICH_TEXT = frozenset({"title", "title-short", "container-title"})
"""CSL variables whose braces mark protected capitalisation.

refs.bib keeps titles in sentence case, proper nouns braced. CSL-JSON gets
them as plain text: a style makes headline case of sentence case (Chicago,
MLA) without touching a capital, and APA prints them as they are, so no
``<span class="nocase">`` is needed, and none reaches Zotero, which would keep
it in the title as text."""

VERBATIM = frozenset({"URL", "DOI"})
"""CSL variables copied byte for byte: URLs are printed as the source has them."""

DATE_FIELDS: Mapping[str, str] = {"date": "issued", "urldate": "accessed", "origdate": "original-date"}

IGNORED_FIELDS = frozenset({"entrysubtype", "year", "month"})

PERSON_ROLES: Mapping[str, str] = {
    "author": "author",
    "editor": "editor",
    "translator": "translator",
}

_ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(~)?$")


class BibTeXToCSLError(DataError):
    """An entry that cannot be mapped to CSL without losing or inventing data."""

    problem = Problem.BIBLIOGRAPHY


def csl_type(entry: Entry) -> str:
    """The CSL type of ``entry``; newspaper and magazine articles are told apart."""
    bibtype = entry.type.lower()
    if bibtype == "article":
        subtype = entry.fields.get("entrysubtype", "").lower()
        if subtype:
            try:
                return ARTICLE_SUBTYPES[subtype]
            except KeyError:
                raise BibTeXToCSLError(f"unknown entrysubtype {subtype!r}") from None
    try:
        return CSL_TYPES[bibtype]
    except KeyError:
        raise BibTeXToCSLError(f"entry type @{entry.type} has no CSL mapping") from None


_BARE_PERCENT = re.compile(r"(?<!\\)%")
_COMMAND = re.compile(r"\\(?:[A-Za-z]+|.)")
_MARKUP = re.compile(r"<[A-Za-z/!?]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
NEEDS_DECODING = re.compile(r"[\\%~`$]|''|,,|--")
"""What the ``ulatex`` codec changes (besides whitespace): a value without any of it is its own Unicode.

The codec's lexer costs about a millisecond a field, most of a large
bibliography's conversion; a test holds this rule to the codec.
"""


def _ulatex(value: str) -> str:
    """LaTeX to Unicode through latexcodec's ``ulatex`` codec, exactly or not at all.

    What the codec would drop or keep as LaTeX is refused instead: a bare
    ``%`` (TeX would take the rest of the field for a comment), a command with
    no plain-text form (``\\textit``), markup (``<i>`` would be read as HTML by
    every CSL processor) and control characters. Whitespace, ``\\par``
    included, is one space, as BibTeX reads it: no field may carry a line
    break into a one-line format such as RIS.
    """
    if _BARE_PERCENT.search(value):
        raise BibTeXToCSLError(f"a bare % in {value!r} would end the field there: write \\% for a per cent sign")
    if _CONTROL.search(value):
        raise BibTeXToCSLError(f"a control character in {value!r}")
    decoded: str = (
        codecs.decode(value.replace("\\$", "$"), "ulatex")  # type: ignore[call-overload]
        if NEEDS_DECODING.search(value)
        else value
    )
    if command := _COMMAND.search(decoded):
        raise BibTeXToCSLError(f"the LaTeX command {command[0]!r} in {value!r} has no plain-text form here")
    if _MARKUP.search(decoded):
        raise BibTeXToCSLError(f"markup in {value!r}: refs.bib holds text, and {{braces}} keep its case")
    return " ".join(decoded.split())


def latex_to_text(value: str) -> str:
    """Plain Unicode text, braces and LaTeX escapes removed."""
    decoded = _ulatex(value)
    return decoded.replace("{", "").replace("}", "")


def latex_to_csl_rich_text(value: str) -> str:
    """CSL rich text: top-level braced groups become ``nocase`` spans.

    A CSL processor applies a style's case conversion (Chicago's headline
    style, for instance) except inside ``<span class="nocase">``, which is
    how CSL-JSON says what BibTeX says with braces. ``&`` and a ``<`` that
    opens no tag stay as they are: CSL processors read them as text (pandoc
    would print an entity such as ``&#38;`` as it stands), and no markup gets
    this far (:func:`_ulatex`).
    """
    decoded = _ulatex(value)
    out: list[str] = []
    depth = 0
    for char in decoded:
        if char == "{":
            if depth == 0:
                out.append('<span class="nocase">')
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0:
                raise BibTeXToCSLError(f"unbalanced braces in {value!r}")
            if depth == 0:
                out.append("</span>")
        else:
            out.append(char)
    if depth:
        raise BibTeXToCSLError(f"unbalanced braces in {value!r}")
    return "".join(out)


def strip_rich_text(value: str) -> str:
    """Plain text from CSL rich text."""
    return re.sub(r"</?span[^>]*>", "", value)


def csl_name(person: Person) -> dict[str, str]:
    """A CSL name: family and given parts, or a ``literal`` for a body.

    A corporate author is braced whole in BibTeX, so pybtex sees a single
    "last name" wrapped in braces; CSL keeps such a name whole as a literal.
    """
    last = person.last_names
    if (
        len(last) == 1
        and not person.first_names
        and not person.middle_names
        and last[0].startswith("{")
        and last[0].endswith("}")
    ):
        return {"literal": latex_to_text(last[0])}
    name: dict[str, str] = {"family": latex_to_text(" ".join(last))}
    given = " ".join(person.first_names + person.middle_names)
    if given:
        name["given"] = latex_to_text(given)
    if person.prelast_names:
        name["non-dropping-particle"] = latex_to_text(" ".join(person.prelast_names))
    if person.lineage_names:
        name["suffix"] = latex_to_text(" ".join(person.lineage_names))
    return name


def csl_date(value: str) -> dict[str, Any]:
    """CSL ``date-parts`` from an ISO 8601 date (year, year-month or full date).

    A trailing ``~`` (EDTF's mark for an approximate date, which biblatex
    reads too) becomes CSL's ``circa``: a date the source implies but does
    not print is recorded as such, not passed off as a fact.
    """
    match = _ISO_DATE.match(value.strip())
    if not match:
        raise BibTeXToCSLError(f"date {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD (optionally ending in ~)")
    *numbers, approximate = match.groups()
    parts = [int(p) for p in numbers if p is not None]
    try:  # a real day of the calendar: 2020-02-30 and 2020-13 are not
        dt.date(parts[0], *[*parts[1:], 1, 1][:2])
    except ValueError:
        raise BibTeXToCSLError(f"date {value!r} is not a day of the calendar") from None
    date: dict[str, Any] = {"date-parts": [parts]}
    if approximate:
        date["circa"] = True
    return date


def entry_to_csl(key: str, entry: Entry) -> dict[str, Any]:
    """One CSL-JSON item, its ``id`` the BibTeX key."""
    item: dict[str, Any] = {"id": key, "type": csl_type(entry)}
    for role, persons in entry.persons.items():
        variable = PERSON_ROLES.get(role.lower())
        if variable is None:
            raise BibTeXToCSLError(f"name field {role!r} has no CSL mapping")
        item[variable] = [csl_name(p) for p in persons]
    for field, raw in entry.fields.items():
        field = field.lower()
        if field in IGNORED_FIELDS:
            continue
        if field in DATE_FIELDS:
            item[DATE_FIELDS[field]] = csl_date(raw)
            continue
        variable = TEXT_FIELDS.get(field)
        if variable is None:
            raise BibTeXToCSLError(f"field {field!r} has no CSL mapping")
        if variable in item:
            raise BibTeXToCSLError(f"field {field!r} repeats CSL variable {variable!r}")
        if variable in VERBATIM:
            item[variable] = raw.strip()
        elif variable in RICH_TEXT:
            latex_to_csl_rich_text(raw)  # the braces must balance, as BibTeX needs them to
            item[variable] = latex_to_text(raw)
        else:
            item[variable] = latex_to_text(raw)
    if "issued" not in item and "year" in entry.fields:
        year = entry.fields["year"]
        item["issued"] = csl_date(year + ("-" + entry.fields["month"] if "month" in entry.fields else ""))
    if "title" not in item:
        raise BibTeXToCSLError("entry has no title")
    return item


def entries_to_csl(entries: Iterable[tuple[str, Entry]]) -> list[dict[str, Any]]:
    """CSL-JSON items for ``(key, entry)`` pairs, each error tagged with its key."""
    items = []
    for key, entry in entries:
        try:
            items.append(entry_to_csl(key, entry))
        except BibTeXToCSLError as exc:
            raise BibTeXToCSLError(f"{key}: {exc}") from None
    return items
