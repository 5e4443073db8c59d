"""Sphinx configuration: the edition's metadata, and how each format is built.

Everything said about the edition itself (title, author, version, date,
identifier) is set once here; the pages, the PDF and EPUB metadata and the
citation exports read it from here.
"""

from __future__ import annotations

# -- The edition ---------------------------------------------------------------

edition_title = "The Radicalisation Enigma"
edition_subtitle = "The Question of Islamic Migrant Extremism in Russia and Central Asia"
edition_author = {"given": "Issy", "family": "Williams"}
edition_contributors = "the Radicalisation Enigma edition project"
edition_statement = "A scholarly edition"
version = "1.0.0"
release = version
edition_date = "2026-11-25"
edition_download_stem = "radicalisation-enigma"
edition_identifier = "urn:uuid:7f3c9a2e-5b1d-4e8a-9c6f-2d4b8e1a0f37"
edition_language = "en-GB"
edition_foreign_languages = {"ru": "russian", "de": "german"}
# The notes' style: the official Chicago access-dates style, changed so that no note loses a fact its
# source gives (edition/_styles/chicago-notes-bibliography-all-facts.md lists the changes).
edition_csl_style = "_styles/chicago-notes-bibliography-all-facts.csl"

# How the essay itself is cited (scholarly_edition.citing). The
# title is stored as citation software wants it: in sentence case with proper
# nouns braced, since CSL styles can title-case a title (Chicago, MLA) but not
# sentence-case one (APA); the build checks it spells the title above.
edition_essay_doc = "essay"  # the page whose paragraphs are numbered and which the citations name
edition_citation_key = "williams-radicalisation-enigma"
edition_bibtex_title = (
    "The radicalisation enigma: The question of {Islamic} migrant extremism in {Russia} and {Central Asia}"
)
edition_bibtex_shorttitle = "Radicalisation enigma"
edition_bib_edition = "scholarly ed."  # the edition statement as all three styles abbreviate it
edition_original_dateline = "Updated: Jun 1"  # the original page's only date, as the copy-text prints it
edition_original_month_day = (6, 1)  # that date; its year is inferred, never stated
# the site the essay first appeared on, as far as the copy-text names it: by its tagline alone
edition_original_site = "The student project covering international relations and foreign affairs"
edition_subject = (
    "The radicalisation of Central Asian labour migrants in Russia, and how Russia and the Central Asian states respond"
)
edition_keywords = [
    "radicalisation",
    "extremism",
    "labour migration",
    "Central Asia",
    "Russia",
    "Islamic State",
    "counter-extremism",
]

project = f"{edition_title}: {edition_subtitle}"
author = f"{edition_author['given']} {edition_author['family']}"
# The essay is the author's, with no year the copy-text does not give; the year is this edition's.
copyright = f"{author} (the essay); {edition_date[:4]}, {edition_contributors} (the edition: CC BY 4.0, code MIT)"
language = edition_language.replace("-", "_")  # Sphinx wants the POSIX form; it writes lang="en-GB"

# -- Sources -------------------------------------------------------------------

extensions = [
    "myst_parser",
    "sphinxcontrib.bibtex",
    "sphinx_copybutton",
    "sphinxext.opengraph",
    "scholarly_edition",
]
root_doc = "index"
source_suffix = {".md": "markdown"}
exclude_patterns = ["_copytext", "_styles", "_templates"]
templates_path = ["edition/_templates"]  # furo's page without its "Made with" line (the About page credits the tools)
myst_enable_extensions = ["colon_fence", "deflist", "smartquotes"]
myst_heading_anchors = 3
bibtex_bibfiles = ["refs.bib"]
bibtex_encoding = "utf-8"
smartquotes = False
nitpicky = True

# -- HTML ----------------------------------------------------------------------

html_theme = "furo"
html_title = edition_title
html_static_path = ["_static"]
html_css_files = ["edition.css"]
html_favicon = "_static/favicon.svg"
html_sidebars = {
    "**": [
        "sidebar/brand.html",
        "sidebar/search.html",
        "sidebar/scroll-start.html",
        "sidebar/navigation.html",
        "sidebar/downloads.html",
        "sidebar/scroll-end.html",
    ]
}
html_show_sourcelink = False
html_show_sphinx = False  # the tools are credited on the About page, not as a "Made with" line on every page
html_copy_source = False
html_last_updated_fmt = None
copybutton_selector = "div.highlight pre"
# Absolute URLs come only from html_baseurl or, on Read the Docs, from
# READTHEDOCS_CANONICAL_URL (scholarly_edition.citing.hosting); without either, none is printed.
ogp_social_cards = {"enable": False}

