"""Embedded metadata for the essay page, as pure functions of CSL-JSON.

What reference managers and indexers read from a page's ``<head>``:

- Highwire Press ``citation_*`` tags (Google Scholar, Zotero's Embedded
  Metadata translator), with one ``citation_reference`` per cited work;
- Dublin Core ``DC.*`` tags;
- a schema.org ``ScholarlyArticle`` in JSON-LD, with a ``citation`` per work.

Zotero picks the item type from the first of these it finds: a Zotero,
bibo or PRISM type, then ``og:type``, then ``DC.type``, and only then
guesses "journal article" from a bare ``citation_title`` (see its
Embedded Metadata and RDF translators). The essay in this edition is a
standalone edition of a republished essay, a book in Zotero's and CSL's
terms, so the page says ``og:type`` = ``book`` and ``DC.type`` = ``book``.

Every value is escaped for the attribute it goes in, and the JSON-LD is
escaped so that no value can close its ``<script>`` element.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from scholarly_edition.bibliography.bibtex_csl import strip_rich_text
from scholarly_edition.bibliography.csl import date_parts, direct, inverted, iso_date, padded

Tag = tuple[str, str]
"""``(name, content)`` of one ``<meta>``."""

ZOTERO_TYPE = "book"
"""The essay's item type for Zotero: the CSL type of this edition's record."""
ZOTERO_SCHEMA_TYPE = "Book"
"""The same type in schema.org's words."""

SCHEMA_TYPES: Mapping[str, str] = {
    "article-journal": "ScholarlyArticle",
    "article-magazine": "Article",
    "article-newspaper": "NewsArticle",
    "book": "Book",
    "chapter": "Chapter",
    "document": "CreativeWork",
    "motion_picture": "VideoObject",
    "report": "Report",
    "webpage": "WebPage",
}
"""CSL type to schema.org type, for the cited works."""

CONTAINER_TAGS: Mapping[str, str] = {
    "article-journal": "citation_journal_title",
    "article-magazine": "citation_journal_title",
    "article-newspaper": "citation_journal_title",
    "chapter": "citation_book_title",
}
"""Which Highwire tag names a work's container (a periodical or a book)."""


def plain_title(item: Mapping[str, Any]) -> str:
    return strip_rich_text(item["title"])


person_text = inverted
"""``Family, Given`` for a person, the whole name for a body."""


def highwire_date(parts: Sequence[int]) -> str:
    """``YYYY/MM/DD`` (or shorter), the form Google Scholar asks for."""
    return "/".join(padded(parts))


def reference_content(item: Mapping[str, Any]) -> str:
    """One ``citation_reference``: ``key=value`` pairs joined by ``; ``.

    The format has no escape for ``;``, so a ``;`` inside a value is written
    as ``,`` (none of this edition's titles has one).
    """
    pairs: list[tuple[str, str]] = [("citation_title", plain_title(item))]
    pairs += [("citation_author", person_text(n)) for n in item.get("author", [])]
    if "issued" in item:
        pairs.append(("citation_publication_date", highwire_date(date_parts(item))))
    container = CONTAINER_TAGS.get(item["type"])
    if container and "container-title" in item:
        pairs.append((container, strip_rich_text(item["container-title"])))
    if item["type"] == "report" and "publisher" in item:
        pairs.append(("citation_technical_report_institution", item["publisher"]))
    elif "publisher" in item:
        pairs.append(("citation_publisher", item["publisher"]))
    if "URL" in item:
        pairs.append(("citation_public_url", item["URL"]))
    return "; ".join(f"{k}={v.replace(';', ',')}" for k, v in pairs)


def highwire(
    title: str,
    essay: Mapping[str, Any],
    references: Iterable[Mapping[str, Any]],
    *,
    html_url: str | None,
    pdf_url: str | None,
) -> list[Tag]:
    """Highwire Press tags for the essay; URLs only when they are absolute."""
    authors = [("citation_author", person_text(n)) for n in essay.get("author", [])]
    optional = [
        ("citation_publication_date", highwire_date(date_parts(essay))),
        ("citation_language", essay.get("language")),
        ("citation_public_url", html_url),
        ("citation_pdf_url", pdf_url),
    ]
    cited = [("citation_reference", reference_content(item)) for item in references]
    return [("citation_title", title), *authors, *_given(optional), *cited]


def edition_statement(essay: Mapping[str, Any], abstract: str | None) -> list[Tag]:
    """What Zotero's Embedded Metadata reads for a book's edition and abstract.

    No Highwire tag carries an edition; PRISM's ``prism.edition`` does (RDF.js).
    ``citation_abstract`` comes first among the abstracts it reads, before the
    page's ``og:description``, which describes the page, not the essay.
    """
    return _given([("prism.edition", essay.get("edition")), ("citation_abstract", abstract)])


