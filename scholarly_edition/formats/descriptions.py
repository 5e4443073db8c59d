"""A ``<meta name="description">`` on every HTML page.

Search engines show it under the page's title, and its absence costs every
page points in Lighthouse's SEO audit. A page that states its own (the
essay, in its front matter) or that sphinxext-opengraph has described keeps
that one. Any other page is described by its first paragraph; a page that
Sphinx generates without a source (the index, search) by its title and the
edition's.
"""

from __future__ import annotations

import html
import re
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

MAX_LENGTH = 200
"""Characters; search engines cut descriptions at about 155–160 anyway."""

_HAS_DESCRIPTION = re.compile(r"<meta\b[^>]*\bname=[\"']description[\"']", re.I)
_TAGS = re.compile(r"<[^>]+>")


def first_paragraph(doctree: nodes.Node) -> str:
    """The text of the first paragraph that is not in a footnote or sidebar."""
    for para in doctree.findall(nodes.paragraph):
        if any(isinstance(a, (nodes.footnote, nodes.sidebar, nodes.topic)) for a in _ancestors(para)):
            continue
        text = " ".join(para.astext().split())
        if text:
            return text
    return ""


def _ancestors(node: nodes.Node) -> list[nodes.Node]:
    found = []
    while node.parent is not None:
        node = node.parent
        found.append(node)
    return found


def shorten(text: str, limit: int = MAX_LENGTH) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, with an ellipsis if cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:–— ")
    return cut + "…"


GENERATED = {"genindex": "Index of {project}", "search": "Search {project}"}
"""Pages Sphinx makes without a source, and what they are."""


def _generated(pagename: str, context: dict[str, Any], project: str) -> str:
    if pagename in GENERATED:
        return GENERATED[pagename].format(project=project)
    title = html.unescape(_TAGS.sub("", context.get("title") or "")).strip()
    return f"{title} — {project}" if title and title != project else project


def describe(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """Add a description to a page that has none yet."""
    if app.builder.name not in ("html", "dirhtml"):
        return
    if _HAS_DESCRIPTION.search(context.get("metatags", "")):
        return
    text = first_paragraph(doctree) if doctree is not None else ""
    if not text:
        text = _generated(pagename, context, app.config.project)
    tag = f'<meta name="description" content="{html.escape(shorten(text), quote=True)}" />'
    context["metatags"] = f"{context.get('metatags', '')}\n{tag}"


def setup(app: Sphinx) -> None:
    # After sphinxext-opengraph (priority 500), which may have described the page already.
    app.connect("html-page-context", describe, priority=900)
