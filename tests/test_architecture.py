"""The package's shape, held: a pure bibliographic layer, small modules, one place for ids, no path patching."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "scholarly_edition"
MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("module", ["bibliography", "build", "config", "problems", "ids", "preview.__main__"])
def test_the_pure_layers_import_no_sphinx(module: str) -> None:
    """The bibliographic data, the build orchestrator, the settings and the preview's server load without Sphinx."""
    names = [f"scholarly_edition.{module}"]
    if module == "bibliography":
        names += [f"scholarly_edition.bibliography.{p.stem}" for p in (PACKAGE / "bibliography").glob("*.py")]
    code = f"import sys; import {', '.join(names)}; print(sorted({{m.split('.')[0] for m in sys.modules}} & {{'sphinx', 'docutils'}}))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT).stdout
    assert out.strip() == "[]", f"{module} imports {out.strip()}"


def test_no_module_is_over_400_lines() -> None:
    long = {str(p.relative_to(ROOT)): n for p in MODULES if (n := len(p.read_text("utf-8").splitlines())) > 400}
    assert long == {}


def test_ids_are_made_in_one_module() -> None:
    """``p-N``, ``note-N``, ``work-KEY`` and ``tn-at-KEY`` are spelt out in ids.py and nowhere else."""
    spelt = re.compile(r"""f?["'](?:p|note|noteref|work|tn|ed)-(?:at-)?\{""")
    found = [
        f"{p.relative_to(ROOT)}:{n}"
        for p in MODULES
        if p.name != "ids.py"
        for n, line in enumerate(p.read_text("utf-8").splitlines(), start=1)
        if spelt.search(line)
    ]
    assert found == []


def test_nothing_patches_the_import_path() -> None:
    """The package is installed (editable, by uv); no file reaches it through sys.path or PYTHONPATH."""
    files = [ROOT / "conf.py", ROOT / "noxfile.py", ROOT / ".readthedocs.yaml", *ROOT.glob("tests/**/*.py"), *MODULES]
    this = Path(__file__).resolve()
    found = [
        str(p.relative_to(ROOT))
        for p in files
        if p.resolve() != this and re.search(r"sys\.path\.(insert|append)|PYTHONPATH", p.read_text("utf-8"))
    ]
    assert found == []
