"""Where the editions are published, and how a new build replaces the last without a moment between.

The destination (``_build/``) is never renamed or replaced itself, so it
may be a mount point, and it holds::

    .scholarly-edition        the mark: this build made the folder and may replace what it holds
    .lock                     held (flock) for a whole build: builds of one destination take turns
    .generations/ID/          one complete build each: html/, epub/, latex/, .doctrees/
    .current -> .generations/ID       the published generation
    html -> .current/html     (epub, latex, .doctrees alike) the paths readers use, made once
    .latex-failed/            the LaTeX folder of the last build whose LaTeX failed
    .preview/                 the live preview's, which no build touches

A build writes a new generation beside the published one, and publishes it
in one atomic step: a new ``.current`` link renamed over the old one
(``rename(2)`` within one folder, never across file systems). Before that
step the old edition stands whole, after it the new one; a crash at any
moment leaves one or the other. Every file is readable by all (0644, and
0755 for folders) whatever the umask, for a web server running as another
user. The next build, holding the lock, removes what a dead one left.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from scholarly_edition.build.checkpoints import checkpoint
from scholarly_edition.build.errors import Refused

MARK = ".scholarly-edition"
MARK_TEXT = "Made by python -m scholarly_edition.build, which replaces what this folder holds.\n"
LOCK = ".lock"
GENERATIONS = ".generations"
CURRENT = ".current"
LATEX_FAILED = ".latex-failed"
PREVIEW = ".preview"
OUTPUTS = ("html", "epub", "latex", ".doctrees")
"""A generation's folders, each published as a link of its name through ``.current``."""
EARLIER = (*OUTPUTS, "preview")
"""What a destination an earlier version of the build made holds: the outputs as folders, and the preview."""
NEW, OLD = ".new-", ".old-"
"""In the names of a link about to replace another, and of a folder a link replaced."""
DIR_MODE, FILE_MODE = 0o755, 0o644
LOCK_TIMEOUT_ENV = "SCHOLARLY_EDITION_LOCK_TIMEOUT"
LOCK_TIMEOUT = 600.0
"""Seconds a build waits for another build of its destination to end."""
SCRATCH_AGE = 600.0
"""Seconds after which a scratch folder of an earlier version of the build, beside the destination, is dead."""
AT_FDCWD, RENAME_EXCHANGE = -100, 2


def claim(dest: Path) -> None:
    """Make ``dest`` the build's, or refuse: a folder may be replaced only if the build made it.

    Accepted: a missing folder, an empty one (a fresh mount), one with only
    the live preview, one marked by an earlier build, and one an earlier
    version of the build made (its outputs as folders beside ``.doctrees``).
    Anything else (``--out .``, say) is refused, with nothing touched.
    """
    if dest.exists() and not dest.is_dir():
        raise Refused(f"{dest} is not a folder")
    if dest.is_dir() and not (dest / MARK).is_file():
        names = {entry.name for entry in dest.iterdir()}
        earlier = ".doctrees" in names and names <= {*EARLIER, PREVIEW}
        if not (names <= {PREVIEW} or earlier):
            raise Refused(f"{dest} holds files no build made (it has no {MARK}); choose a new or empty folder")
    dest.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(PermissionError):  # a mount point may belong to another user
        os.chmod(dest, DIR_MODE)
    if not (dest / MARK).is_file():
        (dest / MARK).write_text(MARK_TEXT, "utf-8")
        os.chmod(dest / MARK, FILE_MODE)


def lock_timeout(value: str | None) -> float:
    """``SCHOLARLY_EDITION_LOCK_TIMEOUT`` as seconds, or the default."""
    try:
        return float(value) if value else LOCK_TIMEOUT
    except ValueError:
        raise Refused(f"{LOCK_TIMEOUT_ENV}={value!r}: not a number of seconds") from None


@contextlib.contextmanager
def locked(dest: Path, timeout: float) -> Iterator[None]:
    """Hold ``dest``'s lock: a second build waits its turn, saying so, and gives up after ``timeout`` seconds.

    The kernel releases an flock when its holder ends, however it ends, so
    a killed build never leaves the lock behind.
    """
    fd = os.open(dest / LOCK, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, FILE_MODE)
    try:
        with contextlib.suppress(PermissionError):
            os.fchmod(fd, FILE_MODE)
        deadline = time.monotonic() + timeout
        waiting = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise Refused(
                        f"another build of {dest} ran for over {timeout:g} s ({LOCK_TIMEOUT_ENV}); try again later"
                    ) from None
                if not waiting:
                    print(f"waiting for another build of {dest} to end", file=sys.stderr, flush=True)
                    waiting = True
                time.sleep(0.1)
        yield
    finally:
        os.close(fd)


