"""What is built: the project's folders, its formats, and the date its outputs carry."""

from __future__ import annotations

import os
import runpy
import subprocess
from dataclasses import dataclass
from pathlib import Path

from scholarly_edition.config import PREFIX, defaults

ROOT = Path.cwd()
"""The project a bare ``python -m scholarly_edition.build`` builds: the folder it runs in."""
FORMATS = ("html", "epub", "pdf")
BUILDERS = {"html": "html", "epub": "epub", "pdf": "latex"}


@dataclass(frozen=True)
class Project:
    """Where a project's configuration and sources are, and what its downloads are called."""

    confdir: Path
    srcdir: Path
    stem: str

    @classmethod
    def at(cls, confdir: Path, srcdir: Path | None = None) -> Project:
        """The project whose conf.py is in ``confdir``; its sources in ``srcdir`` (default: ``edition/``
        if there is one, else beside conf.py). The stem is conf.py's ``edition_download_stem``."""
        confdir = confdir.resolve()
        if srcdir is None:
            srcdir = confdir / "edition" if (confdir / "edition").is_dir() else confdir
        namespace = runpy.run_path(str(confdir / "conf.py"))
        stem = namespace.get(f"{PREFIX}download_stem", defaults().download_stem)
        return cls(confdir, srcdir.resolve(), str(stem))


def source_date_epoch(root: Path | None = None) -> str | None:
    """The last commit's date, so that dates embedded in the output are reproducible."""
    if "SOURCE_DATE_EPOCH" in os.environ:
        return os.environ["SOURCE_DATE_EPOCH"]
    try:
        out = subprocess.run(
            ["git", "log", "-1", "--format=%ct"], cwd=root or ROOT, capture_output=True, text=True, check=True
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return out.stdout.strip() or None
