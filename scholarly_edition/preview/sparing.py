"""What an incremental build may leave as the last clean build wrote it, and what it may not.

Sphinx's HTML builder, on every build, copies every static file, writes the
index and the search page again, and writes every page whose toctree lists
a page it read (its title might have changed). After an edit of a
paragraph none of them changes, and together they are a good part of what
the preview's build costs; so the preview's application does each of them
only when what it is made from changed since the last clean build:

- the static files: when the application is new (any change to something
  else than a page makes one, :mod:`.building`);
- the index page (``genindex``): when an index entry, a mention's place
  (``edition-mentions``), or a page's title or contents changed;
- the search page, and the pages whose toctrees list a page read: when a
  page's title or contents, a label or a term changed (:func:`crossrefs`);
  and then every page is written again, since every page's navigation shows
  the titles and any page may refer to a label, which Sphinx would resolve
  afresh only on the pages it writes.

After a build that was not clean, the next one makes the index and the
search page again, and the pages that build read or wrote
(:mod:`.building`): nothing it may have left half-made stays.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

MENTIONS = "edition-mentions"
"""The domain of the index's mentions, with the place of each (``scholarly_edition.text.mentions``)."""


def crossrefs(env: BuildEnvironment) -> tuple[object, ...]:
    """What a page may show of other pages: titles, contents, the toctree, labels and terms (std domain)."""
    std = env.domaindata.get("std", {})
    return (
        {doc: node.astext() for doc, node in sorted(env.titles.items())},
        {doc: node.pformat() for doc, node in sorted(env.tocs.items())},
        dict(env.toctree_includes),
        dict(std.get("labels", {})),
        dict(std.get("anonlabels", {})),
        dict(std.get("objects", {})),
    )


def index_of(env: BuildEnvironment) -> tuple[object, ...]:
    """What the index page is made from, beside the titles: its entries and the mentions' places."""
    return (env.domaindata.get("index", {}), env.domaindata.get(MENTIONS, {}))


class Sparing:
    """The builder's copying and writing of what may not have changed, done only when it may have."""

    def __init__(self, app: Sphinx) -> None:
        self.app = app
        self.outdir = Path(app.outdir)
        self.assets_copied = False
        self.written: dict[str, object] = {}  # what the last clean build's files were made from
        self.now: dict[str, object] = {}
        self.regenerate = True  # the index and the search page: after a build that was not clean
        builder: Any = app.builder
        self._copy_static = builder.copy_static_files
        self._copy_extra = builder.copy_extra_files
        self._indices = builder.gen_indices
        self._additional = builder.gen_additional_pages
        self._write = builder.write
        builder.copy_static_files = self.copy_static_files
        builder.copy_extra_files = self.copy_extra_files
        builder.gen_indices = self.gen_indices
        builder.gen_additional_pages = self.gen_additional_pages
        builder.write = self.write

    def read(self, env: BuildEnvironment) -> list[str]:
        """After reading: what the pages are made from now; every page to write, if a page may show it."""
        self.now = {"crossrefs": crossrefs(env), "index": index_of(env)}
        return [] if self.unchanged("crossrefs") else sorted(env.found_docs)

    def unchanged(self, *names: str) -> bool:
        return all(name in self.written and self.written[name] == self.now.get(name) for name in names)

    def clean(self) -> None:
        """The build was clean: its files are what ``now`` was made into."""
        self.written, self.assets_copied, self.regenerate = dict(self.now), True, False

    def failed(self) -> None:
        """The build was not clean: the index and search page it may have written are made again.

        (The pages it read or wrote are read again, :mod:`.building`.)
        """
        self.regenerate = True

    def copy_static_files(self) -> None:
        if not self.assets_copied:
            self._copy_static()
        else:
            # Sphinx's Pygments stylesheet, which furo overwrites after every build, as the pages are
            # bundled from it in between (formats.bundles): a clean build's pages link the same bundle
            self.app.builder.create_pygments_style_file()  # type: ignore[attr-defined]

    def copy_extra_files(self) -> None:
        if not self.assets_copied:
            self._copy_extra()

    def gen_indices(self) -> None:
        if self.regenerate or not (self.unchanged("crossrefs", "index") and (self.outdir / "genindex.html").is_file()):
            self._indices()

    def gen_additional_pages(self) -> None:
        if self.regenerate or not (self.unchanged("crossrefs") and (self.outdir / "search.html").is_file()):
            self._additional()

    def write(self, build_docnames: Any, updated_docnames: Any, method: str = "update") -> None:
        """Sphinx's write, without the pages whose toctrees list a page read, when no title or contents changed."""
        env = self.app.env
        if not self.unchanged("crossrefs"):
            self._write(build_docnames, updated_docnames, method)
            return
        parents, env.files_to_rebuild = env.files_to_rebuild, {}
        try:
            self._write(build_docnames, updated_docnames, method)
        finally:
            env.files_to_rebuild = parents
