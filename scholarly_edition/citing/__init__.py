"""Citing the essay: its record, the cite page and title page, the page head, and the exports."""

from __future__ import annotations

from sphinx.application import Sphinx

from scholarly_edition.citing import coins, exports, head, hosting, page, record, titlepage
from scholarly_edition.citing.domain import CitingDomain


def setup(app: Sphinx) -> None:
    app.add_domain(CitingDomain)
    for module in (hosting, record, exports, titlepage, page, coins, head):
        module.setup(app)
