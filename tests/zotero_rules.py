"""How Zotero reads each channel, re-stated from its translators' source, to check the edition against.

No Zotero runs here: these are the rules of the translators Zotero ships,
each cited by file, commit and line, applied to the built files by
``test_zotero_reading``. The commits are the versions read:

- zotero/translators ``BibTeX.js`` @ d2d7747bcd182c8ddd7840adef52b2d4f7c0abe1
- zotero/translators ``RIS.js`` @ f50d4465fc40623d76d23d0690b71008ba4186c0
- zotero/translators ``CSL JSON.js`` @ ed6452629e347b36ff47f00b65f6dd8048ed86e6
- zotero/translators ``COinS.js`` @ c763c1e0f1c9ae13fb51af79145efcfec0bb126f,
  through zotero/utilities ``openurl.js`` @ c562c2789e330ddfbb27b350331a6213497f2033
- zotero/translators ``Embedded Metadata.js`` @ dcd14d6f47d3f3db90943d79abdfde17240cc38c
  (and ``RDF.js`` @ 0dd0169088ece4129ef516f9bf21718509b6d16b for its type detection)
- zotero/utilities ``utilities_item.js`` @ 4d8d7d3e92cbc3b4d62b82478e212a6f63b9a35f
  (``itemFromCSLJSON``)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl

# --- BibTeX.js --------------------------------------------------------------

BIBTEX_TYPES: Mapping[str, str] = {
    # bibtex2zoteroTypeMap, BibTeX.js:215-246
    "book": "book",
    "inbook": "bookSection",
    "incollection": "bookSection",
    "article": "journalArticle",  # :219, "or magazineArticle or newspaperArticle": never chosen
    "patent": "patent",
    "phdthesis": "thesis",
    "unpublished": "manuscript",
    "inproceedings": "conferencePaper",
    "conference": "conferencePaper",
    "techreport": "report",
    "booklet": "book",
    "manual": "book",
    "mastersthesis": "thesis",
    "misc": "book",  # :229
    "proceedings": "book",
    "online": "webpage",  # :231
    "thesis": "thesis",
    "letter": "letter",
    "movie": "film",
    "artwork": "artwork",
    "report": "report",
    "legislation": "bill",
    "jurisdiction": "case",
    "audio": "audioRecording",
    "video": "videoRecording",  # :241
    "software": "computerProgram",
    "inreference": "encyclopediaArticle",
    "collection": "book",
    "mvbook": "book",
}
"""Any other entry type is discarded (``beginRecord``: "discarded item from BibTeX")."""

BIBTEX_PUBLICATION_FIELDS = ("journaltitle", "booktitle", "journal")
"""inputFieldMap, BibTeX.js:184-195 (``booktitle``, ``journaltitle`` → publicationTitle), and
processField's ``journal`` branch: the only fields Zotero takes a container from."""

BIBTEX_PUBLISHER_FIELDS = ("publisher", "institution", "organization")
"""``publisher`` (inputFieldMap, :187); ``institution`` and ``organization`` become
``backupPublisher`` (processField, :367-368), the publisher when none is set
(beginRecord, at the record's end: ``if (!item.publisher && item.backupPublisher)``)."""

BIBTEX_IGNORED = ("entrysubtype", "maintitle", "langid", "origdate", "titleaddon")
"""Fields processField (BibTeX.js:298-445) has no branch for, and fieldMap (:89-107) and
inputFieldMap (:184-195) do not name: Zotero drops them."""


@dataclass
class Creator:
    last: str
    first: str = ""
    single_field: bool = False
    """Zotero's ``fieldMode: 1``: a body's name, kept whole."""
    role: str = "author"


def split_unprotected(text: str, separator: str) -> list[str]:
    """``splitUnprotected`` (BibTeX.js): split on ``separator`` (a regex) outside braces."""
    parts, depth, start = [], 0, 0
    index = 0
    pattern = re.compile(separator)
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth = max(depth - 1, 0)
        elif depth == 0:
            match = pattern.match(text, index)
            if match and match.end() > index:
                parts.append(text[start:index])
                start = index = match.end()
                continue
        index += 1
    parts.append(text[start:])
    return parts


def kill_braces(text: str) -> str:
    """``unescapeBibTeX``'s "kill braces"."""
    return text.replace("{", "").replace("}", "")


