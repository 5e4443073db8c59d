"""The builder's process as the server sees it: started, handed changes, read, restarted.

The builder (:mod:`.building`) runs in a process of its own so that the
server stays up whatever happens to it: a change to ``conf.py`` or to the
extension's code needs a new Sphinx application and new imports, which only
a new process gives; a builder that crashes, or cannot start because the
code just saved does not import, is reported like any other problem and
started again on the next change. A report is one JSON line on the
builder's standard output; its console output (Sphinx's, a traceback) goes
to the server's console as it is.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

STOP_TIMEOUT = 10.0
"""Seconds a builder has to finish after its input closes, before it is killed."""


@dataclass
class Report:
    """A build's report, as :class:`scholarly_edition.preview.building.Report` sends it."""

    ok: bool
    problems: list[str] = field(default_factory=list)
    read: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    seconds: float = 0.0
    cpu: float = 0.0  # the builder's own processor time: the build's cost, whatever else runs on the machine
    full: bool = False


class Worker:
    """One builder process at a time, for one project and one preview folder."""

    def __init__(self, confdir: Path, srcdir: Path, staging: Path, doctrees: Path) -> None:
        self.command = [
            sys.executable,
            "-m",
            "scholarly_edition.preview.building",
            "--conf-dir",
            str(confdir),
            "--src-dir",
            str(srcdir),
            "--out",
            str(staging),
            "--doctrees",
            str(doctrees),
        ]
        self.confdir = confdir
        self.process: subprocess.Popen[str] | None = None

    def start(self) -> Report:
        """Start a builder (stopping any running one) and wait for its first build, which reads every page."""
        self.stop()
        # run in the project, so that its own scholarly_edition is the one imported, as the build does
        self.process = subprocess.Popen(
            self.command,
            cwd=self.confdir,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            bufsize=1,
        )
        return self._report()

    def build(self, changed: Sequence[str]) -> Report:
        """Hand the builder the changed paths and wait for its report; start one first if none runs."""
        if self.process is None or self.process.poll() is not None:
            return self.start()
        stdin = self.process.stdin
        assert stdin is not None
        try:
            stdin.write(json.dumps(list(changed)) + "\n")
            stdin.flush()
        except BrokenPipeError:
            return self._ended()
        return self._report()

    def _report(self) -> Report:
        assert self.process is not None
        stdout: IO[str] | None = self.process.stdout
        line = stdout.readline() if stdout else ""
        if not line:
            return self._ended()
        return Report(**json.loads(line))

    def _ended(self) -> Report:
        """The builder stopped without a report: say so, and start a new one on the next change."""
        assert self.process is not None
        code = self.process.wait()
        self.process = None
        return Report(False, [f"the preview's builder stopped (exit status {code}); its messages are above"])

    def stop(self) -> None:
        """Close the builder's input, which ends it; kill it if it does not end."""
        process, self.process = self.process, None
        if process is None:
            return
        if process.stdin:
            with contextlib.suppress(BrokenPipeError):
                process.stdin.close()
        try:
            process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout:
            process.stdout.close()
