"""The essay page as a reader meets it, in Debian's Chromium: quoting, notes in place, margins and measure.

A reader who selects and copies a passage gets the author's words, with no
note mark, ¶ label or button word glued on; so does anything that reads
the page's text (a parser, the search). A note mark shows its note beside
it on hover, focus or tap; the paragraph numbers and their buttons stand
whole in the margin, clear of the sidebar; lines keep a reading measure.
"""

from __future__ import annotations

import json
import re
import statistics
from typing import Any

import fidelity
import pytest
from lxml import html as lxml_html

CLIPBOARD = ["clipboard-read", "clipboard-write"]
DESKTOP = [1024, 1366, 1920]
EVERY_WIDTH = [320, 390, 768, 1000, 1008, 1024, 1072, 1200, 1312, 1366, 1440, 1552, 1600, 1920, 2560]

# The blocks of the essay that hold only the author's words (as fidelity.html_essay_words reads them):
# the title, the dateline, the numbered paragraphs, the captions of the images and the biographical note.
_BLOCKS = """() => {
  const essay = document.querySelector("[role='main'] section#essay");
  return [...essay.querySelectorAll("h1, p.dateline, p.numbered-paragraph, figcaption .caption-text, p.author-bio")]
    .filter((el) => !el.closest("#fig-cover, .editorial"))
    .map((el, i) => { el.dataset.block = String(i); return el.id || el.className; });
}"""

_SELECT = """(index) => {
  const block = document.querySelector(`[data-block='${index}']`);
  const range = document.createRange();
  range.selectNodeContents(block);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
}"""


def expected_words(edition: Any) -> list[str]:
    """The copy-text's essay, with every emendation the textual notes record carried out."""
    emendations = fidelity.html_emendations(edition.html / "textual-notes.html")
    return fidelity.words(fidelity.apply_emendations(fidelity.copy_text_essay(), emendations))


def misquoted(expected: list[str], passages: list[tuple[str, list[str]]]) -> list[str]:
    """Each passage's words compared with the run of the copy-text that its first words start, in text order."""
    problems, start = [], 0
    for name, words in passages:
        if not words:
            problems.append(f"{name}: nothing")
            continue
        head = words[: min(6, len(words))]
        found = next((i for i in range(start, len(expected)) if expected[i : i + len(head)] == head), None)
        if found is None:
            problems.append(f"{name}: starts {' '.join(head)!r}, which the copy-text does not have here")
            continue
        run = expected[found : found + len(words)]
        problems += [f"{name}: {d}" for d in fidelity.differences(run, words, allow_insertions=False)]
        start = found + len(words)
    return problems


def essay_page(browse: Any, **options: Any) -> tuple[Any, Any]:
    page, visit = browse(**options)
    page.goto("essay.html")
    return page, visit


# -- clean quotation ------------------------------------------------------------


def test_copying_each_passage_gives_the_authors_words_only(browse, edition) -> None:
    page, visit = essay_page(browse, permissions=CLIPBOARD)
    names = page.evaluate(_BLOCKS)
    assert sum(name.startswith("p-") for name in names) == 10, names
    copied = []
    for index, name in enumerate(names):
        page.evaluate(_SELECT, index)
        page.keyboard.press("Control+C")  # the browser's own copy, as a reader makes it
        text = page.evaluate("navigator.clipboard.readText()")
        assert not re.search(r"[°¶]|\bcite\b|Copied|Paragraph", text), (name, text[:80])
        copied.append((name, text.split()))
    assert misquoted(expected_words(edition), copied) == []
    assert not visit.page_errors


def test_a_copy_across_paragraphs_keeps_their_boundary(browse, edition) -> None:
    page, _ = essay_page(browse, permissions=CLIPBOARD)
    page.evaluate(
        """() => {
      const range = document.createRange();
      range.setStartBefore(document.getElementById("p-1"));
      range.setEndAfter(document.getElementById("p-2"));
      getSelection().removeAllRanges();
      getSelection().addRange(range);
    }"""
    )
    page.keyboard.press("Control+C")
    text = page.evaluate("navigator.clipboard.readText()")
    assert re.search(r"recruiters\.\n+The specific", text), text[-800:]
    assert misquoted(expected_words(edition), [("¶ 1–2", text.split())]) == []


