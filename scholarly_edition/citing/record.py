"""How to cite the essay: its record and its citations in three styles.

After all documents are read, this module builds the essay's record
(:mod:`scholarly_edition.bibliography.record`) from ``conf.py``, then
formats it with the CSL processor in each style of ``edition_cite_styles``:
one pandoc run per style, the runs side by side in threads, each cached on
disk like the notes. The first style also formats one full note per
numbered paragraph, each citing that paragraph and its permalink, for the
paragraph citation control.

The result (:class:`~scholarly_edition.citing.domain.Citing`) feeds the
"Cite this edition" page, the paragraph controls, the title page, the page
metadata and the exports, so that all of them cite the same record.
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

from scholarly_edition import ids
from scholarly_edition.bibliography import bibtex_export, citeproc
from scholarly_edition.bibliography import record as essay_record
from scholarly_edition.bibliography.bibtex_csl import BibTeXToCSLError
from scholarly_edition.bibliography.exports import bibtex
from scholarly_edition.citing import hosting
from scholarly_edition.citing.domain import Citing, OriginalDate, StyleCitation, citing_domain
from scholarly_edition.config import EditionConfig, settings
from scholarly_edition.errors import EditionError
from scholarly_edition.problems import Problem
from scholarly_edition.text.domain import text_domain
from scholarly_edition.text.works import csl_items

EXAMPLE_PARAGRAPH = 3
"""The paragraph the cite page's locator examples point to (or the last, if fewer)."""


def metadata(config: Config, edition: EditionConfig) -> essay_record.EditionMetadata:
    """The edition metadata of ``conf.py``, as the record reads it."""
    return essay_record.EditionMetadata(
        key=edition.citation_key,
        title=edition.full_title,
        bibtex_title=edition.bibtex_title or edition.full_title,
        bibtex_shorttitle=edition.bibtex_shorttitle,
        author_given=edition.author["given"],
        author_family=edition.author["family"],
        date=edition.date,
        version=config.version,
        edition=edition.bib_edition,
        language=edition.language,
        original_dateline=edition.original_dateline,
        original_month_day=(edition.original_month_day[0], edition.original_month_day[1]),
        original_site=edition.original_site,
    )


def html_uri(config: Config, docname: str) -> str:
    """The HTML page of ``docname``, relative to the HTML root, in every builder."""
    suffix = config.html_link_suffix if config.html_link_suffix is not None else (config.html_file_suffix or ".html")
    return str(docname + suffix)


@cache
def style_title(style: str) -> str:
    """The official style's own name, from its ``<info><title>``."""
    root = ET.parse(citeproc.style_path(style)).getroot()
    title = root.find("{http://purl.org/net/xbiblio/csl}info/{http://purl.org/net/xbiblio/csl}title")
    return title.text.strip() if title is not None and title.text else style


def _run_style(
    slug: str,
    label: str,
    style: str,
    item: dict[str, Any],
    paragraph_items: list[dict[str, Any]],
    example: int,
    lang: str,
    cache_dir: Path,
) -> StyleCitation:
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
        raise EditionError(Problem.CITATION, f"edition_cite_styles: {style}: {exc}") from None
    paragraphs = result.notes[1:] if paragraph_items else []
    if paragraphs:
        locator: citeproc.Inlines | None = paragraphs[example - 1]
    else:
        locator = result.notes[1] if example else None
    return StyleCitation(
        slug, label, style, style_title(style), result.bibliography[key], result.notes[0], locator, paragraphs
    )


def compute(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Build the record and format it in every style, once per build (again only if what goes in changed).

    Returns the pages that show it (the essay's paragraph controls, the
    cite page), when it changed.
    """
    config = app.config
    edition = settings(config)
    domain = citing_domain(env)
    if not edition.essay_doc:  # citing is on for a project that names its essay
        domain.data["citing"] = None
        return []
    meta = metadata(config, edition)
    uri = html_uri(config, edition.essay_doc)
    essay_url = hosting.absolute(config, uri)
    count = text_domain(env).paragraph_count(edition.essay_doc)
    inputs = (meta, uri, essay_url, csl_items(env), count, list(edition.cite_styles), edition.citation_lang)
    if domain.citing is not None and domain.data.get("inputs") == inputs:
        return []  # formatted from the same record, works and paragraphs: nothing to do, no page to write
    original = essay_record.original_date(csl_items(env), meta.original_month_day)
    records = essay_record.entries(meta, original, essay_url)
    try:
        items = essay_record.csl_items(records)
        bib_block = bibtex(bibtex_export.entries_for_clients([(meta.key, records[meta.key])]))
    except (BibTeXToCSLError, bibtex_export.BibTeXExportError) as exc:
        raise EditionError(Problem.CONFIG, f"conf.py: the edition's record: {exc}") from None
    edition_item = items[0]
    example = min(EXAMPLE_PARAGRAPH, count)
    paragraph_items = []
    for number in range(1, count + 1):
        p_item = dict(edition_item, id=ids.paragraph_item(meta.key, number))
        permalink = hosting.absolute(config, f"{uri}#{ids.paragraph(number)}")
        if permalink:
            p_item["URL"] = permalink
        paragraph_items.append(p_item)
    styles = list(edition.cite_styles)
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
                edition.citation_lang,
                cache_dir,
            )
            for index, (slug, label, style) in enumerate(styles)
        ]
        formatted = [f.result() for f in futures]
    previous = domain.citing
    domain.data["citing"] = Citing(
        key=meta.key,
        title=meta.title,
        items=items,
        bibtex=bib_block,
        records=records,
        styles=formatted,
        example_paragraph=example,
        paragraph_count=count,
        essay_doc=edition.essay_doc,
        essay_uri=uri,
        essay_url=essay_url,
        original=OriginalDate(
            dateline=meta.original_dateline,
            date=original.date.isoformat() if original.date else None,
            latest_access=original.latest_access.isoformat() if original.latest_access else None,
            note=essay_record.inference_note(meta, original),
        ),
    )
    domain.data["inputs"] = inputs
    if domain.citing == previous:
        return []  # as the pages last written show it: an incremental build need not write them again
    return [doc for doc in env.found_docs if doc == edition.essay_doc or doc in domain.cite_docs]


def setup(app: Sphinx) -> None:
    app.connect("env-updated", compute, priority=600)
