"""Bad input fails cleanly and loses nothing.

Each case copies the project into a temporary folder beside a copy of a good
edition in ``_build/``, breaks one thing, and runs the build as an editor
would (``python -m scholarly_edition.build``). The build must exit non-zero, its
message must name the file and the line (or the key), and the good edition
must still stand in ``_build/`` byte for byte, with no scratch folder left.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_NOT_COPIED = shutil.ignore_patterns(
    ".git", ".nox", ".venv", "_build", "node_modules", "tests", ".pytest_cache", "__pycache__", ".*-new-*", ".*-old-*"
)
_TALLY = {"tried": 0, "caught": 0, "damaged": 0}


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def replace_once(path: Path, pattern: str, replacement: str) -> int:
    """Replace the first match of ``pattern`` in ``path``; return the line it was on."""
    text = path.read_text("utf-8")
    match = re.search(pattern, text, flags=re.MULTILINE)
    assert match, f"{pattern!r} not found in {path}: the case needs updating"
    path.write_text(text[: match.start()] + match.expand(replacement) + text[match.end() :], "utf-8")
    return _line_of(text, match.start())


def _first_key(bib: Path, entry_type: str = r"\w+") -> tuple[str, int]:
    text = bib.read_text("utf-8")
    match = re.search(rf"^@({entry_type})\{{([^,\s]+),", text, flags=re.MULTILINE)
    assert match
    return match[2], _line_of(text, match.start())


def unknown_key(root: Path) -> str:
    line = replace_once(root / "edition/essay.md", r"\{note\}`[A-Za-z0-9_:.-]+", "{note}`nosuchwork2099")
    return rf"essay\.md:{line}: .*unknown work 'nosuchwork2099'"


def malformed_entry(root: Path) -> str:
    # drop the comma after the first title field: the next field then has no separator
    line = replace_once(root / "refs.bib", r"^(\s*title\s*=\s*\{.*\}),$", r"\1")
    return rf"refs\.bib:{line + 1}: ERROR: malformed entry"


def duplicate_key(root: Path) -> str:
    bib = root / "refs.bib"
    key, first = _first_key(bib)
    text = bib.read_text("utf-8")
    entry = re.search(rf"^@\w+\{{{re.escape(key)},.*?^\}}", text, flags=re.MULTILINE | re.DOTALL)[0]
    bib.write_text(text + "\n" + entry + "\n", "utf-8")
    again = _line_of(text + "\n", len(text) + 1)
    return rf"refs\.bib:{again}: ERROR: {key}: duplicate key \(first at line {first}\)"


def missing_title(root: Path) -> str:
    bib = root / "refs.bib"
    key, line = _first_key(bib)
    replace_once(bib, rf"(^@\w+\{{{re.escape(key)},\n(?:.*\n)*?)\s*title\s*=.*\n", r"\1")
    return rf"refs\.bib:{line}: ERROR: {key}: entry has no title"


def missing_author(root: Path) -> str:
    bib = root / "refs.bib"
    key, line = _first_key(bib, "article")
    replace_once(bib, rf"(^@article\{{{re.escape(key)},\n(?:.*\n)*?)\s*author\s*=.*\n", r"\1")
    return rf"refs\.bib:{line}: ERROR: {key}: @article entry has no author"


def marker_without_note(root: Path) -> str:
    line = replace_once(root / "edition/essay.md", r"\{note\}`[^`]+`", r"\g<0>[^orphan]")
    return rf"essay\.md:{line}: ERROR: .*\"orphan\""


def broken_cross_reference(root: Path) -> str:
    line = replace_once(root / "edition/essay.md", r"\{note\}`[^`]+`", r"\g<0> (see {ref}`no-such-section`)")
    return rf"essay\.md:{line}: WARNING: undefined label: 'no-such-section'"


def _latin1(path: Path, word: str, spelt: str) -> int:
    """Write ``word`` as ``spelt`` in Latin-1 into a UTF-8 file; return its line."""
    text = path.read_text("utf-8")
    where = text.index(word)
    path.write_bytes(text[:where].encode() + spelt.encode("latin-1") + text[where + len(word) :].encode())
    return _line_of(text, where)


def not_utf8(root: Path) -> str:
    line = _latin1(root / "edition/essay.md", "Moscow", "Mosc\u00f6w")
    return rf"essay\.md:{line}:\d+: ERROR: not valid UTF-8"


def bib_not_utf8(root: Path) -> str:
    line = _latin1(root / "refs.bib", "title", "titl\u00e9")
    return rf"refs\.bib:{line}: ERROR: not valid UTF-8"


def export_against_the_schema(root: Path) -> str:
    # a slip in the type mapping: "web-page" is no CSL type, so references.json would not validate
    replace_once(root / "scholarly_edition/bibliography/bibtex_csl.py", r'"webpage"', '"web-page"')
    key, _ = _first_key(root / "refs.bib", "online")
    return rf"ERROR: references\.json: item '{key}'.*'web-page' is not one of"


def javascript_url(root: Path) -> str:
    key, _ = _first_key(root / "refs.bib", "online")
    line = replace_once(
        root / "refs.bib",
        r"(^@online\{" + re.escape(key) + r",\n(?:.*\n)*?\s*url\s*=\s*)\{[^}]*\}",
        r"\1{javascript://%0Aalert(1)}",
    )
    return rf"refs\.bib:{line}: ERROR: {key}: url 'javascript://%0Aalert\(1\)' is not an http\(s\) URL"


def impossible_date(root: Path) -> str:
    key, line = _first_key(root / "refs.bib")
    replace_once(
        root / "refs.bib", r"(^@\w+\{" + re.escape(key) + r",\n(?:.*\n)*?\s*date\s*=\s*)\{[^}]*\}", r"\1{2020-02-30}"
    )
    return rf"refs\.bib:{line}: ERROR: {key}: date '2020-02-30' is not a day of the calendar"


def raw_html(root: Path) -> str:
    line = replace_once(root / "edition/essay.md", r"\{note\}`[^`]+`", r"\g<0><script>alert(1)</script>")
    return rf"essay\.md:{line}: ERROR: raw html is not published"


@dataclass(frozen=True)
class Case:
    name: str
    breaks: Callable[[Path], str]


CASES = [
    Case("unknown citation key in a note", unknown_key),
    Case("malformed refs.bib entry", malformed_entry),
    Case("duplicate key in refs.bib", duplicate_key),
    Case("refs.bib entry without a title", missing_title),
    Case("refs.bib article without an author", missing_author),
    Case("note marker with no note", marker_without_note),
    Case("broken cross-reference", broken_cross_reference),
    Case("source file not in UTF-8", not_utf8),
    Case("refs.bib not in UTF-8", bib_not_utf8),
    Case("export that would not validate against the CSL schema", export_against_the_schema),
    Case("javascript: URL in refs.bib", javascript_url),
    Case("a date that is no day of the calendar", impossible_date),
    Case("raw HTML in the essay", raw_html),
]


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` by its SHA-256."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def good_build(edition) -> dict[str, str]:
    return tree_digest(edition.out)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_stops_the_build_and_the_good_edition_stands(
    case: Case, edition, good_build, tmp_path: Path, figures
) -> None:
    project = tmp_path / "project"
    shutil.copytree(ROOT, project, ignore=_NOT_COPIED)
    shutil.copytree(edition.out, project / "_build", symlinks=True)
    expected = case.breaks(project)
    _TALLY["tried"] += 1
    # run in the copy, so that its own scholarly_edition (the one a case may break) is the one imported
    env = {**os.environ, "SOURCE_DATE_EPOCH": edition.epoch or "0"}
    result = subprocess.run(
        [sys.executable, "-m", "scholarly_edition.build"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    message = result.stderr
    caught = result.returncode != 0 and re.search(expected, message) is not None
    standing = tree_digest(project / "_build") == good_build
    leftovers = [p.name for p in project.iterdir() if re.match(r"\._build-(new|old)-", p.name)]
    _TALLY["caught"] += caught
    _TALLY["damaged"] += not standing or bool(leftovers)
    figures["bad inputs"] = f"{_TALLY['tried']} tried, {_TALLY['caught']} caught, {_TALLY['damaged']} editions damaged"
    assert result.returncode != 0, message
    assert caught, f"expected {expected!r} in:\n{message}"
    assert standing, "the edition in _build/ changed"
    assert leftovers == []
