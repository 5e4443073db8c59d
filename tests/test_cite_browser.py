"""The copy buttons in a real Chromium: click, then read the clipboard.

The site is served on 127.0.0.1 with a Content-Security-Policy that allows
scripts from the site only, so the test also proves that the copy script
needs no inline code.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
CSP = "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'"


class _Handler(http.server.SimpleHTTPRequestHandler):
    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", CSP)
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def site(edition) -> Iterator[str]:
    handler = functools.partial(_Handler, directory=str(edition.html))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        thread.join()


@pytest.fixture(scope="module")
def browser_context(site):
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
        try:
            yield context
        finally:
            context.close()
            browser.close()


def _clean(text: str) -> str:
    return " ".join(text.split())


def test_each_copy_button_on_the_cite_page_copies_its_citation(site, browser_context) -> None:
    page = browser_context.new_page()
    page.goto(site + "cite.html")
    buttons = page.locator("button.copy-citation")
    assert buttons.count() == 9
    for index in range(buttons.count()):
        button = buttons.nth(index)
        assert button.is_visible(), "the script un-hides the buttons (it ran under the CSP)"
        target = button.get_attribute("data-copy-target")
        expected = _clean(page.locator(f"#{target}").inner_text())
        page.evaluate("navigator.clipboard.writeText('')")
        button.click()
        page.wait_for_function("b => b.textContent === 'Copied'", arg=button.element_handle())
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied == expected, target
        assert "Williams" in copied
    page.close()


def test_the_copied_chicago_entry_is_the_formatted_citation(site, browser_context) -> None:
    page = browser_context.new_page()
    page.goto(site + "cite.html")
    button = page.locator("button[data-copy-target='cite-chicago-entry']")
    button.click()
    page.wait_for_function("b => b.textContent === 'Copied'", arg=button.element_handle())
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith(
        "Williams, Issy. The Radicalisation Enigma: The Question of Islamic Migrant Extremism in Russia and Central Asia."
    )
    assert "[2020?]" in copied
    page.close()


def test_a_paragraph_button_copies_a_citation_with_its_permalink(site, browser_context) -> None:
    page = browser_context.new_page()
    page.goto(site + "essay.html")
    paragraph = page.locator("#p-3")
    paragraph.hover()
    button = paragraph.locator("button.cite-paragraph")
    assert button.is_visible()
    button.click()
    page.wait_for_function("b => b.textContent === 'Copied'", arg=button.element_handle())
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("Issy Williams, The Radicalisation Enigma:")
    # no base URL in this build: the permalink is the page's own address
    assert copied.endswith(f", para. 3, {site}essay.html#p-3.")
    page.goto(site + "essay.html#p-3")
    assert page.evaluate("document.querySelector(':target').id") == "p-3"
    page.close()
