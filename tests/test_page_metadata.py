"""Embedded metadata and COinS on a small test root, read back as a client would."""

from __future__ import annotations

import json
from urllib.parse import parse_qsl, urlsplit

import pytest
from lxml import html as lxml_html

from scholarly_edition.bibliography import metatags

BASE = "https://edition.example.org/en/latest/"


def _head(app, page: str = "essay.html"):
    return lxml_html.fromstring((app.outdir / page).read_bytes()).xpath("//head")[0]


def _meta(head, name: str) -> list[str]:
    return head.xpath(f"meta[@name='{name}']/@content")


def _json_ld(head) -> dict:
    (script,) = head.xpath("script[@type='application/ld+json']")
    return json.loads(script.text)


@pytest.mark.sphinx("html", testroot="citing", confoverrides={"html_baseurl": BASE})
def test_highwire_tags_for_google_scholar_and_zotero(app, warning) -> None:
    app.build()
    assert not warning.getvalue()
    head = _head(app)
    assert _meta(head, "citation_title") == ["Moscow Notes: An Essay"]
    assert _meta(head, "citation_author") == ["Example, Ann"]
    assert _meta(head, "citation_publication_date") == ["2024/03/05"]
    (pdf,) = _meta(head, "citation_pdf_url")
    (canonical,) = head.xpath("link[@rel='canonical']/@href")
    assert urlsplit(pdf).netloc == urlsplit(canonical).netloc == "edition.example.org"
    assert pdf == BASE + "edition.pdf"  # the default edition_download_stem
    references = _meta(head, "citation_reference")
    assert len(references) == 3
    assert any("citation_title=A book about Moscow; citation_author=Smith, Jane" in r for r in references)


@pytest.mark.sphinx("html", testroot="citing", confoverrides={"html_baseurl": BASE})
def test_zotero_is_told_the_item_type(app, warning) -> None:
    app.build()
    head = _head(app)
    # Zotero's Embedded Metadata translator takes og:type before DC.type, and
    # both before its "journal article" guess from a bare citation_title.
    assert head.xpath("meta[@property='og:type']/@content") == ["book"]
    assert _meta(head, "DC.type") == ["book"]
    assert head.xpath("link[@rel='schema.DC']/@href") == ["http://purl.org/dc/elements/1.1/"]
    assert _meta(head, "DC.title") == ["Moscow Notes: An Essay"]
    assert _meta(head, "DC.creator") == ["Example, Ann"]
    assert head.xpath("meta[@property='og:url']/@content") == [BASE + "essay.html"]
    # other pages stay what sphinxext-opengraph says they are
    assert _head(app, "index.html").xpath("meta[@property='og:type']/@content") == ["website"]


@pytest.mark.sphinx("html", testroot="citing", confoverrides={"html_baseurl": BASE})
def test_csl_json_alternate_and_json_ld(app, warning) -> None:
    app.build()
    head = _head(app)
    (alternate,) = head.xpath("link[@rel='alternate' and @type='application/vnd.citationstyles.csl+json']")
    assert alternate.get("href") == "essay.json" and (app.outdir / "essay.json").exists()
    data = _json_ld(head)
    assert data["@type"] == "Book" and data["headline"] == "Moscow Notes: An Essay"
    assert data["url"] == BASE + "essay.html"
    assert [c["name"] for c in data["citation"]] == [
        "A book about Moscow",
        "Report on things",
        "Three < four & Moscow",
    ]
    assert data["citation"][2]["@type"] == "NewsArticle"


def test_json_ld_cannot_close_its_script_element() -> None:
    text = metatags.json_ld_html({"name": "Closing </script> <!-- tags & </SCRIPT"})
    body = text.removeprefix('<script type="application/ld+json">').removesuffix("</script>\n")
    assert "<" not in body and ">" not in body and "&" not in body
    assert json.loads(body)["name"] == "Closing </script> <!-- tags & </SCRIPT"


@pytest.mark.sphinx("html", testroot="citing")
def test_json_ld_on_the_page_escapes_what_refs_bib_says(app, warning) -> None:
    app.build()
    page = (app.outdir / "essay.html").read_text("utf-8")
    start = page.index('<script type="application/ld+json">')
    body = page[start : page.index("</script>", start)]
    assert "Three \\u003c four \\u0026 Moscow" in body


@pytest.mark.sphinx("html", testroot="citing")
def test_without_a_base_url_no_absolute_url_of_the_edition_is_printed(app, warning) -> None:
    app.build()
    head = _head(app)
    assert not _meta(head, "citation_pdf_url") and not _meta(head, "citation_public_url")
    assert not head.xpath("link[@rel='canonical']")
    assert not head.xpath("meta[@property='og:url']"), "Open Graph wants an absolute URL: none is given"
    data = _json_ld(head)
    assert "url" not in data and "encoding" not in data
    assert _meta(head, "DC.identifier") == [], "the test root has no identifier of its own"
    assert head.xpath("link[@rel='alternate']/@href") == ["essay.json"]


@pytest.mark.sphinx("html", testroot="citing")
def test_each_bibliography_entry_carries_coins_that_zotero_reads(app, warning) -> None:
    app.build()
    root = lxml_html.fromstring((app.outdir / "bibliography.html").read_bytes())
    entries = root.xpath("//li[contains(@class, 'csl-entry')]")
    assert len(entries) == 3
    found = {}
    for entry in entries:
        (span,) = entry.xpath(".//span[@class='Z3988']")
        assert span.text is None
        found[entry.get("id")] = parse_qsl(span.get("title"))
    book = dict(found["work-smith2000"])
    assert book["rft_val_fmt"] == "info:ofi/fmt:kev:mtx:book" and book["rft.genre"] == "book"
    assert book["rft.btitle"] == "A book about Moscow" and book["rft.aulast"] == "Smith"
    assert book["rft.place"] == "London" and book["rft.date"] == "2000"
    online = dict(found["work-body2010"])
    assert online["rft_val_fmt"] == "info:ofi/fmt:kev:mtx:dc" and online["rft.type"] == "webpage"
    assert online["rft.aucorp"] == "Institute of Examples"
    # named once: Zotero's OpenURL reader would keep an aucorp and an au of one body as two creators
    pairs = [v for k, v in found["work-body2010"] if k.startswith("rft.au")]
    assert pairs == ["Institute of Examples"]
    assert online["rft.identifier"] == "https://example.org/report?a=1&b=2"
    news = dict(found["work-tricky2021"])
    assert news["rft.type"] == "newspaperArticle" and news["rft.source"] == "The Daily Example"
    assert news["rft.title"] == "Three < four & Moscow"


def test_meta_values_are_escaped() -> None:
    markup = metatags.meta_html([("citation_title", 'A "quoted" <b>title</b> & more')])
    root = lxml_html.fromstring(f"<html><head>{markup}</head></html>")
    assert root.xpath("//meta/@content") == ['A "quoted" <b>title</b> & more']
    assert "<b>" not in markup


@pytest.mark.sphinx("html", testroot="citing", srcdir="citing-uncited")
def test_embedded_metadata_lists_only_the_works_the_essay_cites(app, warning) -> None:
    text = (app.srcdir / "essay.md").read_text("utf-8")
    (app.srcdir / "essay.md").write_text(text.replace("{note}`tricky2021`", ""), "utf-8")
    app.build()
    head = _head(app)
    assert len(_meta(head, "citation_reference")) == 2
    assert [c["name"] for c in _json_ld(head)["citation"]] == ["A book about Moscow", "Report on things"]
