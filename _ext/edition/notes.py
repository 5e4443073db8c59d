"""The author's numbered notes, each a citation with its own locator.

``{note}`key, p. 4``` puts a numbered footnote at that place in the text.
Notes are numbered in document order, captions included, and every note is
its own footnote even when it cites a work already cited, so the essay's
numbering survives. The note's text is not typed anywhere: after all
documents are read, the whole sequence goes once through the CSL processor
(:mod:`edition.citeproc`), which decides full or short form and places the
locator; the result fills the footnotes in every output format.

``{cite-inline}`key``` renders a work's full note form in running text (the
cover-image credit), and the ``works-cited`` directive the bibliography.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.errors import SphinxError
from sphinx.transforms import SphinxTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective, SphinxRole

from . import bibtex_csl, citeproc, pandoc_ast

logger = logging.getLogger(__name__)

_NOTE = re.compile(
    r"^(?P<key>[A-Za-z0-9_:.-]+)"
    r"(?:\s*,\s*(?P<locator>(?:p|pp|chap|sec|para|fig|n)\.\s+[0-9ivxlcIVXLC–,\s-]+))?$"
)
"""``key`` or ``key, p. 4``: the role's whole grammar."""


class CitationError(SphinxError):
    category = "Citation error"


class NoteCite(NamedTuple):
    key: str
    locator: str
    source: str
    line: int


class note_citation(nodes.Inline, nodes.Element):
    """Where the text cites a work; becomes a footnote reference."""


class note_text(nodes.Inline, nodes.Element):
    """The body of a note, filled once the CSL processor has run."""


class inline_citation(nodes.Inline, nodes.Element):
    """A full citation in running text."""


class works_cited(nodes.General, nodes.Element):
    """The bibliography, filled once the CSL processor has run."""


class notes_here(nodes.General, nodes.Element):
    """Where the footnotes of a document are gathered."""


def bib_entries(env: BuildEnvironment) -> dict[str, Any]:
    """The entries sphinxcontrib-bibtex has already parsed from ``refs.bib``."""
    return env.get_domain("cite").bibdata.data.entries


def csl_items(env: BuildEnvironment) -> list[dict[str, Any]]:
    """Every work in ``refs.bib`` as CSL-JSON, converted once per environment."""
    entries = bib_entries(env)
    signature = tuple(entries)
    cached = getattr(env, "_edition_csl", None)
    if cached is None or cached[0] is not entries or cached[1] != signature:
        try:
            items = bibtex_csl.entries_to_csl(entries.items())
        except bibtex_csl.BibTeXToCSLError as exc:
            raise CitationError(f"{_bibfile(env)}: {exc}") from None
        env._edition_csl = (entries, signature, items)
        cached = env._edition_csl
    return cached[2]


def _bibfile(env: BuildEnvironment) -> str:
    files = list(env.get_domain("cite").bibdata.bibfiles)
    return ", ".join(str(f) for f in files) or "refs.bib"


class _CiteRole(SphinxRole):
    def parse(self) -> NoteCite | None:
        match = _NOTE.match(self.text.strip())
        source, line = self.get_source_info()
        if not match:
            logger.error(
                "malformed citation %r: expected `key` or `key, p. N`",
                self.text,
                location=(self.env.docname, line),
                type="edition",
                subtype="citation",
            )
            self.env._edition_failed = True
            return None
        key = match["key"]
        if key not in bib_entries(self.env):
            logger.error(
                "unknown work %r: no entry with that key in %s",
                key,
                _bibfile(self.env),
                location=(self.env.docname, line),
                type="edition",
                subtype="citation",
            )
            self.env._edition_failed = True
            return None
        return NoteCite(key, match["locator"] or "", source, line)


class NoteRole(_CiteRole):
    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        cite = self.parse()
        if cite is None:
            return [nodes.problematic(self.rawtext, self.rawtext)], []
        node = note_citation(key=cite.key, locator=cite.locator)
        self.set_source_info(node)
        return [node], []


class InlineCiteRole(_CiteRole):
    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        cite = self.parse()
        if cite is None:
            return [nodes.problematic(self.rawtext, self.rawtext)], []
        node = inline_citation(key=cite.key, locator=cite.locator, docname=self.env.docname)
        self.set_source_info(node)
        return [node], []


class NotesDirective(SphinxDirective):
    """Marks where a document's footnotes are listed (HTML and EPUB)."""

    def run(self) -> list[nodes.Node]:
        return [notes_here()]


class WorksCitedDirective(SphinxDirective):
    """Every work in ``refs.bib``, in the bibliography form of the edition's style."""

    option_spec = {"class": directives.class_option}

    def run(self) -> list[nodes.Node]:
        node = works_cited(classes=["works-cited", *self.options.get("class", [])])
        self.set_source_info(node)
        return [node]


