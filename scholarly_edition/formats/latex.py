"""The PDF's editorial typography and metadata, as a LaTeX package.

Written into the LaTeX output folder when the LaTeX builder starts, from
``conf.py``'s metadata, so the PDF's Info dictionary carries the edition's
version and statement (``/Version`` and ``/EditionStatement`` keys) beside
the title, author, subject and keywords set elsewhere.

The package also defines how the editorial apparatus looks in print: the
textual-note marker (a degree sign), the commentary's superscript italic
letters (the author's notes keep their superscript numbers), the lists of
textual notes and commentary, the title page, and glossary links that do
not change the look of the author's words. It names the running heads'
author and short title, which the page design (``editiondesign.sty``,
``scholarly_edition.formats.pdfdesign``) sets.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util.texescape import escape

from scholarly_edition.config import settings

PACKAGE = "editionapparatus"

_BODY = r"""
\NeedsTeXFormat{LaTeX2e}
\ProvidesPackage{editionapparatus}[2026/01/01 editorial apparatus of the edition]
% markers in the text, each a little apart from its word, so that text
% extraction (pdftotext, copying from a viewer) sees a word boundary there
\newcommand{\EditionTextualMark}[1]{\kern0.15em#1}
\newcommand{\EditionCommentaryMark}[1]{\kern0.08em\textsuperscript{\normalfont\itshape#1}}
% labels in the lists
\newcommand{\EditionTextualMarkLabel}[1]{\textbf{#1}}
\newcommand{\EditionCommentaryMarkLabel}[1]{\textit{#1}}
\newenvironment{EditionApparatusList}
  {\par\small\begin{list}{}{%
     \setlength{\leftmargin}{2.4em}\setlength{\labelwidth}{2em}%
     \setlength{\labelsep}{0.4em}\setlength{\itemsep}{0.8ex}%
     \setlength{\parsep}{0.3ex}\renewcommand{\makelabel}[1]{\hfil##1}}}
  {\end{list}\par}
% glossary links keep the look of the author's words: roman, black
% (Sphinx would italicise them; hyperref would colour them)
\protected\def\sphinxtermref#1{{\color{black}#1}}
% an image's editorial description: small, ragged, under the caption
\renewenvironment{sphinxlegend}{\par\smallskip\small\raggedright\parindent\z@}{\par}
% the title page: one environment per line (Sphinx's sphinxclass<class> hook); numbered i,
% so that the page after it, page 1, is the only one a PDF viewer calls "1"
\newenvironment{EditionTitlePage}
  {\pagenumbering{roman}\begin{titlepage}\centering\vspace*{0.16\textheight}\let\sphinxAtStartPar\relax}
  {\vfill\end{titlepage}\pagenumbering{arabic}}
\newenvironment{sphinxclasstitlepage-title}{\par\normalfont\fontsize{28}{34}\selectfont}{\par\vspace{1.5ex}}
\newenvironment{sphinxclasstitlepage-subtitle}
  {\par\normalfont\Large\itshape\addtolength{\leftskip}{.1\textwidth}\addtolength{\rightskip}{.1\textwidth}}
  {\par\vspace{8ex}}
\newenvironment{sphinxclasstitlepage-author}{\par\Large}{\par\vspace{8ex}}
\newenvironment{sphinxclasstitlepage-statement}{\par\large\scshape}{\par\vspace{1ex}}
\newenvironment{sphinxclasstitlepage-version}{\par\normalsize}{\par\vspace{1ex}}
\newenvironment{sphinxclasstitlepage-contributors}{\par\normalsize\itshape}{\par\vfill}
\newenvironment{sphinxclasstitlepage-cite}{\par\small\begin{minipage}{0.8\textwidth}\raggedright}{\end{minipage}\par}
% where an image is not reproduced: a quiet framed notice
\newsavebox{\EditionPlaceholderBox}
\newenvironment{sphinxclassfigure-placeholder}
  {\begin{lrbox}{\EditionPlaceholderBox}\begin{minipage}{0.55\linewidth}\centering\itshape\vspace{2ex}}
  {\vspace{2ex}\end{minipage}\end{lrbox}\fcolorbox{black!40}{white}{\usebox{\EditionPlaceholderBox}}\par}
% the essay's images are not numbered: their captions stand alone, as in
% the copy-text and the HTML (no "Figure1:" label of LaTeX's making)
\usepackage{caption}
\captionsetup[figure]{labelformat=empty,labelsep=none,font=small}
% PDF metadata: the edition's version and statement beside the title,
% author, subject and keywords that conf.py gives hyperref
% (Sphinx sets title and author in \sphinxmaketitle, which the edition's own
% title page replaces: set them here instead)
\AtBeginDocument{\hypersetup{pdftitle={\@title},pdfauthor={\@author},%
  pdfinfo={Version={@VERSION@},EditionStatement={@STATEMENT@}}}}
"""


def _pdf_string(text: str) -> str:
    """Text safe inside a hyperref key value (no TeX specials)."""
    for char, repl in {
        "\\": "",
        "{": "(",
        "}": ")",
        "%": " percent",
        "#": "",
        "&": "and",
        "~": " ",
        "^": "",
        "_": " ",
    }.items():
        text = text.replace(char, repl)
    return text


def package_text(
    statement: str, version: str, languages: list[str] | None = None, running: tuple[str, str] = ("", "")
) -> str:
    """The package; ``languages`` are polyglossia's names of the languages ``{lang}`` may mark.

    ``running`` is the running heads' author and short title (editiondesign.sty sets them).
    """
    text = _BODY.replace("@STATEMENT@", _pdf_string(statement)).replace("@VERSION@", _pdf_string(version))
    author, title = (escape(part) for part in running)
    text += f"% the running heads\n\\newcommand{{\\EditionRunningAuthor}}{{{author}}}\n"
    text += f"\\newcommand{{\\EditionRunningTitle}}{{{title}}}\n"
    # each language \foreignlanguage may name, unless conf.py's preamble has set it up already
    declared = "".join(
        f"\\iflanguageloaded{{{name}}}{{}}{{\\setotherlanguage{{{name}}}}}\n" for name in languages or []
    )
    return text + (f"% the languages of foreign passages\n{declared}" if declared else "")


def write_package(app: Sphinx) -> None:
    if app.builder.format != "latex":
        return
    c = settings(app.config)
    version = app.config.version
    statement = f"{c.statement}, version {version}, {c.date}, prepared by {c.contributors}"
    languages = sorted(set(c.foreign_languages.values()))
    running = (c.author_name, c.title or app.config.project)
    text = package_text(statement, version, languages, running)
    Path(app.builder.outdir, f"{PACKAGE}.sty").write_text(text, "utf-8")


XINDY_RANGE = (
    '\n;; page ranges (4–6): Sphinx\'s style leaves the separator out, printing "46"\n'
    '(markup-range :sep "\\textendash{}")\n'
)


def patch_xindy_style(app: Sphinx, exception: Exception | None) -> None:
    """Give Sphinx's xindy style the page-range separator it lacks.

    Without it a range of pages in the printed index comes out as the two
    page numbers run together ("Islamic State, 46" for pages 4–6).
    """
    if exception is not None or app.builder.format != "latex":
        return
    style = Path(app.builder.outdir, "sphinx.xdy")
    if style.exists() and "markup-range" not in style.read_text("utf-8"):
        with style.open("a", encoding="utf-8") as out:
            out.write(XINDY_RANGE)


def setup(app: Sphinx) -> None:
    app.add_latex_package(PACKAGE)
    app.connect("builder-inited", write_package)
    app.connect("build-finished", patch_xindy_style)
