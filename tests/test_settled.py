"""The settled state a first build starts from: only ever one a build from nothing reached.

Tiny documents through the real ``make_pdf``: one that never settles, one
that can rest in two states (it writes back whatever it read), and a kept
state that no longer reproduces itself.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

from test_passes import DOCUMENT, STYLE

from scholarly_edition.build import settled
from scholarly_edition.build.children import Children
from scholarly_edition.build.latex import Latex, make_pdf
from scholarly_edition.build.timeline import TIMELINE_ENV, read

NEVER_SETTLES = r"""\documentclass{article}
\makeatletter
\def\runs{0}
\AtBeginDocument{\immediate\write\@auxout{\gdef\string\runs{\the\numexpr\runs+1\relax}}}
\makeatother
\begin{document}Runs seen: \runs.\end{document}
"""
# Two states it can rest in: with no flag it writes 0; given a flag it writes the flag back.
TWO_STATES = r"""\documentclass{article}
\makeatletter
\providecommand\flag{0}
\AtBeginDocument{\immediate\write\@auxout{\gdef\string\flag{\flag}}}
\makeatother
\begin{document}Flag: \flag.\end{document}
"""


def _project(folder: Path, tex: str) -> Path:
    latex_dir = folder / "latex"
    latex_dir.mkdir(parents=True)
    (latex_dir / "doc.tex").write_text(tex, "utf-8")
    (latex_dir / "style.xdy").write_text(STYLE, "utf-8")
    (latex_dir / "Makefile").write_text("export XINDYOPTS = -L english -C utf8 -I latex -M texindy -M style.xdy\n")
    return latex_dir


def _make(folder: Path, tex: str, cache: Path, previous: Path | None = None) -> tuple[str, int]:
    """The PDF's text and how many passes made it."""
    latex_dir = _project(folder, tex)
    times = folder / "times"
    env = {**os.environ, TIMELINE_ENV: str(times), "SOURCE_DATE_EPOCH": "1", "FORCE_SOURCE_DATE": "1"}
    with Children() as children:
        _, failure = make_pdf(latex_dir, "doc", env, previous, children, Latex(60, folder / "kept", latex_dir, cache))
    assert failure is None
    text = subprocess.run(["pdftotext", "doc.pdf", "-"], cwd=latex_dir, capture_output=True, text=True).stdout
    return " ".join(text.split()), sum(moment == "xelatex started" for _, moment in read(times))


def _digest(folder: Path) -> str:
    return hashlib.sha256((folder / "latex" / "doc.pdf").read_bytes()).hexdigest()


def test_the_kept_state_makes_the_same_pdf_in_one_pass(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _, first = _make(tmp_path / "a", DOCUMENT, cache)
    _, second = _make(tmp_path / "b", DOCUMENT, cache)
    assert (first, second) == (2, 1)
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")


def test_passes_that_never_settle_keep_nothing(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first, _ = _make(tmp_path / "a", NEVER_SETTLES, cache)
    assert not list((cache / settled.FOLDER).glob("*/")), "five passes that still changed what they read back"
    again, _ = _make(tmp_path / "b", NEVER_SETTLES, cache)
    assert first == again, "each build from nothing"


def test_a_state_reached_from_an_earlier_versions_files_is_not_kept(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    alone, _ = _make(tmp_path / "alone", TWO_STATES, tmp_path / "no-cache")
    assert alone == "Flag: 0. 1"
    _make(tmp_path / "older", TWO_STATES.replace(r"\providecommand\flag{0}", r"\def\flag{1}"), cache)
    rebuilt, _ = _make(tmp_path / "rebuilt", TWO_STATES, cache, previous=tmp_path / "older")
    assert rebuilt == "Flag: 1. 1", "a rebuild settles where the older files lead (as latexmk's would)"
    fresh, _ = _make(tmp_path / "fresh", TWO_STATES, cache)
    assert fresh == alone, "a first build never starts from the rebuild's state"


def test_a_kept_state_that_does_not_reproduce_itself_is_dropped(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _make(tmp_path / "a", DOCUMENT, cache)
    (entry,) = (cache / settled.FOLDER).glob("*/")
    expected = (entry / "doc.toc").read_bytes()
    (entry / "doc.toc").write_bytes(expected.replace(b"{1}", b"{7}"))  # as if a font had moved a page
    _, made = _make(tmp_path / "b", DOCUMENT, cache)
    assert made == 3, "the one pass from the kept state, then two from nothing"
    assert _digest(tmp_path / "b") == _digest(tmp_path / "a")
    assert (entry / "doc.toc").read_bytes() == expected, "kept again, from nothing"
    shutil.rmtree(tmp_path / "c", ignore_errors=True)
    _, again = _make(tmp_path / "c", DOCUMENT, cache)
    assert again == 1
