"""Helpers of the fault tests: run a build as a process, stop it, and look at what it left.

Builds run as ``python -m scholarly_edition.build`` in a subprocess, as an
editor or nox runs them, with a probe in their environment that every
process they start inherits: after a build ends, any process still
carrying the probe is one the build left behind.
"""

from __future__ import annotations

import hashlib
import os
import select
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROBE = "EDITION_FAULT_PROBE"
NOT_COPIED = shutil.ignore_patterns(
    ".git", ".nox", ".venv", "_build", "node_modules", "tests", ".pytest_cache", "__pycache__", ".*-new-*", ".*-old-*"
)


def published(out: Path) -> dict[str, str]:
    """Every file at the paths readers use (``html/``, ``epub/``, ``latex/``), by its SHA-256."""
    files = {}
    for name in ("html", "epub", "latex"):
        folder = out / name
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    files[f"{name}/{path.relative_to(folder).as_posix()}"] = hashlib.sha256(
                        path.read_bytes()
                    ).hexdigest()
    return files


class Build:
    """One ``python -m scholarly_edition.build`` process, with its own probe."""

    def __init__(self, args: list[str], *, cwd: Path, env: dict[str, str] | None = None, umask: int | None = None):
        self.probe = uuid.uuid4().hex
        self.env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", PROBE: self.probe, **(env or {})}
        self.started = time.monotonic()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "scholarly_edition.build", *args],
            cwd=cwd,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            preexec_fn=(lambda: os.umask(umask)) if umask is not None else None,
        )
        self.stderr = ""

    def wait_for(self, text: str, timeout: float = 120) -> None:
        """Read the build's messages until ``text`` appears."""
        assert self.proc.stderr
        deadline = time.monotonic() + timeout
        while text not in self.stderr:
            left = deadline - time.monotonic()
            assert left > 0, f"{text!r} not said in {timeout} s:\n{self.stderr}"
            ready, _, _ = select.select([self.proc.stderr], [], [], left)
            if ready:
                line = self.proc.stderr.readline()
                assert line, f"the build ended before saying {text!r}:\n{self.stderr}"
                self.stderr += line

    def signal(self, signum: int) -> None:
        self.proc.send_signal(signum)

    def finish(self, timeout: float = 300) -> int:
        out, err = self.proc.communicate(timeout=timeout)
        self.stderr += err
        self.stdout = out
        return self.proc.returncode

    def left_behind(self, wait: float = 2) -> list[str]:
        """The processes the build started that still run ``wait`` seconds after it ended.

        Short on purpose: a builder left alone would often end by itself soon
        after (or die writing to the pipe of its dead parent); the build's
        own guard stops them within a tenth of a second.
        """
        return wait_for_none(self.probe, wait)


def carrying(probe: str) -> list[str]:
    """``PID NAME`` of every live process whose environment holds the probe (zombies have none)."""
    found = []
    entry = f"{PROBE}={probe}".encode()
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if entry in (proc / "environ").read_bytes().split(b"\0"):
                found.append(f"{proc.name} {(proc / 'comm').read_text().strip()}")
        except OSError:
            continue
    return found


def wait_for_none(probe: str, wait: float) -> list[str]:
    deadline = time.monotonic() + wait
    while (left := carrying(probe)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left


def wait_for_process(build: Build, name: str, timeout: float = 120) -> None:
    """Wait until the build runs a process called ``name`` (``xelatex``, ``pandoc``) or whose command line has it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert build.proc.poll() is None, f"the build ended before running {name}"
        for proc in Path("/proc").glob("[0-9]*"):
            try:
                if f"{PROBE}={build.probe}".encode() not in (proc / "environ").read_bytes().split(b"\0"):
                    continue
                command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                if name == (proc / "comm").read_text().strip() or name in command:
                    return
            except OSError:
                continue
        time.sleep(0.01)
    raise AssertionError(f"no {name} in {timeout} s")


def kill_after(build: Build, seconds: float, signum: int = signal.SIGKILL) -> None:
    time.sleep(max(0.0, seconds - (time.monotonic() - build.started)))
    if build.proc.poll() is None:
        build.signal(signum)


def copy_tree(source: Path, dest: Path) -> Path:
    """A copy of a ``_build/`` as it is: links kept as links, so that it stands on its own."""
    shutil.copytree(source, dest, symlinks=True)
    return dest
