"""What the preview watches, and what a change of each file asks for.

Watched: the sources (``edition/``, every file in it: pages, images, the
copy-text, the styles), the static and template folders ``conf.py`` names
(as it names them when the preview starts),
``conf.py`` itself and the ``.bib`` files beside it, and the extension's
package (its code, stylesheets, scripts and templates). A change to
``conf.py`` or to the package restarts the builder (new imports, a new
application); any other change is handed to it to build. Editors' swap and
backup files, ``_build/`` and hidden files are not changes.

The events come from the operating system (inotify on Linux) through
watchfiles. A batch of events is handed on once no new event has come for
:data:`QUIET_MS`: an editor's save (a write, or a new file renamed over the
old) is one build, not several. The folders are watched recursively; the
project's own folder only for its files, not its subfolders, so that
``.nox/``, ``node_modules/`` and ``_build/`` cost no watches.
"""

from __future__ import annotations

import queue
import re
import runpy
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import watchfiles

QUIET_MS = 10
"""How long no new event must come before a batch is handed on, in milliseconds."""
LONGEST_MS = 1600
"""How long a batch may gather events while they keep coming."""
PACKAGE = "scholarly_edition"
_NOT_SOURCES = re.compile(r"(^[.#]|~$|\.sw[a-z]$|\.tmp$|^4913$|___jb_\w+___$|\.preview-tmp$)")
"""Hidden files, editors' backups, swap and temporary files (vim's ``4913``, JetBrains'), the publisher's own."""


@dataclass
class Changes:
    """One batch of changed files: the paths, and whether any of them restarts the builder."""

    paths: set[str] = field(default_factory=set)
    restart: bool = False

    def add(self, other: Changes) -> None:
        self.paths |= other.paths
        self.restart = self.restart or other.restart


class Watched:
    """The project's watched files, and what each asks for."""

    def __init__(self, confdir: Path, srcdir: Path) -> None:
        self.confdir = confdir.resolve()
        self.srcdir = srcdir.resolve()
        self.package = self._package()
        try:
            conf = runpy.run_path(str(self.confdir / "conf.py"))
        except Exception:  # the builder reports it; the sources are watched all the same, for the fix
            conf = {"html_static_path": ["_static"]}
        folders = [self.srcdir, self.package]
        for setting in ("html_static_path", "templates_path"):
            folders += [(self.confdir / name).resolve() for name in conf.get(setting, [])]
        found = {f for f in folders if f.is_dir()}
        # a folder inside another is watched with it
        self.folders = sorted(f for f in found if not any(f != g and f.is_relative_to(g) for g in found))
        self._common = watchfiles.DefaultFilter()  # version control, caches, IDEs' temporary files

    def _package(self) -> Path:
        """The package the builder imports: the project's own copy, or the installed one."""
        own = self.confdir / PACKAGE
        if own.is_dir():
            return own.resolve()
        import scholarly_edition

        return Path(scholarly_edition.__file__).parent.resolve()

    def is_source(self, change: watchfiles.Change, name: str) -> bool:
        """Whether a changed path is one the preview builds from (a ``watch_filter`` for watchfiles)."""
        path = Path(name)
        if not self._common(change, name) or _NOT_SOURCES.search(path.name):
            return False
        if path.parent == self.confdir:
            return path.name == "conf.py" or path.suffix == ".bib"
        if not path.is_relative_to(self.confdir):  # the installed package, outside the project
            return True
        return not any(part.startswith(".") or part == "_build" for part in path.relative_to(self.confdir).parts)

    def sort(self, names: set[str]) -> Changes:
        restart = any(Path(n) == self.confdir / "conf.py" or Path(n).is_relative_to(self.package) for n in names)
        return Changes(set(names), restart)


class Watcher:
    """The watch, started at once (so that nothing saved during the first build is missed), and its batches."""

    def __init__(self, watched: Watched, stop: threading.Event) -> None:
        self.watched = watched
        self.stop = stop
        self._found: queue.SimpleQueue[set[str]] = queue.SimpleQueue()
        threads = [
            threading.Thread(target=self._watch, args=(watched.folders, True), name="preview-watch", daemon=True),
            threading.Thread(
                target=self._watch, args=([watched.confdir], False), name="preview-watch-conf", daemon=True
            ),
        ]
        for thread in threads:
            thread.start()

    def _watch(self, paths: list[Path], recursive: bool) -> None:
        for found in watchfiles.watch(
            *paths,
            watch_filter=self.watched.is_source,
            step=QUIET_MS,
            debounce=LONGEST_MS,
            stop_event=self.stop,
            recursive=recursive,
            raise_interrupt=False,
        ):
            self._found.put({name for _, name in found})

    def batches(self) -> Iterator[Changes]:
        """Batches of changes until ``stop`` is set, each with all that came while the last was built."""
        while not self.stop.is_set():
            try:
                names = self._found.get(timeout=0.5)
            except queue.Empty:
                continue
            while True:
                try:
                    names |= self._found.get_nowait()
                except queue.Empty:
                    break
            yield self.watched.sort(names)
