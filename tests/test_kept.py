"""What a build keeps for the next: trusted only while its inputs are as they were, and turned over."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from scholarly_edition.build import kept


def _entry(folder: Path, name: str, inputs: dict[str, list[int]], age: float = 0.0) -> Path:
    entry = folder / name
    entry.mkdir(parents=True)
    (entry / kept.INPUTS).write_text(json.dumps(inputs), "utf-8")
    stamp = time.time() - age
    os.utime(entry, (stamp, stamp))
    return entry


def test_an_entry_is_valid_only_while_every_input_is_as_recorded(tmp_path: Path) -> None:
    source = tmp_path / "package.sty"
    source.write_text("one", "utf-8")
    stat = source.stat()
    entry = _entry(tmp_path / "cache", "k", {str(source): [stat.st_size, stat.st_mtime_ns]})
    assert kept.still_valid(entry)
    source.write_text("three", "utf-8")
    assert not kept.still_valid(entry), "a changed input"
    source.unlink()
    assert not kept.still_valid(entry), "a removed input"
    assert not kept.still_valid(tmp_path / "cache" / "none"), "no entry"


def test_the_recorder_list_names_what_was_read_outside_the_folder(tmp_path: Path) -> None:
    latex = tmp_path / "latex"
    latex.mkdir()
    (latex / "doc.tex").write_text("x", "utf-8")
    outside = tmp_path / "texlive.sty"
    outside.write_text("y", "utf-8")
    (latex / "doc.fls").write_text(f"PWD {latex}\nINPUT doc.tex\nINPUT {outside}\nOUTPUT doc.aux\n", "utf-8")
    found = kept.recorded(latex / "doc.fls", latex, ())
    assert list(found) == [str(outside)]
    assert found[str(outside)][0] == 1


def test_pruning_keeps_the_newest_and_clears_what_a_killed_build_left(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    for age, name in enumerate("abcd"):
        _entry(folder, name, {}, age=age * 10)
    stale = folder / ".making-old"
    stale.mkdir()
    os.utime(stale, (time.time() - 2 * kept.STALE_SECONDS,) * 2)
    fresh = folder / ".making-now"  # another build's, still being made
    fresh.mkdir()
    kept.prune(folder, 2)
    assert sorted(p.name for p in folder.iterdir()) == [".making-now", "a", "b"]


def test_an_entry_is_put_in_place_whole(tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    (work / "file").write_text("new", "utf-8")
    entry = _entry(tmp_path / "cache", "k", {})
    (entry / "file").write_text("old", "utf-8")
    kept.put_in_place(work, entry)
    assert (entry / "file").read_text("utf-8") == "new"
    assert not (entry / kept.INPUTS).exists(), "the old entry is replaced, not merged"
    assert work.is_dir() and not any(work.iterdir())
    assert [p.name for p in entry.parent.iterdir()] == ["k"]


def test_the_settled_state_is_keyed_by_what_sphinx_wrote_not_by_what_latex_did(tmp_path: Path) -> None:
    from scholarly_edition.build import settled

    latex = tmp_path / "latex"
    (latex / "images").mkdir(parents=True)
    (latex / "doc.tex").write_text("\\begin{document}x\\end{document}", "utf-8")
    (latex / "images" / "figure.png").write_bytes(b"png")
    first = settled.key(latex, "doc")
    for ext in ("aux", "toc", "log", "xdv", "idx", "ind", "fls", "pdf"):
        (latex / f"doc.{ext}").write_text(ext, "utf-8")
    assert settled.key(latex, "doc") == first, "what a pass writes is not an input"
    (latex / "images" / "figure.png").write_bytes(b"another png")
    assert settled.key(latex, "doc") != first, "an image the document includes"
    (latex / "other.aux").write_text("", "utf-8")
    assert settled.key(latex, "doc") != settled.key(latex, "other")


def test_a_cache_that_cannot_be_written_or_read_costs_a_pass_not_the_build(tmp_path: Path, monkeypatch) -> None:
    import shutil

    from scholarly_edition.build import settled

    latex = tmp_path / "latex"
    latex.mkdir()
    (latex / "doc.tex").write_text("x", "utf-8")
    (latex / "doc.aux").write_text("\\relax", "utf-8")
    (latex / "doc.toc").write_text("toc", "utf-8")
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("", "utf-8")
    settled.keep(settled.entry(blocked, latex, "doc"), latex, "doc")  # no exception
    entry = settled.entry(tmp_path / "cache", latex, "doc")
    settled.keep(entry, latex, "doc")
    assert (entry / "doc.aux").read_text("utf-8") == "\\relax"
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    copy = shutil.copyfile

    def removed_midway(source: Path, target: Path) -> object:
        if Path(source).name == "doc.toc":  # another build pruned the entry while this one read it
            raise FileNotFoundError(source)
        return copy(source, target)

    monkeypatch.setattr(shutil, "copyfile", removed_midway)
    assert settled.restore(entry, fresh, "doc") == []
    assert list(fresh.iterdir()) == [], "nothing half given"
    monkeypatch.setattr(shutil, "copyfile", copy)
    assert sorted(settled.restore(entry, fresh, "doc")) == ["doc.aux", "doc.toc"]
