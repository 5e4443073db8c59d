"""What each HTML page loads and how it describes itself: assets, meta description, favicon."""

from __future__ import annotations

import pytest
from lxml import etree
from lxml import html as lxml_html

from edition import assets, descriptions

CODE_ONLY = ("copybutton.js", "clipboard.min.js", "copybutton.css", "pygments.css")


def _head(path) -> lxml_html.HtmlElement:
    return lxml_html.fromstring(path.read_bytes()).find("head")


def _loaded(path) -> list[str]:
    head = lxml_html.fromstring(path.read_bytes())
    return head.xpath("//link[@rel='stylesheet']/@href | //script/@src")


@pytest.mark.sphinx("html", testroot="assets")
def test_code_assets_only_on_pages_with_code(app, warning) -> None:
    app.build()
    assert not warning.getvalue()
    code, prose = _loaded(app.outdir / "code.html"), _loaded(app.outdir / "prose.html")
    for name in CODE_ONLY:
        assert any(name in url for url in code), (name, code)
        assert not any(name in url for url in prose), (name, prose)
    # what every page needs stays
    assert any("doctools.js" in url for url in prose)
    assert 'class="copybtn' not in (app.outdir / "prose.html").read_text("utf-8")


@pytest.mark.sphinx("html", testroot="assets")
def test_every_page_has_one_meta_description(app, warning) -> None:
    app.build()
    assert not warning.getvalue()
    found = {}
    for page in ("index", "code", "prose", "described", "genindex", "search"):
        metas = _head(app.outdir / f"{page}.html").xpath("meta[@name='description']/@content")
        assert len(metas) == 1, (page, metas)
        assert metas[0].strip(), page
        found[page] = metas[0]
    assert found["described"] == "A description the page gives itself."
    assert found["prose"].startswith("The first paragraph of this page says what the page is about")
    assert found["prose"].endswith("…") and len(found["prose"]) <= descriptions.MAX_LENGTH
    assert found["genindex"] == "Index of A Test Edition"
    assert found["search"] == "Search A Test Edition"


def test_shorten_cuts_at_a_word() -> None:
    assert descriptions.shorten("short") == "short"
    assert descriptions.shorten("one two three four", 12) == "one two…"


def test_code_marker_is_what_sphinx_writes() -> None:
    from sphinx.highlighting import PygmentsBridge

    html = PygmentsBridge("html").highlight_block("x = 1", "python")
    assert html.startswith(assets.CODE_MARKER)


@pytest.mark.slow
def test_edition_pages_have_a_real_favicon(edition) -> None:
    for page in ("index.html", "essay.html", "search.html"):
        icons = _head(edition.html / page).xpath("link[contains(concat(' ', @rel, ' '), ' icon ')]/@href")
        assert len(icons) == 1, page
        icon = edition.html / icons[0].split("?")[0]
        assert icon.is_file(), icon
        svg = etree.fromstring(icon.read_bytes())
        assert svg.tag == "{http://www.w3.org/2000/svg}svg"
        assert svg.get("viewBox") == "0 0 32 32"
