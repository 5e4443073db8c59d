"""Compiled page templates kept between builds, beside the doctrees.

Sphinx compiles furo's Jinja templates afresh in every run, about a tenth
of a second before the first page is written. A live preview rebuilds one
page at a time and keeps its doctrees folder, so keeping Jinja's bytecode
there saves that tenth on every edit. Jinja checks each template's source
against what it compiled, so an updated theme is never served stale.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import FileSystemBytecodeCache
from sphinx.application import Sphinx

FOLDER = "jinja-bytecode"


def attach(app: Sphinx) -> None:
    """Give the builder's Jinja environment a bytecode cache in the doctrees folder."""
    environment = getattr(getattr(app.builder, "templates", None), "environment", None)
    if environment is None or environment.bytecode_cache is not None:
        return
    folder = Path(app.doctreedir) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    environment.bytecode_cache = FileSystemBytecodeCache(str(folder))


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", attach)
