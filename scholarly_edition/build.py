"""Build every edition at once, and publish them only if all succeed.

``python -m scholarly_edition.build [FORMAT ...]`` runs one ``sphinx-build`` per format
in parallel (they share nothing but the sources), runs LaTeX on the PDF
edition, copies the PDF and EPUB beside the HTML as its downloads, and only
then swaps the new ``_build/`` into place. A failed build leaves the
previous editions exactly as they were.

Every build starts Sphinx afresh (``-E``), but two results that depend only
on their inputs are carried from the previous ``_build/``, so a rebuild does
not pay for them again: the CSL processor's output (cached by a hash of
everything that goes in, shared by the builders of one build, and pruned
to what this build used) and LaTeX's auxiliary files, from which latexmk
reruns xelatex only until they stop changing, as it would from scratch.
The PDF, the longest job, goes first: its builder runs at normal priority
and LaTeX starts the moment its sources are written.
"""

from __future__ import annotations

import argparse
import os
import runpy
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from scholarly_edition.bibliography.citeproc import CACHE_ENV
from scholarly_edition.config import PREFIX, defaults

ROOT = Path.cwd()
"""The project a bare ``python -m scholarly_edition.build`` builds: the folder it runs in."""
FORMATS = ("html", "epub", "pdf")
BUILDERS = {"html": "html", "epub": "epub", "pdf": "latex"}
CITEPROC_CACHE = Path(".doctrees", "citeproc")
"""The CSL processor's results, shared by the builders of one build and kept with ``_build/``."""
LATEX_AUXILIARIES = ("aux", "toc", "out", "idx", "ind", "ilg", "lof", "lot", "fdb_latexmk")
"""What latexmk reads back from an earlier run: with them it checks, without them it rebuilds."""
NICENESS = 5
"""How far the HTML and EPUB builders step back so that the PDF's (LaTeX follows it) runs first."""


@dataclass(frozen=True)
class Project:
    """Where a project's configuration and sources are, and what its downloads are called."""

    confdir: Path
    srcdir: Path
    stem: str

    @classmethod
    def at(cls, confdir: Path, srcdir: Path | None = None) -> Project:
        """The project whose conf.py is in ``confdir``; its sources in ``srcdir`` (default: ``edition/``
        if there is one, else beside conf.py). The stem is conf.py's ``edition_download_stem``."""
        confdir = confdir.resolve()
        if srcdir is None:
            srcdir = confdir / "edition" if (confdir / "edition").is_dir() else confdir
        namespace = runpy.run_path(str(confdir / "conf.py"))
        stem = namespace.get(f"{PREFIX}download_stem", defaults().download_stem)
        return cls(confdir, srcdir.resolve(), str(stem))


def sphinx_command(project: Project, builder: str, outdir: Path, doctrees: Path) -> list[str]:
    """The one ``sphinx-build`` command line every format uses."""
    return [
        sys.executable, "-m", "sphinx",
        "-b", builder,
        "-W",              # a warning is an error: the edition is built clean or not at all
        "-n",              # nit-picky: every cross-reference must resolve
        "--keep-going",    # but report every problem in one run, not just the first
        "-q",              # only warnings and errors on the console
        "-E",              # fresh environment: output depends on the sources alone
        "-c", str(project.confdir),
        "-d", str(doctrees),
        str(project.srcdir),
        str(outdir),
    ]  # fmt: skip


def latex_command(stem: str) -> list[str]:
    """latexmk reruns xelatex only as often as references and the index need."""
    return [
        "latexmk", "-pdfxe", "-dvi-", "-ps-",
        "-interaction=nonstopmode", "-halt-on-error", "-file-line-error", "-silent",
        f"{stem}.tex",
    ]  # fmt: skip


