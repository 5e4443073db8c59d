"""pandoc AST inlines to docutils nodes.

The CSL processor answers in pandoc's JSON AST; docutils nodes let every
Sphinx writer (HTML, LaTeX, EPUB) render the result its own way, so one
formatting run serves all three editions.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from docutils import nodes

from scholarly_edition.problems import DataError, Problem

Inlines = list[dict[str, Any]]


class PandocASTError(DataError):
    """An inline of pandoc's that docutils has no node for: the note would lose it."""

    problem = Problem.CITATION


_WRAPPERS: dict[str, type[nodes.TextElement]] = {
    "Emph": nodes.emphasis,
    "Strong": nodes.strong,
    "Superscript": nodes.superscript,
    "Subscript": nodes.subscript,
}


def to_nodes(inlines: Inlines) -> list[nodes.Node]:
    """docutils nodes for ``inlines``, adjacent text merged."""
    out: list[nodes.Node] = []
    for inline in inlines:
        for node in _convert(inline):
            if isinstance(node, nodes.Text) and out and isinstance(out[-1], nodes.Text):
                out[-1] = nodes.Text(out[-1].astext() + node.astext())
            else:
                out.append(node)
    return out


def to_text(inlines: Inlines) -> str:
    """The plain text of ``inlines``."""
    return "".join(node.astext() for node in to_nodes(inlines))


def _convert(inline: dict[str, Any]) -> list[nodes.Node]:
    kind = inline["t"]
    content: Any = inline.get("c")
    if kind == "Str":
        return [nodes.Text(content)]
    if kind in ("Space", "SoftBreak", "LineBreak"):
        return [nodes.Text(" ")]
    if kind in _WRAPPERS:
        return [_WRAPPERS[kind]("", "", *to_nodes(content))]
    if kind == "SmallCaps":
        return [nodes.inline("", "", *to_nodes(content), classes=["smallcaps"])]
    if kind == "Span":
        return to_nodes(content[1])
    if kind == "Link":
        target = content[2][0]
        if urlsplit(target).scheme.lower() not in ("http", "https"):
            raise PandocASTError(f"the link {target!r} is not http(s)")
        return [nodes.reference("", "", *to_nodes(content[1]), refuri=target)]
    if kind == "Quoted":
        open_, close = ("‘", "’") if content[0]["t"] == "SingleQuote" else ("“", "”")
        return [nodes.Text(open_), *to_nodes(content[1]), nodes.Text(close)]
    if kind == "Cite":
        return to_nodes(content[1])
    if kind == "Code":
        return [nodes.literal(content[1], content[1])]
    raise PandocASTError(f"pandoc inline {kind!r} has no docutils counterpart")
