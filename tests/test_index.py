"""The index of names: every mention indexed at its word, ¶ locators in text order, the right pages in
print, and the index in the contents and the reading order."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, STEM
from lxml import etree
from lxml import html as lxml_html

from scholarly_edition.formats.genindex import Locator, locators
from scholarly_edition.text.mentions import Name, abbreviations, parse_names, pattern

MARK = "\u2063"  # (invisible separator) where an index target stands, in the text read back from a page


# -- the pure parts ---------------------------------------------------------------


def test_names_are_read_with_their_forms_and_bad_lines_named() -> None:
    names, problems = parse_names(["Moscow", "", "Khalimov, Gulmurod = Gulmurod Khalimov | Khalimov", "Bad = a | "])
    assert names == [Name("Moscow", ("Moscow",)), Name("Khalimov, Gulmurod", ("Gulmurod Khalimov", "Khalimov"))]
    assert problems == [(3, "indexed-names: 'Bad' has an empty form")]
    _, clash = parse_names(["Islamic State = IS", "Iceland = IS"])
    assert clash == [(1, "indexed-names: the form 'IS' is already 'Islamic State''s")]


def test_forms_match_whole_words_and_the_longest_wins() -> None:
    names = [Name("Russia", ("Russia", "Russian")), Name("IOS", ("Institute of the Russian Academy",))]
    found = pattern(names)
    assert found is not None
    text = "Russia’s Russians, the Institute of the Russian Academy, and Russian"
    assert [m[0] for m in found.finditer(text)] == ["Russia", "Institute of the Russian Academy", "Russian"]
    assert pattern([]) is None


def test_an_abbreviation_sends_the_reader_to_the_name() -> None:
    assert abbreviations(Name("Islamic State", ("Islamic State", "IS"))) == ["IS"]
    assert abbreviations(Name("RT", ("RT",))) == []  # a name that is an abbreviation is its own heading
    assert abbreviations(Name("Moscow", ("Moscow", "Muscovite"))) == []


def test_locators_read_as_places_in_text_order_one_per_place() -> None:
    located = {
        ("essay.html", "index-2"): (0, "¶ 1"),
        ("essay.html", "index-10"): (3, "¶ 2"),
        ("essay.html", "index-9"): (2, "¶ 1"),
    }
    links = [("", "essay.html#index-10"), ("", "essay.html#index-2"), ("main", "glossary.html#term-x")]
    links.append(("", "essay.html#index-9"))
    titles, order = {"glossary.html": "Glossary"}, {"essay.html": 0, "glossary.html": 1}
    assert locators(links, located, titles, order) == [
        Locator("¶ 1", "essay.html#index-2", False),
        Locator("¶ 2", "essay.html#index-10", False),
        Locator("Glossary", "glossary.html#term-x", True),
    ]


# -- the real edition --------------------------------------------------------------


def _declared() -> list[Name]:
    source = (ROOT / "edition" / "essay.md").read_text("utf-8")
    block = re.search(r"```\{indexed-names\}\n(.*?)```", source, re.DOTALL)
    assert block, "essay.md declares no indexed names"
    names, problems = parse_names(block[1].splitlines())
    assert not problems
    return names


_NOT_TEXT = (
    "//h1 | //*[@role='doc-endnotes'] | //aside | //*[contains(@class, 'footnote')]"
    " | //*[contains(concat(' ', @class, ' '), ' editorial ')] | //*[contains(@class, 'headerlink')]"
    " | //*[contains(@class, 'citation-inline')]"  # a cited work's title names a place, the essay does not
)


def _place(node: etree._Element) -> str:
    """Where a word stands, worked out from the page alone: its ¶, or the caption or paratext it is in."""
    for ancestor in node.iterancestors():
        ident = ancestor.get("id") or ""
        if ancestor.tag == "p" and re.fullmatch(r"p-\d+", ident):
            return f"¶ {ident[2:]}"
        if ancestor.tag == "figure" or "figure" in (ancestor.get("class") or "").split():
            before = ancestor.xpath("preceding::p[starts-with(@id, 'p-')][1]/@id")
            return f"caption after ¶ {before[0][2:]}" if before else "cover-image credit"
        classes = (ancestor.get("class") or "").split()
        if "author-bio" in classes:
            return "biographical note"
        if "byline" in classes:
            return "byline"
    return "text"


def _read(page: bytes) -> tuple[str, list[tuple[str, str]]]:
    """The essay's own text with MARK at each index target, and each target's (id, place) in order."""
    root = lxml_html.fromstring(page)
    (body,) = root.xpath("//*[@role='main']//section[@id]")[:1] or root.xpath("//section[@id]")[:1]
    targets: list[tuple[str, str]] = []
    for span in body.xpath(".//*[starts-with(@id, 'index-')]"):
        if span.xpath("ancestor-or-self::*[self::h1 or self::aside]"):
            continue
        targets.append((span.get("id"), _place(span)))
        span.text = MARK + (span.text or "")
    for node in body.xpath(_NOT_TEXT.replace("//", ".//")):
        if node.getparent() is not None:
            tail = node.tail
            node.clear()
            node.tail = tail
    return body.text_content(), targets


def _mentions(page: bytes, names: list[Name]) -> list[tuple[str, str, str]]:
    """(target id, heading, place) of every index target, each checked to stand before a form of its name."""
    text, targets = _read(page)
    found = pattern(names)
    assert found is not None
    heading_of = {form: n.heading for n in names for form in n.forms}
    unmarked = [
        text[max(0, m.start() - 30) : m.end()] for m in found.finditer(text) if not text[: m.start()].endswith(MARK)
    ]
    assert not unmarked, f"mentions with no index entry: {unmarked}"
    pieces = text.split(MARK)[1:]
    assert len(pieces) == len(targets)
    out = []
    for (ident, place), after in zip(targets, pieces, strict=True):
        match = found.match(after)
        assert match, f"{ident} stands before {after[:30]!r}, no indexed name"
        out.append((ident, heading_of[match[0]], place))
    return out


def _family_names(headings: set[str]) -> dict[str, str]:
    """A name each heading must be found by, read from the heading alone: "Khalimov, Gulmurod" → Khalimov."""
    return {h.split(",")[0]: h for h in headings}


def _index_entries(page: bytes) -> dict[str, list[tuple[str, str]]]:
    root = lxml_html.fromstring(page)
    return {
        " ".join(item.xpath("./span[@class='index-heading']")[0].text_content().split()): [
            (" ".join(a.text_content().split()), a.get("href")) for a in item.xpath("./a[@class='index-locator']")
        ]
        for item in root.xpath("//ul[@class='edition-index']/li")
    }


def _check_index(essay: bytes, genindex: bytes, page_name: str) -> dict[str, int]:
    names = _declared()
    mentions = _mentions(essay, names)
    assert len(mentions) >= 80  # the essay names these persons, places and bodies some ninety times
    text, _ = _read(essay)
    found = pattern(names)
    assert found is not None
    for family, heading in _family_names({n.heading for n in names}).items():
        for m in re.finditer(rf"(?<!\w){re.escape(family)}(?!\w)", text):
            # inside a mention that is indexed: its own, or a longer name's (the party "of Tajikistan")
            start = text.rfind(MARK, 0, m.start())
            mention = found.match(text, start + 1) if start >= 0 else None
            assert mention and mention.end() >= m.end(), (heading, text[max(0, m.start() - 40) : m.end()])
    entries = _index_entries(genindex)
    order = {ident: n for n, (ident, _, _) in enumerate(mentions)}
    counts: dict[str, int] = {}
    for name in names:
        own = [(ident, place) for ident, heading, place in mentions if heading == name.heading]
        counts[name.heading] = len(own)
        assert own, f"{name.heading} is declared but never mentioned"
        first_at: dict[str, str] = {}
        for ident, place in own:
            first_at.setdefault(place, ident)
        expected = [(place, f"{page_name}#{ident}") for place, ident in first_at.items()]
        in_text = [loc for loc in entries[name.heading] if loc[1].startswith(f"{page_name}#")]
        assert in_text == expected, name.heading
        positions = [order[href.split("#")[1]] for _, href in in_text]
        assert positions == sorted(positions), name.heading
    assert entries["Kazakhstan"][:3] == [
        ("¶ 8", entries["Kazakhstan"][0][1]),
        ("caption after ¶ 8", entries["Kazakhstan"][1][1]),
        ("¶ 9", entries["Kazakhstan"][2][1]),
    ]
    assert ("Glossary", "glossary.html#term-Operation-Zhusan".replace(".html", Path(page_name).suffix)) in entries[
        "Operation Zhusan"
    ]
    return counts


def test_html_index_points_at_every_mention_by_paragraph_in_text_order(edition) -> None:
    essay = (edition.html / "essay.html").read_bytes()
    _check_index(essay, (edition.html / "genindex.html").read_bytes(), "essay.html")
    page = (edition.html / "genindex.html").read_text("utf-8")
    assert not re.search(r">\[\d+\]<", page), "a locator reads [1], not a place"
    items = {
        " ".join(li.xpath("./span[@class='index-heading']")[0].text_content().split()): " ".join(
            li.text_content().split()
        )
        for li in lxml_html.fromstring(page.encode()).xpath("//ul[@class='edition-index']/li")
    }
    assert items["IS"] == "IS, Glossary; see Islamic State"
    assert items["UN"] == "UN, see United Nations"


def test_epub_index_points_at_every_mention_by_paragraph(edition) -> None:
    with zipfile.ZipFile(edition.epub) as z:
        _check_index(z.read("essay.xhtml"), z.read("genindex.xhtml"), "essay.xhtml")


def _pages(locators: str) -> list[int]:
    pages: list[int] = []
    for part in locators.split(","):
        first, _, last = part.strip().partition("–")
        pages += range(int(first), int(last or first) + 1)
    return pages


def test_pdf_index_gives_the_page_of_every_mention(edition) -> None:
    names = _declared()
    mentions = _mentions((edition.html / "essay.html").read_bytes(), names)
    idx = (edition.latex / f"{STEM}.idx").read_text("utf-8")
    entries = re.findall(r"\\indexentry\{(.+?)@\\spxentry\{.*?\}(\|spxpagem)?\}\{(\d+)\}", idx)
    by_heading: dict[str, list[int]] = {}
    main: dict[str, set[int]] = {}  # a glossary term's definition, in bold
    for heading, is_main, page in entries:
        (main.setdefault(heading, set()).add if is_main else by_heading.setdefault(heading, []).append)(int(page))
    index = _pdf_text(edition.pdf, *_index_pages(edition.pdf))  # an entry a line
    physical = _sheets(edition.pdf)
    for name in names:
        pages = by_heading.get(name.heading, [])
        # one \index for each mention in the text, so none is lost in print either
        assert len(pages) == sum(1 for _, h, _ in mentions if h == name.heading), name.heading
        assert pages == sorted(pages), name.heading
        for page in set(pages):
            sheet = physical[str(page)]  # LaTeX's page number is the printed folio, not the sheet's place
            text = re.sub(r"\s+", " ", _pdf_text(edition.pdf, sheet, sheet).replace("-\n", ""))
            assert any(form in text for form in name.forms), (name.heading, page)
        heading = re.escape(name.heading).replace(r"\ ", r"\s+")
        # the heading at the start of its line, not the end of a longer one ("… Party of Tajikistan")
        printed = re.search(r"(?m)^" + heading + r",\s+(\d+(?:–\d+)?(?:,\s*\d+(?:–\d+)?)*)", index)
        assert printed, name.heading
        assert _pages(printed[1]) == sorted(set(pages) | main.get(name.heading, set())), (name.heading, printed[1])


def _index_pages(pdf: Path) -> tuple[int, int]:
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    starts = [reader.get_destination_page_number(i) for i in reader.outline if not isinstance(i, list)]
    titles = [i.title for i in reader.outline if not isinstance(i, list)]
    first = starts[titles.index("Index")] + 1
    return first, len(reader.pages)


def _sheets(pdf: Path) -> dict[str, int]:
    """Each printed page number (the PDF's page label), with the place of its sheet from 1."""
    from pypdf import PdfReader

    return {label: n for n, label in enumerate(PdfReader(pdf).page_labels, start=1)}


def _pdf_text(pdf: Path, first: int, last: int) -> str:
    command = ["pdftotext", "-enc", "UTF-8", "-f", str(first), "-l", str(last), str(pdf), "-"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("page", ["essay.html", "changelog.html", "genindex.html"])
def test_index_is_in_the_sidebar_of_every_page(edition, page) -> None:
    root = lxml_html.fromstring((edition.html / page).read_bytes())
    href = "#" if page == "genindex.html" else "genindex.html"  # furo links the current page to itself
    links = root.xpath(f"//*[contains(@class, 'sidebar-tree')]//a[@href='{href}']")
    assert [" ".join(a.text_content().split()) for a in links] == ["Index"]


def test_index_closes_the_reading_order(edition) -> None:
    last = lxml_html.fromstring((edition.html / "changelog.html").read_bytes())
    assert last.xpath("//a[contains(@class, 'next-page')]/@href") == ["genindex.html"]
    index = lxml_html.fromstring((edition.html / "genindex.html").read_bytes())
    assert index.xpath("//a[contains(@class, 'prev-page')]/@href") == ["changelog.html"]
    assert not index.xpath("//a[contains(@class, 'next-page')]")


def test_an_index_locator_leads_to_the_word_highlighted_in_view(browse) -> None:
    from playwright.sync_api import expect

    page, _ = browse()
    page.goto("genindex.html")
    link = page.locator("li:has(> span.index-heading:text-is('Kazakhstan')) a.index-locator").last
    assert link.inner_text() == "¶ 9"
    link.click()
    target = page.locator(":target")
    expect(target).to_have_text("Kazakhstan")
    expect(target).to_be_in_viewport()
    assert target.evaluate("e => e.closest('p').id") == "p-9"
    # the word is marked for the eye, and well clear of the top edge
    assert target.evaluate("e => getComputedStyle(e).backgroundColor") not in ("rgba(0, 0, 0, 0)", "transparent")
    assert target.evaluate("e => e.getBoundingClientRect().top") > 40


def _root_with(declaration: str, make_app, sphinx_test_tempdir, rootdir, name: str) -> tuple[Path, str]:
    import io
    import shutil

    srcdir = sphinx_test_tempdir / f"index-{name}"
    shutil.rmtree(srcdir, ignore_errors=True)
    shutil.copytree(rootdir / "test-apparatus", srcdir)
    text = srcdir / "text.md"
    text.write_text(
        text.read_text("utf-8").replace("# A Test\n", f"# A Test\n\n```{{indexed-names}}\n{declaration}```\n", 1),
        "utf-8",
    )
    warning = io.StringIO()
    app = make_app("html", srcdir=srcdir, warning=warning)
    try:
        app.build()
    except Exception:  # the build stops on the error; the message is what is tested
        pass
    return Path(app.outdir), warning.getvalue()


def test_a_small_text_is_indexed_at_its_words(make_app, sphinx_test_tempdir, rootdir) -> None:
    out, warnings = _root_with("Ní Aoláin, Fionnuala = Finnuala\n", make_app, sphinx_test_tempdir, rootdir, "ok")
    assert "indexed-names" not in warnings
    page = lxml_html.fromstring((out / "text.html").read_bytes())
    (word,) = page.xpath("//span[@class='index-mention']")
    assert word.text == "Finnuala" and word.xpath("ancestor::p[@id='p-1']")
    entries = _index_entries((out / "genindex.html").read_bytes())
    assert entries["Ní Aoláin, Fionnuala"] == [("¶ 1", f"text.html#{word.get('id')}")]


def test_a_bad_declaration_is_named_at_its_line(make_app, sphinx_test_tempdir, rootdir) -> None:
    _, warnings = _root_with("Moscow\nBad = a |\n", make_app, sphinx_test_tempdir, rootdir, "bad")
    assert re.search(r"text\.md:5: .*indexed-names: 'Bad' has an empty form", warnings), warnings
    assert re.search(r"text\.md:\d+: .*indexed-names: 'Moscow' is never named \(Moscow\)", warnings), warnings