def test_text_content_of_the_page_keeps_words_apart_from_marks(edition) -> None:
    root = lxml_html.fromstring((edition.html / "essay.html").read_bytes())
    (essay,) = root.xpath("//*[@role='main']//section[@id='essay']")
    paragraphs = essay.xpath(".//p[contains(@class, 'numbered-paragraph')]")
    captions = essay.xpath(".//figcaption//span[@class='caption-text'][not(ancestor::figure[@id='fig-cover'])]")
    passages = [(p.get("id"), p.text_content().split()) for p in paragraphs]
    passages += [(f"caption {i}", c.text_content().split()) for i, c in enumerate(captions, start=1)]
    passages.sort(key=lambda item: essay.text_content().find(" ".join(item[1][:4])) if item[1] else 0)
    assert misquoted(expected_words(edition), passages) == []
    # the marks are there, for the stylesheet to draw and for assistive technology to name
    marks = essay.xpath(".//a[@data-mark]")
    assert len(marks) >= 22 + 14 and all(m.get("aria-label") and m.text_content() == "" for m in marks)


def test_the_search_index_and_its_snippets_have_the_words_without_marks(browse, edition) -> None:
    from sphinx.search.en import SearchEnglish

    raw = (edition.html / "searchindex.js").read_text("utf-8")
    index = json.loads(raw[raw.index("(") + 1 : raw.rindex(")")])
    essay = index["docnames"].index("essay")
    terms = {
        term
        for kind in ("terms", "titleterms")
        for term, docs in index[kind].items()
        if essay in (docs if isinstance(docs, list) else [docs])
    }
    english = SearchEnglish({})
    words = {english.stem(w) for w in english.split(" ".join(expected_words(edition))) if not w.isdigit()}
    missing = sorted(w for w in words - terms if w not in english.stopwords and len(w) > 2)
    assert missing == []
    root = lxml_html.fromstring((edition.html / "essay.html").read_bytes())
    glued = []
    for mark in root.xpath("//*[@role='main']//a[@data-mark]"):
        before = (mark.xpath("preceding::text()[normalize-space()][1]") or [""])[0]
        last = english.split(before)[-1:] or [""]
        if last[0] and english.stem(last[0] + mark.get("data-mark")) in terms:
            glued.append(last[0] + mark.get("data-mark"))
    assert glued == []
    page, _ = browse()
    page.goto("search.html?q=Khalimov")
    result = page.locator("#search-results ul.search li", has=page.locator("a[href^='essay.html']")).first
    snippet = result.locator("p.context")
    snippet.wait_for(timeout=15_000)
    assert "Gulmurod Khalimov who joined" in " ".join(snippet.inner_text().split())


def test_a_glossary_term_and_its_definition_keep_apart_in_plain_text(edition) -> None:
    root = lxml_html.fromstring((edition.html / "glossary.html").read_bytes())
    for link in root.xpath("//a[contains(@class, 'headerlink')]"):  # as the search page reads it
        link.drop_tree()
    terms = root.xpath("//dl[contains(@class, 'glossary')]/dt")
    assert terms
    text = root.xpath("//*[@role='main']")[0].text_content()
    for term in terms:
        definition = term.getnext().text_content().split()[0]
        assert re.search(re.escape(term.text_content().strip()) + r"\s+" + re.escape(definition), text), term.text


# -- notes in place -------------------------------------------------------------


_SETTLED = """() => new Promise((done) => {
  // the page at rest: the same scroll position over a few frames (scroll anchoring settles late layout)
  let last = NaN, still = 0;
  const look = () => { still = window.scrollY === last ? still + 1 : 0; last = window.scrollY;
    still >= 3 ? done() : requestAnimationFrame(look); };
  requestAnimationFrame(look);
})"""


def _popover_state(page: Any, mark: Any) -> dict[str, Any]:
    return page.evaluate(
        """(mark) => {
      const pop = document.getElementById("edition-note-popover");
      const m = mark.getBoundingClientRect();
      if (!pop || pop.hidden) return {shown: false};
      const p = pop.getBoundingClientRect();
      return {shown: true, text: pop.innerText, label: pop.querySelector(".edition-note-label").textContent,
        gap: Math.max(p.top - m.bottom, m.top - p.bottom), left: p.left, right: p.right, markLeft: m.left,
        inView: p.left >= 0 && p.right <= document.documentElement.clientWidth
          // nothing painted over it (furo's sidebars are drawn above what reaches into them)
          && [[p.left + 4, p.top + 4], [p.right - 4, p.top + 4], [p.right - 4, Math.min(p.bottom, innerHeight) - 4]]
            .every(([x, y]) => pop.contains(document.elementFromPoint(x, y))),
        describedby: mark.getAttribute("aria-describedby"), scrollY: window.scrollY};
    }""",
        mark.element_handle(),
    )


