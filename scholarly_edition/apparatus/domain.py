"""The apparatus's state: marks and definitions per document, and the notes as placed."""

from __future__ import annotations

from typing import ClassVar, cast

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from scholarly_edition.apparatus.anchors import MarkAt, NoteAt, anchors_of
from scholarly_edition.apparatus.model import Definition, Mark, Placed
from scholarly_edition.apparatus.nodes import editorial_definition, editorial_mark
from scholarly_edition.state import StateDomain


class ApparatusDomain(StateDomain):
    name = "edition-apparatus"
    label = "Editorial apparatus"
    per_document = ("marks", "definitions", "anchors")
    results: ClassVar[dict[str, object]] = {"placed": {}, "shown": None}
    """``placed``: the notes in order; ``shown``: what the pages last written show of them."""

    @property
    def marks(self) -> dict[str, list[Mark]]:
        return cast(dict[str, list[Mark]], self.data["marks"])

    @property
    def anchors(self) -> dict[str, list[MarkAt | NoteAt]]:
        """Each page's marks and author's note references, in text order, with their places."""
        return cast(dict[str, list[MarkAt | NoteAt]], self.data["anchors"])

    @property
    def definitions(self) -> dict[str, list[Definition]]:
        return cast(dict[str, list[Definition]], self.data["definitions"])

    def collect(self, docname: str, doctree: nodes.document) -> None:
        path = str(self.env.doc2path(docname))
        marks = [
            Mark(n["series"], n["key"], docname, n.astext(), n.source or path, n.line or 0)
            for n in doctree.findall(editorial_mark)
        ]
        definitions = [
            Definition(n["series"], n["key"], docname, n.source or path, n.line or 0, n["options"])
            for n in doctree.findall(editorial_definition)
        ]
        self.record("marks", docname, marks)
        self.record("definitions", docname, definitions)
        self.record("anchors", docname, anchors_of(doctree))

    def definitions_of(self, series: str) -> dict[str, Definition]:
        return {d.key: d for defs in self.definitions.values() for d in defs if d.series == series}

    def listing_docs(self, series: str | None = None) -> set[str]:
        return {
            doc for doc, defs in self.definitions.items() if series is None or any(d.series == series for d in defs)
        }

    def placed(self, series: str) -> dict[str, Placed]:
        """The notes of ``series`` in order, as placed after reading."""
        return cast(dict[str, Placed], self.data["placed"].get(series, {}))

    def set_placed(self, series: str, entries: list[Placed]) -> None:
        self.data["placed"][series] = {p.key: p for p in entries}


def apparatus(env: BuildEnvironment) -> ApparatusDomain:
    return cast(ApparatusDomain, env.get_domain(ApparatusDomain.name))


def collect(app: Sphinx, doctree: nodes.document) -> None:
    """Record the marks and definitions of a document (doctree-read)."""
    apparatus(app.env).collect(app.env.docname, doctree)
