"""The builders: one ``sphinx-build`` per format at once, then LaTeX on the PDF's sources.

Every build starts Sphinx afresh (``-E``), but the CSL processor's results
are carried from the previous build (cached by a hash of everything that
goes in, shared by the builders of one build, and pruned to what this build
used), so a rebuild does not pay for them again. The PDF, the longest job,
goes first: its builder runs at normal priority and LaTeX starts the moment
its sources are written.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import NamedTuple

from scholarly_edition.bibliography.citeproc import CACHE_ENV
from scholarly_edition.build import latexlog
from scholarly_edition.build.checkpoints import checkpoint
from scholarly_edition.build.children import Children
from scholarly_edition.build.errors import BuildFailed
from scholarly_edition.build.latex import Latex, make_pdf
from scholarly_edition.build.project import BUILDERS, Project

CITEPROC_CACHE = Path(".doctrees", "citeproc")
"""The CSL processor's results, shared by the builders of one build and kept with ``_build/``."""
NICENESS = 5
"""How far the HTML and EPUB builders step back so that the PDF's (LaTeX follows it) runs first."""


class Finished(NamedTuple):
    """One format's end: what its builder (and LaTeX) said, its failure in one line or None, its time."""

    messages: str
    failure: str | None
    seconds: float = 0.0
    latex_failed: bool = False


def sphinx_command(project: Project, builder: str, outdir: Path, doctrees: Path) -> list[str]:
    """The one ``sphinx-build`` command line every format uses."""
    return [
        sys.executable, "-m", "sphinx",
        "-b", builder,
        "-W",              # a warning is an error: the edition is built clean or not at all
        "-n",              # nit-picky: every cross-reference must resolve
        "--keep-going",    # but report every problem in one run, not just the first
        "-q",              # only warnings and errors on the console
        "-E",              # fresh environment: output depends on the sources alone
        "-c", str(project.confdir),
        "-d", str(doctrees),
        str(project.srcdir),
        str(outdir),
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

    However this ends, no builder runs on: an exception here (a signal's
    included) kills every child's group before the threads that wait for
    them are joined.
    """
    started = time.perf_counter()
    _carry_cache(previous, work)
    env = {**env, CACHE_ENV: str(work / CITEPROC_CACHE)}
    pool = ThreadPoolExecutor(max_workers=len(formats))
    try:
        futures = {}
        for fmt in sorted(formats, key=lambda f: f != "pdf"):
            builder = BUILDERS[fmt]
            cmd = sphinx_command(project, builder, work / builder, work / ".doctrees" / builder)
            nice = 0 if fmt == "pdf" else NICENESS
            proc = children.start(cmd, env=env, nice=nice, stdin=subprocess.DEVNULL, stderr=subprocess.PIPE)
            job = partial(_finish, project, fmt, proc, time.perf_counter(), work, env, previous, children, latex)
            futures[fmt] = pool.submit(job)
        checkpoint("started")
        finished = {fmt: future.result() for fmt, future in futures.items()}
    finally:
        children.stop()
        pool.shutdown(wait=True, cancel_futures=True)
    timings: dict[str, float] = {}
    failures: list[str] = []
    reported: dict[str, None] = {}
    for fmt in formats:
        done = finished[fmt]
        # the builders read the same sources: say each problem once, not once per format
        for line in condense(done.messages).splitlines():
            if line.strip() and line not in reported:
                reported[line] = None
                sys.stderr.write(line + "\n")
        if done.failure:
            failures.append(done.failure)
        else:
            timings[fmt] = done.seconds
    if failures:
        raise BuildFailed("; ".join(failures), latex=any(done.latex_failed for done in finished.values()))
    _prune_cache(work, since=started)
    timings["total"] = time.perf_counter() - started
    return timings


def _finish(
    project: Project,
    fmt: str,
    proc: subprocess.Popen[bytes],
    t0: float,
    work: Path,
    env: dict[str, str],
    previous: Path | None,
    children: Children,
    latex: Latex,
) -> Finished:
    """Wait for one builder and, for the PDF, run LaTeX."""
    try:
        _, stderr = proc.communicate()
    finally:
        children.reap(proc)
    text = stderr.decode(errors="replace")
    if proc.returncode:
        return Finished(text, f"{fmt}: sphinx-build exited {proc.returncode}")
    if fmt == "pdf":
        log, failure = make_pdf(work / "latex", project.stem, env, previous, children, latex)
        if failure:
            return Finished(text + log, failure, latex_failed=True)
        lost = _lost_characters(project, work / "latex" / f"{project.stem}.log")
        if lost:
            return Finished(text + lost, "pdf: its fonts lack characters the text holds (named above)")
    return Finished(text, None, time.perf_counter() - t0)


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
