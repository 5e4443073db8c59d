"""Lighthouse scores for a served page, on mobile and desktop.

Lighthouse comes from npm, pinned in this folder's ``package-lock.json`` and
installed with ``npm ci`` (Debian's npm 9 will do). One of its dependencies
asks for two packages as "latest"; the lock names the versions it holds
instead (``nox -s lock`` writes them, see ``pin_dist_tags`` in the
noxfile), so the lock stays valid when newer ones are published. It drives
Debian's Chromium headless. Mobile is
Lighthouse's default (a mid-range phone on a throttled network, simulated);
desktop is its ``desktop`` preset.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from .browser import CHROMIUM, CHROMIUM_ARGS

HERE = Path(__file__).parent
BINARY = HERE / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
METRICS = (
    "first-contentful-paint",
    "largest-contentful-paint",
    "total-blocking-time",
    "cumulative-layout-shift",
    "speed-index",
)


class LighthouseMissing(RuntimeError):
    pass


def run_once(url: str, form_factor: str) -> dict[str, Any]:
    """One Lighthouse run: the four category scores (0–100), metrics, and what cost points."""
    if not BINARY.exists():
        raise LighthouseMissing(f"Lighthouse is not installed; run: npm ci --prefix {HERE}")
    with tempfile.TemporaryDirectory(prefix="edition-lighthouse-") as tmp:
        report = Path(tmp, "report.json")
        cmd = [
            str(BINARY),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={report}",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--chrome-flags={' '.join(CHROMIUM_ARGS)}",
        ]
        if form_factor == "desktop":
            cmd.append("--preset=desktop")
        env = dict(os.environ, CHROME_PATH=CHROMIUM)
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
        if proc.returncode or not report.exists():
            raise RuntimeError(f"lighthouse exited {proc.returncode}: {proc.stderr[-2000:]}")
        data = json.loads(report.read_text("utf-8"))
    audits = data["audits"]
    return {
        "scores": {c: round(100 * (data["categories"][c]["score"] or 0)) for c in CATEGORIES},
        "metrics": {m: audits[m].get("numericValue") for m in METRICS if m in audits},
        "lost": _lost_points(data),
        "version": data.get("lighthouseVersion"),
    }


def _lost_points(data: dict[str, Any]) -> dict[str, list[str]]:
    """Per category, the weighted audits that did not score full marks."""
    lost: dict[str, list[str]] = {}
    for cat in CATEGORIES:
        for ref in data["categories"][cat]["auditRefs"]:
            audit = data["audits"][ref["id"]]
            if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 1:
                lost.setdefault(cat, []).append(f"{audit['id']} ({audit['score']:.2f})")
    return lost


def scores(url: str, form_factor: str, runs: int) -> dict[str, Any]:
    """Median scores over ``runs`` runs, with each run kept for the record."""
    results = [run_once(url, form_factor) for _ in range(runs)]
    return {
        "median": {c: statistics.median(r["scores"][c] for r in results) for c in CATEGORIES},
        "min": {c: min(r["scores"][c] for r in results) for c in CATEGORIES},
        "metrics_median_ms": {
            m: statistics.median(r["metrics"][m] for r in results) for m in METRICS if m in results[0]["metrics"]
        },
        "runs": results,
    }
