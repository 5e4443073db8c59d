"""The index page as a reader of an edition uses it: ¶ numbers in text order, and a place in the reading order.

Sphinx's index page gives a heading's first link its own text and the rest
``[1] [2] [3]``, sorted by their URLs (so ``index-10`` comes before
``index-2``). An edition cites by paragraph, so each locator here reads as
the place of the word it links to (``¶ 7``, ``caption after ¶ 2``), one per
place, in the order of the text; a locator on another page (a glossary
term's definition) reads as that page's title, and a cross-reference
(``IS; see Islamic State``) follows the locators, unlinked, as "see …". The package's
``genindex.html`` prints these locators, in furo's page and in the EPUB's.

The index is also the last page of the reading order: the last page's
"Next" leads to it and its "Previous" back, as furo's page footer shows.
"""

from __future__ import annotations

import html
from typing import Any, NamedTuple

from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform

from scholarly_edition.apparatus.placing import doc_order
from scholarly_edition.text.mentions import mentions_domain

GENINDEX = "genindex"
STYLESHEET = "edition-index.css"


class Locator(NamedTuple):
    """One link of an index entry: what it reads, where it goes, and whether it is the main one."""

    label: str
    uri: str
    main: bool


def _key(uri: str) -> tuple[str, str]:
    path, _, fragment = uri.partition("#")
    return path, fragment


def locators(
    links: list[tuple[Any, str]],
    located: dict[tuple[str, str], tuple[int, str]],
    titles: dict[str, str],
    order: dict[str, int],
) -> list[Locator]:
    """An entry's links as locators: places in the text first, in text order, one per place; then other pages.

    ``located`` maps (page URI, fragment) to (position in the text, place);
    ``titles`` maps a page URI to its title; ``order`` a page URI to its
    place in the reading order.
    """
    in_text: dict[tuple[str, str], tuple[tuple[int, int], Locator]] = {}
    elsewhere: dict[str, tuple[int, Locator]] = {}
    for main, uri in links:
        path, fragment = _key(uri)
        if (path, fragment) in located:
            position, place = located[(path, fragment)]
            sort = (order.get(path, len(order)), position)
            known = in_text.get((path, place))
            if known is None or sort < known[0]:
                in_text[(path, place)] = (sort, Locator(place, uri, bool(main)))
        elif path not in elsewhere or main:
            elsewhere[path] = (order.get(path, len(order)), Locator(titles.get(path, path), uri, bool(main)))
    return [loc for _, loc in sorted(in_text.values())] + [loc for _, loc in sorted(elsewhere.values())]


def _see(subentry: str) -> str:
    """The heading a "see" cross-reference sends the reader to (Sphinx gives it as a subentry without links)."""
    return subentry.removeprefix("see ") if subentry.startswith("see ") else ""


def _relabel(app: Sphinx, entries: list[Any]) -> list[Any]:
    env, builder = app.env, app.builder
    uri_of = {doc: builder.get_target_uri(doc) for doc in env.found_docs}
    domain = mentions_domain(env)
    located = {
        (uri_of[doc], target): (position, mention.location)
        for (doc, target), (position, mention) in domain.located().items()
        if doc in uri_of
    }
    titles = {uri_of[doc]: title.astext() for doc, title in env.titles.items() if doc in uri_of}
    order = {uri_of[doc]: n for n, doc in enumerate(doc_order(env, env.found_docs))}

    def relabel(links: list[tuple[Any, str]]) -> list[Locator]:
        return locators(links, located, titles, order)

    out = []
    for letter, group in entries:
        rows = []
        for name, (links, subitems, category) in group:
            subs = [(sub, relabel(sublinks)) for sub, sublinks in subitems if sublinks or not _see(sub)]
            sees = [Locator(_see(sub), "", False) for sub, sublinks in subitems if not sublinks and _see(sub)]
            rows.append((name, (relabel(links) + sees, subs, category)))
        out.append((letter, rows))
    return out


def _last_page(app: Sphinx) -> str | None:
    """The last page of the reading order (the toctree's, from the root), which the index follows."""
    env = app.env
    listed = {env.config.root_doc} | {doc for children in env.toctree_includes.values() for doc in children}
    pages = [doc for doc in doc_order(env, env.found_docs) if doc in listed]
    return pages[-1] if pages else None


def page_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    if not getattr(app.builder, "use_index", False):
        return
    pathto = context.get("pathto")
    if pagename == GENINDEX and "genindexentries" in context:
        context["genindexentries"] = _relabel(app, context["genindexentries"])
        last = _last_page(app)
        if last and pathto is not None:
            title = app.env.titles[last].astext()
            context["prev"] = {"link": pathto(last), "title": html.escape(title)}
    elif pagename == _last_page(app) and pathto is not None and not context.get("next"):
        context["next"] = {"link": pathto(GENINDEX), "title": "Index"}


class IndexInContentsOnly(SphinxTransform):
    """``genindex`` in a toctree: a link in the contents, not a file to include.

    Sphinx lists it among a toctree's files to include as well as its
    entries, so the LaTeX builder, which inlines every included file, warns
    that it does not exist (sphinx-doc/sphinx#13733). The entries alone make
    the link in the HTML contents and furo's sidebar.
    """

    default_priority = 100

    def apply(self, **kwargs: Any) -> None:
        for toctree in self.document.findall(addnodes.toctree):
            toctree["includefiles"] = [f for f in toctree["includefiles"] if f != GENINDEX]


def setup(app: Sphinx) -> None:
    app.add_css_file(STYLESHEET)  # the index page, and the word an index link leads to on the essay's
    app.add_transform(IndexInContentsOnly)
    app.connect("html-page-context", page_context)