class NumberNotes(SphinxTransform):
    """Turn each ``note_citation`` into a numbered footnote and its reference."""

    default_priority = 200

    def apply(self, **kwargs: Any) -> None:
        cites: list[NoteCite] = []
        footnotes: list[nodes.footnote] = []
        for number, node in enumerate(list(self.document.findall(note_citation)), start=1):
            label = str(number)
            ref_id, note_id = f"noteref-{label}", f"note-{label}"
            ref = nodes.footnote_reference(
                "", label, ids=[ref_id], refid=note_id, classes=["author-note"]
            )
            ref["docname"] = self.env.docname
            node.replace_self(ref)
            body = nodes.paragraph("", "", note_text(index=number - 1, docname=self.env.docname))
            footnote = nodes.footnote(
                "",
                nodes.label("", label),
                body,
                ids=[note_id],
                names=[note_id],
                backrefs=[ref_id],
                classes=["author-note"],
            )
            footnote.source, footnote.line = node.source, node.line
            footnotes.append(footnote)
            cites.append(NoteCite(node["key"], node["locator"], node.source or "", node.line or 0))
        inline = [
            NoteCite(n["key"], n["locator"], n.source or "", n.line or 0)
            for n in self.document.findall(inline_citation)
        ]
        for index, node in enumerate(self.document.findall(inline_citation)):
            node["index"] = index
        _notes(self.env)[self.env.docname] = (cites, inline)
        if not footnotes:
            return
        targets = list(self.document.findall(notes_here))
        if targets:
            container = nodes.container("", *footnotes, classes=["author-notes"])
            targets[0].replace_self(container)
            for extra in targets[1:]:
                extra.parent.remove(extra)
        else:
            self.document.extend(footnotes)


def _notes(env: BuildEnvironment) -> dict[str, tuple[list[NoteCite], list[NoteCite]]]:
    if not hasattr(env, "edition_notes"):
        env.edition_notes = {}
    return env.edition_notes


def purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    _notes(env).pop(docname, None)


def merge(app: Sphinx, env: BuildEnvironment, docnames: Iterable[str], other: BuildEnvironment) -> None:
    _notes(env).update(
        {name: value for name, value in _notes(other).items() if name in docnames}
    )
    if getattr(other, "_edition_failed", False):
        env._edition_failed = True


def format_citations(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Run the CSL processor over every document's note sequence."""
    if getattr(env, "_edition_failed", False):
        env._edition_failed = False
        raise CitationError("the build stopped: citations above name unknown or malformed works")
    items = csl_items(env)
    config = app.config
    cache_dir = Path(app.doctreedir) / "citeproc"
    rendered: dict[str, dict[str, Any]] = {}
    bibliography: dict[str, Any] | None = None
    for docname, (cites, inline) in sorted(_notes(env).items()):
        if not cites and not inline:
            continue
        entry: dict[str, Any] = {}
        if cites:
            result = _render(items, cites, config, cache_dir)
            entry["notes"] = result.notes
            bibliography = result.bibliography
        if inline:
            entry["inline"] = _render(items, inline, config, cache_dir).notes
        rendered[docname] = entry
    if bibliography is None:
        bibliography = _render(items, [], config, cache_dir).bibliography
    env.edition_rendered = {"docs": rendered, "bibliography": bibliography}
    return []


def _render(items, cites: list[NoteCite], config, cache_dir: Path) -> citeproc.Rendered:
    try:
        return citeproc.render(
            items,
            [citeproc.Cite(c.key, c.locator) for c in cites],
            style=config.edition_csl_style,
            lang=config.edition_language,
            cache_dir=cache_dir,
        )
    except citeproc.CiteprocError as exc:
        where = f"{cites[0].source}:{cites[0].line}: " if cites else ""
        raise CitationError(f"{where}{exc}") from None


def fill(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Put the formatted text into notes, inline citations and the bibliography."""
    rendered = app.env.edition_rendered
    for node in list(doctree.findall(note_text)):
        inlines = rendered["docs"][node["docname"]]["notes"][node["index"]]
        node.replace_self(pandoc_ast.to_nodes(inlines))
    for node in list(doctree.findall(inline_citation)):
        inlines = rendered["docs"][node["docname"]]["inline"][node["index"]]
        node.replace_self(nodes.inline("", "", *pandoc_ast.to_nodes(_strip_final_period(inlines)), classes=["citation-inline"]))
    for node in list(doctree.findall(works_cited)):
        node.replace_self(bibliography_list(rendered["bibliography"], node["classes"]))


def _strip_final_period(inlines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A note's closing full stop, dropped where the citation runs on in a sentence."""
    if inlines and inlines[-1].get("t") == "Str" and inlines[-1]["c"].endswith("."):
        last = dict(inlines[-1], c=inlines[-1]["c"][:-1])
        return [*inlines[:-1], last] if last["c"] else inlines[:-1]
    return inlines


def bibliography_list(entries: dict[str, Any], classes: list[str]) -> nodes.Element:
    """The bibliography as a bullet list, one anchored item per work."""
    items = []
    for key, inlines in entries.items():
        para = nodes.paragraph("", "", *pandoc_ast.to_nodes(inlines))
        items.append(nodes.list_item("", para, ids=[f"work-{key}"], classes=["csl-entry"]))
    return nodes.bullet_list("", *items, classes=classes)


def setup(app: Sphinx) -> None:
    app.add_config_value("edition_csl_style", "chicago-notes-bibliography", "env", str)
    app.add_node(note_citation)
    app.add_node(note_text)
    app.add_node(inline_citation)
    app.add_node(works_cited)
    app.add_node(notes_here)
    app.add_role("note", NoteRole())
    app.add_role("cite-inline", InlineCiteRole())
    app.add_directive("notes", NotesDirective)
    app.add_directive("works-cited", WorksCitedDirective)
    app.add_transform(NumberNotes)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
    app.connect("env-updated", format_citations)
    app.connect("doctree-resolved", fill)
