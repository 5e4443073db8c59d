"""The benchmark's results as a table, each figure beside its target.

Sizes are in kB of 1,000 bytes and memory in MB of 2^20 bytes. The memory
target is read against the largest single process (the kernel's exact
high-water mark); the sum over the process tree, sampled, is shown beside it.
Each first build is shown beside the peer's (pandoc with citeproc, timed in
turn with it) and as their ratio, ours ÷ the peer's: the median of the
ratios of the pairs, since a pair shares whatever load the machine had.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

TARGETS = {
    "all_seconds": 4.0,
    "peer_ratio": 0.35,
    "memory_mb": 250.0,
    "preview_seconds": 0.3,
    "page_gzip_kb": 40.0,
    "page_requests": 12,
    "lighthouse": 100,
    "scaled_100_seconds": 30.0,
    "ratio_10_to_1": 3.0,
}


def _range(s: dict[str, Any], fmt: Callable[[float], str]) -> str:
    return f"{fmt(s['median'])} ({fmt(s['min'])}–{fmt(s['max'])})"


def _sec(x: float) -> str:
    return f"{x:.2f} s"


def _mb(x: float) -> str:
    return f"{x:.0f} MB"


def _times(x: float) -> str:
    return f"{x:.2f}×"


def _ok(good: bool) -> str:
    return "yes" if good else "NO"


def table(results: dict[str, Any]) -> str:
    rows: list[tuple[str, str, str, str]] = []
    builds = results.get("builds")
    if builds:
        for key, found in builds.items():
            if "/" not in key:  # the timeline, printed after the table
                continue
            name, _, mode = key.partition("/")
            label = f"{'all three + exports' if name == 'all' else name}, {mode or 'first'}"
            is_all = name == "all"
            tree = found.get("process_tree_mb")
            rows.append(
                (
                    f"build {label}: wall",
                    _range(found["seconds"], _sec),
                    "≤ 4 s" if is_all else "",
                    _ok(found["seconds"]["median"] <= TARGETS["all_seconds"]) if is_all else "",
                )
            )
            rows.append(
                (
                    f"build {label}: largest process",
                    _range(found["largest_process_mb"], _mb),
                    "≤ 250 MB",
                    _ok(found["largest_process_mb"]["max"] <= TARGETS["memory_mb"]),
                )
            )
            if tree:
                rows.append((f"build {label}: process tree (sum)", _range(tree, _mb), "", ""))
            peer = found.get("peer")
            if peer:
                what = "all three" if is_all else name
                rows.append((f"peer (pandoc), {what}: wall", _range(peer["seconds"], _sec), "", ""))
                rows.append(
                    (f"peer (pandoc), {what}: largest process", _range(peer["largest_process_mb"], _mb), "", "")
                )
                ratio = found["ratio"]
                rows.append(
                    (
                        f"ours ÷ peer, {what}, first build (median of pairs)",
                        _range(ratio, _times),
                        f"≤ {TARGETS['peer_ratio']}×" if is_all else "",
                        _ok(ratio["median"] <= TARGETS["peer_ratio"]) if is_all else "",
                    )
                )
    preview = results.get("preview")
    if preview:
        rows.append(
            (
                "one-paragraph edit, save to the page drawn again (nox -s serve)",
                _range(preview["seconds"], _sec),
                f"≤ {TARGETS['preview_seconds']} s",
                _ok(preview["seconds"]["median"] <= TARGETS["preview_seconds"]),
            )
        )
    page = results.get("page")
    if page:
        kb = page["gzip_bytes"] / 1000
        rows.append(
            (
                "essay page, gzip",
                f"{kb:.1f} kB (raw {page['raw_bytes'] / 1000:.1f} kB)",
                "≤ 40 kB",
                _ok(kb <= TARGETS["page_gzip_kb"]),
            )
        )
        rows.append(
            ("essay page, requests", str(page["requests"]), "≤ 12", _ok(page["requests"] <= TARGETS["page_requests"]))
        )
        rows.append(
            (
                "essay page, web fonts loaded",
                f"{page['fonts']} ({len(page['render_blocking'])} render-blocking CSS/JS)",
                "0 blocking fonts",
                _ok(page["fonts"] == 0),
            )
        )
    lh = results.get("lighthouse")
    if lh:
        for form, found in lh["essay"].items():
            med = found["median"]
            text = "/".join(str(round(med[c])) for c in ("performance", "accessibility", "best-practices", "seo"))
            rows.append(
                (
                    f"Lighthouse {form}, essay (perf/a11y/BP/SEO)",
                    text,
                    "100/100/100/100",
                    _ok(all(v >= TARGETS["lighthouse"] for v in med.values())),
                )
            )
        pages = lh["other_pages"]
        for form in ("mobile", "desktop"):
            short = {
                page: runs[form]
                for page, runs in pages.items()
                if any(v < TARGETS["lighthouse"] for v in runs[form]["scores"].values())
            }
            if pages and not short:
                rows.append(
                    (
                        f"Lighthouse {form}, the {len(pages)} other pages",
                        "100/100/100/100 each",
                        "100/100/100/100",
                        "yes",
                    )
                )
            for page, run in short.items():
                text = "/".join(
                    str(run["scores"][c]) for c in ("performance", "accessibility", "best-practices", "seo")
                )
                lost = "; ".join(a for audits in run["lost"].values() for a in audits)
                rows.append((f"Lighthouse {form}, {page}", f"{text} ({lost})", "100/100/100/100", "NO"))
    scaling = results.get("scaling")
    if scaling:
        for factor, found in scaling.items():
            rows.append(
                (
                    f"{factor}× edition ({found['notes']} notes), clean HTML",
                    _range(found["seconds"], _sec),
                    "≤ 30 s" if factor == "100" else "",
                    _ok(found["seconds"]["median"] <= TARGETS["scaled_100_seconds"]) if factor == "100" else "",
                )
            )
        if "1" in scaling and "10" in scaling:
            ratio = scaling["10"]["seconds"]["median"] / scaling["1"]["seconds"]["median"]
            rows.append(("10× / 1× build time", f"{ratio:.2f}", "≤ 3", _ok(ratio <= TARGETS["ratio_10_to_1"])))
        if "10" in scaling and "100" in scaling:
            ratio = scaling["100"]["seconds"]["median"] / scaling["10"]["seconds"]["median"]
            rows.append(("100× / 10× build time", f"{ratio:.2f}", "(≤ 10: linear)", _ok(ratio <= 10)))
    header = ("figure", "median (min–max)", "target", "met")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(4)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in [header, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    m = results["machine"]
    lines.append("")
    lines.append(f"machine: {m['cpu']}, {m['cores']} cores, {m['memory_mb']} MB, {m['os']}, Python {m['python']}")
    lines.append(f"tools: {tools(m.get('versions', {}))}")
    lines.append(f"commit: {m.get('commit', '?')}{' (with uncommitted changes)' if m.get('dirty') else ''}")
    peer = results.get("peer")
    if peer:
        lines.append(
            f"peer: {peer['tool']}, {peer['schedule']}; PDF with {peer['pdf_engine']} in {_fonts(peer['pdf_fonts'])}; "
            f"{peer['footnotes']} footnotes, checked {peer['checked'].removeprefix('after ')}"
        )
    moments = (builds or {}).get("timeline")
    if moments:
        lines.append("")
        lines.append("a first build's timeline (seconds from its start):")
        lines.extend(f"  {seconds:6.2f}  {moment}" for seconds, moment in moments)
    return "\n".join(lines)


def _fonts(fonts: dict[str, str] | str) -> str:
    return ", ".join(fonts.values()) if isinstance(fonts, dict) else fonts


def tools(versions: dict[str, str]) -> str:
    """The versions that move the figures, as short as their ``--version`` lines allow."""
    found = []
    tex = re.search(r"\((TeX Live [^)]*)\)", versions.get("xelatex", ""))
    if tex:
        found.append(tex[1])
    for name in ("pandoc", "chromium"):
        match = re.search(r"(\d+(?:\.\d+)*)", versions.get(name, ""))
        if match:
            found.append(f"{name.capitalize() if name == 'chromium' else name} {match[1]}")
    for name in ("lighthouse", "sphinx"):
        if versions.get(name):
            found.append(f"{name.capitalize()} {versions[name]}")
    return ", ".join(found) or "(not found)"
