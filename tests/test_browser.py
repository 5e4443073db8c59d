"""The edition as a reader uses it, in Debian's Chromium, under the served security policy.

Accessibility is checked by axe-core (installed from package-lock.json) at
WCAG 2.2 AA on every page, in the light and the dark theme; then the things
a reader does: follow a note and come back, search, switch theme, copy a
code block, download the PDF and EPUB.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from lxml import html as lxml_html
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[1]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

_RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
  }));
}"""


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's violations at WCAG 2.2 AA for the page as it now stands."""
    if not AXE.exists():
        pytest.fail(f"axe-core is not installed: run `npm ci --ignore-scripts` in {ROOT}")
    page.evaluate(AXE.read_text("utf-8"))
    return page.evaluate(_RUN_AXE, WCAG_22_AA)


def search(page: Any, query: str) -> Any:
    """Run the site's search and wait for its results list."""
    page.goto(f"search.html?q={query}")
    results = page.locator("#search-results ul.search li")
    results.first.wait_for(state="attached", timeout=15_000)
    return results


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_every_page_passes_axe_at_wcag_2_2_aa(browse, site, figures, theme: str) -> None:
    page, visit = browse(theme=theme)
    found: dict[str, list[dict[str, Any]]] = {}
    pages = site.pages()
    for name in pages:
        page.goto(name)
        assert page.evaluate("document.body.dataset.theme") == theme, name
        found[name] = axe_violations(page)
    search(page, "Khalimov")
    found["search.html?q=Khalimov"] = axe_violations(page)
    count = sum(len(v) for v in found.values())
    figures[f"axe-core WCAG 2.2 AA violations, {theme} theme"] = f"{count} on {len(found)} pages"
    assert count == 0, {name: v for name, v in found.items() if v}


def test_axe_finds_a_violation_when_there_is_one(browse, site) -> None:
    page, _ = browse()
    page.goto("index.html")
    page.evaluate("document.querySelector('html').removeAttribute('lang')")
    assert "html-has-lang" in {v["id"] for v in axe_violations(page)}


def test_a_note_marker_jumps_to_its_note_and_back(browse) -> None:
    page, _ = browse()
    page.goto("essay.html")
    marker, note = page.locator("#noteref-1"), page.locator("#note-1")
    expect(note).not_to_be_in_viewport()
    marker.click()
    assert page.url.endswith("#note-1")
    expect(note).to_be_in_viewport()
    assert page.evaluate("document.querySelector(':target').id") == "note-1"
    assert "Causes and Motives of Radicalisation" in note.inner_text()
    note.locator("a[role='doc-backlink']").click()
    assert page.url.endswith("#noteref-1")
    expect(marker).to_be_in_viewport()
    expect(note).not_to_be_in_viewport()


def test_search_finds_khalimov(browse) -> None:
    page, visit = browse()
    results = search(page, "Khalimov")
    links = [results.nth(i).locator("a").first.get_attribute("href") for i in range(results.count())]
    assert any(link and link.startswith("essay.html") for link in links), links
    assert "Khalimov" in page.locator("#search-results").inner_text()
    assert not visit.console_errors and not visit.page_errors


def test_theme_toggle_switches_between_light_and_dark(browse) -> None:
    page, _ = browse(color_scheme="light")
    page.goto("index.html")
    assert page.evaluate("document.body.dataset.theme") == "auto"
    background = "getComputedStyle(document.body).backgroundColor"
    seen: dict[str, str] = {}
    for _ in range(3):
        page.locator("button.theme-toggle:visible").first.click()
        theme = page.evaluate("document.body.dataset.theme")
        assert page.evaluate("localStorage.getItem('theme')") == theme
        seen[theme] = page.evaluate(background)
    assert set(seen) == {"light", "dark", "auto"}
    assert seen["light"] != seen["dark"]
    page.reload()
    assert page.evaluate("document.body.dataset.theme") == "auto"  # the choice survives a reload


def _pages_with_code(site) -> list[str]:
    return [
        name
        for name in site.pages()
        if lxml_html.fromstring((site.root / name).read_bytes()).xpath("//div[contains(@class, 'highlight')]//pre")
    ]


CLOBBERABLE = {"exports", "module", "define", "require", "ClipboardJS", "Documentation", "Search"}
"""Globals the site's scripts look up: clipboard.js's UMD wrapper tests ``typeof exports``,
and an element ``id="exports"`` answers it, so clipboard.js hides itself and no copy button appears."""


def test_no_element_id_shadows_a_global_the_scripts_use(site) -> None:
    clashes = [
        (name, ident)
        for name in site.pages()
        for ident in lxml_html.fromstring((site.root / name).read_bytes()).xpath("//@id | //@name")
        if ident in CLOBBERABLE
    ]
    assert clashes == [], "rename these labels or anchors"


def test_the_copy_button_copies_the_code_block(browse, site) -> None:
    pages = _pages_with_code(site)
    assert pages, "no page of the edition has a code block to copy"
    page, visit = browse(permissions=["clipboard-read", "clipboard-write"])
    page.goto(pages[0])
    block = page.locator("div.highlight").first
    expected = block.locator("pre").inner_text()
    block.hover()
    block.locator("button.copybtn").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.strip() == expected.strip()
    assert not visit.page_errors


def test_the_download_links_answer_200(browse, site) -> None:
    page, _ = browse()
    page.goto("essay.html")
    links = page.locator("a.download")
    checked = {}
    for i in range(links.count()):
        href = links.nth(i).get_attribute("href")
        response = page.request.get(urljoin(page.url, href))
        checked[href] = (response.status, response.body()[:4])
    assert {h.rsplit(".", 1)[-1] for h in checked} == {"pdf", "epub"}, checked
    for href, (status, magic) in checked.items():
        assert status == 200, (href, status)
        assert magic == (b"%PDF" if href.endswith(".pdf") else b"PK\x03\x04"), (href, magic)
