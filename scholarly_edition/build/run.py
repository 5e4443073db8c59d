"""The build's processes: one that reads the sources and writes every format, then LaTeX on the PDF's.

Every build reads the sources afresh, once for all formats
(:mod:`~scholarly_edition.build.writers`), but the CSL processor's results
are carried from the previous build (cached by a hash of everything that
goes in, shared by the writers of one build, and pruned to what this build
used), so a rebuild does not pay for them again. The PDF, the longest job,
goes first: its builder writes first and LaTeX starts the moment its
sources are written, while the other formats are written beside it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple

from scholarly_edition.bibliography.citeproc import CACHE_ENV, STORE_ENV
from scholarly_edition.build import latexlog
from scholarly_edition.build.checkpoints import checkpoint
from scholarly_edition.build.children import Children
from scholarly_edition.build.errors import BuildFailed
from scholarly_edition.build.latex import Latex, make_pdf
from scholarly_edition.build.project import Project
from scholarly_edition.build.timeline import mark

CITEPROC_CACHE = Path(".doctrees", "citeproc")
"""The CSL processor's results, shared by the builders of one build and kept with ``_build/``."""
CITEPROC_STORE = "citeproc"
"""The CSL processor's results kept between builds, beside the LaTeX formats (outside ``_build/``)."""
STORE_DAYS = 30
"""A kept result no build has used for this long is removed."""


class Finished(NamedTuple):
    """One format's end: what its builder (and LaTeX) said, its failure in one line or None, its time."""

    messages: str
    failure: str | None
    seconds: float = 0.0
    latex_failed: bool = False


def writers_command(project: Project, formats: Sequence[str], work: Path) -> list[str]:
    """One process reads the sources once and writes every format (:mod:`~scholarly_edition.build.writers`)."""
    return [
        sys.executable, "-m", "scholarly_edition.build.writers", *formats,
        "--conf-dir", str(project.confdir),
        "--source-dir", str(project.srcdir),
        "--work", str(work),
    ]  # fmt: skip


def condense(stderr: str) -> str:
    """Sphinx's crash report cut down to what an editor acts on.

    On an exception Sphinx prints its versions, every loaded extension and a
    plea to report a bug, even when the exception is the edition's own
    message about a bad input. Keep the warnings above it, the error's kind
    and its message (which names the file and line), and where the full
    traceback went.
    """
    if "\nTraceback\n=========" not in stderr:
        return stderr
    head = stderr.partition("\nVersions\n========")[0].rstrip()
    trace = stderr.partition("\nTraceback\n=========")[2]
    trace, _, saved = trace.partition("The full traceback has been saved in:")
    lines = trace.strip("\n").splitlines()
    last_frame = max((i for i, line in enumerate(lines) if line.startswith("      File ")), default=-1)
    message = [
        line[4:] for line in lines[last_frame + 1 :] if line.startswith("    ") and not line.startswith("        ")
    ]
    log = saved.strip().splitlines()[:1]
    return "\n".join([head, *message, *(f"(full traceback: {p})" for p in log)]) + "\n"


