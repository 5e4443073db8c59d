"""Values of the top-level conf.py, read without importing Sphinx's machinery."""

from __future__ import annotations

import runpy
from pathlib import Path
from typing import Any

_CONF = Path(__file__).resolve().parents[1] / "conf.py"


def get(name: str) -> Any:
    return runpy.run_path(str(_CONF))[name]
