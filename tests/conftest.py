"""Fixtures: small Sphinx test roots, and the real edition built once per session."""

from __future__ import annotations

from pathlib import Path

import conf_values
import pytest
import system

ROOT = Path(__file__).resolve().parents[1]
STEM = conf_values.get("edition_download_stem")

pytest_plugins = ("sphinx.testing.fixtures", "figures", "browsing")


def pytest_report_header() -> list[str]:
    """The run's first lines say what the machine lacks, and the Debian package that brings it."""
    return [f"system: {line}" for line in system.report()] or ["system: every tool the tests use is here"]


@pytest.fixture(scope="session")
def rootdir() -> Path:
    """Where ``@pytest.mark.sphinx(testroot=...)`` finds its ``test-*`` folders."""
    return Path(__file__).parent / "roots"


class Edition:
    """Paths into one build of the real edition."""

    def __init__(self, out: Path, epoch: str | None = None) -> None:
        self.out = out
        self.epoch = epoch  # the SOURCE_DATE_EPOCH it was built with
        self.html = out / "html"
        self.epub_dir = out / "epub"
        self.latex = out / "latex"
        self.pdf = self.html / f"{STEM}.pdf"
        self.epub = self.html / f"{STEM}.epub"


@pytest.fixture(scope="session")
def edition(tmp_path_factory: pytest.TempPathFactory) -> Edition:
    """All three editions, built once with the same command ``nox -s build`` uses."""
    from scholarly_edition.build import FORMATS, Project, build, source_date_epoch

    system.require("xelatex", "latexmk", "xindy", "pdftotext", "pdffonts")
    out = tmp_path_factory.mktemp("edition") / "_build"
    epoch = source_date_epoch(ROOT)
    build(FORMATS, out, epoch=epoch, project=Project.at(ROOT))
    return Edition(out, epoch)
