"""One Sphinx application, kept in memory between builds: the preview's builder.

Run as ``python -m scholarly_edition.preview.building`` by the server
(:mod:`.worker`), it builds once, then once for every list of changed
files the server sends on its standard input, and answers each with a
report (:class:`~scholarly_edition.preview.worker.Report`, one JSON line).
Imports and the extensions' set-up are paid once, when it starts; a change
to a page is then an incremental build of the same application.

Sphinx's incremental builds are made as strict as a clean one:

- Every warning and error is a problem (``-W -n``), collected from Sphinx's
  warning stream as Sphinx and the extension word them; a build with any
  problem, or stopped by an error, is not clean, and the server publishes
  nothing of it.
- A page read or written in a build that was not clean is read again in the
  next one, so its problems are reported again until they are fixed (Sphinx
  itself would say nothing more of a page it has read), and no page of a
  stopped build stays half-written.
- A change to anything but a page (``refs.bib``, the copy-text, a style, a
  static file, a new page) makes a new application, with a fresh
  environment (``-E``): some of what every page is made from is read only
  when an application starts (the extension reads ``refs.bib`` then).
- When a title, a page's contents, a label or a term changes, every page is
  written again (:mod:`.sparing`, which also says what a build of a page
  leaves as it was).

Sphinx's logging is set up afresh before each build, so that no warning is
kept back as already said (Sphinx says some warnings once per process), and
its cache of loaded doctrees is emptied, as Sphinx's own test application
does between builds: it is never told of a page read again.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import sys
import time
import traceback
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import IO, Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.errors import SphinxError
from sphinx.util import logging as sphinx_logging
from sphinx.util.docutils import docutils_namespace, patch_docutils

from scholarly_edition.preview.sparing import Sparing
from scholarly_edition.preview.worker import Report

_ANSI = re.compile(r"\x1b\[[0-9;]*m")


class Problems:
    """Sphinx's warning stream: each message it writes is one problem, colour codes taken out."""

    def __init__(self) -> None:
        self.found: list[str] = []

    def write(self, text: str) -> int:
        message = _ANSI.sub("", text).rstrip()
        if message:
            self.found.append(message)
        return len(text)

    def flush(self) -> None:
        pass


class Discard:
    """Sphinx's status stream: the preview says what it built itself, in one line."""

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass


class Builder:
    """The application and the rules that keep its incremental builds strict."""

    def __init__(self, confdir: Path, srcdir: Path, outdir: Path, doctreedir: Path) -> None:
        self.confdir, self.srcdir, self.outdir, self.doctreedir = confdir, srcdir, outdir, doctreedir
        self.app: Sphinx | None = None
        self.sparing: Sparing | None = None
        self._contexts = contextlib.ExitStack()
        self._problems = Problems()
        self._again: set[str] = set()  # pages of a build that was not clean: read them again
        self._read: list[str] = []
        self._written: list[str] = []

    def _start(self) -> Sphinx:
        """A new application, with a fresh environment: every page is read and written, every file copied."""
        self.app = self.sparing = None
        self._contexts.close()
        self._contexts = contextlib.ExitStack()
        self._again = set()
        self._contexts.enter_context(patch_docutils(self.confdir))
        self._contexts.enter_context(docutils_namespace())
        app = Sphinx(
            self.srcdir,
            self.confdir,
            self.outdir,
            self.doctreedir,
            "html",
            confoverrides={"nitpicky": True},  # -n
            status=Discard(),  # type: ignore[arg-type]
            warning=self._problems,  # type: ignore[arg-type]
            freshenv=True,  # an environment saved by an earlier process holds none of its problems
            warningiserror=True,  # -W (with Sphinx 8's --keep-going: every problem, then the build fails)
            verbosity=0,
        )
        app.connect("env-get-outdated", self._outdated)
        app.connect("env-before-read-docs", self._reading)
        app.connect("env-get-updated", self._updated)
        app.connect("doctree-resolved", self._resolved, priority=1000)
        self.sparing = Sparing(app)
        return app

    def _outdated(self, app: Sphinx, env: BuildEnvironment, *changes: set[str]) -> list[str]:
        return sorted(self._again & env.found_docs)

    def _reading(self, app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
        self._read = list(docnames)

    def _resolved(self, app: Sphinx, doctree: nodes.document, docname: str) -> None:
        self._written.append(docname)

    def _updated(self, app: Sphinx, env: BuildEnvironment) -> list[str]:
        return self.sparing.read(env) if self.sparing else []

    def only_pages(self, changed: Iterable[str]) -> bool:
        """Whether every changed file is a page the application knows (else it is made anew)."""
        app = self.app
        if app is None:
            return False
        for name in changed:
            path = Path(name)
            docname = app.env.path2doc(path) if path.is_relative_to(self.srcdir) else None
            if docname is None or docname not in app.env.found_docs:
                return False
        return True

    def build(self, changed: Sequence[str] = ()) -> Report:
        """Build what ``changed`` (absolute paths) calls for; report every problem."""
        started, processor = time.perf_counter(), time.process_time()
        self._problems.found = []
        self._read, self._written = [], []
        full = not self.only_pages(changed)
        try:
            app = self._start() if full else self.app
            assert app is not None
            self.app = app
            sphinx_logging.setup(app, Discard(), self._problems)  # type: ignore[arg-type]
            # Sphinx keeps every doctree it loads for the application's life, never dropping one it reads
            # again: a later build would get the page as it was (sphinx.testing's app clears it too)
            app.env._pickled_doctree_cache.clear()
            app.build()
        except SphinxError as exc:
            self._problems.found.append(f"{exc.category}: {exc}")
        except Exception as exc:
            # not the edition's own error: a fault the application may not have recovered from
            traceback.print_exc()
            self._problems.found.append(f"{type(exc).__name__}: {exc}")
            self.app = None
        problems = list(self._problems.found)
        if self.sparing is not None:
            self.sparing.failed() if problems else self.sparing.clean()
        self._again = self._again | set(self._read) | set(self._written) if problems else set()
        return Report(
            not problems,
            problems,
            read=sorted(self._read),
            written=sorted(set(self._written)),
            seconds=time.perf_counter() - started,
            cpu=time.process_time() - processor,
            full=full,
        )

    def close(self) -> None:
        self._contexts.close()


def serve_requests(builder: Builder, requests: IO[str], reports: IO[str]) -> None:
    """Build once, then once per request line (a JSON list of changed paths) until the input ends."""

    def send(report: Report) -> None:
        reports.write(json.dumps(asdict(report), ensure_ascii=False) + "\n")
        reports.flush()

    send(builder.build())
    for line in requests:
        if line.strip():
            changed: list[Any] = json.loads(line)
            send(builder.build([str(p) for p in changed]))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scholarly_edition.preview.building", description=__doc__)
    parser.add_argument("--conf-dir", type=Path, required=True)
    parser.add_argument("--src-dir", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True, help="where Sphinx writes the HTML")
    parser.add_argument("--doctrees", type=Path, required=True)
    args = parser.parse_args(argv)
    # the reports go out on the standard output as it was; anything else printed there
    # (an extension's notice, a stray print) goes to the console with the warnings
    reports = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    builder = Builder(args.conf_dir.resolve(), args.src_dir.resolve(), args.out.resolve(), args.doctrees.resolve())
    try:
        serve_requests(builder, sys.stdin, reports)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    finally:
        builder.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
