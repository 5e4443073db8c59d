"""How to cite the essay: its record and its citations in three styles.

After all documents are read, this module builds the essay's record
(:mod:`edition.essay_record`) from ``conf.py``, then formats it with the
CSL processor (:mod:`edition.citeproc`) in each style of
``edition_cite_styles``: one pandoc run per style, the runs side by side in
threads, each cached on disk like the notes. The Chicago run also formats
one full note per numbered paragraph, each citing that paragraph and its
permalink, for the paragraph citation control.

The result, in ``env.edition_citing``, feeds the "Cite this edition" page,
the paragraph controls, the page metadata and the exports, so that all of
them cite the same record.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.errors import ConfigError, SphinxError

from . import citeproc, exports, essay_record, hosting, notes

DEFAULT_STYLES = (
    ("chicago", "Chicago", "chicago-notes-bibliography"),
    ("apa", "APA", "apa"),
    ("mla", "MLA", "modern-language-association"),
)
"""``(slug, label, CSL style id)``: the styles the cite page shows, first one the note style
whose notes the paragraph control copies."""

EXAMPLE_PARAGRAPH = 3
"""The paragraph the cite page's locator examples point to (or the last, if fewer)."""


class CitingError(SphinxError):
    category = "Citation error"


def metadata(config: Config) -> essay_record.EditionMetadata:
    """The edition metadata of ``conf.py``, checked."""
    author = config.edition_author
    meta = essay_record.EditionMetadata(
        key=config.edition_citation_key,
        title=f"{config.edition_title}: {config.edition_subtitle}" if config.edition_subtitle else config.edition_title,
        bibtex_title=config.edition_bibtex_title,
        bibtex_shorttitle=config.edition_bibtex_shorttitle,
        author_given=author["given"],
        author_family=author["family"],
        date=config.edition_date,
        version=config.version,
        edition=config.edition_bib_edition,
        language=config.edition_language,
        original_dateline=config.edition_original_dateline,
        original_month_day=tuple(config.edition_original_month_day),
    )
    try:
        essay_record.check_key(meta.key)
        essay_record.check(meta)
    except essay_record.RecordError as exc:
        raise ConfigError(f"conf.py: {exc}") from None
    return meta


def html_uri(config: Config, docname: str) -> str:
    """The HTML page of ``docname``, relative to the HTML root, in every builder."""
    suffix = config.html_link_suffix if config.html_link_suffix is not None else (config.html_file_suffix or ".html")
    return docname + suffix


@cache
def style_title(style: str) -> str:
    """The official style's own name, from its ``<info><title>``."""
    root = ET.parse(citeproc.style_path(style)).getroot()
    title = root.find("{http://purl.org/net/xbiblio/csl}info/{http://purl.org/net/xbiblio/csl}title")
    return title.text.strip() if title is not None and title.text else style


def paragraph_count(env: BuildEnvironment, docname: str) -> int:
    return getattr(env, "edition_paragraphs", {}).get(docname, 0)


def _run_style(
    slug: str,
    label: str,
    style: str,
    item: dict[str, Any],
    paragraph_items: list[dict[str, Any]],
    example: int,
    lang: str,
    cache_dir: Path,
) -> dict[str, Any]:
    key = item["id"]
    items = [item, *paragraph_items]
    cites = [citeproc.Cite(key)]
    if paragraph_items:
        # One item per paragraph, so that each note is a first, full note.
        # The locator example is then one of these notes: a short note of
        # the essay beside them would be ambiguous with them, and the
        # processor would rightly lengthen it to tell them apart.
        cites += [citeproc.Cite(p["id"], f"para. {n}") for n, p in enumerate(paragraph_items, start=1)]
    elif example:
        cites.append(citeproc.Cite(key, f"para. {example}"))
    try:
        result = citeproc.render(items, cites, style=style, lang=lang, cache_dir=cache_dir)
    except citeproc.CiteprocError as exc:
        raise CitingError(f"{style}: {exc}") from None
    paragraphs = result.notes[1:] if paragraph_items else []
    if paragraphs:
        locator = paragraphs[example - 1]
    else:
        locator = result.notes[1] if example else None
    return {
        "slug": slug,
        "label": label,
        "style": style,
        "title": style_title(style),
        "bibliography": result.bibliography[key],
        "citation": result.notes[0],
        "locator_citation": locator,
        "paragraphs": paragraphs,
    }


