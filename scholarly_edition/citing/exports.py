"""The machine-readable exports, written beside the HTML edition.

Their texts are made and validated by :mod:`scholarly_edition.bibliography.exports`
as soon as their data exists, before any page is written; the files are
written by a ``build-finished`` handler that does nothing after a failed
build, so a half-built site gets no exports.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from scholarly_edition.bibliography.exports import ExportError, prepare, write_atomic
from scholarly_edition.citing.domain import citing_domain
from scholarly_edition.errors import report, stop
from scholarly_edition.problems import Problem
from scholarly_edition.text.works import bib_entries, csl_items


def check(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Validate the exports as soon as their data exists, before any page is written.

    Whatever the builder: one reading serves every format, and an export that
    would not be valid stops them all. Made again only when what they are
    made from changed: an incremental build that changed no work and not the
    record keeps them as they are.
    """
    domain = citing_domain(env)
    if domain.citing is None:
        domain.data["exports"] = domain.data["exports_from"] = None
        return []
    citing = domain.citing
    works = list(bib_entries(env).items())
    made_from = (csl_items(env), citing, works)
    if domain.data["exports"] is not None and domain.data["exports_from"] == made_from:
        return []
    domain.data["exports"] = domain.data["exports_from"] = None
    try:
        domain.data["exports"] = prepare(csl_items(env), citing.items, [*citing.records.items(), *works])
    except ExportError as exc:
        for finding in exc.findings:  # its location is the export file, which has no line in the sources
            report(Problem.EXPORT, f"{finding.location}: {finding.message}", location=None)
        stop(Problem.EXPORT, "an export above would not be valid")
    domain.data["exports_from"] = made_from
    return []


def write(app: Sphinx, exception: Exception | None) -> None:
    """Write the exports into the HTML output, after a successful build only."""
    if exception is not None or app.builder.name != "html":
        return
    texts = citing_domain(app.env).data.get("exports")
    if not texts:
        return
    outdir = Path(app.builder.outdir)
    for name, text in texts.items():
        write_atomic(outdir / name, text)


def setup(app: Sphinx) -> None:
    app.connect("env-updated", check, priority=800)
    app.connect("build-finished", write)