def dublin_core(title: str, essay: Mapping[str, Any], identifier: str | None, *, html_url: str | None) -> list[Tag]:
    """Dublin Core tags for the essay (``DC.type`` tells Zotero the item type)."""
    creators = [("DC.creator", person_text(n)) for n in essay.get("author", [])]
    optional = [
        ("DC.date", iso_date(date_parts(essay))),
        ("DC.type", ZOTERO_TYPE),
        ("DC.format", "text/html"),
        ("DC.language", essay.get("language")),
        ("DC.identifier", identifier),
        ("DC.identifier", html_url),
    ]
    return [("DC.title", title), *creators, *_given(optional)]


def _given(pairs: Iterable[tuple[str, str | None]]) -> list[Tag]:
    """The tags that have a value."""
    return [(name, value) for name, value in pairs if value]


def meta_html(tags: Iterable[Tag]) -> str:
    """``<meta name=… content=…>`` lines, every value attribute-escaped."""
    return "".join(
        f'<meta name="{html.escape(name, quote=True)}" content="{html.escape(content, quote=True)}">\n'
        for name, content in tags
    )


def link_html(rel: str, href: str, media_type: str | None = None, title: str | None = None) -> str:
    attributes = [("rel", rel), ("href", href)]
    if media_type:
        attributes.append(("type", media_type))
    if title:
        attributes.append(("title", title))
    return "<link " + " ".join(f'{k}="{html.escape(v, quote=True)}"' for k, v in attributes) + ">\n"


def _agent(name: Mapping[str, str]) -> dict[str, str]:
    if "literal" in name:
        return {"@type": "Organization", "name": name["literal"]}
    agent = {"@type": "Person", "familyName": name["family"], "name": direct(name)}
    if name.get("given"):
        agent["givenName"] = name["given"]
    return agent


def schema_work(item: Mapping[str, Any]) -> dict[str, Any]:
    """A cited work as a schema.org ``CreativeWork`` of the matching type."""
    work: dict[str, Any] = {"@type": SCHEMA_TYPES.get(item["type"], "CreativeWork"), "name": plain_title(item)}
    if item.get("author"):
        work["author"] = [_agent(n) for n in item["author"]]
    if item.get("editor"):
        work["editor"] = [_agent(n) for n in item["editor"]]
    if "issued" in item:
        work["datePublished"] = iso_date(date_parts(item))
    if "container-title" in item:
        work["isPartOf"] = {"@type": "CreativeWork", "name": strip_rich_text(item["container-title"])}
    if "publisher" in item:
        work["publisher"] = {"@type": "Organization", "name": item["publisher"]}
    if "URL" in item:
        work["url"] = item["URL"]
    return work


def json_ld(
    title: str,
    essay: Mapping[str, Any],
    original: Mapping[str, Any],
    references: Iterable[Mapping[str, Any]],
    identifier: str | None,
    *,
    html_url: str | None,
    encodings: Iterable[tuple[str, str | None]],
) -> dict[str, Any]:
    """The essay as a schema.org ``Book`` (this edition: the type every other channel gives it) citing every work."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": ZOTERO_SCHEMA_TYPE,
        "headline": title,
        "name": title,
        "author": [_agent(n) for n in essay.get("author", [])],
        "datePublished": iso_date(date_parts(essay)),
        "inLanguage": essay.get("language"),
    }
    if identifier:
        data["identifier"] = identifier
    if "edition" in essay:
        data["bookEdition"] = essay["edition"]
    if html_url:
        data["url"] = html_url
    media = [{"@type": "MediaObject", "encodingFormat": fmt, "contentUrl": url} for fmt, url in encodings if url]
    if media:
        data["encoding"] = media
    based_on: dict[str, Any] = {"@type": "WebPage", "name": title, "author": data["author"]}
    if original_date := date_parts(original):
        based_on["datePublished"] = iso_date(original_date)
    if "note" in original:
        based_on["description"] = original["note"]
    data["isBasedOn"] = based_on
    data["citation"] = [schema_work(item) for item in references]
    return data


def json_ld_html(data: Mapping[str, Any]) -> str:
    """``<script type="application/ld+json">`` whose content cannot end the element.

    ``<``, ``>`` and ``&`` are written as JSON ``\\u`` escapes, which JSON
    parsers read back as the same characters: no ``</script>`` or
    ``<!--`` can appear in the element, whatever a title contains.
    """
    text = json.dumps(data, ensure_ascii=False, indent=1)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/ld+json">\n{text}\n</script>\n'
