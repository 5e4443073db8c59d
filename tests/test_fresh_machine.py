"""The README's quick start on a fresh Debian 12, timed: a measurement, run only when asked.

A new Debian 12 root is made with debootstrap (minbase, with only python3,
git and ca-certificates), this repository's last commit is cloned into it,
and each line of the README's ```sh block runs in it with chroot, as root,
with no input, one after the other. The figures (seconds per line, the
root's size before and after) are printed with the run's other figures and
written to ``fresh-machine.json`` in the folder, and the root is removed.
It needs root, debootstrap and a Debian mirror (the first one in
/etc/apt/sources.list*, or ``EDITION_FRESH_MIRROR``); it takes minutes::

    EDITION_FRESH_ROOT=/var/tmp/fresh nox -s tests -- tests/test_fresh_machine.py

The folder must be outside the repository. ``EDITION_FRESH_KEEP=1`` keeps
the root. Certificates the host trusts beyond Debian's
(/usr/local/share/ca-certificates, as a network that inspects TLS needs)
are trusted in the root too, and the host's certificate-bundle variables
are passed on.
"""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

import pytest
import quickstart

FOLDER = os.environ.get("EDITION_FRESH_ROOT")
pytestmark = pytest.mark.skipif(
    not FOLDER, reason="a measurement, not a test: set EDITION_FRESH_ROOT to a folder outside the repository"
)

SUITE = "bookworm"
INCLUDE = "python3,git,ca-certificates"
MOUNTS = ("proc", "sys", "dev", "dev/pts", "dev/shm")  # Chromium needs /dev/shm
CERTIFICATE_VARIABLES = (
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
    "PIP_CERT",
    "REQUESTS_CA_BUNDLE",
    "CURL_CA_BUNDLE",
    "NODE_EXTRA_CA_CERTS",
    "GIT_SSL_CAINFO",
)
EDITION = "/root/edition"


def debian_mirror() -> str:
    if os.environ.get("EDITION_FRESH_MIRROR"):
        return os.environ["EDITION_FRESH_MIRROR"]
    sources = sorted(Path("/etc/apt").glob("sources.list.d/*.sources")) + [Path("/etc/apt/sources.list")]
    sources += sorted(Path("/etc/apt").glob("sources.list.d/*.list"))
    for source in sources:
        if not source.is_file():
            continue
        text = source.read_text("utf-8", "replace")
        for uri in re.findall(r"^URIs:\s*(\S+)", text, re.M) + re.findall(r"^deb\s+(?:\[[^]]*\]\s+)?(\S+)", text, re.M):
            if "security" not in uri and "/debian" in uri:
                return uri
    pytest.skip("no Debian mirror in /etc/apt/sources.list*: set EDITION_FRESH_MIRROR")


def size(path: Path) -> int:
    out = subprocess.run(["du", "-sx", "--block-size=1", str(path)], capture_output=True, text=True, check=True)
    return int(out.stdout.split()[0])


def mounted_under(root: Path) -> list[str]:
    prefix = str(root.resolve()) + "/"
    with open("/proc/self/mounts", encoding="utf-8") as mounts:
        return [line.split()[1] for line in mounts if line.split()[1].startswith(prefix)]


@contextmanager
def system_mounts(root: Path) -> Iterator[None]:
    done: list[Path] = []
    try:
        for name in MOUNTS:
            target = root / name
            target.mkdir(parents=True, exist_ok=True)
            subprocess.run(["mount", "--bind", f"/{name}", str(target)], check=True)
            done.append(target)
        yield
    finally:
        for target in reversed(done):
            if subprocess.run(["umount", str(target)], check=False).returncode:
                subprocess.run(["umount", "--lazy", str(target)], check=False)


def remove(root: Path) -> None:
    left = mounted_under(root)
    assert left == [], f"still mounted, not removing {root}: {left}"
    subprocess.run(["rm", "-rf", "--one-file-system", str(root)], check=True)


def run_timed(command: list[str], out: TextIO) -> tuple[int, list[dict[str, object]]]:
    """Run ``command`` with no input, each line of its output logged with the seconds since it started.

    Returns its exit status and its steps: each ``nox >`` command it ran
    (the first step is what came before the first), with its seconds.
    """
    started = time.perf_counter()
    steps: list[dict[str, object]] = [{"step": "(start)", "at": 0.0}]
    proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert proc.stdout
    for raw in proc.stdout:
        text = raw.decode("utf-8", "replace").rstrip("\n")
        at = round(time.perf_counter() - started, 1)
        out.write(f"{at:7.1f} {text}\n")
        if text.startswith("nox > ") and not text.startswith(("nox > Running session", "nox > Session ")):
            steps.append({"step": text.removeprefix("nox > "), "at": at})
    returncode = proc.wait()
    end = round(time.perf_counter() - started, 1)
    for step, after in zip(steps, [*steps[1:], {"at": end}]):
        step["seconds"] = round(float(after["at"]) - float(step["at"]), 1)  # type: ignore[arg-type]
    return returncode, steps


