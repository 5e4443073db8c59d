"""scholarly_edition: a Sphinx extension for a scholarly edition of one essay.

Its subpackages follow the pipeline: ``bibliography`` (pure data, no
Sphinx), ``text`` (the author's words and notes), ``apparatus`` (the
editor's), ``citing`` (the record, the cite page, the exports) and
``formats`` (HTML, EPUB, LaTeX); ``build`` runs every format at once.
The subpackages are imported when Sphinx sets the extension up, not when
the package is: ``python -m scholarly_edition.build`` starts its builders
sooner for not loading Sphinx itself first.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.util.typing import ExtensionMetadata

__version__ = "1.0.0"

HERE = Path(__file__).parent
STATIC = HERE / "static"
TEMPLATES = HERE / "templates"
ENV_VERSION = 2
"""The version of the edition's environment data; a change of records invalidates old pickles."""


def add_package_files(app: Sphinx, config: Config) -> None:
    """The extension's own stylesheets, script and templates, found by every project that uses it.

    The paths are relative to conf.py, as Sphinx reads them: an absolute path
    would put the checkout's location into the config hash that .buildinfo
    publishes. The project's own static files come after, and so win.
    """
    config.templates_path = [*config.templates_path, os.path.relpath(TEMPLATES, app.confdir)]
    config.html_static_path = [os.path.relpath(STATIC, app.confdir), *config.html_static_path]


def setup(app: Sphinx) -> ExtensionMetadata:
    from scholarly_edition import apparatus, citing, config, formats, text

    config.setup(app)
    app.connect("config-inited", add_package_files)
    for subpackage in (text, apparatus, citing, formats):
        subpackage.setup(app)
    return {
        "version": __version__,
        "env_version": ENV_VERSION,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
