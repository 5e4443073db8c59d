"""The editorial apparatus: textual notes, commentary, title page, glossary,
index and image descriptions, on small test roots and on the real edition."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import fidelity
import pytest
from conftest import STEM
from lxml import html as lxml_html
from sphinx.errors import SphinxError

CLASS = "contains(concat(' ', @class, ' '), ' {} ')"


def _has_class(name: str) -> str:
    return CLASS.format(name)


# -- small roots ---------------------------------------------------------------


@pytest.mark.sphinx("html", testroot="apparatus")
def test_marks_and_notes_link_both_ways_in_text_order(app, warning) -> None:
    app.build()
    assert not warning.getvalue()
    text = lxml_html.fromstring((app.outdir / "text.html").read_bytes())
    ids = text.xpath("//@id")
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)  # one ¶ numbering, not two
    markers = text.xpath(f"//a[{_has_class('tn-marker')}]")
    # numbered in text order (note 1's reference comes second); the note on note 1 sits in note 1 itself
    assert [m.get("href") for m in markers] == [f"textual-notes.html#tn-{n}" for n in (1, 3, 4, 2)]
    assert markers[3].xpath("ancestor::aside[@role='doc-footnote' and @id='note-1']")
    notes = lxml_html.fromstring((app.outdir / "textual-notes.html").read_bytes())
    entries = notes.xpath(f"//li[{_has_class('tn-entry')}]")
    assert [e.get("id") for e in entries] == ["tn-1", "tn-2", "tn-3", "tn-4"]
    for entry in entries:
        (back,) = entry.xpath(f".//a[{_has_class('editorial-backref')}]")
        target = back.get("href").split("#")[1]
        assert text.xpath(f"//*[@id='{target}']"), target
    # each states the copy-text reading, the edition's reading and the reason
    first = " ".join(entries[0].text_content().split())
    assert "¶ 1" in first and "Copy-text: Finnuala" in first and "Edition: Finnuala (not emended)" in first
    assert "The bearer spells it Fionnuala." in first
    # the note on the author's note quotes the copy-text's wording from the file, and sets the edition's beside it
    second = " ".join(entries[1].text_content().split())
    assert "Copy-text: Smith, A Book About Moscow, 4, 4." in second
    assert "Edition: Jane Smith, A Book About Moscow (Example Press, 2000), 4." in second
    # an emendation is marked as one, in the text and in the note
    assert "emendation" in entries[2].get("class")
    assert text.xpath(f"//span[{_has_class('emendation')} and @id='tn-at-quote']")
    assert fidelity.html_emendations(app.outdir / "textual-notes.html") == [
        fidelity.Emendation("a phrase.”", "a phrase.’")
    ]
    # a point mark quoting a whole copy-text line
    assert "Copy-text: Cover image from somewhere (Credit)." in " ".join(entries[3].text_content().split())


@pytest.mark.sphinx("html", testroot="apparatus")
def test_commentary_is_a_lettered_series_of_endnotes(app, warning) -> None:
    app.build()
    assert not warning.getvalue()
    text = lxml_html.fromstring((app.outdir / "text.html").read_bytes())
    refs = text.xpath(f"//a[{_has_class('ed-marker')}]")
    # the letters are drawn by the stylesheet, no part of the text (a copy or a parser gets the words alone)
    assert [(r.get("data-mark"), r.text_content()) for r in refs] == [("a", ""), ("b", "")]
    assert all(r.get("role") == "doc-noteref" and "editorial" in r.get("class") for r in refs)
    (author,) = text.xpath("//a[contains(@class, 'author-note')]")
    assert "editorial" not in author.get("class")
    page = lxml_html.fromstring((app.outdir / "commentary.html").read_bytes())
    (section,) = page.xpath("//section[@role='doc-endnotes']")
    assert [li.get("id") for li in section.xpath(".//li")] == ["ed-a", "ed-b"]
    # a point mark's lemma is named in its definition, checked against the text
    assert "¶ 1 · IOS RAS" in " ".join(section.xpath(".//li")[0].text_content().split())


@pytest.mark.sphinx("epub", testroot="apparatus")
def test_epub_tells_editorial_notes_from_the_authors(app, warning) -> None:
    app.build()
    text = (app.outdir / "text.xhtml").read_text("utf-8")
    commentary = (app.outdir / "commentary.xhtml").read_text("utf-8")
    assert 'epub:type="footnote"' in text  # the author's note
    assert re.search(r'<a [^>]*class="editorial ed-marker"[^>]*epub:type="noteref"', text)
    assert 'epub:type="endnotes"' in commentary and 'epub:type="endnote"' in commentary
    assert 'epub:type="footnote"' not in commentary


@pytest.mark.sphinx("latex", testroot="apparatus")
def test_latex_sets_editorial_notes_apart_from_the_footnotes(app, warning) -> None:
    app.build()
    assert not warning.getvalue()
    tex = next(app.outdir.glob("*.tex")).read_text("utf-8")
    assert tex.count(r"\begin{footnote}") == 1  # only the author's note is a footnote
    assert tex.count(r"\EditionCommentaryMark{") == 2
    assert tex.count(r"\EditionTextualMark{") == 4
    assert r"\hyperref[\detokenize{textual-notes:tn-3}]" in tex
    assert r"\label{\detokenize{text:tn-at-quote}}" in tex
    assert tex.count(r"\begin{EditionApparatusList}") == 2
    assert r"\begin{EditionTitlePage}" in tex
    sty = (app.outdir / "editionapparatus.sty").read_text("utf-8")
    assert "Version={0.1}" in sty


@pytest.mark.sphinx("html", testroot="apparatus", confoverrides={"version": "7.7.7", "edition_date": "2030-03-04"})
def test_title_page_is_made_from_the_configuration(app, warning) -> None:
    app.build()
    page = " ".join(lxml_html.fromstring((app.outdir / "index.html").read_bytes()).text_content().split())
    assert "Version 7.7.7, 4 March 2030" in page
    assert "Prepared by the test’s contributors" in page
    # the citation is the cite page's record in its first style, not a second record
    from scholarly_edition.citing.domain import citing_domain
    from scholarly_edition.text.pandoc_ast import to_text

    citing = citing_domain(app.env).citing
    assert citing is not None
    entry = to_text(citing.styles[0].bibliography)
    assert entry == "Smith, Jane. A Test: Of the Apparatus. Test ed., version 7.7.7. 2030."
    assert f"How to cite: {entry}" in page


BROKEN = {
    # (file, reading, broken reading): each a different way the apparatus can disagree with the text
    "name": ("text.md", "{tn}`Finnuala <name>`", "{tn}`Fionnuala <name>`"),
    "name-note": ("textual-notes.md", "The bearer spells it Fionnuala.", ":copy-text: Finnuala\nChanged silently."),
    "quote": ("textual-notes.md", ":copy-text: a phrase.”", ":copy-text: a phrase that is not there"),
    "orphan": ("text.md", "{tn}`point`", "{tn}`point`{tn}`orphan`"),
    "unused": (
        "textual-notes.md",
        ":::{textual-note} note-1-remarks\n:note: 1\n:kind: reference",
        ":::{textual-note} unused\n:kind: name",
    ),
    "lemma": ("commentary.md", ":lemma: IOS RAS", ":lemma: IOS RUS"),
}


def _break(srcdir: Path) -> None:
    for name, (file, good, bad) in BROKEN.items():
        path = srcdir / file
        text = path.read_text("utf-8")
        assert good in text, f"the {name!r} case needs updating"
        path.write_text(text.replace(good, bad, 1), "utf-8")


@pytest.mark.sphinx("html", testroot="apparatus", freshenv=True)
def test_bad_apparatus_stops_the_build_naming_file_and_line(app, warning) -> None:
    _break(Path(app.srcdir))
    with pytest.raises(SphinxError, match="editorial notes above"):
        app.build()
    message = warning.getvalue()
    assert (
        "textual-notes.md:5: ERROR: textual note 'name': the text reads 'Fionnuala' but the copy-text 'Finnuala'"
        in message
    )
    assert (
        "textual-notes.md:11: ERROR: textual note 'quote': 'a phrase that is not there' is not in the copy-text"
        in message
    )
    assert "text.md:5: ERROR: {tn} mark 'orphan' has no textual note definition" in message
    assert "ERROR: textual note 'unused' has no mark in the text" in message
    assert (
        "commentary.md:5: ERROR: editorial note 'iosras': its lemma 'IOS RUS' is not the text before its mark"
        in message
    )
    assert all(line.count("ERROR:") <= 1 for line in message.splitlines()), "one problem a line"


def test_copy_text_quotes_notes_and_lines() -> None:
    from scholarly_edition.apparatus.copytext import CopyText, CopyTextError

    copy = CopyText.read(fidelity.COPY_TEXT)
    assert len(copy.notes()) == 22
    assert copy.note(6) == "Urinboyev, “Establishing an “Uzbek Mahalla””, 140-1."
    assert copy.line_starting("Cover image from").endswith("(Picture-alliance/abaca/Yaghobzadeh Rafael).")
    with pytest.raises(CopyTextError):
        copy.note(23)
    with pytest.raises(CopyTextError):
        copy.line_starting("[")


def test_fidelity_applies_emendations_and_reports_unrecorded_changes() -> None:
    emendation = fidelity.Emendation("groups.”", "groups.’")
    copy = fidelity.copy_text_essay()
    emended = fidelity.words(fidelity.apply_emendations(copy, [emendation]))
    assert "groups.’" in emended and "groups.”" not in emended
    assert fidelity.unrecorded_differences(fidelity.words(copy), emended, [emendation]) == []
    assert fidelity.unrecorded_differences(fidelity.words(copy), emended, [])
    with pytest.raises(AssertionError):
        fidelity.apply_emendations(copy, [fidelity.Emendation("the", "thee")])  # not one place


def test_pdf_marker_stripping_removes_only_markers() -> None:
    known = {"Finnuala", "State.", "Khalimov", "a", "note", "not"}
    tokens = ["Finnuala°", "Statea", ".", "Khalimovb", "a", "note"]
    assert fidelity.strip_editorial_markers(tokens, known, ["°", "a", "b"]) == [
        "Finnuala",
        "State.",
        "Khalimov",
        "a",
        "note",
    ]
    # out of order, a letter stays: a changed word is not hidden
    assert fidelity.strip_editorial_markers(["Khalimovb"], known, ["a", "b"]) == ["Khalimovb"]


# -- the real edition ----------------------------------------------------------


def test_every_difference_from_the_copy_text_has_a_textual_note(edition) -> None:
    emendations = fidelity.html_emendations(edition.html / "textual-notes.html")
    assert emendations, "the edition records its emendation"
    copy = fidelity.words(fidelity.copy_text_essay())
    actual = fidelity.html_essay_words(edition.html / "essay.html")
    assert fidelity.differences(copy, actual, allow_insertions=False), "the emendation shows in the text"
    assert fidelity.unrecorded_differences(copy, actual, emendations) == []


def test_each_format_records_the_same_emendations(edition) -> None:
    html = fidelity.html_emendations(edition.html / "textual-notes.html")
    assert fidelity.epub_emendations(edition.epub) == html
    text = " ".join(fidelity.pdf_section_text(edition.pdf, "Textual notes").split())
    for e in html:
        assert f"Copy-text: {e.copy_text} Edition: {e.edition}" in text


def test_every_note_and_the_cover_credit_keep_the_copy_texts_wording(edition) -> None:
    from scholarly_edition.apparatus.copytext import CopyText

    copy = CopyText.read(fidelity.COPY_TEXT)
    page = lxml_html.fromstring((edition.html / "textual-notes.html").read_bytes())
    quoted = [" ".join(q.text_content().split()) for q in page.xpath(f"//*[{_has_class('tn-copy-text')}]")]
    for number, wording in copy.notes().items():
        assert wording in quoted, number
    assert copy.line_starting("Cover image from") in quoted
    essay = lxml_html.fromstring((edition.html / "essay.html").read_bytes())
    for number in range(1, 23):
        (note,) = essay.xpath(f"//aside[@id='note-{number}']")
        assert note.xpath(f".//a[{_has_class('tn-marker')}]"), number


def test_textual_notes_are_anchored_to_paragraphs_and_link_back(edition) -> None:
    page = lxml_html.fromstring((edition.html / "textual-notes.html").read_bytes())
    essay = lxml_html.fromstring((edition.html / "essay.html").read_bytes())
    heads = {
        e.get("id"): " ".join(e.xpath(f".//*[{_has_class('tn-head')}]")[0].text_content().split())
        for e in page.xpath(f"//li[{_has_class('tn-entry')}]")
    }
    assert any("¶ 8 · Finnuala Ní Aoláin" in h for h in heads.values())
    assert any("¶ 5 · groups.’ · emendation" in h for h in heads.values())
    for back in page.xpath(f"//a[{_has_class('editorial-backref')}]"):
        doc, target = back.get("href").split("#")
        assert doc == "essay.html" and essay.xpath(f"//*[@id='{target}']"), target
        (marker,) = essay.xpath(
            f"//a[{_has_class('tn-marker')} and @href='textual-notes.html#{back.getparent().getparent().get('id')}']"
        )


def test_editorial_and_author_notes_differ_in_markup_in_all_three_formats(edition) -> None:
    html = (edition.html / "essay.html").read_text("utf-8")
    root = lxml_html.fromstring(html)
    assert len(root.xpath("//aside[@role='doc-footnote']")) == 22
    ed = root.xpath(f"//a[{_has_class('ed-marker')}]")
    assert len(ed) >= 10 and all("editorial" in a.get("class").split() for a in ed)
    commentary = lxml_html.fromstring((edition.html / "commentary.html").read_bytes())
    assert commentary.xpath("//section[@role='doc-endnotes']//li[@id='ed-a']")
    assert not commentary.xpath("//*[@role='doc-footnote']")
    with zipfile.ZipFile(edition.epub) as z:
        xhtml = z.read("essay.xhtml").decode()
        endnotes = z.read("commentary.xhtml").decode()
    assert xhtml.count('epub:type="footnote"') == 22
    assert len(re.findall(r'class="editorial ed-marker"[^>]*epub:type="noteref"', xhtml)) == len(ed)
    assert 'epub:type="endnotes"' in endnotes and endnotes.count('epub:type="endnote"') == len(ed)
    tex = (edition.latex / f"{STEM}.tex").read_text("utf-8")
    assert tex.count(r"\EditionCommentaryMark{") == len(ed)
    assert r"\EditionCommentaryMark{" not in "".join(
        re.findall(r"\\begin\{footnote(?:text)?\}.*?\\end\{footnote(?:text)?\}", tex, re.S)
    )
    commentary_pdf = " ".join(fidelity.pdf_section_text(edition.pdf, "Commentary").split())
    assert re.search(r"\ba ¶ 1 · the Islamic State\b", commentary_pdf)


def test_glossary_and_index_are_present_and_linked_in_all_three_formats(edition) -> None:
    essay = lxml_html.fromstring((edition.html / "essay.html").read_bytes())
    terms = essay.xpath("//a[contains(@href, 'glossary.html#term-')]")
    assert {t.text_content() for t in terms} >= {
        "IOS RAS",
        "IS",
        "mahallas",
        "Operation Zhusan",
        "Safe Internet League",
        "RT",
        "Ruptly",
    }
    glossary = lxml_html.fromstring((edition.html / "glossary.html").read_bytes())
    for term in terms:
        assert glossary.xpath(f"//dt[@id='{term.get('href').split('#')[1]}']"), term.get("href")
    genindex = lxml_html.fromstring((edition.html / "genindex.html").read_bytes())
    entry = genindex.xpath("//li[span[normalize-space()='Ní Aoláin, Fionnuala']]/a[@class='index-locator']")
    assert entry and entry[0].get("href").startswith("essay.html#index-") and entry[0].text_content() == "¶ 8"
    with zipfile.ZipFile(edition.epub) as z:
        names = set(z.namelist())
        assert {"glossary.xhtml", "genindex.xhtml"} <= names
        epub_essay = z.read("essay.xhtml").decode()
        assert 'href="glossary.xhtml#term-IOS-RAS"' in epub_essay
        assert "Ní Aoláin, Fionnuala" in z.read("genindex.xhtml").decode()
    index = " ".join(fidelity.pdf_section_text(edition.pdf, "Index").split())
    assert re.search(r"Ní Aoláin, Fionnuala, \d+", index)
    assert re.search(r"Khalimov, Gulmurod, \d+", index)
    glossary_pdf = " ".join(fidelity.pdf_section_text(edition.pdf, "Glossary").split())
    assert "Operation Zhusan" in glossary_pdf


def test_images_not_reproduced_have_descriptions_and_text_alternatives(edition) -> None:
    for page in (edition.html / "essay.html", None):
        if page is None:
            with zipfile.ZipFile(edition.epub) as z:
                root = lxml_html.fromstring(z.read("essay.xhtml"))
        else:
            root = lxml_html.fromstring(page.read_bytes())
        figures = root.xpath("//figure[contains(@class, 'not-reproduced')]")
        assert len(figures) == 4
        for figure in figures:
            (placeholder,) = figure.xpath(f".//*[{_has_class('figure-placeholder')}]")
            assert placeholder.get("role") == "img"
            assert placeholder.get("aria-label").startswith("Image not reproduced in this edition.")
            assert len(placeholder.get("aria-label")) > 60
            (legend,) = figure.xpath(f".//*[{_has_class('figure-description')} and {_has_class('editorial')}]")
            text = " ".join(legend.text_content().split())
            assert "Credit, as the source gives it:" in text and "does not contain the image file" in text


def test_version_and_date_come_from_conf_in_every_format(edition) -> None:
    import conf_values

    version, date = conf_values.get("version"), conf_values.get("edition_date")
    contributors = conf_values.get("edition_contributors")
    index = " ".join(lxml_html.fromstring((edition.html / "index.html").read_bytes()).text_content().split())
    assert f"Version {version}," in index and f"Prepared by {contributors}" in index
    from pypdf import PdfReader

    reader = PdfReader(edition.pdf)
    assert reader.metadata["/Version"] == version
    first = subprocess.run(
        ["pdftotext", "-l", "1", str(edition.pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "a scholarly edition" in first.lower() and f"Version {version}" in first and "How to cite" in first
    with zipfile.ZipFile(edition.epub) as z:
        opf = z.read("content.opf").decode()
    assert f'<meta property="ibooks:version">{version}</meta>' in opf
    assert f"<dc:contributor>{contributors}</dc:contributor>" in opf
    # the essay is the author's, and no year of the edition's is put on it
    (rights,) = re.findall(r"<dc:rights>([^<]*)</dc:rights>", opf)
    assert rights.startswith("Issy Williams (the essay); 2026, ") and "(essay)" not in rights
    changelog = (edition.html / "changelog.html").read_text("utf-8")
    assert f"{version} (" in changelog and date[:4] in changelog


@pytest.mark.slow
def test_a_second_essay_builds_every_format_with_its_own_notes_apparatus_and_exports(tmp_path: Path) -> None:
    """Nothing in the extension is this edition's: another essay, its own works and conf values, all three formats."""
    import json
    import shutil

    from scholarly_edition.build import FORMATS, Project, build

    root = tmp_path / "second"
    shutil.copytree(Path(__file__).parent / "roots" / "test-second-essay", root)
    out = root / "_build"
    build(FORMATS, out, epoch="1700000000", project=Project.at(root))
    html = out / "html"
    essay = lxml_html.fromstring((html / "essay.html").read_bytes())
    # the extension's own stylesheets and script come with it: the root has no _static/ of its own
    linked = essay.xpath("//link[@rel='stylesheet']/@href") + essay.xpath("//script/@src")
    assert all((html / "_static" / name).is_file() for name in ("edition-apparatus.css", "edition-cite.css"))
    assert any("edition-cite.js" in href for href in linked)
    assert all((html / href.split("?")[0]).is_file() for href in linked), linked
    notes = [" ".join(n.text_content().split()) for n in essay.xpath("//aside[contains(@class, 'author-note')]")]
    assert len(notes) == 4
    assert (
        "Philip Micklin, “The Aral Sea Disaster,” Annual Review of Earth and Planetary Sciences 35 (2007): 48"
        in notes[0]
    )
    assert "Micklin, “The Aral Sea Disaster,” 52–53" in notes[2]  # the short form, with the locator
    # textual notes in text order: on notes 1 and 2, the spelling kept in ¶ 2, on notes 3 and 4
    in_text = "//p[contains(@class, 'numbered-paragraph')]//a[contains(@class, 'tn-marker')]/@href"
    assert essay.xpath(in_text) == ["textual-notes.html#tn-3"]
    assert len(essay.xpath("//aside//a[contains(@class, 'tn-marker')]")) == 4
    assert essay.xpath("//a[contains(@class, 'ed-marker')]/@href") == ["commentary.html#ed-a"]
    assert essay.xpath("//span[@lang='fr']/text()") == ["mer morte"]
    assert [p.get("id") for p in essay.xpath("//p[contains(@class, 'numbered-paragraph')]")] == ["p-1", "p-2", "p-3"]
    textual = " ".join(lxml_html.fromstring((html / "textual-notes.html").read_bytes()).text_content().split())
    assert "Copy-text: Micklin, “The Aral Sea Disaster”, 48." in textual  # the copy-text's own note 1
    cite = " ".join(lxml_html.fromstring((html / "cite.html").read_bytes()).text_content().split())
    assert "Okafor, Marta. Rivers of Salt: Notes on the Aral Sea. [2025?]. Test ed., version 0.3, 2025." in cite
    references = json.loads((html / "references.json").read_text("utf-8"))
    assert [item["id"] for item in references] == ["micklin2007", "whish2014"]
    record = json.loads((html / "essay.json").read_text("utf-8"))
    assert record[0]["title"] == "Rivers of Salt: Notes on the Aral Sea" and "title-short" not in record[0]
    assert "TY  - ELEC" in (html / "references.ris").read_text("utf-8")
    with zipfile.ZipFile(html / "rivers-of-salt.epub") as epub:
        assert "Aral Sea" in epub.read("essay.xhtml").decode()
    text = subprocess.run(
        ["pdftotext", str(html / "rivers-of-salt.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Rivers of Salt" in text and "Annual Review of Earth and Planetary Sciences" in text
