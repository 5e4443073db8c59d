"""LaTeX on the PDF edition: its passes under a time limit, and where in the sources it stopped.

xelatex runs only as often as the files it reads back need
(:mod:`~scholarly_edition.build.passes`), from the auxiliary files an
earlier build left when there are any (the previous ``_build/``'s, or
those the same sources settled on before, :mod:`~scholarly_edition.build.settled`), and from the preamble's
precompiled format when one is kept (:mod:`~scholarly_edition.build.latexformat`).
Some inputs keep xelatex busy for many minutes (one word of a few
thousand letters does), so the passes run under one time limit
(:data:`TIMEOUT` seconds, or ``SCHOLARLY_EDITION_LATEX_TIMEOUT``); when it
fires, the running command and everything it started are killed, and the
failure names the last line of the ``.tex`` file the log names, and the
source line that holds its longest words where only one does. The LaTeX
folder is kept for reading at that line (:attr:`Latex.kept`).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path

from scholarly_edition.build import passes, settled
from scholarly_edition.build.children import Children
from scholarly_edition.build.errors import BuildFailed
from scholarly_edition.build.latexformat import Formats
from scholarly_edition.build.steps import GATE, IndexGate, Run, Steps, texts, waits_at_gate

TIMEOUT_ENV = "SCHOLARLY_EDITION_LATEX_TIMEOUT"
TIMEOUT = 120.0
"""Seconds LaTeX's passes may take together: the edition's first build needs about four, a rebuild about two."""
MAX_PRINT_LINE = 79
"""Where TeX breaks the lines of its log (TeX Live's ``max_print_line``)."""
LINE_REFERENCE = re.compile(
    r"^(?:\./)?[^\s:()]+\.tex:(?P<error>\d+): (?P<message>.*)$"  # an error, with -file-line-error
    r"|^l\.(?P<context>\d+)\b"  # the line TeX shows an error in
    r"|\bon input line (?P<input>\d+)\b"  # LaTeX's warnings
    r"|\bat lines? (?P<first>\d+)(?:--(?P<last>\d+))?",  # the paragraph or box an overfull line is in
    re.MULTILINE,
)
WORD = re.compile(r"(?<![\\\w])[^\W\d_]{6,}")
"""A word of the text in a line of LaTeX (not a command's name): what may find its source line."""
SOURCE_SUFFIXES = (".md", ".rst")


@dataclass(frozen=True)
class Latex:
    """How the PDF's LaTeX runs: its time limit, where its folder is kept if it fails, where the sources are."""

    timeout: float
    kept: Path
    srcdir: Path
    cache: Path | None = None
    """The cache kept between builds (the preamble's formats, the CSL results, the settled passes), or None when off."""


def timeout_from_env(value: str | None) -> float:
    """``SCHOLARLY_EDITION_LATEX_TIMEOUT`` as seconds, or the default."""
    if not value:
        return TIMEOUT
    try:
        seconds = float(value)
    except ValueError:
        seconds = 0.0
    if seconds <= 0:
        raise BuildFailed(f"{TIMEOUT_ENV}={value!r}: not a number of seconds above 0")
    return seconds


def xelatex_command(stem: str, fmt: Path | None = None) -> list[str]:
    """One pass, to ``.xdv`` (the PDF is made once, at the end); with the preamble's format where there is one."""
    return [
        "xelatex", "--no-pdf", "-interaction=nonstopmode", "-halt-on-error", "-file-line-error", "-recorder",
        *([f"-fmt={fmt.with_suffix('')}"] if fmt else []),
        f"{stem}.tex",
    ]  # fmt: skip


def latex_env(latex_dir: Path) -> dict[str, str]:
    """The xindy options Sphinx wrote into the LaTeX folder's Makefile.

    Sphinx's latexmkrc calls xindy with ``$XINDYOPTS`` (language, UTF-8,
    ``sphinx.xdy``), which only its Makefile exports; running xindy
    directly needs them too, or the index (UTF-8 names such as Ní Aoláin
    included) is not made.
    """
    makefile = latex_dir / "Makefile"
    if not makefile.exists():
        return {}
    for line in makefile.read_text("utf-8").splitlines():
        if line.startswith("export XINDYOPTS"):
            return {"XINDYOPTS": line.split("=", 1)[1].strip()}
    return {}


def xindy_command(stem: str, options: str) -> list[str]:
    return ["xindy", *shlex.split(options), "-o", f"{stem}.ind", f"{stem}.idx"]


def _index_style(latex_dir: Path, options: str) -> str:
    words = shlex.split(options)
    modules = [words[i + 1] for i, word in enumerate(words[:-1]) if word == "-M"]
    for module in modules:
        path = latex_dir / module
        if path.is_file():
            return path.read_text("utf-8", errors="replace")
    return ""


def typeset(
    latex_dir: Path,
    env: dict[str, str],
    stem: str,
    children: Children,
    timeout: float,
    formats: Formats | None = None,
    *,
    max_passes: int = passes.MAX_PASSES,
) -> Run:
    """xelatex as often as the files it reads back need (:mod:`~scholarly_edition.build.passes`), then the PDF.

    Unsettled after ``max_passes``, the run says so (``settled`` false); with
    ``max_passes=1`` that is a state that did not reproduce itself, and no PDF is made from it.
    """
    options = latex_env(latex_dir).get("XINDYOPTS", "")
    steps = Steps(latex_dir, env, children, timeout)
    ind, idx, tex = (latex_dir / f"{stem}.{ext}" for ext in ("ind", "idx", "tex"))
    indexed = passes.digest(idx) if ind.is_file() else None  # a carried index and the entries it was made from
    if not ind.is_file():
        empty = passes.empty_index(_index_style(latex_dir, options))
        if empty is not None:
            ind.write_text(empty, "utf-8")
    page_count_read: bool | None = None
    indexing: IndexGate | None = None
    settled_now = False
    for _ in range(max_passes):
        before = passes.read_back(latex_dir, stem)
        fmt = formats.ready() if formats else None
        run = steps.run(xelatex_command(stem, fmt))
        if run.returncode and fmt is not None and formats is not None and not run.timed_out:
            # the same pass without the format: the sources' fault fails it again, the format's does not
            run = steps.run(xelatex_command(stem))
            if not run.returncode:
                formats.discard()
        if indexing is not None:
            made = indexing.close()
            indexing = None
            if made.returncode or made.timed_out:
                return made
            before["ind"] = ind.read_bytes()  # what this pass read at its end
        if run.returncode or run.timed_out:
            return run
        after = passes.read_back(latex_dir, stem)
        if passes.digest(idx) != indexed:
            indexed = passes.digest(idx)
            if not (idx.is_file() and idx.stat().st_size):
                ind.write_text("", "utf-8")  # as Sphinx's latexmkrc does: xindy fails on an empty index
            elif (
                _without_index(before) == _without_index(after) or max_passes == 1 or not waits_at_gate(latex_dir, stem)
            ):
                # only the index can call for another pass, or the next pass would not wait for it
                made = steps.run(xindy_command(stem, options))
                if made.returncode or made.timed_out:
                    return made
            else:
                # another pass is due in any case: it sets everything before the index while xindy works
                indexing = IndexGate(steps, latex_dir / f"{stem}.{GATE}", xindy_command(stem, options))
                continue
            after = passes.read_back(latex_dir, stem)
        if before == after:
            settled_now = True
            break
        if passes.only_page_count_differs(before, after):
            if page_count_read is None:  # read the inputs only when the answer matters
                recorded = passes.recorded_inputs(latex_dir / f"{stem}.fls")
                inputs = [tex, *recorded, *(formats.inputs() if formats else [])]
                page_count_read = passes.reads_page_count(texts(inputs))
            if not page_count_read:
                settled_now = True
                break
    if indexing is not None:
        made = indexing.close()
        if made.returncode or made.timed_out:
            return made
    if not settled_now and max_passes == 1:
        return Run(0, b"".join(steps.output), timed_out=False, settled=False)
    return steps.run(["xdvipdfmx", "-E", "-o", f"{stem}.pdf", f"{stem}.xdv"])._replace(settled=settled_now)


def _start_afresh(latex_dir: Path, stem: str, given: list[str]) -> None:
    for name in [*given, f"{stem}.fls", f"{stem}.log", f"{stem}.xdv"]:
        (latex_dir / name).unlink(missing_ok=True)


def _without_index(files: dict[str, bytes]) -> dict[str, bytes]:
    return {ext: text for ext, text in files.items() if ext != "ind"}


def make_pdf(
    latex_dir: Path, stem: str, env: dict[str, str], previous: Path | None, children: Children, latex: Latex
) -> tuple[str, str | None]:
    """LaTeX on the PDF's sources: (what to show of its log, its failure in one line, or None)."""
    state = settled.entry(latex.cache, latex_dir, stem) if latex.cache else None
    carried = carry_latex_auxiliaries(previous, latex_dir, stem)
    restored = settled.restore(state, latex_dir, stem) if state is not None and not carried else []
    formats = Formats(latex.cache, latex_dir, stem, env, children) if latex.cache else None
    if formats:
        formats.start()
    if restored:
        # the state these sources ended with before: one pass must write it back as it read it
        run = typeset(latex_dir, env, stem, children, latex.timeout, formats, max_passes=1)
        if not run.timed_out and (not run.settled or run.returncode):
            if state is not None:
                settled.forget(state)  # something it was not keyed by has changed: made again from nothing
            _start_afresh(latex_dir, stem, restored)
            run = typeset(latex_dir, env, stem, children, latex.timeout, formats)
            restored = []
    else:
        run = typeset(latex_dir, env, stem, children, latex.timeout, formats)
        if run.returncode and carried and not run.timed_out:
            # an earlier build's auxiliary files may name commands this one no longer defines:
            # LaTeX from nothing decides whether the fault is in the sources
            _start_afresh(latex_dir, stem, carried)
            run = typeset(latex_dir, env, stem, children, latex.timeout, formats)
            carried = []
    if formats:
        formats.wait()
    if not run.returncode and not run.timed_out:
        if state is not None and run.settled and not carried and not restored:
            # only a state reached from nothing: one settled from an earlier version's files
            # may be another of the states the document can rest in
            settled.keep(state, latex_dir, stem)
        return "", None
    log_file = latex_dir / f"{stem}.log"
    log = log_file.read_text("utf-8", errors="replace") if log_file.exists() else ""
    tex = (latex_dir / f"{stem}.tex").read_text("utf-8", errors="replace").splitlines()
    place = culprit(log, tex, latex.kept / f"{stem}.tex", latex.srcdir)
    if run.timed_out:
        return "", (
            f"pdf: LaTeX ran over its {latex.timeout:g} s ({TIMEOUT_ENV}) and was stopped, "
            f"{place or f'at no line its log names ({shown(latex.kept / log_file.name)})'}"
        )
    tail = log[-3000:] if log else run.output.decode(errors="replace")
    return tail, f"pdf: LaTeX exited {run.returncode}{f', {place}' if place else f' (see {stem}.log above)'}"


def culprit(log: str, tex: list[str], kept_tex: Path, srcdir: Path) -> str | None:
    """Where LaTeX was, as its log last names it: ``at SOURCE:LINE (TEX:LINE): error``, or None.

    The place is the last line the log names (an error's line, the line of
    an error's context, a warning's input line, an overfull line's
    paragraph); the source line is the one that holds the longest word of
    that place which only one source line holds.
    """
    found = list(LINE_REFERENCE.finditer(unwrap(log)))
    if not found:
        return None
    last = found[-1]
    first = int(last["error"] or last["context"] or last["input"] or last["first"])
    final = int(last["last"] or first)
    lines = f"{first}" if final == first else f"{first}-{final}"
    message = f": {last['message'].strip()}" if last["message"] else ""
    source = source_line(tex[first - 1 : final], srcdir)
    where = f"{shown(kept_tex)}:{lines}"
    return f"at {source} ({where}){message}" if source else f"at {where}{message}"


def unwrap(log: str) -> str:
    """The log with the lines TeX broke at :data:`MAX_PRINT_LINE` characters joined again."""
    joined: list[str] = []
    pending = ""
    for line in log.split("\n"):
        pending += line
        if MAX_PRINT_LINE not in (len(line), len(line.encode())):
            joined.append(pending)
            pending = ""
    return "\n".join([*joined, pending] if pending else joined)


def source_line(tex_lines: list[str], srcdir: Path) -> str | None:
    """``FILE:LINE`` of the one source line that holds the longest word these LaTeX lines share with it."""
    words = sorted({word for line in tex_lines for word in WORD.findall(line)}, key=len, reverse=True)
    if not words:
        return None
    sources = [
        (path, path.read_text("utf-8", errors="replace").splitlines())
        for path in sorted(srcdir.rglob("*"))
        if path.suffix in SOURCE_SUFFIXES and not any(part.startswith("_") for part in path.relative_to(srcdir).parts)
    ]
    for word in words[:20]:
        hits = [(path, number) for path, lines in sources for number, line in enumerate(lines, 1) if word in line]
        if len(hits) == 1:
            return f"{shown(hits[0][0])}:{hits[0][1]}"
    return None


def shown(path: Path) -> str:
    """``path`` as a message shows it: from the current folder where it is under it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def carry_latex_auxiliaries(previous: Path | None, latex_dir: Path, stem: str) -> list[str]:
    """Give the passes the previous run's auxiliary files: when nothing has changed, one pass does."""
    source = previous / "latex" if previous else None
    if not source or not source.is_dir():
        return []
    carried = []
    for ext in passes.AUXILIARIES:
        old = source / f"{stem}.{ext}"
        if old.is_file() and not (latex_dir / old.name).exists():
            shutil.copy2(old, latex_dir / old.name)
            carried.append(old.name)
    return carried


def keep_latex(latex_dir: Path, kept: Path) -> None:
    """Keep a failed build's LaTeX folder at ``kept`` (replacing an earlier one), for reading at the named line."""
    shutil.rmtree(kept, ignore_errors=True)
    if latex_dir.is_dir():
        os.replace(latex_dir, kept)
