"""The note mechanism on small test roots."""

from __future__ import annotations

import pytest
from docutils import nodes
from sphinx.errors import SphinxError


@pytest.mark.sphinx("html", testroot="notes")
def test_each_citation_is_its_own_numbered_note(app, warning) -> None:
    app.build()
    assert not warning.getvalue()
    doctree = app.env.get_and_resolve_doctree("index", app.builder, tags=app.tags)
    refs = list(doctree.findall(nodes.footnote_reference))
    notes = list(doctree.findall(nodes.footnote))
    assert [r.astext() for r in refs] == ["1", "2", "3"]
    assert [n["ids"][0] for n in notes] == ["note-1", "note-2", "note-3"]
    texts = [n.astext() for n in notes]
    # full form first, with its locator
    assert texts[0] == "1\n\nJane Smith, A Book About Moscow (Example Press, 2000), 4."
    assert texts[1].startswith("2\n\nInstitute of Examples, Report on Things")
    # the repeated work is its own note, in short form, with its own locator
    assert texts[2] == "3\n\nSmith, Book About Moscow, 140–41."


@pytest.mark.sphinx("html", testroot="notes")
def test_works_cited_lists_every_entry(app, warning) -> None:
    app.build()
    html = (app.outdir / "index.html").read_text("utf-8")
    assert 'id="work-smith2000"' in html
    assert 'id="work-body2010"' in html
    assert "Smith, Jane. <em>A Book About Moscow</em>" in html


@pytest.mark.sphinx("latex", testroot="notes")
def test_latex_notes_are_footnotes(app, warning) -> None:
    app.build()
    assert not warning.getvalue()
    tex = (app.outdir / "edition.tex").read_text("utf-8")
    assert tex.count(r"\begin{footnote}") == 3


@pytest.mark.sphinx("html", testroot="badkey")
def test_unknown_key_stops_the_build_naming_file_and_line(app, warning) -> None:
    with pytest.raises(SphinxError, match="cite unknown works"):
        app.build()
    message = warning.getvalue()
    assert "index.md:3" in message
    assert "unknown work 'nosuchwork'" in message
    assert "refs.bib" in message
