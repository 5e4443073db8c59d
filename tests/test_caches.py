"""Every cache a build keeps changes how long it takes, never a byte of what it publishes.

A build from nothing may start from what was kept from before: outside
``_build/``, the preamble's precompiled LaTeX format
(``scholarly_edition.build.latexformat``), the CSL processor's results and
the state the same LaTeX sources' passes settled on
(``scholarly_edition.build.settled``); from the previous ``_build/``, the CSL
results and LaTeX's auxiliary files (``test_rebuild``). Here the same
project is built with the cache off, with an empty one (the format is made
beside the first pass), and with what that build kept; every published
file must be the session edition's.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, STEM
from test_reproducible import published

from scholarly_edition.build import settled, timeline
from scholarly_edition.build.kept import CACHE_ENV, OFF
from scholarly_edition.build.timeline import TIMELINE_ENV

STARTED_FROM_FORMAT = "(mylatexformat)Info: start reading document"
"""What mylatexformat writes into the log of a pass that starts from its format."""


def _build(out: Path, epoch: str, cache: str) -> str:
    subprocess.run(
        [sys.executable, "-m", "scholarly_edition.build", "--out", str(out)],
        cwd=ROOT,
        env={**os.environ, "SOURCE_DATE_EPOCH": epoch, CACHE_ENV: cache, TIMELINE_ENV: str(out.with_suffix(".times"))},
        check=True,
        capture_output=True,
        timeout=600,
    )
    return (out / "latex" / f"{STEM}.log").read_text("utf-8", errors="replace")


def _passes(out: Path) -> int:
    return sum(moment == "xelatex started" for _, moment in timeline.read(out.with_suffix(".times")))


@pytest.mark.slow
def test_the_same_bytes_without_a_cache_with_an_empty_one_and_with_a_kept_format(edition, tmp_path: Path) -> None:
    assert edition.epoch
    cache = tmp_path / "cache"
    without = _build(tmp_path / "off", edition.epoch, OFF)
    _build(tmp_path / "cold", edition.epoch, str(cache))  # its second pass may or may not have the format yet
    kept = list((cache / "latex").glob("*/edition.fmt"))
    assert len(kept) == 1, "the first build with a cache keeps the preamble's format"
    warm = _build(tmp_path / "warm", edition.epoch, str(cache))
    assert STARTED_FROM_FORMAT not in without
    assert STARTED_FROM_FORMAT in warm, "the second build starts its passes from the kept format"
    assert _passes(tmp_path / "off") == _passes(tmp_path / "cold") == 2, "from nothing: contents and index settle"
    assert _passes(tmp_path / "warm") == 1, "the sources' settled state was kept: the first pass is the last"
    expected = published(edition.out)
    for name in ("off", "cold", "warm"):
        assert published(tmp_path / name) == expected, name


@pytest.mark.slow
def test_a_format_from_other_files_is_not_used(edition, tmp_path: Path) -> None:
    """A TeX Live file the format was made from has changed: the format is made again, not trusted."""
    assert edition.epoch
    cache = tmp_path / "cache"
    _build(tmp_path / "first", edition.epoch, str(cache))
    (entry,) = (cache / "latex").glob("*/")
    inputs = entry / "inputs.json"
    recorded = json.loads(inputs.read_text("utf-8"))
    name = next(iter(recorded))
    recorded[name][0] += 1  # one file's size, as if TeX Live had been upgraded since
    inputs.write_text(json.dumps(recorded), "utf-8")
    _build(tmp_path / "second", edition.epoch, str(cache))
    assert published(tmp_path / "second") == published(edition.out)
    remade = json.loads(inputs.read_text("utf-8"))
    assert remade[name][0] == os.stat(name).st_size, "the format was made again from the files as they are"


@pytest.mark.slow
def test_a_settled_state_from_other_files_is_not_used(edition, tmp_path: Path) -> None:
    """The kept state is not trusted when a TeX Live file the passes read has changed, nor for other sources."""
    assert edition.epoch
    cache = tmp_path / "cache"
    _build(tmp_path / "first", edition.epoch, str(cache))
    (entry,) = (cache / settled.FOLDER).glob("*/")
    inputs = entry / "inputs.json"
    recorded = json.loads(inputs.read_text("utf-8"))
    name = next(n for n in recorded if "xindy" in n and n.endswith(".xdy"))  # a module the index was made with
    recorded[name][0] += 1
    inputs.write_text(json.dumps(recorded), "utf-8")
    _build(tmp_path / "second", edition.epoch, str(cache))
    assert _passes(tmp_path / "second") == 2, "a changed input: the passes start from nothing"
    assert published(tmp_path / "second") == published(edition.out)
    assert json.loads(inputs.read_text("utf-8"))[name][0] == os.stat(name).st_size, "kept again, as the files are"
