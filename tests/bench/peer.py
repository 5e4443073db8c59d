"""The peer the build is timed against: plain pandoc with citeproc, building the same essay.

A build time alone says as much about the machine as about the build: the
same commit takes twice as long on a busy or a slower machine. A ratio to a
well-known tool, timed in the same minutes on the same cores, cancels most of
that, so figures taken on different days and machines can be compared.

The peer is what a pandoc user would run for this essay. Its source is
derived mechanically from the edition's own: ``edition/essay.md`` is
converted to pandoc Markdown (:func:`convert`), each ``{note}`` becoming an
inline footnote holding a ``[@key, locator]`` citation, ``refs.bib`` is the
bibliography, and the CSL style, language, title and the PDF's fonts, paper
and margins are read from ``conf.py``. The conversion is done once, before
any timing: a pandoc project would keep its Markdown, not convert it at each
build. Then ``pandoc --citeproc`` writes standalone HTML, EPUB, and a PDF
through xelatex, three processes as a Makefile would run them; with several
formats at once they run like ``make -j2`` (as many at a time as the machine
has cores, the PDF first, since it takes longest), because our build runs
its formats in parallel too, the PDF's first.

What becomes what: a ``{note}`` an inline footnote ``^[[@key, p. 4]]``;
``{cite-inline}`` (the cover's credit) a citation ``[@key]``, which pandoc,
in a note style, sets as a footnote of its own, so the peer makes 23
footnotes where the edition has 22 notes and one citation in running text;
``{lang}`` a span with its ``lang``; the editor's ``{tn}`` and ``{ed}``
marks keep their words and lose the mark (pandoc has no apparatus for them
to point into), ``{term}`` keeps its words; a ``figure-not-reproduced`` a
div with the figure's id holding its caption, then the editor's
description and credit; ``rst-class`` a div of that class around the next
paragraph; a ``(label)=`` the heading's id; the ``indexed-names`` and
``notes`` directives nothing (pandoc makes no index, and places its notes
itself). Headings stay as they are. Anything else is an error, never
passed through. ``conf.py``'s title, subtitle, author and date make
pandoc's title block, as they make the edition's title page.

Run as ``python -m bench.peer`` (from ``tests/``) so that the timed command
is one process tree whose peak memory the kernel reports, like our build's.
This module imports nothing outside the standard library, so that the
runner starts as quickly as ``make`` would and the tests can import it.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import runpy
import subprocess
import sys
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from scholarly_edition.bibliography.citeproc import Cite

FORMATS = ("html", "epub", "pdf")
LONGEST_FIRST = ("pdf", "epub", "html")
"""The order jobs start in: the PDF, some ten times the others, first, as our build starts it."""
STEM = "essay"
ESSAY = Path("edition") / "essay.md"
BIBLIOGRAPHY = Path("refs.bib")
CONF = Path("conf.py")
SOURCES = Path("edition")
"""The folder ``conf.py``'s relative paths (the CSL style) are read from, Sphinx's source folder."""


class ConversionError(ValueError):
    """MyST the converter does not know: guessing would make a peer that builds a different essay."""


class PeerFailed(RuntimeError):
    """The peer's output is missing or incomplete: a broken peer must not give a flattering ratio."""


Citation = Cite
"""A work cited at one place, with the locator the essay gives (``p. 4``): the edition's own citation record."""


@dataclass
class Conversion:
    """The pandoc Markdown body and what it cites, in the order pandoc will number its footnotes."""

    markdown: str
    notes: list[Citation] = field(default_factory=list)
    """The essay's notes, each an inline footnote of its own."""
    in_text: list[str] = field(default_factory=list)
    """Works cited in running text (``{cite-inline}``): in a note style pandoc gives each a footnote too."""
    footnotes: list[str] = field(default_factory=list)
    """The key each of pandoc's footnotes cites, in order: the notes and the citations in running text."""
    description: str = ""


