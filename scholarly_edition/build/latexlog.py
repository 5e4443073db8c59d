"""What xelatex's log says went missing, traced back to the source line that holds it.

xelatex drops a character its font lacks and only logs it ("Missing
character: There is no 😀 (U+1F600) in font FreeSerif…"), so the PDF would
silently lose words the HTML and EPUB keep. The build reads the log after
LaTeX and stops, naming the character and the source line. No Sphinx here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from scholarly_edition.problems import Finding

_MISSING = re.compile(r"Missing character: There is no (.) \(U\+([0-9A-F]{4,6})\) in font ([^:/!\n]+)")


def missing_characters(log: str) -> dict[str, str]:
    """Each character the fonts lacked, with the first font that lacked it, in order of appearance."""
    found: dict[str, str] = {}
    for match in _MISSING.finditer(log):
        found.setdefault(chr(int(match[2], 16)), match[3].strip())
    return found


def locate(char: str, sources: Iterable[Path]) -> str | None:
    """``path:line`` of the first line of ``sources`` that holds ``char``."""
    for path in sources:
        try:
            lines = path.read_text("utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            continue
        for number, line in enumerate(lines, start=1):
            if char in line:
                return f"{path}:{number}"
    return None


def problems(log: str, sources: Iterable[Path]) -> list[Finding]:
    """One finding per character the PDF would lose, at the line that holds it."""
    files = list(sources)
    return [
        Finding(
            f"the PDF's font {font} has no {char!r} (U+{ord(char):04X}): the PDF would drop it", locate(char, files)
        )
        for char, font in missing_characters(log).items()
    ]
