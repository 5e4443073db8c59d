"""Debian's Chromium, as the browser tests and the benchmark start it, and whether Playwright can drive it."""

from __future__ import annotations

import functools
import re
import subprocess

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    # without these, Chromium calls Google's hosts, which this machine's network refuses
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# shared libraries that Playwright's Node.js needs and a bare Debian may lack
LIBRARIES = {"libatomic.so.1": "libatomic1", "libstdc++.so.6": "libstdc++6", "libgcc_s.so.1": "libgcc-s1"}


@functools.cache
def playwright_driver_error() -> str | None:
    """Why Playwright's driver (its own Node.js) does not start here, with that Node's stderr; None if it does."""
    try:
        from playwright._impl._driver import compute_driver_executable, get_driver_env
    except ImportError as error:
        return f"Playwright is not installed ({error}); the nox sessions install it"
    node, cli = compute_driver_executable()
    try:
        proc = subprocess.run(
            [node, cli, "--version"], env=get_driver_env(), capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"Playwright's driver ({node}) does not start: {error}"
    if proc.returncode == 0:
        return None
    stderr = proc.stderr.strip()
    libraries = re.findall(r"error while loading shared libraries: ([^:\s]+)", stderr)
    hint = ""
    if libraries:
        packages = " ".join(LIBRARIES.get(lib, f"(the package with {lib})") for lib in libraries)
        hint = f"; install Debian's {packages} (the noxfile's BROWSER_PACKAGES do)"
    return f"Playwright's driver ({node}) exited {proc.returncode}: {stderr}{hint}"