_ROLE = re.compile(r"\{(?P<role>[A-Za-z][\w-]*)\}`(?P<text>[^`]*)`")
_FENCE = re.compile(r"^(?P<fence>`{3,}|:{3,})\{(?P<name>[\w-]+)\}[ \t]*(?P<argument>.*?)[ \t]*$")
_OPTION = re.compile(r"^:(?P<name>[\w-]+):[ \t]*(?P<value>.*)$")
_LABEL = re.compile(r"^\((?P<name>[^()\s]+)\)=[ \t]*$")
_HEADING = re.compile(r"^#{1,6}[ \t]")
_MARK = re.compile(r"^(?:(?P<lemma>.*?)\s*<(?P<key>[^<>]+)>|(?P<point>[^<>\s]+))$", re.DOTALL)
_NOTE = re.compile(r"^(?P<key>[^\s,]+)(?:\s*,\s*(?P<locator>\S.*))?$", re.DOTALL)
_LANG = re.compile(r"^(?P<tag>[A-Za-z]{2,3}(?:-[A-Za-z0-9]+)*):\s*(?P<text>\S.*)$", re.DOTALL)
_MYST_LEFT = re.compile(r"\{[A-Za-z][\w-]*\}`|^(?:`{3,}|:{3,})\{|^\([^()\s]+\)=\s*$", re.M)
_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#@^~$|])")


