"""The editor's apparatus: textual notes, commentary, and the title page.

Kept apart from the author's words and notes in every format. The stages
are modules: the model, the nodes, the markup an editor writes, the
domain that keeps what was read, the placing in text order, the resolving
into links, and the writers of each format.
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from scholarly_edition.apparatus import commentary, placing, resolving, textual, writers
from scholarly_edition.apparatus.domain import ApparatusDomain, collect
from scholarly_edition.apparatus.markup import MarkRole, XrefRole
from scholarly_edition.apparatus.model import COMMENTARY, TEXTUAL
from scholarly_edition.errors import report, stop
from scholarly_edition.problems import Problem


def place(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Put both series in order; report every problem of both, then stop if there was one.

    Returns the pages to write again because what they show of the
    apparatus changed (an incremental build reads only the pages edited).
    """
    problems = textual.place(env) + commentary.place(env)
    for problem in problems:
        report(Problem.APPARATUS, problem.message, location=problem.location)
    if problems:
        stop(Problem.APPARATUS, "the editorial notes above do not agree with the text or the copy-text")
    return placing.rewritten(env)


def setup(app: Sphinx) -> None:
    app.add_domain(ApparatusDomain)
    writers.add_nodes(app)
    for series in (TEXTUAL, COMMENTARY):
        app.add_role(series.name, MarkRole(series.name))
        app.add_role(f"{series.name}-ref", XrefRole(series.name))
    app.add_directive("textual-note", textual.TextualNoteDirective)
    app.add_directive("textual-notes", textual.TextualNotesDirective)
    app.add_directive("commentary-note", commentary.CommentaryNoteDirective)
    app.add_directive("commentary", commentary.CommentaryDirective)
    app.add_css_file("edition-apparatus.css")
    app.connect("doctree-read", collect)
    # after the author's notes are formatted (scholarly_edition.text, priority 500)
    app.connect("env-updated", place, priority=600)
    # after the author's notes are filled (priority 500)
    app.connect("doctree-resolved", resolving.resolve, priority=600)
