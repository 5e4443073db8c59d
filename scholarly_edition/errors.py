"""The edition's one error family, and how a problem reaches the reader.

A problem in the sources is logged with ``location=`` (the file and line
Sphinx prints in front of it), so the message itself names only the key or
value at fault; the build goes on collecting problems (``--keep-going``)
and stops once, with :class:`EditionError`, where later steps would need
what is broken.
"""

from __future__ import annotations

from typing import Any, NoReturn

from sphinx.errors import SphinxError
from sphinx.util import logging

from scholarly_edition.problems import DataError, Problem

logger = logging.getLogger("scholarly_edition")


class EditionError(SphinxError):
    """A problem that stops the build; its category comes from :class:`Problem`."""

    def __init__(self, problem: Problem, message: str) -> None:
        super().__init__(message)
        self.problem = problem
        self.category = problem.category


def report(problem: Problem, message: str, *, location: Any) -> None:
    """Log one problem at its place in the sources (a node, ``(docname, line)`` or ``"path:line"``)."""
    logger.error(message, location=location, type="edition", subtype=problem.subtype)


def report_data(error: DataError, *, location: Any, prefix: str = "") -> None:
    """Log what a pure layer raised, at the place it concerns."""
    report(error.problem, f"{prefix}{error}", location=location)


def stop(problem: Problem, what: str) -> NoReturn:
    """Stop after the problems above have been logged."""
    raise EditionError(problem, f"the build stopped: {what}")
