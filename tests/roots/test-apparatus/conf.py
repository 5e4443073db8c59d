import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "_ext"))
extensions = ["myst_parser", "sphinxcontrib.bibtex", "edition", "paranumbers"]
sys.path.insert(0, str(Path(__file__).parent))
bibtex_bibfiles = ["refs.bib"]
edition_csl_style = "chicago-notes-bibliography"
exclude_patterns = ["_build", "_copytext"]
root_doc = "index"
edition_title = "A Test"
edition_subtitle = "Of the Apparatus"
edition_author = {"given": "Jane", "family": "Smith"}
edition_contributors = "the test’s contributors"
edition_statement = "A test edition"
edition_date = "2026-01-02"
version = "0.1"
myst_enable_extensions = ["colon_fence"]
latex_engine = "xelatex"
latex_elements = {"fontpkg": r"\setmainfont{FreeSerif}\setsansfont{FreeSans}\setmonofont{FreeMono}", "maketitle": "", "tableofcontents": ""}
edition_essay_doc = "text"
edition_citation_key = "test-apparatus"
edition_bibtex_title = "A Test: Of the Apparatus"
edition_bib_edition = "test ed."
edition_original_dateline = "Updated: Jun 1"
edition_original_month_day = (6, 1)
