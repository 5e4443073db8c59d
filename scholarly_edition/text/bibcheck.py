"""refs.bib read strictly: a broken or incomplete entry stops the build at its line.

sphinxcontrib-bibtex parses the bibliography when the builder starts. Left
to itself it lets a pybtex syntax error escape as a bare "syntax error in
line 19" that names no file, turns a repeated key into a warning that names
no line and drops every entry after it, and takes an entry with no title or
no author without a word. This module does that one parse itself, through
the same pybtex parser and into the same cache the cite domain keeps (so
sphinxcontrib-bibtex finds it up to date and refs.bib is still read once),
and reports every problem at ``refs.bib:LINE`` with the key it concerns.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pybtex.database import BibliographyDataError, Entry
from pybtex.database.input.bibtex import Parser
from pybtex.exceptions import PybtexError
from pybtex.scanner import PybtexSyntaxError
from sphinx.application import Sphinx
from sphinxcontrib.bibtex.bibfile import BibData, BibFile, get_mtime, is_bibdata_outdated

from scholarly_edition.errors import report, stop
from scholarly_edition.problems import DataError, Finding, Problem

REQUIRES_AUTHOR = frozenset(
    {"article", "book", "inbook", "incollection", "inproceedings", "report", "thesis", "unpublished", "patent"}
)
"""Entry types whose biblatex data model makes ``author`` mandatory.

Web pages, videos and ``@misc`` may be anonymous: Chicago cites a work with
no author by its title, and the copy-text names none for some of them.
"""


class BibliographyError(DataError):
    """A bibliography file that cannot be read; ``finding`` says where and why."""

    problem = Problem.BIBLIOGRAPHY

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def entry_lines(text: str, key: str) -> list[int]:
    """The line of each ``@type{key,`` in ``text``: where an entry starts."""
    pattern = re.compile(r"@\s*\w+\s*[{(]\s*" + re.escape(key) + r"\s*,", re.IGNORECASE)
    return [_line_of(text, m.start()) for m in pattern.finditer(text)]


def describe(path: Path, exc: BaseException, encoding: str = "utf-8") -> Finding:
    """Where in ``path`` and what pybtex or the decoder raised."""
    if isinstance(exc, UnicodeDecodeError) or isinstance(exc.__context__, UnicodeDecodeError):
        # pybtex wraps the decoder's error, whose offset counts from the chunk
        # being decoded; decode the whole file again to find the line
        raw = path.read_bytes()
        try:
            raw.decode(encoding)
        except UnicodeDecodeError as whole:
            line = raw.count(b"\n", 0, whole.start) + 1
            name = encoding.upper()
            return Finding(
                f"not valid {name} (byte 0x{raw[whole.start]:02x}); save the file as {name}", f"{path}:{line}"
            )
    if isinstance(exc, PybtexSyntaxError):
        return Finding(f"malformed entry: {exc.error_type}: {Exception.__str__(exc)}", f"{path}:{exc.lineno}")
    if isinstance(exc, BibliographyDataError) and "repeated" in str(exc):
        key = str(exc).rsplit(":", 1)[-1].strip()
        lines = entry_lines(path.read_text("utf-8", errors="replace"), key)
        where = f"{lines[-1]}" if lines else "?"
        first = f" (first at line {lines[0]})" if len(lines) > 1 else ""
        return Finding(f"{key}: duplicate key{first}", f"{path}:{where}")
    return Finding(str(exc), str(path))


def read(paths: Iterable[Path], encoding: str) -> BibData:
    """Parse every bibliography file into the cite domain's own cache format."""
    parser = Parser(encoding)
    bibfiles: dict[Path, BibFile] = {}
    seen: dict[str, None] = {}
    for path in paths:
        try:
            parser.parse_file(path)
        except (PybtexError, UnicodeDecodeError, OSError) as exc:
            raise BibliographyError(describe(path, exc, encoding)) from None
        new = dict.fromkeys(k for k in parser.data.entries if k not in seen)
        seen.update(new)
        bibfiles[path] = BibFile(mtime=get_mtime(path), keys=new)
    return BibData(encoding=encoding, bibfiles=bibfiles, data=parser.data)


KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_:.-]*$")
"""A key a note can cite: ``[@-key]`` would mean something else to the CSL processor."""
DOI = re.compile(r"^10\.\d{4,9}/\S+$")


def url_problem(url: str) -> str | None:
    """Why ``url`` may not become a link, or None: only absolute http(s) URLs are published."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return f"url {url!r} is not an http(s) URL; only those are published as links"
    if any(c.isspace() or not c.isprintable() for c in url):
        return f"url {url!r} has a space or a control character; percent-encode it"
    return None


def entry_problems(key: str, entry: Entry) -> list[str]:
    """What a work's entry lacks, or holds, that no note or export of it may print."""
    problems = []
    if not KEY.match(key):
        problems.append("the key must start with a letter or digit and hold only letters, digits and _ : . -")
    if (url := entry.fields.get("url")) is not None and (problem := url_problem(url.strip())):
        problems.append(problem)
    if (doi := entry.fields.get("doi")) is not None and not DOI.match(doi.strip()):
        problems.append(f"doi {doi!r} is not a DOI (10.NNNN/…, without https://doi.org/)")
    if not entry.fields.get("title", "").strip():
        problems.append("entry has no title")
    if entry.type.lower() in REQUIRES_AUTHOR and not entry.persons.get("author"):
        problems.append(f"@{entry.type} entry has no author")
    return problems


def check(bibdata: BibData) -> list[Finding]:
    """Every problem in the parsed entries, each at its entry's line."""
    messages: list[Finding] = []
    for path, bibfile in bibdata.bibfiles.items():
        text: str | None = None
        for key in bibfile.keys:
            problems = entry_problems(key, bibdata.data.entries[key])
            if not problems:
                continue
            if text is None:
                text = path.read_text(bibdata.encoding or "utf-8", errors="replace")
            lines = entry_lines(text, key)
            where = f"{path}:{lines[0]}" if lines else str(path)
            messages.extend(Finding(f"{key}: {problem}", where) for problem in problems)
    return messages


def read_bibliography(app: Sphinx) -> None:
    """Fill the cite domain's bibliography before sphinxcontrib-bibtex looks at it."""
    domain: Any = app.env.get_domain("cite")
    encoding = app.config.bibtex_encoding
    paths = [(Path(app.confdir) / f).resolve() for f in app.config.bibtex_bibfiles or []]
    try:
        if is_bibdata_outdated(domain.bibdata, paths, encoding):
            domain.data["bibdata"] = read(paths, encoding)
        problems = check(domain.bibdata)
    except BibliographyError as exc:
        problems = [exc.finding]
    for problem in problems:
        report(Problem.BIBLIOGRAPHY, problem.message, location=problem.location)
    if problems:
        stop(Problem.BIBLIOGRAPHY, "the bibliography above cannot be read as it is")


def setup(app: Sphinx) -> None:
    # before sphinxcontrib-bibtex's own handler (priority 500), which then finds the cache fresh
    app.connect("builder-inited", read_bibliography, priority=400)
