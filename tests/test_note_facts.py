"""Every fact of the author's notes, in every format, and the style that keeps them.

The edition re-sets the author's 22 notes from ``refs.bib`` in its house
style. A style may change a note's form, never its content: each note must
still carry the authors, title, container, place, publisher, date (to the
precision the author gave), locator, access date and URL that the copy-text's
note gives (``tests/data/note-facts.toml``, checked by :mod:`note_facts`).
"""

from __future__ import annotations

import difflib
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import fidelity
import note_facts
from lxml import html as lxml_html
from pybtex.database import parse_file

from scholarly_edition.bibliography import bibtex_csl, citeproc
from scholarly_edition.text import pandoc_ast

STYLES = fidelity.ROOT / "edition" / "_styles"
STYLE = STYLES / "chicago-notes-bibliography-all-facts.csl"
DIFF = STYLES / "chicago-notes-bibliography-all-facts.diff"
OFFICIAL = "chicago-notes-bibliography-access-dates"
CSL = "{http://purl.org/net/xbiblio/csl}"
NOTE_ROLE = re.compile(r"\{note\}`(?P<key>[^`,]+)(?:,\s*(?P<locator>[^`]+))?`")


def _html_notes_elements(root) -> dict:
    notes = root.xpath("//aside[@role='doc-footnote' and contains(@class, 'author-note')]")
    return {int(n.get("id").removeprefix("note-")): n for n in notes}


def _html_notes(root) -> dict[int, str]:
    return {number: note.text_content() for number, note in _html_notes_elements(root).items()}


def _assert_every_fact(notes: dict[int, str], *, squeeze: bool = False) -> None:
    facts = note_facts.table()
    assert sorted(notes) == sorted(facts) == list(range(1, 23))
    lost = {n: gone for n in facts if (gone := note_facts.missing(notes[n], facts[n], squeeze=squeeze))}
    assert lost == {}


def test_the_table_of_facts_is_the_copy_texts() -> None:
    """Each fact is worded as the copy-text's note words it, and every note is in the table."""
    notes = note_facts.copy_text_notes()
    facts = note_facts.table()
    assert sorted(facts) == sorted(notes) == list(range(1, 23))
    for number, note in notes.items():
        for fact in facts[number]:
            assert fact.given in note, (number, fact)
        # a note that gives an access date or an address has it in the table
        assert ("accessed" in note) == any(f.field == "accessed" for f in facts[number]), number
        assert ("http" in note) == any(f.field == "url" for f in facts[number]), number


def test_the_cover_image_credit_carries_every_fact(edition) -> None:
    """The credit is set anew from refs.bib like a note, and keeps the picture agency's words as given."""
    copy = note_facts.copy_text_credit()
    assert all(fact.given in copy for fact in note_facts.credit())
    root = lxml_html.fromstring((edition.html / "essay.html").read_bytes())
    (citation,) = root.xpath("//*[contains(@class, 'citation-inline')]")
    assert note_facts.missing(citation.getparent().text_content(), note_facts.credit()) == []


def test_the_check_finds_a_fact_a_note_leaves_out() -> None:
    (access, *_) = [f for f in note_facts.table()[18] if f.field == "accessed"]
    assert note_facts.missing("Safe Internet League, ‘About Us’.", note_facts.table()[18]) == [
        f"accessed: {access.given}"
    ]
    # one phrase cannot stand for two facts: note 1's author and publisher are both printed
    note = "Institute of Oriental Studies of the Russian Academy of Sciences, Causes and Motives, 15."
    assert note_facts.missing(note, note_facts.table()[3]) == []
    assert "publisher: Institute of Oriental Studies of the Russian Academy of Sciences" in note_facts.missing(
        note, note_facts.table()[1]
    )
    # a date to the day is not kept by its year, nor a page by a digit of a URL
    assert "date: 18th January 2017" in note_facts.missing("‘Title’, video, Ruptly, 2017.", note_facts.table()[19])
    assert "locator: 1" in note_facts.missing("… Programme, November 2014, https://x.org/1", note_facts.table()[12])


def _essay_cites() -> list[citeproc.Cite]:
    text = (fidelity.ROOT / "edition" / "essay.md").read_text("utf-8")
    return [citeproc.Cite(m["key"].strip(), (m["locator"] or "").strip()) for m in NOTE_ROLE.finditer(text)]


def _refs() -> list[dict]:
    return bibtex_csl.entries_to_csl(parse_file(fidelity.ROOT / "refs.bib").entries.items())


