"""refs.bib's entries as ``references.bib`` writes them: read alike by every client.

Pure functions, no Sphinx. ``refs.bib`` records each work in biblatex's own
terms (``entrysubtype = {newspaper}``, a web site in ``maintitle``,
``@video``, ``language = {en-GB}``), which the edition's CSL converter reads
exactly. The clients a reader imports ``references.bib`` into read less, and
each reads a different part of it:

- Zotero's BibTeX translator (zotero/translators, ``BibTeX.js``) ignores
  ``entrysubtype`` and ``maintitle`` and ``langid``; it reads
  ``journaltitle`` and ``booktitle`` as the publication (its
  ``inputFieldMap``), ``organization`` and ``institution`` as the publisher,
  splits names on an unbraced "and", and types ``@online`` as a web page
  and ``@video`` as a video recording.
- biber and biblatex's standard styles have no driver for ``@video`` (a
  warning, and nothing printed but the title), print ``organization`` for
  ``@online`` but not ``maintitle``, split ``institution``,
  ``organization``, ``publisher`` and ``location`` on "and" (they are
  lists), and print an unknown ``language`` as it is ("en-GB").
- biblatex-chicago sets an article as a newspaper or magazine piece when its
  ``entrysubtype`` is ``magazine``, or ``newspaper``, which its own source
  map turns into ``magazine``; it prints an ``@online``'s ``organization``
  and ``type``.
- citation-js reads ``journaltitle`` only for ``@article`` (any ``@article``
  is a journal article to it, its ``entrysubtype`` the genre), ``booktitle``
  as the container of anything else, ``organization`` as a web page's
  publisher, and types a ``@book`` that has a ``version`` as software.

So an article keeps refs.bib's ``entrysubtype``, ``newspaper`` or
``magazine``: the one value biblatex-chicago and citation-js both read
truly.

So the export writes each entry in the fields all of them read, and no
fact is dropped: the tests run every client on the file and compare what
each read with the copy-text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from pybtex.database import Entry

from scholarly_edition.problems import DataError, Problem

LANGIDS: Mapping[str, str] = {
    "en": "english",
    "en-GB": "british",
    "en-US": "american",
    "en-AU": "australian",
    "en-CA": "canadian",
    "en-NZ": "newzealand",
    "de": "german",
    "de-DE": "ngerman",
    "fr": "french",
    "fr-FR": "french",
    "ru": "russian",
    "ru-RU": "russian",
    "es": "spanish",
    "it": "italian",
}
"""BCP 47 tag to biblatex's language name (babel's and polyglossia's).

``langid`` is how biblatex knows an entry's language (hyphenation, and
whether to print it at all); the names are biblatex's ``\\DeclareLanguageMapping``
keys."""

LANGUAGE_NAMES: Mapping[str, str] = {
    "english": "english",
    "british": "english",
    "american": "english",
    "australian": "english",
    "canadian": "english",
    "newzealand": "english",
    "ngerman": "german",
}
"""A ``langid`` to the plain language key printed in ``language``, where they differ.

biblatex prints ``language`` only where it differs from the document's
(English variants are one language to it); Zotero and citation-js read
``language`` and not ``langid``."""

LIST_FIELDS = ("institution", "organization", "publisher", "location")
"""biblatex list fields: split on "and" unless braced whole."""


class BibTeXExportError(DataError):
    """An entry the export cannot write so that every client reads it the same."""

    problem = Problem.EXPORT


def braced(value: str) -> str:
    """``value`` as one list item: braced whole unless it already is."""
    depth = 0
    for index, char in enumerate(value):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth == 0 and index < len(value) - 1:
            return f"{{{value}}}"
    return value if value.startswith("{") and value.endswith("}") else f"{{{value}}}"


def for_clients(key: str, entry: Entry) -> Entry:
    """``entry`` as ``references.bib`` writes it; raises :class:`BibTeXExportError`."""
    kind = entry.type.lower()
    fields = dict(entry.fields)
    if kind == "video":
        # @online, the one type every client reads: biblatex's standard
        # styles have no @video driver. Its platform prints as organization,
        # "video" as its type (Zotero's websiteType, CSL genre).
        kind = "online"
        if "publisher" in fields:
            fields["organization"] = fields.pop("publisher")
    if kind == "online":
        site = fields.pop("maintitle", None)
        if site is not None:
            fields["organization"] = site
        if "organization" in fields and "booktitle" not in fields:
            # Zotero's websiteTitle and citation-js's container-title;
            # biblatex prints organization and leaves booktitle alone.
            fields["booktitle"] = fields["organization"]
    if kind == "book" and "version" in fields:
        # citation-js types a @book with a version as software, and biblatex's
        # data model has no version for @book: the version joins the edition
        version = fields.pop("version")
        fields["edition"] = f"{fields['edition']}, version {version}" if fields.get("edition") else f"version {version}"
    if "language" in fields:
        tag = fields.pop("language")
        try:
            langid = LANGIDS[tag]
        except KeyError:
            raise BibTeXExportError(
                f"{key}: language {tag!r} has no biblatex language name here (known: {', '.join(LANGIDS)})"
            ) from None
        fields["langid"] = langid
        fields["language"] = LANGUAGE_NAMES.get(langid, langid)
    for name in LIST_FIELDS:
        if name in fields:
            fields[name] = braced(fields[name])
    out = Entry(kind, fields=fields)
    for role, persons in entry.persons.items():
        for person in persons:
            out.add_person(person, role)
    return out


def entries_for_clients(entries: Iterable[tuple[str, Entry]]) -> list[tuple[str, Entry]]:
    """Every entry as the export writes it, in order."""
    return [(key, for_clients(key, entry)) for key, entry in entries]