def published(dest: Path) -> Path | None:
    """The folder the published edition is in: its generation; ``dest`` itself where an earlier
    version of the build put the outputs there as folders; None before the first build."""
    link = dest / CURRENT
    if link.is_symlink():
        target = link.resolve()
        return target if target.is_dir() else None
    if any((dest / name).is_dir() and not (dest / name).is_symlink() for name in OUTPUTS):
        return dest
    return None


def clear_leftovers(dest: Path) -> list[Path]:
    """Remove what dead builds left, and say what. Called with the lock held, so no live build owns any of it."""
    keep = published(dest)
    found = [entry for entry in _entries(dest / GENERATIONS) if entry != keep]
    found += [entry for entry in _entries(dest) if NEW in entry.name or OLD in entry.name or entry.name == LATEX_FAILED]
    # the scratch folders of an earlier version of the build, beside the destination (it held no lock)
    found += [
        entry
        for entry in _entries(dest.parent)
        if entry.name.startswith((f".{dest.name}-new-", f".{dest.name}-old-")) and _dead_scratch(entry)
    ]
    for entry in found:
        _remove(entry)
    return found


def new_generation(dest: Path) -> Path:
    """An empty folder for this build's outputs, beside the published generation."""
    folder = dest / GENERATIONS
    folder.mkdir(exist_ok=True)
    os.chmod(folder, DIR_MODE)
    work = Path(tempfile.mkdtemp(prefix=time.strftime("%Y%m%d-%H%M%S-"), dir=folder))
    os.chmod(work, DIR_MODE)
    return work


def open_up(tree: Path) -> None:
    """Folders 0755 and files 0644 under ``tree``, whatever the umask: the web server is another user."""
    os.chmod(tree, DIR_MODE)
    for root, dirs, files in os.walk(tree):
        for name in dirs:
            os.chmod(os.path.join(root, name), DIR_MODE)
        for name in files:
            path = os.path.join(root, name)
            if not os.path.islink(path):
                os.chmod(path, FILE_MODE)


def switch(dest: Path, work: Path, previous: Path | None) -> None:
    """Make ``work`` the published edition in one atomic step, then remove the one it replaces.

    The paths readers use are links through ``.current``, made before the
    step where they are missing. An earlier version's outputs (folders in
    ``dest``) each give way to their link after the step, each in one
    exchange of names where the system has one.
    """
    outputs = [name for name in OUTPUTS if (work / name).is_dir()]
    for name in outputs:
        path = dest / name
        if not (path.is_dir() and not path.is_symlink()):
            _link(path, f"{CURRENT}/{name}")
    checkpoint("linked")
    _link(dest / CURRENT, os.path.relpath(work, dest))
    checkpoint("switched")
    for name in outputs:
        path = dest / name
        if path.is_dir() and not path.is_symlink():
            _replace_folder(path, f"{CURRENT}/{name}")
    if previous is not None and previous != dest and previous != work:
        shutil.rmtree(previous, ignore_errors=True)
    checkpoint("published")


def _link(path: Path, target: str) -> None:
    """Point the link ``path`` at ``target`` in one step: a new link renamed over the old one."""
    if path.is_symlink() and os.readlink(path) == target:
        return
    new = path.with_name(f"{path.name}{NEW}{os.getpid()}")
    new.unlink(missing_ok=True)
    os.symlink(target, new)
    os.replace(new, path)


def _replace_folder(folder: Path, target: str) -> None:
    """Put a link to ``target`` where ``folder`` is, and remove the folder."""
    new = folder.with_name(f"{folder.name}{NEW}{os.getpid()}")
    new.unlink(missing_ok=True)
    os.symlink(target, new)
    old = folder.with_name(f"{folder.name}{OLD}{os.getpid()}")
    if _exchange(new, folder):
        os.replace(new, old)
    else:  # for a moment, no folder of that name: only ever on the first build over an earlier version's
        os.replace(folder, old)
        os.replace(new, folder)
    shutil.rmtree(old, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two names in one step (Linux's ``renameat2`` with ``RENAME_EXCHANGE``); False where there is none."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0)
    except (OSError, AttributeError):
        return False


def _entries(folder: Path) -> list[Path]:
    try:
        return sorted(folder.iterdir())
    except OSError:
        return []


def _dead_scratch(folder: Path) -> bool:
    """Whether a scratch folder of an earlier version of the build has no live owner: its process id
    (in the name of an ``-old-`` folder) is gone, or nothing in it has changed for :data:`SCRATCH_AGE`."""
    if "-old-" in folder.name:
        pid = folder.name.rpartition("-")[2]
        if pid.isdigit():
            try:
                os.kill(int(pid), 0)
            except ProcessLookupError:
                return True
            except PermissionError:
                return False
            return False
    try:
        changed = max(entry.stat(follow_symlinks=False).st_mtime for entry in [folder, *_entries(folder)])
    except OSError:
        return False
    return time.time() - changed > SCRATCH_AGE


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