def bibtex_creators(raw: str, role: str = "author") -> list[Creator]:
    """processField's author/editor branch, BibTeX.js:336-366.

    Names are split on an unbraced " and " (:338); a name with a comma is
    "Last, First" (:345-355); one with an unbraced space is split at its last
    space by ``cleanAuthor`` (:356-357); anything else is one single-field
    name (:358-363).
    """
    creators = []
    for name in split_unprotected(raw.strip(), r"\s+and\s+"):
        if not name:
            continue
        pieces = split_unprotected(name, r"\s*,\s*")
        if len(pieces) > 1:
            creators.append(Creator(kill_braces(pieces[0]), kill_braces(pieces[-1]), role=role))
        elif len(split_unprotected(name, r" +")) > 1:
            first, _, last = kill_braces(name).rpartition(" ")
            creators.append(Creator(last, first, role=role))
        else:
            creators.append(Creator(kill_braces(name), single_field=True, role=role))
    return creators


@dataclass
class ZoteroItem:
    """What Zotero would store: its item type, creators and the fields compared."""

    item_type: str
    creators: list[Creator] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)


_ENTRY = re.compile(r"^@(?P<type>\w+)\{(?P<key>[^,]+),\n(?P<body>.*?)\n\}$", re.S | re.M)
_FIELD = re.compile(r'^    (?P<name>\w+) = "(?P<value>.*)",?$')


def read_exported_bibtex(text: str) -> dict[str, tuple[str, dict[str, str]]]:
    """The exported references.bib's entries: type and raw fields, as Zotero's reader sees them.

    The file is written by pybtex, one field a line; a line of any other
    shape fails, so that nothing is skipped unread.
    """
    entries = {}
    for match in _ENTRY.finditer(text):
        fields = {}
        for line in match["body"].splitlines():
            found = _FIELD.match(line)
            if not found:
                raise AssertionError(f"{match['key']}: a line this reader does not know: {line!r}")
            fields[found["name"].lower()] = found["value"]
        entries[match["key"]] = (match["type"].lower(), fields)
    return entries


def zotero_from_bibtex(kind: str, fields: Mapping[str, str]) -> ZoteroItem | None:
    """One entry as BibTeX.js imports it; ``None`` if it is discarded."""
    item_type = BIBTEX_TYPES.get(kind)
    if item_type is None:
        return None
    item = ZoteroItem(item_type)
    for role in ("author", "editor", "translator"):
        if role in fields:
            item.creators += bibtex_creators(fields[role], role)
    for name in BIBTEX_PUBLICATION_FIELDS:
        if name in fields and "publicationTitle" not in item.fields:
            item.fields["publicationTitle"] = kill_braces(fields[name])
    for name in BIBTEX_PUBLISHER_FIELDS:
        if name in fields and "publisher" not in item.fields:
            item.fields["publisher"] = kill_braces(fields[name])
    # fieldMap, BibTeX.js:89-107
    for bib, zotero in {
        "title": "title",
        "type": "type",
        "edition": "edition",
        "url": "url",
        "language": "language",
    }.items():
        if bib in fields:
            item.fields[zotero] = kill_braces(fields[bib])
    if "version" in fields:  # inputFieldMap, :194
        item.fields["version"] = fields["version"]
    if "date" in fields:  # processField "date", :408-410
        item.fields["date"] = fields["date"]
    if "urldate" in fields:  # :443-444
        item.fields["accessDate"] = fields["urldate"]
    return item


# --- RIS.js -----------------------------------------------------------------

RIS_TYPES: Mapping[str, str] = {
    # exportTypeMap, RIS.js:83-112, reversed into importTypeMap at :163-167
    "BOOK": "book",  # :88
    "CHAP": "bookSection",  # :89
    "JOUR": "journalArticle",  # :99
    "MGZN": "magazineArticle",  # :101
    "NEWS": "newspaperArticle",  # :104
    "RPRT": "report",  # :107
    "VIDEO": "videoRecording",  # :110
    "ELEC": "webpage",  # :111
    "GEN": "journalArticle",  # importTypeMap, :147
}

RIS_CREATOR_TAGS = ("AU", "A1")
"""fieldMap's AU and A1 (RIS.js:257-278): the author (the director of a video)."""

