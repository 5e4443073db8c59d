"""The real edition, built once: notes, bibliography, formats, fidelity."""

from __future__ import annotations

import re
import subprocess
import zipfile

import fidelity
import system
from conftest import STEM
from lxml import html as lxml_html

# The essay's 22 notes: the work each cites and the locator the source gives.
NOTES = [
    ("Institute of Oriental Studies", "Causes and Motives of Radicalisation", "4"),
    ("Galiya Ibragimova", "Russia’s Big Fear", None),
    ("Institute of Oriental Studies", "Causes and Motives", "15"),
    ("Daniil Turovsky", "How Isis Is Recruiting", None),
    ("Rustamjon Urinboyev", "Establishing an “Uzbek Mahalla” via Smartphones", None),
    ("Urinboyev", "Establishing an “Uzbek Mahalla”", "140–41"),
    ("Abdujalil Abdurasulov", "Central Asians Respond to the Lure", None),
    ("Anna Gussarova", "Repatriating Foreign Fighters", None),
    ("Dmitry Solovyov", "Central Asia Crackdown", None),
    ("Connor Dilleen", "Growing Islamic State Threat", None),
    ("Abdurasulov", "Central Asians", None),
    ("John Heathershaw and David W. Montgomery", "The Myth of Post-Soviet Muslim Radicalization", "1"),
    ("Andrew E. Kramer", "Kazakhstan Welcomes Women Back", None),
    ("UNHR Office of the High Commissioner", "UN Expert Urges Reform", None),
    ("Assel Satubaldina", "Jusan Operation", None),
    ("UNHR Office of the High Commissioner", "Preliminary Findings", None),
    ("Vlagyiszlav Makszimov", "Europe Still Reluctant", None),
    ("Safe Internet League", "About Us", None),
    ("", "Russia: Moscow Authorities Release Migrant Workers’ Guidebook", None),
    ("", "Russia: Moscow Authorities Release Migrant Workers’ Guidebook", None),
    ("Institute of Oriental Studies", "Causes and Motives", "15"),
    ("", "About Ruptly", None),
]
SHORT_FORMS = {3, 6, 11, 20, 21}


def _essay_notes(edition) -> list[str]:
    root = lxml_html.fromstring((edition.html / "essay.html").read_bytes())
    notes = root.xpath("//aside[contains(@class, 'footnote ') or @class='footnote']")
    notes = root.xpath("//aside[@role='doc-footnote']")
    return [" ".join(n.text_content().split()) for n in notes]


def test_essay_has_22_notes_in_order_with_works_and_locators(edition) -> None:
    notes = _essay_notes(edition)
    assert len(notes) == 22
    for number, (text, (who, title, locator)) in enumerate(zip(notes, NOTES), start=1):
        assert text.startswith(f"[{number}]"), text
        assert who in text and title in text, (number, text)
        if locator:
            assert re.search(rf", {re.escape(locator)}[.,]", text), (number, text)


def test_first_citations_are_full_and_later_ones_short(edition) -> None:
    notes = _essay_notes(edition)
    first_of_work = {1: 1, 3: 1, 21: 1, 5: 5, 6: 5, 7: 7, 11: 7, 19: 19, 20: 19}
    for number, text in enumerate(notes, start=1):
        if number in SHORT_FORMS:
            full = notes[first_of_work[number] - 1]
            assert len(text) < len(full) / 2, (number, text)
            assert "http" not in text, (number, text)


def test_note_markers_sit_where_the_copy_text_puts_them(edition) -> None:
    root = lxml_html.fromstring((edition.html / "essay.html").read_bytes())
    refs = root.xpath("//a[contains(@class, 'footnote-reference')]")
    assert [r.get("data-mark") for r in refs] == [str(n) for n in range(1, 23)]
    assert [r.text_content() for r in refs] == [""] * 22  # drawn by the stylesheet, no part of the text
    # notes 2, 9 and 17 belong to image captions
    for number in (2, 9, 17):
        assert refs[number - 1].xpath("ancestor::figcaption"), number
    # every other marker follows the word the copy-text puts it after
    copy = fidelity.apply_emendations(
        fidelity.COPY_TEXT.read_text("utf-8"), fidelity.html_emendations(edition.html / "textual-notes.html")
    )
    for number, ref in enumerate(refs, start=1):
        preceding = (ref.xpath("preceding::text()[normalize-space()][1]") or [""])[0].split()
        assert preceding, number
        assert re.search(re.escape(preceding[-1]) + rf"\s*\[{number}\]", copy), (number, preceding[-1])


def test_bibliography_lists_every_work(edition) -> None:
    from pybtex.database import parse_file

    keys = set(parse_file(fidelity.ROOT / "refs.bib").entries)
    page = (edition.html / "bibliography.html").read_text("utf-8")
    listed = set(re.findall(r'id="work-([^"]+)"', page))
    assert listed == keys
    assert len(keys) == 18


def test_html_text_matches_the_copy_text(edition) -> None:
    emendations = fidelity.html_emendations(edition.html / "textual-notes.html")
    expected = fidelity.words(fidelity.apply_emendations(fidelity.copy_text_essay(), emendations))
    actual = fidelity.html_essay_words(edition.html / "essay.html")
    assert fidelity.differences(expected, actual, allow_insertions=False) == []


