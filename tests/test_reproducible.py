"""Reproducible builds: one commit gives the same bytes wherever and whenever it is built.

The session's edition is compared with a second clean build of a copy of
the project in another folder, later, in another time zone and under
another umask, with the same ``SOURCE_DATE_EPOCH`` (the last commit's date,
as ``scholarly_edition.build`` takes it). Every published file must be identical:
the whole HTML site with its exports (CSL-JSON, BibTeX, RIS) and the PDF and
EPUB beside it, and the PDF, EPUB and LaTeX source in their own folders.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, STEM

_NOT_COPIED = shutil.ignore_patterns(
    ".git", ".nox", ".venv", "_build", "node_modules", "tests", ".pytest_cache", "__pycache__", ".*-new-*", ".*-old-*"
)

PUBLISHED = ["html/**/*", "html/**/.*", "epub/*.epub", "latex/*.pdf", "latex/*.tex"]
"""What a reader or a host receives; everything else in _build/ is the builders' own working state."""

NOT_REPRODUCIBLE: dict[str, str] = {}
"""Published files that cannot be made identical, and why; the README repeats this. None are known."""

EXPORTS = ["references.json", "essay.json", "references.bib", "references.ris"]


def published(out: Path) -> dict[str, str]:
    files = {p for pattern in PUBLISHED for p in out.glob(pattern) if p.is_file()}
    return {p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(files)}


def test_a_second_build_elsewhere_and_later_is_byte_identical(edition, tmp_path: Path, figures) -> None:
    assert edition.epoch, "no SOURCE_DATE_EPOCH: build from a git checkout, or set it"
    project = tmp_path / "another" / "checkout"
    shutil.copytree(ROOT, project, ignore=_NOT_COPIED)
    env = {
        **os.environ,
        "SOURCE_DATE_EPOCH": edition.epoch,
        "TZ": "Pacific/Chatham",  # UTC+12:45: a date or time taken from the clock would show
    }
    subprocess.run(
        [sys.executable, "-m", "scholarly_edition.build", "--out", str(project / "_build")],
        cwd=project,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=600,
        preexec_fn=lambda: os.umask(0o077),
    )
    first, second = published(edition.out), published(project / "_build")
    assert first.keys() == second.keys(), first.keys() ^ second.keys()
    differ = sorted(name for name in first if first[name] != second[name] and name not in NOT_REPRODUCIBLE)
    same = [name for name in first if first[name] == second[name]]
    kinds = ", ".join(
        name for name in [f"html/{STEM}.pdf", f"html/{STEM}.epub", *(f"html/{e}" for e in EXPORTS)] if name in same
    )
    figures["reproducible"] = f"{len(same)} of {len(first)} published files identical ({kinds}, every page)"
    assert differ == [], f"differ between two builds of one commit: {differ}"
    for name in [
        "html/index.html",
        "html/essay.html",
        "html/searchindex.js",
        f"html/{STEM}.pdf",
        f"html/{STEM}.epub",
        *(f"html/{export}" for export in EXPORTS),
    ]:
        assert name in same, name
