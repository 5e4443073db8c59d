"""The author's text: inputs read strictly, notes, paragraph numbers, the names it mentions, languages and figures."""

from __future__ import annotations

from sphinx.application import Sphinx

from scholarly_edition.text import bibcheck, encoding, figures, language, mentions, notes, paragraphs, sources, works
from scholarly_edition.text.domain import TextDomain


def setup(app: Sphinx) -> None:
    app.add_domain(TextDomain)
    for module in (bibcheck, works, encoding, sources, notes, paragraphs, mentions, language, figures):
        module.setup(app)
