"""The output formats: what each HTML page loads and says of itself, the EPUB, and the PDF's LaTeX and design."""

from __future__ import annotations

from sphinx.application import Sphinx

from scholarly_edition.formats import (
    assets,
    blockbreaks,
    bundles,
    descriptions,
    downloads,
    epub,
    genindex,
    latex,
    pdfdesign,
    security,
    templatecache,
)


def setup(app: Sphinx) -> None:
    modules = (epub, downloads, security, latex, pdfdesign, assets, bundles, descriptions, genindex, templatecache)
    for module in (*modules, blockbreaks):
        module.setup(app)
