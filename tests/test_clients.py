"""The built exports as the clients scholars use read them, compared with the copy-text's facts.

citeproc-js renders every item of ``references.json`` and ``essay.json`` in
the official Chicago notes, APA 7 and MLA 9 styles; citation-js reads
``references.bib`` and ``references.ris``; biber reads ``references.bib``
for biblatex's standard style and for biblatex-chicago. Each reading of
each of the 18 works and of the essay is compared, field by field, with
what the copy-text's notes say (:mod:`copytext_facts`), so that a fact an
export loses, splits or invents fails here by name.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

import clients
import pytest
from copytext_facts import BY_KEY, ESSAY, MONTHS, WORKS, Work, authors_date, copy_text_note, fold

from scholarly_edition.bibliography.bibtex_csl import strip_rich_text

EDITION_KEY = "williams-radicalisation-enigma"
ORIGINAL_KEY = f"{EDITION_KEY}-original"

# How each client types each kind of work. Zotero-like limits are the
# clients' own: citation-js reads every biblatex @article as a journal
# article (its entrysubtype becoming the genre), and the BibTeX export
# writes the video as @online, the one type biblatex's standard styles,
# biblatex-chicago, Zotero and citation-js all have a driver or mapping for.
TYPES: Mapping[str, Mapping[str, frozenset[str]]] = {
    "csl": {
        "periodical": frozenset({"article-newspaper", "article-magazine"}),
        "web": frozenset({"webpage"}),
        "report": frozenset({"report"}),
        "chapter": frozenset({"chapter"}),
        "video": frozenset({"motion_picture"}),
    },
    "citation-js bibtex": {
        "periodical": frozenset({"article-journal"}),
        "web": frozenset({"webpage"}),
        "report": frozenset({"report"}),
        "chapter": frozenset({"chapter"}),
        "video": frozenset({"webpage"}),
    },
    "citation-js ris": {
        "periodical": frozenset({"article-newspaper", "article-magazine"}),
        "web": frozenset({"webpage"}),
        "report": frozenset({"report"}),
        "chapter": frozenset({"chapter"}),
        "video": frozenset({"motion_picture"}),
    },
    "biber": {
        "periodical": frozenset({"article"}),
        "web": frozenset({"online"}),
        "report": frozenset({"report"}),
        "chapter": frozenset({"incollection"}),
        "video": frozenset({"online"}),
    },
}


def differences(reading: clients.Reading, work: Work, client: str) -> list[str]:
    """Every way ``reading`` departs from what the copy-text says of ``work``."""
    out = []

    def differ(what: str, got: object, want: object) -> None:
        out.append(f"{client}: {work.key}: {what} {got!r}, the copy-text {want!r}")

    if reading.kind not in TYPES[client][work.kind]:
        differ("type", reading.kind, sorted(TYPES[client][work.kind]))
    if reading.authors != list(work.authors):
        differ("authors", reading.authors, list(work.authors))
    if fold(strip_rich_text(reading.title)) != fold(work.title):
        differ("title", reading.title, work.title)
    # the video's "Ruptly" is its publisher to CSL and RIS (a studio to Zotero), its site to a web-page reading
    container = reading.container or (reading.publisher if work.kind == "video" else "")
    if fold(container) != fold(work.container):
        differ("container", reading.container, work.container)
    # a publisher the copy-text does not name may only be the site again (a web page's owner)
    if fold(reading.publisher) not in {fold(work.publisher), fold(work.container) if not work.publisher else None}:
        differ("publisher", reading.publisher, work.publisher)
    if work.place and reading.place != work.place:
        differ("place", reading.place, work.place)
    if reading.editors != list(work.editors):
        differ("editors", reading.editors, list(work.editors))
    if reading.date != work.date:
        differ("date", reading.date, work.date)
    if reading.accessed != work.accessed:
        differ("access date", reading.accessed, work.accessed)
    if reading.url != work.url:
        differ("URL", reading.url, work.url)
    if work.medium and work.medium not in reading.medium.casefold():
        differ("medium", reading.medium, work.medium)
    return out


def essay_differences(edition: clients.Reading, original: clients.Reading, client: str) -> list[str]:
    """How the two records of the essay depart from the copy-text (byline, title, dateline, site)."""
    out = []
    for name, reading in (("edition", edition), ("original", original)):
        if reading.authors != [ESSAY.author_family]:
            out.append(f"{client}: the essay's {name}: authors {reading.authors!r}")
        if fold(strip_rich_text(reading.title)) != fold(ESSAY.title):
            out.append(f"{client}: the essay's {name}: title {reading.title!r}")
    if edition.kind not in {"book"}:
        out.append(f"{client}: the essay's edition is a {edition.kind!r}, not a book (never software)")
    if "version" in edition.extra or "scholarly ed" not in edition.edition:
        out.append(f"{client}: the essay's edition statement {edition.edition!r}, {edition.extra!r}")
    if original.kind not in {"webpage", "online"}:
        out.append(f"{client}: the original is a {original.kind!r}, not a web page")
    if original.date[1:3] != ESSAY.month_day:
        out.append(f"{client}: the original's date {original.date!r} is not the dateline's {ESSAY.dateline!r}")
    if original.note and ESSAY.site_tagline not in original.note:
        out.append(f"{client}: the original's note does not name the site's tagline")
    return out


def _fail_on(found: Iterable[str]) -> None:
    problems = list(found)
    assert not problems, "\n".join(problems)


# --- the facts themselves --------------------------------------------------


def test_the_facts_are_the_copy_texts_own() -> None:
    """Each fact compared below is printed in the copy-text's note, in the author's form."""
    problems = []
    for work in WORKS:
        note = copy_text_note(work.note)
        strings = [work.container, work.publisher, work.place, *work.authors, *work.editors, work.url, work.medium]
        if work.date:
            strings.append(authors_date(work.date))
        if work.accessed:
            strings.append(f"accessed {authors_date(work.accessed)}")
        problems += [f"{work.key}: {s!r} is not in note {work.note}" for s in strings if s and s not in note]
        if fold(work.title) not in fold(note):
            problems.append(f"{work.key}: the title is not in note {work.note}")
    copy = clients.ROOT.joinpath("edition", "_copytext", "copy-text.txt").read_text("utf-8")
    for said in (f"{ESSAY.author_given} {ESSAY.author_family}", ESSAY.title, ESSAY.dateline, ESSAY.site_tagline):
        if said not in copy:
            problems.append(f"the essay: {said!r} is not in the copy-text")
    _fail_on(problems)


def test_the_facts_cover_every_exported_work(edition) -> None:
    references = json.loads((edition.html / "references.json").read_text("utf-8"))
    assert [i["id"] for i in references] == [w.key for w in WORKS]
    assert len(WORKS) == 18


# --- the CSL-JSON itself, and citeproc-js on it ----------------------------


@pytest.fixture(scope="module")
def csl_items(edition) -> list[dict]:
    essay = json.loads((edition.html / "essay.json").read_text("utf-8"))
    references = json.loads((edition.html / "references.json").read_text("utf-8"))
    return [*essay, *references]


def test_references_json_has_every_fact(csl_items) -> None:
    by_id = {item["id"]: clients.from_csl(item) for item in csl_items}
    _fail_on(d for work in WORKS for d in differences(by_id[work.key], work, "csl"))
    _fail_on(essay_differences(by_id[EDITION_KEY], by_id[ORIGINAL_KEY], "csl"))


def _day_month(date: tuple[int, ...]) -> list[str]:
    """What a style's date must contain: the day, and the month's first three letters."""
    return [f" {date[2]}", MONTHS[date[1] - 1][:3]] if len(date) == 3 else []


@pytest.mark.parametrize("style", clients.STYLES)
def test_citeproc_js_prints_every_fact_each_official_style_prints(csl_items, style, tmp_path) -> None:
    """Every item, in a full note and a bibliography entry, with every fact the style's rules print.

    What the three styles leave out by rule is not asked for: the place of
    publication (none of CMOS 18, APA 7 and MLA 9 prints it), an access date
    beside a publication date, and the day and month of a report's, a
    chapter's or the video's date (Chicago prints the video's year only).
    Everything else the copy-text gives must be printed: authors, title,
    container, publisher of a report or chapter, editor, year, the day and
    month of a periodical or web page, the access date of an undated web
    page, the URL, the medium.
    """
    result = clients.citeproc_render(csl_items, style, "en-GB", tmp_path)
    assert result["log"] == []
    printed = result["items"]
    assert set(printed) == {i["id"] for i in csl_items}
    problems = []
    for work in WORKS:
        text = " ".join(printed[work.key].values())
        if "[CSL STYLE ERROR" in text or not printed[work.key]["bibliography"]:
            problems.append(f"{style}: {work.key}: {text!r}")
            continue
        wanted = [*work.authors, work.container, work.url, *work.editors, work.medium]
        wanted += [work.publisher] if work.kind in {"report", "chapter"} else []
        wanted += [str(work.date[0])] if work.date else []
        if work.kind in {"periodical", "web"}:
            wanted += _day_month(work.date)
        if not work.date and work.url:
            wanted += [str(work.accessed[0]), *_day_month(work.accessed)]
        missing = [w for w in wanted if w and fold(w) not in fold(text)]
        if fold(work.title) not in fold(text):
            missing.append(work.title)
        if missing:
            problems.append(f"{style}: {work.key}: {missing} not in {text!r}")
    for key in (EDITION_KEY, ORIGINAL_KEY):
        text = " ".join(printed[key].values())
        for want in (ESSAY.author_family, ESSAY.title):
            if fold(want) not in fold(text):
                problems.append(f"{style}: {key}: {want!r} not in {text!r}")
        if "2020" not in text or "Computer software" in text or "[Software]" in text:
            problems.append(f"{style}: {key}: no original year, or typed as software: {text!r}")
    edition_text = " ".join(printed[EDITION_KEY].values())
    if "scholarly ed" not in edition_text.casefold():
        problems.append(f"{style}: the edition statement is not printed: {edition_text!r}")
    _fail_on(problems)


# --- citation-js on the BibTeX and the RIS ---------------------------------


def test_citation_js_reads_references_bib_as_the_copy_text_gives_it(edition) -> None:
    result = clients.citation_js_read(edition.html / "references.bib", "bibtex")
    assert result["log"] == []
    by_id = {item["id"]: clients.from_csl(item) for item in result["items"]}
    assert list(by_id) == [EDITION_KEY, ORIGINAL_KEY, *(w.key for w in WORKS)]
    _fail_on(d for work in WORKS for d in differences(by_id[work.key], work, "citation-js bibtex"))
    _fail_on(essay_differences(by_id[EDITION_KEY], by_id[ORIGINAL_KEY], "citation-js bibtex"))
    video = next(i for i in result["items"] if i["id"] == "ruptly2017guidebook")
    assert video["genre"] == "video"


def test_citation_js_reads_references_ris_as_the_copy_text_gives_it(edition) -> None:
    """RIS has no key: the records come in the exports' order, the essay first.

    citation-js reads a web page's ``T2`` (its site, which Zotero reads as
    websiteTitle) as the CSL collection-title: the site is read, under
    another name, and counted as the container here.
    """
    result = clients.citation_js_read(edition.html / "references.ris", "ris")
    assert result["log"] == []
    items = result["items"]
    assert len(items) == 20
    keys = [EDITION_KEY, ORIGINAL_KEY, *(w.key for w in WORKS)]
    by_id = {key: clients.from_csl(item, container_also=("collection-title",)) for key, item in zip(keys, items)}
    _fail_on(d for work in WORKS for d in differences(by_id[work.key], work, "citation-js ris"))
    _fail_on(essay_differences(by_id[EDITION_KEY], by_id[ORIGINAL_KEY], "citation-js ris"))
    assert not any("reporter" in item or "original-title" in item for item in items)


# --- biber, for biblatex's standard style and biblatex-chicago -------------


@pytest.mark.parametrize("style", sorted(clients.BIBLATEX_STYLES))
def test_biber_reads_references_bib_without_a_warning_as_the_copy_text_gives_it(edition, style, tmp_path) -> None:
    run = clients.biber_read(edition.html / "references.bib", style, tmp_path)
    assert [line for line in run.blg.splitlines() if line.startswith(("WARN", "ERROR"))] == []
    assert run.latex_warnings == []  # no "No driver for 'video'", no undefined citation
    assert set(run.entries) == {EDITION_KEY, ORIGINAL_KEY, *BY_KEY}
    readings = {key: clients.from_bbl(entry) for key, entry in run.entries.items()}
    _fail_on(d for work in WORKS for d in differences(readings[work.key], work, "biber"))
    _fail_on(essay_differences(readings[EDITION_KEY], readings[ORIGINAL_KEY], "biber"))
    # every list field one item: a body with "and" in its name is not two
    for key, entry in run.entries.items():
        for name, items in entry.lists.items():
            assert len(items) == 1, (key, name, items)
    # a newspaper or magazine piece to biblatex-chicago (its source map makes "newspaper" its "magazine")
    periodicals = [w.key for w in WORKS if w.kind == "periodical"]
    subtypes = {run.entries[k].fields.get("entrysubtype") for k in periodicals}
    assert subtypes == ({"magazine"} if style == "chicago" else {"magazine", "newspaper"})
    # a language biblatex knows, never printed as a tag
    assert run.entries[EDITION_KEY].fields["langid"] == "british"
