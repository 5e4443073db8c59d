"""refs.bib read strictly: a broken or incomplete entry stops the build at its line.

sphinxcontrib-bibtex parses the bibliography when the builder starts. Left
to itself it lets a pybtex syntax error escape as a bare "syntax error in
line 19" that names no file, turns a repeated key into a warning that names
no line and drops every entry after it, and takes an entry with no title or
no author without a word. This module does that one parse itself, through
the same pybtex parser and into the same cache the cite domain keeps (so
sphinxcontrib-bibtex finds it up to date and refs.bib is still read once),
and turns every problem into a message of the form ``refs.bib:LINE: KEY: …``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pybtex.database import BibliographyDataError, Entry
from pybtex.database.input.bibtex import Parser
from pybtex.exceptions import PybtexError
from pybtex.scanner import PybtexSyntaxError
from sphinx.application import Sphinx
from sphinx.errors import SphinxError
from sphinxcontrib.bibtex.bibfile import BibData, BibFile, get_mtime, is_bibdata_outdated

REQUIRES_AUTHOR = frozenset(
    {"article", "book", "inbook", "incollection", "inproceedings", "report", "thesis", "unpublished", "patent"}
)
"""Entry types whose biblatex data model makes ``author`` mandatory.

Web pages, videos and ``@misc`` may be anonymous: Chicago cites a work with
no author by its title, and the copy-text names none for some of them.
"""


class BibliographyError(SphinxError):
    category = "Bibliography error"


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def entry_lines(text: str, key: str) -> list[int]:
    """The line of each ``@type{key,`` in ``text``: where an entry starts."""
    pattern = re.compile(r"@\s*\w+\s*[{(]\s*" + re.escape(key) + r"\s*,", re.IGNORECASE)
    return [_line_of(text, m.start()) for m in pattern.finditer(text)]


def describe(path: Path, exc: BaseException, encoding: str = "utf-8") -> str:
    """``path:line: message`` for what pybtex or the decoder raised."""
    if isinstance(exc, UnicodeDecodeError) or isinstance(exc.__context__, UnicodeDecodeError):
        # pybtex wraps the decoder's error, whose offset counts from the chunk
        # being decoded; decode the whole file again to find the line
        raw = path.read_bytes()
        try:
            raw.decode(encoding)
        except UnicodeDecodeError as whole:
            line = raw.count(b"\n", 0, whole.start) + 1
            name = encoding.upper()
            return f"{path}:{line}: not valid {name} (byte 0x{raw[whole.start]:02x}); save the file as {name}"
    if isinstance(exc, PybtexSyntaxError):
        return f"{path}:{exc.lineno}: malformed entry: {exc.error_type}: {Exception.__str__(exc)}"
    if isinstance(exc, BibliographyDataError) and "repeated" in str(exc):
        key = str(exc).rsplit(":", 1)[-1].strip()
        lines = entry_lines(path.read_text("utf-8", errors="replace"), key)
        where = f"{lines[-1]}" if lines else "?"
        first = f" (first at line {lines[0]})" if len(lines) > 1 else ""
        return f"{path}:{where}: {key}: duplicate key{first}"
    return f"{path}: {exc}"


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


def entry_problems(key: str, entry: Entry) -> list[str]:
    """What a work's entry lacks that every note or export of it needs."""
    problems = []
    if not entry.fields.get("title", "").strip():
        problems.append("entry has no title")
    if entry.type.lower() in REQUIRES_AUTHOR and not entry.persons.get("author"):
        problems.append(f"@{entry.type} entry has no author")
    return problems


def check(bibdata: BibData) -> list[str]:
    """Every problem in the parsed entries, as ``path:line: key: problem``."""
    messages = []
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
            messages.extend(f"{where}: {key}: {problem}" for problem in problems)
    return messages


def read_bibliography(app: Sphinx) -> None:
    """Fill the cite domain's bibliography before sphinxcontrib-bibtex looks at it."""
    domain: Any = app.env.get_domain("cite")
    encoding = app.config.bibtex_encoding
    paths = [(Path(app.confdir) / f).resolve() for f in app.config.bibtex_bibfiles or []]
    if is_bibdata_outdated(domain.bibdata, paths, encoding):
        domain.data["bibdata"] = read(paths, encoding)
    problems = check(domain.bibdata)
    if problems:
        raise BibliographyError("\n".join(problems))


def setup(app: Sphinx) -> None:
    # before sphinxcontrib-bibtex's own handler (priority 500), which then finds the cache fresh
    app.connect("builder-inited", read_bibliography, priority=400)
