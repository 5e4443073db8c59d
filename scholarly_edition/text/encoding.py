"""Every source file must decode as UTF-8; one that does not stops the build at its line.

Sphinx decodes a source only when it reads it, and a stray Latin-1 byte then
escapes as a bare ``UnicodeDecodeError`` that names neither the file nor the
line. The sources are small, so they are checked once, before reading.
"""

from __future__ import annotations

import re
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from scholarly_edition.errors import report, stop
from scholarly_edition.problems import Finding, Problem

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""Control characters: invisible in an editor, and fatal to LaTeX and to XML (the EPUB)."""


def decode_problem(path: Path, encoding: str) -> Finding | None:
    """The first undecodable byte or control character (at ``path:line:column``), or None if the file is clean."""
    raw = path.read_bytes()
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return Finding(
            f"not valid {encoding.removesuffix('-sig').upper()} (byte 0x{raw[exc.start]:02x}); save the file as UTF-8",
            f"{path}:{line}:{column}",
        )
    if match := _CONTROL.search(text):
        line = text.count("\n", 0, match.start()) + 1
        column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
        return Finding(f"a control character (U+{ord(match[0]):04X}); delete it", f"{path}:{line}:{column}")
    return None


def check_sources(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    problems = [
        problem
        for docname in sorted(docnames)
        if (problem := decode_problem(Path(env.doc2path(docname)), app.config.source_encoding))
    ]
    for problem in problems:
        report(Problem.SOURCE, problem.message, location=problem.location)
    if problems:
        stop(Problem.SOURCE, "a source above is not plain text in the encoding conf.py names")


def setup(app: Sphinx) -> None:
    app.connect("env-before-read-docs", check_sources)
