"""Linking the apparatus when a document is resolved.

Each mark gets a link to its note, each note a link back, and each listing
is filled in text order. This runs after the author's notes are filled, so
a textual note on an author's note can be attached to that note.
"""

from __future__ import annotations

from collections.abc import Callable

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders.latex.nodes import footnotetext

from scholarly_edition import ids
from scholarly_edition.apparatus import commentary, textual
from scholarly_edition.apparatus import nodes as apparatus_nodes
from scholarly_edition.apparatus.domain import apparatus
from scholarly_edition.apparatus.model import SERIES, Placed
from scholarly_edition.apparatus.nodes import editorial_definition, editorial_listing, editorial_ref
from scholarly_edition.errors import report
from scholarly_edition.problems import Problem

Renderer = Callable[[Sphinx, Placed, editorial_definition | None], list[nodes.Node]]
RENDER: dict[str, Renderer] = {"tn": textual.render, "ed": commentary.render}


def resolve(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Link marks to notes and fill listings (after the author's notes are filled)."""
    domain = apparatus(app.env)
    for node in list(doctree.findall(apparatus_nodes.editorial_mark)):
        entry = domain.placed(node["series"]).get(node["key"])
        if entry is None:
            continue
        node["ids"] = [entry.mark_id]
        node["classes"] += ["editorial-lemma", f"{entry.series}-lemma", *entry.classes]
        index = node.parent.index(node) + 1
        # the editor's marker never comes between the author's words and the author's note number
        while index < len(node.parent) and isinstance(node.parent[index], nodes.footnote_reference):
            index += 1
        node.parent.insert(index, marker(entry, with_id=False))
    # the page's footnotes by id, found in one pass, not one pass per note (an edition may have thousands);
    # in LaTeX a note in a caption has become a footnotetext, set after the figure
    footnotes: dict[str, list[nodes.Element]] = {}
    for footnote in doctree.findall(nodes.Element):
        if not isinstance(footnote, (nodes.footnote, footnotetext)):
            continue
        for id_ in footnote["ids"]:
            footnotes.setdefault(id_, []).append(footnote)
    for series in SERIES.values():
        for entry in domain.placed(series.name).values():
            if entry.note is None:
                continue
            for footnote in footnotes.get(ids.note(entry.note), []):
                paragraphs = list(footnote.findall(nodes.paragraph))
                target: nodes.Element = paragraphs[-1] if paragraphs else footnote
                target.append(nodes.Text("\u00a0"))  # a no-break space: the mark never begins a line
                target.append(marker(entry, with_id=True))
    for listing in list(doctree.findall(editorial_listing)):
        listing.replace_self(fill_listing(app, listing))
    for xref in list(doctree.findall(apparatus_nodes.editorial_xref)):
        series = SERIES[xref["series"]]
        entry = domain.placed(series.name).get(xref["key"])
        if entry is None or entry.definition is None:
            report(Problem.APPARATUS, f"no {series.noun} with key {xref['key']!r}", location=xref)
            xref.replace_self(nodes.Text(xref["key"]))
            continue
        text = f"{series.noun} {entry.label}"
        xref.replace_self(
            apparatus_nodes.editorial_link(
                text, text, refdoc=entry.definition.docname, refid=ids.entry(series.name, entry.anchor)
            )
        )


def marker(entry: Placed, *, with_id: bool) -> editorial_ref:
    series = SERIES[entry.series]
    text = series.marker_text(entry.label)
    node = editorial_ref(
        text,
        text,
        series=series.name,
        refdoc=entry.definition.docname if entry.definition else "",
        refid=ids.entry(series.name, entry.anchor),
        aria=f"{series.title} {entry.label}",
        classes=["editorial", *series.classes],
    )
    if with_id:
        node["ids"] = [entry.mark_id]
    return node


def fill_listing(app: Sphinx, listing: editorial_listing) -> nodes.Element:
    series = SERIES[listing["series"]]
    definitions = {d["key"]: d for d in listing.findall(editorial_definition)}
    entries = sorted(apparatus(app.env).placed(series.name).values(), key=lambda p: p.number)
    out = editorial_listing(series=series.name, classes=["editorial", f"{series.name}-listing"])
    for entry in entries:
        item = apparatus_nodes.editorial_entry(
            series=series.name,
            label=entry.label,
            backdoc=entry.mark_doc,
            backid=entry.mark_id,
            ids=[ids.entry(series.name, entry.anchor)],
            classes=["editorial", f"{series.name}-entry", *entry.classes],
        )
        content = RENDER[series.name](app, entry, definitions.get(entry.key))
        back = apparatus_nodes.editorial_backref(
            entry.label,
            entry.label,
            series=series.name,
            refdoc=entry.mark_doc,
            refid=entry.mark_id,
            aria=f"Back to the text of {series.noun} {entry.label}",
        )
        if content and isinstance(content[0], nodes.paragraph):
            content[0].insert(0, nodes.Text(" "))
            content[0].insert(0, back)
        item.extend(content)
        out += item
    return out
