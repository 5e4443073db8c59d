"""Editorial marks in the text, and the lists of notes they point to.

The edition has two series of editorial notes beside the author's own
numbered notes: the textual notes (:mod:`edition.apparatus`) and the
explanatory commentary (:mod:`edition.commentary`). Both work the same way,
so the machinery is here once:

* a *mark* is a place in the essay the editor comments on (a role in the
  text, optionally wrapping the words it concerns, the *lemma*);
* a *definition* is the editor's note on it, written on the series' own page
  inside the series' listing directive;
* after all documents are read, the marks are put in text order, numbered
  (or lettered), and each is given its place in the text (¶ number, note,
  caption) from the paragraph ids ``p-N`` that the paragraph-numbering
  transform sets;
* when a document is resolved, each mark gets a link to its note, the note a
  link back, and the listing is filled in text order.

Every editorial marker carries the class ``editorial``, so that anything
comparing the essay's words with the copy-text can leave it out, and each
series has its own markup (classes, ARIA and EPUB roles, LaTeX macros) so
no reader or machine can take an editor's note for one of the author's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.errors import SphinxError
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective, SphinxRole, SphinxTranslator

logger = logging.getLogger(__name__)

_MARK = re.compile(r"^(?:(?P<lemma>.*?)\s*<(?P<key>[a-z0-9][a-z0-9-]*)>|(?P<point>[a-z0-9][a-z0-9-]*))$", re.DOTALL)
_PARA_ID = re.compile(r"^p-(\d+)$")
_NOTE_ID = re.compile(r"^note-(\d+)$")


class ApparatusError(SphinxError):
    category = "Editorial apparatus error"


# -- Nodes ---------------------------------------------------------------------


class editorial_mark(nodes.Inline, nodes.TextElement):
    """Words of the text (possibly none) that an editorial note concerns."""


class editorial_ref(nodes.Inline, nodes.TextElement):
    """The marker that links a mark to its editorial note."""


class editorial_xref(nodes.Inline, nodes.TextElement):
    """A reference to an editorial note by key (``{tn-ref}`key```): "textual note 7"."""


class editorial_link(nodes.Inline, nodes.TextElement):
    """A resolved link to an editorial note or mark, in every format."""


class editorial_definition(nodes.General, nodes.Element):
    """An editorial note as written, before it is put in order."""


class editorial_listing(nodes.General, nodes.Element):
    """Where a series of editorial notes is listed."""


class editorial_entry(nodes.General, nodes.Element):
    """One editorial note in its listing."""


class editorial_backref(nodes.Inline, nodes.TextElement):
    """An editorial note's number or letter, linking back to its mark."""


# -- Series --------------------------------------------------------------------


@dataclass(frozen=True)
class Series:
    """One kind of editorial note: how it is named, numbered and marked up."""

    name: str                 # "tn", "ed": also the role's name
    title: str                # "Textual note", "Editorial note"
    entry_prefix: str         # id of a note in its listing: f"{entry_prefix}{label}"
    mark_prefix: str          # id of a mark in the text: f"{mark_prefix}{key}"
    classes: tuple[str, ...]  # classes of the marker, beside "editorial"
    latex_macro: str          # LaTeX command that typesets the marker
    label: Callable[[int], str]
    marker_text: Callable[[str], str]
    render: Callable[[Sphinx, "Placed", editorial_definition | None], list[nodes.Node]]
    noteref: bool = False     # the marker is a note reference (ARIA/EPUB noteref)
    listing_role: str = ""    # ARIA role of the listing section
    listing_epub_type: str = ""
    entry_epub_type: str = ""


SERIES: dict[str, Series] = {}


def register(series: Series) -> None:
    SERIES[series.name] = series


def letters(number: int) -> str:
    """1 → a, 26 → z, 27 → aa: the letters of editorial commentary."""
    out = ""
    while number:
        number, rest = divmod(number - 1, 26)
        out = chr(ord("a") + rest) + out
    return out


# -- Collected data ------------------------------------------------------------


@dataclass
class Mark:
    series: str
    key: str
    docname: str
    lemma: str
    source: str
    line: int


@dataclass
class Definition:
    series: str
    key: str
    docname: str
    source: str
    line: int
    options: dict[str, Any] = field(default_factory=dict)


@dataclass
class Placed:
    """A note put in order: its number, its label, and where its mark is."""

    series: str
    key: str
    number: int
    label: str
    mark_doc: str
    mark_id: str
    location: str
    lemma: str
    definition: Definition | None
    note: int | None = None   # the author's note it is attached to, if any
    extra: dict[str, Any] = field(default_factory=dict)


