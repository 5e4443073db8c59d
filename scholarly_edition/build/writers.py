"""One reading of the sources, every format written from it: ``python -m scholarly_edition.build.writers``.

Sphinx, its extensions and the edition's own take about a second to load
and set up, and reading the sources (with the CSL processor) as long
again; three ``sphinx-build`` runs paid both three times over, on two
cores. Here one process loads them once, and the first builder (the
PDF's, whose LaTeX takes longest) reads the sources into a fresh
environment. The moment the environment is whole, the process forks a
writer per further format: each has the application and the environment
in memory already, makes its own builder as Sphinx would, and writes
every document without reading one again, beside the first builder.

Each format's end is one line on standard output, ``FORMAT STATUS`` (0
for written), as soon as it is known, so that LaTeX starts the moment its
sources exist; warnings and errors go to standard error, as
``sphinx-build``'s do.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from scholarly_edition.build.project import BUILDERS
from scholarly_edition.build.timeline import mark

if TYPE_CHECKING:
    from sphinx.application import Sphinx

NICENESS = 5
"""How far the later writers step back, so that the first format's (and its LaTeX) goes first."""
NOT_READ = 3
"""A writer's status when the reading failed before the environment was saved: nothing to write from."""


def preload(confdir: Path) -> None:
    """Import Sphinx, its builders and every extension conf.py names, before the writers fork."""
    import sphinx.application  # noqa: F401  (loaded once for every writer)
    from sphinx.config import Config
    from sphinx.util.tags import Tags

    for name in ("sphinx.builders.html", "sphinx.builders.epub3", "sphinx.builders.latex"):
        importlib.import_module(name)
    config = Config.read(confdir, overrides={}, tags=Tags())
    for name in config.extensions:
        with contextlib.suppress(ImportError):  # Sphinx itself reports a missing extension
            importlib.import_module(name)


def write(
    builder: str,
    *,
    confdir: Path,
    srcdir: Path,
    outdir: Path,
    doctrees: Path,
    on_read: Callable[[Sphinx], None] | None = None,
) -> int:
    """The first builder, reading the sources afresh, as ``sphinx-build -E -W -n --keep-going -q`` runs it."""
    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    app = None
    try:
        with patch_docutils(confdir), docutils_namespace():
            app = Sphinx(
                srcdir=srcdir,
                confdir=confdir,
                outdir=outdir,
                doctreedir=doctrees,
                buildername=builder,
                confoverrides={"nitpicky": True},
                status=None,
                warning=sys.stderr,
                freshenv=True,
                warningiserror=True,
                keep_going=True,
            )
            mark(f"{builder} set up")
            app.connect("env-before-read-docs", lambda *_: mark("reading"))
            app.connect("env-updated", lambda *_: mark("documents read"), priority=0)
            if on_read is not None:
                # the environment is whole (and saved) when Sphinx checks its consistency
                app.connect("env-check-consistency", lambda app, _env: on_read(app), priority=0)
            app.build()
            return app.statuscode
    except (Exception, KeyboardInterrupt) as exc:
        return _failed(exc, app)


def write_again(app: Sphinx, builder: str, outdir: Path) -> int:
    """Another builder over the environment ``app`` has just read, in a process forked from it.

    The application, its extensions and the environment are there in
    memory: only the builder is new, made and set up as Sphinx makes its
    own, and it writes every document without reading any again.
    """
    try:
        outdir.mkdir(parents=True, exist_ok=True)
        app.outdir = outdir
        reader = app.builder
        for tag in (reader.format, reader.name, f"format_{reader.format}", f"builder_{reader.name}"):
            app.tags.remove(tag)  # the reader's, which its builder added: ``only`` must see this one's
        app.preload_builder(builder)
        app.builder = app.create_builder(builder)
        app.env._builder_cls = type(app.builder)
        app._init_builder()  # the builder's init and its builder-inited handlers, as Sphinx runs them
        # a handler that adds to a list each time it runs (sphinx-copybutton's static folder) has run twice
        app.config.html_static_path = list(dict.fromkeys(app.config.html_static_path))
        app.build(force_all=True)
        return app.statuscode
    except (Exception, KeyboardInterrupt) as exc:
        return _failed(exc, app)