def _escape(text: str) -> str:
    """Text from inside a role, kept literal: ``[and other]`` must not become a pandoc link or span."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _front_matter(text: str) -> tuple[str, str]:
    """The body without MyST's front matter, and the page description it gives (pandoc's ``description``)."""
    if not text.startswith("---\n"):
        return text, ""
    end = text.find("\n---\n", 4)
    if end < 0:
        raise ConversionError("front matter opened with --- is never closed")
    header, body = text[4:end], text[end + 5 :]
    match = re.search(r"^\s*description:\s*(?P<value>.+)$", header, re.M)
    description = ""
    if match:
        value = match["value"].strip()
        description = json.loads(value) if value.startswith('"') else value.strip("'")
    return body, description


class _Converter:
    """One pass over the essay's lines; every MyST construct it meets must be one it knows."""

    def __init__(self) -> None:
        self.conversion = Conversion("")
        self.out: list[str] = []
        self.label = ""
        self.classes: list[str] = []

    def inline(self, text: str, where: str) -> str:
        def role(match: re.Match[str]) -> str:
            name, content = match["role"], match["text"]
            if name == "note":
                parsed = _NOTE.match(content.strip())
                if not parsed:
                    raise ConversionError(f"{where}: a note cites no work: {match[0]!r}")
                cite = Citation(parsed["key"], " ".join((parsed["locator"] or "").split()))
                self.conversion.notes.append(cite)
                self.conversion.footnotes.append(cite.key)
                return f"^[{cite.markdown()}]"
            if name == "cite-inline":
                key = content.strip()
                if not key or any(c.isspace() or c in ",;" for c in key):
                    raise ConversionError(f"{where}: cite-inline wants one key: {match[0]!r}")
                # pandoc's nearest: a citation, which a note style sets as a footnote of its own
                self.conversion.in_text.append(key)
                self.conversion.footnotes.append(key)
                return f"[@{key}]"
            if name in ("tn", "ed"):
                # the editor's marks: the lemma stays, the mark (pointing into the apparatus pandoc has not) goes
                mark = _MARK.match(content.strip())
                if not mark:
                    raise ConversionError(f"{where}: malformed {{{name}}} mark: {match[0]!r}")
                return _escape(mark["lemma"] or "")
            if name == "term":
                mark = _MARK.match(content.strip())
                return _escape(mark["lemma"] if mark and mark["lemma"] else content)
            if name == "lang":
                lang = _LANG.match(content.strip())
                if not lang:
                    raise ConversionError(f"{where}: {{lang}} wants `tag: words`: {match[0]!r}")
                return f"[{_escape(lang['text'])}]{{lang={lang['tag']}}}"
            raise ConversionError(f"{where}: no pandoc equivalent known for the role {{{name}}}: {match[0]!r}")

        return _ROLE.sub(role, text)

    def emit_block(self, lines: list[str], where: str) -> None:
        """A paragraph (or heading) of the essay's own, with a class or an id MyST attached to it before."""
        converted = [self.inline(line, where) for line in lines]
        if self.label and converted and _HEADING.match(converted[0]):
            converted[0] += f" {{#{self.label}}}"
            self.label = ""
        if self.classes:
            attributes = " ".join(f".{c}" for c in self.classes)
            converted = [f"::: {{{attributes}}}", *converted, ":::"]
            self.classes = []
        self.out.extend([*converted, ""])

    def directive(self, name: str, argument: str, body: list[str], where: str) -> None:
        options: dict[str, str] = {}
        while body and (option := _OPTION.match(body[0])):
            options[option["name"]] = option["value"]
            body = body[1:]
        if name in ("indexed-names", "notes"):
            # the index pandoc has no counterpart of; the notes' place, which pandoc chooses itself
            return
        if name == "rst-class":
            if not argument or any(body_line.strip() for body_line in body):
                raise ConversionError(f"{where}: rst-class wants a class and no content")
            self.classes.extend(argument.split())
            return
        if name == "figure-not-reproduced":
            paragraphs = _paragraphs(body)
            if not paragraphs:
                raise ConversionError(f"{where}: a figure without a caption")
            ident = f"#{options['name']} " if "name" in options else ""
            self.out.append(f"::: {{{ident}.figure .not-reproduced}}")
            for paragraph in paragraphs:
                self.out.extend([*(self.inline(line, where) for line in paragraph), ""])
            for legend in ("shows", "credit"):
                if legend in options:
                    self.out.extend([f"::: {legend}", self.inline(options[legend], where), ":::", ""])
            self.out.extend([":::", ""])
            return
        raise ConversionError(f"{where}: no pandoc equivalent known for the directive {{{name}}}")

    def run(self, text: str) -> Conversion:
        body, self.conversion.description = _front_matter(text)
        offset = text[: len(text) - len(body)].count("\n")
        lines = body.splitlines()
        block: list[str] = []
        start = 0
        i = 0

        def flush() -> None:
            nonlocal block
            if block:
                self.emit_block(block, f"{ESSAY}:{start + offset + 1}")
                block = []

        while i < len(lines):
            line = lines[i]
            where = f"{ESSAY}:{i + offset + 1}"
            fence = _FENCE.match(line)
            if fence:
                flush()
                end = next((j for j in range(i + 1, len(lines)) if lines[j].rstrip() == fence["fence"]), None)
                if end is None:
                    raise ConversionError(f"{where}: the directive {{{fence['name']}}} is never closed")
                self.directive(fence["name"], fence["argument"], lines[i + 1 : end], where)
                i = end + 1
                continue
            label = _LABEL.match(line)
            if label:
                flush()
                self.label = label["name"]
            elif not line.strip():
                flush()
            elif _HEADING.match(line):
                flush()
                start = i
                block = [line]
                flush()
            else:
                if not block:
                    start = i
                block.append(line)
            i += 1
        flush()
        if self.label:
            raise ConversionError(f"{ESSAY}: the label ({self.label})= stands before no heading")
        markdown = "\n".join(self.out).strip() + "\n"
        left = _MYST_LEFT.search(markdown)
        if left:
            raise ConversionError(f"MyST left in the pandoc Markdown: {left[0]!r}")
        self.conversion.markdown = markdown
        return self.conversion


def _paragraphs(lines: list[str]) -> list[list[str]]:
    found: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            found[-1].append(line)
        elif found[-1]:
            found.append([])
    return [p for p in found if p]


def convert(text: str) -> Conversion:
    """The essay's MyST Markdown as pandoc Markdown; :class:`ConversionError` on anything not known."""
    return _Converter().run(text)


