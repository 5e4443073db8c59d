"""Links to the PDF and EPUB on every HTML page.

The files themselves are put beside the HTML by the build (``edition.build``
locally, a post-build step on Read the Docs); this module names them once,
in ``conf.py``, and gives the templates their relative URLs.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config

TEMPLATES = Path(__file__).parent / "templates"


def add_templates(app: Sphinx, config: Config) -> None:
    # relative to conf.py, as Sphinx reads it: an absolute path would put the
    # checkout's location into the config hash that .buildinfo publishes
    config.templates_path = [*config.templates_path, os.path.relpath(TEMPLATES, app.confdir)]


def page_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    if app.builder.format != "html" or app.builder.name != "html":
        return
    stem = app.config.edition_download_stem
    pathto = context["pathto"]
    context["edition_downloads"] = [
        ("PDF", pathto(f"{stem}.pdf", 1), "application/pdf"),
        ("EPUB", pathto(f"{stem}.epub", 1), "application/epub+zip"),
    ]


def setup(app: Sphinx) -> None:
    app.add_config_value("edition_download_stem", "edition", "env", str)
    app.connect("config-inited", add_templates)
    app.connect("html-page-context", page_context)