def _store(env: BuildEnvironment) -> tuple[dict[str, list[Mark]], dict[str, list[Definition]]]:
    if not hasattr(env, "edition_marks"):
        env.edition_marks = {}
        env.edition_definitions = {}
    return env.edition_marks, env.edition_definitions


def placed(env: BuildEnvironment, series: str) -> dict[str, Placed]:
    """The notes of ``series`` in order, as resolved after reading."""
    return getattr(env, "edition_placed", {}).get(series, {})


# -- Roles and directives ------------------------------------------------------


class MarkRole(SphinxRole):
    """``{tn}`lemma <key>``` wraps the lemma; ``{tn}`key``` marks a point."""

    def __init__(self, series: str) -> None:
        self.series = series

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        match = _MARK.match(self.text.strip())
        if not match:
            logger.error(
                "{%s} wants `key` or `words <key>` (key: lower-case letters, digits, hyphens), not %r",
                self.series, self.text, location=self.get_location(),
            )
            return [nodes.problematic(self.rawtext, self.rawtext)], []
        key = match["key"] or match["point"]
        lemma = " ".join((match["lemma"] or "").split())
        node = editorial_mark(lemma, lemma, series=self.series, key=key)
        self.set_source_info(node)
        return [node], []


class XrefRole(SphinxRole):
    def __init__(self, series: str) -> None:
        self.series = series

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        node = editorial_xref("", "", series=self.series, key=self.text.strip())
        self.set_source_info(node)
        return [node], []


class DefinitionDirective(SphinxDirective):
    """An editorial note: its key as argument, its text as content.

    ``:lemma:`` names the words a point mark concerns (checked against the
    text before the mark).
    """

    series = ""
    required_arguments = 1
    has_content = True
    option_spec: dict[str, Callable[[str], Any]] = {"lemma": directives.unchanged_required}

    def run(self) -> list[nodes.Node]:
        key = self.arguments[0]
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", key):
            raise self.error(f"{self.name}: key {key!r} must be lower-case letters, digits and hyphens")
        node = editorial_definition(series=self.series, key=key, options=dict(self.options))
        self.set_source_info(node)
        self.state.nested_parse(self.content, self.content_offset, node)
        return [node]


class ListingDirective(SphinxDirective):
    """Lists a series of notes in text order; its content holds their definitions."""

    series = ""
    has_content = True

    def run(self) -> list[nodes.Node]:
        node = editorial_listing(series=self.series)
        self.set_source_info(node)
        self.state.nested_parse(self.content, self.content_offset, node)
        stray = [c for c in node.children if not isinstance(c, editorial_definition)]
        if stray:
            raise self.error(f"{self.name} may only contain {SERIES[self.series].title.lower()} definitions")
        return [node]


# -- Collecting, ordering ------------------------------------------------------


def collect(app: Sphinx, doctree: nodes.document) -> None:
    """Record the marks and definitions of a document (doctree-read)."""
    env = app.env
    marks, definitions = _store(env)
    docname = env.docname
    marks[docname] = [
        Mark(n["series"], n["key"], docname, n.astext(), n.source or env.doc2path(docname), n.line or 0)
        for n in doctree.findall(editorial_mark)
    ]
    definitions[docname] = [
        Definition(n["series"], n["key"], docname, n.source or str(env.doc2path(docname)), n.line or 0, n["options"])
        for n in doctree.findall(editorial_definition)
    ]
    if not marks[docname]:
        del marks[docname]
    if not definitions[docname]:
        del definitions[docname]


def purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    marks, definitions = _store(env)
    marks.pop(docname, None)
    definitions.pop(docname, None)


def merge(app: Sphinx, env: BuildEnvironment, docnames: Iterable[str], other: BuildEnvironment) -> None:
    marks, definitions = _store(env)
    other_marks, other_definitions = _store(other)
    for name in docnames:
        if name in other_marks:
            marks[name] = other_marks[name]
        if name in other_definitions:
            definitions[name] = other_definitions[name]


