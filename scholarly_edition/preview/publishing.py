"""A clean build's new files, moved where they are served, each in one atomic step.

Sphinx writes its pages in place, a piece at a time, and an incremental
build leaves every page it did not write as it was; so the browser is never
served Sphinx's own output folder. After a clean build, every file that
differs from the one served is written beside it and renamed over it: a
request gets the old file or the new, never part of one, and a build with
problems publishes nothing at all. Stylesheets, scripts and images go
first, the pages that use them last.

For each page published, :func:`change` says whether only its text changed
(the part in ``<article>``) or more (its head, its navigation): the reload
script updates the text in place where it can, and loads the page again
where it cannot.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

ARTICLE = "article"
"""Only the page's ``<article>`` changed: its text can be updated in place."""
PAGE = "page"
"""More of the page changed (or it is new): it is loaded again."""
FILE_MODE = 0o644
FOLDER_MODE = 0o755


@dataclass
class Published:
    """What one publication changed: pages (by path) with how they changed, and the other files."""

    pages: dict[str, str] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.pages or self.files)


def change(old: bytes | None, new: bytes) -> str:
    """:data:`ARTICLE` if ``old`` and ``new`` differ only inside ``<article>…</article>``, else :data:`PAGE`."""
    if old is None:
        return PAGE
    before, after = _around_article(old), _around_article(new)
    return ARTICLE if before is not None and before == after else PAGE


def _around_article(page: bytes) -> tuple[bytes, bytes] | None:
    start, end = page.find(b"<article"), page.rfind(b"</article>")
    if start < 0 or end < start:
        return None
    return page[:start], page[end:]


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` beside ``path`` and rename it over ``path``: one step for a reader."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=FOLDER_MODE)
    tmp = path.with_name(f".{path.name}.preview-tmp")
    tmp.write_bytes(data)
    tmp.chmod(FILE_MODE)
    os.replace(tmp, path)


class Publisher:
    """Publishes ``staging``'s files into ``served``, remembering what it has already compared."""

    def __init__(self, staging: Path, served: Path) -> None:
        self.staging = staging
        self.served = served
        self._compared: dict[str, tuple[int, int]] = {}  # size and time of each staging file when last compared

    def _files(self) -> list[Path]:
        found = []
        for folder, _, names in os.walk(self.staging):
            found += [Path(folder, name) for name in names if not name.endswith(".preview-tmp")]
        return found

    def publish(self) -> Published:
        """Publish every file of ``staging`` that differs from its served copy; say what changed."""
        changed: list[tuple[str, bytes, bytes | None]] = []
        for path in self._files():
            name = path.relative_to(self.staging).as_posix()
            stat = path.stat()
            signature = (stat.st_size, stat.st_mtime_ns)
            if self._compared.get(name) == signature:
                continue  # not written since it was last published, or found to be the same
            data = path.read_bytes()
            target = self.served / name
            old = target.read_bytes() if target.is_file() else None
            self._compared[name] = signature
            if old != data:
                changed.append((name, data, old))
        published = Published()
        for name, data, old in sorted(changed, key=lambda c: (c[0].endswith(".html"), c[0])):
            write_atomic(self.served / name, data)
            if name.endswith(".html"):
                published.pages[name] = change(old, data)
            else:
                published.files.append(name)
        return published
