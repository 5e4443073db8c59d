"""Reading CSL-JSON items: names and dates as every export writes them.

CSL-JSON is the edition's one internal form of a work; the Highwire, COinS,
RIS and schema.org writers all read names and dates through these
functions, so a name is never spelled two ways in two exports.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

Name = Mapping[str, str]


def family_name(name: Name) -> str:
    """The family name with its non-dropping particle (``van Gogh``)."""
    return " ".join(p for p in (name.get("non-dropping-particle"), name["family"]) if p)


def inverted(name: Name) -> str:
    """``Family, Given`` (``, Suffix``) for a person; a body's name whole."""
    if "literal" in name:
        return name["literal"]
    return ", ".join(p for p in (family_name(name), name.get("given"), name.get("suffix")) if p)


def direct(name: Name) -> str:
    """``Given Family`` for a person; a body's name whole."""
    if "literal" in name:
        return name["literal"]
    return " ".join(p for p in (name.get("given"), family_name(name)) if p)


def date_parts(item: Mapping[str, Any], variable: str = "issued") -> list[int]:
    """``[year, month, day]`` (or fewer) of a date variable; empty if the item has none."""
    return [int(p) for p in item.get(variable, {}).get("date-parts", [[]])[0]]


def padded(parts: Sequence[int]) -> list[str]:
    """The parts as ``YYYY``, ``MM``, ``DD``."""
    return [f"{parts[0]:04d}", *(f"{p:02d}" for p in parts[1:])] if parts else []


def iso_date(parts: Sequence[int]) -> str:
    """``YYYY-MM-DD`` (or shorter)."""
    return "-".join(padded(parts))
