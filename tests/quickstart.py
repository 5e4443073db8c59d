"""The README's quick start: its first ```sh block, the lines a newcomer runs, as ``.ci/run`` reads them."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
NOXFILE = ROOT / "noxfile.py"


def lines(readme: Path = README) -> list[str]:
    """The block's commands in order: blank lines and comment-only lines left out."""
    block = re.search(r"^```sh[ \t]*\n(.*?)^```[ \t]*$", readme.read_text("utf-8"), re.M | re.S)
    assert block, f"{readme.name} has no ```sh block"
    return [line for line in block[1].splitlines() if line.strip() and not line.lstrip().startswith("#")]


def pinned(name: str, text: str) -> set[str]:
    """Every version ``text`` pins ``name`` to (``name==X`` or ``name[extra]==X``)."""
    return set(re.findall(rf"(?<![\w-]){re.escape(name)}(?:\[[\w,]+\])?==([\w.]+)", text))


def noxfile_constant(name: str) -> object:
    """A constant of noxfile.py, read without importing nox."""
    tree = ast.parse(NOXFILE.read_text("utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            return _literal(node.value, tree)
    raise KeyError(name)


def _literal(node: ast.expr, tree: ast.Module) -> object:
    # lists built from other lists ([*A, "b"], A + B) as well as plain literals
    if isinstance(node, ast.Name):
        return noxfile_constant(node.id)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _literal(node.left, tree) + _literal(node.right, tree)  # type: ignore[operator]
    if isinstance(node, ast.List):
        items: list[object] = []
        for element in node.elts:
            if isinstance(element, ast.Starred):
                items += _literal(element.value, tree)  # type: ignore[arg-type]
            else:
                items.append(_literal(element, tree))
        return items
    return ast.literal_eval(node)
