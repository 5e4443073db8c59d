"""One reading of the sources, every format written from it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from scholarly_edition.build.writers import wants_colour

CONF = 'project = "T"\nauthor = "A"\ncopyright = "2026, A"\nversion = "1"\nextensions = ["myst_parser"]\nroot_doc = "index"\n'
INDEX = (
    "# Title\n\nSome text.\n\n```{only} latex\nFor print only.\n```\n\n```{only} html\nFor the web only.\n```\n\n"
    "```{toctree}\nother\n```\n"
)
OTHER = "# Other\n\nMore text, with a [link to the title](index.md).\n"


def _writers(root: Path, *formats: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scholarly_edition.build.writers", *formats,
         "--conf-dir", str(root), "--source-dir", str(root), "--work", str(root / "out")],
        capture_output=True, text=True, timeout=300, check=False, env=env,
    )  # fmt: skip


def _project(tmp_path: Path) -> Path:
    (tmp_path / "conf.py").write_text(CONF, "utf-8")
    (tmp_path / "index.md").write_text(INDEX, "utf-8")
    (tmp_path / "other.md").write_text(OTHER, "utf-8")
    return tmp_path


def test_the_sources_are_read_once_and_every_format_written(tmp_path: Path) -> None:
    root = _project(tmp_path)
    done = _writers(root, "pdf", "html", "epub")
    assert done.returncode == 0, done.stderr
    assert sorted(done.stdout.split("\n")[:1]) == ["pdf 0"], "the first format's end is said first"
    assert sorted(done.stdout.split()) == sorted(["pdf", "0", "html", "0", "epub", "0"])
    out = root / "out"
    assert (out / "latex" / "t.tex").is_file() or list((out / "latex").glob("*.tex"))
    assert "More text" in (out / "html" / "other.html").read_text("utf-8")
    assert list((out / "epub").glob("*.epub"))
    doctrees = out / ".doctrees" / "shared"
    assert sorted(p.name for p in doctrees.glob("*.doctree")) == ["index.doctree", "other.doctree"]
    assert (doctrees / "environment.pickle").is_file()
    assert done.stderr == "", "no warning: each writer loads the one environment, reading nothing again"


def test_warnings_are_plain_text_in_a_pipe(tmp_path: Path) -> None:
    root = _project(tmp_path)
    (root / "other.md").write_text(OTHER + "\n[a broken link](nowhere.md)\n", "utf-8")
    ci = {k: v for k, v in os.environ.items() if k not in {"FORCE_COLOR", "FORCE_COLOUR", "NO_COLOR", "NO_COLOUR"}}
    done = _writers(root, "html", env=ci | {"CI": "true", "TERM": "xterm-256color"})  # sphinx-build colours here
    assert done.returncode == 1
    assert "nowhere" in done.stderr
    assert "\x1b[" not in done.stderr


@pytest.mark.parametrize(
    ("environ", "tty", "colour"),
    [
        ({"TERM": "xterm"}, True, True),
        ({"TERM": "xterm", "CI": "true"}, False, False),
        ({"TERM": "dumb"}, True, False),
        ({"TERM": "xterm", "NO_COLOR": "1"}, True, False),
        ({"TERM": "xterm", "NO_COLOR": ""}, True, True),
        ({"FORCE_COLOR": "1"}, False, True),
        ({}, True, False),
    ],
)
def test_colour_only_on_a_terminal_or_when_asked(environ: dict[str, str], tty: bool, colour: bool) -> None:
    assert wants_colour(environ, tty=tty) is colour


def test_a_reading_that_fails_writes_no_format(tmp_path: Path) -> None:
    root = _project(tmp_path)
    (root / "conf.py").write_text(CONF + "raise SystemExit('conf.py: broken')\n", "utf-8")
    done = _writers(root, "pdf", "html")
    assert done.returncode != 0
    assert "broken" in done.stderr
    assert not (root / "out" / "html" / "other.html").exists()


def test_a_forked_writer_writes_what_its_own_sphinx_build_would(tmp_path: Path) -> None:
    """The HTML written from the PDF builder's reading is the HTML a separate ``sphinx-build -b html`` writes."""
    root = _project(tmp_path)
    assert _writers(root, "pdf", "html").returncode == 0
    alone = root / "alone"
    subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-E", "-d", str(root / "alone-doctrees"), str(root), str(alone)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    for page in ("index.html", "other.html", "genindex.html", "search.html"):
        assert (root / "out" / "html" / page).read_bytes() == (alone / page).read_bytes(), page
    assert "For the web only." in (alone / "index.html").read_text("utf-8")
    assert "For print only." not in (root / "out" / "html" / "index.html").read_text("utf-8")
