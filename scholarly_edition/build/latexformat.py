"""The PDF's preamble as a precompiled LaTeX format, kept between builds outside ``_build/``.

Loading the preamble's packages is most of an xelatex pass. A format made
with ``mylatexformat`` holds everything up to the line :data:`MARKER`
(``editiondesign.sty`` defines its commands: what the preamble had put on
the first page so far is kept in a box and put back after the format
loads, as a format cannot keep it otherwise); what follows it, the fonts above all (XeTeX cannot keep a
system font in a format), is read on every pass. A pass with the format
writes the same bytes as one without, which a test holds it to.

A format is made the first time a preamble is seen, beside the first pass
(which runs without it), and kept under :func:`~scholarly_edition.build.kept.cache_root`, keyed by the
preamble's text, the local files it reads and the TeX format it starts
from. Every TeX Live file it read is recorded with its size and time, so
an upgraded package makes a new format rather than a wrong PDF.
``SCHOLARLY_EDITION_CACHE=off`` turns the cache off.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

from scholarly_edition.build import kept
from scholarly_edition.build.children import Children
from scholarly_edition.build.timeline import mark

MARKER = r"\EditionKeepPreamblePage\csname endofdump\endcsname\EditionPutBackPreamblePage"
"""The line where the part of the preamble a format holds ends (editiondesign.sty defines its commands)."""
KEEP = 3
"""Formats kept: the newest few, for a few branches' preambles (about 10 MB each)."""
LOCAL_SUFFIXES = (".sty", ".cls", ".cfg", ".def", ".clo", ".fd", ".ldf", ".tex")


def preloaded_part(tex: str) -> str | None:
    """The preamble up to and including its marker line, or None if the document has no marker."""
    begin = tex.find("\\begin{document}")
    at = tex.find(f"\n{MARKER}\n", 0, begin if begin >= 0 else None)
    if at < 0:
        return None
    return tex[: at + len(MARKER) + 2]


def key(tex: str, latex_dir: Path, stem: str) -> str | None:
    """The format's key: its preamble and every local file it may read; None without a marker."""
    part = preloaded_part(tex)
    if part is None:
        return None
    digest = hashlib.sha256(part.encode())
    for path in sorted(latex_dir.iterdir()):
        if path.suffix in LOCAL_SUFFIXES and path.is_file() and path.name != f"{stem}.tex":
            digest.update(path.name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _still_valid(entry: Path) -> bool:
    return kept.still_valid(entry) and (entry / "edition.fmt").is_file()


class Formats:
    """The format for one document's preamble: found in the cache, or made beside the first pass."""

    def __init__(self, root: Path | None, latex_dir: Path, stem: str, env: dict[str, str], children: Children):
        self._latex_dir = latex_dir
        self._stem = stem
        self._env = env
        self._children = children
        self._ready: Path | None = None
        self._thread: threading.Thread | None = None
        tex = (latex_dir / f"{stem}.tex").read_text("utf-8")
        self._key = key(tex, latex_dir, stem) if root else None
        self._entry = root / "latex" / self._key if root and self._key else None

    def start(self) -> None:
        """Use the kept format, or begin making one (nothing happens without a cache or a marker)."""
        if self._entry is None:
            return
        if _still_valid(self._entry):
            self._ready = self._entry / "edition.fmt"
            os.utime(self._entry)  # in use: the pruning keeps the newest
            return
        self._thread = threading.Thread(target=self._make, name="latex-format", daemon=True)
        self._thread.start()

    def ready(self) -> Path | None:
        """The format if it is there now: a pass never waits for one."""
        if self._ready is None and self._thread is not None and not self._thread.is_alive():
            self._thread = None
            if self._entry is not None and _still_valid(self._entry):
                self._ready = self._entry / "edition.fmt"
        return self._ready

    def inputs(self) -> list[Path]:
        """The TeX Live files the format in use was made from."""
        if self._ready is None:
            return []
        try:
            return [Path(name) for name in json.loads((self._ready.parent / kept.INPUTS).read_text("utf-8"))]
        except (OSError, ValueError):
            return []

    def discard(self) -> None:
        """Forget a format xelatex could not start from (it is made again next time)."""
        self._ready = None
        if self._entry is not None:
            shutil.rmtree(self._entry, ignore_errors=True)

    def wait(self) -> None:
        """Let a format being made finish, so that the next build has it."""
        if self._thread is not None:
            self._thread.join()

    def _make(self) -> None:
        assert self._entry is not None
        parent = self._entry.parent
        parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=parent, prefix=".making-") as tmp:
            work = Path(tmp)
            cmd = [
                "xelatex", "-ini", "-interaction=nonstopmode", "-recorder",
                f"-output-directory={work}", "-jobname=edition",
                "&xelatex", "mylatexformat.ltx", f"{self._stem}.tex",
            ]  # fmt: skip
            try:
                proc = self._children.start(
                    cmd,
                    env=self._env,
                    nice=5,
                    cwd=self._latex_dir,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            except Exception:  # the build is stopping
                return
            try:
                proc.wait()
            finally:
                self._children.reap(proc)
            mark("format made", self._env)
            if not (work / "edition.fmt").is_file() or not _dumped(proc.returncode, work / "edition.log"):
                return
            inputs = kept.recorded(work / "edition.fls", self._latex_dir, ("xelatex",))
            (work / kept.INPUTS).write_text(json.dumps(inputs, sort_keys=True), "utf-8")
            for leftover in ("edition.fls", "edition.log"):
                (work / leftover).unlink(missing_ok=True)
            kept.put_in_place(work, self._entry)
        kept.prune(parent, KEEP)


NATIVE_FONTS = "! Can't \\dump a format with native fonts or font-mappings."


def _dumped(returncode: int, log: Path) -> bool:
    """Whether the ``-ini`` run made a whole format.

    The document class selects LaTeX's default font, which under XeTeX is
    a system font, before any preamble can stop it; XeTeX reports that it
    cannot keep it, and, in nonstop mode, writes the rest of the format. The
    font is never used again (the preamble's fonts follow the format), and
    a pass that cannot start from the format runs again without it. Any
    other error, or a signal, is a format not made.
    """
    if returncode == 0:
        return True
    if returncode != 1 or not log.is_file():
        return False
    errors = [line for line in log.read_text("utf-8", errors="replace").splitlines() if line.startswith("! ")]
    return bool(errors) and all(line == NATIVE_FONTS for line in errors)