def latex_env(latex_dir: Path) -> dict[str, str]:
    """The xindy options Sphinx wrote into the LaTeX folder's Makefile.

    Sphinx's latexmkrc calls xindy with ``$XINDYOPTS`` (language, UTF-8,
    ``sphinx.xdy``), which only its Makefile exports; running latexmk
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


def source_date_epoch(root: Path | None = None) -> str | None:
    """The last commit's date, so that dates embedded in the output are reproducible."""
    if "SOURCE_DATE_EPOCH" in os.environ:
        return os.environ["SOURCE_DATE_EPOCH"]
    try:
        out = subprocess.run(
            ["git", "log", "-1", "--format=%ct"], cwd=root or ROOT, capture_output=True, text=True, check=True
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return out.stdout.strip() or None


class BuildFailed(RuntimeError):
    pass


def condense(stderr: str) -> str:
    """Sphinx's crash report cut down to what an editor acts on.

    On an exception Sphinx prints its versions, every loaded extension and a
    plea to report a bug, even when the exception is the edition's own
    message about a bad input. Keep the warnings above it, the error's kind
    and its message (which names the file and line), and where the full
    traceback went.
    """
    if "\nTraceback\n=========" not in stderr:
        return stderr
    head = stderr.partition("\nVersions\n========")[0].rstrip()
    trace = stderr.partition("\nTraceback\n=========")[2]
    trace, _, saved = trace.partition("The full traceback has been saved in:")
    lines = trace.strip("\n").splitlines()
    last_frame = max((i for i, line in enumerate(lines) if line.startswith("      File ")), default=-1)
    message = [
        line[4:] for line in lines[last_frame + 1 :] if line.startswith("    ") and not line.startswith("        ")
    ]
    log = saved.strip().splitlines()[:1]
    return "\n".join([head, *message, *(f"(full traceback: {p})" for p in log)]) + "\n"


def _stop(procs: dict[str, tuple[subprocess.Popen[bytes], float]]) -> None:
    for proc, _ in procs.values():
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def _run_all(
    project: Project, formats: Sequence[str], work: Path, env: dict[str, str], previous: Path | None = None
) -> dict[str, float]:
    started = time.perf_counter()
    _carry_cache(previous, work)
    env = {**env, CACHE_ENV: str(work / CITEPROC_CACHE)}
    procs: dict[str, tuple[subprocess.Popen[bytes], float]] = {}
    try:
        for fmt in sorted(formats, key=lambda f: f != "pdf"):
            builder = BUILDERS[fmt]
            cmd = sphinx_command(project, builder, work / builder, work / ".doctrees" / builder)
            nice = None if fmt == "pdf" else _step_back
            procs[fmt] = (subprocess.Popen(cmd, env=env, stderr=subprocess.PIPE, preexec_fn=nice), time.perf_counter())
        with ThreadPoolExecutor(max_workers=len(procs)) as pool:
            results = pool.map(lambda f: _finish(project, f, *procs[f], work, env, previous), procs)
            finished = dict(zip(procs, results, strict=True))
    finally:
        _stop(procs)
    timings: dict[str, float] = {}
    failures: list[str] = []
    reported: dict[str, None] = {}
    for fmt in formats:
        stderr, failure, seconds = finished[fmt]
        # the builders read the same sources: say each problem once, not once per format
        for line in condense(stderr).splitlines():
            if line.strip() and line not in reported:
                reported[line] = None
                sys.stderr.write(line + "\n")
        if failure:
            failures.append(failure)
        else:
            timings[fmt] = seconds
    if failures:
        raise BuildFailed("; ".join(failures))
    _prune_cache(work, since=started)
    timings["total"] = time.perf_counter() - started
    return timings


def _step_back() -> None:
    os.nice(NICENESS)


def _finish(
    project: Project,
    fmt: str,
    proc: subprocess.Popen[bytes],
    t0: float,
    work: Path,
    env: dict[str, str],
    previous: Path | None,
) -> tuple[str, str | None, float]:
    """Wait for one builder and, for the PDF, run LaTeX: (its messages, its failure, its time)."""
    _, stderr = proc.communicate()
    text = stderr.decode(errors="replace")
    if proc.returncode:
        return text, f"{fmt}: sphinx-build exited {proc.returncode}", 0.0
    if fmt == "pdf":
        latex_dir, stem = work / "latex", project.stem
        carried = _carry_latex_auxiliaries(previous, latex_dir, stem)
        latex = _latexmk(latex_dir, env, stem)
        if latex.returncode and carried:
            # an earlier build's auxiliary files may name commands this one no longer defines:
            # LaTeX from nothing decides whether the fault is in the sources
            for name in [*carried, f"{stem}.fls", f"{stem}.log", f"{stem}.xdv"]:
                (latex_dir / name).unlink(missing_ok=True)
            latex = _latexmk(latex_dir, env, stem)
        if latex.returncode:
            log = latex_dir / f"{stem}.log"
            tail = log.read_text(errors="replace")[-3000:] if log.exists() else latex.stdout.decode()
            return text + tail, f"pdf: latexmk exited {latex.returncode} (see {stem}.log above)", 0.0
    return text, None, time.perf_counter() - t0


def _carry_cache(previous: Path | None, work: Path) -> None:
    """Link the previous build's CSL results into this one (links: ``previous`` stays as it was)."""
    source = previous / CITEPROC_CACHE if previous else None
    if source and source.is_dir():
        shutil.copytree(source, work / CITEPROC_CACHE, copy_function=os.link, dirs_exist_ok=True)


def _prune_cache(work: Path, since: float) -> None:
    """Keep only the CSL results this build used (``citeproc`` touches each one it reads)."""
    folder = work / CITEPROC_CACHE
    if not folder.is_dir():
        return
    cutoff = time.time() - (time.perf_counter() - since) - 1
    for entry in folder.iterdir():
        if entry.stat().st_mtime < cutoff:
            entry.unlink()


def _latexmk(latex_dir: Path, env: dict[str, str], stem: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        latex_command(stem), cwd=latex_dir, env={**env, **latex_env(latex_dir)}, capture_output=True, check=False
    )


def _carry_latex_auxiliaries(previous: Path | None, latex_dir: Path, stem: str) -> list[str]:
    """Give latexmk the previous run's auxiliary files, so it checks them rather than rebuilds them."""
    source = previous / "latex" if previous else None
    if not source or not source.is_dir():
        return []
    carried = []
    for ext in LATEX_AUXILIARIES:
        old = source / f"{stem}.{ext}"
        if old.is_file() and not (latex_dir / old.name).exists():
            shutil.copy2(old, latex_dir / old.name)
            carried.append(old.name)
    return carried


def build(
    formats: Sequence[str], dest: Path, *, epoch: str | None = None, project: Project | None = None
) -> dict[str, float]:
    """Build ``formats`` into a scratch folder beside ``dest``, then swap it in.

    ``epoch`` (seconds since 1970) is the date written into the outputs; by
    default ``SOURCE_DATE_EPOCH`` or the last commit's date, so that two
    builds of one commit are byte for byte the same.
    """
    project = project or Project.at(ROOT)
    dest = dest.resolve()
    dest.parent.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    epoch = epoch or source_date_epoch(project.confdir)
    if epoch:
        env["SOURCE_DATE_EPOCH"] = epoch
        env["FORCE_SOURCE_DATE"] = "1"  # TeX's \today and \time too, not only the PDF's dates
    work = Path(tempfile.mkdtemp(prefix=f".{dest.name}-new-", dir=dest.parent))
    try:
        timings = _run_all(project, formats, work, env, previous=dest if dest.is_dir() else None)
        _carry_over(dest, work, keep=[BUILDERS[f] for f in FORMATS if f not in formats])
        _publish_downloads(work, project.stem)
        _swap(work, dest)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return timings


def _carry_over(dest: Path, work: Path, keep: Sequence[str]) -> None:
    """Copy the formats not rebuilt this time; ``dest`` stays whole until the swap."""
    for name in keep:
        if (dest / name).is_dir() and not (work / name).exists():
            shutil.copytree(dest / name, work / name, symlinks=True)


def _publish_downloads(work: Path, stem: str) -> None:
    """Put the PDF and EPUB beside the HTML, from whichever build made them."""
    html = work / "html"
    if not html.is_dir():
        return
    for made in (work / "latex" / f"{stem}.pdf", work / "epub" / f"{stem}.epub"):
        if made.exists():
            shutil.copy2(made, html / made.name)


def _swap(work: Path, dest: Path) -> None:
    """Replace ``dest`` with ``work`` by two renames on one file system."""
    if dest.exists():
        old = dest.with_name(f".{dest.name}-old-{os.getpid()}")
        os.replace(dest, old)
        os.replace(work, dest)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(work, dest)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scholarly_edition.build", description=(__doc__ or "").splitlines()[0]
    )
    parser.add_argument("formats", nargs="*", metavar="FORMAT", help="html, epub, pdf (default: all three)")
    parser.add_argument("--out", type=Path, default=None, help="where the editions go (default: _build beside conf.py)")
    parser.add_argument("--conf-dir", type=Path, default=ROOT, help="the folder of conf.py (default: this folder)")
    parser.add_argument("--source-dir", type=Path, default=None, help="the sources (default: edition/ beside conf.py)")
    args = parser.parse_args(argv)
    project = Project.at(args.conf_dir, args.source_dir)
    args.out = args.out or project.confdir / "_build"
    formats = list(dict.fromkeys(args.formats)) or list(FORMATS)
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        parser.error(f"unknown format {unknown[0]!r}; choose from {', '.join(FORMATS)}")
    try:
        timings = build(formats, args.out, project=project)
    except BuildFailed as exc:
        print(f"build failed, {args.out} left as it was: {exc}", file=sys.stderr)
        return 1
    for fmt, seconds in timings.items():
        print(f"{fmt:>6}: {seconds:5.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
