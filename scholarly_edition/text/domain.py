"""The author's text's state: each document's citations and paragraphs, and the notes as formatted."""

from __future__ import annotations

from typing import Any, ClassVar, NamedTuple, cast

from sphinx.environment import BuildEnvironment

from scholarly_edition.bibliography.citeproc import Inlines
from scholarly_edition.state import StateDomain


class NoteCite(NamedTuple):
    """One citation in the text: the work, its locator, and where it stands."""

    key: str
    locator: str
    source: str
    line: int


class DocNotes(NamedTuple):
    """A document's notes as the CSL processor formatted them, in order."""

    notes: list[Inlines]
    inline: list[Inlines]


class RenderedNotes(NamedTuple):
    """Every document's notes, and the bibliography of every work."""

    docs: dict[str, DocNotes]
    bibliography: dict[str, Inlines]


class TextDomain(StateDomain):
    name = "edition-text"
    label = "The author's text"
    per_document = ("cites", "inline", "paragraphs", "failed")
    results: ClassVar[dict[str, Any]] = {"rendered": None, "csl": None}

    @property
    def cites(self) -> dict[str, list[NoteCite]]:
        """The notes of each document, in order."""
        return cast(dict[str, list[NoteCite]], self.data["cites"])

    @property
    def inline(self) -> dict[str, list[NoteCite]]:
        """The citations in running text of each document, in order."""
        return cast(dict[str, list[NoteCite]], self.data["inline"])

    def paragraph_count(self, docname: str) -> int:
        return cast(int, self.data["paragraphs"].get(docname, 0))

    @property
    def failed(self) -> bool:
        """A citation that could not be read was reported in some document."""
        return bool(self.data["failed"])

    def fail(self, docname: str) -> None:
        self.data["failed"][docname] = True

    @property
    def rendered(self) -> RenderedNotes:
        rendered = self.data["rendered"]
        if rendered is None:
            raise RuntimeError("the notes are read but not yet formatted")
        return cast(RenderedNotes, rendered)

    def rendered_note(self, docname: str, index: int) -> Inlines:
        return self.rendered.docs[docname].notes[index]


def text_domain(env: BuildEnvironment) -> TextDomain:
    return cast(TextDomain, env.get_domain(TextDomain.name))