def _failed(exc: BaseException, app: Sphinx | None) -> int:
    """Say what went wrong as ``sphinx-build`` says it; its exit status."""
    from sphinx._cli.util.errors import handle_exception

    handle_exception(
        exc,
        stderr=sys.stderr,
        message_log=app.messagelog if app is not None else (),
        extensions=app.extensions.values() if app is not None else (),
    )
    return 2


def report(fmt: str, status: int) -> None:
    """One format's end, for the build that waits on this process."""
    sys.stdout.write(f"{fmt} {status}\n")
    sys.stdout.flush()


def wants_colour(environ: Mapping[str, str], *, tty: bool) -> bool:
    """Colour codes only on a terminal, or when asked for.

    Unlike sphinx-build, ``CI=true`` alone does not turn them on: the warnings
    go to a pipe the build reads and to logs a person greps, one plain line each.
    """
    if environ.get("NO_COLOR") or environ.get("NO_COLOUR"):  # set and not empty, as no-color.org has it
        return False
    if environ.get("FORCE_COLOR") or environ.get("FORCE_COLOUR"):
        return True
    return tty and environ.get("TERM", "dumb").lower() not in {"dumb", "unknown"}


def run(formats: Sequence[str], *, confdir: Path, srcdir: Path, work: Path) -> int:
    """Write ``formats`` (the first reads the sources) into ``work/<builder>``; 0 if every one was written."""
    mark("writers started")
    preload(confdir)
    mark("writers loaded")
    from sphinx._cli.util.colour import disable_colour

    if not wants_colour(os.environ, tty=sys.stderr.isatty()):
        disable_colour()
    first, *later = formats
    forked: dict[int, str] = {}

    reader = os.getpid()

    def read(app: Sphinx) -> None:
        if os.getpid() != reader:  # a writer's own build checks the environment too: it forks nothing
            return
        mark("sources read")
        sys.stdout.flush()
        sys.stderr.flush()
        for fmt in later:
            pid = os.fork()
            if pid == 0:  # a writer: the reading is done, and this process has it
                with contextlib.suppress(OSError):
                    os.nice(NICENESS)
                mark(f"{fmt} writing")
                status = write_again(app, BUILDERS[fmt], work / BUILDERS[fmt])
                mark(f"{fmt} written")
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(status)
            forked[pid] = fmt

    status = write(
        BUILDERS[first],
        confdir=confdir,
        srcdir=srcdir,
        outdir=work / BUILDERS[first],
        doctrees=work / ".doctrees" / "shared",
        on_read=read if later else None,
    )
    mark(f"{first} written")
    report(first, status)
    worst = status
    for fmt in later:
        if fmt not in forked.values():  # the reading failed before there was anything to write from
            report(fmt, NOT_READ)
            worst = worst or NOT_READ
    while forked:
        pid, wait_status = os.wait()
        if pid in forked:
            fmt = forked.pop(pid)
            code = os.waitstatus_to_exitcode(wait_status)
            report(fmt, code)
            worst = worst or code
    return worst


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scholarly_edition.build.writers", description=__doc__)
    parser.add_argument("formats", nargs="+", choices=sorted(BUILDERS))
    parser.add_argument("--conf-dir", type=Path, required=True)
    parser.add_argument("--source-dir", type=Path, required=True)
    parser.add_argument("--work", type=Path, required=True)
    args = parser.parse_args(argv)
    return run(list(dict.fromkeys(args.formats)), confdir=args.conf_dir, srcdir=args.source_dir, work=args.work)


if __name__ == "__main__":
    sys.exit(main())
