"""A rebuild over an earlier _build/ gives the same editions as a build from nothing.

``scholarly_edition.build`` carries two things from the previous ``_build/``: the CSL
processor's results (keyed by everything that goes into them) and LaTeX's
auxiliary files (which latexmk checks, rerunning xelatex until they stop
changing). Neither may change a byte of what is published; and auxiliary
files that the current LaTeX cannot read must not fail the build.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, STEM
from test_reproducible import published

from scholarly_edition.build import CITEPROC_CACHE, Project, build


def _rebuild(edition, tmp_path: Path) -> Path:
    out = tmp_path / "_build"
    shutil.copytree(edition.out, out, symlinks=True)
    return out


@pytest.mark.slow
def test_a_rebuild_publishes_the_same_bytes_and_keeps_only_used_results(edition, tmp_path: Path) -> None:
    out = _rebuild(edition, tmp_path)
    stale = out / CITEPROC_CACHE / ("0" * 64 + ".json")
    stale.write_text("{}", "utf-8")
    os.utime(stale, (1, 1))  # from some earlier build, long ago
    build(["html", "epub", "pdf"], out, epoch=edition.epoch, project=Project.at(ROOT))
    assert published(out) == published(edition.out)
    kept = sorted(p.name for p in (out / CITEPROC_CACHE).glob("*.json"))
    assert kept and stale.name not in kept


@pytest.mark.slow
def test_auxiliary_files_latex_cannot_read_are_dropped_not_fatal(edition, tmp_path: Path) -> None:
    out = _rebuild(edition, tmp_path)
    aux = out / "latex" / f"{STEM}.aux"
    aux.write_text(aux.read_text("utf-8") + "\\commandnolongerdefined{x}\n", "utf-8")
    build(["pdf"], out, epoch=edition.epoch, project=Project.at(ROOT))
    assert (out / "latex" / f"{STEM}.pdf").read_bytes() == (edition.out / "latex" / f"{STEM}.pdf").read_bytes()
    assert "commandnolongerdefined" not in (out / "latex" / f"{STEM}.aux").read_text("utf-8")
