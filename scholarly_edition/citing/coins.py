"""COinS spans on the bibliography, so Zotero can save every work on the page at once.

The ContextObjects are made by :mod:`scholarly_edition.bibliography.coins`;
this module adds one empty span to each filled bibliography entry (``id="work-KEY"``),
in the HTML only.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

from scholarly_edition import ids
from scholarly_edition.bibliography.coins import kev
from scholarly_edition.config import settings
from scholarly_edition.text.works import csl_items
from scholarly_edition.translators import SKIPPED


class coins_span(nodes.Inline, nodes.Element):
    """An empty ``<span class="Z3988">`` carrying one work's ContextObject."""


def add_spans(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Give each filled bibliography entry its COinS span."""
    if not settings(app.config).essay_doc:  # citing is off
        return
    by_key = None
    for entry in doctree.findall(nodes.list_item):
        if "csl-entry" not in entry["classes"]:
            continue
        keys = [key for i in entry["ids"] if (key := ids.work_key(i))]
        if not keys:
            continue
        if by_key is None:
            by_key = {item["id"]: item for item in csl_items(app.env)}
        first = entry.children[0] if entry.children else None
        target: nodes.Element = first if isinstance(first, nodes.paragraph) else entry
        target.append(coins_span(title=kev(by_key[keys[0]])))


def visit_html(self: Any, node: coins_span) -> None:
    if self.builder.name == "html":
        self.body.append(self.starttag(node, "span", "", CLASS="Z3988", title=node["title"]) + "</span>")
    raise nodes.SkipNode


def setup(app: Sphinx) -> None:
    app.add_node(coins_span, html=(visit_html, None), latex=SKIPPED, text=SKIPPED)
    app.connect("doctree-resolved", add_spans, priority=600)
