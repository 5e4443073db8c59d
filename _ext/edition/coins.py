"""COinS: an OpenURL ContextObject in a ``<span>`` on each bibliography entry.

With them, Zotero's COinS translator offers every work on the bibliography
page for saving at once. The ContextObject follows what Zotero itself
writes and reads (``Zotero.OpenURL``): the book format for books, chapters
and reports (``rft.genre`` = ``book``, ``bookitem``, ``report``), the journal
format for journal articles, and for everything else the Dublin Core
format with the Zotero item type in ``rft.type``, which Zotero reads back
as that type (``newspaperArticle``, ``webpage``, ``videoRecording`` …).

The key/value pairs are percent-encoded by :func:`urllib.parse.urlencode`.
The spans are added to the bibliography list that :mod:`edition.notes` builds,
after it is filled, and only in the HTML.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlencode

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxTranslator

from .bibtex_csl import strip_rich_text

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


def _date(item: Mapping[str, Any]) -> str | None:
    parts = item.get("issued", {}).get("date-parts", [[]])[0]
    if not parts:
        return None
    return "-".join([f"{int(parts[0]):04d}", *(f"{int(p):02d}" for p in parts[1:])])


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
        first = authors[0]
        if "literal" in first:
            pairs.append(("rft.aucorp", first["literal"]))
        else:
            if first.get("given"):
                pairs.append(("rft.aufirst", first["given"]))
            pairs.append(("rft.aulast", first["family"]))
        for name in authors:
            whole = name.get("literal") or " ".join(p for p in (name.get("given"), name["family"]) if p)
            pairs.append(("rft.au", whole))
    date = _date(item)
    if date:
        pairs.append(("rft.date", date))
    if "language" in item:
        pairs.append(("rft.language", item["language"]))
    return pairs


def kev(item: Mapping[str, Any]) -> str:
    """The ContextObject as a KEV string, the ``title`` of a COinS span."""
    return urlencode(context_object(item), quote_via=quote)


class coins_span(nodes.Inline, nodes.Element):
    """An empty ``<span class="Z3988">`` carrying one work's ContextObject."""


def add_spans(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Give each filled bibliography entry (``id="work-KEY"``) its COinS span."""
    from .notes import csl_items

    if not app.config.edition_essay_doc:  # citing is off (see edition.citing.enabled)
        return
    by_key = None
    for entry in doctree.findall(nodes.list_item):
        if "csl-entry" not in entry["classes"]:
            continue
        keys = [i.removeprefix("work-") for i in entry["ids"] if i.startswith("work-")]
        if not keys:
            continue
        if by_key is None:
            by_key = {item["id"]: item for item in csl_items(app.env)}
        target = entry.children[0] if entry.children and isinstance(entry.children[0], nodes.paragraph) else entry
        target += coins_span(title=kev(by_key[keys[0]]))


def visit_html(self: SphinxTranslator, node: coins_span) -> None:
    if self.builder.name == "html":
        self.body.append(self.starttag(node, "span", "", CLASS="Z3988", title=node["title"]) + "</span>")
    raise nodes.SkipNode


def visit_skip(self: SphinxTranslator, node: nodes.Node) -> None:
    raise nodes.SkipNode


def setup(app: Sphinx) -> None:
    app.add_node(coins_span, html=(visit_html, None), latex=(visit_skip, None), text=(visit_skip, None))
    app.connect("doctree-resolved", add_spans, priority=600)
