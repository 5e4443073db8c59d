"""Read the Docs builds the edition as the repository has it: a valid .readthedocs.yaml that installs what the build needs.

The schema is Read the Docs' own (``tests/schemas/readthedocs-v2.json``,
MIT, with its licence beside it), kept here so the test needs no network.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import quickstart
import yaml

ROOT = quickstart.ROOT
SCHEMA = Path(__file__).parent / "schemas" / "readthedocs-v2.json"


def config() -> dict:
    return yaml.safe_load((ROOT / ".readthedocs.yaml").read_text("utf-8"))


def test_readthedocs_config_is_valid_against_its_schema() -> None:
    schema = json.loads(SCHEMA.read_text("utf-8"))
    validator = jsonschema.validators.validator_for(schema)
    validator.check_schema(schema)
    errors = [
        f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}"
        for e in validator(schema).iter_errors(config())
    ]
    assert errors == []


def test_readthedocs_installs_every_debian_package_the_pdf_needs() -> None:
    """Every package ``nox -s build`` installs for the PDF is in apt_packages (xindy, the fonts, latexmk, …)."""
    apt = config()["build"]["apt_packages"]
    latex = quickstart.noxfile_constant("LATEX_PACKAGES")
    assert isinstance(latex, list) and latex
    assert [p for p in latex if p not in apt] == []
    assert len(apt) == len(set(apt))


def test_readthedocs_builds_with_the_locked_dependencies_and_the_build_command() -> None:
    jobs = config()["build"]["jobs"]
    install = "\n".join(jobs["install"])
    assert re.search(r"\buv sync --locked\b.*--group build\b", install)
    assert quickstart.pinned("uv", install) == {quickstart.noxfile_constant("UV_VERSION")}
    html = "\n".join(jobs["build"]["html"])
    assert "python -m scholarly_edition.build" in html
    assert set(config()["formats"]) <= set(jobs["build"])  # each format Read the Docs offers is handed over
