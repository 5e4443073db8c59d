"""The copy-text, read for the apparatus.

The textual notes quote the copy-text (its wording of each of the author's
notes, of the cover-image credit, of a reading the edition corrects). They
quote it from the file itself, not from a retyped copy, so a quotation in
the apparatus cannot drift from what the capture says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from scholarly_edition.problems import DataError, Problem

_NOTE = re.compile(r"^\[(?P<number>\d+)\]\s+(?P<text>.+)$")


class CopyTextError(DataError):
    """A quotation the apparatus asks for is not in the copy-text."""

    problem = Problem.APPARATUS


@dataclass(frozen=True)
class CopyText:
    path: Path
    text: str

    @classmethod
    def read(cls, path: Path) -> CopyText:
        return cls(path, path.read_text("utf-8"))

    def lines(self) -> list[str]:
        return self.text.split("\n")

    def notes(self) -> dict[int, str]:
        """The author's notes as the capture prints them: ``[N] text`` lines."""
        return dict(self._notes)

    @cached_property
    def _notes(self) -> dict[int, str]:
        # read once: the apparatus asks for every note, one at a time
        found: dict[int, str] = {}
        for line in self.lines():
            match = _NOTE.match(line.strip())
            if match:
                found[int(match["number"])] = match["text"].strip()
        return found

    def note(self, number: int) -> str:
        try:
            return self._notes[number]
        except KeyError:
            raise CopyTextError(f"{self.path}: the copy-text has no note [{number}]") from None

    def line_starting(self, prefix: str) -> str:
        """The one line that starts with ``prefix``, whole."""
        matches = [line.strip() for line in self.lines() if line.strip().startswith(prefix)]
        if len(matches) != 1:
            raise CopyTextError(
                f"{self.path}: {len(matches)} lines start with {prefix!r}; a quotation needs exactly one"
            )
        return matches[0]

    def count(self, reading: str) -> int:
        """How often ``reading`` occurs, line breaks inside it counting as spaces."""
        flat = " ".join(self.text.split())
        return flat.count(" ".join(reading.split()))