# -- What conf.py says, as pandoc reads it -------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    """The edition's settings that the peer must share, so that it makes the same essay, not a lighter one."""

    title: str
    subtitle: str
    author: str
    language: str
    date: str
    style: Path
    fonts: dict[str, str]
    """pandoc's ``mainfont``, ``sansfont``, ``monofont``: those of the edition's PDF."""
    papersize: str
    fontsize: str
    geometry: list[str]


def _font(latex: str, command: str) -> str:
    match = re.search(rf"\\{command}(?:\[[^]]*\])?\{{([^}}]+)\}}", latex)
    return match[1] if match else ""


def read_settings(project: Path, style_path: Callable[[str], Path] | None = None) -> Settings:
    """``conf.py``'s settings, read without Sphinx; ``style_path`` finds an official style by its id."""
    conf: dict[str, Any] = runpy.run_path(str(project / CONF))
    latex: Mapping[str, str] = conf.get("latex_elements", {})
    # wherever the LaTeX settings choose the fonts: fontpkg, or the preamble (after a precompiled format's part)
    preamble = "\n".join(value for value in latex.values() if isinstance(value, str))
    fonts = {
        variable: name
        for variable, command in (("mainfont", "setmainfont"), ("sansfont", "setsansfont"), ("monofont", "setmonofont"))
        if (name := _font(preamble, command))
    }
    style_name: str = conf.get("edition_csl_style", "chicago-notes-bibliography")
    if style_name.endswith(".csl"):
        style = project / SOURCES / style_name
    elif style_path is not None:
        style = style_path(style_name)
    else:
        raise ValueError(f"edition_csl_style {style_name!r} is a style id: pass style_path to find its file")
    setup = latex.get("sphinxsetup", "")
    geometry = []
    for option, sides in (("hmargin", ("left", "right")), ("vmargin", ("top", "bottom"))):
        match = re.search(rf"\b{option}=\{{([^,}}]+),([^}}]+)\}}", setup)
        if match:
            geometry += [f"{side}={value.strip()}" for side, value in zip(sides, match.groups())]
    author = conf.get("edition_author", {})
    return Settings(
        title=conf.get("edition_title", conf.get("project", "")),
        subtitle=conf.get("edition_subtitle", ""),
        author=f"{author.get('given', '')} {author.get('family', '')}".strip() or conf.get("author", ""),
        language=conf.get("edition_language", conf.get("language", "en")).replace("_", "-"),
        date=conf.get("edition_date", ""),
        style=style,
        fonts=fonts,
        papersize=latex.get("papersize", "a4paper").removesuffix("paper"),
        fontsize=latex.get("pointsize", ""),
        geometry=geometry,
    )


def document(conversion: Conversion, settings: Settings) -> str:
    """The pandoc Markdown file: a metadata block (JSON, which is YAML too) and the converted essay."""
    meta: dict[str, Any] = {
        "title": settings.title,
        "subtitle": settings.subtitle,
        "author": settings.author,
        "lang": settings.language,
        "date": settings.date,
        "description": conversion.description,
        "papersize": settings.papersize,
        "fontsize": settings.fontsize,
        **settings.fonts,
    }
    if settings.geometry:
        meta["geometry"] = settings.geometry
    meta = {k: v for k, v in meta.items() if v}
    return "---\n" + json.dumps(meta, ensure_ascii=False, indent=1) + "\n---\n\n" + conversion.markdown


@dataclass(frozen=True)
class Source:
    """A peer's source folder, made once; every timed run reads it."""

    folder: Path
    markdown: Path
    bibliography: Path
    style: Path
    conversion: Conversion
    settings: Settings


def prepare(project: Path, folder: Path, style_path: Callable[[str], Path] | None = None) -> Source:
    """Write the peer's Markdown for ``project`` (a copy of the edition) into ``folder``."""
    settings = read_settings(project, style_path)
    conversion = convert((project / ESSAY).read_text("utf-8"))
    folder.mkdir(parents=True, exist_ok=True)
    markdown = folder / f"{STEM}.md"
    markdown.write_text(document(conversion, settings), "utf-8")
    return Source(folder, markdown, project / BIBLIOGRAPHY, settings.style, conversion, settings)