def enabled(config: Config) -> bool:
    """Citing is on for a project that names its essay (``edition_essay_doc``)."""
    return bool(config.edition_essay_doc)


def compute(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Build the record and format it in every style, once per build."""
    config = app.config
    if not enabled(config):
        env.edition_citing = None
        return []
    meta = metadata(config)
    essay_doc = config.edition_essay_doc
    uri = html_uri(config, essay_doc)
    essay_url = hosting.absolute(config, uri)
    original = essay_record.original_date(notes.csl_items(env), meta.original_month_day)
    records = essay_record.entries(meta, original, essay_url)
    try:
        items = essay_record.csl_items(records)
    except essay_record.bibtex_csl.BibTeXToCSLError as exc:
        raise ConfigError(f"conf.py: the edition's record: {exc}") from None
    edition_item = items[0]
    count = paragraph_count(env, essay_doc)
    example = min(EXAMPLE_PARAGRAPH, count)
    paragraph_items = []
    for number in range(1, count + 1):
        p_item = dict(edition_item, id=f"{meta.key}-p{number}")
        permalink = hosting.absolute(config, f"{uri}#p-{number}")
        if permalink:
            p_item["URL"] = permalink
        paragraph_items.append(p_item)
    styles = list(config.edition_cite_styles)
    cache_dir = Path(app.doctreedir) / "citeproc"
    with ThreadPoolExecutor(max_workers=len(styles)) as pool:
        futures = [
            pool.submit(
                _run_style,
                slug,
                label,
                style,
                edition_item,
                paragraph_items if index == 0 else [],
                example,
                config.edition_cite_lang,
                cache_dir,
            )
            for index, (slug, label, style) in enumerate(styles)
        ]
        formatted = [f.result() for f in futures]
    env.edition_citing = {
        "key": meta.key,
        "title": meta.title,
        "author": {"given": meta.author_given, "family": meta.author_family},
        "date": meta.date,
        "version": meta.version,
        "language": meta.language,
        "items": items,
        "bibtex": exports.bibtex([(meta.key, records[meta.key])]),
        "styles": formatted,
        "example_paragraph": example,
        "paragraph_count": count,
        "essay_doc": essay_doc,
        "essay_uri": uri,
        "essay_url": essay_url,
        "original": {
            "dateline": meta.original_dateline,
            "date": original.date.isoformat() if original.date else None,
            "latest_access": original.latest_access.isoformat() if original.latest_access else None,
            "note": essay_record.inference_note(meta, original),
        },
    }
    return [doc for doc in env.found_docs if doc == essay_doc or doc in getattr(env, "edition_cite_docs", set())]


METADATA_DEFAULTS: tuple[tuple[str, Any], ...] = (
    ("edition_title", ""),
    ("edition_subtitle", ""),
    ("edition_author", {"given": "", "family": ""}),
    ("edition_date", "1970-01-01"),
    ("edition_identifier", ""),
)
"""Edition metadata that other modules read too; registered by whichever comes first."""


def setup(app: Sphinx) -> None:
    for name, default in METADATA_DEFAULTS:
        if name not in app.config:
            app.add_config_value(name, default, "env", type(default))
    app.add_config_value("edition_citation_key", "edition", "env", str)
    app.add_config_value("edition_bibtex_title", "", "env", str)
    app.add_config_value("edition_bibtex_shorttitle", "", "env", str)
    app.add_config_value("edition_bib_edition", "", "env", str)
    app.add_config_value("edition_original_dateline", "", "env", str)
    app.add_config_value("edition_original_month_day", (1, 1), "env", (tuple, list))
    app.add_config_value("edition_essay_doc", "", "env", str)
    app.add_config_value("edition_cite_styles", DEFAULT_STYLES, "env", (tuple, list))
    app.add_config_value("edition_cite_lang", "en-US", "env", str)
    app.connect("env-updated", compute, priority=600)
