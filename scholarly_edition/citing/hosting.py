"""Where the edition is hosted, and so which absolute URLs it may print.

A citation, ``citation_pdf_url`` or an export that names the edition's URL
must name the real one. It comes from configuration alone: ``html_baseurl``
in ``conf.py``, or else the canonical URL that Read the Docs puts in the
build environment (``READTHEDOCS_CANONICAL_URL``). Without either, the
edition uses relative links where a format allows them and leaves out what
needs an absolute URL; it never guesses a host.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ConfigError

READTHEDOCS_VARIABLE = "READTHEDOCS_CANONICAL_URL"


def normalise_base(value: str, source: str) -> str:  # source: "conf.py: html_baseurl", say
    """``value`` as a base URL ending in ``/``; a relative or non-web URL is an error."""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"{source} = {value!r}: an absolute http(s) URL is needed, or leave it empty")
    if parts.query or parts.fragment:
        raise ConfigError(f"{source} = {value!r}: a base URL has no query or fragment")
    return value if value.endswith("/") else value + "/"


def base_url(config: Config) -> str | None:
    """The edition's base URL (ending in ``/``), or ``None`` when none is configured."""
    value = config.html_baseurl or ""
    return value or None


def absolute(config: Config, path: str) -> str | None:
    """``path`` (relative to the HTML root) as an absolute URL, or ``None`` without a base."""
    base = base_url(config)
    return urljoin(base, path) if base else None


def resolve(app: Sphinx, config: Config) -> None:
    """Settle ``html_baseurl`` once, so that Sphinx's canonical link and ours agree."""
    if config.html_baseurl:
        config.html_baseurl = normalise_base(config.html_baseurl, f"{Path(app.confdir, 'conf.py')}: html_baseurl")
    elif os.environ.get(READTHEDOCS_VARIABLE):
        config.html_baseurl = normalise_base(os.environ[READTHEDOCS_VARIABLE], READTHEDOCS_VARIABLE)
    if "ogp_site_url" in config:
        if config.ogp_site_url:
            config.ogp_site_url = normalise_base(config.ogp_site_url, f"{Path(app.confdir, 'conf.py')}: ogp_site_url")
        elif config.html_baseurl:
            config.ogp_site_url = config.html_baseurl


def setup(app: Sphinx) -> None:
    app.connect("config-inited", resolve, priority=100)