def test_epub_text_matches_the_copy_text(edition) -> None:
    emendations = fidelity.epub_emendations(edition.epub)
    expected = fidelity.words(fidelity.apply_emendations(fidelity.copy_text_essay(), emendations))
    actual = fidelity.epub_essay_words(edition.epub)
    assert fidelity.differences(expected, actual, allow_insertions=False) == []


def test_pdf_text_matches_the_copy_text(edition) -> None:
    # the PDF's own textual notes record the same emendations (test_apparatus checks that)
    emendations = fidelity.html_emendations(edition.html / "textual-notes.html")
    expected = fidelity.words(fidelity.apply_emendations(fidelity.copy_text_essay(), emendations))
    text = fidelity.pdf_section_text(edition.pdf, "The Radicalisation Enigma")
    markers = fidelity.html_editorial_markers(edition.html / "essay.html")
    actual = fidelity.pdf_words(text, set(expected), markers)
    assert fidelity.differences(expected, actual, allow_insertions=True) == []


def test_fidelity_check_catches_a_changed_word() -> None:
    expected = fidelity.words(fidelity.copy_text_essay())
    changed = list(expected)
    changed[100] = "altered"
    assert fidelity.differences(expected, changed, allow_insertions=True)
    assert fidelity.differences(expected, expected[:50] + expected[51:], allow_insertions=True)


def test_epubcheck_reports_nothing(edition, figures) -> None:
    system.require("java", system.EPUBCHECK)
    result = subprocess.run(["java", "-jar", system.EPUBCHECK, str(edition.epub)], capture_output=True, text=True)
    output = result.stdout + result.stderr
    counts = re.search(r"\d+ fatals / \d+ errors / \d+ warnings", output)
    figures["EPUBCheck"] = counts[0] if counts else "no verdict"
    assert "0 fatals / 0 errors / 0 warnings" in output, output


def test_epub_notes_are_epub3_footnotes(edition) -> None:
    with zipfile.ZipFile(edition.epub) as z:
        xhtml = z.read("essay.xhtml").decode()
        opf = z.read("content.opf").decode()
    assert xhtml.count('epub:type="footnote"') == 22
    # the author's 22 note references; the editor's lettered notes are noterefs of their own kind
    assert len(re.findall(r'<a [^>]*class="[^"]*author-note[^"]*"[^>]*epub:type="noteref"', xhtml)) == 22
    assert xhtml.count('role="doc-footnote"') == 22
    assert "<dc:language>en-GB</dc:language>" in opf
    assert "urn:uuid:" in opf


def test_russian_is_marked_in_every_format(edition) -> None:
    phrase = "основные правила трудоустройства в городе москве"
    html = (edition.html / "essay.html").read_text("utf-8")
    assert f'lang="ru">{phrase}</span>' in html
    with zipfile.ZipFile(edition.epub) as z:
        assert f'lang="ru">{phrase}</span>' in z.read("essay.xhtml").decode()
    tex = (edition.latex / f"{STEM}.tex").read_text("utf-8")
    assert rf"\foreignlanguage{{russian}}{{{phrase}}}" in tex


def test_pdf_is_a4_with_embedded_fonts_metadata_and_extractable_text(edition) -> None:
    from pypdf import PdfReader

    reader = PdfReader(edition.pdf)
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    assert reader.metadata.title.startswith("The Radicalisation Enigma")
    assert reader.metadata.author == "Issy Williams"
    assert reader.outline, "no bookmarks"
    fonts = subprocess.run(["pdffonts", str(edition.pdf)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(row.split()[-5] == "yes" for row in rows), fonts
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(edition.pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "основные правила трудоустройства в городе москве" in text
    assert "Ní" in text and "Aoláin" in text


def test_every_page_links_to_the_downloads(edition) -> None:
    assert edition.pdf.stat().st_size > 10_000
    assert edition.epub.stat().st_size > 10_000
    for page in edition.html.rglob("*.html"):
        root = lxml_html.fromstring(page.read_bytes())
        hrefs = root.xpath("//nav[contains(@class, 'sidebar-downloads')]//a/@href")
        targets = {(page.parent / h).resolve() for h in hrefs}
        assert targets == {edition.pdf.resolve(), edition.epub.resolve()}, page


def test_rights_are_stated_honestly(edition) -> None:
    """The footer gives the essay to its author with no invented year; no theme credit on every page; a LICENSE."""
    import conf_values

    footer = " ".join(
        lxml_html.fromstring((edition.html / "essay.html").read_bytes()).xpath("//footer")[0].text_content().split()
    )
    assert f"{conf_values.get('author')} (the essay);" in footer
    assert not re.search(r"\d{4},? [^;]*\(the essay\)|\(the essay\)[^;]*\d{4}", footer.split(";")[0])
    assert "Made with" not in footer
    licence = (fidelity.ROOT / "LICENSE").read_text("utf-8")
    assert "CC BY 4.0" in licence and "MIT License" in licence and "rights stay" in licence
    assert "LICENSE" in (fidelity.ROOT / "README.md").read_text("utf-8")
