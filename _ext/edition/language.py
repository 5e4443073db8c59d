"""Passages in another language than the edition's, marked for every format.

``{lang}`ru: основные правила``` marks a span as Russian: ``lang="ru"`` in
HTML and EPUB, so screen readers and hyphenation switch language, and
polyglossia's ``\\foreignlanguage`` in LaTeX, so the PDF hyphenates it as
Russian in a font that has the script.
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxRole, SphinxTranslator

logger = logging.getLogger(__name__)

_SPAN = re.compile(r"^(?P<lang>[a-z]{2,3}(?:-[A-Za-z0-9]+)*):\s*(?P<text>.+)$", re.DOTALL)


class foreign(nodes.Inline, nodes.TextElement):
    """Text in a language other than the document's."""


class LangRole(SphinxRole):
    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        match = _SPAN.match(self.text)
        languages = self.config.edition_foreign_languages
        if not match or match["lang"] not in languages:
            logger.error(
                "{lang} wants `tag: text` with a tag from edition_foreign_languages (%s)",
                ", ".join(sorted(languages)),
                location=self.get_location(),
            )
            return [nodes.problematic(self.rawtext, self.rawtext)], []
        text = " ".join(match["text"].split())
        node = foreign(text, text, lang=match["lang"])
        self.set_source_info(node)
        return [node], []


def visit_html(self: SphinxTranslator, node: foreign) -> None:
    self.body.append(self.starttag(node, "span", "", lang=node["lang"], CLASS="foreign"))


def depart_html(self: SphinxTranslator, node: foreign) -> None:
    self.body.append("</span>")


def visit_latex(self: SphinxTranslator, node: foreign) -> None:
    language = self.config.edition_foreign_languages[node["lang"]]
    self.body.append(r"\foreignlanguage{%s}{" % language)


def depart_latex(self: SphinxTranslator, node: foreign) -> None:
    self.body.append("}")


def visit_plain(self: SphinxTranslator, node: foreign) -> None:
    pass


def depart_plain(self: SphinxTranslator, node: foreign) -> None:
    pass


def setup(app: Sphinx) -> None:
    app.add_config_value("edition_foreign_languages", {}, "env", dict)
    app.add_node(
        foreign,
        html=(visit_html, depart_html),
        latex=(visit_latex, depart_latex),
        text=(visit_plain, depart_plain),
        man=(visit_plain, depart_plain),
        texinfo=(visit_plain, depart_plain),
    )
    app.add_role("lang", LangRole())
