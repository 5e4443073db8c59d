"""One reading of the sources, every format written from it: ``python -m scholarly_edition.build.writers``.

Sphinx, its extensions and the edition's own take about a second to load,
and reading the sources (with the CSL processor) as long again; three
``sphinx-build`` runs paid both three times over, on two cores. Here one
process loads them once and forks a writer per further format before it
reads anything; the first builder (the PDF's, whose LaTeX takes longest)
reads the sources into a fresh environment, and the moment Sphinx has
saved it, the other writers load it and write their formats beside the
first, as ``make html latexpdf`` would over one doctree folder.

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
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from scholarly_edition.build.project import BUILDERS

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
    fresh: bool,
    on_read: Callable[[], None] | None = None,
) -> int:
    """One builder over the shared doctrees, as ``sphinx-build -W -n --keep-going -q`` runs it."""
    from sphinx._cli.util.errors import handle_exception
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
                freshenv=fresh,
                warningiserror=True,
                keep_going=True,
            )
            if on_read is not None:
                # Sphinx saves the environment just before it checks its consistency
                app.connect("env-check-consistency", lambda _app, _env: on_read(), priority=0)
            app.build(force_all=not fresh)
            return app.statuscode
    except (Exception, KeyboardInterrupt) as exc:
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


def run(formats: Sequence[str], *, confdir: Path, srcdir: Path, work: Path) -> int:
    """Write ``formats`` (the first reads the sources) into ``work/<builder>``; 0 if every one was written."""
    preload(confdir)
    from sphinx._cli.util.colour import disable_colour, terminal_supports_colour

    if not terminal_supports_colour():  # as sphinx-build: no colour codes in a pipe or a log
        disable_colour()
    doctrees = work / ".doctrees" / "shared"
    first, *later = formats
    options: dict[str, Any] = {"confdir": confdir, "srcdir": srcdir, "doctrees": doctrees}
    pipes: dict[int, tuple[str, int]] = {}
    for fmt in later:
        ready, told = os.pipe()
        pid = os.fork()
        if pid == 0:  # a writer: wait for the environment, then write from it
            os.close(told)
            for _, (_, other) in pipes.items():
                os.close(other)
            with contextlib.suppress(OSError):
                os.nice(NICENESS)
            status = NOT_READ
            if os.read(ready, 1):
                status = write(BUILDERS[fmt], outdir=work / BUILDERS[fmt], fresh=False, **options)
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(status)
        os.close(ready)
        pipes[pid] = (fmt, told)

    def read() -> None:
        for _, told in pipes.values():
            with contextlib.suppress(OSError):
                os.write(told, b"1")

    status = write(BUILDERS[first], outdir=work / BUILDERS[first], fresh=True, on_read=read, **options)
    for _, told in pipes.values():
        os.close(told)  # a writer still waiting learns that there is nothing to write from
    report(first, status)
    worst = status
    while pipes:
        pid, wait_status = os.wait()
        if pid in pipes:
            fmt, _ = pipes.pop(pid)
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