def gib(n: int) -> str:
    return f"{n / 2**30:.2f} GiB"


def test_quick_start_on_a_fresh_debian_12(figures) -> None:
    folder = Path(FOLDER or "").resolve()
    if folder == quickstart.ROOT or quickstart.ROOT in folder.parents:
        pytest.fail("EDITION_FRESH_ROOT must be outside the repository")
    if os.geteuid() != 0 or shutil.which("debootstrap") is None:
        pytest.skip("needs root and debootstrap (apt-get install debootstrap)")
    folder.mkdir(parents=True, exist_ok=True)
    root = folder / "debian-12"
    log = folder / "fresh-machine.log"
    if root.exists():
        remove(root)
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=quickstart.ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    results: dict[str, object] = {
        "commit": commit,
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{os.cpu_count()} cores, {platform.machine()}, host {platform.freedesktop_os_release().get('PRETTY_NAME')}",
        "root": f"debootstrap --variant=minbase --include={INCLUDE} {SUITE}",
        "lines": [],
    }
    try:
        with log.open("w", encoding="utf-8") as out:
            started = time.perf_counter()
            subprocess.run(
                ["debootstrap", "--variant=minbase", f"--include={INCLUDE}", SUITE, str(root), debian_mirror()],
                stdout=out,
                stderr=subprocess.STDOUT,
                check=True,
            )
            results["debootstrap_s"] = round(time.perf_counter() - started, 1)
            extra = sorted(Path("/usr/local/share/ca-certificates").glob("*.crt"))
            for certificate in extra:
                shutil.copy(certificate, root / "usr/local/share/ca-certificates")
            if extra:
                subprocess.run(["chroot", str(root), "update-ca-certificates"], stdout=out, stderr=out, check=True)
            shutil.copy("/etc/resolv.conf", root / "etc/resolv.conf")
            subprocess.run(
                ["git", "clone", "--quiet", str(quickstart.ROOT), str(root / EDITION.lstrip("/"))], check=True
            )
            results["before_bytes"] = size(root)
            env = {"HOME": "/root", "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}
            env |= {"CI": "true", "LANG": "C.UTF-8", "TERM": "dumb"}
            env |= {k: os.environ[k] for k in CERTIFICATE_VARIABLES if os.environ.get(k, "").startswith("/etc/ssl/")}
            total = time.perf_counter()
            with system_mounts(root):
                for line in quickstart.lines():
                    out.write(f"\n+ {line}\n")
                    out.flush()
                    started = time.perf_counter()
                    command = ["chroot", str(root), "/usr/bin/env", "-i", *(f"{k}={v}" for k, v in env.items())]
                    command += ["bash", "-c", f"cd {EDITION} && {line}"]
                    returncode, steps = run_timed(command, out)
                    seconds = round(time.perf_counter() - started, 1)
                    entry = {"line": line, "seconds": seconds, "exit": returncode, "steps": steps}
                    results["lines"].append(entry)  # type: ignore[attr-defined]
                    if returncode:
                        break
            results["total_s"] = round(time.perf_counter() - total, 1)
            results["after_bytes"] = size(root)
            sizes = {}
            for part in (
                "var/cache/apt",
                "usr/share/texlive",
                "usr/lib/chromium",
                "usr/lib/jvm",
                "root/.cache",
                "root/.local",
            ):
                if (root / part).exists():
                    sizes[part] = size(root / part)
            sizes["root/edition"] = size(root / EDITION.lstrip("/"))
            results["parts_bytes"] = sizes
    finally:
        (folder / "fresh-machine.json").write_text(json.dumps(results, indent=2) + "\n", "utf-8")
        if root.exists() and not os.environ.get("EDITION_FRESH_KEEP"):
            remove(root)
    for n, entry in enumerate(results["lines"], start=1):  # type: ignore[arg-type]
        figures[f"fresh Debian 12, line {n}"] = f"{entry['seconds']} s: {entry['line']}"
        for k, step in enumerate(entry["steps"], start=1):
            if step["seconds"] >= 5:
                figures[f"fresh Debian 12, line {n}, step {k}"] = f"{step['seconds']} s: {str(step['step'])[:80]}"
    figures["fresh Debian 12, all lines"] = f"{results['total_s']} s"
    figures["fresh Debian 12, disk"] = f"{gib(results['before_bytes'])} before, {gib(results['after_bytes'])} after"  # type: ignore[arg-type]
    failed = [e for e in results["lines"] if e["exit"]]  # type: ignore[attr-defined]
    tail = "".join(log.read_text("utf-8", "replace").splitlines(keepends=True)[-60:])
    assert not failed and len(results["lines"]) == len(quickstart.lines()), f"{failed}\n{tail}"  # type: ignore[arg-type]