def location_of(node: nodes.Node, figures: dict[nodes.Element, str] | None = None) -> str:
    """Where a node stands in the essay, as a reader finds it: ¶ 4, note 5, …

    ``figures`` is :func:`paragraphs_before_figures` of the node's document,
    when the caller locates many nodes of one document.
    """
    for ancestor in _ancestors(node):
        if isinstance(ancestor, nodes.footnote):
            for id_ in ancestor["ids"]:
                if m := _NOTE_ID.match(id_):
                    return f"note {m[1]}"
        if isinstance(ancestor, nodes.figure):
            before = (figures if figures is not None else paragraphs_before_figures(ancestor.document)).get(ancestor, "")
            return f"caption after ¶ {before}" if before else "cover-image credit"
        if isinstance(ancestor, nodes.paragraph):
            number = paragraph_number(ancestor)
            if number:
                return f"¶ {number}"
            for cls in ("dateline", "byline", "author-bio"):
                if cls in ancestor["classes"]:
                    return {"dateline": "dateline", "byline": "byline", "author-bio": "biographical note"}[cls]
        if isinstance(ancestor, nodes.title):
            return "title"
    return "text"


def paragraph_number(paragraph: nodes.Element) -> str:
    """The ¶ number the paragraph-numbering transform gave (id ``p-N``), if any."""
    for id_ in paragraph.get("ids", []):
        if m := _PARA_ID.match(id_):
            return m[1]
    return ""


def _ancestors(node: nodes.Node) -> Iterable[nodes.Node]:
    while node is not None:
        yield node
        node = node.parent


def paragraphs_before_figures(document: nodes.document) -> dict[nodes.Element, str]:
    """For each figure, the number of the numbered paragraph before it: one pass over the document."""
    before: dict[nodes.Element, str] = {}
    last = ""
    for node in document.findall(lambda n: isinstance(n, (nodes.figure, nodes.paragraph))):
        if isinstance(node, nodes.figure):
            before[node] = last
        elif not isinstance(node.parent, nodes.footnote):
            last = paragraph_number(node) or last
    return before


def doc_order(env: BuildEnvironment, docnames: Iterable[str]) -> list[str]:
    """Documents in reading order (the toctree's), any others after them."""
    order: list[str] = []

    def walk(doc: str) -> None:
        if doc in order:
            return
        order.append(doc)
        for child in env.toctree_includes.get(doc, []):
            walk(child)

    walk(env.config.root_doc)
    wanted = set(docnames)
    return [d for d in order if d in wanted] + sorted(wanted - set(order))


Anchor = tuple[str, str, str, str, str, "int | None"]
"""(series, key, docname, mark id, location, author's note number)."""


def anchors_in(env: BuildEnvironment, docname: str) -> list[tuple[str, Any]]:
    """Marks and author's note references of a document, in text order."""
    doctree = env.get_doctree(docname)
    figures = paragraphs_before_figures(doctree)
    found: list[tuple[str, Any]] = []
    for node in doctree.findall(lambda n: isinstance(n, (editorial_mark, nodes.footnote_reference))):
        if isinstance(node, editorial_mark):
            found.append(("mark", (node, location_of(node, figures))))
        elif "author-note" in node.get("classes", []):
            number = int(node.astext())
            found.append(("note", (number, location_of(node, figures))))
    return found


_TRAILING = "”’\"' .,;:)"


def text_before(node: nodes.Node, limit: int = 200) -> str:
    """The text that precedes ``node`` in its document, note numbers left out."""
    tail = ""
    for n in node.document.findall(lambda x: x is node or isinstance(x, nodes.Text)):
        if n is node:
            break
        if any(isinstance(a, (nodes.footnote_reference, nodes.footnote)) for a in _ancestors(n.parent)):
            continue
        tail = (tail + n.astext())[-limit:]
    return tail


def lemma_of(node: editorial_mark, definition: Definition | None) -> tuple[str, str]:
    """The lemma of a mark, and a problem if a point mark's stated lemma is not in the text before it.

    A point mark (no words wrapped) may name its lemma with ``:lemma:`` in the
    definition, where the words carry other markup (a glossary link, a
    language span); the words must then end the text just before the mark.
    """
    if node.astext() or definition is None or "lemma" not in definition.options:
        return node.astext(), ""
    lemma = " ".join(definition.options["lemma"].split())
    before = " ".join(text_before(node).split()).rstrip(_TRAILING)
    if not before.endswith(lemma.rstrip(_TRAILING)):
        return lemma, (
            f"{definition.source}:{definition.line}: {SERIES[definition.series].title.lower()} {definition.key!r}: "
            f"its lemma {lemma!r} is not the text before its mark (…{before[-40:]!r})"
        )
    return lemma, ""


