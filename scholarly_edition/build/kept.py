"""What a build keeps for the next, outside ``_build/``: where, what each entry was made from, and turnover.

An entry is a folder made whole or not at all, with ``inputs.json``: every
file outside the LaTeX folder that went into it, with its size and time.
An entry whose files have changed since (an upgraded TeX Live package, a
new engine) is not used, and the newest few are kept.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import threading
import time
from pathlib import Path

from scholarly_edition.build.passes import read_by

INPUTS = "inputs.json"
CACHE_ENV = "SCHOLARLY_EDITION_CACHE"
OFF = "off"


def cache_root(env: dict[str, str]) -> Path | None:
    """Where a build keeps what it may reuse (formats, CSL results, settled passes); None when that is off."""
    chosen = env.get(CACHE_ENV, "")
    if chosen == OFF:
        return None
    if chosen:
        return Path(chosen)
    base = env.get("XDG_CACHE_HOME") or str(Path(env.get("HOME") or Path.home(), ".cache"))
    return Path(base, "scholarly-edition")


def recorded(fls: Path, latex_dir: Path, tools: tuple[str, ...]) -> dict[str, list[int]]:
    """The files a run read outside ``latex_dir`` (its ``-recorder`` list), and ``tools``, with sizes and times."""
    found: dict[str, list[int]] = {}
    for path in read_by(fls):
        if path.resolve().is_relative_to(latex_dir.resolve()) or not path.is_file():
            continue  # the LaTeX folder's files are in the entry's key
        stat = path.stat()
        found[str(path)] = [stat.st_size, stat.st_mtime_ns]
    for tool in tools:  # the engine itself: what it made is only good for the binary that made it
        if engine := shutil.which(tool):
            stat = os.stat(engine)
            found[engine] = [stat.st_size, stat.st_mtime_ns]
    return found


def installed(tool: str) -> dict[str, list[int]]:
    """Every file of ``tool``'s installation, as :func:`recorded` lists them: the command and its library.

    The library is where Debian's and TeX Live's xindy keep their modules:
    ``../lib/TOOL`` and ``../share/TOOL`` beside the command, or
    ``../../TOOL`` beside the script a TeX Live link points to.
    """
    command = shutil.which(tool)
    if not command:
        return {}
    real = Path(command).resolve()
    places = [Path(command).parent.parent / part / tool for part in ("lib", "share")]
    places += [real.parent.parent.parent / tool, Path(command).parent]
    found: dict[str, list[int]] = {}
    for place in dict.fromkeys(places):
        if place == Path(command).parent:  # a bin folder: only the tool's own files in it
            files = [Path(command), real, *place.glob(f"{tool}.*")]
        elif place.is_dir():
            files = sorted(place.rglob("*"))
        else:
            continue
        for path in files:
            with contextlib.suppress(OSError):
                if path.is_file():
                    stat = path.stat()
                    found[str(path)] = [stat.st_size, stat.st_mtime_ns]
    return found


def still_valid(entry: Path) -> bool:
    """Whether every file the entry was made from is as it was."""
    try:
        inputs = json.loads((entry / INPUTS).read_text("utf-8"))
    except (OSError, ValueError):
        return False
    for name, (size, mtime) in inputs.items():
        try:
            stat = os.stat(name)
        except OSError:
            return False
        if (stat.st_size, stat.st_mtime_ns) != (size, mtime):
            return False
    return True


def put_in_place(work: Path, entry: Path) -> None:
    """Make the finished folder ``work`` the entry, replacing an old one; ``work`` is left empty."""
    done = entry.parent / f".done-{os.getpid()}-{threading.get_ident()}-{time.monotonic_ns()}"
    os.replace(work, done)
    work.mkdir()  # for the TemporaryDirectory that made it to remove
    shutil.rmtree(entry, ignore_errors=True)
    try:
        os.replace(done, entry)
    except OSError:  # another build made the same entry at the same moment
        shutil.rmtree(done, ignore_errors=True)


STALE_SECONDS = 3600.0
"""A half-made entry (``.making-*``, ``.done-*``) this old was left by a build that was killed: removed."""


def prune(folder: Path, keep: int) -> None:
    """Keep the ``keep`` entries used most recently (a use touches the entry), and no killed build's leftovers."""
    now = time.time()
    for left in folder.glob(".*-*"):
        with contextlib.suppress(OSError):
            if left.is_dir() and now - left.stat().st_mtime > STALE_SECONDS:
                shutil.rmtree(left, ignore_errors=True)
    used: list[tuple[float, Path]] = []
    for path in folder.iterdir():
        with contextlib.suppress(OSError):  # another build may be removing it now
            if path.is_dir() and not path.name.startswith("."):
                used.append((path.stat().st_mtime, path))
    for _, old in sorted(used, reverse=True)[keep:]:
        shutil.rmtree(old, ignore_errors=True)
