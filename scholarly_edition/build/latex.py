"""LaTeX on the PDF edition: latexmk, the xindy options it needs, and the auxiliary files carried between builds."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from scholarly_edition.build.children import Children

LATEX_AUXILIARIES = ("aux", "toc", "out", "idx", "ind", "ilg", "lof", "lot", "fdb_latexmk")
"""What latexmk reads back from an earlier run: with them it checks, without them it rebuilds."""


def latex_command(stem: str) -> list[str]:
    """latexmk reruns xelatex only as often as references and the index need."""
    return [
        "latexmk", "-pdfxe", "-dvi-", "-ps-",
        "-interaction=nonstopmode", "-halt-on-error", "-file-line-error", "-silent",
        f"{stem}.tex",
    ]  # fmt: skip


def latex_env(latex_dir: Path) -> dict[str, str]:
    """The xindy options Sphinx wrote into the LaTeX folder's Makefile.

    Sphinx's latexmkrc calls xindy with ``$XINDYOPTS`` (language, UTF-8,
    ``sphinx.xdy``), which only its Makefile exports; running latexmk
    directly needs them too, or the index (UTF-8 names such as Ní Aoláin
    included) is not made.
    """
    makefile = latex_dir / "Makefile"
    if not makefile.exists():
        return {}
    for line in makefile.read_text("utf-8").splitlines():
        if line.startswith("export XINDYOPTS"):
            return {"XINDYOPTS": line.split("=", 1)[1].strip()}
    return {}


def latexmk(latex_dir: Path, env: dict[str, str], stem: str, children: Children) -> tuple[int, bytes]:
    """Run latexmk on ``stem.tex``: (its exit status, its output).

    Its input is /dev/null: TeX that stops to ask the terminal gets an end
    of file and gives up at once.
    """
    proc = children.start(
        latex_command(stem),
        cwd=latex_dir,
        env={**env, **latex_env(latex_dir)},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        output, _ = proc.communicate()
    finally:
        children.reap(proc)
    return proc.returncode, output


def carry_latex_auxiliaries(previous: Path | None, latex_dir: Path, stem: str) -> list[str]:
    """Give latexmk the previous run's auxiliary files, so it checks them rather than rebuilds them."""
    source = previous / "latex" if previous else None
    if not source or not source.is_dir():
        return []
    carried = []
    for ext in LATEX_AUXILIARIES:
        old = source / f"{stem}.{ext}"
        if old.is_file() and not (latex_dir / old.name).exists():
            shutil.copy2(old, latex_dir / old.name)
            carried.append(old.name)
    return carried
