"""Stop what is left of a build whose orchestrator has ended, however it ended.

A build's children (the writers' process, and under it its writers and
pandoc; xelatex, xindy, the format's ``-ini`` run) would run on if the orchestrator were
killed outright: nothing in it runs on SIGKILL. So the orchestrator starts
this guard first, as a plain script with a pipe on its standard input, and
tells it each child's process group as the child starts (``+PGID``) and
once it is reaped (``-PGID``). When the orchestrator ends, by a return, an
exception or SIGKILL, the kernel closes its end of the pipe; at that end of
input the guard kills each group still registered and then, on Linux,
every process whose environment carries the build's token: every
descendant inherits it, one that left its group included.

It imports only the standard library (it runs as ``python -I -S guard.py
TOKEN``) and ignores the signals that a terminal or a parent sends a whole
group, so that it outlives the orchestrator by design.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time
from pathlib import Path

TOKEN_ENV = "SCHOLARLY_EDITION_BUILD_TOKEN"
"""Set in every child's environment, to one random value per build."""
SWEEPS = 20
"""Rounds of killing by token: a process forked between a look and a kill is found in the next round."""
PAUSE = 0.05
"""Seconds between rounds, for the processes just killed to die."""


def carriers(entry: bytes) -> list[int]:
    """The processes (not this one) whose environment holds ``entry``; none where there is no /proc."""
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            environ = (proc / "environ").read_bytes()
        except OSError:
            continue  # gone, or not ours
        if entry in environ.split(b"\0") and int(proc.name) != os.getpid():
            found.append(int(proc.name))
    return found


def kill(pid: int, *, group: bool) -> None:
    with contextlib.suppress(OSError):  # already gone
        (os.killpg if group else os.kill)(pid, signal.SIGKILL)


def main(token: str) -> None:
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_IGN)
    groups: set[int] = set()
    for line in sys.stdin:
        pgid = int(line)
        if pgid > 0:
            groups.add(pgid)
        else:
            groups.discard(-pgid)
    for pgid in groups:
        kill(pgid, group=True)
    entry = f"{TOKEN_ENV}={token}".encode()
    for _ in range(SWEEPS):
        left = carriers(entry)
        if not left:
            break
        for pid in left:
            kill(pid, group=False)
        time.sleep(PAUSE)


if __name__ == "__main__":
    main(sys.argv[1])
