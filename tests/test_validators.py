"""Validators on the built edition, each at zero: the Nu HTML Checker, internal links, the PDF.

EPUBCheck runs in test_edition.py and axe-core in test_browser.py; this
module holds the rest, and reports each count among the run's figures.
"""

from __future__ import annotations

import json
import posixpath
import re
import runpy
import subprocess
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import system
from conftest import STEM
from lxml import etree
from lxml import html as lxml_html

ROOT = Path(__file__).resolve().parents[1]
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
CONF = runpy.run_path(str(ROOT / "conf.py"))

_LINKS = " | ".join(
    f"//*[local-name()='{tag}']/@{attribute}"  # local-name(): the same query for HTML and XHTML
    for tag, attribute in [
        ("a", "href"),
        ("link", "href"),
        ("script", "src"),
        ("img", "src"),
        ("form", "action"),
        ("iframe", "src"),
        ("source", "src"),
    ]
)


def test_nu_html_checker_finds_no_error_on_any_page(edition, figures) -> None:
    system.require("java")
    if not VNU.exists():
        pytest.fail(f"the Nu HTML Checker is not installed: run `npm ci --ignore-scripts` in {ROOT}")
    pages = sorted(str(p) for p in edition.html.rglob("*.html"))
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--format", "json", "--stdout", "--exit-zero-always", *pages],
        capture_output=True,
        text=True,
        check=True,
    )
    messages = json.loads(result.stdout)["messages"]
    errors = [m for m in messages if m["type"] in {"error", "non-document-error"}]
    warnings = [m for m in messages if m.get("subType") == "warning"]
    figures["Nu HTML Checker"] = f"{len(errors)} errors, {len(warnings)} warnings on {len(pages)} pages"
    assert errors == [], [(Path(m.get("url", "")).name, m.get("lastLine"), m["message"]) for m in errors]


def _local(ref: str) -> tuple[str, str] | None:
    """(path, fragment) of a reference inside the site; None for one to elsewhere."""
    parts = urlsplit(ref)
    if parts.scheme or parts.netloc:
        return None
    return unquote(parts.path), unquote(parts.fragment)


def broken_links(documents: dict[str, etree._Element], exists) -> tuple[int, list[str]]:
    """Every reference among ``documents`` (path -> parsed page) that leads nowhere."""
    ids = {
        path: set(root.xpath("//@id")) | set(root.xpath("//*[local-name()='a']/@name"))
        for path, root in documents.items()
    }
    checked, broken = 0, []
    for path, root in documents.items():
        for ref in root.xpath(_LINKS):
            target = _local(ref)
            if target is None:
                continue
            checked += 1
            target_path, fragment = target
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(path), target_path)) if target_path else path
            if not exists(resolved):
                broken.append(f"{path}: {ref} (no file {resolved})")
            elif fragment and resolved in documents and fragment not in ids[resolved]:
                broken.append(f"{path}: {ref} (no id {fragment!r} in {resolved})")
            elif fragment and resolved not in documents:
                broken.append(f"{path}: {ref} (a fragment into {resolved}, which is not a page)")
    return checked, broken


def test_every_internal_link_and_fragment_resolves_in_the_html(edition, figures) -> None:
    pages = {
        p.relative_to(edition.html).as_posix(): lxml_html.fromstring(p.read_bytes())
        for p in edition.html.rglob("*.html")
    }
    checked, broken = broken_links(pages, lambda path: (edition.html / path).is_file())
    figures["internal links, HTML"] = f"{checked} checked, {len(broken)} broken"
    assert checked > 100
    assert broken == []


def test_every_internal_link_and_fragment_resolves_in_the_epub(edition, figures) -> None:
    with zipfile.ZipFile(edition.epub) as book:
        names = set(book.namelist())
        documents = {n: etree.fromstring(book.read(n)) for n in names if n.endswith(".xhtml")}
        opf = etree.fromstring(book.read("content.opf"))
        ncx = etree.fromstring(book.read("toc.ncx"))
    checked, broken = broken_links(documents, lambda path: path in names)
    # the package's manifest and the NCX point into the book too
    for href in opf.xpath("//*[local-name()='item']/@href") + ncx.xpath("//*[local-name()='content']/@src"):
        checked += 1
        path, fragment = _local(href) or ("", "")
        if path not in names or (fragment and fragment not in set(documents[path].xpath("//@id"))):
            broken.append(f"content.opf/toc.ncx: {href}")
    figures["internal links, EPUB"] = f"{checked} checked, {len(broken)} broken"
    assert checked > 50
    assert broken == []


