"""The build's child processes: each in a session of its own, stopped together, never left behind.

Each child (the writers' process, xelatex, xindy) starts in a new session, so
that it leads a process group holding all it starts in turn (pandoc,
xelatex, xindy): killing the group stops them all, and a terminal's Ctrl-C
reaches the orchestrator alone, which decides. The orchestrator stops
every group on any way out but success (a failure, Ctrl-C, the
:class:`Stopped` that SIGTERM raises); where it cannot, because it was
killed outright, the :mod:`~scholarly_edition.build.guard` does.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import secrets
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any

from scholarly_edition.build.errors import Stopped
from scholarly_edition.build.guard import TOKEN_ENV

GUARD = Path(__file__).with_name("guard.py")
STOPPING = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
"""The signals that stop a build: Ctrl-C, a polite kill, and the terminal going away."""
PR_SET_PDEATHSIG = 1


class Children:
    """The processes one build runs, by their process groups; a context manager that stops what is left."""

    def __init__(self) -> None:
        self.token = secrets.token_hex(16)
        self._lock = threading.Lock()
        self._live: dict[int, subprocess.Popen[bytes]] = {}
        self._stopped = False
        self._guard = subprocess.Popen(
            [sys.executable, "-I", "-S", str(GUARD), self.token], stdin=subprocess.PIPE, start_new_session=True
        )

    def start(
        self, cmd: Sequence[str], *, env: dict[str, str], nice: int = 0, **options: Any
    ) -> subprocess.Popen[bytes]:
        """Start ``cmd`` in a session of its own, known to the guard; refused once the build is stopping."""
        with self._lock:
            if self._stopped:
                raise Stopped(0)
            proc = subprocess.Popen(cmd, env={**env, TOKEN_ENV: self.token}, start_new_session=True, **options)
            self._live[proc.pid] = proc
            self._tell(proc.pid)
        if nice:
            with contextlib.suppress(OSError):
                os.setpriority(os.PRIO_PROCESS, proc.pid, nice)
        return proc

    def reap(self, proc: subprocess.Popen[bytes]) -> None:
        """Forget a child that has ended, killing first whatever of its group outlived it."""
        with self._lock:
            _kill_group(proc.pid)
            if self._live.pop(proc.pid, None) is not None:
                self._tell(-proc.pid)

    def stop(self) -> None:
        """Kill every child's group, and start no more."""
        with self._lock:
            self._stopped = True
            for pid in self._live:
                _kill_group(pid)

    def close(self) -> None:
        """Stop what is left, and let the guard check that nothing of this build runs on."""
        self.stop()
        with contextlib.suppress(OSError):
            if self._guard.stdin:
                self._guard.stdin.close()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self._guard.wait(timeout=10)

    def _tell(self, pgid: int) -> None:
        with contextlib.suppress(OSError):
            if self._guard.stdin:
                self._guard.stdin.write(f"{pgid}\n".encode())
                self._guard.stdin.flush()

    def __enter__(self) -> Children:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()


def _kill_group(pgid: int) -> None:
    with contextlib.suppress(OSError):  # the group is empty: all of it has ended
        os.killpg(pgid, signal.SIGKILL)


@contextlib.contextmanager
def stopped_by_signals() -> Iterator[None]:
    """SIGINT, SIGTERM and SIGHUP raise :class:`Stopped`: the build unwinds, kills its children, publishes nothing."""

    def stop(signum: int, frame: FrameType | None) -> None:
        raise Stopped(signum)

    # a signal ignored from the start stays ignored: ``nohup`` (SIGHUP) and ``&`` in a script (SIGINT) ask for that
    previous = {sig: signal.signal(sig, stop) for sig in STOPPING if signal.getsignal(sig) is not signal.SIG_IGN}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def stop_with_parent() -> None:
    """Have the kernel send SIGTERM when the process that started the build ends (Linux).

    Killing ``nox`` would otherwise leave its build running, to publish
    after nox has reported a failure. Not under ``nohup``: whoever ignores
    SIGHUP for the build asks it to outlive its terminal and its shell.
    """
    if sys.platform != "linux" or signal.getsignal(signal.SIGHUP) is signal.SIG_IGN:
        return
    parent = os.getppid()
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    if os.getppid() != parent:  # it ended before the kernel was asked
        raise Stopped(signal.SIGTERM)
