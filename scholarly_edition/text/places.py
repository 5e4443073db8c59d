"""Where a node stands in the essay, as a reader finds it: ¶ 4, note 5, caption after ¶ 2.

The editorial notes are keyed to these places, and the index of names gives
them as its locators; both read the ¶ numbers that the paragraph numbering
set (the ``p-N`` ids).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import cast

from docutils import nodes

from scholarly_edition import ids

_PARATEXT = {"dateline": "dateline", "byline": "byline", "author-bio": "biographical note"}


def ancestors(node: nodes.Node | None) -> Iterator[nodes.Node]:
    while node is not None:
        yield node
        node = node.parent


def paragraph_number(paragraph: nodes.Element) -> str:
    """The ¶ number the paragraph numbering gave (its ``p-N`` id), if any."""
    for id_ in cast(list[str], paragraph.get("ids", [])):
        if (number := ids.paragraph_number(id_)) is not None:
            return str(number)
    return ""


def paragraphs_before_figures(document: nodes.document) -> dict[nodes.Element, str]:
    """For each figure, the number of the numbered paragraph before it: one pass over the document."""
    before: dict[nodes.Element, str] = {}
    last = ""
    for node in document.findall(lambda n: isinstance(n, (nodes.figure, nodes.paragraph))):
        if isinstance(node, nodes.figure):
            before[node] = last
        elif isinstance(node, nodes.paragraph) and not isinstance(node.parent, nodes.footnote):
            last = paragraph_number(node) or last
    return before


def location_of(node: nodes.Node, figures: dict[nodes.Element, str] | None = None) -> str:
    """Where a node stands in the essay, as a reader finds it: ¶ 4, note 5, …

    ``figures`` is :func:`paragraphs_before_figures` of the node's document,
    when the caller locates many nodes of one document.
    """
    for ancestor in ancestors(node):
        if isinstance(ancestor, nodes.footnote):
            for id_ in ancestor["ids"]:
                if (number := ids.note_number(id_)) is not None:
                    return f"note {number}"
        if isinstance(ancestor, nodes.figure):
            if figures is None:
                figures = paragraphs_before_figures(ancestor.document) if ancestor.document else {}
            before = figures.get(ancestor, "")
            return f"caption after ¶ {before}" if before else "cover-image credit"
        if isinstance(ancestor, nodes.paragraph):
            if paragraph := paragraph_number(ancestor):
                return f"¶ {paragraph}"
            for cls, place in _PARATEXT.items():
                if cls in ancestor["classes"]:
                    return place
        if isinstance(ancestor, nodes.title):
            return "title"
    return "text"