def pandoc_command(pandoc: str, source: Path, bibliography: Path, style: Path, out: Path, fmt: str) -> list[str]:
    """One format, as a pandoc user types it: citeproc, the edition's bibliography and style."""
    command = [
        pandoc,
        str(source),
        "--from=markdown",
        "--citeproc",
        f"--bibliography={bibliography}",
        f"--csl={style}",
        f"--output={out / f'{STEM}.{fmt}'}",
    ]
    if fmt == "html":
        command += ["--to=html5", "--standalone"]
    elif fmt == "epub":
        command += ["--to=epub3"]
    elif fmt == "pdf":
        command += ["--to=pdf", "--pdf-engine=xelatex"]
    else:
        raise ValueError(f"unknown format {fmt!r}")
    return command


def command(python: str, pandoc: str, source: Source, out: Path, formats: Sequence[str], jobs: int) -> list[str]:
    """The timed command: this module's runner, building ``formats`` into ``out``."""
    return [
        python,
        "-m",
        "bench.peer",
        f"--pandoc={pandoc}",
        f"--source={source.markdown}",
        f"--bibliography={source.bibliography}",
        f"--csl={source.style}",
        f"--out={out}",
        f"--jobs={jobs}",
        *formats,
    ]


def run_formats(
    pandoc: str, source: Path, bibliography: Path, style: Path, out: Path, formats: Sequence[str], jobs: int
) -> None:
    """Run one pandoc per format, at most ``jobs`` at a time, the longest first; fail on any error or warning.

    A warning counts as a failure (an unresolved citation, a glyph missing
    from a font): the edition's build fails on either, so a peer that
    tolerated them would be building something lesser.
    """
    out.mkdir(parents=True, exist_ok=True)
    queue = [f for f in LONGEST_FIRST if f in formats]
    running: dict[int, tuple[str, subprocess.Popen[bytes], IO[bytes]]] = {}
    failures: list[str] = []
    with contextlib.ExitStack() as logs:
        try:
            while queue or running:
                while queue and len(running) < max(jobs, 1) and not failures:
                    fmt = queue.pop(0)
                    log: IO[bytes] = logs.enter_context(tempfile.TemporaryFile())
                    command = pandoc_command(pandoc, source, bibliography, style, out, fmt)
                    proc = subprocess.Popen(command, cwd=source.parent, stdout=subprocess.DEVNULL, stderr=log)
                    running[proc.pid] = (fmt, proc, log)
                if not running:
                    break
                pid, status = os.wait()
                if pid not in running:
                    continue
                fmt, proc, done = running.pop(pid)
                proc.returncode = os.waitstatus_to_exitcode(status)
                done.seek(0)
                messages = done.read().decode(errors="replace").strip()
                if proc.returncode or messages:
                    failures.append(f"pandoc, {fmt}: exit {proc.returncode}\n{messages}")
        finally:
            for _, proc, _ in running.values():
                proc.kill()
                proc.wait()
    if failures:
        raise PeerFailed("\n".join(failures))


# -- Is the peer's output whole? -----------------------------------------------------------------

_NOTEREF = re.compile(r'<a\s+href="#fn(\d+)"\s+class="footnote-ref"')  # pandoc wraps lines between attributes
_FOOTNOTE = re.compile(r'<(?:li|aside)\b[^>]*?\bid="fn(\d+)"')
_CITES = re.compile(r'data-cites="([^"]*)"')
_CITATION_NOTE = re.compile(r'data-cites="([^"]*)"\s*>\s*<a\s+href="#fn(\d+)"')
"""A citation in running text, which a note style makes a footnote: its key stands on the reference."""


