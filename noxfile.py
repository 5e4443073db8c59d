"""Build, preview and test the edition.

``nox -s build`` makes all three editions in ``_build/``; ``nox -s tests``
runs every test. Python dependencies come from ``pyproject.toml``'s
dependency groups, pinned with hashes in ``uv.lock``; what Debian must
provide (TeX Live, EPUBCheck, Chromium) is installed here too.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import nox

nox.needs_version = ">=2025.2.9"
nox.options.default_venv_backend = "uv|virtualenv"
nox.options.sessions = ["build", "tests"]

ROOT = Path(__file__).parent
PACKAGE = "scholarly_edition"
FORMATS = ("html", "epub", "pdf")
BENCH = ROOT / "tests" / "bench"
PREVIEW = ROOT / "_build" / ".preview"
"""The live preview's folder: inside _build/, which the build only ever adds to, never replaces,
and beside its outputs, so that a build (``nox -s build``) goes on while a preview runs and the
preview's files sit with every other build output (ignored by git, removed with _build/)."""

LATEX_PACKAGES = ["texlive-xetex", "latexmk", "fonts-freefont-otf", "texlive-fonts-recommended", "xindy"]
TEST_PACKAGES = ["epubcheck", "chromium", "poppler-utils", "default-jre-headless"]


def install_groups(session: nox.Session, *groups: str) -> None:
    """Install the extension (editable) and dependency groups exactly as ``uv.lock`` pins them (hashes checked)."""
    uv = shutil.which("uv")
    if uv is None:
        session.install("uv")
        uv = "uv"
    # --compile-bytecode: compiled once here, not by every sphinx-build run
    # (about 1.3 s a process where bytecode is not written back, as under
    # PYTHONDONTWRITEBYTECODE or a read-only environment).
    args = [uv, "sync", "--locked", "--compile-bytecode", "--no-default-groups"]
    for group in groups:
        args += ["--group", group]
    session.run_install(
        *args,
        env={"UV_PROJECT_ENVIRONMENT": session.virtualenv.location},
        external=True,
    )


