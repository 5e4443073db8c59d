"""Links to the PDF and EPUB on every HTML page.

The files themselves are put beside the HTML by the build
(``scholarly_edition.build``, locally and on Read the Docs); this module
gives the sidebar template their relative URLs, from
``edition_download_stem``.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

from scholarly_edition.config import settings


def page_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    if app.builder.format != "html" or app.builder.name != "html":
        return
    stem = settings(app.config).download_stem
    pathto = context["pathto"]
    context["edition_downloads"] = [
        ("PDF", pathto(f"{stem}.pdf", 1), "application/pdf"),
        ("EPUB", pathto(f"{stem}.epub", 1), "application/epub+zip"),
    ]


def setup(app: Sphinx) -> None:
    app.connect("html-page-context", page_context)
