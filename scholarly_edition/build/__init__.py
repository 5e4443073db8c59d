"""Build every edition at once, and publish them only if all succeed.

``python -m scholarly_edition.build [FORMAT ...]`` reads the sources once and writes
every format from that reading (:mod:`.writers`), runs LaTeX on the PDF
edition the moment its sources are written, copies the PDF and EPUB beside the HTML as its downloads, and only
then publishes the new editions, in one atomic step (:mod:`.publish`). A
build that fails, is stopped or is killed leaves the previous editions
exactly as they were, and no process of its own running (:mod:`.children`).

Two results that depend only on their inputs are carried from the previous
build, so a rebuild does not pay for them again: the CSL processor's output
and LaTeX's auxiliary files, from which xelatex runs again only until they
stop changing, as it would from scratch (:mod:`.passes`). Outside
``_build/`` (:mod:`.kept`) are kept the preamble's precompiled LaTeX format
(:mod:`.latexformat`), the CSL results, and the state the passes settled
on from nothing (:mod:`.settled`). None of them changes a published byte.

The modules: ``project`` (what is built), ``run`` (the build's processes),
``writers`` (one reading, every format), ``latex`` (LaTeX's passes and
their time limit), ``passes`` (how many), ``steps`` (the PDF's commands
under one time limit), ``latexformat`` (the precompiled preamble),
``settled`` (the passes' settled state), ``kept`` (what those keep outside ``_build/``),
``timeline`` (when each step ran), ``publish`` (the destination, its lock
and the atomic swap), ``children`` and ``guard`` (no process left behind),
``checkpoints`` (the moments the fault tests stop a build at), ``errors``;
``__main__`` is the command line.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from pathlib import Path

from scholarly_edition.build import kept, publish
from scholarly_edition.build.checkpoints import checkpoint
from scholarly_edition.build.children import Children
from scholarly_edition.build.errors import BuildFailed, Refused, Stopped
from scholarly_edition.build.latex import TIMEOUT_ENV, Latex, keep_latex, timeout_from_env
from scholarly_edition.build.project import BUILDERS, FORMATS, ROOT, Project, source_date_epoch
from scholarly_edition.build.run import CITEPROC_CACHE, run_all

__all__ = [
    "BUILDERS",
    "CITEPROC_CACHE",
    "FORMATS",
    "ROOT",
    "BuildFailed",
    "Project",
    "Refused",
    "Stopped",
    "build",
    "source_date_epoch",
]


def build(
    formats: Sequence[str],
    dest: Path,
    *,
    epoch: str | None = None,
    project: Project | None = None,
    latex_timeout: float | None = None,
) -> dict[str, float]:
    """Build ``formats`` into a new generation in ``dest``, then publish it.

    ``epoch`` (seconds since 1970) is the date written into the outputs; by
    default ``SOURCE_DATE_EPOCH`` or the last commit's date, so that two
    builds of one commit are byte for byte the same. ``latex_timeout``
    (seconds) limits LaTeX's passes; by default ``SCHOLARLY_EDITION_LATEX_TIMEOUT``
    or two minutes. The formats not in ``formats`` are kept as the previous
    build made them.
    """
    project = project or Project.at(ROOT)
    dest = dest.resolve()
    env = dict(os.environ)
    epoch = epoch or source_date_epoch(project.confdir)
    if epoch:
        env["SOURCE_DATE_EPOCH"] = epoch
        env["FORCE_SOURCE_DATE"] = "1"  # TeX's \today and \time too, not only the PDF's dates
    latex = Latex(
        latex_timeout or timeout_from_env(env.get(TIMEOUT_ENV)),
        dest / publish.LATEX_FAILED,
        project.srcdir,
        kept.cache_root(env),
    )
    publish.claim(dest)
    checkpoint("claimed")
    with publish.locked(dest, publish.lock_timeout(env.get(publish.LOCK_TIMEOUT_ENV))), Children() as children:
        checkpoint("locked")
        publish.clear_leftovers(dest)
        checkpoint("cleaned")
        previous = publish.published(dest)
        work = publish.new_generation(dest)
        try:
            timings = run_all(project, formats, work, env, previous, children=children, latex=latex)
            checkpoint("built")
            _carry_over(previous, work, keep=[BUILDERS[f] for f in FORMATS if f not in formats])
            _publish_downloads(work, project.stem)
            publish.open_up(work)
            checkpoint("assembled")
            publish.switch(dest, work, previous)
        except BaseException as exc:
            if publish.published(dest) == work:  # stopped after the step that published it: it stays
                if isinstance(exc, Stopped):
                    exc.published = True
                raise
            if isinstance(exc, BuildFailed) and exc.latex:
                keep_latex(work / "latex", latex.kept)
            shutil.rmtree(work, ignore_errors=True)
            raise
    return timings


def _carry_over(previous: Path | None, work: Path, keep: Sequence[str]) -> None:
    """Copy the formats not rebuilt this time from the published edition, which stays as it is."""
    for name in keep:
        if previous is not None and (previous / name).is_dir() and not (work / name).exists():
            shutil.copytree(previous / name, work / name, symlinks=True)


def _publish_downloads(work: Path, stem: str) -> None:
    """Put the PDF and EPUB beside the HTML, from whichever build made them."""
    html = work / "html"
    if not html.is_dir():
        return
    for made in (work / "latex" / f"{stem}.pdf", work / "epub" / f"{stem}.epub"):
        if made.exists():
            shutil.copy2(made, html / made.name)
