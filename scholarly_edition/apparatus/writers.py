"""How each format writes the apparatus's nodes.

Each series has its own markup (classes, ARIA and EPUB roles, LaTeX
macros), so no reader or machine can take an editor's note for one of the
author's.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

from scholarly_edition.apparatus.model import SERIES
from scholarly_edition.apparatus.nodes import (
    editorial_backref,
    editorial_definition,
    editorial_entry,
    editorial_link,
    editorial_listing,
    editorial_mark,
    editorial_ref,
    editorial_xref,
)
from scholarly_edition.translators import SKIPPED, add_node, add_text, is_epub, through, uri

# -- HTML and EPUB


def visit_mark_html(self: Any, node: editorial_mark) -> None:
    self.body.append(self.starttag(node, "span", ""))


def depart_mark_html(self: Any, node: editorial_mark) -> None:
    self.body.append("</span>")


def visit_ref_html(self: Any, node: editorial_ref) -> None:
    """A marker whose sign is drawn by the stylesheet on the web, so that it is no part of the text.

    On the web the sign is ``data-mark``, shown by CSS: a selection, a copy,
    the search's snippets and any parser's text content then hold the
    author's words alone, and the link keeps its name (``aria-label``). The
    EPUB keeps the sign as text, since reading systems may not draw
    generated content.
    """
    series = SERIES[node["series"]]
    attributes: dict[str, str] = {"href": uri(self, node["refdoc"], node["refid"]), "aria-label": node["aria"]}
    if series.noteref:
        attributes["role"] = "doc-noteref"
        if is_epub(self):
            attributes["epub:type"] = "noteref"
    inner = self.encode(node.astext())
    if not is_epub(self):
        attributes["data-mark"] = node.astext()
        self.body.append(self.starttag(node, "a", "", **attributes) + "</a>")
        raise nodes.SkipNode
    self.body.append(self.starttag(node, "a", "", **attributes))
    self.body.append(f"<sup>{inner}</sup></a>" if series.noteref else f"{inner}</a>")
    raise nodes.SkipNode


def visit_listing_html(self: Any, node: editorial_listing) -> None:
    series = SERIES[node["series"]]
    attributes = {"aria-label": f"{series.title}s"}
    if series.listing_role:
        attributes["role"] = series.listing_role
    if series.listing_epub_type and is_epub(self):
        attributes["epub:type"] = series.listing_epub_type
    self.body.append(self.starttag(node, "section", **attributes))
    self.body.append('<ol class="editorial-list">\n')


def depart_listing_html(self: Any, node: editorial_listing) -> None:
    self.body.append("</ol>\n</section>\n")


def visit_entry_html(self: Any, node: editorial_entry) -> None:
    series = SERIES[node["series"]]
    attributes = {}
    if series.entry_epub_type and is_epub(self):
        attributes["epub:type"] = series.entry_epub_type
    self.body.append(self.starttag(node, "li", **attributes))


def depart_entry_html(self: Any, node: editorial_entry) -> None:
    self.body.append("</li>\n")


def visit_backref_html(self: Any, node: editorial_backref) -> None:
    attributes = {"href": uri(self, node["refdoc"], node["refid"]), "aria-label": node["aria"]}
    if is_epub(self):
        attributes["role"] = "doc-backlink"
    self.body.append(self.starttag(node, "a", "", CLASS="editorial-backref", **attributes))
    self.body.append(f"{self.encode(node.astext())}</a>")
    raise nodes.SkipNode


def visit_link_html(self: Any, node: editorial_link) -> None:
    self.body.append(
        self.starttag(node, "a", "", CLASS="editorial-link", href=uri(self, node["refdoc"], node["refid"]))
    )
    self.body.append(f"{self.encode(node.astext())}</a>")
    raise nodes.SkipNode


# -- LaTeX


def visit_link_latex(self: Any, node: editorial_link) -> None:
    self.body.append(self.hyperlink(f"{node['refdoc']}:{node['refid']}"))
    self.body.append(f"{self.encode(node.astext())}}}}}")
    raise nodes.SkipNode


def visit_mark_latex(self: Any, node: editorial_mark) -> None:
    for id_ in node["ids"]:
        self.body.append(self.hypertarget(id_, anchor=not self.in_caption))


def visit_ref_latex(self: Any, node: editorial_ref) -> None:
    series = SERIES[node["series"]]
    for id_ in node["ids"]:
        self.body.append(self.hypertarget(id_, anchor=not self.in_caption))
    self.body.append(self.hyperlink(f"{node['refdoc']}:{node['refid']}"))
    self.body.append(r"%s{%s}}}" % (series.latex_macro, self.encode(node.astext())))  # noqa: UP031 (TeX braces)
    raise nodes.SkipNode


def visit_listing_latex(self: Any, node: editorial_listing) -> None:
    self.body.append("\n\\begin{EditionApparatusList}\n")


def depart_listing_latex(self: Any, node: editorial_listing) -> None:
    self.body.append("\n\\end{EditionApparatusList}\n")


def visit_entry_latex(self: Any, node: editorial_entry) -> None:
    series = SERIES[node["series"]]
    label = self.encode(node["label"])
    link = self.hyperlink(f"{node['backdoc']}:{node['backid']}")
    macro = f"{series.latex_macro}Label{{{label}}}"
    self.body.append(f"\n\\item[{link}{macro}}}}}]{self.hypertarget(node['ids'][0])}")


def depart_entry_latex(self: Any, node: editorial_entry) -> None:
    self.body.append("\n")


def add_nodes(app: Sphinx) -> None:
    text = (add_text, None)
    unmarked = {"man": SKIPPED, "texinfo": SKIPPED}  # a marker alone means nothing in a man page
    add_node(app, editorial_mark, html=(visit_mark_html, depart_mark_html), latex=(visit_mark_latex, through))
    add_node(app, editorial_ref, html=(visit_ref_html, None), latex=(visit_ref_latex, None), text=text, **unmarked)
    add_node(
        app,
        editorial_listing,
        html=(visit_listing_html, depart_listing_html),
        latex=(visit_listing_latex, depart_listing_latex),
    )
    add_node(
        app, editorial_entry, html=(visit_entry_html, depart_entry_html), latex=(visit_entry_latex, depart_entry_latex)
    )
    # in print the list item's label links back
    add_node(app, editorial_backref, html=(visit_backref_html, None), latex=SKIPPED, text=text, **unmarked)
    add_node(app, editorial_link, html=(visit_link_html, None), latex=(visit_link_latex, None), text=text)
    app.add_node(editorial_xref)
    app.add_node(editorial_definition)
