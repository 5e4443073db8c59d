"""The base of the edition's Sphinx domains: state kept per document, merged after parallel reads.

Each subpackage keeps what it learns from the documents in a domain of its
own, as ``sphinx.ext.todo`` keeps its todos: ``data`` holds one dict per
kind of record, keyed by document, which :meth:`clear_doc` and
:meth:`merge_domaindata` handle alike; build-wide results computed after
reading (formatted notes, placed apparatus) sit beside them.
"""

from __future__ import annotations

from collections.abc import Set
from typing import Any, ClassVar

from sphinx.domains import Domain


class StateDomain(Domain):
    """A domain with no objects of its own: only records of what its documents hold."""

    per_document: ClassVar[tuple[str, ...]] = ()
    """Keys of ``data`` whose values are dicts keyed by document name."""
    results: ClassVar[dict[str, Any]] = {}
    """Keys of ``data`` for build-wide results, with their empty values."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.initial_data = {**{name: {} for name in cls.per_document}, **cls.results}

    def clear_doc(self, docname: str) -> None:
        for name in self.per_document:
            self.data[name].pop(docname, None)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for name in self.per_document:
            ours, theirs = self.data[name], otherdata[name]
            for docname in docnames:
                if docname in theirs:
                    ours[docname] = theirs[docname]

    def record(self, name: str, docname: str, value: Any) -> None:
        """Keep ``value`` for ``docname``, or forget it if it is empty."""
        if value:
            self.data[name][docname] = value
        else:
            self.data[name].pop(docname, None)