RIS_FIELDS: Mapping[str, str] = {
    "TI": "title",  # fieldMap TI
    "T1": "title",  # degenerateImportFieldMap T1 = fieldMap.TI
    "T2": "publicationTitle",  # fieldMap T2 (:235-250): websiteTitle for webpage, publicationTitle for periodicals
    "JF": "publicationTitle",  # degenerateImportFieldMap JF (:464)
    "PB": "publisher",  # fieldMap PB: institution for report, studio for videoRecording
    "CY": "place",
    "ET": "edition",
    "UR": "url",  # fieldMap UR (:222)
    "Y2": "accessDate",  # fieldMap Y2 (:223)
    "DA": "date",
    "PY": "date",  # a backup, used when DA is absent
    "Y1": "date",  # degenerateImportFieldMap Y1 = fieldMap.DA (:503), the old specification
    "M2": "extra",  # degenerateImportFieldMap M2 (:476)
    "M3": "type",
    "LA": "language",
}
"""Tag → Zotero field. ``M1`` is the access date of a web page only (degenerateImportFieldMap M1,
:470-475: ``accessDate: ["webpage"]``), and ``OP`` is "unsupported/Original Publication" (:480-483),
dropped."""


def ris_records(text: str) -> list[list[tuple[str, str]]]:
    """RIS records as (tag, value) lines, ``TY`` to ``ER``."""
    records, current = [], []
    for line in text.splitlines():
        match = re.match(r"^([A-Z][A-Z0-9])  - ?(.*)$", line)
        if not match:
            if line.strip():
                raise AssertionError(f"not a RIS line: {line!r}")
            continue
        tag, value = match.groups()
        if tag == "ER":
            records.append(current)
            current = []
        else:
            current.append((tag, value))
    return records


def zotero_from_ris(record: list[tuple[str, str]]) -> ZoteroItem:
    """One record as RIS.js imports it."""
    tags = dict(record)
    item = ZoteroItem(RIS_TYPES.get(tags["TY"], "journalArticle"))  # DEFAULT_IMPORT_TYPE, :81
    for tag, value in record:
        if tag in RIS_CREATOR_TAGS:
            # processTag, "creators": "Last, First", or a body's name whole (fieldMode 1)
            last, _, first = (part.strip() for part in value.partition(","))
            item.creators.append(Creator(last, first, single_field=not first))
        elif tag == "M1" and item.item_type == "webpage":
            item.fields["accessDate"] = value
        elif tag in RIS_FIELDS and (tag != "PY" or "date" not in item.fields):
            item.fields[RIS_FIELDS[tag]] = value
    return item


# --- utilities_item.js: itemFromCSLJSON --------------------------------------

CSL_TYPES: Mapping[str, str] = {
    # zotero-schema csl.types, read in reverse by itemFromCSLJSON (utilities_item.js:262-264)
    "article-journal": "journalArticle",
    "article-magazine": "magazineArticle",
    "article-newspaper": "newspaperArticle",
    "book": "book",
    "chapter": "bookSection",
    "motion_picture": "film",
    "report": "report",
    "webpage": "webpage",
    "software": "computerProgram",
}


def zotero_from_csl(item: Mapping[str, object]) -> ZoteroItem:
    """One CSL-JSON item as ``Zotero.Utilities.Item.itemFromCSLJSON`` makes it."""
    kind = str(item["type"])
    if kind == "book" and item.get("version"):
        zotero_type = "computerProgram"  # utilities_item.js:250-252
    elif kind == "motion_picture" and any(
        v in item for v in ("collection-title", "publisher-place", "event-place", "volume", "number-of-volumes", "ISBN")
    ):
        zotero_type = "videoRecording"  # :256-261
    else:
        zotero_type = CSL_TYPES.get(kind, "document")  # :262-268
    out = ZoteroItem(zotero_type)
    for name in item.get("author", []) or []:  # type: ignore[union-attr]
        if "literal" in name:
            out.creators.append(Creator(name["literal"], single_field=True))  # :319-324, fieldMode 1
        else:
            out.creators.append(Creator(name.get("family", ""), name.get("given", "")))
    for variable, zotero in {"title": "title", "container-title": "publicationTitle", "edition": "edition"}.items():
        if variable in item:
            out.fields[zotero] = str(item[variable])
    return out


# --- openurl.js: parseContextObject (COinS) ----------------------------------