def _notes_in_markup(text: str, where: str, keys: Sequence[str]) -> None:
    """Every footnote referenced, and each holding its own citation: the keys, in order, the essay cites."""
    refs = _NOTEREF.findall(text)
    in_text = {number: key for key, number in _CITATION_NOTE.findall(text)}
    notes = list(_FOOTNOTE.finditer(text))
    found = []
    for note, end in zip(notes, [*(n.start() for n in notes[1:]), len(text)]):
        cites = _CITES.search(text, note.start(), end)
        found.append(cites[1] if cites else in_text.get(note[1], ""))
    if len(refs) != len(keys) or found != list(keys):
        raise PeerFailed(
            f"{where}: {len(refs)} note references and {len(found)} notes citing {found}, "
            f"expected {len(keys)} citing {list(keys)}"
        )


def _pdf_streams(data: bytes) -> bytes:
    """The PDF's bytes with its Flate streams inflated, to read names xdvipdfmx compresses."""
    parts = [data]
    for match in re.finditer(rb"stream\r?\n", data):
        try:
            parts.append(zlib.decompressobj().decompress(data[match.end() : match.end() + 4_000_000]))
        except zlib.error:
            continue
    return b"\n".join(parts)


def validate(out: Path, formats: Sequence[str], keys: Sequence[str], fonts: Sequence[str] = ()) -> None:
    """Raise :class:`PeerFailed` unless each format's file is there, whole, with every note.

    ``keys`` are the works the footnotes cite, in order. HTML and EPUB: every
    footnote referenced, each citing its work (pandoc's ``data-cites``). PDF:
    a whole PDF with every footnote a link target of its own
    (``Hfootnote.N``), set in ``fonts``, embedded (so it was typeset with
    them, not with a substitute).
    """
    for fmt in formats:
        path = out / f"{STEM}.{fmt}"
        if not path.is_file() or path.stat().st_size == 0:
            raise PeerFailed(f"{path}: missing or empty")
        if fmt == "html":
            _notes_in_markup(path.read_text("utf-8"), str(path), keys)
        elif fmt == "epub":
            with zipfile.ZipFile(path) as book:
                if book.read("mimetype") != b"application/epub+zip":
                    raise PeerFailed(f"{path}: not an EPUB")
                pages = "".join(book.read(name).decode("utf-8") for name in book.namelist() if name.endswith(".xhtml"))
            _notes_in_markup(pages, str(path), keys)
        elif fmt == "pdf":
            data = path.read_bytes()
            if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-1024:]:
                raise PeerFailed(f"{path}: not a whole PDF")
            inflated = _pdf_streams(data)
            marks = set(re.findall(rb"Hfootnote\.(\d+)", inflated))
            if len(marks) != len(keys):
                raise PeerFailed(f"{path}: {len(marks)} footnotes, expected {len(keys)}")
            for font in fonts:
                if not re.search(rb"/FontName\s*/[A-Z]{6}\+" + re.escape(font.encode()), inflated):
                    raise PeerFailed(f"{path}: the font {font} is not embedded")
        else:
            raise ValueError(f"unknown format {fmt!r}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.peer", description=__doc__.splitlines()[0])
    parser.add_argument("--pandoc", required=True)
    parser.add_argument("--source", type=Path, required=True, help="the pandoc Markdown prepare() wrote")
    parser.add_argument("--bibliography", type=Path, required=True)
    parser.add_argument("--csl", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("formats", nargs="*", help=f"some of {', '.join(FORMATS)} (default: all three)")
    args = parser.parse_args(argv)
    unknown = set(args.formats) - set(FORMATS)
    if unknown:
        parser.error(f"unknown format(s): {', '.join(sorted(unknown))}")
    # absolute, since pandoc runs in the source's folder
    source, bibliography, style, out = (p.resolve() for p in (args.source, args.bibliography, args.csl, args.out))
    try:
        run_formats(args.pandoc, source, bibliography, style, out, args.formats or FORMATS, args.jobs)
    except PeerFailed as failed:
        print(failed, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
