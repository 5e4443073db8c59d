"""What the published site asks of a browser: a strict Content-Security-Policy, no referrer.

The pages load nothing from any other origin and run no inline code but two
small blocks from the furo theme, so the policy can forbid everything else;
the two inline ``style`` attributes furo writes are allowed by hash.
It is served as HTTP headers (the README gives them; the tests serve the
built site with exactly these); only the referrer policy is also written
into every page, because a ``<meta>`` can carry it wherever the site is hosted.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the preview's server reads the policy without loading Sphinx
    from sphinx.application import Sphinx
    from sphinx.config import Config

CONTENT_SECURITY_POLICY: dict[str, str] = {
    "default-src": "'none'",
    # furo's one inline script: it sets the colour theme before the page is painted
    "script-src": "'self' 'sha256-ySvT2PEZeueHGC1y2crNuNTfphBynFPP7i+U21fEgX0='",
    # furo's inline <style>: the code-block colours of the light and dark themes
    "style-src": "'self' 'sha256-XWNpikcIxBYLwa+33Jaxv/CNbA81IPMijMNljM4Yapo='",
    # furo's SVG icons: style="display: none;" and style="opacity: 50%" (the index page is a list, styled
    # by the package's edition-index.css, not Sphinx's table with its style attributes)
    "style-src-attr": (
        "'unsafe-hashes' 'sha256-biLFinpqYMtWHmXfkA1BPeCY0/fNt46SAZ+BBk5YUog=' "
        "'sha256-83NYGez0F0LlY/TNwRZh3Un4QbaPeFy2ne6VkVku4a4='"
    ),
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",  # the search page fetches the pages it summarises
    "form-action": "'self'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
}
"""The policy, directive by directive; a hash names the exact inline text it allows."""

REFERRER_POLICY = "no-referrer"
"""A reader who follows a link to a cited source does not tell it where they came from."""


def content_security_policy() -> str:
    """The policy as one header value."""
    return "; ".join(f"{name} {value}" for name, value in CONTENT_SECURITY_POLICY.items())


def headers() -> dict[str, str]:
    """The HTTP headers to serve the HTML edition with."""
    return {
        "Content-Security-Policy": content_security_policy(),
        "Referrer-Policy": REFERRER_POLICY,
        "X-Content-Type-Options": "nosniff",
    }


def escape_metadata(app: Sphinx, config: Config) -> None:
    """conf.py's names are text; where a template or extension prints them as they stand, escape them first.

    sphinxext-opengraph escapes only the quotes of ``og:site_name``.
    """
    if "ogp_site_name" in config and config.ogp_site_name is None:
        config.ogp_site_name = html.escape(config.project, quote=False)


def page_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    if app.builder.format != "html":
        return
    # furo writes the title into the brand of every page as it stands; the
    # templates that escape it first strip tags, which reads entities back
    if context.get("docstitle"):
        context["docstitle"] = html.escape(context["docstitle"], quote=False)
    if app.builder.name.startswith("epub"):
        return  # an EPUB is read offline, with no server and no referrer
    context["metatags"] = context.get("metatags", "") + f'\n<meta name="referrer" content="{REFERRER_POLICY}">'
    if app.config.language.split("_")[0] == "en":
        # Sphinx's English messages are the source strings, so the catalogue
        # adds nothing, and its plural rule is compiled with `new Function`,
        # which the policy above (rightly) forbids.
        context["script_files"] = [
            js for js in context["script_files"] if str(getattr(js, "filename", js)) != "_static/translations.js"
        ]


def setup(app: Sphinx) -> None:
    app.connect("config-inited", escape_metadata)
    app.connect("html-page-context", page_context)
