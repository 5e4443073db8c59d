"""A fault never loses an edition.

A build is killed at every moment that matters (SIGKILL at each named
checkpoint of the orchestrator, SIGTERM and SIGINT while it waits at one,
SIGKILL and SIGTERM after a share of a whole build's time) and each time
``_build/`` must hold a complete edition, the one before or the one after,
byte for byte, with no process of the build left running; the next build
must clear what the dead one left. Then the rest of the destination's
rules: ``--out`` refuses a folder no build made, builds of one destination
take turns, published files are readable by all under any umask, the
destination may be a mount point, the live preview survives a build,
and LaTeX that runs too long is stopped with its place named.

Most builds here are of the small ``test-notes`` root, HTML only: a whole
build of it takes about two seconds. The real edition is built only where
LaTeX or pandoc must run.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import STEM
from faults import (
    NOT_COPIED,
    PROBE,
    ROOT,
    Build,
    copy_tree,
    kill_after,
    published,
    wait_for_none,
    wait_for_process,
)

from scholarly_edition.build import BuildFailed, latex, publish
from scholarly_edition.build.checkpoints import FAULT_ENV, MOMENTS
from scholarly_edition.build.children import Children
from scholarly_edition.build.kept import CACHE_ENV, OFF

_TALLY = {"tried": 0, "whole": 0, "left running": 0}
PUBLISHED_BY = MOMENTS.index("switched")
"""Moments from which on the new edition is the published one."""


@dataclass(frozen=True)
class Editions:
    project: Path  # the test-notes root, edited: its sources make the new edition
    old: Path  # a _build/ of the edition before the edit; copy it, never build into it
    old_files: dict[str, str]
    new_files: dict[str, str]
    seconds: float  # one whole HTML build of it

    def build(self, out: Path, *more: str, **options) -> Build:
        return Build(["html", "--conf-dir", str(self.project), "--out", str(out), *more], cwd=self.project, **options)

    def fresh(self, tmp_path: Path) -> Path:
        return copy_tree(self.old, tmp_path / "_build")

    def state(self, out: Path) -> str:
        """``old`` or ``new``: which whole edition the readers' paths show; fails on anything else."""
        files = published(out)
        assert (out / "html" / "index.html").is_file(), "no edition at _build/html/index.html"
        if files == self.old_files:
            return "old"
        assert files == self.new_files, f"a partial edition: {sorted(files.keys() ^ self.new_files.keys())[:5]}"
        return "new"


@pytest.fixture(scope="module")
def notes(tmp_path_factory: pytest.TempPathFactory) -> Editions:
    base = tmp_path_factory.mktemp("faults")
    project = shutil.copytree(ROOT / "tests" / "roots" / "test-notes", base / "notes")
    old = base / "old" / "_build"
    old.parent.mkdir()
    first = Build(["html", "--conf-dir", str(project), "--out", str(old)], cwd=base)
    assert first.finish() == 0, first.stderr
    index = project / "index.md"
    index.write_text(index.read_text("utf-8") + "\nA paragraph that only the new edition has.\n", "utf-8")
    new = base / "new" / "_build"
    new.parent.mkdir()
    second = Build(["html", "--conf-dir", str(project), "--out", str(new)], cwd=base)
    assert second.finish() == 0, second.stderr
    seconds = time.monotonic() - second.started
    editions = Editions(project, old, published(old), published(new), seconds)
    assert editions.old_files != editions.new_files
    return editions


def leftovers(out: Path) -> list[str]:
    """What a dead build left in ``out``: generations other than the published one, links and folders half replaced."""
    current = (out / publish.CURRENT).resolve()
    found = [p.name for p in (out / publish.GENERATIONS).iterdir() if p != current]
    return found + [p.name for p in out.iterdir() if publish.NEW in p.name or publish.OLD in p.name]


@dataclass(frozen=True)
class Fault:
    name: str
    moment: str | None = None  # a checkpoint: SIGKILL there, or wait there for ``signum``
    after: float | None = None  # or a share of a whole build's time, then ``signum``
    signum: int = signal.SIGKILL


