"""Copies of the project for the benchmark to build, edit and enlarge.

Every measurement runs on a snapshot of the working tree, never on the
tree itself: the edit-to-preview runs change the essay, the scaling runs
multiply it, and a benchmark must not leave a trace in the sources.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = "edition"


def tracked_files(root: Path = ROOT) -> list[Path]:
    """Files git tracks or would track (untracked, not ignored), that exist now."""
    out = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=root,
        capture_output=True,
        check=True,
    ).stdout.decode()
    files = [Path(name) for name in out.split("\0") if name]
    return [f for f in files if (root / f).is_file() and f.parts[0] != "tests"]


def snapshot(dest: Path, root: Path = ROOT) -> Path:
    """Copy the project (everything but the tests) to ``dest``."""
    for rel in tracked_files(root):
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / rel, target)
    return dest


def snapshot_revision(dest: Path, revision: str, root: Path = ROOT) -> Path:
    """Copy the project as committed at ``revision`` to ``dest``, to benchmark a commit."""
    dest.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "archive", "--format=tar", revision], cwd=root, capture_output=True, check=True)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(dest, filter="data")
    shutil.rmtree(dest / "tests", ignore_errors=True)
    return dest


def source_date_epoch(root: Path = ROOT) -> str:
    """The last commit's date, which ``scholarly_edition.build`` would take from git in the real tree."""
    out = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=root, capture_output=True, text=True, check=False)
    return out.stdout.strip() or "0"


def build_env(project: Path) -> dict[str, str]:
    """The environment ``nox -s build`` gives ``python -m scholarly_edition.build``, for a copy."""
    env = dict(os.environ)
    env["SOURCE_DATE_EPOCH"] = source_date_epoch()
    return env


def build_command(project: Path, out: Path, *formats: str) -> list[str]:
    """``python -m scholarly_edition.build`` of a copy, run in the copy so that its own package is imported."""
    return ["env", "-C", str(project), sys.executable, "-m", "scholarly_edition.build", *formats, "--out", str(out)]


def sphinx_html_command(project: Path, doctrees: Path, outdir: Path) -> list[str]:
    """The HTML build a live preview runs: strict, and incremental (no ``-E``)."""
    return [
        "env",
        "-C",
        str(project),
        sys.executable,
        "-m",
        "sphinx",
        "-b",
        "html",
        "-W",
        "-n",
        "--keep-going",
        "-q",
        "-c",
        str(project),
        "-d",
        str(doctrees),
        str(project / SOURCES),
        str(outdir),
    ]
