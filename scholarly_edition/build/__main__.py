"""The command line: ``python -m scholarly_edition.build [FORMAT ...] [--out DIR]``.

SIGINT, SIGTERM and SIGHUP stop the build (every child with it, nothing
published), and so does the end of the process that started it (killing
``nox`` stops its build). Exit status: 0 published, 1 failed or refused,
128 + the signal's number when stopped.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from scholarly_edition.build import FORMATS, ROOT, BuildFailed, Project, Refused, Stopped, build
from scholarly_edition.build.children import stop_with_parent, stopped_by_signals
from scholarly_edition.build.latex import TIMEOUT, TIMEOUT_ENV


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scholarly_edition.build",
        description="Build every edition at once, and publish them only if all succeed.",
    )
    parser.add_argument("formats", nargs="*", metavar="FORMAT", help="html, epub, pdf (default: all three)")
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="where the editions go: a new or empty folder, or one a build made (default: _build beside conf.py)",
    )
    parser.add_argument("--conf-dir", type=Path, default=ROOT, help="the folder of conf.py (default: this folder)")
    parser.add_argument("--source-dir", type=Path, default=None, help="the sources (default: edition/ beside conf.py)")
    parser.add_argument(
        "--latex-timeout",
        type=float,
        default=None,
        metavar="SECONDS",
        help=f"stop LaTeX after this long (default: ${TIMEOUT_ENV} or {TIMEOUT:g})",
    )
    args = parser.parse_args(argv)
    if args.latex_timeout is not None and args.latex_timeout <= 0:
        parser.error("--latex-timeout: give a number of seconds above 0")
    project = Project.at(args.conf_dir, args.source_dir)
    args.out = args.out or project.confdir / "_build"
    formats = list(dict.fromkeys(args.formats)) or list(FORMATS)
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        parser.error(f"unknown format {unknown[0]!r}; choose from {', '.join(FORMATS)}")
    try:
        stop_with_parent()
        with stopped_by_signals():
            timings = build(formats, args.out, project=project, latex_timeout=args.latex_timeout)
    except Refused as exc:
        print(f"build refused: {exc}", file=sys.stderr)
        return 1
    except BuildFailed as exc:
        print(f"build failed, {args.out} left as it was: {exc}", file=sys.stderr)
        return 1
    except Stopped as exc:
        outcome = "the new edition was published" if exc.published else f"{args.out} left as it was"
        print(f"build {exc}, {outcome}", file=sys.stderr)
        return 128 + exc.signum
    for fmt, seconds in timings.items():
        print(f"{fmt:>6}: {seconds:5.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
