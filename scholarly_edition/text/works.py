"""The works ``refs.bib`` holds, as sphinxcontrib-bibtex parsed them and as CSL-JSON.

refs.bib is read once, by sphinxcontrib-bibtex's cite domain (through
:mod:`scholarly_edition.text.bibcheck`); every note, export and page head
takes its works from here, so all of them cite the same data.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from scholarly_edition.bibliography import bibtex_csl
from scholarly_edition.errors import report, stop
from scholarly_edition.problems import Problem
from scholarly_edition.text.bibcheck import entry_lines
from scholarly_edition.text.domain import text_domain


def bib_entries(env: BuildEnvironment) -> dict[str, Any]:
    """The entries sphinxcontrib-bibtex has already parsed from ``refs.bib``."""
    domain: Any = env.get_domain("cite")
    entries: dict[str, Any] = domain.bibdata.data.entries
    return entries


def bibfile_names(env: BuildEnvironment) -> str:
    domain: Any = env.get_domain("cite")
    return ", ".join(str(f) for f in domain.bibdata.bibfiles) or "refs.bib"


def entry_location(env: BuildEnvironment, key: str | None) -> str | None:
    """``refs.bib:LINE`` of the entry ``key``, for a message about it."""
    domain: Any = env.get_domain("cite")
    for path in domain.bibdata.bibfiles:
        lines = entry_lines(Path(path).read_text("utf-8", errors="replace"), key) if key else []
        if lines:
            return f"{path}:{lines[0]}"
    return None


def convert(app: Sphinx) -> None:
    """Convert refs.bib once, as soon as it is read: a bad date or bare % stops the build before any page is."""
    csl_items(app.env)


def setup(app: Sphinx) -> None:
    # after the strict read of refs.bib (bibcheck, priority 400)
    app.connect("builder-inited", convert, priority=450)


def csl_items(env: BuildEnvironment) -> list[dict[str, Any]]:
    """Every work in ``refs.bib`` as CSL-JSON, converted once per environment."""
    entries = bib_entries(env)
    signature = tuple(entries)
    domain = text_domain(env)
    cached = domain.data["csl"]
    if cached is None or cached[0] is not entries or cached[1] != signature:
        items, failed = [], False
        for key, entry in entries.items():  # every entry, so that one run names every bad one
            try:
                items.append(bibtex_csl.entry_to_csl(key, entry))
            except bibtex_csl.BibTeXToCSLError as exc:
                report(Problem.BIBLIOGRAPHY, f"{key}: {exc}", location=entry_location(env, key))
                failed = True
        if failed:
            stop(Problem.BIBLIOGRAPHY, "an entry above cannot be cited without losing or inventing data")
        cached = domain.data["csl"] = (entries, signature, items)
    converted: list[dict[str, Any]] = cached[2]
    return converted
