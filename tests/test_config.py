"""The edition's settings: one dataclass, every value checked when conf.py is read."""

from __future__ import annotations

import dataclasses

import pytest
from sphinx.errors import ConfigError

from scholarly_edition.config import EditionConfig, SettingError

BAD = [
    ("date", "2026-13-45", "not a date of the calendar"),
    ("date", "2020-02-30", "not a date of the calendar"),
    ("author", {"given": "Jane"}, "'given' and 'family'"),
    ("original_month_day", (2, 30), "a day of the year"),
    ("csl_style", "no-such-style", "no official CSL style"),
    ("cite_styles", [("x", "X", "no-such-style")], "no official CSL style"),
    ("cite_styles", [("x", "X")], "is not (slug, label, CSL style id)"),
    ("download_stem", "../elsewhere", "a file name"),
    ("language", "English", "BCP 47"),
    ("foreign_languages", {"Russian": "russian"}, "BCP 47"),
    ("copy_text", "/etc/passwd", "relative to the source folder"),
    ("csl_style", "/etc/style.csl", "relative to the source folder"),
    ("bundle_css", "yes", "True or False"),
]


def test_the_defaults_are_a_valid_edition() -> None:
    assert EditionConfig().citation_lang == "en-GB"  # the citations speak the edition's language


def test_every_setting_has_a_check_and_help() -> None:
    for spec in dataclasses.fields(EditionConfig):
        assert callable(spec.metadata["validator"]) and spec.metadata["help"], spec.name


@pytest.mark.parametrize(("name", "value", "says"), BAD, ids=[f"{n}={v!r}" for n, v, _ in BAD])
def test_a_bad_value_is_refused_naming_setting_and_value(name: str, value: object, says: str) -> None:
    with pytest.raises(SettingError) as caught:
        EditionConfig(**{name: value})
    assert str(caught.value).startswith(f"edition_{name} = {value!r}: ")
    assert says in str(caught.value)


def test_the_bibtex_title_must_spell_the_title() -> None:
    with pytest.raises(SettingError, match="does not spell the title 'A Test: Of It'"):
        EditionConfig(title="A Test", subtitle="Of It", bibtex_title="A test: Of {Them}")
    EditionConfig(title="A Test", subtitle="Of It", bibtex_title="A test: Of {It}")


@pytest.mark.sphinx("html", testroot="notes", confoverrides={"edition_date": "2020-02-30"})
def test_sphinx_stops_when_conf_py_is_read(make_app, app_params) -> None:
    args, kwargs = app_params
    with pytest.raises(ConfigError, match=r"conf\.py: edition_date = '2020-02-30': not a date of the calendar"):
        make_app(*args, **kwargs)


@pytest.mark.sphinx("html", testroot="notes", confoverrides={"edition_csl_style": "_styles/none.csl"})
def test_a_style_file_that_is_not_there_stops_the_build(make_app, app_params) -> None:
    args, kwargs = app_params
    with pytest.raises(ConfigError, match=r"conf\.py: edition_csl_style = '_styles/none\.csl': no such style file in "):
        make_app(*args, **kwargs)


def test_a_style_file_is_found_in_the_sources(tmp_path) -> None:
    """An official style is named by its id; the edition's own by its path, from the source folder."""
    assert EditionConfig(csl_style="chicago-notes-bibliography").csl_style_file(tmp_path) is None
    assert EditionConfig(csl_style="_styles/house.csl").csl_style_file(tmp_path) == tmp_path / "_styles" / "house.csl"
