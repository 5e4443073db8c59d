"""The essay's words, from the copy-text and from each built edition.

The fidelity tests compare the two word by word, after applying the
emendations the edition records in its textual notes (read from each
format's own textual-notes page), so that a difference passes only if it is
recorded, and a recorded emendation only if the text carries it out. What is compared is the
author's text: title, byline, dateline, paragraphs, image captions and the
biographical note. The notes and the cover-image credit are not compared
here, since the edition sets them anew from ``refs.bib``; the site's
furniture after the notes is not part of the essay at all.
"""

from __future__ import annotations

import difflib
import re
import zipfile
from collections import deque
from dataclasses import dataclass
from pathlib import Path

from lxml import html as lxml_html

ROOT = Path(__file__).resolve().parents[1]
COPY_TEXT = ROOT / "edition" / "_copytext" / "copy-text.txt"

_MARKER = re.compile(r"\s*\[\d+\]")
_PUNCT = re.compile(r"[.,;:’”)\]]+")
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


@dataclass(frozen=True)
class Emendation:
    """A recorded emendation: the copy-text's reading and the edition's."""

    copy_text: str
    edition: str


def _emendations(root) -> list[Emendation]:
    found = []
    for entry in root.xpath(
        "//*[contains(concat(' ', @class, ' '), ' tn-entry ') and contains(concat(' ', @class, ' '), ' emendation ')]"
    ):
        (copy,) = entry.xpath(".//*[contains(concat(' ', @class, ' '), ' tn-copy-text ')]")
        (edition,) = entry.xpath(".//*[contains(concat(' ', @class, ' '), ' tn-edition ')]")
        found.append(Emendation(" ".join(copy.text_content().split()), " ".join(edition.text_content().split())))
    return found


def html_emendations(page: Path) -> list[Emendation]:
    """The emendations an HTML or XHTML textual-notes page records."""
    return _emendations(lxml_html.fromstring(page.read_bytes()))


def epub_emendations(epub: Path) -> list[Emendation]:
    with zipfile.ZipFile(epub) as z:
        return _emendations(lxml_html.fromstring(z.read("textual-notes.xhtml")))


def apply_emendations(text: str, emendations: list[Emendation]) -> str:
    """The copy-text as the edition should read, every recorded emendation carried out once."""
    flat = " ".join(text.split())
    for e in emendations:
        count = flat.count(e.copy_text)
        if count != 1:
            raise AssertionError(f"emendation {e}: its copy-text reading occurs {count} times, not once")
        flat = flat.replace(e.copy_text, e.edition)
    return flat


