"""The output formats: what each HTML page loads and says of itself, the EPUB, and the PDF's LaTeX and design.

The modules are imported when Sphinx sets the extension up, not with the
package: the live preview's server reads the site's security policy
(``security``) without loading Sphinx.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup(app: Sphinx) -> None:
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

    modules = (epub, downloads, security, latex, pdfdesign, assets, bundles, descriptions, genindex, templatecache)
    for module in (*modules, blockbreaks):
        module.setup(app)