def _plain(inlines: list[dict]) -> str:
    """A note as text, made as the pages make it."""
    return "".join(node.astext() for node in pandoc_ast.to_nodes(inlines))


def test_the_official_style_drops_facts_that_the_edition_keeps() -> None:
    """The check catches a real style's losses: the official access-dates style's, one by one."""
    rendered = citeproc.render(_refs(), _essay_cites(), style=OFFICIAL, lang="en-GB")
    facts = note_facts.table()
    lost = {
        n: gone
        for n, note in enumerate(rendered.notes, start=1)
        if (gone := note_facts.missing(_plain(note), facts[n]))
    }
    assert lost == {
        1: ["place: Moscow"],
        5: ["place: Lanham"],
        12: ["date: November 2014"],
        18: ["accessed: 2nd May 2020"],
        19: ["date: 18th January 2017"],
    }
    ours = citeproc.render(_refs(), _essay_cites(), style=STYLE, lang="en-GB")
    assert {n: note_facts.missing(_plain(note), facts[n]) for n, note in enumerate(ours.notes, start=1)} == {
        n: [] for n in range(1, 23)
    }


def test_every_note_in_the_html_carries_every_fact(edition) -> None:
    _assert_every_fact(_html_notes(lxml_html.fromstring((edition.html / "essay.html").read_bytes())))


ITALICISED_WHERE_QUOTED = {12: "as its style sets the title of a report"}
"""The notes whose title the author quotes and the edition sets in italics, with its textual note's words."""


def test_a_title_the_author_quotes_is_not_set_in_italics(edition) -> None:
    """The author's quotation marks set a part (an article, a page, a video) apart from a whole work.

    The edition may turn them into its style's single marks, but a title in
    italics would make it a book or a film: that change of form is made only
    where its textual note records it.
    """
    root = lxml_html.fromstring((edition.html / "essay.html").read_bytes())
    notes = _html_notes_elements(root)
    copy = note_facts.copy_text_notes()
    italic = {}
    for number, facts in note_facts.table().items():
        for fact in facts:
            if fact.field == "title" and f"“{fact.given}" in copy[number]:
                ems = [note_facts.norm(em.text_content()) for em in notes[number].iter("em")]
                if any(note_facts.norm(fact.given) in em for em in ems):
                    italic[number] = fact.given
    assert sorted(italic) == sorted(ITALICISED_WHERE_QUOTED)
    recorded = " ".join(lxml_html.fromstring((edition.html / "textual-notes.html").read_bytes()).text_content().split())
    assert all(words in recorded for words in ITALICISED_WHERE_QUOTED.values())


def test_every_note_in_the_epub_carries_every_fact(edition) -> None:
    with zipfile.ZipFile(edition.epub) as z:
        _assert_every_fact(_html_notes(lxml_html.fromstring(z.read("essay.xhtml"))))


def _pdf_notes(pdf: Path) -> dict[int, str]:
    """Each footnote's text in the PDF's essay, told apart from the text by its smaller size.

    A footnote starts at its number, set smaller than any other figure on
    the page, and runs on, across a page break too, in the notes' own size;
    the running text, the paragraph numbers and the note references between
    are left out.
    """
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    starts = sorted((reader.get_destination_page_number(i), i.title) for i in reader.outline if not isinstance(i, list))
    first = next(page for page, title in starts if title.startswith("The Radicalisation Enigma"))
    last = next((page for page, _ in starts if page > first), len(reader.pages) - 1)
    chunks: list[tuple[float, str]] = []

    def visit(text: str, cm, tm, font, size: float) -> None:
        if text.strip():
            chunks.append((round(size * abs(tm[3] or 1) * abs(cm[3] or 1), 1), text))

    for page in reader.pages[first : last + 1]:
        page.extract_text(visitor_text=visit)
    marks = min(size for size, text in chunks if text.strip().isdigit())
    notes: dict[int, list[str]] = {}
    current: int | None = None
    note_size: float | None = None
    for index, (size, text) in enumerate(chunks):
        if size == marks and text.strip().isdigit() and index + 1 < len(chunks):
            current = int(text)
            note_size = chunks[index + 1][0]
            notes[current] = []
        elif current is not None and size == note_size and not re.fullmatch(r"\s*¶\s*\d+\s*", text):
            notes[current].append(text)
    return {n: "".join(parts) for n, parts in notes.items()}


