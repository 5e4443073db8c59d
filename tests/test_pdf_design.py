"""The PDF as a reader meets it: a clean LaTeX log, clean copying, and the essay's page design.

The real edition is built once (``edition``); what the PDF shows is read
back with poppler (``pdftotext``, with ``-bbox-layout`` where a place on
the page matters), what LaTeX made of it from the log of its last pass.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import fidelity
import latexlog
import pytest
from conftest import STEM
from lxml import etree

from scholarly_edition.build.latex import unwrap

MAX_UNDERFULL = 3


def _log(edition) -> str:
    return (edition.latex / f"{STEM}.log").read_text("utf-8", errors="replace")


def test_latex_log_has_no_undefined_or_doubled_reference_no_overfull_box_and_few_underfull(edition, figures) -> None:
    found = latexlog.read(_log(edition))
    figures["LaTeX log"] = (
        f"{len(found.undefined)} undefined references, {len(found.overfull)} overfull, "
        f"{len(found.underfull)} underfull (at most {MAX_UNDERFULL})"
    )
    assert found.undefined == []
    assert found.multiply_defined == []
    assert found.overfull == []
    assert len(found.underfull) <= MAX_UNDERFULL, found.underfull


def test_latex_log_reader_finds_what_a_bad_log_reports() -> None:
    log = (
        "LaTeX Warning: Hyper reference `essay:tn-at-note-2' on page 9 undefined on input line 1218.\n"
        "Overfull \\hbox (39.93095pt too wide) in paragraph at lines 1383--1385\n"
        "Underfull \\hbox (badness 10000) in paragraph at lines 544--546\n"
        "Underfull \\vbox (badness 10000) has occurred while \\output is active []\n"
        "Package polyglossia Warning: No hyphenation patterns were loaded for British En\n"
        "glish\n"
        "LaTeX Warning: There were undefined references.\n"
        "LaTeX Warning: Label `essay:essay' multiply defined.\n"
    )
    found = latexlog.read(log)
    assert found.undefined == ["essay:tn-at-note-2"]
    assert found.multiply_defined == ["essay:essay"]
    assert len(found.overfull) == 1 and "39.93095pt" in found.overfull[0]
    assert len(found.underfull) == 2
    assert found.missing_patterns == ["British English"]
    assert latexlog.read("LaTeX Warning: There were undefined references.\n").undefined


def test_british_hyphenation_and_character_protrusion_are_used(edition) -> None:
    log = unwrap(_log(edition))
    # British English for the text, Russian for the Russian phrase: no language falls back to other patterns
    assert latexlog.read(log).missing_patterns == []
    assert "variant=british" in log
    # microtype's protrusion, all that XeTeX allows of it
    assert "Package microtype Info: Character protrusion enabled" in log


def test_every_hyperlink_target_of_the_pdf_is_defined(edition) -> None:
    """Each ``\\hyperref`` of the LaTeX source names a label its .aux defines (textual notes' back-links too)."""
    tex = (edition.latex / f"{STEM}.tex").read_text("utf-8")
    aux = (edition.latex / f"{STEM}.aux").read_text("utf-8")
    defined = set(re.findall(r"\\newlabel\{([^{}]*)\}", aux))
    targets = set(re.findall(r"\\hyperref\[\\detokenize\{([^{}]*)\}\]", tex))
    back_links = {t for t in targets if t.startswith("essay:tn-at-")}
    assert {"essay:tn-at-note-2", "essay:tn-at-note-9", "essay:tn-at-note-17"} <= back_links
    assert sorted(targets - defined) == []


def _essay_text(edition) -> str:
    return fidelity.pdf_section_text(edition.pdf, "The Radicalisation Enigma")


def test_copying_the_essay_keeps_every_word_apart_from_its_marks(edition) -> None:
    """pdftotext of the essay's pages gives the copy-text's words, no siglum or note number glued to one.

    Unlike the fidelity test, nothing is taken off a word here: the marks
    must come out as words of their own, which the comparison lets pass as
    insertions (like the notes and the page furniture).
    """
    emendations = fidelity.html_emendations(edition.html / "textual-notes.html")
    expected = fidelity.words(fidelity.apply_emendations(fidelity.copy_text_essay(), emendations))
    actual = fidelity.pdf_words(_essay_text(edition), set(expected), glued=False)
    assert fidelity.differences(expected, actual, allow_insertions=True) == []
    for glued in ("Statea", "Rapporteurk", "Khalimovf", "enticements.1", "москве°"):
        assert glued not in actual


def test_glued_marks_would_fail_the_copying_test() -> None:
    expected = ["the", "Islamic", "State.", "Often", "UN", "Rapporteur", "Finnuala", "“Operation", "Zhusan”,", "a"]
    known = set(expected)
    clean = "the Islamic State a . Often UN Rapporteur k Finnuala “Operation Zhusan” ° j , a"
    assert fidelity.differences(expected, fidelity.pdf_words(clean, known, glued=False), allow_insertions=True) == []
    for glued in (
        "the Islamic Statea . Often UN Rapporteur k Finnuala “Operation Zhusan” ° j , a",
        "the Islamic State a . Often UN Rapporteurk Finnuala “Operation Zhusan” ° j , a",
        "the Islamic State a . Often UN Rapporteur k Finnuala “Operation Zhusan”° j , a",
    ):
        assert fidelity.differences(expected, fidelity.pdf_words(glued, known, glued=False), allow_insertions=True)


def test_no_url_breaks_after_its_scheme(edition) -> None:
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(edition.pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    lines = [line.rstrip() for line in text.splitlines()]
    assert [line for line in lines if re.search(r"\bhttps?:/{0,1}$", line)] == []
    assert [line for line in lines if re.match(r"\s*/{1,2}\w", line)] == []


# -- where things stand on the page


def _bbox_lines(pdf: Path, first: int, last: int) -> dict[int, list[list[tuple[float, float, str]]]]:
    """Page -> its text lines, each a list of (xMin, xMax, word), as pdftotext lays them out."""
    xml = subprocess.run(
        ["pdftotext", "-bbox-layout", "-enc", "UTF-8", "-f", str(first), "-l", str(last), str(pdf), "-"],
        capture_output=True,
        check=True,
    ).stdout
    root = etree.fromstring(xml, etree.XMLParser(recover=True))
    pages: dict[int, list[list[tuple[float, float, str]]]] = {}
    for number, page in enumerate(root.iter("{*}page"), start=first):
        pages[number] = [
            [(float(w.get("xMin")), float(w.get("xMax")), w.text or "") for w in line.iter("{*}word")]
            for line in page.iter("{*}line")
        ]
    return pages


def _essay_pages(edition) -> tuple[int, int]:
    from pypdf import PdfReader

    reader = PdfReader(edition.pdf)
    starts = sorted(reader.get_destination_page_number(i) for i in reader.outline if not isinstance(i, list))
    first = next(
        reader.get_destination_page_number(i)
        for i in reader.outline
        if not isinstance(i, list) and i.title.startswith("The Radicalisation Enigma")
    )
    last = next(p for p in starts if p > first) - 1
    return first + 1, last + 1


def test_paragraph_numbers_stand_in_the_left_margin_of_every_page(edition) -> None:
    first, last = _essay_pages(edition)
    pages = _bbox_lines(edition.pdf, first, last)
    numbers: list[float] = []
    body_left: list[float] = []
    for lines in pages.values():
        for line in lines:
            if line and line[0][2].startswith("¶"):
                numbers.append(line[-1][1])
            elif len(line) > 6:
                body_left.append(line[0][0])
    assert len(numbers) == 10
    text_edge = min(body_left)
    assert max(numbers) < text_edge, (numbers, text_edge)


def test_the_essay_opens_its_page_with_a_title_block_and_later_pages_have_running_heads(edition) -> None:
    first, last = _essay_pages(edition)
    pages = _bbox_lines(edition.pdf, first, last)
    opening = [" ".join(w for _, _, w in line) for line in pages[first]]
    assert opening[0].startswith("The Radicalisation Enigma:")
    assert "Ex-" not in " ".join(opening[:2]) and not opening[0].endswith("-")
    assert "Issy Williams" in opening[1:4] and any(line.startswith("Updated:") for line in opening[1:5])
    for number in range(first + 1, last + 1):
        head = " ".join(w for line in pages[number][:4] for _, _, w in line)
        assert "Issy Williams" in head and "The Radicalisation Enigma" in head, (number, head)


def test_notes_stand_at_the_foot_of_every_full_page_of_the_essay(edition) -> None:
    """No page of the essay but its last ends short, with a gap under its notes."""
    first, last = _essay_pages(edition)
    xml = subprocess.run(
        ["pdftotext", "-bbox-layout", "-f", str(first), "-l", str(last - 1), str(edition.pdf), "-"],
        capture_output=True,
        check=True,
    ).stdout
    root = etree.fromstring(xml, etree.XMLParser(recover=True))
    feet = []
    for page in root.iter("{*}page"):
        bottoms = sorted(float(line.get("yMax")) for line in page.iter("{*}line"))
        feet.append(bottoms[-2])  # the last line above the page number
    assert len(feet) >= 4
    assert max(feet) - min(feet) < 1.5, feet


@pytest.mark.parametrize("after", [":", "."])
def test_one_space_after_a_colon_or_full_stop(edition, after: str) -> None:
    """In the justified essay, the space after a colon or full stop is that of the line's other spaces."""
    first, last = _essay_pages(edition)
    wider: list[str] = []
    measured = 0
    for lines in _bbox_lines(edition.pdf, first, last).values():
        for line in lines:
            # spaces between words: not the small kern before a mark, nor a note's space before its °
            gaps = [(line[i + 1][0] - line[i][1], line[i][2]) for i in range(len(line) - 1) if line[i + 1][2] != "°"]
            spaces = [g for g, _ in gaps if g > 1.5]
            if len(spaces) < 6:
                continue
            median = sorted(spaces)[len(spaces) // 2]
            for gap, word in gaps:
                if word.endswith(after) and gap > 1.5:
                    measured += 1
                    if gap > median * 1.15 + 0.2:
                        wider.append(f"{word} {gap:.2f} (line's median {median:.2f})")
    assert measured > 5
    assert wider == []


# -- the marks the design package styles, on a small test root


@pytest.mark.sphinx("latex", testroot="citing")
def test_latex_marks_the_title_block_the_biographical_note_and_the_bibliography(app, warning) -> None:
    app.build()
    assert not warning.getvalue()
    tex = (app.outdir / "edition.tex").read_text("utf-8")
    opening, heading, restyled = (
        tex.index(r"\EditionEssayTitle"),
        re.search(r"\\(?:section|chapter)\{Moscow Notes: An Essay\}", tex).start(),  # type: ignore[union-attr]
        tex.index(r"\EditionSectionStyle"),
    )
    assert opening < heading < restyled
    assert tex.count(r"\EditionEssayTitle") == 1
    for cls, text in (("byline", "Ann Example"), ("dateline", "Posted: Mar 3")):
        assert re.search(rf"\\begin\{{sphinxuseclass\}}\{{{cls}\}}\s*\\sphinxAtStartPar\s*{text}", tex), cls
    assert r"\begin{sphinxuseclass}{author-bio}" in tex
    assert re.search(r"\\begin\{sphinxuseclass\}\{works-cited\}\s*\\begin\{itemize\}", tex)
    # the design package comes after the apparatus's, whose running heads it sets
    assert tex.index(r"\usepackage{editionapparatus}") < tex.index(r"\usepackage{editiondesign}")
    assert (app.outdir / "editiondesign.sty").read_text("utf-8").startswith(r"\NeedsTeXFormat{LaTeX2e}")
    apparatus = (app.outdir / "editionapparatus.sty").read_text("utf-8")
    assert r"\newcommand{\EditionRunningAuthor}{Ann Example}" in apparatus
    assert r"\newcommand{\EditionRunningTitle}{Moscow Notes}" in apparatus


def test_running_heads_are_escaped_for_latex() -> None:
    from scholarly_edition.formats.latex import package_text

    text = package_text("statement", "1.0", running=("Smith & Jones", "100% #1_{x}"))
    assert r"\newcommand{\EditionRunningAuthor}{Smith \& Jones}" in text
    assert r"\newcommand{\EditionRunningTitle}{100\% \#1\_\{x\}}" in text


def test_every_page_has_its_own_label(edition) -> None:
    """A reader who asks the PDF viewer for page 7 reaches the page printed 7: no two share a label."""
    from pypdf import PdfReader

    labels = PdfReader(edition.pdf).page_labels
    assert labels[0] == "i" and labels[1] == "1", labels[:3]  # the title page, then the first numbered page
    assert len(set(labels)) == len(labels), labels