def test_the_link_check_finds_a_broken_link() -> None:
    page = lxml_html.fromstring(
        '<p id="here"><a href="#here">ok</a> <a href="#gone">x</a> <a href="nowhere.html">y</a></p>'
    )
    checked, broken = broken_links({"a.html": page}, lambda path: path == "a.html")
    assert checked == 3 and len(broken) == 2


# -- PDF -----------------------------------------------------------------------


def _pdf_text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def _squash(text: str) -> str:
    """Letters and digits only, so line breaks, hyphenation and page furniture's spaces do not count."""
    return re.sub(r"[\W_]+", "", text).casefold()


def test_pdf_fonts_are_all_embedded(edition, figures) -> None:
    rows = subprocess.run(
        ["pdffonts", str(edition.pdf)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    embedded = [row for row in rows if row.split()[-5] == "yes"]
    figures["PDF fonts embedded"] = f"{len(embedded)} of {len(rows)}"
    assert rows and len(embedded) == len(rows), rows


def test_pdf_metadata_comes_from_conf_py(edition) -> None:
    from pypdf import PdfReader

    info = PdfReader(edition.pdf).metadata
    assert info.title == CONF["project"]
    assert info.author == CONF["author"]
    assert info.subject == CONF["edition_subject"]
    assert [k.strip() for k in info["/Keywords"].split(",")] == CONF["edition_keywords"]


def _tex_to_text(tex: str) -> str:
    tex = re.sub(r"\\(?:label|index)\{(?:[^{}]|\{[^{}]*\})*\}", "", tex)
    tex = re.sub(r"\\[A-Za-z@]+\*?", "", tex)
    return " ".join(tex.replace("{", "").replace("}", "").replace("~", " ").split())


def test_pdf_has_a_bookmark_for_every_section(edition, figures) -> None:
    from pypdf import PdfReader

    def titles(outline) -> list[str]:
        out = []
        for item in outline:
            out.extend(titles(item) if isinstance(item, list) else [" ".join(item.title.split())])
        return out

    bookmarks = titles(PdfReader(edition.pdf).outline)
    tex = (edition.latex / f"{STEM}.tex").read_text("utf-8")
    heads = re.findall(
        r"\\(?:part|chapter|section|subsection|subsubsection)\{((?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*)\}", tex
    )
    sections = [_tex_to_text(h) for h in heads]
    figures["PDF bookmarks"] = f"{len(bookmarks)} for {len(sections)} sections (and the index)"
    assert len(sections) >= 2
    # every section in order; the index, which LaTeX makes without a \section, may add one more
    remaining = iter(_squash(b) for b in bookmarks)
    missing = [s for s in sections if _squash(s) not in remaining]
    assert missing == [], (missing, bookmarks)
    assert len(bookmarks) <= len(sections) + 1, bookmarks


def test_pdf_has_every_notes_text_in_order(edition) -> None:
    root = lxml_html.fromstring((edition.html / "essay.html").read_bytes())
    notes = [" ".join(n.text_content().split()) for n in root.xpath("//aside[@role='doc-footnote']")]
    assert len(notes) == 22
    text = _squash(_pdf_text(edition.pdf))
    position = 0
    for number, note in enumerate(notes, start=1):
        body = _squash(re.sub(r"^\[\d+\]\s*", "", note))
        found = text.find(body, position)
        assert found >= 0, (number, note)
        position = found + len(body)


def test_pdf_cyrillic_and_accented_text_extracts(edition) -> None:
    from pypdf import PdfReader

    by_poppler = _pdf_text(edition.pdf)
    by_pypdf = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(edition.pdf).pages)
    for text in (by_poppler, by_pypdf):
        flat = " ".join(text.split())
        assert "основные правила трудоустройства в городе москве" in flat
        assert "Ní Aoláin" in flat
        assert "Domínguez" in flat
