"""What the tests need from the machine beyond Python, and the Debian package that brings each.

``nox -s tests`` installs all of them (the noxfile's Debian package lists).
A test that needs one calls ``require``, which fails with the package to
install, rather than with whatever the missing program would have caused;
Playwright's driver is started once on its own, so that a driver that cannot
start says why (its own stderr) instead of "Connection closed while reading
from the driver".
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from chromium import CHROMIUM, playwright_driver_error

EPUBCHECK = "/usr/share/java/epubcheck.jar"
BIBLATEX_CHICAGO = "/usr/share/texlive/texmf-dist/tex/latex/biblatex-chicago/biblatex-chicago.sty"

# a program (on PATH) or a file, and the Debian package that brings it
TOOLS = {
    "xelatex": "texlive-xetex",
    "latexmk": "latexmk",
    "xindy": "xindy",
    "java": "default-jre-headless",
    "pdftotext": "poppler-utils",
    "pdffonts": "poppler-utils",
    EPUBCHECK: "epubcheck",
    "biber": "biber",
    "pdflatex": "texlive-latex-base",
    BIBLATEX_CHICAGO: "texlive-bibtex-extra",
    CHROMIUM: "chromium",
}


def missing(*tools: str) -> dict[str, str]:
    """Of ``tools`` (default: all of TOOLS), those this machine lacks, each with its Debian package."""
    found = {}
    for tool in tools or TOOLS:
        present = Path(tool).is_file() if tool.startswith("/") else shutil.which(tool) is not None
        if not present:
            found[tool] = TOOLS[tool]
    return found


def require(*tools: str) -> None:
    """Fail the test, naming the Debian packages to install, if any of ``tools`` is missing."""
    lacking = missing(*tools)
    if lacking:
        packages = " ".join(sorted(set(lacking.values())))
        pytest.fail(
            f"missing on this machine: {', '.join(lacking)}; "
            f"install Debian's {packages} (nox -s tests does: apt-get install {packages})",
            pytrace=False,
        )


def require_browser() -> None:
    """Fail, saying why, unless Debian's Chromium is here and Playwright's driver starts."""
    require(CHROMIUM)
    error = playwright_driver_error()
    if error:
        pytest.fail(error, pytrace=False)


def report() -> list[str]:
    """Lines for pytest's header: what is missing, so a run's first lines say so."""
    lines = [f"missing: {tool} (Debian package {package})" for tool, package in missing().items()]
    error = playwright_driver_error()
    if error:
        lines.append(error)
    return lines
