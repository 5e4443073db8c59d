"""The essay's words, from the copy-text and from each built edition.

The fidelity tests compare the two word by word. What is compared is the
author's text: title, byline, dateline, paragraphs, image captions and the
biographical note. The notes and the cover-image credit are not compared
here, since the edition sets them anew from ``refs.bib``; the site's
furniture after the notes is not part of the essay at all.
"""

from __future__ import annotations

import difflib
import re
import zipfile
from pathlib import Path

from lxml import html as lxml_html

ROOT = Path(__file__).resolve().parents[1]
COPY_TEXT = ROOT / "edition" / "_copytext" / "copy-text.txt"

_MARKER = re.compile(r"\s*\[\d+\]")
_NOTE_DIGITS = re.compile(r"(?<=[A-Za-z.,;:’”)])\d{1,2}$")


def copy_text_lines() -> list[str]:
    return COPY_TEXT.read_text("utf-8").split("\n")


def copy_text_essay() -> str:
    """The author's text as the copy-text has it, note markers removed.

    It starts at the title: the capture's "• Issy Williams" above the title is
    the page's author widget, which the edition sets as a byline below it
    (checked by its own test).

    Mended here, as in the edition: the capture's line break inside the
    Russian phrase (a build artefact of the capture, not a reading).
    """
    lines = copy_text_lines()
    start = next(i for i, l in enumerate(lines) if l.startswith("The Radicalisation Enigma"))
    end = next(i for i, l in enumerate(lines) if l.startswith("At the time of writing"))
    text = "\n".join(lines[start : end + 1])
    text = re.sub(r"трудоустройства в\n\nгороде", "трудоустройства в городе", text)
    return _MARKER.sub("", text)


def words(text: str) -> list[str]:
    return text.split()


def _text_of(root, drop_xpath: str) -> str:
    for node in root.xpath(drop_xpath):
        parent = node.getparent()
        tail = node.tail
        parent.remove(node)
        if tail:
            prev = node.getprevious() if False else None
            parent.text = (parent.text or "") + tail if prev is None else None
    return " ".join(root.itertext())


_DROP = (
    "//*[contains(concat(' ', @class, ' '), ' footnote-list ')]"
    " | //*[contains(concat(' ', @class, ' '), ' footnote-reference ')]"
    " | //*[contains(concat(' ', @class, ' '), ' headerlink ')]"
    " | //*[contains(concat(' ', @class, ' '), ' figure-placeholder ')]"
    " | //*[contains(concat(' ', @class, ' '), ' notes-heading ')]"
    " | //*[@id='fig-cover']"
    " | //*[contains(concat(' ', @class, ' '), ' byline ')]"
    " | //*[contains(concat(' ', @class, ' '), ' editorial ')]"
)


def _strip(root) -> None:
    for node in root.xpath(_DROP):
        parent = node.getparent()
        if parent is None:
            continue
        if node.tail:
            prev = node.getprevious()
            if prev is not None:
                prev.tail = (prev.tail or "") + node.tail
            else:
                parent.text = (parent.text or "") + node.tail
        parent.remove(node)


def _block_words(body) -> list[str]:
    blocks = body.xpath(".//h1 | .//p[not(ancestor::p)]")
    return words(" ".join(block.text_content() for block in blocks))


def html_essay_words(page: Path) -> list[str]:
    """The essay's words in an HTML or XHTML page (notes and furniture removed)."""
    root = lxml_html.fromstring(page.read_bytes())
    (body,) = root.xpath("//*[@role='main']//section[@id]") or root.xpath("//section[@id]")[:1]
    _strip(body)
    return _block_words(body)


def epub_essay_words(epub: Path) -> list[str]:
    with zipfile.ZipFile(epub) as z:
        data = z.read("essay.xhtml")
    root = lxml_html.fromstring(data)
    (body,) = root.xpath("//section[@id]")[:1]
    _strip(body)
    return _block_words(body)


def pdf_words(text: str, known: set[str]) -> list[str]:
    """Words of ``pdftotext`` output, with LaTeX's line-end hyphens undone."""
    out: list[str] = []
    lines = [l.split() for l in text.splitlines()]
    carry = ""
    for tokens in lines:
        for i, tok in enumerate(tokens):
            tok = carry + tok if carry else tok
            carry = ""
            if i == len(tokens) - 1 and tok.endswith("-") and len(tok) > 1:
                carry = tok  # join with the next line's first word
                continue
            out.append(tok)
    result = []
    for tok in out:
        tok = _NOTE_DIGITS.sub("", tok)
        if "-" in tok and tok not in known:
            joined = tok.replace("-", "", 1) if tok.count("-") == 1 else tok
            if joined in known:
                tok = joined
        result.append(tok)
    return result


def differences(expected: list[str], actual: list[str], *, allow_insertions: bool) -> list[str]:
    """Human-readable differences; insertions (notes, page furniture) allowed in the PDF."""
    problems = []
    matcher = difflib.SequenceMatcher(a=expected, b=actual, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal" or (tag == "insert" and allow_insertions):
            continue
        problems.append(
            f"{tag}: copy-text {' '.join(expected[max(0,i1-3):i2+3])!r} / edition {' '.join(actual[max(0,j1-3):j2+3])!r}"
        )
    return problems
