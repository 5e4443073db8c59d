"""The title page, made from the edition's metadata in ``conf.py``.

``{edition-titlepage}`` sets the title, the author, the edition statement
and version, the date of this edition, who prepared it, and how to cite it.
Nothing on it is typed in the page source: change ``version`` or
``edition_date`` in ``conf.py`` and the title page, the PDF and EPUB
metadata and the citation change with it. The citation is formatted by the
same record as the cite page, in its first style (:mod:`edition.citing`).

In the PDF the title page is a page of its own followed by the contents
(``conf.py`` turns off Sphinx's own ``\\maketitle`` for this reason).
"""

from __future__ import annotations

import datetime as dt

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import SphinxError
from sphinx.util.docutils import SphinxDirective, SphinxRole, SphinxTranslator

from . import pandoc_ast

class titlepage(nodes.General, nodes.Element):
    """The title page's block."""


class edition_citation(nodes.Inline, nodes.Element):
    """The citation of this edition, filled once the CSL processor has run."""


def long_date(iso: str) -> str:
    """``2026-11-25`` → ``25 November 2026`` (British order, as the edition's language)."""
    date = dt.date.fromisoformat(iso)
    return f"{date.day} {date:%B} {date.year}"


META = {
    "title": lambda c: c.edition_title,
    "subtitle": lambda c: c.edition_subtitle,
    "author": lambda c: f"{c.edition_author['given']} {c.edition_author['family']}",
    "statement": lambda c: c.edition_statement,
    "version": lambda c: c.version,
    "date": lambda c: long_date(c.edition_date),
    "contributors": lambda c: c.edition_contributors,
}


class MetaRole(SphinxRole):
    """``{edition-meta}`version```: a value of the edition's metadata, never retyped."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        name = self.text.strip()
        if name not in META:
            msg = self.inliner.reporter.error(
                f"{{edition-meta}} knows {', '.join(META)}, not {name!r}", line=self.lineno
            )
            return [nodes.problematic(self.rawtext, self.rawtext)], [msg]
        value = META[name](self.config)
        return [nodes.inline(value, value, classes=["edition-meta"])], []


class TitlePageDirective(SphinxDirective):
    def run(self) -> list[nodes.Node]:
        c = self.config
        page = titlepage(classes=["edition-titlepage"])

        def line(cls: str, *children: nodes.Node) -> nodes.container:
            return nodes.container("", nodes.paragraph("", "", *children), classes=[cls])

        only = addnodes.only(expr="latex")  # in HTML the page's own heading is the title
        only += line("titlepage-title", nodes.Text(c.edition_title))
        page += only
        page += line("titlepage-subtitle", nodes.Text(c.edition_subtitle))
        page += line("titlepage-author", nodes.Text(f"{c.edition_author['given']} {c.edition_author['family']}"))
        page += line("titlepage-statement", nodes.Text(c.edition_statement))
        page += line("titlepage-version", nodes.Text(f"Version {c.version}, {long_date(c.edition_date)}"))
        page += line("titlepage-contributors", nodes.Text(f"Prepared by {c.edition_contributors}"))
        page += line("titlepage-cite", nodes.strong("", "How to cite: "), edition_citation())
        self.set_source_info(page)
        return [page]


def fill(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """The citation is the cite page's own Chicago entry: one record, one formatting."""
    citations = list(doctree.findall(edition_citation))
    if not citations:
        return
    citing = getattr(app.env, "edition_citing", None)
    if not citing:
        raise SphinxError("the title page cites the edition, but edition_essay_doc names no essay to cite")
    entry = citing["styles"][0]["bibliography"]
    for node in citations:
        node.replace_self(nodes.inline("", "", *pandoc_ast.to_nodes(entry), classes=["edition-citation"]))


def visit_html(self: SphinxTranslator, node: titlepage) -> None:
    self.body.append(self.starttag(node, "div"))


def depart_html(self: SphinxTranslator, node: titlepage) -> None:
    self.body.append("</div>\n")


def visit_latex(self: SphinxTranslator, node: titlepage) -> None:
    self.body.append("\n\\begin{EditionTitlePage}\n")


def depart_latex(self: SphinxTranslator, node: titlepage) -> None:
    self.body.append("\n\\end{EditionTitlePage}\n\\sphinxtableofcontents\n")


def visit_pass(self: SphinxTranslator, node: nodes.Node) -> None:
    pass


def setup(app: Sphinx) -> None:
    for name, default in (
        ("edition_title", ""),
        ("edition_subtitle", ""),
        ("edition_author", {"given": "", "family": ""}),
        ("edition_contributors", ""),
        ("edition_statement", ""),
        ("edition_date", "1970-01-01"),
    ):
        if name not in app.config:  # other modules read the same metadata
            app.add_config_value(name, default, "env", type(default))
    app.add_node(
        titlepage,
        html=(visit_html, depart_html),
        latex=(visit_latex, depart_latex),
        text=(visit_pass, visit_pass),
    )
    app.add_node(edition_citation)
    app.add_directive("edition-titlepage", TitlePageDirective)
    app.add_role("edition-meta", MetaRole())
    app.connect("doctree-resolved", fill)
