"""The EPUB's accessibility metadata (EPUB Accessibility 1.1), stated from what the book holds.

A reader's library or bookshop reads these properties before the book is
opened, to say whether it can be read by ear, by touch or with large type.
So each value is worked out from the built book, not asserted once and
left to go stale: the access modes from its images, the features from its
navigation documents and markup, the summary from both. What the build
cannot see is set in ``conf.py``: the WCAG conformance claim
(``edition_epub_conforms_to``) and who made it (``edition_contributors``).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Book:
    """What the metadata is about: facts the builder reads off the built files."""

    images: int
    """Images in the book (the cover among them)."""
    images_with_alt: int
    """Of those, the ones with a text alternative."""
    has_toc: bool
    has_index: bool
    has_aria_roles: bool
    """DPUB-ARIA roles on the notes and their references (``doc-noteref``, ``doc-footnote``)."""
    has_media: bool
    """Audio, video or script: anything that could flash, move or sound."""
    figures_described: int
    """Images of the original the edition does not reproduce, each described in words."""


def properties(book: Book, conforms_to: str, certified_by: str) -> list[tuple[str, str]]:
    """The ``<meta property>`` pairs, in the order EPUB Accessibility 1.1 lists them."""
    modes = ["textual", *(["visual"] if book.images else [])]
    pairs = [("schema:accessMode", mode) for mode in modes]
    # every image has a text alternative, so the text alone is enough
    if book.images_with_alt == book.images:
        pairs.append(("schema:accessModeSufficient", "textual"))
    if book.images:
        pairs.append(("schema:accessModeSufficient", ",".join(modes)))
    features = ["structuralNavigation", "readingOrder", "displayTransformability", "unlocked"]
    if book.has_toc:
        features.append("tableOfContents")
    if book.has_index:
        features.append("index")
    if book.images and book.images_with_alt == book.images:
        features.append("alternativeText")
    if book.has_aria_roles:
        features.append("ARIA")
    pairs += [("schema:accessibilityFeature", feature) for feature in features]
    if not book.has_media:
        pairs += [
            ("schema:accessibilityHazard", hazard)
            for hazard in ("noFlashingHazard", "noMotionSimulationHazard", "noSoundHazard")
        ]
    else:
        pairs.append(("schema:accessibilityHazard", "unknown"))
    pairs.append(("schema:accessibilitySummary", summary(book, conforms_to)))
    if conforms_to:
        pairs.append(("dcterms:conformsTo", conforms_to))
        pairs.append(("a11y:certifiedBy", certified_by))
    return pairs


def summary(book: Book, conforms_to: str) -> str:
    """A sentence or three a person reads in a bookshop: what the book is, in words, and what it is not."""
    parts = [
        "Reflowable text with a table of contents, headings for navigation"
        + (" and an index" if book.has_index else "")
        + "; notes are linked both ways and marked for reading systems."
    ]
    if book.figures_described:
        count = "image" if book.figures_described == 1 else f"{book.figures_described} images"
        parts.append(
            f"The original's {count} could not be reproduced: each is replaced by the editor's description in words."
        )
    if book.images:
        parts.append("The cover image gives the title page's words, which its text alternative repeats.")
    if not book.has_media:
        parts.append("No sound, video, animation or script.")
    if conforms_to:
        parts.append(f"Claimed to meet {conforms_to}.")
    return " ".join(parts)


def metadata_xml(pairs: Iterable[tuple[str, str]]) -> str:
    """``<meta property>`` elements for the package document, every value escaped."""
    return "".join(f'\n    <meta property="{name}">{html.escape(value)}</meta>' for name, value in pairs)


def add_to_package(opf: str, pairs: Sequence[tuple[str, str]], cover_href: str | None) -> str:
    """``opf`` (Sphinx's content.opf) with the metadata and the cover image's ``cover-image`` property."""
    opf = opf.replace("\n  </metadata>", metadata_xml(pairs) + "\n  </metadata>", 1)
    if cover_href:
        item = re.compile(rf'(<item id="[^"]+" href="{re.escape(cover_href)}" media-type="image/[a-z+]+")\s*/>')
        opf, found = item.subn(r'\1 properties="cover-image" />', opf, count=1)
        if not found:
            raise ValueError(f"content.opf lists no cover image {cover_href}")
    return opf


_ALT = re.compile(r"<img\b[^>]*\balt=\"[^\"]+\"")


def read_book(pages: Mapping[str, str], *, has_toc: bool, has_index: bool) -> Book:
    """The facts :func:`properties` needs, from the XHTML pages (name -> text) and what nav.xhtml lists."""
    text = "\n".join(pages.values())
    return Book(
        images=len(re.findall(r"<img\b", text)),
        images_with_alt=len(_ALT.findall(text)),
        has_toc=has_toc,
        has_index=has_index,
        has_aria_roles='role="doc-noteref"' in text,
        has_media=bool(re.search(r"<(?:audio|video|script|canvas)\b", text)),
        figures_described=len(re.findall(r'<figure class="[^"]*\bnot-reproduced\b', text)),
    )
