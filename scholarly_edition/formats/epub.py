"""The EPUB: EPUB 3 semantics for notes, its own look, a cover, and a file that is the same on every build.

Reading systems show a note as a pop-up, instead of a jump, when the
reference says ``epub:type="noteref"`` and the note ``epub:type="footnote"``.
docutils already writes the ARIA roles (``doc-noteref``, ``doc-footnote``);
this translator adds the EPUB vocabulary beside them.

The builder goes beyond Sphinx's own EPUB 3 builder where a reader or a
checker (EPUBCheck, DAISY Ace) would notice:

- one stylesheet of the book's own (``static/edition-epub.css``), in place
  of the epub theme's and the web's, which assume furo;
- ``lang`` and ``xml:lang`` on every page, and one viewport ``<meta>``;
- a cover drawn from the title page (:mod:`.epubcover`), marked as the
  cover image, with the cover page first in the reading order;
- the Index in the table of contents, and landmarks (cover, contents,
  the essay, the index) in the navigation document, whose ``epub:type``
  values carry their ARIA roles;
- no file the book does not use (the web's scripts, sphinx-copybutton's
  and Pygments' files, the favicon);
- accessibility metadata worked out from the built book (:mod:`.epubaccess`);
- a word boundary between a word and the editor's or the author's mark,
  since the marks stay text in the EPUB (reading systems may not draw
  generated content): a narrow no-break space, which keeps a mark from
  starting a line, and a space after each paragraph number.
"""

from __future__ import annotations

import html
import os
import posixpath
import re
import time
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import unquote, urlsplit
from zipfile import ZIP_DEFLATED, ZIP_STORED, ZipFile, ZipInfo

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders.epub3 import Epub3Builder, NavPoint
from sphinx.config import Config
from sphinx.locale import _
from sphinx.writers.html5 import HTML5Translator

from scholarly_edition import TEMPLATES
from scholarly_edition.apparatus.nodes import editorial_ref
from scholarly_edition.config import settings
from scholarly_edition.formats import epubaccess, epubcover
from scholarly_edition.text.paragraphs import paragraph_marker

STYLESHEET = "edition-epub.css"
"""The book's own stylesheet (in the package's ``static/``), the only one its pages link."""
COVER_IMAGE = "_images/edition-cover.png"
COVER_TEMPLATE = "edition-epub-cover.html"
NAV_TEMPLATE = TEMPLATES / "epub3" / "nav.xhtml.jinja"
MARK_SPACE = "\u202f"
"""NARROW NO-BREAK SPACE: a word boundary for any reader of the text, and no line break before the mark."""

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


