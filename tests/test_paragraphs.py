"""Paragraph numbers on a small test root: which paragraphs, which ids, every writer."""

from __future__ import annotations

import re

import pytest
from lxml import html as lxml_html


@pytest.mark.sphinx("html", testroot="citing")
def test_body_paragraphs_are_numbered_in_order_and_nothing_else(app, warning) -> None:
    app.build()
    assert not warning.getvalue()
    root = lxml_html.fromstring((app.outdir / "essay.html").read_bytes())
    numbered = root.xpath("//p[contains(@class, 'numbered-paragraph')]")
    assert [p.get("id") for p in numbered] == ["p-1", "p-2", "p-3"]
    texts = [" ".join(p.xpath("string(.)").split()) for p in numbered]
    # the number is drawn by the stylesheet: the paragraph's text is the author's words alone
    assert texts[0].startswith("First paragraph of the essay.")
    (link,) = numbered[0].xpath(".//a[contains(@class, 'paragraph-number')]")
    assert (link.get("data-number"), link.get("aria-label"), link.text_content()) == ("1", "Paragraph 1", "")
    assert "Second paragraph" in texts[1] and "Third paragraph" in texts[2]
    # byline, dateline, caption, editorial remark and biographical note carry no number
    for skipped in ("Ann Example", "Posted: Mar 3", "A caption", "An editor", "writes about Moscow"):
        (para,) = [p for p in root.xpath("//p") if skipped in p.text_content()][:1]
        assert not para.xpath(".//*[contains(@class, 'paragraph-marker')]"), skipped
    from scholarly_edition.text.domain import text_domain

    assert text_domain(app.env).paragraph_count("essay") == 3


@pytest.mark.sphinx("html", testroot="citing")
def test_each_number_is_a_permalink_with_a_citation_button(app, warning) -> None:
    app.build()
    root = lxml_html.fromstring((app.outdir / "essay.html").read_bytes())
    for number in (1, 2, 3):
        (link,) = root.xpath(f"//p[@id='p-{number}']//a[contains(@class, 'paragraph-number')]")
        assert link.get("href") == f"#p-{number}"
        (button,) = root.xpath(f"//p[@id='p-{number}']//button[contains(@class, 'cite-paragraph')]")
        assert button.get("type") == "button" and button.get("hidden") is not None
        assert (button.get("data-label"), button.text_content()) == ("cite", "")
        assert not any(name.startswith("on") for name in button.attrib), "no inline handlers (CSP)"
        assert button.get("data-citation").endswith(f"para. {number}.")
        assert "<em>Moscow Notes: An Essay</em>" in button.get("data-citation-html")
        # no base URL: the build prints none; the script adds the page's own address
        assert button.get("data-permalink") == f"#p-{number}"
        assert "http" not in button.get("data-citation")
    html = (app.outdir / "essay.html").read_text("utf-8")
    assert "_static/edition-cite.js" in html


@pytest.mark.sphinx("html", testroot="citing", confoverrides={"html_baseurl": "https://edition.example.org/x/"})
def test_with_a_base_url_the_citation_names_the_permalink(app, warning) -> None:
    app.build()
    root = lxml_html.fromstring((app.outdir / "essay.html").read_bytes())
    (button,) = root.xpath("//p[@id='p-2']//button")
    assert button.get("data-citation").endswith("para. 2, https://edition.example.org/x/essay.html#p-2.")
    assert button.get("data-permalink") is None


@pytest.mark.sphinx("latex", testroot="citing")
def test_latex_has_the_same_numbers_as_margin_notes_and_pdf_destinations(app, warning) -> None:
    app.build()
    assert not warning.getvalue()
    tex = (app.outdir / "edition.tex").read_text("utf-8")
    for number in (1, 2, 3):
        assert rf"\hypertarget{{p-{number}}}{{}}" in tex
        assert rf"\EditionParagraphNumber{{{number}}}" in tex
    # the number stands in the margin, with its pilcrow
    design = (app.outdir / "editiondesign.sty").read_text("utf-8")
    assert re.search(r"\\newcommand\{\\EditionParagraphNumber\}\[1\]\{%\s*\\marginpar\{[^\n]*\\P\\,#1", design)
    assert r"\hypertarget{p-4}" not in tex


@pytest.mark.sphinx("html", testroot="notes")
def test_a_project_without_an_essay_doc_numbers_nothing(app, warning) -> None:
    app.build()
    assert not warning.getvalue()
    assert "paragraph-marker" not in (app.outdir / "index.html").read_text("utf-8")
    assert not (app.outdir / "essay.json").exists()
