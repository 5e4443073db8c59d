"""The export files on a small test root, and the pure functions behind them."""

from __future__ import annotations

import json

import pytest
import rispy
from pybtex.database import parse_file, parse_string
from sphinx.errors import ConfigError

from scholarly_edition.bibliography import bibtex_export, exports, ris
from scholarly_edition.bibliography import record as essay_record
from scholarly_edition.citing import exports as export_files

FILES = ("references.json", "essay.json", "references.bib", "references.ris")


@pytest.mark.sphinx("html", testroot="citing")
def test_the_html_build_writes_four_valid_exports(app, warning) -> None:
    app.build()
    assert not warning.getvalue()
    for name in FILES:
        assert (app.outdir / name).stat().st_size > 0, name
    references = json.loads((app.outdir / "references.json").read_text("utf-8"))
    essay = json.loads((app.outdir / "essay.json").read_text("utf-8"))
    exports.validate_csl(references, "references.json")
    exports.validate_csl(essay, "essay.json")
    assert [i["id"] for i in references] == ["smith2000", "body2010", "tricky2021"]
    assert references[1]["accessed"] == {"date-parts": [[2023, 12, 1]]}
    assert references[1]["URL"] == "https://example.org/report?a=1&b=2"


@pytest.mark.sphinx("html", testroot="citing")
def test_essay_json_has_this_edition_and_the_original_with_an_approximate_date(app, warning) -> None:
    app.build()
    edition, original = json.loads((app.outdir / "essay.json").read_text("utf-8"))
    assert edition["id"] == "example-moscow" and edition["type"] == "book"
    assert edition["author"] == [{"family": "Example", "given": "Ann"}]
    assert "version" not in edition and edition["edition"] == "test ed., version 2.1"
    assert edition["issued"] == {"date-parts": [[2024, 3, 5]]}
    # the latest access date is 1 Dec 2023, so "Mar 3" is taken as 3 March 2024, approximately
    assert edition["original-date"] == {"date-parts": [[2024, 3, 3]], "circa": True}
    assert original["id"] == "example-moscow-original" and original["type"] == "webpage"
    assert original["issued"] == {"date-parts": [[2024, 3, 3]], "circa": True}
    assert "“Posted: Mar 3”, without a year" in original["note"]
    assert "URL" not in edition, "no base URL configured: no URL is invented"


@pytest.mark.sphinx("html", testroot="citing", confoverrides={"html_baseurl": "https://edition.example.org/v2"})
def test_with_a_base_url_the_record_names_the_essay_page(app, warning) -> None:
    app.build()
    edition = json.loads((app.outdir / "essay.json").read_text("utf-8"))[0]
    assert edition["URL"] == "https://edition.example.org/v2/essay.html"


def test_read_the_docs_canonical_url_is_used_when_html_baseurl_is_unset(
    make_app, rootdir, tmp_path, monkeypatch
) -> None:
    import shutil

    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-citing", src)
    monkeypatch.setenv("READTHEDOCS_CANONICAL_URL", "https://rtd.example.org/en/latest/")
    app = make_app("html", srcdir=src)
    app.build()
    edition = json.loads((app.outdir / "essay.json").read_text("utf-8"))[0]
    assert edition["URL"] == "https://rtd.example.org/en/latest/essay.html"


def test_a_relative_base_url_is_refused(make_app, rootdir, tmp_path) -> None:
    import shutil

    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-citing", src)
    with pytest.raises(ConfigError, match="html_baseurl = '/edition/'"):
        make_app("html", srcdir=src, confoverrides={"html_baseurl": "/edition/"})


@pytest.mark.sphinx("html", testroot="citing")
def test_bibtex_round_trips_through_pybtex_in_the_fields_clients_read(app, warning) -> None:
    app.build()
    exported = parse_file(app.outdir / "references.bib")
    source = parse_file(app.srcdir / "refs.bib")
    # the essay first, as this edition and as the original page, then every work of refs.bib
    assert list(exported.entries) == ["example-moscow", "example-moscow-original", *source.entries]
    edition = exported.entries["example-moscow"]
    assert edition.type == "book" and exported.entries["example-moscow-original"].type == "online"
    # no version on a @book (citation-js reads it as software), and a language biblatex knows
    assert "version" not in edition.fields and edition.fields["edition"] == "test ed., version 2.1"
    assert (edition.fields["langid"], edition.fields["language"]) == ("british", "english")
    for key, entry in source.entries.items():
        back = exported.entries[key]
        expected = bibtex_export.for_clients(key, entry)
        assert (back.type, dict(back.fields)) == (expected.type, dict(expected.fields)), key
        assert {r: [str(p) for p in ps] for r, ps in back.persons.items()} == {
            r: [str(p) for p in ps] for r, ps in entry.persons.items()
        }
    assert exported.entries["smith2000"].fields["publisher"] == "{Example Press}"
    assert exported.entries["tricky2021"].fields["entrysubtype"] == "newspaper"