FAULTS = [
    *(Fault(f"SIGKILL at {m}", moment=m) for m in MOMENTS),
    *(
        Fault(f"SIGTERM at {m}", moment=m, signum=signal.SIGTERM)
        for m in ("locked", "started", "built", "assembled", "linked", "switched")
    ),
    Fault("SIGINT at built", moment="built", signum=signal.SIGINT),
    *(Fault(f"SIGKILL after {f:.0%}", after=f) for f in (0.05, 0.2, 0.35, 0.5, 0.65, 0.8, 0.95, 1.1)),
    *(Fault(f"SIGTERM after {f:.0%}", after=f, signum=signal.SIGTERM) for f in (0.3, 0.6, 0.9)),
]


@pytest.mark.slow
@pytest.mark.parametrize("fault", FAULTS, ids=[f.name for f in FAULTS])
def test_a_build_killed_at_any_moment_leaves_a_whole_edition(fault: Fault, notes: Editions, tmp_path: Path, figures):
    out = notes.fresh(tmp_path)
    inode = out.stat().st_ino
    if fault.moment and fault.signum == signal.SIGKILL:
        build = notes.build(out, env={FAULT_ENV: fault.moment})
    elif fault.moment:
        build = notes.build(out, env={FAULT_ENV: f"{fault.moment}:pause"})
        build.wait_for(f"paused at {fault.moment}")
        build.signal(fault.signum)
    else:
        build = notes.build(out)
        kill_after(build, (fault.after or 0) * notes.seconds, fault.signum)
    returncode = build.finish()
    left = build.left_behind()
    _TALLY["tried"] += 1
    _TALLY["left running"] += len(left)
    _report(figures)
    state = notes.state(out)  # fails on a partial or missing edition
    _TALLY["whole"] += 1
    _report(figures)
    assert left == []
    assert out.stat().st_ino == inode, "_build/ itself was replaced"
    if fault.moment:
        expected = "new" if MOMENTS.index(fault.moment) >= PUBLISHED_BY else "old"
        assert state == expected
        assert returncode == (-signal.SIGKILL if fault.signum == signal.SIGKILL else 128 + fault.signum)
    if fault.moment and fault.signum != signal.SIGKILL:
        said = "the new edition was published" if expected == "new" else "left as it was"
        assert f"build stopped by {signal.Signals(fault.signum).name}, " in build.stderr
        assert said in build.stderr
    if returncode == 0:
        assert state == "new"
    # the next build clears what this one left (it kills itself once it has)
    again = notes.build(out, env={FAULT_ENV: "cleaned"})
    assert again.finish() == -signal.SIGKILL
    assert leftovers(out) == []
    assert notes.state(out) == state


def _report(figures: dict[str, str]) -> None:
    figures["faults"] = (
        f"{_TALLY['tried']} kills tried, {_TALLY['whole']} left a whole edition, "
        f"{_TALLY['left running']} processes left running"
    )


