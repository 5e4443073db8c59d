import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "_ext"))
extensions = ["myst_parser", "sphinxcontrib.bibtex", "edition"]
bibtex_bibfiles = ["refs.bib"]
edition_csl_style = "chicago-notes-bibliography"
exclude_patterns = ["_build"]
