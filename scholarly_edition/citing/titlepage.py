"""The title page, made from the edition's metadata in ``conf.py``.

``{edition-titlepage}`` sets the title, the author, the edition statement
and version, the date of this edition, who prepared it, and how to cite it.
Nothing on it is typed in the page source: change ``version`` or
``edition_date`` in ``conf.py`` and the title page, the PDF and EPUB
metadata and the citation change with it. The citation is formatted by the
same record as the cite page, in its first style (:mod:`scholarly_edition.citing`).

In the PDF the title page is a page of its own followed by the contents
(``conf.py`` turns off Sphinx's own ``\\maketitle`` for this reason).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective, SphinxRole

from scholarly_edition.citing.domain import citing_domain
from scholarly_edition.config import EditionConfig, settings
from scholarly_edition.errors import report, stop
from scholarly_edition.problems import Problem
from scholarly_edition.text import pandoc_ast
from scholarly_edition.translators import add_node


class titlepage(nodes.General, nodes.Element):
    """The title page's block."""


class edition_citation(nodes.Inline, nodes.Element):
    """The citation of this edition, filled once the CSL processor has run."""


def long_date(iso: str) -> str:
    """``2026-11-25`` → ``25 November 2026`` (British order, as the edition's language)."""
    date = dt.date.fromisoformat(iso)
    return f"{date.day} {date:%B} {date.year}"


META: dict[str, Callable[[EditionConfig, Any], str]] = {
    "title": lambda s, c: s.title,
    "subtitle": lambda s, c: s.subtitle,
    "author": lambda s, c: s.author_name,
    "statement": lambda s, c: s.statement,
    "version": lambda s, c: c.version,
    "date": lambda s, c: long_date(s.date),
    "contributors": lambda s, c: s.contributors,
}


class MetaRole(SphinxRole):
    """``{edition-meta}`version```: a value of the edition's metadata, never retyped."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        name = self.text.strip()
        if name not in META:
            report(
                Problem.MARKUP, f"{{edition-meta}} knows {', '.join(META)}, not {name!r}", location=self.get_location()
            )
            return [nodes.problematic(self.rawtext, self.rawtext)], []
        value = META[name](settings(self.config), self.config)
        return [nodes.inline(value, value, classes=["edition-meta"])], []


class TitlePageDirective(SphinxDirective):
    def run(self) -> list[nodes.Node]:
        c = settings(self.config)
        page = titlepage(classes=["edition-titlepage"])

        def line(cls: str, *children: nodes.Node) -> nodes.container:
            return nodes.container("", nodes.paragraph("", "", *children), classes=[cls])

        only = addnodes.only(expr="latex")  # in HTML the page's own heading is the title
        only += line("titlepage-title", nodes.Text(c.title))
        page += only
        page += line("titlepage-subtitle", nodes.Text(c.subtitle))
        page += line("titlepage-author", nodes.Text(c.author_name))
        page += line("titlepage-statement", nodes.Text(c.statement))
        page += line("titlepage-version", nodes.Text(f"Version {self.config.version}, {long_date(c.date)}"))
        page += line("titlepage-contributors", nodes.Text(f"Prepared by {c.contributors}"))
        page += line("titlepage-cite", nodes.strong("", "How to cite: "), edition_citation())
        self.set_source_info(page)
        return [page]


def fill(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """The citation is the cite page's own Chicago entry: one record, one formatting."""
    citations = list(doctree.findall(edition_citation))
    if not citations:
        return
    citing = citing_domain(app.env).citing
    if citing is None:
        report(
            Problem.CITE_PAGE,
            "the title page cites the edition, but conf.py names no edition_essay_doc",
            location=citations[0],
        )
        stop(Problem.CITE_PAGE, "the title page above has no citation to show")
    entry = citing.styles[0].bibliography
    for node in citations:
        node.replace_self(nodes.inline("", "", *pandoc_ast.to_nodes(entry), classes=["edition-citation"]))


def visit_html(self: Any, node: titlepage) -> None:
    self.body.append(self.starttag(node, "div"))


def depart_html(self: Any, node: titlepage) -> None:
    self.body.append("</div>\n")


def visit_latex(self: Any, node: titlepage) -> None:
    self.body.append("\n\\begin{EditionTitlePage}\n")


def depart_latex(self: Any, node: titlepage) -> None:
    self.body.append("\n\\end{EditionTitlePage}\n\\sphinxtableofcontents\n")


def setup(app: Sphinx) -> None:
    add_node(app, titlepage, html=(visit_html, depart_html), latex=(visit_latex, depart_latex))
    app.add_node(edition_citation)
    app.add_directive("edition-titlepage", TitlePageDirective)
    app.add_role("edition-meta", MetaRole())
    app.connect("doctree-resolved", fill)
