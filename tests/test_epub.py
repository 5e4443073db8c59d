"""The EPUB as its readers meet it: its stylesheet in a browser, its cover, its navigation, its metadata, DAISY Ace.

The pages are opened from the unzipped book in Chromium with nothing but
the book's own stylesheet, as a reading system would open them; the
checks are on what the browser computes and draws, not on the CSS text.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import conf_values
import fidelity
import pytest
import system
from lxml import etree

from scholarly_edition.config import EditionConfig, SettingError
from scholarly_edition.formats import epubaccess, epubcover
from scholarly_edition.formats.epub import STYLESHEET, unused_files

ROOT = Path(__file__).resolve().parents[1]
ACE = ROOT / "node_modules" / "@daisy" / "ace-cli" / "bin" / "ace.js"
NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "x": "http://www.w3.org/1999/xhtml",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
}
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
SPHINX_LEFTOVERS = {"copy-button.svg", "plus.png", "minus.png", "file.png", "pygments.css", "copybutton.css"}


def _conf_settings() -> EditionConfig:
    return EditionConfig.from_values(
        {
            name: conf_values.get(name)
            for name in ("edition_title", "edition_subtitle", "edition_author", "edition_statement", "edition_date")
        }
    )


@pytest.fixture(scope="module")
def book(edition) -> dict[str, bytes]:
    with zipfile.ZipFile(edition.epub) as z:
        return {name: z.read(name) for name in z.namelist()}


@pytest.fixture(scope="module")
def unzipped(edition, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("epub")
    with zipfile.ZipFile(edition.epub) as z:
        z.extractall(folder)
    return folder


def _opf(book: dict[str, bytes]) -> etree._Element:
    return etree.fromstring(book["content.opf"])


def _pages(book: dict[str, bytes]) -> dict[str, etree._Element]:
    return {name: etree.fromstring(data) for name, data in book.items() if name.endswith(".xhtml")}


# -- the cover -----------------------------------------------------------------


def _png_chunks(data: bytes) -> list[str]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, at = [], 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        chunks.append(data[at + 4 : at + 8].decode("ascii"))
        at += 12 + length
    return chunks


def test_the_cover_is_the_same_bytes_for_the_same_title_page() -> None:
    lines = epubcover.cover_lines(_conf_settings(), "1.0.0")
    first, second = epubcover.draw(lines), epubcover.draw(lines)
    assert first == second
    assert epubcover.draw(epubcover.cover_lines(_conf_settings(), "1.0.1")) != first
    # nothing that changes between runs: no time, no text chunks
    assert set(_png_chunks(first)) <= {"IHDR", "IDAT", "IEND"}, _png_chunks(first)
    assert struct.unpack(">II", first[16:24]) == (epubcover.WIDTH, epubcover.HEIGHT)


def test_the_cover_wraps_between_words_and_refuses_what_does_not_fit() -> None:
    font = epubcover._font(100)
    rows = epubcover.wrap("The Radicalisation Enigma of the long title", font, 900)
    assert len(rows) > 1 and " ".join(rows) == "The Radicalisation Enigma of the long title"
    assert all(font.getlength(row) <= 900 for row in rows if " " in row)
    with pytest.raises(ValueError, match="do not fit"):
        epubcover.draw([epubcover.Line("word " * 200, 120)])


def test_the_book_has_the_cover_drawn_from_its_title_page_first_and_marked(book) -> None:
    opf = _opf(book)
    (item,) = opf.xpath("//opf:item[contains(concat(' ', @properties, ' '), ' cover-image ')]", namespaces=NS)
    assert item.get("media-type") == "image/png"
    lines = epubcover.cover_lines(_conf_settings(), conf_values.get("version"))
    assert book[item.get("href")] == epubcover.draw(lines)
    # the cover page comes first, shows that image, and says its words
    first = opf.xpath("//opf:spine/opf:itemref[1]/@idref", namespaces=NS)[0]
    (page,) = opf.xpath("//opf:item[@id=$id]/@href", id=first, namespaces=NS)
    root = etree.fromstring(book[page])
    (img,) = root.xpath("//x:img", namespaces=NS)
    assert img.get("src") == item.get("href") and img.get("role") == "doc-cover"
    assert img.get("alt") == epubcover.alt_text(lines)
    # and those words are the title page's
    titlepage = " ".join("".join(etree.fromstring(book["index.xhtml"]).itertext()).split())
    for line in lines[1:]:
        assert line.text in titlepage, line.text
    assert root.xpath("//x:body", namespaces=NS)[0].get(EPUB_TYPE) == "cover"


# -- navigation, pages and files -------------------------------------------------


def test_the_index_is_in_the_contents_and_the_landmarks(book) -> None:
    nav = etree.fromstring(book["nav.xhtml"])
    (toc,) = nav.xpath("//x:nav[@epub:type='toc']", namespaces={**NS, "epub": "http://www.idpf.org/2007/ops"})
    assert toc.get("role") == "doc-toc"
    last = toc.xpath("./x:ol/x:li[last()]/x:a", namespaces=NS)[0]
    assert (last.get("href"), last.text) == ("genindex.xhtml", "Index")
    (landmarks,) = nav.xpath(
        "//x:nav[@epub:type='landmarks']", namespaces={**NS, "epub": "http://www.idpf.org/2007/ops"}
    )
    marks = {a.get(EPUB_TYPE): a.get("href") for a in landmarks.iter("{*}a")}
    assert marks == {
        "cover": "epub-cover.xhtml",
        "toc": "index.xhtml",
        "bodymatter": "essay.xhtml",
        "index": "genindex.xhtml",
    }
    ncx = etree.fromstring(book["toc.ncx"])
    assert ncx.xpath("/ncx:ncx/ncx:navMap/ncx:navPoint[last()]/ncx:content/@src", namespaces=NS) == ["genindex.xhtml"]
    # the one epub:type outside the landmarks that has an ARIA role carries it
    typed = [e for e in nav.iter() if e.get(EPUB_TYPE) and e is not landmarks and landmarks not in e.iterancestors()]
    assert [(e.get(EPUB_TYPE), e.get("role")) for e in typed] == [("toc", "doc-toc")]


def test_every_page_says_its_language_and_has_one_viewport(book) -> None:
    language = conf_values.get("edition_language")
    pages = _pages(book)
    assert len(pages) >= 12
    for name, root in pages.items():
        assert root.get("lang") == language, name
        assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == language, name
        assert len(root.xpath("//x:meta[@name='viewport']", namespaces=NS)) <= 1, name


def test_the_book_holds_only_what_it_uses(book) -> None:
    names = {n.rsplit("/", 1)[-1] for n in book}
    assert names.isdisjoint(SPHINX_LEFTOVERS), names & SPHINX_LEFTOVERS
    # every file in the manifest is a page, or is linked from a page or the stylesheet
    referenced = set()
    for name, data in book.items():
        if name.endswith((".xhtml", ".css")):
            for ref in re.findall(r"""(?:href|src)="([^"#]+)|url\(['"]?([^'")#]+)""", data.decode()):
                referenced.add(os.path.normpath(os.path.join(os.path.dirname(name), ref[0] or ref[1])))
    for item in _opf(book).xpath("//opf:item", namespaces=NS):
        href = item.get("href")
        assert href.endswith((".xhtml", ".ncx")) or href in referenced, href
    # one stylesheet, the book's own, on every page
    for name, root in _pages(book).items():
        links = root.xpath("//x:link[@rel='stylesheet']/@href", namespaces=NS)
        assert links == [f"_static/{STYLESHEET}"], (name, links)
    assert "var(--" not in book[f"_static/{STYLESHEET}"].decode()


