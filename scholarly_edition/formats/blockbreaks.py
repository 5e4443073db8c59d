"""A line break between a term and its definition, so that no plain-text reading fuses them.

Sphinx writes a definition list's ``</dt><dd>`` with nothing between; a
reader of the page's text content (the search page's snippets, a parser,
a reader mode) then gets the term's last word and the definition's first
as one ("Operation ZhusanKazakhstan’s"). A newline between the two tags
changes nothing a browser shows.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx


def visit_definition_html(self: Any, node: nodes.definition) -> None:
    self.body.append("\n")
    type(self).visit_definition(self, node)


def depart_definition_html(self: Any, node: nodes.definition) -> None:
    type(self).depart_definition(self, node)


def setup(app: Sphinx) -> None:
    app.add_node(nodes.definition, override=True, html=(visit_definition_html, depart_definition_html))
