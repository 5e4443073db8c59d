"""LaTeX's passes: as many as the files xelatex reads back need, two from nothing for the edition's kind of PDF."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from scholarly_edition.build import latex, passes
from scholarly_edition.build.children import Children

AUX = b"\\relax\n\\@writefile{toc}{\\contentsline {section}{Index}{3}{section*.2}}\n\\gdef \\@abspage@last{%d}\n"
STYLE = '(markup-index :open  "\\begin{theindex}~n" :close "~n\\end{theindex}~n" :tree)'
DOCUMENT = r"""\documentclass{article}
\usepackage{makeidx}\makeindex
\makeatletter\renewenvironment{theindex}{\section*{Index}\addcontentsline{toc}{section}{Index}\begin{description}\item[]}{\end{description}}\makeatother
\newcommand\lettergroup[1]{}
\begin{document}
\tableofcontents
\section{One}Text\index{Text}.
\newpage
\section{Two}More\index{More}.
\printindex
\end{document}
"""


def test_a_changed_page_count_is_told_apart_from_other_changes() -> None:
    before = {"aux": AUX % 3, "toc": b"toc"}
    after = {"aux": AUX % 4, "toc": b"toc"}
    assert passes.only_page_count_differs(before, after)
    assert not passes.only_page_count_differs(before, {**after, "toc": b"other"})
    assert not passes.only_page_count_differs({"toc": b"toc"}, after)
    assert not passes.only_page_count_differs({"aux": b"\\relax\n", "toc": b"toc"}, after)


def test_what_reads_the_page_count() -> None:
    assert passes.reads_page_count([r"\newcommand\total{\PreviousTotalPages}"])
    assert passes.reads_page_count([r"\csname @abspage@last\endcsname"])
    assert not passes.reads_page_count([r"\section{Pages}"])


def test_the_empty_index_is_the_styles_own() -> None:
    assert passes.empty_index(STYLE) == "\\begin{theindex}\n\n\\end{theindex}\n"
    assert passes.empty_index("(markup-locref :open x)") is None


GATE = r"""\newread\gate
\let\plainprintindex\printindex
\def\printindex{\immediate\openin\gate=\jobname.ind-gate\relax\immediate\closein\gate\plainprintindex}
"""


def _xelatex_runs(output: bytes) -> int:
    return output.count(b"This is XeTeX")


@pytest.fixture(params=["plain", "gated"])
def document(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """The document as it is, or opening the gate before its index, as editiondesign.sty does."""
    text = DOCUMENT if request.param == "plain" else DOCUMENT.replace("\\begin{document}", GATE + "\\begin{document}")
    (tmp_path / "doc.tex").write_text(text, "utf-8")
    (tmp_path / "style.xdy").write_text(STYLE, "utf-8")
    (tmp_path / "Makefile").write_text(
        "export XINDYOPTS = -L english -C utf8 -I latex -M texindy -M style.xdy\n", "utf-8"
    )
    return tmp_path


def test_contents_and_index_settle_in_two_passes_and_a_rerun_in_one(document: Path) -> None:
    with Children() as children:
        first = latex.typeset(document, dict(os.environ), "doc", children, 60)
    assert first.returncode == 0, first.output.decode(errors="replace")[-2000:]
    assert _xelatex_runs(first.output) == 2
    assert "Index" in (document / "doc.toc").read_text("utf-8"), "the index's line, there from the first pass"
    assert "\\item Text" in (document / "doc.ind").read_text("utf-8")
    assert (document / "doc.pdf").is_file()
    assert not (document / "doc.ind-gate").exists()
    text = subprocess.run(["pdftotext", "doc.pdf", "-"], cwd=document, capture_output=True, text=True).stdout
    assert "Text, 1" in text and "More, 2" in text, "the index the last pass read is the one made from its entries"
    with Children() as children:
        again = latex.typeset(document, dict(os.environ), "doc", children, 60)
    assert again.returncode == 0
    assert _xelatex_runs(again.output) == 1, "what the first run left needs no second pass"
