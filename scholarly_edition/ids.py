"""Every id the edition gives a place, made and read in one module.

The ids are permalinks (``essay.html#p-4``, the PDF's named destination
``p-4``) and the targets of the apparatus's links, so their form is a
promise to readers: change it here or nowhere.
"""

from __future__ import annotations

import re

_PARAGRAPH = re.compile(r"^p-(\d+)$")
_NOTE = re.compile(r"^note-(\d+)$")
WORK_PREFIX = "work-"


def paragraph(number: int) -> str:
    """A numbered paragraph of the essay: ``p-4``."""
    return f"p-{number}"


def paragraph_number(ident: str) -> int | None:
    match = _PARAGRAPH.match(ident)
    return int(match[1]) if match else None


def note(number: int) -> str:
    """The author's note ``number``: ``note-4``."""
    return f"note-{number}"


def note_number(ident: str) -> int | None:
    match = _NOTE.match(ident)
    return int(match[1]) if match else None


def noteref(number: int) -> str:
    """The reference in the text to the author's note ``number``."""
    return f"noteref-{number}"


def work(key: str) -> str:
    """A work's entry in the bibliography: ``work-KEY``."""
    return f"{WORK_PREFIX}{key}"


def work_key(ident: str) -> str | None:
    return ident.removeprefix(WORK_PREFIX) if ident.startswith(WORK_PREFIX) else None


def mark(series: str, key: str) -> str:
    """An editorial mark in the text: ``tn-at-KEY``, ``ed-at-KEY``."""
    return f"{series}-at-{key}"


def entry(series: str, label: str) -> str:
    """An editorial note in its listing: ``tn-7``, ``ed-c``."""
    return f"{series}-{label}"


def paragraph_item(key: str, number: int) -> str:
    """The CSL item that cites paragraph ``number`` of the essay ``key``."""
    return f"{key}-p{number}"
