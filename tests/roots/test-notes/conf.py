extensions = ["myst_parser", "sphinxcontrib.bibtex", "scholarly_edition"]
bibtex_bibfiles = ["refs.bib"]
edition_csl_style = "chicago-notes-bibliography"
exclude_patterns = ["_build"]
