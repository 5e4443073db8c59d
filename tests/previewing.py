"""The live preview as a process, as ``nox -s serve`` runs it: started on a free port in a copy of the project.

The tests talk to it as a browser and an editor would: they change files
in the copy, read its pages and its status over HTTP, and read what it
printed on its console.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from faults import NOT_COPIED, ROOT

T = TypeVar("T")
TIMEOUT = 120.0
"""Seconds a test waits for a build: the machine may be busy; no test measures time."""


def copy_project(dest: Path) -> Path:
    """The project, package and all, without tests, builds or environments."""
    shutil.copytree(ROOT, dest, ignore=NOT_COPIED)
    return dest


def wait(what: str, probe: Callable[[], T | None], timeout: float = TIMEOUT) -> T:
    """Poll ``probe`` until it returns something; fail, saying ``what``, after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        found = probe()
        if found is not None and found is not False:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


class Preview:
    """``python -m scholarly_edition.preview --port 0``, run in ``project``."""

    def __init__(self, project: Path) -> None:
        self.project = project
        self.essay = project / "edition" / "essay.md"
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 (the console, read while it runs; closed in close())
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "scholarly_edition.preview", "--port", "0"],
            cwd=project,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self.url = wait("the preview's address", lambda: self._said(r"serving .* at (http://\S+)"))
        wait("the first build", lambda: self._said(r"preview: (built in|\d+ problems?)"))

    def console(self) -> str:
        """Everything the preview printed so far."""
        self._log.seek(0)
        return self._log.read().decode(errors="replace")

    def _said(self, pattern: str) -> str | None:
        if self.proc.poll() is not None:
            raise AssertionError(f"the preview exited {self.proc.returncode}:\n{self.console()}")
        match = re.search(pattern, self.console())
        return match[1] if match else None

    def get(self, path: str) -> tuple[int, dict[str, str], bytes]:
        """GET ``path``: status, headers, body."""
        try:
            with urllib.request.urlopen(self.url + path.lstrip("/"), timeout=30) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def page(self, path: str) -> str:
        status, _, body = self.get(path)
        assert status == 200, f"{path}: HTTP {status}"
        return body.decode("utf-8")

    def status(self) -> dict[str, Any]:
        result: dict[str, Any] = json.loads(self.get("/_preview/status")[2])
        return result

    def save(self, text: str) -> None:
        """Write the essay as an editor saves it."""
        self.essay.write_text(text, "utf-8")

    def until_page_has(self, path: str, words: str) -> str:
        def shown() -> str | None:
            page = self.page(path)
            return page if words in page else None

        return wait(f"{path} to show {words!r}", shown)

    def until_problems(self) -> list[str]:
        return wait("the build's problems", lambda: self.status()["problems"] or None)

    def close(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._log.close()