# -- EPUB ----------------------------------------------------------------------

epub_title = project
epub_author = author
epub_language = edition_language
epub_publisher = edition_contributors
epub_contributor = edition_contributors
epub_copyright = copyright
epub_description = edition_subject
epub_identifier = edition_identifier
epub_scheme = "uuid"
epub_uid = "edition-uid"  # an XML id; toc.ncx gets the identifier itself (scholarly_edition.formats.epub)
epub_basename = edition_download_stem
epub_show_urls = "no"
epub_exclude_files = ["search.html"]
epub_css_files: list[str] = []  # the EPUB links its own stylesheet, not the web's (scholarly_edition.formats.epub)
# The EPUB's cover is drawn from the title page at build time (scholarly_edition.formats.epubcover).
# Its accessibility metadata is worked out from the built book; the WCAG claim is made here, and only
# once the book meets it: tests/test_epub.py checks what a machine can (every foreign phrase in its
# language, every heading marked up as one) before a claim passes. Empty: no claim.
edition_epub_conforms_to = ""

# -- LaTeX / PDF ---------------------------------------------------------------

latex_engine = "xelatex"
latex_documents = [
    (root_doc, f"{edition_download_stem}.tex", project, author, "howto", False),
]
latex_show_urls = "no"
latex_elements = {
    "papersize": "a4paper",
    "pointsize": "11pt",
    # one-sided, so the paragraph numbers stand in the same (left) margin on every page
    "classoptions": ",oneside",
    # the page of an essay (scholarly_edition/formats/editiondesign.sty has the rest): a measure of
    # some 70 characters, room in the left margin for the paragraph numbers, black headings and
    # links, and code without frame, background or turn-over hints (a wrapped line goes on indented)
    "sphinxsetup": (
        "hmargin={40mm,40mm}, vmargin={32mm,36mm}, marginpar=16mm,"
        " TitleColor={rgb}{0,0,0}, InnerLinkColor={rgb}{0,0,0}, OuterLinkColor={rgb}{0,0,0},"
        r" HeaderFamily=\rmfamily, pre_border-width=0pt, pre_border-radius=0pt, pre_padding=0pt,"
        r" pre_background-TeXcolor={rgb}{1,1,1}, verbatimhintsturnover=false,"
        r" verbatimcontinued={\makebox[8\fontcharwd\font`\x]{}}, verbatimvisiblespace={\ }"
    ),
    "polyglossia": r"""
\usepackage{polyglossia}
\setmainlanguage[variant=british]{english}
\setotherlanguage{russian}
\setotherlanguage{german}
""",
    # the fonts are set in the preamble below, after the part a precompiled format can hold
    "fontpkg": "",
    "figure_align": "H",
    # Sphinx's own hyperref set-up, plus the PDF's subject and keywords (title and author it sets itself)
    "hyperref": rf"""
\usepackage{{hyperref}}
\usepackage{{hypcap}}
\urlstyle{{same}}
\hypersetup{{pdfsubject={{{edition_subject}}}, pdfkeywords={{{", ".join(edition_keywords)}}}}}
""",
    # its first line ends what a precompiled format of the preamble holds (editiondesign.sty says how);
    # the fonts follow it, as XeTeX cannot keep a system font in a format
    "preamble": r"""
\EditionKeepPreamblePage\csname endofdump\endcsname\EditionPutBackPreamblePage
\setmainfont{FreeSerif}
\setsansfont{FreeSans}
\setmonofont{FreeMono}[HyphenChar=None]
\newfontfamily\cyrillicfont{FreeSerif}
""",
    "printindex": r"\printindex",  # two balanced columns in the body face (editiondesign.sty)
    # the title page, then the contents, come from edition/index.md (scholarly_edition.citing.titlepage)
    "maketitle": "",
    "tableofcontents": "",
}
