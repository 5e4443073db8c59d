"""Citing the real edition: schema, agreement of every place a work is named, real clients."""

from __future__ import annotations

import json
import re
import subprocess
import unicodedata
import zipfile
from urllib.parse import parse_qsl

import fidelity
import jsonschema
import pytest
import rispy
from lxml import html as lxml_html
from pybtex.database import parse_file

from scholarly_edition.bibliography import bibtex_csl, bibtex_export, citeproc

SCHEMA = fidelity.ROOT / "scholarly_edition" / "bibliography" / "schemas" / "csl-data.json"
STYLES = ("chicago-notes-bibliography", "chicago-notes-bibliography-access-dates", "apa", "modern-language-association")


def norm(text: str) -> str:
    """Text as compared across formats: case, quotation marks and spacing set aside."""
    text = unicodedata.normalize("NFC", text).casefold()
    text = re.sub("[‘’“”'\"]", "'", text)
    return " ".join(text.split())


def _json(edition, name: str) -> list[dict]:
    return json.loads((edition.html / name).read_text("utf-8"))


def _page(edition, name: str):
    return lxml_html.fromstring((edition.html / name).read_bytes())


@pytest.fixture(scope="module")
def references(edition) -> list[dict]:
    return _json(edition, "references.json")


@pytest.fixture(scope="module")
def titles(references) -> dict[str, str]:
    return {item["id"]: bibtex_csl.strip_rich_text(item["title"]) for item in references}


def test_every_csl_json_file_validates_against_the_official_schema(edition) -> None:
    schema = json.loads(SCHEMA.read_text("utf-8"))
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    files = sorted(edition.html.glob("*.json"))
    assert [f.name for f in files] == ["essay.json", "references.json"]
    for path in files:
        errors = [e.message for e in validator.iter_errors(json.loads(path.read_text("utf-8")))]
        assert errors == [], path.name


def test_references_are_the_works_of_refs_bib_with_types_names_and_dates(references) -> None:
    source = parse_file(fidelity.ROOT / "refs.bib")
    assert [i["id"] for i in references] == list(source.entries)
    by_id = {i["id"]: i for i in references}
    assert by_id["iosras2017"]["type"] == "report"
    assert by_id["urinboyev2017"]["type"] == "chapter"
    assert by_id["turovsky2015"]["type"] == "article-newspaper"
    assert by_id["ruptly2017guidebook"]["type"] == "motion_picture"
    assert by_id["gussarova2020"]["type"] == "webpage"
    assert by_id["heathershaw2014"]["author"][1] == {"family": "Montgomery", "given": "David W."}
    assert by_id["safeinternetleague"]["author"] == [{"literal": "Safe Internet League"}]
    assert by_id["ohchr2019findings"]["accessed"] == {"date-parts": [[2020, 5, 9]]}
    accessed = [k for k, e in source.entries.items() if "urldate" in e.fields]
    assert sorted(k for k, i in by_id.items() if "accessed" in i) == sorted(accessed)


def test_essay_json_records_both_publications_without_inventing_a_year(edition) -> None:
    edition_item, original = _json(edition, "essay.json")
    # a book with a version is software to Zotero (zotero/utilities utilities_item.js, itemFromCSLJSON):
    # the version travels in the edition statement
    assert edition_item["type"] == "book" and "version" not in edition_item
    assert edition_item["edition"].endswith(", version 1.0.0")
    assert original["type"] == "webpage"
    assert "The student project covering international relations and foreign affairs" in original["note"]
    assert edition_item["original-date"] == {"date-parts": [[2020, 6, 1]], "circa": True}
    assert original["issued"] == {"date-parts": [[2020, 6, 1]], "circa": True}
    assert "“Updated: Jun 1”, without a year" in original["note"]
    assert "9 May 2020" in original["note"]
    # the dateline quoted in the record is the one the essay prints
    essay = _page(edition, "essay.html")
    assert "Updated: Jun 1" in essay.text_content()


