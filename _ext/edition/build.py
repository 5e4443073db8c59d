"""Build every edition at once, and publish them only if all succeed.

``python -m edition.build [FORMAT ...]`` runs one ``sphinx-build`` per format
in parallel (they share nothing but the sources), runs LaTeX on the PDF
edition, copies the PDF and EPUB beside the HTML as its downloads, and only
then swaps the new ``_build/`` into place. A failed build leaves the
previous editions exactly as they were.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FORMATS = ("html", "epub", "pdf")
BUILDERS = {"html": "html", "epub": "epub", "pdf": "latex"}
STEM = "radicalisation-enigma"


def sphinx_command(builder: str, outdir: Path, doctrees: Path) -> list[str]:
    """The one ``sphinx-build`` command line every format uses."""
    return [
        sys.executable, "-m", "sphinx",
        "-b", builder,
        "-W",              # a warning is an error: the edition is built clean or not at all
        "-n",              # nit-picky: every cross-reference must resolve
        "--keep-going",    # but report every problem in one run, not just the first
        "-q",              # only warnings and errors on the console
        "-E",              # fresh environment: output depends on the sources alone
        "-c", str(ROOT),   # conf.py is at the top; the sources are in edition/
        "-d", str(doctrees),
        str(ROOT / "edition"),
        str(outdir),
    ]


def latex_command() -> list[str]:
    """latexmk reruns xelatex only as often as references and the index need."""
    return [
        "latexmk", "-pdfxe", "-dvi-", "-ps-",
        "-interaction=nonstopmode", "-halt-on-error", "-file-line-error", "-silent",
        f"{STEM}.tex",
    ]


def source_date_epoch() -> str | None:
    """The last commit's date, so that dates embedded in the output are reproducible."""
    if "SOURCE_DATE_EPOCH" in os.environ:
        return os.environ["SOURCE_DATE_EPOCH"]
    try:
        out = subprocess.run(
            ["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True, check=True
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return out.stdout.strip() or None


class BuildFailed(RuntimeError):
    pass


def _run_all(formats: Sequence[str], work: Path, env: dict[str, str]) -> dict[str, float]:
    started = time.perf_counter()
    procs: dict[str, tuple[subprocess.Popen[bytes], float]] = {}
    for fmt in formats:
        builder = BUILDERS[fmt]
        outdir = work / builder
        cmd = sphinx_command(builder, outdir, work / ".doctrees" / builder)
        procs[fmt] = (subprocess.Popen(cmd, env=env, stderr=subprocess.PIPE), time.perf_counter())
    timings: dict[str, float] = {}
    failures: list[str] = []
    for fmt, (proc, t0) in procs.items():
        _, stderr = proc.communicate()
        if stderr:
            sys.stderr.write(stderr.decode(errors="replace"))
        if proc.returncode:
            failures.append(f"{fmt}: sphinx-build exited {proc.returncode}")
            continue
        if fmt == "pdf":
            latex = subprocess.run(
                latex_command(), cwd=work / "latex", env=env, capture_output=True, check=False
            )
            if latex.returncode:
                log = (work / "latex" / f"{STEM}.log")
                tail = log.read_text(errors="replace")[-3000:] if log.exists() else latex.stdout.decode()
                sys.stderr.write(tail)
                failures.append(f"pdf: latexmk exited {latex.returncode} (see {STEM}.log above)")
                continue
        timings[fmt] = time.perf_counter() - t0
    if failures:
        raise BuildFailed("; ".join(failures))
    timings["total"] = time.perf_counter() - started
    return timings


def build(formats: Sequence[str], dest: Path) -> dict[str, float]:
    """Build ``formats`` into a scratch folder beside ``dest``, then swap it in."""
    dest = dest.resolve()
    dest.parent.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    epoch = source_date_epoch()
    if epoch:
        env["SOURCE_DATE_EPOCH"] = epoch
    work = Path(tempfile.mkdtemp(prefix=f".{dest.name}-new-", dir=dest.parent))
    try:
        timings = _run_all(formats, work, env)
        html = work / "html"
        if html.is_dir():
            if (work / "latex" / f"{STEM}.pdf").exists():
                shutil.copy2(work / "latex" / f"{STEM}.pdf", html / f"{STEM}.pdf")
            if (work / "epub" / f"{STEM}.epub").exists():
                shutil.copy2(work / "epub" / f"{STEM}.epub", html / f"{STEM}.epub")
        _swap(work, dest, keep=[BUILDERS[f] for f in FORMATS if f not in formats])
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return timings


def _swap(work: Path, dest: Path, keep: Sequence[str]) -> None:
    """Replace ``dest`` with ``work``; formats not rebuilt are carried over."""
    if dest.exists():
        for name in keep:
            if (dest / name).exists() and not (work / name).exists():
                os.replace(dest / name, work / name)
        old = dest.with_name(f".{dest.name}-old-{os.getpid()}")
        os.replace(dest, old)
        os.replace(work, dest)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(work, dest)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m edition.build", description=__doc__.splitlines()[0])
    parser.add_argument("formats", nargs="*", metavar="FORMAT", help="html, epub, pdf (default: all three)")
    parser.add_argument("--out", type=Path, default=ROOT / "_build", help="where the editions go (default: _build)")
    args = parser.parse_args(argv)
    formats = list(dict.fromkeys(args.formats)) or list(FORMATS)
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        parser.error(f"unknown format {unknown[0]!r}; choose from {', '.join(FORMATS)}")
    try:
        timings = build(formats, args.out)
    except BuildFailed as exc:
        print(f"build failed, {args.out} left as it was: {exc}", file=sys.stderr)
        return 1
    for fmt, seconds in timings.items():
        print(f"{fmt:>6}: {seconds:5.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
