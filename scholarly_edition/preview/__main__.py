"""``python -m scholarly_edition.preview``: serve the HTML edition and rebuild it on every save.

The loop: wait for a batch of changes, have the builder build them (or
restart it, for ``conf.py`` and the package), publish a clean build and
tell every open page, or tell them the build's problems. One build at a
time: changes made during a build are the next batch.
"""

from __future__ import annotations

import argparse
import shutil
import signal
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from scholarly_edition.build import CITEPROC_CACHE
from scholarly_edition.preview import DOCTREES, SERVED, STAGING, serving, watching
from scholarly_edition.preview.publishing import Publisher
from scholarly_edition.preview.worker import Report, Worker


def say(message: str) -> None:
    print(f"preview: {message}", file=sys.stderr, flush=True)


def seed_citeproc(built: Path, preview: Path) -> int:
    """Copy the CSL processor's results a build left in ``built`` that the preview's cache lacks.

    Each result is named by a hash of everything that goes into it, so any
    one is right for any build; a preview started after ``nox -s build``
    then runs pandoc for nothing its first build needs. Copies, not links:
    the build prunes its own.
    """
    if not built.is_dir():
        return 0
    preview.mkdir(parents=True, exist_ok=True)
    copied = 0
    for result in built.glob("*.json"):
        if not (preview / result.name).exists():
            shutil.copy2(result, preview / result.name)
            copied += 1
    return copied


class Preview:
    """The server, the builder and the publisher of one project's preview."""

    def __init__(self, confdir: Path, srcdir: Path, out: Path, host: str, port: int) -> None:
        seed_citeproc(confdir / "_build" / CITEPROC_CACHE, out / DOCTREES / CITEPROC_CACHE.name)
        self.hub = serving.Hub()
        self.publisher = Publisher(out / STAGING, out / SERVED)
        self.worker = Worker(confdir, srcdir, out / STAGING, out / DOCTREES)
        self.watched = watching.Watched(confdir, srcdir)
        self.server = serving.start(host, port, out / SERVED, self.hub)
        self.stopped = threading.Event()

    def settle(self, report: Report, seen: float | None = None) -> None:
        """Publish a clean build and tell the pages; or tell them and the console what is wrong.

        ``seen``: when the change built was noticed (seconds since 1970).
        """
        if not report.ok:
            for problem in report.problems:
                print(problem, file=sys.stderr, flush=True)
            self.hub.failed(report.problems)
            count = len(report.problems)
            say(f"{count} problem{'s' if count != 1 else ''}: nothing published; the pages stay as last built")
            return
        published = self.publisher.publish()
        timing = {
            "seen": (seen or 0.0) * 1000,
            "built": report.seconds,
            "cpu": report.cpu,
            "published": time.time() * 1000,
        }
        self.hub.published(published, timing)
        what = ", ".join(sorted(published.pages)) or ("other files" if published.files else "no page changed")
        say(f"built in {report.seconds:.2f} s{' (every page read)' if report.full else ''}: {what}")

    def run(self) -> None:
        say(f"serving {self.publisher.served} at {self.server.url}")
        watcher = watching.Watcher(self.watched, self.stopped)  # what is saved during the first build is built next
        say("building every page first")
        self.settle(self.worker.start())
        for batch in watcher.batches():
            seen = time.time()
            if batch.restart:
                say("conf.py or the extension changed: the builder starts again")
                self.settle(self.worker.start(), seen)
            else:
                self.settle(self.worker.build(sorted(batch.paths)), seen)

    def close(self) -> None:
        self.stopped.set()
        self.worker.stop()
        serving.stop(self.server)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scholarly_edition.preview", description=__doc__.splitlines()[0])
    parser.add_argument("--conf-dir", type=Path, default=Path.cwd(), help="the folder of conf.py (default: here)")
    parser.add_argument("--src-dir", type=Path, help="the sources (default: edition/ beside conf.py, if it is there)")
    parser.add_argument("--out", type=Path, help="the preview's folder (default: _build/.preview beside conf.py)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000, help="0: any free port (the URL is printed)")
    args = parser.parse_args(argv)
    confdir = args.conf_dir.resolve()
    srcdir = (args.src_dir or (confdir / "edition" if (confdir / "edition").is_dir() else confdir)).resolve()
    out = (args.out or confdir / "_build" / ".preview").resolve()
    try:
        preview = Preview(confdir, srcdir, out, args.host, args.port)
    except OSError as error:  # the port is taken, most likely
        say(f"cannot serve on {args.host}:{args.port}: {error.strerror or error}; choose another with --port")
        return 1
    # stopped like Ctrl-C stops it: the builder and the server closed, not left behind
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    try:
        preview.run()
    except KeyboardInterrupt:
        return 0
    finally:
        preview.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
