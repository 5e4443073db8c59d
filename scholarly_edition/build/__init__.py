"""Build every edition at once, and publish them only if all succeed.

``python -m scholarly_edition.build [FORMAT ...]`` runs one ``sphinx-build`` per format
in parallel (they share nothing but the sources), runs LaTeX on the PDF
edition, copies the PDF and EPUB beside the HTML as its downloads, and only
then swaps the new ``_build/`` into place. A failed build leaves the
previous editions exactly as they were, and no process of its own running
(:mod:`.children`).

Two results that depend only on their inputs are carried from the previous
``_build/``, so a rebuild does not pay for them again: the CSL processor's
output and LaTeX's auxiliary files, from which latexmk reruns xelatex only
until they stop changing, as it would from scratch.

The modules: ``project`` (what is built), ``run`` (the builders), ``latex``
(latexmk), ``children`` and ``guard`` (no process left behind), ``errors``;
``__main__`` is the command line.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

from scholarly_edition.build.children import Children
from scholarly_edition.build.errors import BuildFailed, Stopped
from scholarly_edition.build.project import BUILDERS, FORMATS, ROOT, Project, source_date_epoch
from scholarly_edition.build.run import CITEPROC_CACHE, run_all

__all__ = [
    "BUILDERS",
    "CITEPROC_CACHE",
    "FORMATS",
    "ROOT",
    "BuildFailed",
    "Project",
    "Stopped",
    "build",
    "source_date_epoch",
]


def build(
    formats: Sequence[str], dest: Path, *, epoch: str | None = None, project: Project | None = None
) -> dict[str, float]:
    """Build ``formats`` into a scratch folder beside ``dest``, then swap it in.

    ``epoch`` (seconds since 1970) is the date written into the outputs; by
    default ``SOURCE_DATE_EPOCH`` or the last commit's date, so that two
    builds of one commit are byte for byte the same.
    """
    project = project or Project.at(ROOT)
    dest = dest.resolve()
    dest.parent.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    epoch = epoch or source_date_epoch(project.confdir)
    if epoch:
        env["SOURCE_DATE_EPOCH"] = epoch
        env["FORCE_SOURCE_DATE"] = "1"  # TeX's \today and \time too, not only the PDF's dates
    work = Path(tempfile.mkdtemp(prefix=f".{dest.name}-new-", dir=dest.parent))
    try:
        with Children() as children:
            timings = run_all(project, formats, work, env, dest if dest.is_dir() else None, children=children)
        _carry_over(dest, work, keep=[BUILDERS[f] for f in FORMATS if f not in formats])
        _publish_downloads(work, project.stem)
        _swap(work, dest)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return timings


def _carry_over(dest: Path, work: Path, keep: Sequence[str]) -> None:
    """Copy the formats not rebuilt this time; ``dest`` stays whole until the swap."""
    for name in keep:
        if (dest / name).is_dir() and not (work / name).exists():
            shutil.copytree(dest / name, work / name, symlinks=True)


def _publish_downloads(work: Path, stem: str) -> None:
    """Put the PDF and EPUB beside the HTML, from whichever build made them."""
    html = work / "html"
    if not html.is_dir():
        return
    for made in (work / "latex" / f"{stem}.pdf", work / "epub" / f"{stem}.epub"):
        if made.exists():
            shutil.copy2(made, html / made.name)


def _swap(work: Path, dest: Path) -> None:
    """Replace ``dest`` with ``work`` by two renames on one file system."""
    if dest.exists():
        old = dest.with_name(f".{dest.name}-old-{os.getpid()}")
        os.replace(dest, old)
        os.replace(work, dest)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(work, dest)
