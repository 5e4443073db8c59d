"""Passages in another language than the edition's, marked for every format.

``{lang}`ru: основные правила``` marks a span as Russian: ``lang="ru"`` in
HTML and EPUB, so screen readers and hyphenation switch language, and
polyglossia's ``\\foreignlanguage`` in LaTeX, so the PDF hyphenates it as
Russian in a font that has the script.
"""

from __future__ import annotations

import re
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxRole

from scholarly_edition.config import settings
from scholarly_edition.errors import report
from scholarly_edition.problems import Problem
from scholarly_edition.translators import add_node

_SPAN = re.compile(r"^(?P<lang>[a-z]{2,3}(?:-[A-Za-z0-9]+)*):\s*(?P<text>.+)$", re.DOTALL)


class foreign(nodes.Inline, nodes.TextElement):
    """Text in a language other than the document's."""


class LangRole(SphinxRole):
    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        match = _SPAN.match(self.text)
        languages = settings(self.config).foreign_languages
        if not match or match["lang"] not in languages:
            tags = ", ".join(sorted(languages))
            report(
                Problem.MARKUP,
                f"{{lang}} wants `tag: text` with a tag from edition_foreign_languages ({tags})",
                location=self.get_location(),
            )
            return [nodes.problematic(self.rawtext, self.rawtext)], []
        text = " ".join(match["text"].split())
        node = foreign(text, text, lang=match["lang"])
        self.set_source_info(node)
        return [node], []


def visit_html(self: Any, node: foreign) -> None:
    self.body.append(self.starttag(node, "span", "", lang=node["lang"], CLASS="foreign"))


def depart_html(self: Any, node: foreign) -> None:
    self.body.append("</span>")


def visit_latex(self: Any, node: foreign) -> None:
    language = settings(self.config).foreign_languages[node["lang"]]
    self.body.append(rf"\foreignlanguage{{{language}}}{{")


def depart_latex(self: Any, node: foreign) -> None:
    self.body.append("}")


def setup(app: Sphinx) -> None:
    add_node(app, foreign, html=(visit_html, depart_html), latex=(visit_latex, depart_latex))
    app.add_role("lang", LangRole())
