"""When each step of a build began and ended, for the benchmark to say where the time goes.

``SCHOLARLY_EDITION_TIMELINE=FILE`` makes every process of the build append
one line per moment to FILE: seconds since the epoch, the process, and
the moment's name (``read``, ``pass 1 ended``, …). The lines are short and
appended whole, so processes running at once do not mix them. Unset, a
mark costs one dictionary lookup.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from pathlib import Path

TIMELINE_ENV = "SCHOLARLY_EDITION_TIMELINE"


def mark(moment: str, env: Mapping[str, str] | None = None) -> None:
    """Note that ``moment`` is now, if the build is asked to keep its timeline."""
    target = (env if env is not None else os.environ).get(TIMELINE_ENV)
    if not target:
        return
    line = f"{time.time():.4f} {os.getpid()} {moment}\n".encode()
    fd = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line)
    finally:
        os.close(fd)


def read(path: Path) -> list[tuple[float, str]]:
    """The moments of one build, as seconds from its first, in order."""
    found = []
    for line in path.read_text("utf-8").splitlines():
        stamp, _, rest = line.partition(" ")
        _, _, moment = rest.partition(" ")
        found.append((float(stamp), moment))
    found.sort()
    start = found[0][0] if found else 0.0
    return [(stamp - start, moment) for stamp, moment in found]
