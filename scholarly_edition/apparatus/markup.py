"""The roles and directives an editor writes: marks, references, definitions, listings."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective, SphinxRole

from scholarly_edition.apparatus.model import SERIES
from scholarly_edition.apparatus.nodes import editorial_definition, editorial_listing, editorial_mark, editorial_xref
from scholarly_edition.errors import report
from scholarly_edition.problems import Problem

_MARK = re.compile(r"^(?:(?P<lemma>.*?)\s*<(?P<key>[a-z0-9][a-z0-9-]*)>|(?P<point>[a-z0-9][a-z0-9-]*))$", re.DOTALL)
_KEY = re.compile(r"[a-z0-9][a-z0-9-]*")


class MarkRole(SphinxRole):
    """``{tn}`lemma <key>``` wraps the lemma; ``{tn}`key``` marks a point."""

    def __init__(self, series: str) -> None:
        self.series = series

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        match = _MARK.match(self.text.strip())
        if not match:
            report(
                Problem.MARKUP,
                f"{{{self.series}}} wants `key` or `words <key>` (key: lower-case letters, digits, hyphens), "
                f"not {self.text!r}",
                location=self.get_location(),
            )
            return [nodes.problematic(self.rawtext, self.rawtext)], []
        key = match["key"] or match["point"]
        lemma = " ".join((match["lemma"] or "").split())
        node = editorial_mark(lemma, lemma, series=self.series, key=key)
        self.set_source_info(node)
        return [node], []


class XrefRole(SphinxRole):
    def __init__(self, series: str) -> None:
        self.series = series

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        node = editorial_xref("", "", series=self.series, key=self.text.strip())
        self.set_source_info(node)
        return [node], []


class DefinitionDirective(SphinxDirective):
    """An editorial note: its key as argument, its text as content.

    ``:lemma:`` names the words a point mark concerns (checked against the
    text before the mark).
    """

    series: ClassVar[str] = ""
    required_arguments = 1
    has_content = True
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {"lemma": directives.unchanged_required}

    def run(self) -> list[nodes.Node]:
        key = self.arguments[0]
        if not _KEY.fullmatch(key):
            raise self.error(f"{self.name}: key {key!r} must be lower-case letters, digits and hyphens")
        node = editorial_definition(series=self.series, key=key, options=dict(self.options))
        self.set_source_info(node)
        self.state.nested_parse(self.content, self.content_offset, node)
        return [node]


class ListingDirective(SphinxDirective):
    """Lists a series of notes in text order; its content holds their definitions."""

    series: ClassVar[str] = ""
    has_content = True

    def run(self) -> list[nodes.Node]:
        node = editorial_listing(series=self.series)
        self.set_source_info(node)
        self.state.nested_parse(self.content, self.content_offset, node)
        stray = [c for c in node.children if not isinstance(c, editorial_definition)]
        if stray:
            raise self.error(f"{self.name} may only contain {SERIES[self.series].noun} definitions")
        return [node]
