"""The commands of one PDF: each in its own process group, all within one time limit.

Besides running them one after another, xindy may run beside the next
xelatex pass (:class:`IndexGate`): the pass sets everything before the
index while xindy makes it, and waits at a named pipe only if it reaches
the index first.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import threading
import time
from pathlib import Path
from typing import NamedTuple

from scholarly_edition.build.children import Children
from scholarly_edition.build.timeline import mark


class Run(NamedTuple):
    returncode: int
    output: bytes
    timed_out: bool
    settled: bool = True
    """Of a whole typesetting: whether the files the passes read back stopped changing."""


class Steps:
    """The commands of one PDF, each in its own process group, all within one time limit."""

    def __init__(self, latex_dir: Path, env: dict[str, str], children: Children, timeout: float) -> None:
        self.latex_dir = latex_dir
        self.env = env
        self.children = children
        self.deadline = time.monotonic() + timeout
        self.output: list[bytes] = []

    def run(self, cmd: list[str]) -> Run:
        mark(f"{cmd[0]} started", self.env)
        try:
            return self._run(cmd)
        finally:
            mark(f"{cmd[0]} ended", self.env)

    def _run(self, cmd: list[str]) -> Run:
        """Run ``cmd``; past the time limit, kill it and all it started.

        Its input is /dev/null: TeX that stops to ask the terminal gets an
        end of file and gives up at once.
        """
        proc = self.children.start(
            cmd,
            cwd=self.latex_dir,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        try:
            output, _ = proc.communicate(timeout=max(self.deadline - time.monotonic(), 0.001))
        except subprocess.TimeoutExpired:
            self.children.reap(proc)  # kills the group
            output, _ = proc.communicate()
            self.output.append(output)
            return Run(proc.returncode, b"".join(self.output), timed_out=True)
        finally:
            self.children.reap(proc)
        self.output.append(output)
        return Run(proc.returncode, b"".join(self.output), timed_out=False)


GATE = "ind-gate"
"""The named pipe beside the document that the next pass opens before it reads the index (editiondesign.sty)."""


class IndexGate:
    """xindy making the index while the next pass runs; that pass waits at the gate only if it gets there first."""

    def __init__(self, steps: Steps, gate: Path, cmd: list[str]) -> None:
        self._steps = steps
        self._gate = gate
        gate.unlink(missing_ok=True)
        os.mkfifo(gate)
        self._proc = steps.children.start(
            cmd, cwd=steps.latex_dir, env=steps.env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        self._made: Run | None = None
        self._thread = threading.Thread(target=self._open_when_made, name="index-gate", daemon=True)
        self._thread.start()

    def _open_when_made(self) -> None:
        mark("xindy started", self._steps.env)
        try:
            output, _ = self._proc.communicate(timeout=max(self._steps.deadline - time.monotonic(), 0.001))
            self._made = Run(self._proc.returncode, output, timed_out=False)
        except subprocess.TimeoutExpired:
            self._steps.children.reap(self._proc)
            output, _ = self._proc.communicate()
            self._made = Run(self._proc.returncode, output, timed_out=True)
        finally:
            self._steps.children.reap(self._proc)
            mark("xindy ended", self._steps.env)
        with contextlib.suppress(OSError):
            os.close(os.open(self._gate, os.O_WRONLY))  # waits for the pass to open the gate: then it reads on

    def close(self) -> Run:
        """xindy's run; the gate is gone (a pass that ended before it got there never opened it)."""
        with contextlib.suppress(OSError):
            releasing = os.open(self._gate, os.O_RDONLY | os.O_NONBLOCK)  # lets a writer still waiting go
            self._thread.join()
            os.close(releasing)
        self._thread.join()
        self._gate.unlink(missing_ok=True)
        assert self._made is not None
        self._steps.output.append(self._made.output)
        return Run(self._made.returncode, b"".join(self._steps.output), self._made.timed_out)


def waits_at_gate(latex_dir: Path, stem: str) -> bool:
    """Whether the document, or a package beside it, opens the gate before its index (as ``editiondesign.sty`` does).

    The packages beside it, not only those the pass recorded: a pass from the
    preamble's format reads none of the packages the format holds.
    """
    local = [latex_dir / f"{stem}.tex", *sorted(latex_dir.glob("*.sty")), *sorted(latex_dir.glob("*.cls"))]
    return any(GATE in text for text in texts(local))


def texts(paths: list[Path]) -> list[str]:
    texts = []
    for path in dict.fromkeys(paths):
        if not path.is_file():  # a named pipe (the index gate) is no text to read
            continue
        try:
            texts.append(path.read_text("utf-8", errors="replace"))
        except OSError:
            continue
    return texts
