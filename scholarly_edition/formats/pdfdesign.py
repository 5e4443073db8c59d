"""The PDF set as an essay: the page design package, and the few marks it needs in the document.

The design itself is ``editiondesign.sty`` beside this module (headings,
running heads, margins, notes, bibliography, index, URLs). The LaTeX
writer has no hook for a paragraph's or a list's classes, so the document
tree is given containers there, which Sphinx writes as ``sphinxuseclass``
environments the package defines: the essay's byline and dateline, and the
bibliography. The essay's heading is framed by two raw commands that set
it as a title block opening its page.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx

from scholarly_edition.config import settings

PACKAGE = "editiondesign"
STYLE = Path(__file__).with_name(f"{PACKAGE}.sty")

SET_APART = ("byline", "dateline", "author-bio")
"""Classes of the essay's paragraphs set apart: its title block under its title, and its biographical note."""

CITATIONS = ("citation-label", "citation-text")
"""Classes of the cite page's paragraphs: each citation's label, set small above it, and the citation."""

BIBLIOGRAPHY = "works-cited"
"""The class of the bibliography's list, set with hanging indents."""


def write_package(app: Sphinx) -> None:
    if app.builder.format == "latex":
        shutil.copyfile(STYLE, Path(app.builder.outdir, STYLE.name))


def _wrap(node: nodes.Element, cls: str) -> None:
    """Put ``node`` in a container of class ``cls`` (LaTeX: ``sphinxuseclass{cls}``)."""
    container = nodes.container("", classes=[cls])
    node.replace_self(container)
    container += node


def essay_section(doctree: nodes.document, essay_doc: str) -> nodes.section | None:
    """The essay's own section: the first in its file of the assembled LaTeX document."""
    for start in doctree.findall(addnodes.start_of_file):
        if start.get("docname") == essay_doc:
            return next(iter(start.findall(nodes.section)), None)
    return None


def shape(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Mark what the design package styles: the essay's title block and note on its author, bibliography, citations."""
    if app.builder.format != "latex":
        return
    for bibliography in list(doctree.findall(nodes.bullet_list)):
        if BIBLIOGRAPHY in bibliography["classes"]:
            _wrap(bibliography, BIBLIOGRAPHY)
    for paragraph in list(doctree.findall(nodes.paragraph)):
        cls = next((c for c in CITATIONS if c in paragraph["classes"]), None)
        if cls is not None:
            _wrap(paragraph, cls)
    essay = essay_section(doctree, settings(app.config).essay_doc)
    if essay is None:
        return
    for paragraph in list(essay.findall(nodes.paragraph)):
        cls = next((c for c in SET_APART if c in paragraph["classes"]), None)
        if cls is not None:
            _wrap(paragraph, cls)
    # before the targets that name the heading, which the writer sets as labels of the heading itself
    place = essay.parent.index(essay)
    while place > 0 and isinstance(essay.parent[place - 1], nodes.target):
        place -= 1
    essay.parent.insert(place, nodes.raw("", r"\EditionEssayTitle", format="latex"))
    title = essay.next_node(nodes.title)
    if title is not None:
        essay.insert(essay.index(title) + 1, nodes.raw("", r"\EditionSectionStyle", format="latex"))


def setup(app: Sphinx) -> None:
    app.add_latex_package(PACKAGE)
    app.connect("builder-inited", write_package)
    # after the notes, the bibliography and the apparatus are filled in (priority 500)
    app.connect("doctree-resolved", shape, priority=900)