def test_unused_files_finds_what_no_page_or_stylesheet_names(tmp_path: Path) -> None:
    (tmp_path / "_static").mkdir()
    (tmp_path / "page.xhtml").write_text('<link href="_static/a.css"/><img src="_static/b%20c.png"/>')
    (tmp_path / "_static" / "a.css").write_text("x { background: url('d.png') }")
    for name in ("b c.png", "d.png", "file.png", "copybutton.css"):
        (tmp_path / "_static" / name).write_bytes(b"")
    assert [p.name for p in unused_files(tmp_path)] == ["copybutton.css", "file.png"]


# -- accessibility metadata -------------------------------------------------------


def _meta(book: dict[str, bytes]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for meta in _opf(book).xpath("//opf:meta[@property]", namespaces=NS):
        found.setdefault(meta.get("property"), []).append(meta.text)
    return found


def test_the_accessibility_metadata_is_true_of_the_book(book) -> None:
    meta = _meta(book)
    pages = _pages(book)
    images = [img for root in pages.values() for img in root.iter("{*}img")]
    assert ("visual" in meta["schema:accessMode"]) == bool(images)
    assert "textual" in meta["schema:accessMode"] and "textual" in meta["schema:accessModeSufficient"]
    features = set(meta["schema:accessibilityFeature"])
    assert all(img.get("alt") for img in images) and "alternativeText" in features
    assert {"tableOfContents", "index", "structuralNavigation", "readingOrder"} <= features
    assert not any(root.xpath("//x:audio | //x:video | //x:script", namespaces=NS) for root in pages.values())
    assert set(meta["schema:accessibilityHazard"]) == {"noFlashingHazard", "noMotionSimulationHazard", "noSoundHazard"}
    (summary,) = meta["schema:accessibilitySummary"]
    not_reproduced = len(pages["essay.xhtml"].xpath("//x:figure[contains(@class, 'not-reproduced')]", namespaces=NS))
    assert f"The original's {not_reproduced} images could not be reproduced" in summary
    claim = conf_values.get("edition_epub_conforms_to")
    assert meta.get("dcterms:conformsTo", [""]) == [claim]
    assert meta.get("a11y:certifiedBy", [""]) == [conf_values.get("edition_contributors") if claim else ""]


def test_the_metadata_follows_what_the_book_holds() -> None:
    plain = epubaccess.Book(0, 0, True, False, False, True, 0)
    pairs = epubaccess.properties(plain, "", "someone")
    assert ("schema:accessMode", "visual") not in pairs and ("schema:accessibilityFeature", "index") not in pairs
    assert not any(name in {"dcterms:conformsTo", "a11y:certifiedBy"} for name, _ in pairs)
    assert ("schema:accessibilityHazard", "unknown") in pairs  # a script could flash or sound
    claimed = epubaccess.properties(
        epubaccess.Book(1, 0, True, True, True, False, 2), "EPUB Accessibility 1.1 - WCAG 2.2 Level AA", "us"
    )
    assert ("schema:accessibilityFeature", "alternativeText") not in claimed  # an image without alt
    assert ("schema:accessModeSufficient", "textual") not in claimed
    assert ("a11y:certifiedBy", "us") in claimed and ("schema:accessibilityFeature", "index") in claimed
    opf = '<package>\n  <metadata>\n  </metadata>\n  <item id="i" href="c.png" media-type="image/png" />\n</package>'
    out = epubaccess.add_to_package(opf, [("schema:accessibilitySummary", "<b>&")], "c.png")
    assert "&lt;b&gt;&amp;</meta>" in out and 'properties="cover-image"' in out
    with pytest.raises(ValueError, match="no cover image"):
        epubaccess.add_to_package(opf, [], "other.png")


def test_a_conformance_claim_must_be_in_the_form_epub_accessibility_gives() -> None:
    EditionConfig(epub_conforms_to="EPUB Accessibility 1.1 - WCAG 2.2 Level AA")
    with pytest.raises(SettingError, match="edition_epub_conforms_to"):
        EditionConfig(epub_conforms_to="WCAG AA")


_CYRILLIC = re.compile(r"[\u0400-\u04ff]+")


def claim_problems(pages: dict[str, etree._Element]) -> list[str]:
    """What a machine can see against a WCAG Level A or AA claim: foreign words not in their language, headings in name only."""
    problems = []
    for name, root in pages.items():
        for element in root.iter("{*}*"):
            own = (element.text or "") + "".join(child.tail or "" for child in element)
            if _CYRILLIC.search(own) and not any(
                e.get("lang", "").startswith("ru") for e in [element, *element.iterancestors()]
            ):
                problems.append(f"{name}: Russian without lang: {_CYRILLIC.search(own)[0]!r}")
        for rubric in root.xpath("//x:p[contains(concat(' ', @class, ' '), ' rubric ')]", namespaces=NS):
            problems.append(f"{name}: a heading set as a paragraph: {''.join(rubric.itertext())!r}")
    return problems


def test_a_wcag_claim_is_made_only_when_the_book_meets_what_can_be_checked(book) -> None:
    claim = conf_values.get("edition_epub_conforms_to")
    problems = claim_problems(_pages(book))
    assert not claim or problems == [], problems


def test_the_claim_check_sees_untagged_russian_and_a_rubric() -> None:
    page = etree.fromstring(
        '<html xmlns="http://www.w3.org/1999/xhtml"><body><p class="rubric">Notes</p><p>in <em>москве</em></p>'
        '<p><span lang="ru">москве</span></p></body></html>'
    )
    assert len(claim_problems({"p.xhtml": page})) == 2


# -- the text: the copy-text's words, a boundary at every mark ----------------


def test_the_epub_text_keeps_a_word_boundary_at_every_mark(edition) -> None:
    texts = fidelity.epub_page_texts(edition.epub)
    glued = {name: found for name, text in texts.items() if (found := fidelity.glued_marks(text))}
    assert glued == {}
    assert texts["essay.xhtml"].count(fidelity.SENTINEL) >= 22 + 10  # the author's notes and the paragraphs at least


def test_the_epub_text_content_keeps_the_copy_texts_words(edition) -> None:
    emendations = fidelity.epub_emendations(edition.epub)
    expected = fidelity.letter_words(fidelity.apply_emendations(fidelity.copy_text_essay(), emendations))
    actual = fidelity.letter_words(fidelity.epub_essay_text(edition.epub))
    assert fidelity.differences(expected, actual, allow_insertions=False) == []


def test_the_boundary_check_finds_a_glued_mark() -> None:
    from lxml import html as lxml_html

    root = lxml_html.fromstring(
        '<p><span class="paragraph-marker">¶ 1</span>The Islamic State<a class="ed-marker">a</a>. Often'
        ' <a class="footnote-reference">[1]</a></p>'
    )
    assert fidelity.marks_as_sentinels(root) == 3
    assert len(fidelity.glued_marks(root.text_content())) == 2  # "¶ 1The", "Statea"; " [1]" is apart


# -- the pages in a browser, with the book's stylesheet ----------------------


@pytest.fixture
def page_at(chromium: Any, unzipped: Path) -> Iterator[Any]:
    pages = []

    def open_page(name: str, width: int = 600, height: int = 900) -> Any:
        page = chromium.new_page(viewport={"width": width, "height": height})
        pages.append(page)
        page.goto((unzipped / name).as_uri())
        return page

    yield open_page
    for page in pages:
        page.close()


def test_note_numbers_are_raised_with_no_brackets_around_them(page_at) -> None:
    page = page_at("essay.xhtml")
    refs = page.eval_on_selector_all(
        "p a.footnote-reference",
        """refs => refs.map(a => ({
            shown: a.innerText,
            number: a.textContent.replace(/[\\[\\]]/g, ''),
            before: getComputedStyle(a, '::before').content,
            after: getComputedStyle(a, '::after').content,
            align: getComputedStyle(a).verticalAlign,
            size: parseFloat(getComputedStyle(a).fontSize),
            text: parseFloat(getComputedStyle(a.closest('p')).fontSize),
        }))""",
    )
    assert len(refs) == 22
    for ref in refs:
        assert ref["shown"] == ref["number"], ref
        assert ref["before"] in ("none", "normal") and ref["after"] in ("none", "normal"), ref
        assert ref["align"] == "super" and ref["size"] < 0.8 * ref["text"], ref


def test_paragraph_numbers_stand_apart_from_the_first_word(page_at) -> None:
    page = page_at("essay.xhtml")
    gaps = page.eval_on_selector_all(
        "p.numbered-paragraph",
        """ps => ps.map(p => {
            const marker = p.querySelector('.paragraph-marker');
            let node = marker.nextSibling;
            while (node && !(node.nodeType === 3 && node.textContent.trim())) node = node.nextSibling || node.firstChild;
            const start = node.textContent.search(/\\S/);
            const range = document.createRange();
            range.setStart(node, start); range.setEnd(node, start + 1);
            return {id: p.id, gap: range.getBoundingClientRect().left - marker.getBoundingClientRect().right,
                    em: parseFloat(getComputedStyle(p).fontSize), text: p.innerText.slice(0, 20)};
        })""",
    )
    assert len(gaps) == 10
    for gap in gaps:
        assert gap["gap"] >= 0.25 * gap["em"], gap
        assert re.match(r"¶\s\d+\s+\S", gap["text"]), gap


def test_no_mark_begins_a_line(page_at) -> None:
    for width in (320, 600):
        page = page_at("essay.xhtml", width=width)
        lone = page.eval_on_selector_all(
            "a.footnote-reference, a.tn-marker, a.ed-marker",
            """marks => marks.filter(a => {
                const before = a.previousSibling;
                if (!before || before.nodeType !== 3 || before.textContent.trim() === '') return false;
                const range = document.createRange();
                const end = before.textContent.length;
                range.setStart(before, Math.max(0, end - 2)); range.setEnd(before, end);
                const rects = range.getClientRects();
                const word = rects[0], mark = a.getBoundingClientRect();
                const line = parseFloat(getComputedStyle(a.parentNode).lineHeight) || 20;
                return Math.abs(word.bottom - mark.bottom) > line / 2;
            }).map(a => a.outerHTML.slice(0, 80))""",
        )
        assert lone == [], (width, lone)


def _contrast(rgb: str, background: tuple[int, int, int] = (255, 255, 255)) -> float:
    def luminance(channels: tuple[int, ...]) -> float:
        c = [x / 255 for x in channels]
        c = [x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]

    fg = tuple(int(x) for x in re.findall(r"\d+", rgb)[:3])
    light, dark = sorted((luminance(fg), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_figures_keep_their_frames_without_the_webs_variables(page_at) -> None:
    page = page_at("essay.xhtml")
    styles = page.eval_on_selector_all(
        "figure.not-reproduced",
        """figs => figs.map(f => {
            const box = getComputedStyle(f.querySelector('.figure-placeholder'));
            const legend = getComputedStyle(f.querySelector('.legend'));
            return {border: [box.borderTopStyle, box.borderTopWidth, box.borderTopColor], colour: box.color,
                    legend: [legend.borderLeftStyle, legend.borderLeftWidth], legendColour: legend.color};
        })""",
    )
    assert len(styles) == 4
    for style in styles:
        assert style["border"][:2] == ["dashed", "1px"] and _contrast(style["border"][2]) >= 3, style
        assert style["legend"] == ["solid", "3px"], style
        assert _contrast(style["colour"]) >= 4.5 and _contrast(style["legendColour"]) >= 4.5, style


def test_the_cover_and_the_contents_render(page_at) -> None:
    cover = page_at("epub-cover.xhtml", width=600, height=900)
    image = cover.eval_on_selector(
        "img",
        "i => ({w: i.naturalWidth, h: i.getBoundingClientRect().height, bottom: i.getBoundingClientRect().bottom})",
    )
    assert image["w"] == epubcover.WIDTH and 0 < image["bottom"] <= 900, image
    nav = page_at("nav.xhtml")
    entries = nav.eval_on_selector_all("nav#toc > ol > li > a", "as => as.map(a => a.innerText)")
    assert entries[-1] == "Index" and len(entries) >= 9
    assert nav.eval_on_selector("nav#landmarks", "n => getComputedStyle(n).display") == "none"


# -- DAISY Ace ---------------------------------------------------------------


def test_daisy_ace_finds_no_violation(edition, figures, tmp_path: Path) -> None:
    system.require(system.CHROMIUM)
    node = shutil.which("node")
    if node is None or not ACE.exists():
        pytest.fail(f"DAISY Ace is not installed: run `npm ci --ignore-scripts` in {ROOT} (Node.js needed)")
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": system.CHROMIUM, "PUPPETEER_SKIP_DOWNLOAD": "1"}
    out = tmp_path / "ace"
    subprocess.run(
        [node, str(ACE), "--silent", "--force", "--outdir", str(out), str(edition.epub)],
        env=env,
        check=True,
        capture_output=True,
        timeout=540,
    )
    report = json.loads((out / "report.json").read_text("utf-8"))
    violations = [
        (page["earl:testSubject"]["url"], check["earl:test"]["dct:title"], check["earl:test"]["earl:impact"])
        for page in report["assertions"]
        for check in page["assertions"]
        if check["earl:result"]["earl:outcome"] == "fail"
    ]
    checked = len(report["assertions"])
    figures["DAISY Ace"] = f"{len(violations)} violations on {checked} documents"
    assert checked >= 12
    assert violations == [] and report["earl:result"]["earl:outcome"] == "pass", violations


@pytest.mark.sphinx(
    "epub",
    testroot="second-essay",
    srcdir="hostile-statement-epub",
    confoverrides={"edition_statement": 'Law & Order <b>bold</b> "quoted"'},
)
def test_markup_in_conf_py_is_text_on_the_cover_page(app, warning) -> None:
    app.build()
    epub = next(Path(app.outdir).glob("*.epub"))
    with zipfile.ZipFile(epub) as z:
        cover = etree.fromstring(z.read("epub-cover.xhtml"))
        nav = etree.fromstring(z.read("nav.xhtml"))
        opf = etree.fromstring(z.read("content.opf"))
    (img,) = cover.xpath("//x:img", namespaces=NS)
    assert 'Law & Order <b>bold</b> "quoted".' in img.get("alt")
    assert not cover.xpath("//x:b", namespaces=NS)
    assert nav.xpath("//x:nav[@id='landmarks']//x:a/@href", namespaces=NS)  # the landmarks of another book
    assert opf.xpath("//opf:meta[@property='schema:accessMode']", namespaces=NS)


def test_a_second_build_reads_nothing_again_and_lists_the_cover_once(make_app, sphinx_test_tempdir, rootdir) -> None:
    import io

    srcdir = sphinx_test_tempdir / "epub-twice"
    shutil.rmtree(srcdir, ignore_errors=True)
    shutil.copytree(rootdir / "test-second-essay", srcdir)
    for _ in range(2):
        status = io.StringIO()
        app = make_app("epub", srcdir=srcdir, status=status)
        app.build()
    assert "0 added, 0 changed, 0 removed" in status.getvalue()  # the drawn cover is no changed setting
    opf = etree.fromstring((app.outdir / "content.opf").read_bytes())
    itemrefs = opf.xpath("//opf:itemref/@idref", namespaces=NS)
    assert len(itemrefs) == len(set(itemrefs))
    (cover,) = opf.xpath("//opf:item[@href='epub-cover.xhtml']/@id", namespaces=NS)
    assert itemrefs[0] == cover


def test_contents_that_list_the_index_list_it_once(make_app, sphinx_test_tempdir, rootdir) -> None:
    srcdir = sphinx_test_tempdir / "epub-genindex-in-toctree"
    shutil.rmtree(srcdir, ignore_errors=True)
    shutil.copytree(rootdir / "test-second-essay", srcdir)
    index = srcdir / "index.md"
    index.write_text(index.read_text("utf-8").replace("cite\n```", "cite\ngenindex\n```"), "utf-8")
    app = make_app("epub", srcdir=srcdir)
    app.build()
    nav = etree.fromstring((app.outdir / "nav.xhtml").read_bytes())
    ncx = etree.fromstring((app.outdir / "toc.ncx").read_bytes())
    opf = etree.fromstring((app.outdir / "content.opf").read_bytes())
    assert nav.xpath("//x:nav[@id='toc']//x:a/@href", namespaces=NS).count("genindex.xhtml") == 1
    assert ncx.xpath("//ncx:content/@src", namespaces=NS).count("genindex.xhtml") == 1
    itemrefs = opf.xpath("//opf:itemref/@idref", namespaces=NS)
    assert len(itemrefs) == len(set(itemrefs))
