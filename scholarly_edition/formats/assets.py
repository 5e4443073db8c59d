"""Each HTML page loads only the stylesheets and scripts it uses.

sphinx-copybutton adds its script, clipboard.js and its stylesheet to every
page, Sphinx adds the Pygments stylesheet, and furo its stylesheet for other
extensions' widgets (the copy button's among them); all five serve
highlighted code blocks and nothing else the edition has. Most pages of the
edition, the essay among them, have none, and for their readers the five
are requests and bytes (about 10 kB gzipped) spent before the text is read.
A page with a code block keeps them all, so every copyable block still gets
its button.

Sphinx's scripts for marking the words a search found (its options, doctools
and sphinx_highlight, about 4 kB gzipped) serve only a visit from a search
result and the copy button (which reads Sphinx's options); the search page
and the pages with code keep them, and every other page has instead a small
script that loads them when the address asks for highlighting
(``edition-search-words.js``).
"""

from __future__ import annotations

import os
from typing import Any

from sphinx.application import Sphinx

CODE_ASSETS = frozenset({"copybutton.js", "clipboard.min.js", "copybutton.css", "pygments.css", "furo-extensions.css"})
"""Basenames of the assets that only highlighted code uses."""
SEARCH_WORDS_ASSETS = frozenset({"documentation_options.js", "doctools.js", "sphinx_highlight.js"})
"""Basenames of the scripts that only mark searched words (and serve the search page)."""
SEARCH_WORDS_LOADER = "edition-search-words.js"
SEARCH_PAGE = "search"

CODE_MARKER = '<div class="highlight">'
"""How Sphinx's HTML writer opens every highlighted code block."""


def _basename(asset: Any) -> str:
    filename = getattr(asset, "filename", asset)
    return os.path.basename(os.fspath(filename)).split("?", 1)[0]


def trim(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """Drop the code-only assets from a page without code, and the search-word scripts where nothing needs them."""
    if app.builder.format != "html":
        return
    has_code = CODE_MARKER in context.get("body", "")
    dropped = set() if has_code else set(CODE_ASSETS)
    if has_code or pagename == SEARCH_PAGE:  # the copy button reads Sphinx's options too
        dropped.add(SEARCH_WORDS_LOADER)
    else:
        dropped |= SEARCH_WORDS_ASSETS
    for key in ("css_files", "script_files"):
        if key in context:
            # a new list, not the builder's own trimmed in place: a live preview builds again
            # in the same process, and its next build would start without them
            context[key] = [a for a in context[key] if _basename(a) not in dropped]


def add_loader(app: Sphinx) -> None:
    if app.builder.name == "html":  # the EPUB has no search to come from
        app.add_js_file(SEARCH_WORDS_LOADER)


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", add_loader)
    # late, after any handler that adds an asset to the page, and before the bundling (990)
    app.connect("html-page-context", trim, priority=980)
