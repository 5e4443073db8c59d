"""Each HTML page loads only the stylesheets and scripts it uses.

sphinx-copybutton adds its script, clipboard.js and its stylesheet to every
page, and Sphinx adds the Pygments stylesheet; all four serve highlighted
code blocks and nothing else. Most pages of the edition, the essay among
them, have none, and for their readers the four are requests and bytes
(about 9 kB gzipped) spent before the text is read. A page with a code
block keeps all four, so every copyable block still gets its button.
"""

from __future__ import annotations

import os
from typing import Any

from sphinx.application import Sphinx

CODE_ASSETS = frozenset({"copybutton.js", "clipboard.min.js", "copybutton.css", "pygments.css"})
"""Basenames of the assets that only highlighted code uses."""

CODE_MARKER = '<div class="highlight">'
"""How Sphinx's HTML writer opens every highlighted code block."""


def _basename(asset: Any) -> str:
    filename = getattr(asset, "filename", asset)
    return os.path.basename(os.fspath(filename)).split("?", 1)[0]


def trim(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """Drop the code-only assets from a page that has no code block."""
    if app.builder.format != "html" or CODE_MARKER in context.get("body", ""):
        return
    for key in ("css_files", "script_files"):
        if key in context:
            # a new list, not the builder's own trimmed in place: a live preview builds again
            # in the same process, and its next build would start without them
            context[key] = [a for a in context[key] if _basename(a) not in CODE_ASSETS]


def setup(app: Sphinx) -> None:
    # late, after any handler that adds an asset to the page, and before the bundling (990)
    app.connect("html-page-context", trim, priority=980)
