"""The "Cite this edition" page on a small test root."""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter

import pytest
from lxml import html as lxml_html
from pybtex.database import parse_string
from sphinx.errors import SphinxError

from scholarly_edition.bibliography import citeproc


def _text(node) -> str:
    return " ".join(node.xpath("string(.)").split())


@pytest.mark.sphinx("html", testroot="citing")
def test_three_styles_formatted_by_the_csl_processor(app, warning) -> None:
    app.build()
    assert not warning.getvalue()
    root = lxml_html.fromstring((app.outdir / "cite.html").read_bytes())
    texts = {p.get("id"): _text(p) for p in root.xpath("//p[contains(@class, 'citation-text')]")}
    assert texts["cite-chicago-citation"] == (
        "Ann Example, Moscow Notes: An Essay ([2024?]; test ed., version 2.1, 2024)."
    )
    assert texts["cite-chicago-locator"] == (
        "Ann Example, Moscow Notes: An Essay ([2024?]; test ed., version 2.1, 2024), para. 3."
    )
    assert texts["cite-chicago-entry"] == "Example, Ann. Moscow Notes: An Essay. [2024?]. Test ed., version 2.1, 2024."
    # APA keeps the stored sentence case and gives the republished work's two dates
    assert texts["cite-apa-citation"] == "(Example, ca. 2024/2024)"
    assert texts["cite-apa-locator"] == "(Example, ca. 2024/2024, para. 3)"
    assert texts["cite-apa-entry"] == (
        "Example, A. (2024). Moscow notes: An essay (test ed., version 2.1). (Original work published ca. 2024)"
    )
    assert texts["cite-mla-locator"] == "(Example, par. 3)"
    assert (
        texts["cite-mla-entry"] == "Example, Ann. Moscow Notes: An Essay. [3 Mar. 2024?]. Test ed., version 2.1, 2024."
    )
    # titles in italics, as every style sets a standalone work
    assert root.xpath("//p[@id='cite-chicago-entry']/em")[0].text == "Moscow Notes: An Essay"


@pytest.mark.sphinx("html", testroot="citing")
def test_every_formatted_citation_has_a_copy_button(app, warning) -> None:
    app.build()
    root = lxml_html.fromstring((app.outdir / "cite.html").read_bytes())
    targets = [p.get("id") for p in root.xpath("//p[contains(@class, 'citation-text')]")]
    buttons = root.xpath("//button[contains(@class, 'copy-citation')]")
    assert [b.get("data-copy-target") for b in buttons] == targets
    assert len(targets) == 9
    assert all(b.get("hidden") is not None and not any(a.startswith("on") for a in b.attrib) for b in buttons)


@pytest.mark.sphinx("html", testroot="citing")
def test_bibtex_and_csl_json_blocks_are_the_exported_record(app, warning) -> None:
    app.build()
    root = lxml_html.fromstring((app.outdir / "cite.html").read_bytes())
    blocks = root.xpath("//div[contains(@class, 'citation-code')]//pre")
    assert len(blocks) == 2
    bib = parse_string(blocks[0].text_content(), "bibtex")
    (key,) = bib.entries
    entry = bib.entries[key]
    assert key == "example-moscow" and entry.type == "book"
    assert entry.fields["title"] == "{Moscow} notes: An essay"
    assert entry.fields["origdate"] == "2024-03-03~"
    assert str(entry.persons["author"][0]) == "Example, Ann"
    exported = json.loads((app.outdir / "essay.json").read_text("utf-8"))
    assert json.loads(blocks[1].text_content()) == exported[:1]
    # copybutton's selector finds both blocks
    assert all(b.xpath("ancestor::div[contains(@class, 'highlight')]") for b in blocks)


@pytest.mark.sphinx("html", testroot="citing")
def test_download_links_reach_the_four_exports(app, warning) -> None:
    app.build()
    root = lxml_html.fromstring((app.outdir / "cite.html").read_bytes())
    hrefs = root.xpath("//ul[contains(@class, 'citation-exports')]//a/@href")
    assert hrefs == ["references.json", "essay.json", "references.bib", "references.ris"]
    assert all((app.outdir / h).stat().st_size > 0 for h in hrefs)


@pytest.mark.sphinx("html", testroot="citing")
def test_the_date_inference_is_explained(app, warning) -> None:
    app.build()
    root = lxml_html.fromstring((app.outdir / "cite.html").read_bytes())
    (note,) = root.xpath("//p[contains(@class, 'original-date-note')]")
    text = _text(note)
    assert "“Posted: Mar 3”, without a year" in text
    assert "The year 2024 is inferred" in text and "1 December 2023" in text


@pytest.mark.sphinx("html", testroot="citing", freshenv=True)
def test_one_processor_run_per_style_and_none_when_cached(app, warning, monkeypatch, make_app) -> None:
    runs: Counter[str] = Counter()
    real = citeproc._run_pandoc

    def counting(bib_json, document, csl):
        runs[csl.stem] += 1
        return real(bib_json, document, csl)

    monkeypatch.setattr(citeproc, "_run_pandoc", counting)
    shutil.rmtree(app.doctreedir / "citeproc", ignore_errors=True)  # the root's folder is shared by tests
    app.build()
    assert runs["apa"] == 1
    assert runs["modern-language-association"] == 1
    assert runs["chicago-notes-bibliography"] == 1
    runs.clear()
    app.build(force_all=True)  # the record kept in the environment: nothing to format again
    assert runs["apa"] == runs["modern-language-association"] == runs["chicago-notes-bibliography"] == 0
    # a fresh environment formats the record again, from the processor's results on disk
    again = make_app("html", srcdir=app.srcdir, builddir=app.outdir.parent, freshenv=True)
    again.build()
    assert runs["apa"] == runs["modern-language-association"] == runs["chicago-notes-bibliography"] == 0


@pytest.mark.sphinx("latex", testroot="citing")
def test_the_page_in_latex_has_no_buttons_and_names_files_without_links(app, warning) -> None:
    app.build()
    assert not warning.getvalue()
    tex = (app.outdir / "edition.tex").read_text("utf-8")
    assert "Moscow Notes: An Essay" in tex
    assert "references.json" in tex and r"\href{references.json}" not in tex
    assert "button" not in tex


@pytest.mark.sphinx(
    "html",
    testroot="citing",
    confoverrides={"edition_cite_styles": [("chicago", "Chicago", "chicago-notes-bibliography")]},
)
def test_an_unknown_style_on_the_page_stops_the_build(app, warning) -> None:
    with pytest.raises(SphinxError, match="names a style above"):
        app.build()
    assert re.search(r"cite\.md:\d+: ERROR: essay-citation: no style 'apa' in edition_cite_styles", warning.getvalue())
