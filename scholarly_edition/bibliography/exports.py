"""The machine-readable exports, written beside the HTML edition.

``references.json`` (CSL-JSON of every cited work), ``essay.json`` (CSL-JSON
of the essay in this edition and of the original page), ``references.bib``
and ``references.ris``. All come from the BibTeX sphinxcontrib-bibtex has
already parsed and from the edition metadata in ``conf.py``; none is copied
by hand.

Every CSL-JSON file is checked against the official CSL-JSON schema before
anything is written, and an invalid one is an error naming the file and
the item. No Sphinx here: :mod:`scholarly_edition.citing.exports` writes
the files after a successful build.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
from pybtex.database import BibliographyData, Entry
from pybtex.database.output.bibtex import Writer

from scholarly_edition.bibliography import bibtex_export, ris
from scholarly_edition.problems import DataError, Finding, Problem

SCHEMA = Path(__file__).parent / "schemas" / "csl-data.json"

REFERENCES_JSON = "references.json"
ESSAY_JSON = "essay.json"
REFERENCES_BIB = "references.bib"
REFERENCES_RIS = "references.ris"
FILES = (REFERENCES_JSON, ESSAY_JSON, REFERENCES_BIB, REFERENCES_RIS)
"""The export files, by their names in the HTML output folder."""

MEDIA_TYPES = {
    REFERENCES_JSON: "application/vnd.citationstyles.csl+json",
    ESSAY_JSON: "application/vnd.citationstyles.csl+json",
    REFERENCES_BIB: "application/x-bibtex",
    REFERENCES_RIS: "application/x-research-info-systems",
}


class ExportError(DataError):
    """An export that would not be valid, or would lose what its source says."""

    problem = Problem.EXPORT

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__("; ".join(f"{f.location}: {f.message}" for f in findings))
        self.findings = findings


@cache
def _validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA.read_text("utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def validate_csl(items: list[dict[str, Any]], filename: str) -> None:
    """Raise :class:`ExportError` naming ``filename`` and the item if ``items`` is not valid CSL-JSON."""
    errors = sorted(_validator().iter_errors(items), key=lambda e: list(e.absolute_path))
    if not errors:
        return
    messages = []
    for error in errors:
        path = list(error.absolute_path)
        where = "the file"
        if path and isinstance(path[0], int) and path[0] < len(items):
            item = items[path[0]]
            ident = item.get("id", f"#{path[0]}") if isinstance(item, Mapping) else f"#{path[0]}"
            where = f"item {ident!r}" + (f", {'/'.join(str(p) for p in path[1:])}" if path[1:] else "")
        messages.append(Finding(f"{where}: {error.message} (invalid CSL-JSON against the official schema)", filename))
    raise ExportError(messages)


def csl_json(items: list[dict[str, Any]]) -> str:
    """CSL-JSON text: UTF-8, indented, with each ``date-parts`` on one line.

    The date parts are swapped for unique placeholder strings while the rest
    is indented, then put back compact; no other value is touched.
    """
    dates: list[str] = []

    def compact(value: Any) -> Any:
        if isinstance(value, dict):
            out = {}
            for key, inner in value.items():
                if key == "date-parts":
                    dates.append(json.dumps(inner, separators=(", ", ": ")))
                    out[key] = f"\0date-parts-{len(dates) - 1}\0"
                else:
                    out[key] = compact(inner)
            return out
        if isinstance(value, list):
            return [compact(v) for v in value]
        return value

    text = json.dumps(compact(items), ensure_ascii=False, indent=2)
    for index, parts in enumerate(dates):
        text = text.replace(json.dumps(f"\0date-parts-{index}\0"), parts)
    return text + "\n"


class RawBibTeXWriter(Writer):
    """pybtex's BibTeX writer for values that are BibTeX already.

    pybtex's parser keeps field values as they are in the ``.bib`` file (LaTeX
    and braces included), while its writer assumes plain Unicode and escapes
    it again: ``_`` and ``&`` in a URL would come out as ``\\_`` and ``\\&``,
    and the URL would change. Writing the parsed values unchanged round-trips.
    """

    def _encode(self, text: str) -> str:
        return text


def bibtex(entries: Iterable[tuple[str, Entry]], header: str = "") -> str:
    """BibTeX (biblatex) text of ``entries``, as pybtex writes it."""
    data = BibliographyData(entries=dict(entries))
    body = RawBibTeXWriter().to_string(data)
    comment = "".join(f"% {line}\n" if line else "%\n" for line in header.splitlines())
    return comment + ("\n" if comment else "") + body


BIB_HEADER = (
    "The essay (this edition, then the original web page) and the works it cites,\n"
    "exported by the edition's build from conf.py and refs.bib.\n"
    "biblatex entry types and fields; UTF-8."
)


def write_atomic(path: Path, text: str) -> None:
    """Write through a temporary file, so a reader never sees half a file."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, "utf-8")
    os.replace(tmp, path)


def prepare(
    references: list[dict[str, Any]], essay: list[dict[str, Any]], entries: Iterable[tuple[str, Entry]]
) -> dict[str, str]:
    """Every export's text by file name, each CSL-JSON file validated first.

    The BibTeX is written in the fields every client reads
    (:mod:`scholarly_edition.bibliography.bibtex_export`), not as ``refs.bib``
    words them for the edition's own converter.

    ``entries`` are the essay's own records followed by the works it cites; the
    BibTeX and RIS files carry both, as ``essay.json`` and ``references.json``
    do between them, so whichever file a reader imports names the essay too.
    """
    validate_csl(references, REFERENCES_JSON)
    validate_csl(essay, ESSAY_JSON)
    try:
        ris_text = ris.dumps([*essay, *references])
    except ris.RISError as exc:
        raise ExportError([Finding(str(exc), REFERENCES_RIS)]) from None
    try:
        bib_entries = bibtex_export.entries_for_clients(entries)
    except bibtex_export.BibTeXExportError as exc:
        raise ExportError([Finding(str(exc), REFERENCES_BIB)]) from None
    return {
        REFERENCES_JSON: csl_json(references),
        ESSAY_JSON: csl_json(essay),
        REFERENCES_BIB: bibtex(bib_entries, BIB_HEADER),
        REFERENCES_RIS: ris_text,
    }
