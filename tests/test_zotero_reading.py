"""How Zotero types and names what the edition offers it, by its translators' own rules.

The rules are re-stated, with file and line, in :mod:`zotero_rules`; here
they are applied to the built edition: the essay page (Embedded Metadata),
``essay.json`` and ``references.json`` (CSL JSON), ``references.bib``
(BibTeX), ``references.ris`` (RIS) and the bibliography page's COinS
spans. No item may come out as software, and no name split or doubled.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

import pytest
import zotero_rules as z
from copytext_facts import BY_KEY, ESSAY, WORKS, fold
from lxml import html as lxml_html

EDITION_KEY = "williams-radicalisation-enigma"
ORIGINAL_KEY = f"{EDITION_KEY}-original"

CSL_TO_RIS_TYPE = {
    "article-newspaper": "newspaperArticle",
    "article-magazine": "magazineArticle",
    "webpage": "webpage",
    "report": "report",
    "chapter": "bookSection",
    "motion_picture": "videoRecording",
    "book": "book",
}


@pytest.fixture(scope="module")
def csl(edition) -> dict[str, dict]:
    essay = json.loads((edition.html / "essay.json").read_text("utf-8"))
    references = json.loads((edition.html / "references.json").read_text("utf-8"))
    return {item["id"]: item for item in [*essay, *references]}


def names_problems(item: z.ZoteroItem, csl_item: Mapping, where: str) -> list[str]:
    """A creator split, doubled, dropped or a body stored as a person."""
    want = csl_item.get("author", [])
    got = [c for c in item.creators if c.role == "author"]
    if len(got) != len(want):
        return [f"{where}: {len(got)} creators {[(c.last, c.first) for c in got]}, the record has {len(want)}"]
    out = []
    for creator, name in zip(got, want, strict=True):
        if "literal" in name:
            if not (creator.single_field and creator.last == name["literal"]):
                out.append(f"{where}: the body {name['literal']!r} stored as {creator}")
        elif (creator.last, creator.first, creator.single_field) != (name["family"], name["given"], False):
            out.append(f"{where}: {name} stored as {creator}")
    return out


def test_the_essay_page_is_saved_as_a_book_by_its_author(edition) -> None:
    """Embedded Metadata (priority 320) on the essay page: a book, Williams, Issy, with its abstract."""
    meta = z.page_meta(edition.html / "essay.html")
    item = z.zotero_from_page(meta)
    assert item.item_type == "book"
    assert not any(name.endswith(tuple(z.HIGHWIRE_TYPES)) for name in meta)  # nothing forces another type
    # nor outranks og:type in RDF.js detectType (t.zotero, t.bib, t.prism, t.eprints come before t.og)
    outranking = ("z.", "bib.", "bibo.", "eprints.", "prism.aggregationtype", "prism.genre")
    assert not [name for name in meta if name.lower().startswith(outranking)]
    assert [(c.last, c.first) for c in item.creators] == [(ESSAY.author_family, ESSAY.author_given)]
    assert item.fields["title"] == ESSAY.title
    assert item.fields["abstractNote"] and item.fields["abstractNote"] not in meta.get("description", [""])
    assert "scholarly ed" in item.fields["edition"]


def test_essay_json_and_references_json_import_with_their_types_and_names(csl) -> None:
    """``CSL JSON.js`` hands each item to itemFromCSLJSON: never software (a ``book`` with ``version``)."""
    problems = []
    for key, item in csl.items():
        zotero = z.zotero_from_csl(item)
        if zotero.item_type == "computerProgram":
            problems.append(f"{key}: imported as software")
        problems += names_problems(zotero, item, f"CSL-JSON {key}")
    assert z.zotero_from_csl(csl[EDITION_KEY]).item_type == "book"
    assert z.zotero_from_csl(csl[ORIGINAL_KEY]).item_type == "webpage"
    for work in WORKS:
        if work.container and work.kind != "video":
            got = z.zotero_from_csl(csl[work.key]).fields.get("publicationTitle", "")
            if fold(got) != fold(work.container):
                problems.append(f"CSL-JSON {work.key}: publicationTitle {got!r}")
    assert not problems, "\n".join(problems)


def test_references_bib_imports_every_entry_as_one_item_with_whole_names(edition, csl) -> None:
    """``BibTeX.js``: no entry discarded, none software, no body split on its "and".

    Zotero has no newspaper or magazine type from BibTeX (``article`` is
    always journalArticle, :219, and entrysubtype is not read): such an
    article keeps its paper as publicationTitle, read from ``journaltitle``
    (:190). A web page keeps its site as publicationTitle (websiteTitle) from
    ``booktitle`` (:185), and the video, an @online for biblatex's sake, is
    a web page of websiteType "video" (fieldMap ``type``, :93).
    """
    entries = z.read_exported_bibtex((edition.html / "references.bib").read_text("utf-8"))
    assert list(entries) == list(csl)
    problems = []
    for key, (kind, fields) in entries.items():
        item = z.zotero_from_bibtex(kind, fields)
        if item is None:
            problems.append(f"{key}: @{kind} is discarded")
            continue
        if item.item_type == "computerProgram" or "version" in item.fields:
            problems.append(f"{key}: software, or a version Zotero has no field for on a book")
        problems += names_problems(item, csl[key], f"BibTeX {key}")
        ignored = [name for name in ("maintitle", "titleaddon") if name in fields]  # facts Zotero would drop
        if ignored:
            problems.append(f"{key}: {ignored} hold facts Zotero drops")
        work = BY_KEY.get(key)
        if work and work.container and fold(item.fields.get("publicationTitle", "")) != fold(work.container):
            problems.append(f"BibTeX {key}: publicationTitle {item.fields.get('publicationTitle')!r}")
        if work and work.publisher and fold(item.fields.get("publisher", "")) != fold(work.publisher):
            problems.append(f"BibTeX {key}: publisher {item.fields.get('publisher')!r}")
    video = z.zotero_from_bibtex(*entries["ruptly2017guidebook"])
    assert video is not None and (video.item_type, video.fields["type"]) == ("webpage", "video")
    assert z.zotero_from_bibtex(*entries[EDITION_KEY]).item_type == "book"  # type: ignore[union-attr]
    assert not problems, "\n".join(problems)


def test_references_ris_imports_with_its_types_names_and_dates(edition, csl) -> None:
    """``RIS.js``: newspaper and magazine articles, web pages and the video keep their types."""
    records = z.ris_records((edition.html / "references.ris").read_text("utf-8"))
    assert len(records) == len(csl)
    problems = []
    for (key, item), record in zip(csl.items(), records, strict=True):
        zotero = z.zotero_from_ris(record)
        if zotero.item_type != CSL_TO_RIS_TYPE[item["type"]]:
            problems.append(f"RIS {key}: {zotero.item_type}, not {CSL_TO_RIS_TYPE[item['type']]}")
        problems += names_problems(zotero, item, f"RIS {key}")
        work = BY_KEY.get(key)
        if work and work.accessed and "accessDate" not in zotero.fields:
            problems.append(f"RIS {key}: no access date")
        if work and work.date and "date" not in zotero.fields:
            problems.append(f"RIS {key}: no date")
        title = zotero.fields.get("publicationTitle", "")
        if work and work.container and work.kind != "video" and fold(title) != fold(work.container):
            problems.append(f"RIS {key}: publicationTitle {zotero.fields.get('publicationTitle')!r}")
    edition_item = z.zotero_from_ris(records[0])
    assert edition_item.fields["extra"].startswith("Original Date: 2020-06-01")
    assert not problems, "\n".join(problems)


def test_coins_spans_name_each_body_once(edition, csl) -> None:
    """The bibliography page's COinS (COinS.js, priority 310): each work once, each creator once."""
    root = lxml_html.fromstring((edition.html / "bibliography.html").read_bytes())
    spans = root.xpath("//span[@class='Z3988']")
    assert len(spans) == len(WORKS)
    problems = []
    seen = set()
    for span in spans:
        item = z.zotero_from_coins(span.get("title"))
        assert item is not None, span.get("title")
        matches = [k for k, w in BY_KEY.items() if fold(w.title) == fold(item.fields.get("title", ""))]
        if len(matches) != 1:
            problems.append(f"COinS: {item.fields.get('title')!r} matches {matches}")
            continue
        (key,) = matches
        seen.add(key)
        if item.item_type == "computerProgram":
            problems.append(f"COinS {key}: software")
        problems += names_problems(item, csl[key], f"COinS {key}")
    assert seen == set(BY_KEY)
    assert not problems, "\n".join(problems)
