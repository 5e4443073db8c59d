"""How many xelatex passes the PDF needs, decided from what each pass writes back.

The rule is latexmk's: run again while the files TeX reads back (``.aux``,
``.toc``, ``.out``, the index) change. Two things let the PDF settle in two
passes from nothing, where latexmk takes three:

* the first pass is given an empty index as the index style sets it, so
  that the index's heading, its line in the contents and its bookmark are
  there from the start, on the page the real index will begin;
* the count of pages the ``.aux`` records for the next run
  (``\\@abspage@last``) grows with the index, but only a document that
  reads it (``\\PreviousTotalPages``, say) needs another pass for it; the
  files the pass read are searched for that.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path

READ_BACK = ("aux", "toc", "out", "lof", "lot", "ind")
"""What a pass writes for the next one to read (the index through xindy)."""
AUXILIARIES = (*READ_BACK, "idx")
"""What a later run may start from: what a pass reads back, and the index entries that index was made from."""
MAX_PASSES = 5
PAGE_COUNT = re.compile(rb"^\\gdef \\@abspage@last\{\d+\}$", re.MULTILINE)
PAGE_COUNT_READERS = ("abspage@last", "PreviousTotalPages")
MARKUP_INDEX = re.compile(r'\(markup-index\s+:open\s+"(?P<open>[^"]*)"\s+:close\s+"(?P<close>[^"]*)"', re.DOTALL)


def read_back(latex_dir: Path, stem: str) -> dict[str, bytes]:
    """The files the next pass would read, as they are now."""
    found = {}
    for ext in READ_BACK:
        path = latex_dir / f"{stem}.{ext}"
        if path.is_file():
            found[ext] = path.read_bytes()
    return found


def only_page_count_differs(before: dict[str, bytes], after: dict[str, bytes]) -> bool:
    """Whether a pass that read ``before`` and left ``after`` changed nothing but the page count it records."""
    if before.keys() != after.keys():
        return False
    return all(
        PAGE_COUNT.sub(b"", before[ext]) == PAGE_COUNT.sub(b"", after[ext])
        if ext == "aux"
        else before[ext] == after[ext]
        for ext in before
    )


def reads_page_count(texts: Iterable[str]) -> bool:
    """Whether any of these inputs may read the page count an earlier pass left."""
    return any(name in text for text in texts for name in PAGE_COUNT_READERS)


def read_by(fls: Path) -> list[Path]:
    """Every file a run read, once each, from its ``-recorder`` list (relative names under the folder it ran in)."""
    if not fls.is_file():
        return []
    seen: dict[str, None] = {}
    base = fls.parent
    for line in fls.read_text("utf-8", errors="replace").splitlines():
        if line.startswith("PWD "):  # the run's folder: an -output-directory run writes its list elsewhere
            base = Path(line[4:])
        elif line.startswith("INPUT "):
            seen.setdefault(line[6:], None)
    return [p if p.is_absolute() else base / p for p in map(Path, seen)]


def recorded_inputs(fls: Path) -> list[Path]:
    """The files a pass read that may hold TeX code (not its format, the files passes write back, or metrics)."""
    return [p for p in read_by(fls) if not p.name.endswith((".fmt", ".aux", ".toc", ".out", ".ind", ".tfm"))]


def empty_index(style: str) -> str | None:
    """An index with no entries, as the xindy style ``style`` opens and closes one; None if it says not."""
    found = MARKUP_INDEX.search(style)
    if not found:
        return None
    return found["open"].replace("~n", "\n") + found["close"].replace("~n", "\n")


def digest(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None
