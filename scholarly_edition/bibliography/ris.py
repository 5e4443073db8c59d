"""CSL-JSON to RIS, the format EndNote, Mendeley and Zotero all import.

Pure functions. ``rispy`` writes the file (tags, order, ``ER`` lines); this
module only decides which RIS tag carries which CSL variable, following the
RIS specification and what the two readers most used read back, Zotero's
RIS translator (zotero/translators, ``RIS.js``) and citation-js
(``@citation-js/plugin-ris``): ``AU`` for authors (``Family, Given``, or a
body's name whole), ``A2`` for editors, ``T2`` for the container,
``DA``/``PY`` for dates, ``Y2`` for the access date, ``UR`` for the URL.

Where the two disagree, the tag both read is chosen:

- a newspaper article (``NEWS``) names its authors in ``A1`` and its date in
  ``Y1``: citation-js reads ``AU`` there as the CSL ``reporter`` and takes
  only the year from ``PY`` (and nothing from ``DA``), while Zotero reads
  ``A1`` as the author and ``Y1`` as the date, as it does ``AU`` and ``DA``;
- a web page (``ELEC``) has its access date in ``M1``: citation-js reads
  ``M1`` as the access date of an ``ELEC`` and ignores its ``Y2``; Zotero
  reads ``M1`` as a web page's access date;
- an original date goes in ``M2`` as ``Original Date: YYYY-MM-DD``, which
  Zotero keeps in Extra (and its citation processor reads from there);
  ``OP``, RIS's "original publication", is dropped by Zotero and read as an
  original *title* by citation-js.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import rispy

from scholarly_edition.bibliography.bibtex_csl import strip_rich_text
from scholarly_edition.bibliography.csl import inverted, iso_date, padded
from scholarly_edition.problems import DataError, Problem

RIS_TYPES: Mapping[str, str] = {
    "article-journal": "JOUR",
    "article-magazine": "MGZN",
    "article-newspaper": "NEWS",
    "book": "BOOK",
    "chapter": "CHAP",
    "document": "GEN",
    "motion_picture": "VIDEO",
    "report": "RPRT",
    "webpage": "ELEC",
}
"""CSL type to RIS reference type."""

_TEXT: Mapping[str, str] = {
    "container-title": "secondary_title",
    "publisher": "publisher",
    "publisher-place": "place_published",
    "volume": "volume",
    "issue": "number",
    "edition": "edition",
    "language": "language",
    "DOI": "doi",
    "genre": "type_of_work",
    "title-short": "short_title",
}
"""CSL variable to rispy key, for text copied as it is (rich text made plain)."""


_OWN = frozenset(
    {"id", "type", "author", "editor", "title", "issued", "accessed", "URL", "page", "note", "original-date"}
)
"""Variables mapped one by one in :func:`item_to_ris`."""


_NEW_TAGS = frozenset({"title-short", "language", "edition", "DOI"})
"""Variables whose tags (``ST``, ``LA``, ``ET``, ``DO``) only the 2011 RIS specification has.

An old-style record leaves them out; citation-js would read the record by
the new specification, and lose a newspaper article's authors and day."""


class RISError(DataError):
    """A CSL item that RIS cannot carry without loss."""

    problem = Problem.EXPORT


ris_name = inverted
"""``Family, Given`` for a person; a body's name is kept whole."""


def ris_date(date: Mapping[str, Any]) -> tuple[str, str]:
    """``(DA, PY)``: ``YYYY/MM/DD/`` as the RIS specification writes it, and the year."""
    parts = padded([int(p) for p in date["date-parts"][0]])
    parts += [""] * (3 - len(parts))
    return "/".join(parts) + "/", parts[0]


def item_to_ris(item: Mapping[str, Any]) -> dict[str, Any]:
    """One rispy entry for one CSL item.

    No ``ID`` (the BibTeX key): Zotero ignores it, and citation-js takes it,
    a tag of the old RIS specification, as the sign of an old-style record,
    whose web pages then have no access date.
    """
    try:
        kind = RIS_TYPES[item["type"]]
    except KeyError:
        raise RISError(f"{item['id']}: CSL type {item['type']!r} has no RIS type here") from None
    unmapped = sorted(set(item) - _OWN - set(_TEXT))
    if unmapped:
        raise RISError(f"{item['id']}: no RIS tag for {', '.join(unmapped)}")
    entry: dict[str, Any] = {"type_of_reference": kind}
    old_style = kind == "NEWS"  # only tags of the old specification: see the module's docstring
    if item.get("author"):
        entry["first_authors" if old_style else "authors"] = [ris_name(n) for n in item["author"]]
    if item.get("editor"):
        entry["secondary_authors"] = [ris_name(n) for n in item["editor"]]
    entry["primary_title" if old_style else "title"] = strip_rich_text(item["title"])
    for variable, key in _TEXT.items():
        if old_style and variable in _NEW_TAGS:
            continue
        if variable in item:
            entry[key] = strip_rich_text(str(item[variable]))
    if kind == "VIDEO" and "secondary_title" in entry and "publisher" not in entry:
        # the platform a video is posted on: Zotero reads a video's PB as its studio (RIS.js:388-400) and
        # citation-js as its publisher; a video's T2 neither reads as the place it was published
        entry["publisher"] = entry.pop("secondary_title")
    if "issued" in item:
        if old_style:
            entry["publication_year"] = ris_date(item["issued"])[0]
        else:
            entry["date"], entry["year"] = ris_date(item["issued"])
    if "accessed" in item:
        entry["note" if kind == "ELEC" else "access_date"] = ris_date(item["accessed"])[0]
    if "original-date" in item:
        entry["extra"] = "Original Date: " + iso_date([int(p) for p in item["original-date"]["date-parts"][0]])
    if "URL" in item:
        entry["urls"] = [item["URL"]]
    if "page" in item:
        first, _, last = str(item["page"]).partition("–")
        entry["start_page"] = first.strip()
        if last:
            entry["end_page"] = last.strip()
    if "note" in item:
        entry["notes"] = [item["note"]]
    return {key: _one_line(item["id"], key, value) for key, value in entry.items()}


def _one_line(ident: str, key: str, value: Any) -> Any:
    """A value as RIS can carry it: a record is lines, so a line break in a value would forge a tag."""
    if isinstance(value, list):
        return [_one_line(ident, key, v) for v in value]
    if any(char in value for char in "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"):
        raise RISError(f"{ident}: {key} has a line break, which RIS cannot carry")
    return value


MAPPING: Mapping[str, str] = {**rispy.TAG_KEY_MAPPING, "M2": "extra"}
"""rispy's tags, with ``M2`` (which rispy does not name) as ``extra``."""


class RisWriter(rispy.RisWriter):
    """rispy's writer without its ``1.``, ``2.`` … lines, which are not RIS.

    The RIS specification has a record begin at ``TY`` and end at ``ER``;
    rispy's numbered headers are its own convention, and ``set_header`` is
    the hook rispy documents for leaving them out.
    """

    def set_header(self, count: int) -> str:
        return ""


def dumps(items: Iterable[Mapping[str, Any]]) -> str:
    """The RIS text of ``items``, in order."""
    return rispy.dumps([item_to_ris(item) for item in items], implementation=RisWriter, mapping=dict(MAPPING))
