"""The output formats: what each HTML page loads and says of itself, the EPUB, and the PDF's LaTeX."""

from __future__ import annotations

from sphinx.application import Sphinx

from scholarly_edition.formats import (
    assets,
    blockbreaks,
    bundles,
    descriptions,
    downloads,
    epub,
    latex,
    security,
    templatecache,
)


def setup(app: Sphinx) -> None:
    for module in (epub, downloads, security, latex, assets, bundles, descriptions, templatecache, blockbreaks):
        module.setup(app)