def test_every_note_in_the_pdf_carries_every_fact(edition) -> None:
    _assert_every_fact(_pdf_notes(edition.pdf), squeeze=True)


def test_the_bibliography_prints_every_access_date(edition) -> None:
    """What the notes and the textual notes say survives in the bibliography does: every ``urldate``."""
    root = lxml_html.fromstring((edition.html / "bibliography.html").read_bytes())
    entries = {li.get("id").removeprefix("work-"): li.text_content() for li in root.xpath("//li[@id]")}
    for key, entry in parse_file(fidelity.ROOT / "refs.bib").entries.items():
        if "urldate" in entry.fields:
            fact = note_facts.Fact("accessed", entry.fields["urldate"], date=entry.fields["urldate"])
            assert note_facts.missing(entries[key], [fact]) == [], key
    assert "Safe Internet League. ‘About Us’. Accessed 2 May 2020." in " ".join(entries["safeinternetleague"].split())


def style_diff() -> str:
    """The derived style's changes to the official one, as a unified diff."""
    official = citeproc.style_path(OFFICIAL).read_text("utf-8").splitlines(keepends=True)
    ours = STYLE.read_text("utf-8").splitlines(keepends=True)
    return "".join(difflib.unified_diff(official, ours, f"a/{OFFICIAL}.csl", f"b/{STYLE.name}"))


def test_the_style_is_the_official_one_with_the_documented_changes() -> None:
    """The derived style differs from the official by exactly the diff beside it, which its notes explain."""
    diff = style_diff()
    assert diff == DIFF.read_text("utf-8")
    notes = STYLE.with_suffix(".md").read_text("utf-8")
    hunks = diff.count("\n@@ ")
    assert hunks and notes.count("\n- **") >= 5  # each change is listed, with its reason


def test_the_style_carries_its_licence_and_attribution() -> None:
    info = ET.parse(STYLE).getroot().find(f"{CSL}info")
    assert info is not None
    (rights,) = info.findall(f"{CSL}rights")
    assert rights.get("license") == "http://creativecommons.org/licenses/by-sa/3.0/"
    links = {link.get("rel"): link.get("href") for link in info.findall(f"{CSL}link")}
    assert links["template"] == f"http://www.zotero.org/styles/{OFFICIAL}"
    assert "self" not in links  # it is not the official style, nor hosted as one
    assert info.findtext(f"{CSL}id", "").startswith("urn:uuid:")
    assert [a.findtext(f"{CSL}name") for a in info.findall(f"{CSL}author")] == ["Andrew Dunning"]
    assert info.findall(f"{CSL}contributor")


def test_the_textual_notes_say_what_the_edition_prints(edition) -> None:
    """No textual note still says that the style leaves out what it now prints."""
    text = " ".join(lxml_html.fromstring((edition.html / "textual-notes.html").read_bytes()).text_content().split())
    assert "prints an access date only beside an address" not in text
    assert "prints the year alone" not in text
    assert "prints no places of publication" not in text
    assert "not printed by the edition's style" not in text


def test_the_style_is_valid_csl() -> None:
    """The CSL schema's RELAX NG grammar (citation-style-language/schema, as citeproc-py 0.11.1 ships it)."""
    from lxml import etree

    schema = etree.RelaxNG(etree.parse(str(fidelity.ROOT / "tests" / "schemas" / "csl.rng")))
    assert schema.validate(etree.parse(str(STYLE))), schema.error_log


def _official_note_styles() -> list[str]:
    folder = citeproc.style_path(OFFICIAL).parent
    return sorted(p.stem for p in folder.glob("chicago-notes*.csl") if not p.stem.endswith("no-url"))


def test_no_official_style_keeps_every_fact() -> None:
    """Why the edition ships a style of its own: every official Chicago notes style drops a fact."""
    facts = note_facts.table()
    refs, cites = _refs(), _essay_cites()
    styles = _official_note_styles()
    assert OFFICIAL in styles and len(styles) > 10
    keeping = []
    for style in styles:
        rendered = citeproc.render(refs, cites, style=style, lang="en-GB")
        if not any(note_facts.missing(_plain(n), facts[i]) for i, n in enumerate(rendered.notes, start=1)):
            keeping.append(style)
    assert keeping == []  # if one now keeps every fact, use it instead of the derived style


if __name__ == "__main__":  # after changing the style: write its diff anew, then explain the change in its notes
    DIFF.write_text(style_diff(), "utf-8")
