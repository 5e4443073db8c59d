"""Citing's state: which documents show the citations, and the essay's record as formatted."""

from __future__ import annotations

from typing import Any, ClassVar, NamedTuple, cast

from sphinx.environment import BuildEnvironment

from scholarly_edition.bibliography.citeproc import Inlines
from scholarly_edition.state import StateDomain


class StyleCitation(NamedTuple):
    """The essay as one CSL style formats it."""

    slug: str
    label: str
    style: str  # the official style's id
    title: str  # the style's own name
    bibliography: Inlines
    citation: Inlines
    locator_citation: Inlines | None
    paragraphs: list[Inlines]  # one full note per numbered paragraph (the first style only)


class OriginalDate(NamedTuple):
    """The original page's date as the cite page explains it."""

    dateline: str
    date: str | None
    latest_access: str | None
    note: str


class Citing(NamedTuple):
    """Everything that cites the essay: the record, its CSL items, its BibTeX and its styles."""

    key: str
    title: str
    items: list[dict[str, Any]]  # this edition, then the original page
    bibtex: str
    records: dict[str, Any]  # the same two as biblatex entries (pybtex), for the exports
    styles: list[StyleCitation]
    example_paragraph: int
    paragraph_count: int
    essay_doc: str
    essay_uri: str
    essay_url: str | None
    original: OriginalDate


class CitingDomain(StateDomain):
    name = "edition-citing"
    label = "Citing the essay"
    per_document = ("cite_docs",)
    results: ClassVar[dict[str, Any]] = {"citing": None, "exports": None, "inputs": None, "exports_from": None}
    """The record as formatted and the exports as made, each with what it was made from."""

    @property
    def cite_docs(self) -> set[str]:
        return set(self.data["cite_docs"])

    @property
    def citing(self) -> Citing | None:
        return cast(Citing | None, self.data["citing"])


def citing_domain(env: BuildEnvironment) -> CitingDomain:
    return cast(CitingDomain, env.get_domain(CitingDomain.name))