@pytest.mark.sphinx("html", testroot="citing")
def test_ris_parses_with_rispy(app, warning) -> None:
    app.build()
    records = rispy.loads((app.outdir / "references.ris").read_text("utf-8"), mapping=dict(ris.MAPPING))
    assert not any("id" in r for r in records)  # no old-specification ID: see ris.item_to_ris
    edition, original, book, online, news = records
    assert edition["type_of_reference"] == "BOOK" and edition["edition"] == "test ed., version 2.1"
    assert original["type_of_reference"] == "ELEC" and original["authors"] == ["Example, Ann"]
    assert book["type_of_reference"] == "BOOK" and book["authors"] == ["Smith, Jane"]
    assert book["title"] == "A book about Moscow" and book["place_published"] == "London"
    assert online["type_of_reference"] == "ELEC" and online["authors"] == ["Institute of Examples"]
    # a web page's access date in M1, a newspaper article in old-specification tags only
    assert online["note"] == "2023/12/01/" and online["urls"] == ["https://example.org/report?a=1&b=2"]
    assert news["type_of_reference"] == "NEWS" and news["first_authors"] == ["Doe, John"]
    assert news["publication_year"] == "2021/02/03/" and "date" not in news and "year" not in news
    assert edition["extra"] == "Original Date: 2024-03-03" and "original_publication" not in edition


@pytest.mark.sphinx("html", testroot="citing")
def test_a_failed_build_writes_no_exports(app, warning) -> None:
    app.build()
    for name in FILES:
        (app.outdir / name).unlink()
    export_files.write(app, RuntimeError("the build failed"))
    assert not any((app.outdir / name).exists() for name in FILES)
    export_files.write(app, None)
    assert all((app.outdir / name).exists() for name in FILES)


def test_invalid_csl_json_names_the_file_and_the_item() -> None:
    items = [{"id": "good", "type": "book", "title": "T"}, {"id": "bad", "type": "no-such-type", "title": "T"}]
    with pytest.raises(exports.ExportError, match=r"references\.json: item 'bad', type: 'no-such-type' is not one of"):
        exports.validate_csl(items, "references.json")
    exports.validate_csl(items[:1], "references.json")


def test_csl_json_text_keeps_every_value() -> None:
    items = [
        {
            "id": "a",
            "type": "book",
            "title": '[1, 2] and "quotes"',
            "issued": {"date-parts": [[2020, 1, 2]], "circa": True},
        }
    ]
    text = exports.csl_json(items)
    assert '"date-parts": [[2020, 1, 2]]' in text
    assert json.loads(text) == items


def test_bibtex_writer_keeps_urls_and_braces_as_parsed() -> None:
    source = parse_string(
        "@online{k, author = {{A Body}}, title = {On {Moscow}}, url = {https://x.org/a_b?c=1&d=2}}", "bibtex"
    )
    text = exports.bibtex(source.entries.items())
    back = parse_string(text, "bibtex").entries["k"]
    assert back.fields["url"] == "https://x.org/a_b?c=1&d=2"
    assert back.fields["title"] == "On {Moscow}"
    assert str(back.persons["author"][0]) == "{A Body}"


def test_ris_refuses_what_it_cannot_carry() -> None:
    with pytest.raises(ris.RISError, match="k: no RIS tag for version"):
        ris.dumps([{"id": "k", "type": "book", "title": "T", "version": "2"}])


def test_the_original_year_follows_the_latest_access_date() -> None:
    items = [{"accessed": {"date-parts": [[2020, 5, 9]]}}, {"accessed": {"date-parts": [[2020, 4, 15]]}}, {}]
    found = essay_record.original_date(items, (6, 1))
    assert str(found.date) == "2020-06-01" and str(found.latest_access) == "2020-05-09"
    assert str(essay_record.original_date(items, (3, 1)).date) == "2021-03-01"
    assert essay_record.original_date([{}], (6, 1)).date is None


def test_bibtex_for_clients_writes_what_every_client_reads() -> None:
    source = parse_string(
        """
        @online{site, title = {A page}, maintitle = {The Site}, url = {https://x.org/}}
        @video{clip, title = {A clip}, type = {video}, publisher = {Agency and Partners}, date = {2017-01-18}}
        @report{body, author = {{A and B Programme}}, title = {R}, institution = {A and B Programme}}
        @article{news, author = {Doe, J.}, title = {T}, journaltitle = {The Paper}, entrysubtype = {newspaper}}
        """,
        "bibtex",
    )
    out = dict(bibtex_export.entries_for_clients(source.entries.items()))
    assert out["site"].type == "online" and "maintitle" not in out["site"].fields
    assert (out["site"].fields["organization"], out["site"].fields["booktitle"]) == ("{The Site}", "The Site")
    clip = out["clip"]
    assert clip.type == "online" and clip.fields["type"] == "video" and "publisher" not in clip.fields
    assert clip.fields["organization"] == "{Agency and Partners}"  # one body, not two
    assert out["body"].fields["institution"] == "{A and B Programme}"
    assert out["news"].fields["entrysubtype"] == "newspaper"  # biblatex-chicago maps it to magazine itself
    assert bibtex_export.braced("{A} and {B}") == "{{A} and {B}}" and bibtex_export.braced("{A B}") == "{A B}"


def test_bibtex_for_clients_refuses_a_language_biblatex_would_print_as_a_tag() -> None:
    entry = parse_string("@book{k, title = {T}, language = {tlh}}", "bibtex").entries["k"]
    with pytest.raises(bibtex_export.BibTeXExportError, match="k: language 'tlh' has no biblatex language name"):
        bibtex_export.for_clients("k", entry)
    book = parse_string("@book{k, title = {T}, edition = {2nd}, version = {1.1}, language = {en-US}}", "bibtex")
    out = bibtex_export.for_clients("k", book.entries["k"])
    assert "version" not in out.fields and out.fields["edition"] == "2nd, version 1.1"
    assert (out.fields["langid"], out.fields["language"]) == ("american", "english")