def mark_boundaries(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """A word boundary before each note mark, and after each paragraph number, in the EPUB alone.

    On the web the marks are drawn by the stylesheet and are no part of the
    text; in the EPUB they are text, and without a space ``State`` and its
    commentary letter ``a`` read as one word, ``Statea``, to a search, a
    text-to-speech voice or a reader who copies the passage. A mark with
    nothing before it, or a space, is left alone. It runs once the
    apparatus has placed its marks (at ``doctree-resolved``).
    """
    if not isinstance(app.builder, EditionEpub3Builder):
        return
    marks: list[nodes.Element] = [*doctree.findall(nodes.footnote_reference), *doctree.findall(editorial_ref)]
    for mark in marks:
        before = mark.previous_sibling()
        if before is not None and not before.astext()[-1:].isspace():
            mark.parent.insert(mark.parent.index(mark), nodes.Text(MARK_SPACE))
    for number in list(doctree.findall(paragraph_marker)):
        after = number.next_node(descend=False, siblings=True)
        if after is not None and not after.astext()[:1].isspace():
            number.parent.insert(number.parent.index(number) + 1, nodes.Text(" "))


class Landmark(NamedTuple):
    type: str
    href: str
    title: str


class EditionEpub3Builder(Epub3Builder):
    """Sphinx's EPUB 3 builder, with the book's stylesheet, cover, navigation and metadata (see the module).

    It also names the book by its real identifier in ``toc.ncx``: Sphinx
    writes ``epub_uid`` (an XML id, so it cannot hold a URN) where
    ``toc.ncx`` wants the book's identifier; EPUBCheck then reports that
    the NCX and the OPF disagree (NCX-001).
    """

    def init_css_files(self) -> None:
        self._css_files = []
        self._add_stylesheets()

    def _add_stylesheets(self) -> None:
        """The book's stylesheet, then conf.py's ``epub_css_files``: not the epub theme's, nor the web's.

        The epub theme's epub.css styles Sphinx's search page (with an image,
        file.png) and much else the book does not have; the web's assume furo.
        """
        self.add_css_file(STYLESHEET, priority=500)
        for filename, attrs in self.config.epub_css_files:
            self.add_css_file(filename, **{"priority": 800, **attrs})

    def prepare_writing(self, docnames: Any) -> None:
        super().prepare_writing(docnames)  # adds every extension's stylesheet back
        self._css_files[:] = []
        self._add_stylesheets()
        self._orig_css_files = list(self._css_files)
        lang = html.escape(self.config.epub_language)
        self.globalcontext["html_tag"] = self.html_tag.replace(">", f' lang="{lang}" xml:lang="{lang}">', 1)

    def handle_page(
        self, pagename: str, addctx: dict[str, Any], templatename: str = "page.html", **kwargs: Any
    ) -> None:
        if pagename == posixpath.splitext(self.coverpage_name)[0]:
            addctx["cover_alt"] = epubcover.alt_text(self._cover_lines())
        super().handle_page(pagename, addctx, templatename, **kwargs)

    def _cover_lines(self) -> list[epubcover.Line]:
        return epubcover.cover_lines(settings(self.config), self.config.version)

    def _draws_cover(self) -> bool:
        return tuple(self.config.epub_cover) == (COVER_IMAGE, COVER_TEMPLATE)

    def build_content(self) -> None:
        """content.opf, once the cover is drawn and unused files are gone; then its metadata and cover image."""
        for path in unused_files(self.outdir):
            path.unlink()
        # the cover page is written below; one left by the last build would enter the spine twice
        (self.outdir / self.coverpage_name).unlink(missing_ok=True)
        if self._draws_cover():
            write_if_changed(self.outdir / COVER_IMAGE, epubcover.draw(self._cover_lines()))
        refnodes = self.refnodes
        if self.use_index:  # the contents may list the index too; the spine has it last, once (RSC-005)
            self.refnodes = [r for r in refnodes if r["refuri"] != self._index_page]
        try:
            super().build_content()
        finally:
            self.refnodes = refnodes
        pages = {p.name: p.read_text("utf-8") for p in self.outdir.glob("*.xhtml") if p.name != "nav.xhtml"}
        book = epubaccess.read_book(pages, has_toc=True, has_index=self.use_index)
        c = settings(self.config)
        pairs = epubaccess.properties(book, c.epub_conforms_to, c.contributors)
        cover = self.config.epub_cover[0] if self.config.epub_cover else None
        opf = self.outdir / "content.opf"
        opf.write_text(epubaccess.add_to_package(opf.read_text("utf-8"), pairs, cover), "utf-8")

    @property
    def _index_page(self) -> str:
        return "genindex" + self.out_suffix

    def _lists_index(self, refuris: list[str]) -> bool:
        """Whether the contents already name the index (a ``genindex`` entry in the root toctree)."""
        return any(uri.split("#")[0] == self._index_page for uri in refuris)

    def landmarks(self) -> list[Landmark]:
        """The book's major parts, for a reading system's "go to" menu."""
        marks = []
        if self.config.epub_cover and self.config.epub_cover[1]:
            marks.append(Landmark("cover", self.coverpage_name, self.guide_titles["cover"]))
        marks.append(Landmark("toc", self.config.root_doc + self.out_suffix, self.guide_titles["toc"]))
        essay = settings(self.config).essay_doc
        if essay and essay in self.env.titles:
            marks.append(Landmark("bodymatter", essay + self.out_suffix, self.env.titles[essay].astext()))
        if self.use_index:
            marks.append(Landmark("index", self._index_page, _("Index")))
        return [Landmark(*map(html.escape, mark)) for mark in marks]

    def navigation_doc_metadata(self, navlist: list[NavPoint]) -> dict[str, Any]:
        if self.use_index and not self._lists_index([nav.refuri for nav in navlist]):
            navlist = [*navlist, NavPoint(html.escape(_("Index")), self._index_page, [])]
        metadata = super().navigation_doc_metadata(navlist)
        metadata["landmarks"] = self.landmarks()
        metadata["landmarks_locale"] = html.escape(_("Landmarks"))
        metadata["stylesheet"] = f"_static/{STYLESHEET}"
        return metadata

    def build_navigation_doc(self) -> None:
        """nav.xhtml from the edition's template (Sphinx's has no roles, no Index and no landmarks)."""
        template_dir = self.template_dir
        try:
            self.template_dir = NAV_TEMPLATE.parent  # type: ignore[assignment]
            super().build_navigation_doc()
        finally:
            self.template_dir = template_dir

    def build_navpoints(self, refnodes: list[dict[str, Any]]) -> list[Any]:
        """toc.ncx's entries, with the Index last, as in nav.xhtml."""
        if self.use_index and not self._lists_index([node["refuri"] for node in refnodes]):
            index = {"level": 1, "refuri": self._index_page, "text": html.escape(_("Index"))}
            refnodes = [*refnodes, index]
        return super().build_navpoints(refnodes)

    def toc_metadata(self, level: int, navpoints: list[Any]) -> dict[str, Any]:
        metadata = super().toc_metadata(level, navpoints)
        metadata["uid"] = self.config.epub_identifier
        return metadata

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


_REFERENCE = re.compile(r"""(?:\b(?:href|src)="([^"#?]+)|url\(\s*['"]?([^'")#?]+))""")


def unused_files(outdir: Path) -> list[Path]:
    """Files in ``outdir/_static`` that no page and no stylesheet of the book refers to."""
    used: set[str] = set()
    pending = [p for p in outdir.rglob("*.xhtml")]
    seen: set[Path] = set()
    while pending:
        source = pending.pop()
        if source in seen or not source.is_file():
            continue
        seen.add(source)
        for match in _REFERENCE.finditer(source.read_text("utf-8", errors="replace")):
            ref = unquote(match[1] or match[2])
            if urlsplit(ref).scheme:
                continue
            target = (source.parent / ref).resolve()
            used.add(os.fspath(target))
            if target.suffix == ".css":
                pending.append(target)  # a stylesheet's own url()s count too
    static = outdir / "_static"
    return sorted(p for p in static.rglob("*") if p.is_file() and os.fspath(p.resolve()) not in used)


def write_if_changed(path: Path, data: bytes) -> None:
    """Write ``data`` unless ``path`` already holds it (so its date, and any rebuild, stay put)."""
    if path.is_file() and path.read_bytes() == data:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def drop_viewport_duplicate(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """One viewport ``<meta>``: the epub theme's layout writes one, and docutils' head another."""
    if isinstance(app.builder, EditionEpub3Builder) and "metatags" in context:
        context["metatags"] = re.sub(r'<meta name="viewport"[^>]*>\s*', "", context["metatags"])


def default_cover(app: Sphinx, config: Config) -> None:
    """The drawn cover, unless conf.py gives a cover of its own.

    Set as the configuration is read, so that the value the environment
    keeps is the value the next build reads: a cover set later would count
    as a changed setting and make every build read every source again.
    """
    if not config.epub_cover:
        config.epub_cover = (COVER_IMAGE, COVER_TEMPLATE)


def zip_date(epoch: str | None) -> tuple[int, int, int, int, int, int]:
    """A zip entry date: ``epoch`` in UTC (now without one), no earlier than 1980 as zip requires."""
    seconds = max(int(epoch), 315532800) if epoch else time.time()
    return time.gmtime(seconds)[:6]


def setup(app: Sphinx) -> None:
    app.add_builder(EditionEpub3Builder, override=True)
    app.set_translator("epub", EpubTranslator)
    app.connect("doctree-resolved", mark_boundaries, priority=900)  # after the apparatus's marks (600)
    app.connect("html-page-context", drop_viewport_duplicate)
    app.connect("config-inited", default_cover)