def missing_debian(packages: list[str]) -> list[str]:
    """The packages of ``packages`` that dpkg does not report as installed."""
    missing = []
    for package in packages:
        result = subprocess.run(
            ["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True, check=False
        )
        if "install ok installed" not in result.stdout:
            missing.append(package)
    return missing


def ensure_debian(session: nox.Session, packages: list[str]) -> None:
    """Install Debian packages with apt-get as root or with passwordless sudo; else say how."""
    if shutil.which("dpkg-query") is None:
        session.warn(f"not a Debian system: install the equivalents of {' '.join(packages)} yourself")
        return
    missing = missing_debian(packages)
    if not missing:
        return
    command = ["apt-get", "install", "-y", "--no-install-recommends", *missing]
    if os.geteuid() == 0:
        prefix: list[str] = []
    elif shutil.which("sudo") and subprocess.run(["sudo", "-n", "true"], check=False).returncode == 0:
        prefix = ["sudo", "-n"]
    else:
        session.error(
            f"missing Debian packages; run: sudo apt-get install -y --no-install-recommends {' '.join(missing)}"
        )
    env = {"DEBIAN_FRONTEND": "noninteractive"}
    session.run(*prefix, "apt-get", "update", "-qq", external=True, env=env)
    session.run(*prefix, *command, external=True, env=env)


def run_build(session: nox.Session, *formats: str) -> None:
    """The one build helper: every format goes through ``scholarly_edition.build``."""
    if not formats or "pdf" in formats:
        ensure_debian(session, LATEX_PACKAGES)
    session.run("python", "-m", f"{PACKAGE}.build", *formats)


@nox.session(default=True)
def build(session: nox.Session) -> None:
    """Build the HTML, PDF and EPUB editions into _build/ (the PDF and EPUB also beside the HTML)."""
    install_groups(session, "build")
    run_build(session)


@nox.session(default=False)
@nox.parametrize("fmt", FORMATS, ids=FORMATS)
def docs(session: nox.Session, fmt: str) -> None:
    """Build one format: ``nox -s "docs(html)"``, ``"docs(pdf)"`` or ``"docs(epub)"``."""
    install_groups(session, "build")
    run_build(session, fmt)


@nox.session(default=False)
def serve(session: nox.Session) -> None:
    """Live preview of the HTML at http://127.0.0.1:8000, rebuilt on every save."""
    install_groups(session, "serve")
    session.run(
        "sphinx-autobuild",
        "-c",
        str(ROOT),
        "--watch",
        str(ROOT / "refs.bib"),
        "--watch",
        str(ROOT / PACKAGE),
        "--host",
        "127.0.0.1",
        "-n",
        "--keep-going",
        str(ROOT / "edition"),
        str(PREVIEW),
        *session.posargs,
    )


@nox.session(default=False)
def lint(session: nox.Session) -> None:
    """ruff (lint and format check) and mypy over the extension and the tests' helpers."""
    install_groups(session, "lint")
    session.run("ruff", "check", PACKAGE, "tests", "noxfile.py", "conf.py")
    session.run("ruff", "format", "--check", PACKAGE)
    session.run("mypy")


def npm_ci(session: nox.Session, folder: Path) -> None:
    """Install ``folder``'s npm packages exactly as its package-lock.json pins them (integrity checked).

    Node comes from Debian only where there is none: a machine with another
    Node (NodeSource's, say) keeps it, since Debian's npm conflicts with it.
    Install scripts are not run: the packages used here need none (vnu-jar's
    would download a Java runtime; Debian's is used).
    """
    if shutil.which("node") is None or shutil.which("npm") is None:
        ensure_debian(session, ["nodejs", "npm"])
    installed = folder / "node_modules" / ".package-lock.json"
    if not installed.exists() or installed.stat().st_mtime < (folder / "package-lock.json").stat().st_mtime:
        session.run(
            "npm",
            "ci",
            "--prefix",
            str(folder),
            "--ignore-scripts",
            "--no-audit",
            "--no-fund",
            "--silent",
            external=True,
        )


@nox.session(default=True)
def tests(session: nox.Session) -> None:
    """Run every test: unit tests on small Sphinx roots, then the real edition built once.

    The validators come from the locks too: axe-core and the Nu HTML Checker
    from package-lock.json, EPUBCheck, Chromium and Java from Debian.
    """
    install_groups(session, "test")
    ensure_debian(session, LATEX_PACKAGES + TEST_PACKAGES)
    npm_ci(session, ROOT)
    session.run("pytest", *session.posargs)


@nox.session(default=False)
def bench(session: nox.Session) -> None:
    """Benchmark builds, edit-to-preview, page weight, Lighthouse and scaling (not a test).

    Prints a table and writes tests/bench/results/latest.json. Options after
    ``--`` go to the benchmark (``nox -s bench -- --help``).
    """
    install_groups(session, "bench")
    ensure_debian(session, [*LATEX_PACKAGES, "chromium"])
    if shutil.which("npm") is None:
        ensure_debian(session, ["npm"])
    installed = BENCH / "node_modules" / ".package-lock.json"
    if not installed.exists() or installed.stat().st_mtime < (BENCH / "package-lock.json").stat().st_mtime:
        session.run("npm", "ci", "--prefix", str(BENCH), "--no-audit", "--no-fund", "--silent", external=True)
    session.chdir(ROOT / "tests")  # the benchmark is the package tests/bench
    session.run("python", "-m", "bench", *session.posargs)


@nox.session(default=False, venv_backend="none")
def lock(session: nox.Session) -> None:
    """Update uv.lock and package-lock.json (within package.json's ranges) to the newest versions."""
    session.run("uv", "lock", "--upgrade", *session.posargs, external=True)
    session.run("npm", "update", "--prefix", str(ROOT), "--package-lock-only", "--ignore-scripts", external=True)