def _note_words(edition: Any, href: str) -> str:
    """The first words of a note's longest paragraph, read from the page its mark links to."""
    page, ident = href.split("#") if not href.startswith("#") else ("essay.html", href[1:])
    root = lxml_html.fromstring((edition.html / page).read_bytes())
    (note,) = root.xpath(f"//*[@id='{ident}']")
    longest = max(note.xpath(".//p"), key=lambda p: len(p.text_content()))
    return " ".join(longest.text_content().split()[:5])


@pytest.mark.parametrize("kind", ["footnote-reference", "ed-marker", "tn-marker"])
@pytest.mark.parametrize("width", [390, 1366])
def test_hovering_or_focusing_a_mark_shows_its_note_beside_it(browse, edition, kind: str, width: int) -> None:
    from test_browser import axe_violations

    page, visit = essay_page(browse, viewport={"width": width, "height": 900})
    marks = page.locator(f"#essay p.numbered-paragraph a.{kind}[data-mark]")
    assert marks.count() > 0
    for i in sorted({0, marks.count() // 2, marks.count() - 1}):
        mark = marks.nth(i)
        href = mark.get_attribute("href")
        mark.scroll_into_view_if_needed()
        # furo scrolls smoothly: a reading taken while it glides would not be where the page rests
        page.evaluate("window.scrollBy({top: -120, behavior: 'instant'})")
        page.evaluate(_SETTLED)
        before = page.evaluate("window.scrollY")
        box = mark.bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # no scrolling, as a reader's mouse
        page.wait_for_function("() => !document.getElementById('edition-note-popover').hidden")
        state = _popover_state(page, mark)
        assert state["label"] == mark.get_attribute("aria-label")
        assert _note_words(edition, href) in " ".join(state["text"].split()), (href, state["text"][:100])
        assert -1 <= state["gap"] <= 12 and state["inView"], state  # just above or below the mark, on screen
        assert state["left"] <= state["markLeft"] + 1 <= state["right"] + 24, state  # beside it, not across the page
        assert state["describedby"] == "edition-note-popover" and state["scrollY"] == before  # the page did not move
        page.mouse.move(2, 450)
        page.wait_for_function("() => document.getElementById('edition-note-popover').hidden")
        # the keyboard: Tab onto the mark from the control before it shows the same note; Escape closes it
        page.evaluate(
            """(mark) => {
          const all = [...document.querySelectorAll("a[href], button:not([hidden])")];
          all[all.indexOf(mark) - 1].focus();
        }""",
            mark.element_handle(),
        )
        page.keyboard.press("Tab")
        assert page.evaluate("(mark) => document.activeElement === mark", mark.element_handle())
        page.wait_for_function("() => !document.getElementById('edition-note-popover').hidden")
        assert _popover_state(page, mark)["label"] == mark.get_attribute("aria-label")
        if i == 0:
            assert axe_violations(page) == []
        page.keyboard.press("Escape")
        assert _popover_state(page, mark) == {"shown": False}
    assert not visit.page_errors and not visit.console_errors and not visit.violations(page)


def test_a_tap_shows_the_note_and_a_second_tap_follows_it(browse) -> None:
    page, visit = essay_page(browse, viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    mark = page.locator("#p-5 a.footnote-reference").first
    href = mark.get_attribute("href")
    mark.scroll_into_view_if_needed()
    mark.tap()
    page.wait_for_function("() => !document.getElementById('edition-note-popover').hidden")
    assert page.url.endswith("essay.html")
    assert _popover_state(page, mark)["label"] == mark.get_attribute("aria-label")
    mark.tap()
    page.wait_for_url(f"**/essay.html{href}")
    assert not visit.page_errors


def test_without_the_script_a_mark_still_leads_to_its_note(browse) -> None:
    page, _ = browse(java_script_enabled=False)
    page.goto("essay.html")
    mark = page.locator("#p-1 a.ed-marker")
    mark.click()
    assert page.url.endswith("commentary.html#ed-a")
    assert page.locator("#ed-a").is_visible()


_SETTLED = """() => new Promise((done) => {
  let last = -1, still = 0;
  const tick = () => {
    still = window.scrollY === last ? still + 1 : 0;
    last = window.scrollY;
    if (still >= 5) done(window.scrollY); else requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})"""


def test_a_followed_note_is_highlighted_and_its_back_link_lands_in_view(browse) -> None:
    page, _ = essay_page(browse, viewport={"width": 1366, "height": 800})
    page.locator("#noteref-7").click()
    page.evaluate(_SETTLED)
    note = page.locator("#note-7")
    assert page.evaluate("(el) => getComputedStyle(el).backgroundColor", note.element_handle()) != "rgba(0, 0, 0, 0)"
    note.locator("a[role='doc-backlink']").click()
    page.wait_for_function("() => location.hash === '#noteref-7'")
    page.evaluate(_SETTLED)
    hit = page.evaluate(
        """() => {
      const mark = document.getElementById("noteref-7");
      const r = mark.getBoundingClientRect();
      const x = r.left + r.width / 2, y = r.top + r.height / 2;
      return {top: r.top, pill: document.documentElement.classList.contains("show-back-to-top"),
              covered: document.elementFromPoint(x, y) !== mark,
              line: document.elementFromPoint(r.left - 8, y)?.closest("p")?.id,
              marked: getComputedStyle(mark).backgroundColor !== "rgba(0, 0, 0, 0)"};
    }"""
    )
    # furo shows its "Back to top" pill as the page scrolls up: the mark and its line stand clear of it
    assert hit["pill"] and not hit["covered"] and hit["line"] == "p-5" and hit["marked"], hit
    # the back link focuses the mark, but the reader has just read its note: no popover covers the line
    assert page.evaluate("document.getElementById('edition-note-popover').hidden")


@pytest.mark.parametrize("width", [320, 390, 1024, 1366])
def test_a_note_mark_never_begins_a_line(browse, width: int) -> None:
    page, _ = essay_page(browse, viewport={"width": width, "height": 900})
    wrapped = page.evaluate(
        """() => {
      const out = [];
      for (const mark of document.querySelectorAll("[role='main'] a[data-mark]")) {
        const walker = document.createTreeWalker(mark.closest("p, li, aside") || document.body, NodeFilter.SHOW_TEXT);
        let text = null, node;
        while ((node = walker.nextNode())) {
          if (mark.compareDocumentPosition(node) & Node.DOCUMENT_POSITION_FOLLOWING) break;
          if (node.textContent.trim()) text = node;
        }
        if (!text) continue;
        const end = text.textContent.trimEnd().length;
        const range = document.createRange();
        range.setStart(text, end - 1); range.setEnd(text, end);
        const word = range.getBoundingClientRect(), m = mark.getBoundingClientRect();
        if (!(m.left >= word.left && m.top < word.bottom)) out.push(mark.getAttribute("aria-label"));
      }
      return out;
    }"""
    )
    assert wrapped == []


def test_notes_is_a_heading_in_the_contents(edition) -> None:
    root = lxml_html.fromstring((edition.html / "essay.html").read_bytes())
    (heading,) = root.xpath("//*[@role='main']//section[@id='notes']/h2")
    assert heading.text_content().strip().startswith("Notes")
    assert root.xpath("//*[contains(@class, 'toc-tree')]//a[@href='#notes']")
    assert root.xpath("//section[@id='notes']//aside[@id='note-1']")
    tex = next(edition.latex.glob("*.tex")).read_text("utf-8")
    assert not re.search(r"\\(sub)*section\*?\{Notes\}", tex)  # in print the notes are at the foot of the page


# -- margins, measure and targets ------------------------------------------------

_MARGIN = """() => {
  const drawer = document.querySelector(".sidebar-drawer");
  const docked = getComputedStyle(drawer).position !== "fixed";
  const sidebar = docked ? drawer.getBoundingClientRect().right : 0;
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const button of document.querySelectorAll("button.cite-paragraph")) button.dataset.label = "Not copied";  // the widest word
  for (const marker of document.querySelectorAll(".paragraph-marker")) {
    const p = marker.closest("p");
    marker.scrollIntoView({block: "center", behavior: "instant"});
    const text = document.createRange();
    text.setStartAfter(marker);
    text.setEnd(p, p.childNodes.length);
    const textLeft = [...text.getClientRects()].find((r) => r.width > 0).left;
    for (const part of marker.querySelectorAll("a.paragraph-number, button.cite-paragraph:not([hidden])")) {
      const r = part.getBoundingClientRect();
      const seen = document.elementFromPoint(r.left + 2, r.top + r.height / 2);
      const whole = r.left >= sidebar && r.left >= 0 && r.right <= width && part.scrollWidth <= part.clientWidth + 1;
      if (!whole || r.right > textLeft + 0.5 || !(seen && part.contains(seen)))
        out.push({p: p.id, part: part.className, left: r.left, right: r.right, sidebar, textLeft, seen: seen && seen.className});
    }
  }
  return out;
}"""


@pytest.mark.parametrize("width", EVERY_WIDTH)
def test_paragraph_numbers_and_buttons_stand_whole_clear_of_the_sidebar(browse, width: int) -> None:
    page, _ = essay_page(browse, viewport={"width": width, "height": 900}, permissions=CLIPBOARD)
    assert page.locator("button.cite-paragraph:not([hidden])").count() == 10
    assert page.evaluate(_MARGIN) == []


_LINES = """() => {
  const counts = [];
  for (const p of document.querySelectorAll("p.numbered-paragraph")) {
    const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
    const lines = new Map();
    let node;
    while ((node = walker.nextNode())) {
      for (let i = 0; i < node.length; i++) {
        const range = document.createRange();
        range.setStart(node, i); range.setEnd(node, i + 1);
        const rect = range.getClientRects()[0];
        if (rect) lines.set(Math.round(rect.bottom), (lines.get(Math.round(rect.bottom)) || 0) + 1);
      }
    }
    counts.push(...[...lines.values()].slice(0, -1));  // a paragraph's last line is as short as it falls
  }
  return counts;
}"""


@pytest.mark.parametrize("width", DESKTOP)
def test_body_lines_keep_a_reading_measure(browse, figures, width: int) -> None:
    page, _ = essay_page(browse, viewport={"width": width, "height": 900})
    counts = page.evaluate(_LINES)
    median = statistics.median(counts)
    figures[f"essay line length at {width} px (characters)"] = (
        f"median {median}, {min(counts)}–{max(counts)} over {len(counts)} lines"
    )
    assert 60 <= median <= 75 and max(counts) <= 75, (median, max(counts))
    assert sum(c >= 55 for c in counts) >= 0.9 * len(counts)


def test_marks_and_controls_are_24_px_targets_on_a_phone(browse) -> None:
    page, _ = essay_page(browse, viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    small = page.evaluate(
        """() => {
      const out = [];
      for (const mark of document.querySelectorAll("[role='main'] a[data-mark]")) {
        mark.scrollIntoView({block: "center", behavior: "instant"});
        const r = mark.getBoundingClientRect();
        const cx = r.left + r.width / 2, cy = r.top + r.height / 2;
        const at = (x, y) => document.elementFromPoint(x, y)?.closest("a[data-mark]");
        const corners = [[-11, -11], [11, -11], [-11, 11], [11, 11]].map(([dx, dy]) => at(cx + dx, cy + dy));
        if (at(cx, cy) !== mark || corners.some((hit) => !hit)) out.push(mark.getAttribute("aria-label"));
      }
      for (const control of document.querySelectorAll("a.paragraph-number, button.cite-paragraph:not([hidden])")) {
        const r = control.getBoundingClientRect();
        if (r.width < 24 || r.height < 24) out.push(control.getAttribute("aria-label"));
      }
      return out;
    }"""
    )
    assert small == []


@pytest.mark.parametrize("width", [320, 390])
def test_the_title_leaves_room_for_the_text_on_a_phone(browse, width: int) -> None:
    page, _ = essay_page(browse, viewport={"width": width, "height": 740})
    title = page.locator("#essay h1").bounding_box()
    assert title["height"] <= 0.25 * 740, title


@pytest.mark.parametrize("face", ["FreeSans", "FreeSerif", "DejaVu Sans"])
def test_the_measure_holds_in_another_face(browse, face: str) -> None:
    """Readers' machines have other fonts (a bare Debian has only FreeSans): the measure is set in the font's own units."""
    page, _ = essay_page(browse, viewport={"width": 1366, "height": 900})
    assert page.evaluate(f"document.fonts.check('16px \"{face}\"')"), face
    # through the CSSOM, which the page's Content-Security-Policy allows (an inline <style> it refuses)
    rule = f"article[role='main'] * {{ font-family: '{face}' !important; }}"
    page.evaluate("(rule) => document.styleSheets[0].insertRule(rule, document.styleSheets[0].cssRules.length)", rule)
    counts = page.evaluate(_LINES)
    assert 60 <= statistics.median(counts) <= 75 and max(counts) <= 75, (face, statistics.median(counts), max(counts))


def test_a_search_result_marks_the_words_searched_for(browse) -> None:
    """Sphinx's own highlighting, whose scripts the page loads only when the address asks for it."""
    page, visit = browse()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto("essay.html?highlight=migrant")
    page.wait_for_selector("span.highlighted")
    assert "migrant" in page.locator("span.highlighted").first.inner_text().lower()
    assert any(url.endswith("sphinx_highlight.js") for url in requested)
    assert not visit.page_errors
    requested.clear()
    page.goto("essay.html")
    page.wait_for_load_state("load")
    assert not any(url.endswith(("sphinx_highlight.js", "doctools.js")) for url in requested)
    assert page.locator("span.highlighted").count() == 0