def check_definitions(env: BuildEnvironment, series: str, placed_keys: set[str]) -> list[str]:
    """Errors for definitions with no mark and marks with no definition."""
    marks, definitions = _store(env)
    problems = []
    defined: dict[str, Definition] = {}
    for defs in definitions.values():
        for d in defs:
            if d.series != series:
                continue
            if d.key in defined:
                problems.append(f"{d.source}:{d.line}: {SERIES[series].title.lower()} {d.key!r} is defined twice")
            defined[d.key] = d
    for doc_marks in marks.values():
        for m in doc_marks:
            if m.series == series and m.key not in defined:
                problems.append(
                    f"{m.source}:{m.line}: {{{series}}} mark {m.key!r} has no {SERIES[series].title.lower()} definition"
                )
    for key, d in defined.items():
        if key not in placed_keys:
            problems.append(f"{d.source}:{d.line}: {SERIES[series].title.lower()} {key!r} has no mark in the text")
    return problems


def definitions_of(env: BuildEnvironment, series: str) -> dict[str, Definition]:
    _, definitions = _store(env)
    return {d.key: d for defs in definitions.values() for d in defs if d.series == series}


def mark_docs(env: BuildEnvironment) -> list[str]:
    marks, _ = _store(env)
    return doc_order(env, marks)


def listing_docs(env: BuildEnvironment) -> set[str]:
    _, definitions = _store(env)
    return set(definitions)


def set_placed(env: BuildEnvironment, series: str, entries: list[Placed]) -> None:
    if not hasattr(env, "edition_placed"):
        env.edition_placed = {}
    env.edition_placed[series] = {p.key: p for p in entries}


