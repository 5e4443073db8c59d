"""The edition's own Sphinx extension.

Each module does one job; this one only wires them into Sphinx. They are
imported when Sphinx sets the extension up, not when the package is:
``python -m edition.build`` imports the package too, and starts its
builders sooner for not loading Sphinx itself first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata


def setup(app: Sphinx) -> ExtensionMetadata:
    import sphinx

    from . import apparatus, commentary, latexstyle, marks, titlepage
    from . import assets, bundles, descriptions, templatecache
    from . import bibcheck, downloads, encoding, epub, figures, language, notes, security
    from . import cite_page, citing, coins, exports, hosting, page_metadata, paragraphs

    app.add_config_value("edition_language", "en-GB", "env", str)
    for module in (language, notes, figures, epub, downloads, bibcheck, encoding, security):
        module.setup(app)
    for module in (marks, apparatus, commentary, titlepage, latexstyle):  # the editorial apparatus
        module.setup(app)
    for module in (hosting, paragraphs, citing, exports, cite_page, coins, page_metadata):  # citing and exports
        module.setup(app)
    for module in (assets, bundles, descriptions, templatecache):  # what each HTML page loads, and how it is described
        module.setup(app)
    return {
        "version": sphinx.__display_version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
