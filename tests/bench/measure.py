"""Run a command and measure it: wall time and peak memory.

Two memory figures, because they answer different questions. The largest
single process is the kernel's own high-water mark (``ru_maxrss`` from
``wait4``, which covers every descendant that was waited for), so it is
exact and costs nothing to collect. The sum over the process tree is what
the machine must hold at once while builders run in parallel; no kernel
counter gives it, so it is sampled with psutil, which would disturb the
timing: tree sums come from separate runs of their own.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import psutil

MB = 1024 * 1024
SAMPLE_INTERVAL = 0.01
"""Seconds between tree samples: pandoc's 0.1 s peak is still seen several times."""


class CommandFailed(RuntimeError):
    """A measured command failed: a benchmark of a broken build means nothing."""


@dataclass(frozen=True)
class Run:
    seconds: float
    largest_mb: float
    tree_mb: float | None = None


def run(
    cmd: Sequence[str],
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    sample_tree: bool = False,
) -> Run:
    """Run ``cmd`` once; raise :class:`CommandFailed` with its output if it fails."""
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=dict(env) if env else None, stdout=out, stderr=subprocess.STDOUT)
        sampler = _TreeSampler(proc.pid) if sample_tree else None
        if sampler:
            sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        if sampler:
            sampler.stop()
        if proc.returncode:
            out.seek(0)
            tail = out.read().decode(errors="replace")[-4000:]
            raise CommandFailed(f"{' '.join(map(str, cmd))} exited {proc.returncode}:\n{tail}")
    return Run(
        seconds=seconds,
        largest_mb=usage.ru_maxrss * 1024 / MB,  # Linux reports kilobytes
        tree_mb=sampler.peak / MB if sampler else None,
    )


class _TreeSampler(threading.Thread):
    """Polls the resident memory of a process and all its descendants."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.root = psutil.Process(pid)
        self.peak = 0
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.is_set():
            total = 0
            try:
                procs = [self.root, *self.root.children(recursive=True)]
            except psutil.Error:
                return
            for proc in procs:
                try:
                    total += proc.memory_info().rss
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)
            self._done.wait(SAMPLE_INTERVAL)

    def stop(self) -> None:
        self._done.set()
        self.join()


@dataclass(frozen=True)
class Summary:
    """Median and range of one figure over several runs."""

    median: float
    min: float
    max: float
    runs: list[float]

    @classmethod
    def of(cls, values: Sequence[float]) -> Summary:
        return cls(statistics.median(values), min(values), max(values), list(values))

    def as_dict(self) -> dict[str, object]:
        return {"median": self.median, "min": self.min, "max": self.max, "runs": self.runs}


def repeat(
    once: Callable[[bool], Run],
    *,
    runs: int,
    warmup: int,
    tree_runs: int = 0,
) -> dict[str, Summary]:
    """Warm up, then time ``runs`` runs; ``tree_runs`` more sample the process tree.

    ``once(sample_tree)`` does one complete run, set-up excluded.
    """
    for _ in range(warmup):
        once(False)
    timed = [once(False) for _ in range(runs)]
    return figures(timed, [once(True) for _ in range(tree_runs)])


def figures(timed: Sequence[Run], sampled: Sequence[Run] = ()) -> dict[str, Summary]:
    """Time and memory over the timed runs; the process tree's memory over the sampled ones, if any."""
    found = {
        "seconds": Summary.of([r.seconds for r in timed]),
        "largest_process_mb": Summary.of([r.largest_mb for r in timed]),
    }
    if sampled:
        found["process_tree_mb"] = Summary.of([r.tree_mb or 0.0 for r in sampled])
    return found


@dataclass(frozen=True)
class SideBySide:
    """Our build and the peer's, timed in turn: absolute figures for each, and the ratio of each pair."""

    ours: dict[str, Summary]
    peer: dict[str, Summary]
    ratio: Summary
    """Ours ÷ the peer's, one per pair: a pair shares the machine's state, so its ratio cancels most noise."""


def alternate(
    ours: Callable[[bool], Run],
    peer: Callable[[bool], Run],
    *,
    runs: int,
    warmup: int,
    tree_runs: int = 0,
) -> SideBySide:
    """Warm each up, then time them in turn (ours, the peer's, ours, ...) ``runs`` times each.

    Timed in turn rather than one series after the other, so that a burst
    of load from elsewhere on a shared machine falls on both alike, and
    most of it cancels out of the pair's ratio. ``tree_runs`` more of ours
    sample its process tree, as :func:`repeat` does.
    """
    for _ in range(warmup):
        ours(False)
        peer(False)
    pairs = [(ours(False), peer(False)) for _ in range(runs)]
    return SideBySide(
        ours=figures([a for a, _ in pairs], [ours(True) for _ in range(tree_runs)]),
        peer=figures([b for _, b in pairs]),
        ratio=Summary.of([a.seconds / b.seconds for a, b in pairs]),
    )
