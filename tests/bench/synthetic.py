"""A larger edition, made from the real one, to see how build cost grows.

At ``factor`` × the essay keeps everything it has, and after its last noted
block gains ``factor - 1`` copies of its body: every long paragraph and
every block that carries a note. Copy *k* cites its own copies of the
works (keys suffixed ``-x<k>``, added to ``refs.bib``), so notes, works and
bibliography entries all grow by the same factor, and the CSL processor
sees as many distinct first citations as a real edition of that size would.
The copy-text's list of notes grows with them, since the editorial
apparatus quotes each note's wording from there.
"""

from __future__ import annotations

import re
from pathlib import Path

ESSAY = Path("edition/essay.md")
BIBFILE = Path("refs.bib")
COPY_TEXT = Path("edition/_copytext/copy-text.txt")
MIN_WORDS = 25
"""A prose block this long is a paragraph of the essay, not a byline or a date."""

KEPT_ROLES = frozenset({"note", "cite-inline", "lang"})
"""Roles a copy keeps; any other role becomes its text, so no label or id is duplicated."""

_ROLE = re.compile(r"\{(?P<name>[A-Za-z][\w:-]*)\}`(?P<body>[^`]*)`")
_CITE_KEY = re.compile(r"^(?P<key>[A-Za-z0-9_:.-]+)(?P<rest>.*)$", re.S)
_NAME_OPTION = re.compile(r"^(?P<lead>\s*:name:\s*)(?P<name>\S+)\s*$", re.M)
_BIB_ENTRY = re.compile(r"^@(?P<type>\w+)\s*\{\s*(?P<key>[^,\s]+)\s*,", re.M)
_FENCE = re.compile(r"^(?P<fence>`{3,}|:{3,})")
_COPY_NOTE = re.compile(r"^\[(?P<number>\d+)\]\s+(?P<text>.+)$")


def blocks(text: str) -> list[str]:
    """Blank-line separated blocks; a fenced directive is one block, blank lines and all."""
    out: list[str] = []
    current: list[str] = []
    fence: str | None = None
    for line in text.split("\n"):
        match = _FENCE.match(line)
        if fence is None and match:
            fence = match["fence"]
        elif fence is not None and line.strip() == fence:
            fence = None
            current.append(line)
            continue
        if fence is None and not line.strip():
            if current:
                out.append("\n".join(current))
                current = []
            continue
        current.append(line)
    if current:
        out.append("\n".join(current))
    return out


def _is_body(block: str) -> bool:
    if "{note}`" in block:
        return True
    first = block.lstrip()[:1]
    return (first.isalpha() or first in "‘“\"'") and len(block.split()) >= MIN_WORDS


def _copy_block(block: str, k: int) -> str:
    def role(match: re.Match[str]) -> str:
        name, body = match["name"], match["body"]
        if name not in KEPT_ROLES:
            return body.split(" <", 1)[0]
        if name == "lang":
            return match[0]
        cite = _CITE_KEY.match(body.strip())
        return f"{{{name}}}`{cite['key']}-x{k}{cite['rest']}`" if cite else match[0]

    copied = _ROLE.sub(role, block)
    return _NAME_OPTION.sub(lambda m: f"{m['lead']}{m['name']}-x{k}", copied)


def enlarge_essay(text: str, factor: int) -> str:
    """The essay with ``factor - 1`` copies of its body after its last noted block."""
    parts = blocks(text)
    body = [i for i, b in enumerate(parts) if _is_body(b)]
    noted = [i for i, b in enumerate(parts) if "{note}`" in b]
    if not noted:
        raise ValueError(f"{ESSAY} has no {{note}} to multiply")
    insert_at = noted[-1] + 1
    copies = [_copy_block(parts[i], k) for k in range(2, factor + 1) for i in body]
    return "\n\n".join(parts[:insert_at] + copies + parts[insert_at:]) + "\n"


def enlarge_bib(text: str, factor: int) -> str:
    """``refs.bib`` with ``factor - 1`` more copies of each entry under distinct keys."""
    starts = [m for m in _BIB_ENTRY.finditer(text) if m["type"].lower() not in {"string", "comment", "preamble"}]
    ends = [m.start() for m in _BIB_ENTRY.finditer(text)][1:] + [len(text)]
    entries: list[tuple[re.Match[str], str]] = []
    for match in starts:
        end = next(e for e in ends if e > match.start())
        entries.append((match, text[match.start() : end].rstrip() + "\n"))
    extra = []
    for k in range(2, factor + 1):
        for match, entry in entries:
            head = match[0].replace(match["key"], f"{match['key']}-x{k}", 1)
            extra.append(head + entry[len(match[0]) :])
    return text.rstrip() + "\n\n" + "\n".join(extra)


def enlarge_copy_text(text: str, factor: int) -> str:
    """The copy-text with its notes ``[N] ...`` repeated for each copy, numbered on."""
    notes = [m for m in map(_COPY_NOTE.match, (line.strip() for line in text.split("\n"))) if m]
    if not notes:
        return text
    count = max(int(m["number"]) for m in notes)
    extra = [f"[{int(m['number']) + count * (k - 1)}] {m['text']}" for k in range(2, factor + 1) for m in notes]
    return text.rstrip("\n") + "\n\n" + "\n\n".join(extra) + "\n"


def enlarge(project: Path, factor: int) -> None:
    """Turn the project copy at ``project`` into a ``factor`` × edition, in place."""
    if factor < 1:
        raise ValueError("factor must be 1 or more")
    if factor == 1:
        return
    essay, bib = project / ESSAY, project / BIBFILE
    essay.write_text(enlarge_essay(essay.read_text("utf-8"), factor), "utf-8")
    bib.write_text(enlarge_bib(bib.read_text("utf-8"), factor), "utf-8")
    copy_text = project / COPY_TEXT
    if copy_text.is_file():
        copy_text.write_text(enlarge_copy_text(copy_text.read_text("utf-8"), factor), "utf-8")
