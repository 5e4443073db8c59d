"""What a source may hold that reaches a reader: links to the web or the edition itself, and no raw HTML.

Every link is checked where it is written, so a ``javascript:`` or
``data:`` URL in the essay stops the build at its line instead of becoming
a live link in the HTML and EPUB. Raw HTML is refused for the same reason,
and because the EPUB must stay well-formed XHTML: the edition's own roles
and directives say everything the essay needs.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from docutils import nodes
from sphinx.application import Sphinx

from scholarly_edition.errors import report
from scholarly_edition.problems import Problem
from scholarly_edition.text.domain import text_domain

SCHEMES = frozenset({"http", "https"})
"""The schemes a link may have; a link without one points into the edition."""


def link_problem(uri: str) -> str | None:
    """Why ``uri`` may not be a link, or None."""
    if any(not c.isprintable() for c in uri):
        return f"the link {uri!r} holds a control character"
    parts = urlsplit(uri)
    if (parts.scheme or parts.netloc) and parts.scheme.lower() not in SCHEMES:
        return f"the link {uri!r} is not http(s): only web links and links into the edition are published"
    return None


def check(app: Sphinx, doctree: nodes.document) -> None:
    """Report every link and raw block a document may not publish; the build stops once all are read."""
    found = False
    for reference in doctree.findall(nodes.reference):
        if "refuri" in reference and (problem := link_problem(reference["refuri"])):
            report(Problem.MARKUP, problem, location=reference)
            found = True
    for raw in doctree.findall(nodes.raw):  # HTML, LaTeX or any other: conf.py's preamble is the only raw code
        kind = raw.get("format") or "markup"
        report(Problem.MARKUP, f"raw {kind} is not published: {raw.astext()[:40]!r}", location=raw)
        found = True
    if found:
        text_domain(app.env).fail(app.env.docname)


def setup(app: Sphinx) -> None:
    app.connect("doctree-read", check)
