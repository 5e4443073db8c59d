"""Getting there from the README alone: the quick start CI runs, the installers it pins, locks Debian's npm reads."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import quickstart
import yaml

ROOT = quickstart.ROOT
CI_RUN = ROOT / ".ci" / "run"


def lint_line(lines: list[str]) -> str:
    """The quick start's last nox command with its session swapped for lint, as .ci/run makes it."""
    last = [line for line in lines if re.search(r"(^|\s)nox\s+-s\s", line)][-1]
    return re.sub(r"(^|\s)nox\s+-s\s+[^\s#]+.*$", r"\1nox -s lint", last)


def run_ci(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", str(folder / ".ci" / "run"), *args], capture_output=True, text=True, check=False)


def test_ci_runs_the_readme_quick_start_then_lint() -> None:
    lines = quickstart.lines()
    printed = run_ci(ROOT, "--print")
    assert printed.returncode == 0, printed.stderr
    assert printed.stdout.splitlines() == [*lines, lint_line(lines)]
    assert lint_line(lines).endswith(" nox -s lint")
    # the block ends with the build and the test command
    assert re.search(r"\snox -s build(\s|$)", lines[-2]) and re.search(r"\snox -s tests(\s|$)", lines[-1])


def test_ci_runs_each_line_in_order_and_stops_at_the_first_that_fails(tmp_path) -> None:
    (tmp_path / ".ci").mkdir()
    shutil.copy(CI_RUN, tmp_path / ".ci" / "run")
    readme = tmp_path / "README.md"
    fake_nox = 'nox() { echo "ran nox $*"; }'

    def block(*lines: str) -> None:
        readme.write_text("# Title\n\n```sh\n" + "\n".join(lines) + "\n```\n\n```sh\necho another block\n```\n")

    block(fake_nox, "# a comment", "", "read -r answer || echo no input", "nox -s build  # builds", "nox -s tests")
    ran = run_ci(tmp_path)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.splitlines() == ["no input", "ran nox -s build", "ran nox -s tests", "ran nox -s lint"]

    block(fake_nox, "echo first", "(exit 3)", "echo never", "nox -s tests")
    ran = run_ci(tmp_path)
    assert ran.returncode == 3
    assert ran.stdout.splitlines() == ["first"]
    assert "failed with exit status 3" in ran.stderr and "(exit 3)" in ran.stderr

    readme.write_text("# No block\n")
    assert run_ci(tmp_path).returncode != 0


def test_quick_start_is_plain_commands_that_ask_nothing() -> None:
    for line in quickstart.lines():
        assert not line.startswith("sudo"), line  # a fresh root has no sudo
        if re.search(r"\bapt-get install\b", line):
            assert " -y " in line, line  # no Y/n prompt
        assert "pip install" not in line, line  # the system Python refuses it (PEP 668)


def test_quick_start_ci_and_hosting_pin_the_same_nox_and_uv() -> None:
    block = "\n".join(quickstart.lines())
    uv = quickstart.noxfile_constant("UV_VERSION")
    assert quickstart.pinned("uv", block) == {uv}
    (nox_version,) = quickstart.pinned("nox", block)
    needs = re.fullmatch(r'nox\.needs_version = ">=([\d.]+)"', _noxfile_line("nox.needs_version"))
    assert needs and _version(nox_version) >= _version(needs[1])
    hosting = yaml.safe_load((ROOT / ".readthedocs.yaml").read_text("utf-8"))
    installs = "\n".join(hosting["build"]["jobs"]["install"])
    assert quickstart.pinned("uv", installs) == {uv}
    assert not re.search(r"pip install(?!\s+uv==)", installs), installs  # nothing else, and nothing unpinned


def test_npm_locks_need_no_overrides_and_no_dist_tags() -> None:
    """Debian's npm 9 cannot read an override of a dependency asked for as a dist-tag ("Invalid comparator")."""
    for folder in (ROOT, ROOT / "tests" / "bench"):
        manifest = json.loads((folder / "package.json").read_text("utf-8"))
        assert "overrides" not in manifest, folder
        packages = json.loads((folder / "package-lock.json").read_text("utf-8"))["packages"]
        tags = [
            f"{where}: {name}@{spec}"
            for where, entry in packages.items()
            for kind in ("dependencies", "optionalDependencies", "peerDependencies")
            for name, spec in entry.get(kind, {}).items()
            if re.fullmatch(r"[A-Za-z][\w.-]*", spec) and spec not in {"x", "X"}
        ]
        assert tags == [], "pin them with nox -s lock"
        assert all(entry.get("integrity", "").startswith("sha512-") for where, entry in packages.items() if where)


def _noxfile_line(start: str) -> str:
    return next(line for line in quickstart.NOXFILE.read_text("utf-8").splitlines() if line.startswith(start))


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))