def unrecorded_differences(expected: list[str], actual: list[str], emendations: list[Emendation]) -> list[str]:
    """Differences between copy-text and edition words that no emendation accounts for."""
    recorded = {w for e in emendations for w in e.copy_text.split() + e.edition.split()}
    problems = []
    matcher = difflib.SequenceMatcher(a=expected, b=actual, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        changed = set(expected[i1:i2]) | set(actual[j1:j2])
        if not changed <= recorded:
            problems.append(f"{tag}: copy-text {expected[i1:i2]!r} / edition {actual[j1:j2]!r}")
    return problems


def words(text: str) -> list[str]:
    return text.split()


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


MARK_SPACE = "\u202f"
"""The narrow no-break space the EPUB sets between a word and its mark: it goes with the mark."""


def _strip(root) -> None:
    for node in root.xpath(_DROP):
        parent = node.getparent()
        if parent is None:
            continue
        prev = node.getprevious()
        if prev is not None and (prev.tail or "").endswith(MARK_SPACE):
            prev.tail = prev.tail[: -len(MARK_SPACE)]
        elif prev is None and (parent.text or "").endswith(MARK_SPACE):
            parent.text = parent.text[: -len(MARK_SPACE)]
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
    (body,) = (root.xpath("//*[@role='main']//section[@id]") or root.xpath("//section[@id]"))[:1]
    _strip(body)
    return _block_words(body)


def epub_essay_words(epub: Path) -> list[str]:
    with zipfile.ZipFile(epub) as z:
        data = z.read("essay.xhtml")
    root = lxml_html.fromstring(data)
    (body,) = root.xpath("//section[@id]")[:1]
    _strip(body)
    return _block_words(body)


def strip_editorial_markers(tokens: list[str], known: set[str], markers: list[str]) -> list[str]:
    """Tokens with the editor's markers (°, a, b …) taken off the words they follow.

    pdftotext glues a superscript marker to its word (``Finnuala°``,
    ``Khalimovf``, ``AP’2b``) and may split off the punctuation after it
    (``Statea .``). The degree sign of a textual note is never the
    author's, so it is simply dropped; a commentary letter is taken off only
    in text order (the next letter the HTML prints) and only where what
    remains is a word of the essay, so nothing of the author's can be
    removed this way.
    """
    letters = deque(m for m in markers if m != "°")
    out: list[str] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        i += 1
        if tok in known:
            out.append(tok)
            continue
        if "°" in tok:
            tok = tok.replace("°", "")
            if not tok:
                continue
        if letters and tok == letters[0]:  # a letter on its own (a word of the essay is kept above)
            letters.popleft()
            continue
        glue = nxt if _PUNCT.fullmatch(nxt) else ""

        def ok(candidate: str) -> bool:
            return any(c in known or _NOTE_DIGITS.sub("", c) in known for c in (candidate, candidate + glue) if c)

        if not ok(tok) and letters:
            match = re.fullmatch(r"(.*?)([.,;:’”)\]]*)", tok, re.DOTALL)
            core, tail = match[1], match[2]
            if core.endswith(letters[0]) and ok(core[: -len(letters[0])] + tail):
                tok = core[: -len(letters[0])] + tail
                letters.popleft()
        if glue and tok not in known and _NOTE_DIGITS.sub("", tok) not in known and ok(tok):
            tok += glue
            i += 1
        out.append(tok)
    return out


def html_editorial_markers(page: Path) -> list[str]:
    """The editor's markers on the essay page (text and notes), as the HTML prints them."""
    root = lxml_html.fromstring(page.read_bytes())
    refs = root.xpath("//*[@role='main']//a[contains(@class, 'tn-marker') or contains(@class, 'ed-marker')]")
    # on the web the sign is drawn from data-mark; the EPUB keeps it as text
    return [r.get("data-mark") or r.text_content().strip() for r in refs]


def pdf_section_text(pdf: Path, title: str) -> str:
    """The text of the pages of one section of the PDF, found by its bookmark."""
    import subprocess

    from pypdf import PdfReader

    reader = PdfReader(pdf)
    starts = sorted(
        (reader.get_destination_page_number(item), item.title) for item in reader.outline if not isinstance(item, list)
    )
    first = next(page for page, name in starts if name.startswith(title))
    later = [page for page, _ in starts if page > first]
    last = later[0] if later else len(reader.pages) - 1
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-f", str(first + 1), "-l", str(last + 1), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    # the section's first page may end the one before: start at its heading
    words = title.split()
    heading = re.search(r"\s+".join(map(re.escape, words)), text)
    return text[heading.start() :] if heading else text


_MARK = re.compile(r"°|[a-z]|\d{1,2}")
_MARK_THEN_PUNCT = re.compile(rf"({_MARK.pattern})?({_PUNCT.pattern})")


def punctuation_before_marks(tokens: list[str]) -> list[str]:
    """Tokens with the punctuation that follows a mark put back on the word before it.

    The edition sets a mark straight after its word (``State`` ``a``
    ``.``), where the copy-text has the word and its full stop (``State.``);
    a mark extraction glues to its word (``Statea``) stays as it is.
    """
    out: list[str] = []
    for tok in tokens:
        match = _MARK_THEN_PUNCT.fullmatch(tok)
        if match and out and (match[1] or _MARK.fullmatch(out[-1])):
            word = len(out) - 1
            while word > 0 and _MARK.fullmatch(out[word]):
                word -= 1
            out[word] += match[2]
            if match[1]:
                out.append(match[1])
            continue
        out.append(tok)
    return out


def pdf_words(text: str, known: set[str], markers: list[str] | None = None, *, glued: bool = True) -> list[str]:
    """Words of ``pdftotext`` output, with LaTeX's line-end hyphens undone.

    Punctuation after a mark goes back on the word before it. ``glued=False``:
    no mark or note number is taken off a word, so a word that extraction
    runs together with its mark stays wrong.
    """
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
    out = punctuation_before_marks(out)
    if markers:
        out = strip_editorial_markers(out, known, markers)
    # pdftotext takes the hyphen off a line's end even where the word has it ("on-the-" "ground")
    unhyphenated = {w[:i] + w[i + 1 :]: w for w in known for i, c in enumerate(w) if c == "-"}
    result = []
    for tok in out:
        if glued:
            tok = _NOTE_DIGITS.sub("", tok)
        if tok not in known and tok in unhyphenated:
            tok = unhyphenated[tok]
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
            f"{tag}: copy-text {' '.join(expected[max(0, i1 - 3) : i2 + 3])!r} / edition {' '.join(actual[max(0, j1 - 3) : j2 + 3])!r}"
        )
    return problems


