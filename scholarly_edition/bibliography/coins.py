"""COinS: an OpenURL ContextObject in a ``<span>`` on each bibliography entry.

With them, Zotero's COinS translator offers every work on the bibliography
page for saving at once. The ContextObject follows what Zotero itself
writes and reads (``Zotero.OpenURL``): the book format for books, chapters
and reports (``rft.genre`` = ``book``, ``bookitem``, ``report``), the journal
format for journal articles, and for everything else the Dublin Core
format with the Zotero item type in ``rft.type``, which Zotero reads back
as that type (``newspaperArticle``, ``webpage``, ``videoRecording`` …).

The key/value pairs are percent-encoded by :func:`urllib.parse.urlencode`;
:mod:`scholarly_edition.citing.coins` puts the spans on the bibliography.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlencode

from scholarly_edition.bibliography.bibtex_csl import strip_rich_text
from scholarly_edition.bibliography.csl import date_parts, direct, iso_date

ZOTERO_TYPES: Mapping[str, str] = {
    "article-journal": "journalArticle",
    "article-magazine": "magazineArticle",
    "article-newspaper": "newspaperArticle",
    "book": "book",
    "chapter": "bookSection",
    "document": "document",
    "motion_picture": "videoRecording",
    "report": "report",
    "webpage": "webpage",
}
"""CSL type to Zotero item type (Zotero's own CSL mapping, one way)."""

BOOK_GENRES = {"book": "book", "bookSection": "bookitem", "report": "report"}


def context_object(item: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The ContextObject's key/value pairs for one CSL item, in Zotero's order."""
    zotero_type = ZOTERO_TYPES[item["type"]]
    title = strip_rich_text(item["title"])
    container = strip_rich_text(item["container-title"]) if "container-title" in item else None
    pairs: list[tuple[str, str]] = [("url_ver", "Z39.88-2004"), ("ctx_ver", "Z39.88-2004")]
    if "DOI" in item:
        pairs.append(("rft_id", f"info:doi/{item['DOI']}"))
    if "URL" in item:
        pairs.append(("rft_id", item["URL"]))
    if zotero_type == "journalArticle":
        pairs += [("rft_val_fmt", "info:ofi/fmt:kev:mtx:journal"), ("rft.genre", "article"), ("rft.atitle", title)]
        if container:
            pairs.append(("rft.jtitle", container))
    elif zotero_type in BOOK_GENRES:
        pairs += [("rft_val_fmt", "info:ofi/fmt:kev:mtx:book"), ("rft.genre", BOOK_GENRES[zotero_type])]
        if zotero_type == "bookSection":
            pairs.append(("rft.atitle", title))
            if container:
                pairs.append(("rft.btitle", container))
        else:
            pairs.append(("rft.btitle", title))
        if "publisher-place" in item:
            pairs.append(("rft.place", item["publisher-place"]))
        if "publisher" in item:
            pairs.append(("rft.publisher", item["publisher"]))
        if "edition" in item:
            pairs.append(("rft.edition", str(item["edition"])))
    else:
        pairs += [("rft_val_fmt", "info:ofi/fmt:kev:mtx:dc"), ("rft.type", zotero_type), ("rft.title", title)]
        if container:
            pairs.append(("rft.source", container))
        if "publisher" in item:
            pairs.append(("rft.publisher", item["publisher"]))
        if "URL" in item:
            pairs.append(("rft.identifier", item["URL"]))
    authors = item.get("author", [])
    if authors:
        # Zotero's OpenURL reader keeps an rft.aucorp and an rft.au of the same body as two creators
        # (zotero/utilities openurl.js, the merge of complexAu): a body is named once, as aucorp
        first = authors[0]
        if "literal" in first:
            pairs.append(("rft.aucorp", first["literal"]))
        else:
            if first.get("given"):
                pairs.append(("rft.aufirst", first["given"]))
            pairs.append(("rft.aulast", first["family"]))
        pairs += [("rft.aucorp", name["literal"]) for name in authors[1:] if "literal" in name]
        pairs += [("rft.au", direct(name)) for name in authors if "literal" not in name]
    date = iso_date(date_parts(item))
    if date:
        pairs.append(("rft.date", date))
    if "language" in item:
        pairs.append(("rft.language", item["language"]))
    return pairs


def kev(item: Mapping[str, Any]) -> str:
    """The ContextObject as a KEV string, the ``title`` of a COinS span."""
    return urlencode(context_object(item), quote_via=quote)
