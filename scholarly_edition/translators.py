"""What every node's writers share: skipping, passing through, and telling the EPUB from the web.

Sphinx's translators differ per format; these few functions are what the
edition's nodes need of all of them, written once.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes


def skip(self: Any, node: nodes.Node) -> None:
    """Write nothing for the node or its children."""
    raise nodes.SkipNode


def through(self: Any, node: nodes.Node) -> None:
    """Write the node's children as if it were not there."""


PLAIN = (through, through)
"""The visitor pair of a node that only its children are written for."""

SKIPPED = (skip, None)
"""The visitor pair of a node that a format leaves out."""


def add_text(self: Any, node: nodes.Node) -> None:
    """The node's text alone (the text builder)."""
    self.add_text(node.astext())
    raise nodes.SkipNode


def is_epub(translator: Any) -> bool:
    """The EPUB builder (``epub``), as opposed to the web's HTML builders."""
    return bool(translator.builder.name.startswith("epub"))


def uri(translator: Any, docname: str, refid: str) -> str:
    """A link from the page being written to ``refid`` on ``docname``'s page."""
    current = translator.builder.current_docname
    if docname == current:
        return f"#{refid}"
    return f"{translator.builder.get_relative_uri(current, docname)}#{refid}"


def add_node(app: Any, node: type[nodes.Element], *, text: Any = PLAIN, **formats: Any) -> None:
    """Register ``node`` with its writers; the text, man and texinfo builders write it as ``text``."""
    app.add_node(node, text=text, man=formats.pop("man", text), texinfo=formats.pop("texinfo", text), **formats)
