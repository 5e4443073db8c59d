"""Every kind of problem the edition reports, and the error its pure layers raise.

One enum names them all (as MyST-Parser's ``MystWarnings`` does), so a
message's Sphinx ``subtype`` and an error's category come from one place.
This module imports nothing of Sphinx: the bibliographic layer raises
:class:`DataError` subclasses, and the Sphinx glue reports them with the
file and line they concern (:mod:`scholarly_edition.errors`).
"""

from __future__ import annotations

from enum import Enum
from typing import ClassVar, NamedTuple


class Problem(Enum):
    """A kind of problem: its warning subtype (``edition.<subtype>``) and its category."""

    CONFIG = ("config", "Configuration error")
    SOURCE = ("source", "Source encoding error")
    BIBLIOGRAPHY = ("bibliography", "Bibliography error")
    CITATION = ("citation", "Citation error")
    MARKUP = ("markup", "Markup error")
    PARAGRAPH = ("paragraph", "Paragraph numbering error")
    APPARATUS = ("apparatus", "Editorial apparatus error")
    CITE_PAGE = ("cite-page", "Cite page error")
    EXPORT = ("export", "Export error")

    def __init__(self, subtype: str, category: str) -> None:
        self.subtype = subtype
        self.category = category


class DataError(ValueError):
    """Input that cannot make a truthful output without losing or inventing something."""

    problem: ClassVar[Problem] = Problem.BIBLIOGRAPHY


class Finding(NamedTuple):
    """One problem found in the sources, and where: ``"path:line"``, ``(docname, line)`` or nowhere."""

    message: str
    location: str | tuple[str, int | None] | None
