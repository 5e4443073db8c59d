"""Put the essay's metadata into the ``<head>`` of its HTML page.

The tags themselves are made by :mod:`scholarly_edition.bibliography.metatags` from the essay's
record and ``references.json``'s items; this module only places them, in
the way sphinxext-opengraph does: appended to ``context["metatags"]`` in
``html-page-context``. It also tells sphinxext-opengraph that the essay
page is a book (``og:type``), which decides Zotero's item type, and drops
its ``og:url`` when there is no base URL, since Open Graph wants that URL
absolute and the edition never invents a host.
"""

from __future__ import annotations

import html
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinxext.opengraph import make_tag

from scholarly_edition.bibliography import exports, metatags
from scholarly_edition.citing import hosting
from scholarly_edition.citing.domain import citing_domain
from scholarly_edition.config import settings
from scholarly_edition.text.domain import text_domain
from scholarly_edition.text.works import csl_items


def before_opengraph(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """Per-page fields sphinxext-opengraph honours: the essay's ``og:type``, and descriptions.

    sphinxext-opengraph otherwise describes a page by its first words, which
    on the essay page are the byline, the dateline and an image notice; a
    page that has its own ``description`` is described by that instead.
    """
    if app.builder.name != "html" or doctree is None:
        return
    fields = dict(context.get("meta") or {})
    description = next((m.get("content") for m in doctree.findall(nodes.meta) if m.get("name") == "description"), None)
    if description and "og:description" not in fields:
        fields["og:description"] = html.escape(description, quote=False)
    essay_doc = settings(app.config).essay_doc
    if essay_doc and pagename == essay_doc:
        fields["og:type"] = metatags.ZOTERO_TYPE
    context["meta"] = fields


def cited_items(env: Any, docname: str) -> list[dict[str, Any]]:
    """The works the essay cites (its notes and its citations in running text), in refs.bib's order.

    refs.bib may hold more; the page's metadata says what this essay cites, nothing else.
    """
    domain = text_domain(env)
    cited = {c.key for c in (*domain.cites.get(docname, []), *domain.inline.get(docname, []))}
    return [item for item in csl_items(env) if item["id"] in cited]


def after_opengraph(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """Add the citation metadata to the essay page; drop a relative ``og:url`` anywhere."""
    if app.builder.name != "html" or doctree is None:
        return
    if not hosting.base_url(app.config):
        url_tag = make_tag("og:url", app.builder.get_target_uri(pagename))
        context["metatags"] = context.get("metatags", "").replace(url_tag + "\n", "")
    citing = citing_domain(app.env).citing
    if not citing or pagename != citing.essay_doc:
        return
    essay, original = citing.items[0], citing.items[1]
    references = cited_items(app.env, citing.essay_doc)
    title = citing.title
    html_url = citing.essay_url
    edition = settings(app.config)
    stem = edition.download_stem
    pdf_url = hosting.absolute(app.config, f"{stem}.pdf")
    epub_url = hosting.absolute(app.config, f"{stem}.epub")
    identifier = edition.identifier or None
    pathto = context["pathto"]
    head = [
        metatags.link_html("schema.DC", "http://purl.org/dc/elements/1.1/"),
        metatags.meta_html(metatags.dublin_core(title, essay, identifier, html_url=html_url)),
        metatags.meta_html(metatags.highwire(title, essay, references, html_url=html_url, pdf_url=pdf_url)),
        metatags.meta_html(metatags.edition_statement(essay, edition.subject or None)),
        metatags.link_html(
            "alternate",
            pathto(exports.ESSAY_JSON, 1),
            exports.MEDIA_TYPES[exports.ESSAY_JSON],
            "CSL-JSON of this essay",
        ),
        metatags.json_ld_html(
            metatags.json_ld(
                title,
                essay,
                original,
                references,
                identifier,
                html_url=html_url,
                encodings=[("application/pdf", pdf_url), ("application/epub+zip", epub_url)],
            )
        ),
    ]
    context["metatags"] = context.get("metatags", "") + "".join(head)


def setup(app: Sphinx) -> None:
    app.connect("html-page-context", before_opengraph, priority=400)
    app.connect("html-page-context", after_opengraph, priority=600)
