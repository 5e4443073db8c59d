"""Hostile and odd input: stopped at its file and line, or printed exactly as the input said it, and safe.

Each Sphinx case copies the second-essay root into a folder of its own,
breaks or bends one thing, and builds. A case that must stop expects one
line of the form ``FILE:LINE: ERROR: …`` naming the file, the place and
the key; a case that must build checks that what the input said is what
every format prints, with no live markup. The whole edition's bad-input
cases (the edition before stays byte-identical) are in test_bad_input.py.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html
from sphinx.errors import SphinxError

from scholarly_edition.apparatus.copytext import CopyText
from scholarly_edition.bibliography import bibtex_csl, ris
from scholarly_edition.build import latexlog
from scholarly_edition.problems import Finding
from scholarly_edition.text import bibcheck, encoding, notes, sources

ROOT = "second-essay"

# -- refs.bib text, decoded exactly or refused


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        (r"Law \& Order: 3 < 4", "Law & Order: 3 < 4"),
        (r"100\% of \$5 and \#1", "100% of $5 and #1"),
        ("one\n  line \\par two", "one line two"),
        (r"{Moscow} -- {Kazakhstan}", "Moscow – Kazakhstan"),
    ],
)
def test_latex_in_refs_bib_decodes_exactly(latex: str, text: str) -> None:
    assert bibtex_csl.latex_to_text(latex) == text
    assert bibtex_csl.strip_rich_text(bibtex_csl.latex_to_csl_rich_text(latex)) == text


@pytest.mark.parametrize(
    ("latex", "says"),
    [
        ("a bare % sign", "a bare %"),
        (r"\textit{Pravda}", "the LaTeX command"),
        ("<i>Pravda</i>", "markup in"),
        ("<script>alert(1)</script>", "markup in"),
        ("bell\x07", "control character"),
    ],
)
def test_what_refs_bib_text_cannot_say_is_refused(latex: str, says: str) -> None:
    with pytest.raises(bibtex_csl.BibTeXToCSLError, match=re.escape(says)):
        bibtex_csl.latex_to_text(latex)


@pytest.mark.parametrize("date", ["2020-13-45", "2020-02-30", "2021-02-29", "2020-13", "2020-00"])
def test_dates_are_days_of_the_calendar(date: str) -> None:
    with pytest.raises(bibtex_csl.BibTeXToCSLError, match="not a day of the calendar"):
        bibtex_csl.csl_date(date)
    assert bibtex_csl.csl_date("2020-02-29") == {"date-parts": [[2020, 2, 29]]}


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://example.org/a?b=1&c=2", True),
        ("http://example.org", True),
        ("javascript://%0Aalert(1)", False),
        ("JavaScript:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("//example.org/no-scheme", False),
        ("https://example.org/a b", False),
        ("https://example.org/\x00", False),
    ],
)
def test_only_http_urls_become_links(url: str, ok: bool) -> None:
    assert (bibcheck.url_problem(url) is None) is ok
    if not ok and "://" not in url[:12] and " " not in url:
        assert sources.link_problem(url) is not None


@pytest.mark.parametrize(
    ("key", "ok"), [("smith2000", True), ("a:b.c_d-e", True), ("-smith2000", False), ("smith 2000", False)]
)
def test_a_key_must_be_citable(key: str, ok: bool) -> None:
    assert bool(bibcheck.KEY.match(key)) is ok


def test_ris_cannot_be_forged_by_a_line_break() -> None:
    forged = {"id": "k", "type": "book", "title": "T\nER  - \n\nTY  - JOUR\nTI  - Forged"}
    with pytest.raises(ris.RISError, match="k: title has a line break"):
        ris.dumps([forged])
    # and refs.bib text never carries one: \par and newlines are one space
    assert "\n" not in bibtex_csl.latex_to_text("T \\par ER  - \n\nTY  - JOUR")


@pytest.mark.parametrize(
    ("citation", "ok"),
    [
        ("smith2000", True),
        ("smith2000, p. 4", True),
        ("smith2000, pp. 140–41", True),
        ("smith2000, pp. 3, 7–9", True),
        ("smith2000, p. xii", True),
        ("smith2000, p. 15–", False),
        ("smith2000, p. ,", False),
        ("smith2000, p. 4a", False),
        ("-smith2000", False),
    ],
)
def test_locators_are_parsed_strictly(citation: str, ok: bool) -> None:
    assert bool(notes._NOTE.match(citation)) is ok


def test_a_control_character_in_a_source_is_named_at_its_column(tmp_path: Path) -> None:
    page = tmp_path / "essay.md"
    page.write_text("# T\n\nA bell\x07 rings.\n", "utf-8")
    assert encoding.decode_problem(page, "utf-8-sig") == Finding(
        "a control character (U+0007); delete it", f"{page}:3:7"
    )


def test_a_character_the_pdf_fonts_lack_is_named_with_its_line(tmp_path: Path) -> None:
    log = "Missing character: There is no 😀 (U+1F600) in font FreeSerif/OT:script=latn;lan\ng:en;!\n"
    source = tmp_path / "essay.md"
    source.write_text("# T\n\nA smile 😀.\n", "utf-8")
    assert latexlog.problems(log, [source]) == [
        Finding("the PDF's font FreeSerif has no '😀' (U+1F600): the PDF would drop it", f"{source}:3")
    ]


# -- the essay and its sources, through Sphinx


def _edit(srcdir: Path, name: str, old: str, new: str) -> int:
    """Replace ``old`` once in ``srcdir/name``; return the line it was on."""
    path = srcdir / name
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} is not in {name}: the case needs updating"
    path.write_text(text.replace(old, new, 1), "utf-8")
    return text[: text.index(old)].count("\n") + 1


STOPS = {
    "javascript-url": (
        "works.bib",
        "url     = {https://example.org/aral}",
        "url     = {javascript://%0Aalert(1)}",
        r"works\.bib:10: ERROR: whish2014: url 'javascript://%0Aalert\(1\)' is not an http\(s\) URL",
    ),
    "data-url": (
        "works.bib",
        "url     = {https://example.org/aral}",
        "url     = {data:text/html,x}",
        r"works\.bib:10: ERROR: whish2014: url 'data:text/html,x' is not an http\(s\) URL",
    ),
    "doi-with-a-scheme": (
        "works.bib",
        "  volume       = {35},",
        "  volume       = {35},\n  doi          = {javascript:alert(1)},",
        r"works\.bib:1: ERROR: micklin2007: doi 'javascript:alert\(1\)' is not a DOI",
    ),
    "bare-percent": (
        "works.bib",
        "{The {Aral Sea} disaster}",
        "{The {Aral Sea} disaster 100% lost}",
        r"works\.bib:1: ERROR: micklin2007: .*a bare %",
    ),
    "impossible-date": (
        "works.bib",
        "date         = {2007}",
        "date         = {2007-02-30}",
        r"works\.bib:1: ERROR: micklin2007: date '2007-02-30' is not a day of the calendar",
    ),
    "impossible-urldate": (
        "works.bib",
        "urldate = {2024-12-01}",
        "urldate = {2024-13-45}",
        r"works\.bib:10: ERROR: whish2014: date '2024-13-45' is not a day of the calendar",
    ),
    "key-starting-with-a-dash": (
        "works.bib",
        "@online{whish2014,",
        "@online{-whish2014,",
        r"works\.bib:10: ERROR: -whish2014: the key must start with a letter or digit",
    ),
    "raw-html": (
        "essay.md",
        "The essay ends here.",
        'The essay <img src=x onerror="alert(1)"> ends here.',
        r"essay\.md:\d+: ERROR: raw html is not published",
    ),
    "ftp-link": (
        "essay.md",
        "The essay ends here.",
        "The essay [ends](ftp://example.org/x) here.",
        r"essay\.md:\d+: ERROR: the link 'ftp://example\.org/x' is not http\(s\)",
    ),
    "mailto-link": (
        "essay.md",
        "The essay ends here.",
        "The essay [ends](mailto:someone@example.org) here.",
        r"essay\.md:\d+: ERROR: the link 'mailto:someone@example\.org' is not http\(s\)",
    ),
    "open-locator": (
        "essay.md",
        "{note}`micklin2007, p. 48`",
        "{note}`micklin2007, p. 48–`",
        r"essay\.md:\d+: ERROR: malformed citation 'micklin2007, p. 48–'",
    ),
    "case-mismatched-key": (
        "essay.md",
        "{note}`whish2014`\n\nTravellers",
        "{note}`Whish2014`\n\nTravellers",
        r"essay\.md:\d+: ERROR: unknown work 'Whish2014'.*keys are case-sensitive: 'whish2014'\?",
    ),
    "note-outside-the-essay": (
        "commentary.md",
        "Aralsk and Moynaq among them.",
        "Aralsk and Moynaq among them.{note}`micklin2007`",
        r"commentary\.md:\d+: ERROR: a \{note\} is one of the author's notes",
    ),
    "note-the-copy-text-lacks": (
        "essay.md",
        "The essay ends here.",
        "The essay ends here.{note}`micklin2007, p. 60`",
        r"essay\.md:\d+: ERROR: note 5 is not in the copy-text, which has notes 1–4",
    ),
    "control-character": (
        "essay.md",
        "The essay ends here.",
        "The essay\x0b ends here.",
        r"essay\.md:\d+:\d+: ERROR: a control character \(U\+000B\)",
    ),
}


@pytest.mark.parametrize("case", STOPS)
def test_hostile_input_stops_the_build_at_its_line(case: str, make_app, sphinx_test_tempdir, rootdir) -> None:
    import io
    import shutil

    name, old, new, expected = STOPS[case]
    srcdir = sphinx_test_tempdir / f"hostile-{case}"
    shutil.rmtree(srcdir, ignore_errors=True)
    shutil.copytree(rootdir / f"test-{ROOT}", srcdir)
    line = _edit(srcdir, name, old, new)
    warning = io.StringIO()
    with pytest.raises(SphinxError):
        make_app("html", srcdir=srcdir, warning=warning).build()
    message = warning.getvalue()
    assert re.search(expected, message), f"expected {expected!r} in:\n{message}"
    found = next(m for m in message.splitlines() if re.search(expected, m))
    if ":\\d+:" not in expected and f"{name}:" in expected:
        assert f"{name}:{line}:" in found or name == "works.bib", found
    assert "Traceback" not in message and "<function" not in message


def test_a_missing_copy_text_names_the_setting(make_app, sphinx_test_tempdir, rootdir) -> None:
    import io
    import shutil

    srcdir = sphinx_test_tempdir / "hostile-no-copy-text"
    shutil.rmtree(srcdir, ignore_errors=True)
    shutil.copytree(rootdir / f"test-{ROOT}", srcdir)
    (srcdir / "_copytext" / "copy-text.txt").unlink()
    warning = io.StringIO()
    with pytest.raises(SphinxError):
        make_app("html", srcdir=srcdir, warning=warning).build()
    assert (
        "ERROR: conf.py: edition_copy_text = '_copytext/copy-text.txt': there is no copy-text at" in warning.getvalue()
    )


@pytest.mark.sphinx("html", testroot=ROOT, srcdir="hostile-javascript-link")
def test_a_javascript_link_in_the_essay_is_printed_as_text(app, warning) -> None:
    _edit(Path(app.srcdir), "essay.md", "The essay ends here.", "The essay [ends](javascript:alert(1)) here.")
    app.build()
    page = lxml_html.fromstring((app.outdir / "essay.html").read_bytes())
    assert not [href for href in page.xpath("//a/@href") if "javascript" in href.lower()]
    assert "The essay [ends](javascript:alert(1)) here." in " ".join(page.text_content().split())


@pytest.mark.sphinx("html", testroot=ROOT, srcdir="hostile-subheading")
def test_a_subheading_keeps_the_paragraph_numbering_whole(app, warning) -> None:
    _edit(Path(app.srcdir), "essay.md", "Travellers still call", "## A subheading\n\nTravellers still call")
    app.build()
    assert not warning.getvalue()
    page = lxml_html.fromstring((app.outdir / "essay.html").read_bytes())
    numbered = page.xpath("//p[contains(@class, 'numbered-paragraph')]/@id")
    assert numbered == ["p-1", "p-2", "p-3"]


@pytest.mark.sphinx(
    "html",
    testroot=ROOT,
    srcdir="hostile-title",
    confoverrides={"project": "Law & Order <b>bold</b>", "html_title": "Law & Order <b>bold</b>", "html_theme": "furo"},
)
def test_conf_py_names_are_text_wherever_the_theme_prints_them(app, warning) -> None:
    app.build()
    for page in ("index.html", "essay.html", "search.html"):
        root = lxml_html.fromstring((app.outdir / page).read_bytes())
        brands = root.xpath("//*[contains(@class, 'brand')]")
        assert brands and all(b.text_content().strip() == "Law & Order <b>bold</b>" for b in brands), page
        assert not root.xpath("//*[contains(@class, 'brand')]//b"), page
        assert root.xpath("//title/text()")[0].endswith("Law & Order <b>bold</b>"), page


@pytest.mark.sphinx(
    "epub", testroot=ROOT, srcdir="hostile-title-epub", confoverrides={"project": "Law & Order <b>bold</b>"}
)
def test_the_epub_stays_well_formed_with_markup_in_conf_py(app, warning) -> None:
    app.build()
    epub = next(Path(app.outdir).glob("*.epub"))
    with zipfile.ZipFile(epub) as book:
        for name in book.namelist():
            if name.endswith((".xhtml", ".opf", ".ncx")):
                etree.fromstring(book.read(name))  # raises on anything not well-formed


def test_what_refs_bib_says_is_what_the_notes_print(make_app, sphinx_test_tempdir, rootdir) -> None:
    import io
    import shutil

    srcdir = sphinx_test_tempdir / "hostile-ampersand"
    shutil.rmtree(srcdir, ignore_errors=True)
    shutil.copytree(rootdir / f"test-{ROOT}", srcdir)
    _edit(srcdir, "works.bib", "{The {Aral Sea} disaster}", r"{Law \& Order: 3 < 4 at \$5 and 100\%}")
    warning = io.StringIO()
    app = make_app("html", srcdir=srcdir, warning=warning)
    app.build()
    assert not warning.getvalue()
    page = lxml_html.fromstring((app.outdir / "essay.html").read_bytes())
    first = " ".join(page.xpath("//aside[contains(@class, 'author-note')]")[0].text_content().split())
    assert "“Law & Order: 3 < 4 at $5 and 100%,”" in first
    assert "&#" not in first and "\\" not in first


def test_copy_text_quotes_are_read_from_the_file(tmp_path: Path) -> None:
    path = tmp_path / "copy.txt"
    path.write_text("[1] A note.\n", "utf-8")
    assert CopyText.read(path).notes() == {1: "A note."}


@pytest.mark.sphinx("html", testroot="citing", srcdir="hostile-site-name", confoverrides={"project": "Law & Order <b>"})
def test_og_site_name_is_escaped(app, warning) -> None:
    app.build()
    head = lxml_html.fromstring((app.outdir / "essay.html").read_bytes()).find("head")
    assert head.xpath("meta[@property='og:site_name']/@content") == ["Law & Order <b>"]
    assert "&amp;" in (app.outdir / "essay.html").read_text("utf-8").split('og:site_name" content="')[1][:20]


@pytest.mark.sphinx("html", testroot="citing")
@pytest.mark.parametrize("setting", ["html_baseurl", "ogp_site_url"])
def test_a_base_url_must_be_http(setting: str, make_app, app_params) -> None:
    from sphinx.errors import ConfigError

    args, kwargs = app_params
    kwargs = {**kwargs, "confoverrides": {setting: "javascript://%0Aalert(1)/"}}
    with pytest.raises(
        ConfigError, match=rf"conf\.py: {setting} = 'javascript://%0Aalert\(1\)/': an absolute http\(s\) URL"
    ):
        make_app(*args, **kwargs)


@pytest.mark.slow
def test_an_emoji_the_pdf_fonts_lack_stops_the_build_at_its_line(tmp_path: Path, capfd) -> None:
    """xelatex drops a character its fonts lack and only logs it; the build reads the log and stops."""
    import shutil

    from scholarly_edition.build import BuildFailed, Project, build

    root = tmp_path / "second"
    shutil.copytree(Path(__file__).parent / "roots" / f"test-{ROOT}", root)
    line = _edit(root, "essay.md", "The essay ends here.", "The essay ends here 😀.")
    with pytest.raises(BuildFailed, match="fonts lack characters"):
        build(["pdf"], root / "_build", epoch="1700000000", project=Project.at(root))
    err = capfd.readouterr().err
    assert re.search(rf"essay\.md:{line}: ERROR: the PDF's font FreeSerif has no '😀' \(U\+1F600\)", err), err
