"""The apparatus cannot be taken for the author's: textual notes numbered T1, T2 … in every format, no
sentence said over and over, and every phrase in another language marked as such."""

from __future__ import annotations

import re
import unicodedata
import zipfile
from collections import Counter

import fidelity
from conftest import STEM
from lxml import html as lxml_html

from scholarly_edition.apparatus.model import COMMENTARY, TEXTUAL, letters, textual_label

CLASS = "contains(concat(' ', @class, ' '), ' {} ')"


def _has(name: str) -> str:
    return CLASS.format(name)


def test_each_series_has_its_own_numbering() -> None:
    assert [textual_label(n) for n in (1, 9, 31)] == ["T1", "T9", "T31"]
    assert [letters(n) for n in (1, 26, 27)] == ["a", "z", "aa"]
    # the ids stay as they were, so permalinks to a note survive the new labels
    assert TEXTUAL.anchor_of(7) == "7" and COMMENTARY.anchor_of(3) == "c"


def _check_pages(essay: bytes, notes: bytes, commentary: bytes, suffix: str) -> None:
    page = lxml_html.fromstring(notes)
    entries = page.xpath(f"//li[{_has('tn-entry')}]")
    assert len(entries) > 22  # one on each of the author's 22 notes, and the others
    for n, entry in enumerate(entries, start=1):
        assert entry.get("id") == f"tn-{n}"
        (back,) = entry.xpath(f".//a[{_has('editorial-backref')}]")
        assert back.text_content() == f"T{n}"
        assert back.get("aria-label") == f"Back to the text of textual note T{n}"
    text = lxml_html.fromstring(essay)
    markers = text.xpath(f"//a[{_has('tn-marker')}]")
    assert markers and all(re.fullmatch(r"Textual note T\d+", m.get("aria-label")) for m in markers)
    # the author's notes keep their plain numbers
    assert [
        (r.get("data-mark") or r.text_content()).strip("[] ") for r in text.xpath(f"//a[{_has('footnote-reference')}]")
    ][:3] == [
        "1",
        "2",
        "3",
    ]
    # a reference to a textual note names it by its label, on any page
    for root in (page, lxml_html.fromstring(commentary), text):
        words = " ".join(root.text_content().split())
        assert not re.search(r"textual notes? \d", words), re.search(r".{30}textual notes? \d.{10}", words)
    assert "see textual note T1" in " ".join(lxml_html.fromstring(commentary).text_content().split())


def test_textual_notes_are_numbered_t1_t2_in_the_html(edition) -> None:
    pages = [(edition.html / f"{p}.html").read_bytes() for p in ("essay", "textual-notes", "commentary")]
    _check_pages(*pages, ".html")


def test_textual_notes_are_numbered_t1_t2_in_the_epub(edition) -> None:
    with zipfile.ZipFile(edition.epub) as z:
        pages = [z.read(f"{p}.xhtml") for p in ("essay", "textual-notes", "commentary")]
    _check_pages(*pages, ".xhtml")


def test_textual_notes_are_numbered_t1_t2_in_the_pdf(edition) -> None:
    tex = (edition.latex / f"{STEM}.tex").read_text("utf-8")
    labels = re.findall(r"\\EditionTextualMarkLabel\{([^}]*)\}", tex)
    assert labels == [f"T{n}" for n in range(1, len(labels) + 1)] and len(labels) > 22
    listing = fidelity.pdf_section_text(edition.pdf, "Textual notes")
    starts = re.findall(r"^(T\d+) ", listing, re.MULTILINE)
    assert starts == [f"T{n}" for n in range(1, len(labels) + 1)]
    commentary = " ".join(fidelity.pdf_section_text(edition.pdf, "Commentary").split())
    assert "see textual note T1" in commentary


def _sentences(root) -> Counter[str]:
    """How many notes of a listing say each sentence of six words or more."""
    said: Counter[str] = Counter()
    for entry in root.xpath(f"//li[{_has('editorial')}]"):
        text = " ".join(entry.text_content().split())
        said.update({s for s in re.split(r"(?<=[.;!?])\s+", text) if len(s.split()) >= 6})
    return said


def test_no_sentence_is_repeated_through_the_apparatus(edition) -> None:
    for page in ("textual-notes.html", "commentary.html"):
        said = _sentences(lxml_html.fromstring((edition.html / page).read_bytes()))
        assert said, page
        repeated = {s: n for s, n in said.items() if n > 2}
        assert repeated == {}, page
    # what every note on an author's note records, the page says once
    notes = " ".join(lxml_html.fromstring((edition.html / "textual-notes.html").read_bytes()).text_content().split())
    assert "keep the copy-text's own wording of each of the author's notes".replace("'", "’") in notes


def _non_latin(text: str) -> bool:
    return any(ch.isalpha() and not unicodedata.name(ch, "").startswith("LATIN") for ch in text)


def _untagged(root, language: str) -> list[str]:
    """Text in a script other than Latin with no ``lang`` of its own around it."""
    found = []
    for node in root.xpath("//body//text()[not(ancestor::script) and not(ancestor::style)]"):
        if not _non_latin(node):
            continue
        holder = node.getparent().getparent() if node.is_tail else node.getparent()  # a tail is outside its element
        langs = holder.xpath("ancestor-or-self::*[@lang][1]/@lang")
        if not langs or langs[0].split("-")[0] == language:
            found.append(str(node).strip())
    return found


def _tagged(root, lang: str) -> list[str]:
    return [" ".join(e.text_content().split()) for e in root.xpath(f"//*[@lang='{lang}' and not(self::html)]")]


def test_every_foreign_phrase_has_its_language_in_the_html(edition) -> None:
    pages = sorted(edition.html.glob("*.html"))
    assert len(pages) > 8
    for page in pages:
        root = lxml_html.fromstring(page.read_bytes())
        assert _untagged(root, "en") == [], page.name
    essay = lxml_html.fromstring((edition.html / "essay.html").read_bytes())
    assert "Propagandabild IS-Kämpfer ARCHIV" in _tagged(essay, "de")
    assert "основные правила трудоустройства в городе москве" in _tagged(essay, "ru")
    for page in ("commentary.html", "textual-notes.html"):
        root = lxml_html.fromstring((edition.html / page).read_bytes())
        lemmas = root.xpath(f"//*[{_has('tn-head')} or {_has('ed-head')}]//*[@lang='ru']")
        assert lemmas, f"{page}: the Russian lemma is not marked as Russian"


def test_every_foreign_phrase_has_its_language_in_the_epub(edition) -> None:
    with zipfile.ZipFile(edition.epub) as z:
        pages = [n for n in z.namelist() if n.endswith(".xhtml")]
        for name in pages:
            root = lxml_html.fromstring(z.read(name))
            assert _untagged(root, "en") == [], name


def test_every_foreign_phrase_has_its_language_in_the_pdf(edition) -> None:
    tex = (edition.latex / f"{STEM}.tex").read_text("utf-8")
    rest = re.sub(r"\\foreignlanguage\{(russian|german)\}\{[^{}]*\}", "", tex)
    assert not [line for line in rest.splitlines() if _non_latin(line)]
    assert r"\foreignlanguage{german}{Propagandabild IS\sphinxhyphen{}Kämpfer ARCHIV}" in tex


def test_the_untagged_finder_finds_untagged_cyrillic() -> None:
    page = '<html lang="en"><body><p>in <span lang="ru">м</span> and м, <i lang="en-GB">м</i></p></body></html>'
    assert _untagged(lxml_html.fromstring(page), "en") == ["and м,", "м"]