def zotero_from_coins(title: str) -> ZoteroItem | None:
    """A COinS span's ContextObject as ``Zotero.OpenURL.parseContextObject`` reads it.

    The format gives the type (openurl.js:212-249): journal → journalArticle;
    book → book, or bookSection, report, conferencePaper by ``rft.genre``;
    dc → webpage, which ``rft.type`` overrides with any Zotero type
    (:417-418); any other format and the span is ignored. ``rft.aucorp`` is
    a body kept whole; ``rft.au`` is put through ``cleanAuthor`` and split
    at its last space unless it has a comma (:349-360); the two lists are
    merged only where a plain name has the body's last name (:430-453), so a
    body sent in both is stored twice, once split.
    """
    pairs = parse_qsl(title, keep_blank_values=True)
    values: dict[str, list[str]] = {}
    for key, value in pairs:
        values.setdefault(key, []).append(value)
    fmt = values.get("rft_val_fmt", [""])[0]
    genre = values.get("rft.genre", [""])[0]
    if fmt.endswith("mtx:journal"):
        item = ZoteroItem("journalArticle")
    elif fmt.endswith("mtx:book"):
        item = ZoteroItem(
            {"bookitem": "bookSection", "report": "report", "conference": "conferencePaper"}.get(genre, "book")
        )
    elif fmt.endswith("mtx:dc"):
        item = ZoteroItem(values.get("rft.type", ["webpage"])[0])
    else:
        return None
    item.creators += [Creator(v, single_field=True) for v in values.get("rft.aucorp", [])]
    for value in values.get("rft.au", []):
        last = value.split(",")[0] if "," in value else value.rpartition(" ")[2]
        if not any(c.last == last for c in item.creators):
            first = value.split(",", 1)[1].strip() if "," in value else value.rpartition(" ")[0]
            item.creators.append(Creator(last, first))
    lasts = values.get("rft.aulast", [])
    firsts = values.get("rft.aufirst", [])
    for last, first in zip(lasts, firsts, strict=False):
        if not any(c.last == last for c in item.creators):
            item.creators.append(Creator(last, first))
    for key in ("rft.title", "rft.atitle", "rft.btitle"):
        if key in values and "title" not in item.fields:
            item.fields["title"] = values[key][0]
    return item


# --- Embedded Metadata.js ----------------------------------------------------

HIGHWIRE_TYPES: Mapping[str, str] = {
    # Embedded Metadata.js:299-325: a tag ending in one of these sets the Highwire type, which wins
    "citation_journal_title": "journalArticle",
    "citation_technical_report_institution": "report",
    "citation_conference_title": "conferencePaper",
    "citation_conference": "conferencePaper",
    "citation_book_title": "bookSection",
    "citation_inbook_title": "bookSection",
    "citation_dissertation_institution": "thesis",
}

OG_TYPES: Mapping[str, str] = {
    # RDF.js detectType, og:type: ranks above DC.type (t.og before t.dc)
    "book": "book",
    "website": "webpage",
    "video.movie": "videoRecording",
    "video.other": "videoRecording",
}


def zotero_from_page(meta: Mapping[str, list[str]]) -> ZoteroItem:
    """The essay page as Embedded Metadata saves it: its type, author and abstract."""
    item_type = ""
    for name in meta:
        for suffix, kind in HIGHWIRE_TYPES.items():
            if name.endswith(suffix):
                item_type = item_type or kind
    og = meta.get("og:type", [""])[0]
    dc = meta.get("DC.type", [""])[0]
    item_type = item_type or OG_TYPES.get(og, "") or dc or ("journalArticle" if "citation_title" in meta else "webpage")
    item = ZoteroItem(item_type)
    for value in meta.get("citation_author", []):
        # processHighwireCreators (:566-610): cleanAuthor(name, "author", name.includes(","))
        if "," in value:
            last, _, first = (p.strip() for p in value.partition(","))
        else:
            first, _, last = value.rpartition(" ")
        item.creators.append(Creator(last, first))
    # HIGHWIRE_MAPPINGS (:42-64) are applied after RDF and overwrite it
    for tag, zotero in {"citation_title": "title", "citation_abstract": "abstractNote"}.items():
        if tag in meta:
            item.fields[zotero] = meta[tag][0]
    if "prism.edition" in meta:  # RDF.js reads prism.edition as the edition
        item.fields["edition"] = meta["prism.edition"][0]
    return item


def page_meta(html_path: Path) -> dict[str, list[str]]:
    """Every ``<meta>`` of a page by name (or property), in order."""
    from lxml import html as lxml_html

    root = lxml_html.fromstring(html_path.read_bytes())
    meta: dict[str, list[str]] = {}
    for element in root.xpath("//meta"):
        name = element.get("name") or element.get("property")
        if name:
            meta.setdefault(name, []).append(element.get("content", ""))
    return meta
