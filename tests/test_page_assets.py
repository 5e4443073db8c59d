"""What each HTML page loads and how it describes itself: assets, meta description, favicon."""

from __future__ import annotations

import re

import pytest
from lxml import etree
from lxml import html as lxml_html

from scholarly_edition.formats import assets, bundles, descriptions

CODE_ONLY = ("copybutton.js", "clipboard.min.js", "copybutton.css", "pygments.css")
BUNDLED = re.compile("^" + re.escape(bundles.HEADER).replace(r"\{name\}", r"(\S+)") + "$", re.M)


def _head(path) -> lxml_html.HtmlElement:
    return lxml_html.fromstring(path.read_bytes()).find("head")


def _stylesheets(path) -> list[str]:
    """The stylesheets a page links, each bundle opened up into the files it holds."""
    found = []
    for href in lxml_html.fromstring(path.read_bytes()).xpath("//link[@rel='stylesheet']/@href"):
        href = href.split("?", 1)[0]
        if href.startswith(bundles.PREFIX):
            found += BUNDLED.findall((path.parent / href).read_text("utf-8"))
        else:
            found.append(href)
    return found


def _loaded(path) -> list[str]:
    scripts = lxml_html.fromstring(path.read_bytes()).xpath("//script/@src")
    return _stylesheets(path) + scripts


@pytest.mark.sphinx("html", testroot="assets")
def test_code_assets_only_on_pages_with_code(app, warning) -> None:
    app.build()
    assert not warning.getvalue()
    code, prose = _loaded(app.outdir / "code.html"), _loaded(app.outdir / "prose.html")
    for name in CODE_ONLY:
        assert any(name in url for url in code), (name, code)
        assert not any(name in url for url in prose), (name, prose)
    # the search-word scripts only where search needs them; elsewhere the loader that fetches them on demand
    search = _loaded(app.outdir / "search.html")
    for name in assets.SEARCH_WORDS_ASSETS:
        assert any(name in url for url in search), (name, search)
        assert any(name in url for url in code), (name, code)  # the copy button reads Sphinx's options
        assert not any(name in url for url in prose), name
    assert any(assets.SEARCH_WORDS_LOADER in url for url in prose)
    assert not any(assets.SEARCH_WORDS_LOADER in url for url in search + code)
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


@pytest.mark.slow
def test_furos_widget_styles_only_where_there_is_code(edition) -> None:
    """furo's stylesheet for other extensions' widgets serves the copy button alone in this edition."""
    assert any("furo-extensions.css" in url for url in _loaded(edition.html / "cite.html"))
    for page in ("index.html", "essay.html", "genindex.html"):
        assert not any("furo-extensions.css" in url for url in _loaded(edition.html / page)), page


@pytest.mark.sphinx("html", testroot="assets")
def test_plain_stylesheets_are_bundled_in_cascade_order(app, warning, make_app, tmp_path) -> None:
    app.build()
    assert not warning.getvalue()
    unbundled = make_app("html", srcdir=app.srcdir, builddir=tmp_path, confoverrides={"edition_bundle_css": False})
    unbundled.build()
    for page in ("code.html", "prose.html", "genindex.html"):
        separate = lxml_html.fromstring((unbundled.outdir / page).read_bytes()).xpath("//link[@rel='stylesheet']/@href")
        assert _stylesheets(app.outdir / page) == [href.split("?", 1)[0] for href in separate], page
    links = lxml_html.fromstring((app.outdir / "code.html").read_bytes()).xpath("//link[@rel='stylesheet']")
    hrefs = [link.get("href").split("?", 1)[0] for link in links]
    assert hrefs[0].startswith(bundles.PREFIX), hrefs
    bundle = (app.outdir / hrefs[0]).read_text("utf-8")
    held = BUNDLED.findall(bundle)
    assert len(held) > 1 and "_static/pygments.css" in held, held
    for name in held:  # each file whole, its url()s still pointing where they did
        text = (app.outdir / name).read_text("utf-8").rstrip()
        assert bundles.rebase_urls(text, name, hrefs[0]) in bundle, name
    # the print stylesheet has a media attribute: it keeps its own link, and its media
    assert [link.get("href").split("?")[0] for link in links if link.get("media") == "print"] == ["_static/print.css"]
    assert len(links) < len(
        lxml_html.fromstring((unbundled.outdir / "code.html").read_bytes()).xpath("//link[@rel='stylesheet']")
    )


def test_bundled_urls_point_where_they_pointed() -> None:
    css = "a { background: url('../img/a.png') } b { background: url(data:image/svg+xml;x) } c { background: url(/abs.png) }"
    moved = bundles.rebase_urls(css, "_static/styles/furo.css", "_static/edition-styles-0.css")
    assert "url('img/a.png')" in moved
    assert "url(data:image/svg+xml;x)" in moved and "url(/abs.png)" in moved


@pytest.mark.sphinx("html", testroot="assets")
def test_a_second_build_in_the_same_application_loads_the_same_assets(app, warning) -> None:
    """As a live preview builds: the page's lists of assets are its own, never the builder's changed in place."""
    app.build()
    first = {page: _loaded(app.outdir / page) for page in ("code.html", "prose.html")}
    app.build(force_all=True)
    assert {page: _loaded(app.outdir / page) for page in first} == first
    assert not warning.getvalue()
