extensions = ["myst_parser", "sphinxcontrib.bibtex", "sphinx_copybutton", "scholarly_edition"]
bibtex_bibfiles = ["refs.bib"]
project = "A Test Edition"
exclude_patterns = ["_build"]
html_static_path = ["_static"]
html_css_files = ["extra.css", ("print.css", {"media": "print"})]
