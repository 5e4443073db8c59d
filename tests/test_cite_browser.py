"""The copy buttons in a real Chromium: click, then read the clipboard.

The site is served on 127.0.0.1 with the edition's own Content-Security-Policy
(the session fixtures of ``browsing``), so the test also proves that the copy
script needs no inline code.
"""

from __future__ import annotations


def _clean(text: str) -> str:
    return " ".join(text.split())


CLIPBOARD = ["clipboard-read", "clipboard-write"]


def test_each_copy_button_on_the_cite_page_copies_its_citation(browse) -> None:
    page, visit = browse(permissions=CLIPBOARD)
    page.goto("cite.html")
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
    assert not visit.page_errors and not visit.violations(page)


def test_the_copied_chicago_entry_is_the_formatted_citation(browse) -> None:
    page, _ = browse(permissions=CLIPBOARD)
    page.goto("cite.html")
    button = page.locator("button[data-copy-target='cite-chicago-entry']")
    button.click()
    page.wait_for_function("b => b.textContent === 'Copied'", arg=button.element_handle())
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith(
        "Williams, Issy. The Radicalisation Enigma: The Question of Islamic Migrant Extremism in Russia and Central Asia."
    )
    assert "[2020?]" in copied


def test_a_paragraph_button_copies_a_citation_with_its_permalink(browse, site) -> None:
    page, visit = browse(permissions=CLIPBOARD)
    page.goto("essay.html")
    paragraph = page.locator("#p-3")
    paragraph.hover()
    button = paragraph.locator("button.cite-paragraph")
    assert button.is_visible()
    button.click()
    page.wait_for_function("b => b.dataset.label === 'Copied'", arg=button.element_handle())
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("Issy Williams, The Radicalisation Enigma:")
    # no base URL in this build: the permalink is the page's own address
    assert copied.endswith(f", para. 3, {site.url}essay.html#p-3.")
    page.goto("essay.html#p-3")
    assert page.evaluate("document.querySelector(':target').id") == "p-3"
    assert not visit.page_errors and not visit.violations(page)
