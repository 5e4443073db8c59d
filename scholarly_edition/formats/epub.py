"""EPUB 3 semantics for notes, and an EPUB file that is the same on every build.

Reading systems show a note as a pop-up, instead of a jump, when the
reference says ``epub:type="noteref"`` and the note ``epub:type="footnote"``.
docutils already writes the ARIA roles (``doc-noteref``, ``doc-footnote``);
this translator adds the EPUB vocabulary beside them.
"""

from __future__ import annotations

import os
import time
from typing import Any
from zipfile import ZIP_DEFLATED, ZIP_STORED, ZipFile, ZipInfo

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders.epub3 import Epub3Builder
from sphinx.writers.html5 import HTML5Translator

_EPUB_TYPES = {
    (nodes.footnote_reference, "a"): "noteref",
    (nodes.footnote, "aside"): "footnote",
}


class EpubTranslator(HTML5Translator):
    def starttag(
        self, node: nodes.Element, tagname: str, suffix: str = "\n", empty: bool = False, **attributes: Any
    ) -> str:
        for (node_type, tag), epub_type in _EPUB_TYPES.items():
            if isinstance(node, node_type) and tagname == tag:
                attributes["epub:type"] = epub_type
        return super().starttag(node, tagname, suffix, empty, **attributes)


class EditionEpub3Builder(Epub3Builder):
    """Names the book by its real identifier in ``toc.ncx`` too.

    Sphinx writes ``epub_uid`` (an XML id, so it cannot hold a URN) where
    ``toc.ncx`` wants the book's identifier; EPUBCheck then reports that
    the NCX and the OPF disagree (NCX-001).
    """

    def toc_metadata(self, level: int, navpoints: list[Any]) -> dict[str, Any]:
        metadata = super().toc_metadata(level, navpoints)
        metadata["uid"] = self.config.epub_identifier
        return metadata

    def build_content(self) -> None:
        """Put the index in the spine once.

        The index is in the contents (a ``genindex`` toctree entry), so it is
        among the pages the spine lists in reading order; Sphinx then adds it
        again as the book's index, and EPUBCheck rejects the second itemref
        (RSC-005). The contents keep it; the spine has it last, once.
        """
        refnodes = self.refnodes
        if self.use_index:
            self.refnodes = [r for r in refnodes if r["refuri"] != f"genindex{self.out_suffix}"]
        try:
            super().build_content()
        finally:
            self.refnodes = refnodes

    def build_epub(self) -> None:
        """Zip the book so that one commit always gives the same bytes.

        Sphinx's own zip takes each entry's date from the file's mtime, in
        local time, and its permissions from the umask, so two builds of one
        commit differ. Here every entry is dated ``SOURCE_DATE_EPOCH`` (UTC)
        and is a plain 0644 file; the order is Sphinx's, which is sorted.
        """
        date = zip_date(os.environ.get("SOURCE_DATE_EPOCH"))
        names = ["mimetype", "META-INF/container.xml", "content.opf", "toc.ncx", *self.files]
        with ZipFile(self.outdir / f"{self.config.epub_basename}.epub", "w") as epub:
            for name in names:
                info = ZipInfo(name, date_time=date)
                info.compress_type = ZIP_STORED if name == "mimetype" else ZIP_DEFLATED
                info.create_system = 3  # Unix, wherever it is built
                info.external_attr = 0o100644 << 16
                epub.writestr(info, (self.outdir / name).read_bytes())


def zip_date(epoch: str | None) -> tuple[int, int, int, int, int, int]:
    """A zip entry date: ``epoch`` in UTC (now without one), no earlier than 1980 as zip requires."""
    seconds = max(int(epoch), 315532800) if epoch else time.time()
    return time.gmtime(seconds)[:6]


def setup(app: Sphinx) -> None:
    app.add_builder(EditionEpub3Builder, override=True)
    app.set_translator("epub", EpubTranslator)
