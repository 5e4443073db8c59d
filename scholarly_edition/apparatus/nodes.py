"""The docutils nodes of the editorial apparatus.

Every editorial marker carries the class ``editorial``, so that anything
comparing the essay's words with the copy-text can leave it out.
"""

from __future__ import annotations

from docutils import nodes

from scholarly_edition.text.language import foreign


class editorial_mark(nodes.Inline, nodes.TextElement):
    """Words of the text (possibly none) that an editorial note concerns."""


class editorial_ref(nodes.Inline, nodes.TextElement):
    """The marker that links a mark to its editorial note."""


class editorial_xref(nodes.Inline, nodes.TextElement):
    """A reference to an editorial note by key (``{tn-ref}`key```): "textual note T7"."""


class editorial_link(nodes.Inline, nodes.TextElement):
    """A resolved link to an editorial note or mark, in every format."""


class editorial_definition(nodes.General, nodes.Element):
    """An editorial note as written, before it is put in order."""


class editorial_listing(nodes.General, nodes.Element):
    """Where a series of editorial notes is listed."""


class editorial_entry(nodes.General, nodes.Element):
    """One editorial note in its listing."""


class editorial_backref(nodes.Inline, nodes.TextElement):
    """An editorial note's number or letter, linking back to its mark."""


def note_head(series: str, location: str, lemma: str, *tail: str, lang: str = "") -> nodes.paragraph:
    """An editorial note's first line: where, the lemma, then any ``tail`` (``¶ 4 · lemma · kind``).

    A lemma in another language (``lang``) is marked as the text marks it.
    """
    head = nodes.paragraph("", "", classes=[f"{series}-head"])
    head += nodes.inline("", location, classes=[f"{series}-location"])
    if lemma:
        head += nodes.Text(" · ")
        words: nodes.Node = foreign(lemma, lemma, lang=lang) if lang else nodes.Text(lemma)
        head += nodes.emphasis("", "", words, classes=[f"{series}-lemma"])
    for text in tail:
        head += nodes.Text(" · ")
        head += nodes.inline("", text, classes=[f"{series}-kind"])
    return head
