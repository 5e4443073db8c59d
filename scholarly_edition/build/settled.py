"""The state a PDF's passes settled on, kept between builds by everything that went into it.

From nothing, the contents, the index and the page references need a
second xelatex pass: the first only learns where everything falls. When
the same LaTeX sources were typeset before, with the same TeX Live files,
the files that pass read back (``.aux``, ``.toc``, ``.out``, the index and
the entries it was made from) are already known: they are the fixed point
the earlier build reached, and given them the first pass writes them back
unchanged and is the last (:mod:`~scholarly_edition.build.passes` still
decides that from what the pass writes, as for a rebuild's carried files).
The PDF is the earlier build's byte for byte, since xelatex then reads what
its own last pass read.

An entry is keyed by every file Sphinx wrote into the LaTeX folder (the
``.tex``, the local packages, the images); each TeX Live file the last
pass read (the preamble's format among them) and every file of xindy's
installation is recorded with its size and time, and an entry whose files
have changed since is not used. System fonts, which XeTeX finds through
fontconfig, are not in its recorder's list: a font that moves anything
makes the pass read back something other than it read, and then the entry
is dropped and the PDF made from nothing (:func:`~scholarly_edition.build.latex.make_pdf`).
Only a state reached from nothing is kept, and only one that settled: a
rebuild that started from an earlier version's files may come to rest in
another of the states a document can rest in.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

from scholarly_edition.build import kept
from scholarly_edition.build.passes import AUXILIARIES

WRITTEN_BY_LATEX = frozenset({*AUXILIARIES, "log", "fls", "xdv", "pdf", "fmt", "ind-gate", "ilg"})
"""What a pass or xindy writes into the LaTeX folder: never part of the key."""
KEEP = 8
"""Entries kept: the newest few (a few kB each)."""
FOLDER = "settled"


def key(latex_dir: Path, stem: str) -> str:
    """A digest of every file in the LaTeX folder that LaTeX did not write."""
    digest = hashlib.sha256()
    for path in sorted(latex_dir.rglob("*")):
        relative = path.relative_to(latex_dir)
        if not path.is_file() or (relative.parent == Path() and _written_by_latex(path.name, stem)):
            continue
        digest.update(str(relative).encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _written_by_latex(name: str, stem: str) -> bool:
    return any(name == f"{stem}.{ext}" for ext in WRITTEN_BY_LATEX)


def entry(root: Path, latex_dir: Path, stem: str) -> Path:
    """Where the state for the sources now in ``latex_dir`` is kept (taken before LaTeX writes anything there)."""
    return root / FOLDER / key(latex_dir, stem)


def restore(entry: Path, latex_dir: Path, stem: str) -> list[str]:
    """Put the kept files into ``latex_dir``: the names given, or none if nothing valid is kept.

    The entry is only a head start: one another build removes while it is
    being read is none at all, and the passes start from nothing.
    """
    if not kept.still_valid(entry):
        return []
    given: list[str] = []
    try:
        for ext in AUXILIARIES:
            found = entry / f"{stem}.{ext}"
            target = latex_dir / found.name
            if found.is_file() and not target.exists():
                shutil.copyfile(found, target)
                given.append(target.name)
    except OSError:
        for name in given:
            (latex_dir / name).unlink(missing_ok=True)
        return []
    with contextlib.suppress(OSError):  # a cache this build may read but not write
        os.utime(entry)  # in use: the pruning keeps the newest
    return given


def forget(entry: Path) -> None:
    """Drop an entry its sources did not reproduce: the next build from nothing keeps a new one."""
    shutil.rmtree(entry, ignore_errors=True)


def keep(entry: Path, latex_dir: Path, stem: str) -> None:
    """Keep what the passes settled on, after a PDF was made from it; a cache that cannot be written is no failure."""
    with contextlib.suppress(OSError):
        _keep(entry, latex_dir, stem)


def _keep(entry: Path, latex_dir: Path, stem: str) -> None:
    folder = entry.parent
    folder.mkdir(parents=True, exist_ok=True)
    if kept.still_valid(entry):
        os.utime(entry)
        return
    with tempfile.TemporaryDirectory(dir=folder, prefix=".making-") as tmp:
        work = Path(tmp)
        for ext in AUXILIARIES:
            found = latex_dir / f"{stem}.{ext}"
            if found.is_file():
                shutil.copyfile(found, work / found.name)
        inputs = kept.recorded(latex_dir / f"{stem}.fls", latex_dir, ("xelatex",))
        inputs |= kept.installed("xindy")  # its modules: the index is not made again when the entries are the same
        (work / kept.INPUTS).write_text(json.dumps(inputs, sort_keys=True), "utf-8")
        kept.put_in_place(work, entry)
    kept.prune(folder, KEEP)
