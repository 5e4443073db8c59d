"""Bad input caught where it enters: refs.bib (text.bibcheck) and the sources (text.encoding)."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest

from scholarly_edition.errors import EditionError
from scholarly_edition.problems import Finding
from scholarly_edition.text import bibcheck, encoding

ROOTS = Path(__file__).parent / "roots"

GOOD = """@article{smith2000,
  author       = {Smith, Jane},
  title        = {On {Moscow}},
  journaltitle = {Example Review},
  date         = {2000},
}

@online{anon2001,
  title   = {About Us},
  url     = {https://example.org/about},
}
"""


def _bib(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "refs.bib"
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def test_a_good_file_reads_and_an_anonymous_web_page_is_allowed(tmp_path: Path) -> None:
    data = bibcheck.read([_bib(tmp_path, GOOD)], "utf-8")
    assert list(data.data.entries) == ["smith2000", "anon2001"]
    assert bibcheck.check(data) == []


def test_a_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    path = _bib(tmp_path, GOOD.replace("{On {Moscow}},", "{On {Moscow}}"))
    with pytest.raises(bibcheck.BibliographyError) as caught:
        bibcheck.read([path], "utf-8")
    assert caught.value.finding.location == f"{path}:4"
    assert caught.value.finding.message.startswith("malformed entry: syntax error")


def test_a_duplicate_key_names_both_lines(tmp_path: Path) -> None:
    path = _bib(tmp_path, GOOD + "\n" + GOOD.split("\n\n")[0] + "\n")
    with pytest.raises(bibcheck.BibliographyError) as caught:
        bibcheck.read([path], "utf-8")
    assert caught.value.finding == Finding("smith2000: duplicate key (first at line 1)", f"{path}:13")


def test_bytes_that_are_not_utf8_name_the_line(tmp_path: Path) -> None:
    path = _bib(tmp_path, GOOD.replace("Example Review", "Revue d’Exemple").encode().replace("’".encode(), b"\x92"))
    with pytest.raises(bibcheck.BibliographyError) as caught:
        bibcheck.read([path], "utf-8")
    assert caught.value.finding.location == f"{path}:4"
    assert caught.value.finding.message.startswith("not valid UTF-8 (byte 0x92)")


def test_missing_title_and_author_name_key_and_line(tmp_path: Path) -> None:
    text = GOOD.replace("  author       = {Smith, Jane},\n", "").replace("  title   = {About Us},\n", "")
    data = bibcheck.read([path := _bib(tmp_path, text)], "utf-8")
    assert bibcheck.check(data) == [
        Finding("smith2000: @article entry has no author", f"{path}:1"),
        Finding("anon2001: entry has no title", f"{path}:7"),
    ]


def test_a_source_not_in_utf8_names_line_and_column(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_bytes("# Title\n\nCafé".encode("latin-1"))
    assert encoding.decode_problem(page, "utf-8-sig") == Finding(
        "not valid UTF-8 (byte 0xe9); save the file as UTF-8", f"{page}:3:4"
    )
    page.write_text("# Title\n\nCafé", "utf-8")
    assert encoding.decode_problem(page, "utf-8-sig") is None


def test_sphinx_stops_before_reading_a_source_not_in_utf8(make_app, tmp_path: Path) -> None:
    srcdir = tmp_path / "root"
    shutil.copytree(ROOTS / "test-badkey", srcdir)
    (srcdir / "index.md").write_bytes("# A page\n\nCaf\u00e9.\n".encode("latin-1"))
    app = make_app("html", srcdir=srcdir, warning=(warning := io.StringIO()))
    with pytest.raises(EditionError, match="not plain text in the encoding"):
        app.build()
    assert re.search(r"index\.md:3:4: ERROR: not valid UTF-8", warning.getvalue())


def test_sphinx_stops_at_builder_start_on_a_malformed_refs_bib(make_app, tmp_path: Path) -> None:
    srcdir = tmp_path / "root"
    shutil.copytree(ROOTS / "test-badkey", srcdir)
    (srcdir / "refs.bib").write_text(GOOD.replace("{On {Moscow}},", "{On {Moscow}}"), "utf-8")
    warning = io.StringIO()
    with pytest.raises(EditionError, match="bibliography above"):
        make_app("html", srcdir=srcdir, warning=warning)
    assert re.search(r"refs\.bib:4: ERROR: malformed entry", warning.getvalue())
