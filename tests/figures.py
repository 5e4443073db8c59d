"""The figures a test run reports: validator counts, bad inputs caught, identical files.

Tests put a line here with the ``figures`` fixture; pytest prints them all in
a section of its closing summary, so every run shows the numbers, not only
a pass.
"""

from __future__ import annotations

import pytest

_FIGURES: dict[str, str] = {}


@pytest.fixture(scope="session")
def figures() -> dict[str, str]:
    """Name -> figure, printed at the end of the run."""
    return _FIGURES


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not _FIGURES:
        return
    terminalreporter.section("edition figures")
    width = max(map(len, _FIGURES))
    for name, figure in _FIGURES.items():
        terminalreporter.write_line(f"{name:<{width}}  {figure}")