# -- word boundaries at marks --------------------------------------------------

MARKS = (
    "//*[contains(concat(' ', @class, ' '), ' footnote-reference ')]"
    " | //*[contains(concat(' ', @class, ' '), ' tn-marker ')]"
    " | //*[contains(concat(' ', @class, ' '), ' ed-marker ')]"
    " | //*[contains(concat(' ', @class, ' '), ' paragraph-marker ')]"
)
"""The marks set in the author's text: note numbers, the editor's sigla, paragraph numbers."""
SENTINEL = "\ue000"  # a private-use character: in no text, and neither a letter nor a space
_GLUED = re.compile(rf"(?<!\s){SENTINEL}|{SENTINEL}(?=\w)")
_FURNITURE = (
    "//*[contains(concat(' ', @class, ' '), ' footnote-list ')]"
    " | //*[contains(concat(' ', @class, ' '), ' headerlink ')]"
    " | //*[contains(concat(' ', @class, ' '), ' figure-placeholder ')]"
    " | //*[contains(concat(' ', @class, ' '), ' figure-description ')]"
    " | //*[contains(concat(' ', @class, ' '), ' notes-heading ')]"
    " | //*[@id='fig-cover']"
    " | //*[contains(concat(' ', @class, ' '), ' byline ')]"
)
"""What the edition adds around the essay's words (the marks excepted), as in ``_DROP``."""


def marks_as_sentinels(root) -> int:
    """Each mark's text replaced by one ``SENTINEL``, its markup and tail kept; returns how many."""
    marks = root.xpath(MARKS)
    for mark in marks:
        for child in list(mark):
            mark.remove(child)
        mark.text = SENTINEL
    return len(marks)


def glued_marks(text: str) -> list[str]:
    """Where a mark (a ``SENTINEL``) touches a word: with no space before it, or a letter or digit after."""
    return [text[max(0, m.start() - 25) : m.end() + 25] for m in _GLUED.finditer(text)]


def letter_words(text: str) -> list[str]:
    """Runs of letters and digits: the words of a text, whatever punctuation or spaces stand between."""
    return re.findall(r"\w+", text)


def epub_page_texts(epub: Path) -> dict[str, str]:
    """Each XHTML page's ``text_content``, its marks as ``SENTINEL``s."""
    texts = {}
    with zipfile.ZipFile(epub) as z:
        for name in sorted(n for n in z.namelist() if n.endswith(".xhtml")):
            root = lxml_html.fromstring(z.read(name))
            marks_as_sentinels(root)
            texts[name] = root.text_content()
    return texts


def epub_essay_text(epub: Path) -> str:
    """The text content of the essay's blocks in essay.xhtml, its marks kept as ``SENTINEL``s."""
    with zipfile.ZipFile(epub) as z:
        root = lxml_html.fromstring(z.read("essay.xhtml"))
    marks_as_sentinels(root)
    (body,) = root.xpath("//section[@id]")[:1]
    for node in body.xpath(_FURNITURE):
        node.drop_tree()  # keeps its tail
    blocks = body.xpath(".//h1 | .//p[not(ancestor::p)]")
    return "\n".join(block.text_content() for block in blocks)
