"""The edition's benchmark: build time beside pandoc's, memory, edit-to-preview, page weight, Lighthouse, scaling.

``nox -s bench`` runs it (it is not a test: timings belong in a benchmark,
not in assertions). Every figure is taken on a snapshot of the working tree
in a temporary folder, after a warm-up run, over several runs, and reported
as a median with its range. Each first build is timed in turn with pandoc
and citeproc building the same essay (:mod:`bench.peer`), and reported as
the ratio of the two as well. The results go to ``tests/bench/results/`` as
JSON (``latest.json`` and a dated copy) and are printed as a table beside
the targets.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict
from functools import partial
from pathlib import Path
from typing import Any

from scholarly_edition.build import timeline
from scholarly_edition.build.kept import CACHE_ENV, OFF
from scholarly_edition.build.timeline import TIMELINE_ENV

from . import browser, lighthouse, measure, peer, project, report, synthetic

HERE = Path(__file__).parent
RESULTS = HERE / "results"
ESSAY_PAGE = "essay.html"
FORMATS = ("html", "epub", "pdf")
SECTIONS = ("builds", "preview", "page", "lighthouse", "scaling")
Copier = Callable[[Path], Path]
"""Makes a copy of the project at a path: the working tree, or a commit (``--rev``)."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="nox -s bench --", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per figure (default 5)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed runs first (default 1)")
    parser.add_argument("--memory-runs", type=int, default=3, help="runs that sample the process tree (default 3)")
    parser.add_argument(
        "--lighthouse-runs", type=int, default=3, help="Lighthouse runs per form factor on the essay (default 3)"
    )
    parser.add_argument("--scaling", default="1,10,100", help="sizes of the synthetic edition (default 1,10,100)")
    parser.add_argument("--scaling-runs", type=int, default=3, help="clean builds per size (default 3)")
    parser.add_argument(
        "--peer-jobs",
        type=int,
        default=os.cpu_count() or 1,
        help="formats the peer (pandoc) runs at once, as make -jN (default: the machine's cores)",
    )
    parser.add_argument("--rev", help="benchmark this commit (default: the working tree as it is)")
    parser.add_argument("--only", default=",".join(SECTIONS), help=f"comma-separated subset of {','.join(SECTIONS)}")
    args = parser.parse_args(argv)
    only = [s for s in args.only.split(",") if s]
    unknown = set(only) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown section(s): {', '.join(sorted(unknown))}")

    copy_project: Copier = partial(project.snapshot_revision, revision=args.rev) if args.rev else project.snapshot
    results: dict[str, Any] = {
        "machine": machine(),
        "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "settings": vars(args),
    }
    with tempfile.TemporaryDirectory(prefix="edition-bench-") as tmp_name:
        tmp = Path(tmp_name)
        snap = copy_project(tmp / "project")
        site = tmp / "site"
        if "builds" in only:
            results["builds"], results["peer"] = bench_builds(snap, tmp, args)
        if {"page", "lighthouse"} & set(only):
            _step("building the site to serve")
            measure.run(project.build_command(snap, site), env=project.build_env(snap))
            with browser.serve(site / "html") as base:
                if "page" in only:
                    results["page"] = bench_page(base)
                if "lighthouse" in only:
                    results["lighthouse"] = bench_lighthouse(base, site / "html", args)
        if "preview" in only:
            results["preview"] = bench_preview(copy_project(tmp / "preview"), args)
        if "scaling" in only:
            factors = [int(f) for f in args.scaling.split(",") if f]
            results["scaling"] = bench_scaling(tmp, copy_project, factors, args)
    results["finished"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    path = write(results)
    print(report.table(results))
    print(f"\nresults: {path}")
    return 0


def _step(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def _summaries(found: dict[str, measure.Summary]) -> dict[str, Any]:
    return {name: summary.as_dict() for name, summary in found.items()}


def bench_builds(snap: Path, tmp: Path, args: argparse.Namespace) -> tuple[dict[str, Any], dict[str, Any]]:
    """``python -m scholarly_edition.build``: each format alone, then all at once; first builds and rebuilds.

    A first build starts from nothing (a fresh clone). A rebuild is ``nox -s
    build`` run again: Sphinx starts afresh (``-E``) and every output is made
    anew, but the build reuses what the previous ``_build/`` holds of the CSL
    processor's results and LaTeX's auxiliary files.

    Every first build is timed in turn with the peer (:mod:`bench.peer`,
    pandoc with citeproc) making the same format or formats from nothing,
    so that the ratio of each pair says how the build compares whatever
    else the machine is doing. The peer's output is checked after every run.
    Returns the figures, and how the peer was made and run.
    """
    env = project.build_env(snap)
    source = peer.prepare(snap, tmp / "peer-source", style_path=_style_path)
    pandoc = _pandoc()
    fonts = [source.settings.fonts["mainfont"]] if "mainfont" in source.settings.fonts else []
    out: dict[str, Any] = {}
    uncached = {**env, CACHE_ENV: OFF}
    for name, formats in [*((f, (f,)) for f in FORMATS), ("all", ())]:
        for mode in ("first", "rebuild", *(["first without the kept cache"] if name == "all" else [])):
            _step(f"clean build: {name}, {mode}" + (" (in turn with the peer)" if mode == "first" else ""))
            kept = Path(tempfile.mkdtemp(dir=tmp, prefix="kept-")) / "_build"

            def once(
                sample: bool, formats: tuple[str, ...] = formats, mode: str = mode, kept: Path = kept
            ) -> measure.Run:
                dest = kept if mode == "rebuild" else Path(tempfile.mkdtemp(dir=tmp, prefix="build-")) / "_build"
                chosen = uncached if mode.startswith("first without") else env
                try:
                    return measure.run(project.build_command(snap, dest, *formats), env=chosen, sample_tree=sample)
                finally:
                    if mode != "rebuild":
                        shutil.rmtree(dest.parent, ignore_errors=True)

            def peer_once(sample: bool, formats: tuple[str, ...] = formats or FORMATS) -> measure.Run:
                dest = Path(tempfile.mkdtemp(dir=tmp, prefix="peer-"))
                try:
                    command = peer.command(sys.executable, pandoc, source, dest, formats, args.peer_jobs)
                    result = measure.run(command, cwd=HERE.parent, env=env, sample_tree=sample)
                    peer.validate(dest, formats, source.conversion.footnotes, fonts)
                    return result
                finally:
                    shutil.rmtree(dest, ignore_errors=True)

            if mode != "rebuild":
                pair = measure.alternate(
                    once, peer_once, runs=args.runs, warmup=args.warmup, tree_runs=args.memory_runs
                )
                out[f"{name}/{mode}"] = {
                    **_summaries(pair.ours),
                    "peer": _summaries(pair.peer),
                    "ratio": pair.ratio.as_dict(),
                }
            else:
                found = measure.repeat(once, runs=args.runs, warmup=max(args.warmup, 1), tree_runs=args.memory_runs)
                out[f"{name}/{mode}"] = _summaries(found)
            shutil.rmtree(kept.parent, ignore_errors=True)
    out["timeline"] = build_timeline(snap, tmp, env)
    return out, peer_description(source, args.peer_jobs)


def build_timeline(snap: Path, tmp: Path, env: dict[str, str]) -> list[list[Any]]:
    """Where a first build's time goes: its moments (``SCHOLARLY_EDITION_TIMELINE``), in seconds from its start."""
    _step("a first build's timeline")
    dest = Path(tempfile.mkdtemp(dir=tmp, prefix="timeline-"))
    log = dest / "timeline.txt"
    measure.run(project.build_command(snap, dest / "_build"), env={**env, TIMELINE_ENV: str(log)})
    moments = [[round(seconds, 2), moment] for seconds, moment in timeline.read(log)]
    shutil.rmtree(dest, ignore_errors=True)
    return moments


def peer_description(source: peer.Source, jobs: int) -> dict[str, Any]:
    """How the peer was made and run: the results file says what its times are times of."""
    settings = source.settings
    root = source.bibliography.parent
    style = settings.style.relative_to(root) if settings.style.is_relative_to(root) else settings.style
    return {
        "tool": "pandoc --citeproc",
        "source": f"{peer.ESSAY} converted to pandoc Markdown once, before timing",
        "bibliography": str(peer.BIBLIOGRAPHY),
        "style": str(style),
        "language": settings.language,
        "footnotes": len(source.conversion.footnotes),
        "jobs": jobs,
        "schedule": f"one pandoc per format, at most {jobs} at a time, the PDF first (as make -j{jobs} would)",
        "pdf_engine": "xelatex",
        "pdf_fonts": settings.fonts or "pandoc's defaults (Latin Modern)",
        "checked": "after every run: each file whole; in the HTML and EPUB every footnote, each citing its work "
        "in order; in the PDF every footnote and the main font embedded",
    }


def bench_page(base: str) -> dict[str, Any]:
    """What the essay page costs a reader: bytes, requests, fonts."""
    _step("page weight of the essay")
    return asdict(browser.page_weight(base + ESSAY_PAGE))


def bench_lighthouse(base: str, html: Path, args: argparse.Namespace) -> dict[str, Any]:
    """Lighthouse on the essay (median of several runs), then once on every other page."""
    out: dict[str, Any] = {"essay": {}, "other_pages": {}}
    for form in ("mobile", "desktop"):
        _step(f"Lighthouse, {form}: {ESSAY_PAGE} x{args.lighthouse_runs}")
        out["essay"][form] = lighthouse.scores(base + ESSAY_PAGE, form, args.lighthouse_runs)
    pages = sorted(p.name for p in html.glob("*.html") if p.name != ESSAY_PAGE)
    for page in pages:
        for form in ("mobile", "desktop"):
            _step(f"Lighthouse, {form}: {page}")
            run = lighthouse.run_once(base + page, form)
            out["other_pages"].setdefault(page, {})[form] = run
    return out


def _editable_paragraph(text: str) -> str:
    """The first paragraph of plain prose: the one an editor's change lands in."""
    for block in synthetic.blocks(text):
        if (
            "`" not in block
            and not block.startswith(("#", "(", "-", ":"))
            and len(block.split()) >= synthetic.MIN_WORDS
        ):
            return block
    raise ValueError(f"no plain paragraph in {synthetic.ESSAY} to edit")


PREVIEW_TARGET_SECONDS = 0.3
"""Save to the rebuilt page drawn in the browser, median (the live preview's target)."""


def bench_preview(copy: Path, args: argparse.Namespace) -> dict[str, Any]:
    """One paragraph changed in ``copy`` while ``nox -s serve``'s preview shows the essay in Chromium.

    Timed from the moment the file is saved to the moment the page, rebuilt,
    is drawn in the browser (the reload script's ``previewLoaded``, after the
    next frame). The preview's own timing splits that into the wait for the
    file's change to be seen, the build, its publication, and the browser's
    part (fetching the page and updating it, or loading it again); the
    builder's processor time is the build's own cost, which other work on a
    shared machine does not change (its wall time it does). The CSL
    processor's cache is counted before and after: a prose edit must not run
    pandoc.
    """
    from playwright.sync_api import sync_playwright

    error = browser.playwright_driver_error()
    if error:
        raise RuntimeError(error)
    essay = copy / synthetic.ESSAY
    original = essay.read_text("utf-8")
    paragraph = _editable_paragraph(original)
    # where ``nox -s serve`` previews: the builder's doctrees (and the CSL cache) inside it
    outdir = copy / "_build" / ".preview"
    citeproc = outdir / ".doctrees" / "citeproc"
    _step("edit-to-preview: starting the preview and its first build")
    with _preview_server(copy) as url, sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=browser.CHROMIUM, args=browser.CHROMIUM_ARGS)
        try:
            page = chromium.new_page()
            page.goto(url + ESSAY_PAGE)
            page.wait_for_function("() => window.previewLoaded", timeout=60_000)
            cached = set(citeproc.glob("*.json"))
            edits = iter(range(1, 10_000))
            parts: dict[str, list[float]] = {"watch": [], "build": [], "publish": [], "browser": [], "build_cpu": []}
            how: list[str] = []

            def once(sample: bool) -> measure.Run:
                marker = f"Edited for the benchmark, {next(edits)}."
                essay.write_text(original.replace(paragraph, f"{paragraph} {marker}", 1), "utf-8")
                saved = time.time() * 1000
                page.wait_for_function(
                    "saved => window.previewLoaded && window.previewLoaded.at > saved",
                    arg=saved,
                    timeout=60_000,
                    polling=100,  # not every frame: the page's own clock times it, and the build needs the CPU
                )
                state = page.evaluate("() => window.previewLoaded")
                if marker not in page.inner_text("article"):
                    raise measure.CommandFailed(f"the page in the browser does not show the edit {marker!r}")
                timing = state["timing"]
                parts["watch"].append((timing["seen"] - saved) / 1000)
                parts["build"].append(timing["built"])
                parts["build_cpu"].append(timing["cpu"])  # the build's own cost, whatever else the machine runs
                parts["publish"].append((timing["published"] - timing["seen"]) / 1000 - timing["built"])
                parts["browser"].append((state["at"] - timing["published"]) / 1000)
                how.append(state["how"])
                time.sleep(0.3)  # the browser settles before the next save
                return measure.Run(seconds=(state["at"] - saved) / 1000, largest_mb=0.0)

            _step("edit-to-preview: timed edits")
            found = measure.repeat(once, runs=args.runs, warmup=args.warmup, tree_runs=0)
        finally:
            chromium.close()
    for values in parts.values():
        del values[: args.warmup]
    del how[: args.warmup]
    pandoc_runs = len(set(citeproc.glob("*.json")) - cached)
    result = {
        "seconds": found["seconds"].as_dict(),
        "target_seconds": PREVIEW_TARGET_SECONDS,
        "parts": {name: measure.Summary.of(values).as_dict() for name, values in parts.items() if values},
        "page_updated_by": {way: how.count(way) for way in sorted(set(how))},  # merged in place, or loaded
        "pandoc_runs": pandoc_runs,
    }
    median = found["seconds"].median
    verdict = "met" if median <= PREVIEW_TARGET_SECONDS else "missed"
    split = ", ".join(f"{name} {result['parts'][name]['median']:.3f} s" for name in parts if name in result["parts"])
    _step(f"edit-to-preview: {median:.3f} s median, target {PREVIEW_TARGET_SECONDS} s {verdict} ({split})")
    return result


@contextlib.contextmanager
def _preview_server(copy: Path) -> Iterator[str]:
    """``python -m scholarly_edition.preview`` on a free port of a copy, run in it; yields its URL once built."""
    command = [sys.executable, "-m", "scholarly_edition.preview", "--port", "0"]
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(command, cwd=copy, env=project.build_env(copy), stdout=log, stderr=log)
        try:
            url = _wait_for(log, proc, r"serving .* at (http://\S+)")
            if _wait_for(log, proc, r"preview: (built in|\d+ problems?)") != "built in":
                log.seek(0)
                raise measure.CommandFailed(f"the preview's first build failed:\n{log.read().decode()[-4000:]}")
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _wait_for(log: Any, proc: subprocess.Popen[bytes], pattern: str, timeout: float = 300) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        log.seek(0)
        text = log.read().decode(errors="replace")
        match = re.search(pattern, text)
        if match:
            return match[1]
        if proc.poll() is not None:
            raise measure.CommandFailed(f"the preview exited {proc.returncode}:\n{text[-4000:]}")
        time.sleep(0.05)
    raise measure.CommandFailed(f"the preview did not say {pattern!r} in {timeout} s")


def bench_scaling(tmp: Path, copy_project: Copier, factors: list[int], args: argparse.Namespace) -> dict[str, Any]:
    """Clean HTML builds of the edition enlarged ``factor`` times."""
    out: dict[str, Any] = {}
    per_unit: int | None = None
    for factor in factors:
        copy = copy_project(tmp / f"scaled-{factor}")
        synthetic.enlarge(copy, factor)
        env = project.build_env(copy)
        notes = 0

        def once(sample: bool) -> measure.Run:
            nonlocal notes
            dest = Path(tempfile.mkdtemp(dir=tmp, prefix="scaled-build-")) / "_build"
            try:
                result = measure.run(project.build_command(copy, dest, "html"), env=env, sample_tree=sample)
                notes = len(re.findall(r'id="note-\d+"', (dest / "html" / ESSAY_PAGE).read_text("utf-8")))
                return result
            finally:
                shutil.rmtree(dest.parent, ignore_errors=True)

        _step(f"scaling: {factor}x, {args.scaling_runs} clean HTML builds")
        # each size warmed up like every other first build: timed with what an earlier build kept
        found = measure.repeat(once, runs=args.scaling_runs, warmup=args.warmup)
        per_unit = per_unit or max(notes // factor, 1)
        if notes != per_unit * factor:
            raise measure.CommandFailed(f"{factor}x edition has {notes} notes, expected {per_unit * factor}")
        out[str(factor)] = {"notes": notes, **_summaries(found)}
    return out


def machine() -> dict[str, Any]:
    """Where the figures come from."""
    cpu = ""
    with contextlib.suppress(OSError):
        match = re.search(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.M)
        cpu = match[1].strip() if match else ""
    osname = platform.platform()
    with contextlib.suppress(OSError):
        match = re.search(r'^PRETTY_NAME="?([^"\n]+)', Path("/etc/os-release").read_text(), re.M)
        osname = match[1] if match else osname
    mem = 0
    with contextlib.suppress(OSError):
        match = re.search(r"^MemTotal:\s*(\d+) kB", Path("/proc/meminfo").read_text(), re.M)
        mem = int(match[1]) // 1024 if match else 0
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_mb": mem,
        "os": osname,
        "python": platform.python_version(),
        "versions": _versions(),
        "commit": _git("rev-parse", "--short", "HEAD"),
        "dirty": bool(_git("status", "--porcelain", "--untracked-files=no")),
    }


def _versions() -> dict[str, str]:
    from importlib.metadata import version

    found = {name: version(name) for name in ("sphinx", "myst-parser", "furo", "sphinxcontrib-bibtex", "docutils")}
    for name, cmd in {
        "pandoc": [_pandoc(), "--version"],
        "xelatex": ["xelatex", "--version"],
        "chromium": [browser.CHROMIUM, "--version"],
        "node": ["node", "--version"],
        "lighthouse": [str(lighthouse.BINARY), "--version"],
        "latexmk": ["latexmk", "--version"],
    }.items():
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            lines = (
                subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=30).stdout.strip().splitlines()
            )
            if lines:
                found[name] = lines[-1] if name == "latexmk" else lines[0]
    return found


def _pandoc() -> str:
    from scholarly_edition.bibliography.citeproc import pandoc_path

    return pandoc_path()


def _style_path(style: str) -> Path:
    """An official CSL style's file, where conf.py names the style by its id."""
    from scholarly_edition.bibliography.citeproc import style_path

    return style_path(style)


def _git(*args: str) -> str:
    out = subprocess.run(["git", *args], cwd=project.ROOT, capture_output=True, text=True, check=False)
    return out.stdout.strip()


def write(results: dict[str, Any]) -> Path:
    """``results/latest.json``, and a copy named for when it was taken."""
    RESULTS.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    text = json.dumps(results, indent=2, ensure_ascii=False) + "\n"
    (RESULTS / f"bench-{stamp}.json").write_text(text, "utf-8")
    (RESULTS / "latest.json").write_text(text, "utf-8")
    return RESULTS / "latest.json"


if __name__ == "__main__":
    sys.exit(main())
