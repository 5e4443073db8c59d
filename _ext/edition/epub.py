"""EPUB 3 semantics for notes.

Reading systems show a note as a pop-up, instead of a jump, when the
reference says ``epub:type="noteref"`` and the note ``epub:type="footnote"``.
docutils already writes the ARIA roles (``doc-noteref``, ``doc-footnote``);
this translator adds the EPUB vocabulary beside them.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders.epub3 import Epub3Builder
from sphinx.writers.html5 import HTML5Translator

_EPUB_TYPES = {
    (nodes.footnote_reference, "a"): "noteref",
    (nodes.footnote, "aside"): "footnote",
}


class EpubTranslator(HTML5Translator):
    def starttag(self, node: nodes.Element, tagname: str, suffix: str = "\n", empty: bool = False, **attributes: Any) -> str:
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


def setup(app: Sphinx) -> None:
    app.add_builder(EditionEpub3Builder, override=True)
    app.set_translator("epub", EpubTranslator)
