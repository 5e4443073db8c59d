"""Named moments of a build, where the fault tests stop it.

A build must leave a complete edition however it ends, so the tests end it
at each moment that matters: ``SCHOLARLY_EDITION_FAULT=NAME`` kills the
build with SIGKILL when it reaches the moment NAME, as a crash there would,
and ``NAME:pause`` makes it write ``paused at NAME`` to stderr and wait
there for a signal. Only the tests set it; unset, a checkpoint costs one
dictionary lookup.
"""

from __future__ import annotations

import os
import signal
import sys

FAULT_ENV = "SCHOLARLY_EDITION_FAULT"
MOMENTS = (
    "claimed",  # the destination is the build's (made, or found marked)
    "locked",  # the destination's lock is held
    "cleaned",  # what dead builds left is removed
    "started",  # every builder runs
    "built",  # every format is built, in the new generation
    "assembled",  # the formats not rebuilt, the downloads and the permissions are in place
    "linked",  # the paths readers use are links through the published generation's link
    "switched",  # the published generation's link names the new one: it is published
    "published",  # the generation it replaced is removed
)


def checkpoint(name: str) -> None:
    """Stop here if the fault tests asked to."""
    wanted = os.environ.get(FAULT_ENV)
    if not wanted:
        return
    moment, _, action = wanted.partition(":")
    if moment != name:
        return
    if action == "pause":
        sys.stderr.write(f"paused at {name}\n")
        sys.stderr.flush()
        while True:
            signal.pause()
    os.kill(os.getpid(), signal.SIGKILL)
