import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "_ext"))
extensions = ["myst_parser", "sphinxcontrib.bibtex", "sphinx_copybutton", "edition"]
bibtex_bibfiles = ["refs.bib"]
project = "A Test Edition"
exclude_patterns = ["_build"]
html_static_path = ["_static"]
html_css_files = ["extra.css", ("print.css", {"media": "print"})]