def stop_if_failed(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Stop once every series has reported its problems, so one run shows them all."""
    if getattr(env, "edition_apparatus_failed", False):
        env.edition_apparatus_failed = False
        raise ApparatusError("the build stopped: the editorial notes above do not agree with the text or the copy-text")
    return []


def outdated(app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]) -> list[str]:
    """When the text or a note changes, its counterpart must be rewritten too."""
    touched = added | changed | removed
    related = set(mark_docs(env)) | listing_docs(env)
    if touched & related:
        return sorted(related - touched)
    return []


# -- Resolving -----------------------------------------------------------------


def resolve(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Link marks to notes and fill listings (after the author's notes are filled)."""
    env = app.env
    for node in list(doctree.findall(editorial_mark)):
        entry = placed(env, node["series"]).get(node["key"])
        if entry is None:
            continue
        node["ids"] = [entry.mark_id]
        node["classes"] += ["editorial-lemma", f"{entry.series}-lemma", *entry.extra.get("lemma_classes", [])]
        index = node.parent.index(node) + 1
        # the editor's marker never comes between the author's words and the author's note number
        while index < len(node.parent) and isinstance(node.parent[index], nodes.footnote_reference):
            index += 1
        node.parent.insert(index, marker(entry, with_id=False))
    # the page's footnotes by id, found in one pass, not one pass per note (an edition may have thousands)
    footnotes: dict[str, list[nodes.footnote]] = {}
    for footnote in doctree.findall(nodes.footnote):
        for id_ in footnote["ids"]:
            footnotes.setdefault(id_, []).append(footnote)
    for series in SERIES.values():
        for entry in placed(env, series.name).values():
            if entry.note is None:
                continue
            for footnote in footnotes.get(f"note-{entry.note}", []):
                paragraphs = list(footnote.findall(nodes.paragraph))
                target = paragraphs[-1] if paragraphs else footnote
                target += nodes.Text(" ")
                target += marker(entry, with_id=True)
    for listing in list(doctree.findall(editorial_listing)):
        listing.replace_self(fill_listing(app, listing))
    for xref in list(doctree.findall(editorial_xref)):
        series = SERIES[xref["series"]]
        entry = placed(env, series.name).get(xref["key"])
        if entry is None or entry.definition is None:
            logger.error(
                "no %s with key %r", series.title.lower(), xref["key"], location=xref, type="edition", subtype="apparatus"
            )
            xref.replace_self(nodes.Text(xref["key"]))
            continue
        text = f"{series.title.lower()} {entry.label}"
        xref.replace_self(
            editorial_link(text, text, refdoc=entry.definition.docname, refid=f"{series.entry_prefix}{entry.label}")
        )


def marker(entry: Placed, *, with_id: bool) -> editorial_ref:
    series = SERIES[entry.series]
    text = series.marker_text(entry.label)
    node = editorial_ref(
        text,
        text,
        series=series.name,
        refdoc=entry.definition.docname if entry.definition else "",
        refid=f"{series.entry_prefix}{entry.label}",
        aria=f"{series.title} {entry.label}",
        classes=["editorial", *series.classes],
    )
    if with_id:
        node["ids"] = [entry.mark_id]
    return node


def fill_listing(app: Sphinx, listing: editorial_listing) -> nodes.Element:
    series = SERIES[listing["series"]]
    definitions = {d["key"]: d for d in listing.findall(editorial_definition)}
    entries = sorted(placed(app.env, series.name).values(), key=lambda p: p.number)
    out = editorial_listing(series=series.name, classes=["editorial", f"{series.name}-listing"])
    for entry in entries:
        item = editorial_entry(
            series=series.name,
            label=entry.label,
            backdoc=entry.mark_doc,
            backid=entry.mark_id,
            ids=[f"{series.entry_prefix}{entry.label}"],
            classes=["editorial", f"{series.name}-entry", *entry.extra.get("entry_classes", [])],
        )
        content = series.render(app, entry, definitions.get(entry.key))
        back = editorial_backref(
            entry.label, entry.label, series=series.name, refdoc=entry.mark_doc, refid=entry.mark_id,
            aria=f"Back to the text of {series.title.lower()} {entry.label}",
        )
        if content and isinstance(content[0], nodes.paragraph):
            content[0].insert(0, nodes.Text(" "))
            content[0].insert(0, back)
        item.extend(content)
        out += item
    return out


# -- Writers -------------------------------------------------------------------


def _is_epub(self: SphinxTranslator) -> bool:
    return self.builder.name.startswith("epub")


def _uri(self: SphinxTranslator, docname: str, refid: str) -> str:
    current = self.builder.current_docname
    if docname == current:
        return f"#{refid}"
    return f"{self.builder.get_relative_uri(current, docname)}#{refid}"


def visit_mark_html(self: SphinxTranslator, node: editorial_mark) -> None:
    self.body.append(self.starttag(node, "span", ""))


def depart_mark_html(self: SphinxTranslator, node: editorial_mark) -> None:
    self.body.append("</span>")


def visit_ref_html(self: SphinxTranslator, node: editorial_ref) -> None:
    series = SERIES[node["series"]]
    attributes: dict[str, str] = {"href": _uri(self, node["refdoc"], node["refid"]), "aria-label": node["aria"]}
    if series.noteref:
        attributes["role"] = "doc-noteref"
        if _is_epub(self):
            attributes["epub:type"] = "noteref"
    self.body.append(self.starttag(node, "a", "", **attributes))
    inner = self.encode(node.astext())
    self.body.append(f"<sup>{inner}</sup></a>" if series.noteref else f"{inner}</a>")
    raise nodes.SkipNode


def visit_listing_html(self: SphinxTranslator, node: editorial_listing) -> None:
    series = SERIES[node["series"]]
    attributes = {"aria-label": f"{series.title}s"}
    if series.listing_role:
        attributes["role"] = series.listing_role
    if series.listing_epub_type and _is_epub(self):
        attributes["epub:type"] = series.listing_epub_type
    self.body.append(self.starttag(node, "section", **attributes))
    self.body.append('<ol class="editorial-list">\n')


def depart_listing_html(self: SphinxTranslator, node: editorial_listing) -> None:
    self.body.append("</ol>\n</section>\n")


def visit_entry_html(self: SphinxTranslator, node: editorial_entry) -> None:
    series = SERIES[node["series"]]
    attributes = {}
    if series.entry_epub_type and _is_epub(self):
        attributes["epub:type"] = series.entry_epub_type
    self.body.append(self.starttag(node, "li", **attributes))


def visit_backref_html(self: SphinxTranslator, node: editorial_backref) -> None:
    attributes = {"href": _uri(self, node["refdoc"], node["refid"]), "aria-label": node["aria"]}
    if _is_epub(self):
        attributes["role"] = "doc-backlink"
    self.body.append(self.starttag(node, "a", "", CLASS="editorial-backref", **attributes))
    self.body.append(f"{self.encode(node.astext())}</a>")
    raise nodes.SkipNode


def depart_entry_html(self: SphinxTranslator, node: editorial_entry) -> None:
    self.body.append("</li>\n")


def visit_link_html(self: SphinxTranslator, node: editorial_link) -> None:
    self.body.append(self.starttag(node, "a", "", CLASS="editorial-link", href=_uri(self, node["refdoc"], node["refid"])))
    self.body.append(f"{self.encode(node.astext())}</a>")
    raise nodes.SkipNode


def visit_link_latex(self: SphinxTranslator, node: editorial_link) -> None:
    self.body.append(self.hyperlink(f"{node['refdoc']}:{node['refid']}"))
    self.body.append(f"{self.encode(node.astext())}}}}}")
    raise nodes.SkipNode


def visit_mark_latex(self: SphinxTranslator, node: editorial_mark) -> None:
    for id_ in node["ids"]:
        self.body.append(self.hypertarget(id_, anchor=not self.in_caption))


def depart_mark_latex(self: SphinxTranslator, node: editorial_mark) -> None:
    pass


def visit_ref_latex(self: SphinxTranslator, node: editorial_ref) -> None:
    series = SERIES[node["series"]]
    for id_ in node["ids"]:
        self.body.append(self.hypertarget(id_, anchor=not self.in_caption))
    self.body.append(self.hyperlink(f"{node['refdoc']}:{node['refid']}"))
    self.body.append(r"%s{%s}}}" % (series.latex_macro, self.encode(node.astext())))
    raise nodes.SkipNode


def visit_listing_latex(self: SphinxTranslator, node: editorial_listing) -> None:
    self.body.append("\n\\begin{EditionApparatusList}\n")


def depart_listing_latex(self: SphinxTranslator, node: editorial_listing) -> None:
    self.body.append("\n\\end{EditionApparatusList}\n")


def visit_entry_latex(self: SphinxTranslator, node: editorial_entry) -> None:
    series = SERIES[node["series"]]
    label = self.encode(node["label"])
    link = self.hyperlink(f"{node['backdoc']}:{node['backid']}")
    self.body.append(
        "\n\\item[%s%s}}]%s" % (link, r"%s{%s}" % (series.latex_macro + "Label", label), self.hypertarget(node["ids"][0]))
    )


def depart_entry_latex(self: SphinxTranslator, node: editorial_entry) -> None:
    self.body.append("\n")


def visit_skip(self: SphinxTranslator, node: nodes.Node) -> None:
    raise nodes.SkipNode


def visit_pass(self: SphinxTranslator, node: nodes.Node) -> None:
    pass


def depart_pass(self: SphinxTranslator, node: nodes.Node) -> None:
    pass


def visit_ref_text(self: SphinxTranslator, node: editorial_ref) -> None:
    self.add_text(node.astext())
    raise nodes.SkipNode


def setup(app: Sphinx) -> None:
    plain = (visit_pass, depart_pass)
    app.add_node(
        editorial_mark,
        html=(visit_mark_html, depart_mark_html),
        latex=(visit_mark_latex, depart_mark_latex),
        text=plain, man=plain, texinfo=plain,
    )
    app.add_node(
        editorial_ref,
        html=(visit_ref_html, None),
        latex=(visit_ref_latex, None),
        text=(visit_ref_text, None), man=(visit_skip, None), texinfo=(visit_skip, None),
    )
    app.add_node(
        editorial_listing,
        html=(visit_listing_html, depart_listing_html),
        latex=(visit_listing_latex, depart_listing_latex),
        text=plain, man=plain, texinfo=plain,
    )
    app.add_node(
        editorial_entry,
        html=(visit_entry_html, depart_entry_html),
        latex=(visit_entry_latex, depart_entry_latex),
        text=plain, man=plain, texinfo=plain,
    )
    app.add_node(
        editorial_backref,
        html=(visit_backref_html, None),
        latex=(visit_skip, None),  # the list item's label links back in print
        text=(visit_ref_text, None), man=(visit_skip, None), texinfo=(visit_skip, None),
    )
    app.add_node(
        editorial_link,
        html=(visit_link_html, None),
        latex=(visit_link_latex, None),
        text=(visit_ref_text, None), man=(visit_ref_text, None), texinfo=(visit_ref_text, None),
    )
    app.add_node(editorial_xref)
    app.add_node(editorial_definition)
    app.add_css_file("edition-apparatus.css")
    app.connect("doctree-read", collect)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
    app.connect("env-get-outdated", outdated)
    app.connect("env-updated", stop_if_failed, priority=900)
    # after the author's notes are filled (edition.notes.fill, priority 500)
    app.connect("doctree-resolved", resolve, priority=600)