def test_out_refuses_a_folder_no_build_made(notes: Editions, tmp_path: Path) -> None:
    project = shutil.copytree(notes.project, tmp_path / "project")
    (project / ".git").mkdir()
    (project / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    before = sorted(p.relative_to(project) for p in project.rglob("*"))
    build = Build(["html", "--out", "."], cwd=project)
    assert build.finish() == 1
    message = build.stderr.strip().splitlines()[-1]
    assert message == (
        f"build refused: {project.resolve()} holds files no build made (it has no .scholarly-edition); "
        "choose a new or empty folder"
    )
    assert sorted(p.relative_to(project) for p in project.rglob("*")) == before
    held = tmp_path / "held"
    held.mkdir()
    (held / "notes.txt").write_text("mine")
    assert notes.build(held).finish() == 1
    assert (held / "notes.txt").read_text() == "mine" and sorted(p.name for p in held.iterdir()) == ["notes.txt"]


def test_out_accepts_a_missing_an_empty_and_a_built_folder(notes: Editions, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    for out in (tmp_path / "missing" / "_build", empty, notes.fresh(tmp_path)):
        build = notes.build(out)
        assert build.finish() == 0, build.stderr
        assert notes.state(out) == "new"
        assert (out / publish.MARK).is_file()


def test_an_earlier_versions_build_folder_is_taken_over(notes: Editions, tmp_path: Path) -> None:
    """``_build/`` as the build made it before generations: its outputs folders, its scratch folders beside it."""
    out = tmp_path / "_build"
    out.mkdir()
    for name in ("html", ".doctrees"):
        shutil.copytree(notes.old / name, out / name)
    dead = tmp_path / "._build-new-abc123"
    (dead / "html").mkdir(parents=True)
    os.utime(dead, (1, 1))
    os.utime(dead / "html", (1, 1))
    live = tmp_path / f"._build-old-{os.getpid()}"
    live.mkdir()
    assert notes.state(out) == "old"
    build = notes.build(out)
    assert build.finish() == 0, build.stderr
    assert notes.state(out) == "new"
    assert (out / "html").is_symlink() and (out / ".doctrees").is_symlink()
    assert not dead.exists(), "a dead scratch folder of the earlier version was kept"
    assert live.exists(), "a scratch folder whose process lives was removed"
    assert leftovers(out) == []


def test_the_next_build_clears_what_dead_builds_left(notes: Editions, tmp_path: Path) -> None:
    out = notes.fresh(tmp_path)
    (out / publish.GENERATIONS / "20000101-000000-dead").mkdir()
    (out / publish.GENERATIONS / "20000101-000000-dead" / "html").mkdir()
    (out / publish.LATEX_FAILED).mkdir()
    os.symlink(".generations/20000101-000000-dead", out / f"{publish.CURRENT}{publish.NEW}99999")
    (out / f"html{publish.OLD}99999").mkdir()
    build = notes.build(out, env={FAULT_ENV: "cleaned"})
    assert build.finish() == -signal.SIGKILL
    assert leftovers(out) == []
    assert not (out / publish.LATEX_FAILED).exists()
    assert notes.state(out) == "old"


@pytest.mark.slow
def test_builds_of_one_destination_take_turns(notes: Editions, tmp_path: Path) -> None:
    out = notes.fresh(tmp_path)
    first = notes.build(out, env={FAULT_ENV: "built:pause"})
    first.wait_for("paused at built")
    generation = next(p for p in (out / publish.GENERATIONS).iterdir() if p != (out / publish.CURRENT).resolve())
    second = notes.build(out)
    second.wait_for("waiting for another build")
    assert generation.is_dir(), "the second build removed the first one's generation while it ran"
    first.signal(signal.SIGTERM)
    assert first.finish() == 128 + signal.SIGTERM
    assert second.finish() == 0, second.stderr
    assert notes.state(out) == "new"
    assert leftovers(out) == []
    # and two started at once both end well
    racers = [notes.build(out), notes.build(out)]
    assert [b.finish() for b in racers] == [0, 0], [b.stderr for b in racers]
    assert notes.state(out) == "new" and leftovers(out) == []


def test_a_build_gives_up_waiting_with_a_clear_message(notes: Editions, tmp_path: Path) -> None:
    out = notes.fresh(tmp_path)
    with open(out / publish.LOCK, "rb") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        build = notes.build(out, env={publish.LOCK_TIMEOUT_ENV: "1"})
        assert build.finish() == 1
    assert build.stderr.strip().splitlines()[-1] == (
        f"build refused: another build of {out} ran for over 1 s (SCHOLARLY_EDITION_LOCK_TIMEOUT); try again later"
    )
    assert notes.state(out) == "old"


def test_the_end_of_the_starting_process_stops_the_build(notes: Editions, tmp_path: Path) -> None:
    """Killing nox (here, a stand-in parent) stops its build: nothing is published after."""
    out = notes.fresh(tmp_path)
    log = tmp_path / "build.log"
    command = [sys.executable, "-m", "scholarly_edition.build", "html", "--conf-dir", str(notes.project)]
    parent_code = (
        "import signal, subprocess\n"
        "signal.signal(signal.SIGHUP, signal.SIG_DFL)  # as under a terminal, not nohup\n"
        f"with open({str(log)!r}, 'w') as log:\n"
        f"    build = subprocess.Popen({[*command, '--out', str(out)]!r}, stderr=log)\n"
        "    print(build.pid, flush=True)\n"
        "    build.wait()\n"
    )
    env = {**os.environ, FAULT_ENV: "built:pause", "SOURCE_DATE_EPOCH": "1700000000"}
    parent = subprocess.Popen([sys.executable, "-c", parent_code], cwd=tmp_path, env=env, stdout=subprocess.PIPE)
    assert parent.stdout
    pid = int(parent.stdout.readline())
    deadline = time.monotonic() + 60
    while "paused at built" not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.05)
    parent.kill()
    parent.wait()
    while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not Path(f"/proc/{pid}").exists(), "the build ran on after its parent ended"
    assert "build stopped by SIGTERM" in log.read_text()
    assert notes.state(out) == "old"


def test_published_files_are_readable_by_all_under_any_umask(notes: Editions, tmp_path: Path) -> None:
    out = tmp_path / "_build"
    build = notes.build(out, umask=0o077)
    assert build.finish() == 0, build.stderr
    wrong = []
    for path in [out, *out.rglob("*")]:
        mode = path.lstat().st_mode
        if stat.S_ISLNK(mode):
            continue
        want = 0o755 if stat.S_ISDIR(mode) else 0o644
        if stat.S_IMODE(mode) != want:
            wrong.append(f"{path.relative_to(tmp_path)} {stat.S_IMODE(mode):o}")
    assert wrong == []


def test_the_destination_is_never_renamed_so_it_may_be_a_mount_point(notes: Editions, tmp_path: Path) -> None:
    out = notes.fresh(tmp_path)
    before = out.stat()
    beside = sorted(p.name for p in tmp_path.iterdir())
    assert notes.build(out).finish() == 0
    assert (out.stat().st_ino, out.stat().st_dev) == (before.st_ino, before.st_dev)
    assert sorted(p.name for p in tmp_path.iterdir()) == beside, "the build wrote beside its destination"
    # a real mount point, where the system allows one: a tmpfs in a mount namespace of this test's own
    unshare = shutil.which("unshare")
    probe = subprocess.run([unshare or "unshare", "-rm", "true"], capture_output=True, check=False) if unshare else None
    if probe is None or probe.returncode:
        pytest.skip("no mount namespace here (unshare -rm)")
    mounted = tmp_path / "mounted"
    mounted.mkdir()
    command = f"{sys.executable} -m scholarly_edition.build html --conf-dir {notes.project} --out {mounted}"
    script = f"mount -t tmpfs none {mounted} && {command} && {command} && test -f {mounted}/html/index.html"
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    result = subprocess.run([unshare, "-rm", "sh", "-c", script], capture_output=True, text=True, env=env, check=False)
    assert result.returncode == 0, result.stderr


def test_the_live_preview_survives_a_build(notes: Editions, tmp_path: Path) -> None:
    # the preview started before any build: _build/ holds only its folder
    out = tmp_path / "_build"
    (out / publish.PREVIEW).mkdir(parents=True)
    (out / publish.PREVIEW / "index.html").write_text("preview")
    for _ in range(2):
        assert notes.build(out).finish() == 0
        assert (out / publish.PREVIEW / "index.html").read_text() == "preview"
    # and it is where nox -s serve and the benchmark's preview write
    assert 'PREVIEW = ROOT / "_build" / ".preview"' in (ROOT / "noxfile.py").read_text("utf-8")
    assert 'copy / "_build" / ".preview"' in (ROOT / "tests" / "bench" / "__main__.py").read_text("utf-8")


@pytest.mark.slow
def test_a_partial_build_keeps_the_other_formats(edition, tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(ROOT, project, ignore=NOT_COPIED)
    out = copy_tree(edition.out, project / "_build")
    before = published(out)
    build = Build(["html"], cwd=project, env={"SOURCE_DATE_EPOCH": edition.epoch or "0"})
    assert build.finish() == 0, build.stderr
    after = published(out)
    kept = [name for name in before if not name.startswith("html/")] + [f"html/{STEM}.pdf", f"html/{STEM}.epub"]
    assert {name: after.get(name) for name in kept} == {name: before[name] for name in kept}
    assert leftovers(out) == []


@pytest.mark.slow
@pytest.mark.parametrize(
    ("running", "signum"),
    [
        ("-m scholarly_edition.build.writers", signal.SIGKILL),
        ("pandoc", signal.SIGTERM),
        ("pandoc", signal.SIGKILL),
        ("xelatex", signal.SIGKILL),
    ],
)
def test_no_process_of_a_killed_build_runs_on(running: str, signum: int, tmp_path: Path) -> None:
    """The writers' process, pandoc (which only a build without the CSL caches runs) and xelatex."""
    project = tmp_path / "project"
    shutil.copytree(ROOT, project, ignore=NOT_COPIED)
    build = Build([], cwd=project, env={CACHE_ENV: OFF})  # no kept results: pandoc runs
    wait_for_process(build, running)
    build.signal(signum)
    build.finish()
    assert build.left_behind() == []
    assert not (project / "_build" / "html").exists(), "a killed first build published"


LOG = """\
(./t.tex
LaTeX Warning: Reference `x' on page 1 undefined on input line 3.

Overfull \\hbox (19726.70398pt too wide) in paragraph at lines 274--276
[]\\TU/FreeSerif(0)/m/n/10.95 The pre-dis-po-si-tion of Cen-tral Asian mi-grant workers radica
lisation
"""


def test_the_place_is_the_last_line_the_log_names(tmp_path: Path) -> None:
    src = tmp_path / "edition"
    src.mkdir()
    (src / "essay.md").write_text("# Essay\n\nThe predisposition radicalisationradicalisation, noted.\n", "utf-8")
    (src / "_copytext").mkdir()
    (src / "_copytext" / "copy.md").write_text("radicalisationradicalisation\n", "utf-8")  # not a source
    tex = [""] * 280
    tex[274] = r"\marginpar{1}The predisposition radicalisationradicalisation end."
    kept = tmp_path / "kept" / "t.tex"
    assert latex.culprit(LOG, tex, kept, src) == f"at {src / 'essay.md'}:3 ({kept}:274-276)"
    error = "./t.tex:338: This can't happen (copying).\nl.338 \\sphinxAtStartPar\n"
    assert latex.culprit(error, tex, kept, src) == f"at {kept}:338"
    assert latex.culprit("./t.tex:12: Undefined control sequence.\n", tex, kept, src) == (
        f"at {kept}:12: Undefined control sequence."
    )
    assert latex.culprit("no line here\n", tex, kept, src) is None
    wrapped = "LaTeX Warning: Hyper reference `commentary:ed-b' on page 4 undefined on input l\nine 294.\n"
    assert latex.culprit(wrapped, tex, kept, src) == f"at {kept}:294"


def test_the_latex_time_limit_is_read_from_the_environment() -> None:
    assert latex.timeout_from_env(None) == latex.TIMEOUT == 120
    assert latex.timeout_from_env("7.5") == 7.5
    for bad in ("soon", "0", "-3"):
        with pytest.raises(BuildFailed, match=r"SCHOLARLY_EDITION_LATEX_TIMEOUT='.*': not a number of seconds above 0"):
            latex.timeout_from_env(bad)


def test_latex_past_its_time_limit_is_stopped_and_its_place_named(tmp_path: Path) -> None:
    """A tiny document that never ends: a warning on the line of an endless loop, and enough log to flush it."""
    src = tmp_path / "edition"
    src.mkdir()
    word = "pathologically" * 300
    (src / "essay.md").write_text(f"# Essay\n\nSome text.\n\nThe text {word} goes on.\n", "utf-8")
    latex_dir = tmp_path / "latex"
    latex_dir.mkdir()
    endless = rf"\PackageWarning{{t}}{{{word}}}\PackageWarning{{t}}{{{'x' * 5000}}}\loop\iftrue\repeat"
    (latex_dir / "t.tex").write_text(
        "\\documentclass{article}\n\\begin{document}\nSome text.\n" + endless + "\n\\end{document}\n", "utf-8"
    )
    probe = uuid.uuid4().hex
    started = time.monotonic()
    with Children() as children:
        _, failure = latex.make_pdf(
            latex_dir, "t", {**os.environ, PROBE: probe}, None, children, latex.Latex(3.0, latex_dir, src)
        )
    assert time.monotonic() - started < 30
    assert failure == (
        "pdf: LaTeX ran over its 3 s (SCHOLARLY_EDITION_LATEX_TIMEOUT) and was stopped, "
        f"at {src / 'essay.md'}:5 ({latex_dir / 't.tex'}:4)"
    )
    assert (latex_dir / "t.tex").is_file()
    assert wait_for_none(probe, 10) == [], "latexmk or xelatex ran on"


def _stuck(edition, tmp_path: Path) -> tuple[Path, int]:
    """A copy of the project and its edition, with a word of 4,998 letters (at the end of the essay's first
    paragraph); and that paragraph's line.

    Its width overflows TeX's largest dimension, and what xelatex does then depends on how its memory
    lies: it stays busy for many minutes, or stops within seconds on an internal error or a crash.
    Either way the build must name the paragraph's line and leave nothing behind."""
    project = tmp_path / "project"
    shutil.copytree(ROOT, project, ignore=NOT_COPIED)
    copy_tree(edition.out, project / "_build")
    essay = project / "edition" / "essay.md"
    lines = essay.read_text("utf-8").splitlines()
    number = next(n for n, line in enumerate(lines, 1) if line.startswith("The predisposition"))
    lines[number - 1] += " " + "radicalisation" * 357 + " end."
    essay.write_text("\n".join(lines) + "\n", "utf-8")
    return project, number


@pytest.mark.slow
def test_killing_a_build_while_latex_runs_stops_latex(edition, tmp_path: Path) -> None:
    project, _ = _stuck(edition, tmp_path)
    build = Build(["pdf"], cwd=project, env={"SOURCE_DATE_EPOCH": edition.epoch or "0"})
    wait_for_process(build, "xelatex")
    build.signal(signal.SIGKILL)
    build.finish()
    assert build.left_behind() == []
    assert published(project / "_build") == published(edition.out)


@pytest.mark.slow
def test_a_word_of_five_thousand_letters_stops_latex_at_its_source_line(edition, tmp_path: Path) -> None:
    project, number = _stuck(edition, tmp_path)
    out = project / "_build"
    build = Build(["pdf", "--latex-timeout", "8"], cwd=project, env={"SOURCE_DATE_EPOCH": edition.epoch or "0"})
    assert build.finish() == 1
    message = build.stderr.strip().splitlines()[-1]
    assert re.fullmatch(
        rf"build failed, \S+ left as it was: pdf: (LaTeX ran over its 8 s \(SCHOLARLY_EDITION_LATEX_TIMEOUT\) "
        rf"and was stopped|LaTeX exited -?\d+), at edition/essay\.md:{number} "
        rf"\(_build/\.latex-failed/{STEM}\.tex:\d+(-\d+)?\)(: .*)?",
        message,
    ), message
    assert (out / publish.LATEX_FAILED / f"{STEM}.tex").is_file()
    assert build.left_behind() == []
    assert published(out) == published(edition.out)
