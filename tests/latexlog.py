"""What xelatex's log says of how the PDF was set: unresolved references, bad boxes, missing patterns.

The log of latexmk's last pass is the one that counts: earlier passes
always report the references they have not yet seen defined.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from scholarly_edition.build.latex import unwrap

_UNDEFINED = re.compile(
    r"(?:LaTeX|Package \w+) Warning: (?:Hyper reference|Reference|Citation) `([^']*)' on page \d+ undefined"
)
_MULTIPLY = re.compile(r"LaTeX Warning: Label `([^']*)' multiply defined")
_BAD_BOX = re.compile(
    r"^(Overfull|Underfull) \\[hv]box \((.*?)\) "
    r"(?:in paragraph at lines|in alignment at lines|detected at line|has occurred while \\output is active)(.*)$",
    re.M,
)
_PATTERNS = re.compile(r"No hyphenation patterns were loaded for `?([^'\n]+)'?\n")


@dataclass
class LogFindings:
    """The log's complaints, each as the log words it (one line apiece)."""

    undefined: list[str] = field(default_factory=list)
    multiply_defined: list[str] = field(default_factory=list)
    overfull: list[str] = field(default_factory=list)
    underfull: list[str] = field(default_factory=list)
    missing_patterns: list[str] = field(default_factory=list)


def read(log: str) -> LogFindings:
    text = unwrap(log)
    found = LogFindings()
    found.undefined = [m[1] for m in _UNDEFINED.finditer(text)]
    if "There were undefined references" in text and not found.undefined:
        found.undefined.append("(the log says there were undefined references)")
    found.multiply_defined = _MULTIPLY.findall(text)
    for m in _BAD_BOX.finditer(text):
        (found.overfull if m[1] == "Overfull" else found.underfull).append(f"{m[1]} ({m[2]}){m[3]}")
    found.missing_patterns = [m[1].strip() for m in _PATTERNS.finditer(text)]
    return found