def test_notes_bibliography_exports_tags_json_ld_and_coins_name_the_same_works(edition, references, titles) -> None:
    ids = [i["id"] for i in references]
    short = {i["id"]: bibtex_csl.strip_rich_text(i.get("title-short", i["title"])) for i in references}
    essay = _page(edition, "essay.html")

    # the notes (and the cover credit) cite every work, by its title or short title
    cited_texts = [n.text_content() for n in essay.xpath("//aside[@role='doc-footnote']")]
    cited_texts += [n.text_content() for n in essay.xpath("//*[contains(@class, 'citation-inline')]")]
    cited = {k for text in cited_texts for k in ids if norm(titles[k]) in norm(text) or norm(short[k]) in norm(text)}
    assert cited == set(ids)

    # the bibliography page: one entry per work, each with its title
    entries = {
        li.get("id").removeprefix("work-"): li
        for li in _page(edition, "bibliography.html").xpath("//li[contains(@class, 'csl-entry')]")
    }
    assert sorted(entries) == sorted(ids) and len(entries) == len(ids)  # the page sorts them as the style does
    for key, li in entries.items():
        assert norm(titles[key]) in norm(li.text_content()), key

    # references.bib and references.ris
    bib = parse_file(edition.html / "references.bib")
    essay_keys = ["williams-radicalisation-enigma", "williams-radicalisation-enigma-original"]
    assert list(bib.entries) == [*essay_keys, *ids]  # the essay first, in both its layers
    for key in essay_keys:
        del bib.entries[key]
    assert {k: bibtex_csl.latex_to_text(e.fields["title"]) for k, e in bib.entries.items()} == titles
    ris = rispy.loads((edition.html / "references.ris").read_text("utf-8"))[2:]
    # no ID in RIS (see ris.item_to_ris): the works in refs.bib's order; a newspaper article's title is T1
    assert [r.get("title") or r.get("primary_title") for r in ris] == list(titles.values())

    # the essay page's citation_reference tags and JSON-LD citations
    head = essay.xpath("//head")[0]
    tags = [
        dict(p.split("=", 1) for p in c.split("; ")) for c in head.xpath("meta[@name='citation_reference']/@content")
    ]
    assert [t["citation_title"] for t in tags] == list(titles.values())
    (script,) = head.xpath("script[@type='application/ld+json']")
    assert [c["name"] for c in json.loads(script.text)["citation"]] == list(titles.values())

    # COinS on the bibliography entries
    for key, li in entries.items():
        (span,) = li.xpath(".//span[@class='Z3988']")
        kev = dict(parse_qsl(span.get("title")))
        assert titles[key] in (kev.get("rft.atitle"), kev.get("rft.btitle"), kev.get("rft.title")), key