def run_all(
    project: Project,
    formats: Sequence[str],
    work: Path,
    env: dict[str, str],
    previous: Path | None,
    *,
    children: Children,
    latex: Latex,
) -> dict[str, float]:
    """Build ``formats`` into ``work``; report every problem once and raise :class:`BuildFailed` if any.

    However this ends, nothing runs on: an exception here (a signal's
    included) kills every child's group before the threads that wait for
    them are joined.
    """
    started = time.perf_counter()
    mark("build started", env)
    _carry_cache(previous, work)
    env = {**env, CACHE_ENV: str(work / CITEPROC_CACHE)}
    if latex.cache is not None:  # the cache kept between builds is on
        env[STORE_ENV] = str(latex.cache / CITEPROC_STORE)
    ordered = sorted(formats, key=lambda f: f != "pdf")  # the PDF's builder first: its LaTeX takes longest
    proc = children.start(
        writers_command(project, ordered, work),
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    pool = ThreadPoolExecutor(max_workers=2)
    try:
        messages = pool.submit(_read_all, proc)
        checkpoint("started")
        finished: dict[str, Finished] = {}
        typesetting = None
        assert proc.stdout is not None
        for said in proc.stdout:
            fmt, _, code = said.decode().strip().partition(" ")
            seconds = time.perf_counter() - started
            if fmt not in formats:
                continue
            if code != "0":
                finished[fmt] = Finished("", f"{fmt}: Sphinx exited {code}")
            elif fmt == "pdf":
                typesetting = pool.submit(_typeset, project, work, env, previous, children, latex, started)
            else:
                finished[fmt] = Finished("", None, seconds)
        proc.wait()
        text = messages.result()
        if typesetting is not None:
            finished["pdf"] = typesetting.result()
        for fmt in formats:
            finished.setdefault(fmt, Finished("", f"{fmt}: Sphinx exited {proc.returncode or 'early'}"))
    finally:
        children.reap(proc)
        children.stop()
        pool.shutdown(wait=True, cancel_futures=True)
    timings: dict[str, float] = {}
    failures: list[str] = []
    reported: dict[str, None] = {}
    for block in [text, *(finished[fmt].messages for fmt in formats)]:
        # the writers read the same sources: say each problem once, not once per format
        for line in condense(block).splitlines():
            if line.strip() and line not in reported:
                reported[line] = None
                sys.stderr.write(line + "\n")
    for fmt in formats:
        done = finished[fmt]
        if done.failure:
            failures.append(done.failure)
        else:
            timings[fmt] = done.seconds
    if failures:
        raise BuildFailed("; ".join(failures), latex=any(done.latex_failed for done in finished.values()))
    _prune_cache(work, since=started)
    if STORE_ENV in env:
        _prune_store(Path(env[STORE_ENV]))
    mark("build ended", env)
    timings["total"] = time.perf_counter() - started
    return timings


def _read_all(proc: subprocess.Popen[bytes]) -> str:
    assert proc.stderr is not None
    return proc.stderr.read().decode(errors="replace")


def _typeset(
    project: Project,
    work: Path,
    env: dict[str, str],
    previous: Path | None,
    children: Children,
    latex: Latex,
    started: float,
) -> Finished:
    """LaTeX on the PDF's sources, the moment they are written."""
    log, failure = make_pdf(work / "latex", project.stem, env, previous, children, latex)
    if failure:
        return Finished(log, failure, latex_failed=True)
    lost = _lost_characters(project, work / "latex" / f"{project.stem}.log")
    if lost:
        return Finished(lost, "pdf: its fonts lack characters the text holds (named above)")
    return Finished("", None, time.perf_counter() - started)


def _lost_characters(project: Project, log: Path) -> str:
    """Messages for every character xelatex's fonts lacked, each at the source line that holds it."""
    if not log.is_file():
        return ""
    sources = [
        project.confdir / "conf.py",
        *sorted(project.srcdir.rglob("*.md")),
        *sorted(project.confdir.glob("*.bib")),
    ]
    found = latexlog.problems(log.read_text("utf-8", errors="replace"), sources)
    return "".join(f"{f.location or log}: ERROR: {f.message}\n" for f in found)


def _carry_cache(previous: Path | None, work: Path) -> None:
    """Link the previous build's CSL results into this one (links: ``previous`` stays as it was)."""
    source = previous / CITEPROC_CACHE if previous else None
    if source and source.is_dir():
        shutil.copytree(source, work / CITEPROC_CACHE, copy_function=os.link, dirs_exist_ok=True)


def _prune_cache(work: Path, since: float) -> None:
    """Keep only the CSL results this build used (``citeproc`` touches each one it reads)."""
    folder = work / CITEPROC_CACHE
    if not folder.is_dir():
        return
    cutoff = time.time() - (time.perf_counter() - since) - 1
    for entry in folder.iterdir():
        if entry.stat().st_mtime < cutoff:
            entry.unlink()


def _prune_store(folder: Path) -> None:
    """Remove the kept results no build has used for :data:`STORE_DAYS` days."""
    if not folder.is_dir():
        return
    cutoff = time.time() - STORE_DAYS * 86400
    for entry in folder.glob("*.json"):
        with contextlib.suppress(OSError):
            if entry.stat().st_mtime < cutoff:
                entry.unlink()