@pytest.mark.parametrize("style", STYLES)
def test_pandoc_citeproc_renders_every_exported_item_without_a_warning(edition, style, tmp_path) -> None:
    items = _json(edition, "references.json") + _json(edition, "essay.json")
    document = tmp_path / "all.md"
    document.write_text("---\nnocite: '@*'\n---\n\nAll works.\n", "utf-8")
    result = subprocess.run(
        [
            citeproc.pandoc_path(),
            str(document),
            "--citeproc",
            "--to=json",
            f"--bibliography={edition.html / 'references.json'}",
            f"--bibliography={edition.html / 'essay.json'}",
            f"--csl={citeproc.style_path(style)}",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0 and result.stderr == "", result.stderr
    ast = json.loads(result.stdout)
    (refs,) = [b for b in ast["blocks"] if b["t"] == "Div" and b["c"][0][0] == "refs"]
    rendered = {entry["c"][0][0].removeprefix("ref-") for entry in refs["c"][1]}
    assert rendered == {i["id"] for i in items}


def test_exported_bibtex_parses_back_to_refs_bib_in_the_fields_clients_read(edition) -> None:
    exported = parse_file(edition.html / "references.bib")
    source = parse_file(fidelity.ROOT / "refs.bib")
    for key, entry in source.entries.items():
        back = exported.entries[key]
        expected = bibtex_export.for_clients(key, entry)
        assert (back.original_type, dict(back.fields)) == (expected.original_type, dict(expected.fields)), key
        assert {r: [str(p) for p in ps] for r, ps in back.persons.items()} == {
            r: [str(p) for p in ps] for r, ps in entry.persons.items()
        }, key


def test_exported_ris_parses_with_rispy(edition, references) -> None:
    records = rispy.loads((edition.html / "references.ris").read_text("utf-8"))
    assert len(records) == len(references) + 2 == 20  # the essay (edition and original), then the works
    assert [r["type_of_reference"] for r in records[:2]] == ["BOOK", "ELEC"]
    keys = [i["id"] for i in _json(edition, "essay.json")] + [i["id"] for i in references]
    by_id = dict(zip(keys, records, strict=True))  # RIS has no ID: the records come in the exports' order
    assert by_id["iosras2017"]["type_of_reference"] == "RPRT"
    assert by_id["urinboyev2017"]["secondary_authors"] == ["Laruelle, Marlene"]
    assert by_id["ohchr2019urges"]["urls"] == [
        "https://www.ohchr.org/EN/NewsEvents/Pages/DisplayNews.aspx?NewsID=24620&LangID=E"
    ]
    assert by_id["ohchr2019urges"]["note"] == "2020/05/05/"  # a web page's access date: M1


def _copy_text_paragraphs() -> list[str]:
    """The essay's body paragraphs in the copy-text: long lines, before the biographical note."""
    text = fidelity.copy_text_essay()
    lines = [line for line in text.split("\n") if len(line) > 300]
    return [line for line in lines if not line.startswith("At the time of writing")]


def _first_words(text: str, n: int = 8) -> list[str]:
    return fidelity.words(text)[:n]


def test_paragraph_numbers_are_the_same_in_html_epub_and_pdf(edition) -> None:
    expected = _copy_text_paragraphs()
    count = len(expected)
    assert count == 10
    essay = _page(edition, "essay.html")
    html_paragraphs = essay.xpath("//p[contains(@class, 'numbered-paragraph')]")
    assert [p.get("id") for p in html_paragraphs] == [f"p-{n}" for n in range(1, count + 1)]
    for number, (para, source) in enumerate(zip(html_paragraphs, expected), start=1):
        (marker,) = para.xpath(".//*[contains(@class, 'paragraph-marker')]")
        # on the web the stylesheet draws "¶ N" from data-number; the link is named "Paragraph N"
        (link,) = marker.xpath(".//a")
        assert (link.get("data-number"), link.get("aria-label")) == (str(number), f"Paragraph {number}")
        assert marker.xpath(".//a/@href") == [f"#p-{number}"]
        marker.drop_tree()
        assert _first_words(para.text_content()) == _first_words(source), number

    with zipfile.ZipFile(edition.epub) as z:
        xhtml = lxml_html.fromstring(z.read("essay.xhtml"))
    epub_paragraphs = xhtml.xpath("//p[contains(@class, 'numbered-paragraph')]")
    assert [p.get("id") for p in epub_paragraphs] == [f"p-{n}" for n in range(1, count + 1)]
    assert [p.xpath("string(.//span[@class='paragraph-number'])") for p in epub_paragraphs] == [
        f"¶\u00a0{n}" for n in range(1, count + 1)
    ]

    dests = subprocess.run(["pdfinfo", "-dests", str(edition.pdf)], capture_output=True, text=True, check=True).stdout
    assert sorted(set(re.findall(r'"(p-\d+)"', dests)), key=lambda d: int(d[2:])) == [
        f"p-{n}" for n in range(1, count + 1)
    ]
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(edition.pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for number in range(1, count + 1):
        assert re.search(rf"¶\s?{number}\b", text), number


def test_the_cite_page_has_three_styles_code_blocks_and_download_links(edition) -> None:
    page = _page(edition, "cite.html")
    texts = {
        p.get("id"): " ".join(p.text_content().split()) for p in page.xpath("//p[contains(@class, 'citation-text')]")
    }
    assert texts["cite-chicago-entry"].startswith(
        "Williams, Issy. The Radicalisation Enigma: The Question of Islamic Migrant Extremism in Russia and Central Asia. [2020?]. Scholarly ed., version "
    )
    assert texts["cite-apa-entry"].startswith(
        "Williams, I. (2026). The radicalisation enigma: The question of Islamic migrant extremism in Russia and Central Asia"
    )
    assert texts["cite-apa-entry"].endswith("(Original work published ca. 2020)")
    assert texts["cite-mla-entry"].startswith("Williams, Issy. The Radicalisation Enigma:")
    assert "[1 June 2020?]" in texts["cite-mla-entry"] and "[2020?]" in texts["cite-chicago-entry"]
    assert len(page.xpath("//div[contains(@class, 'citation-code')]//pre")) == 2
    for href in page.xpath("//ul[contains(@class, 'citation-exports')]//a/@href"):
        assert (edition.html / href).is_file(), href


def test_essay_page_metadata_without_a_configured_host(edition) -> None:
    head = _page(edition, "essay.html").xpath("//head")[0]
    assert head.xpath("meta[@name='citation_title']/@content") == [
        "The Radicalisation Enigma: The Question of Islamic Migrant Extremism in Russia and Central Asia"
    ]
    assert head.xpath("meta[@name='citation_author']/@content") == ["Williams, Issy"]
    assert head.xpath("meta[@property='og:type']/@content") == ["book"]
    assert head.xpath("meta[@name='DC.type']/@content") == ["book"]
    assert head.xpath("link[@type='application/vnd.citationstyles.csl+json']/@href") == ["essay.json"]
    # the build was given no base URL, so nothing that needs one is printed
    assert not head.xpath("meta[@name='citation_pdf_url']")
    assert not head.xpath("meta[@property='og:url']")
    assert not head.xpath("link[@rel='canonical']")
