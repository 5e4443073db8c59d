"""BibTeX to CSL-JSON, one mapping rule at a time."""

from __future__ import annotations

import pytest
from pybtex.database import Entry, Person

from scholarly_edition.bibliography import bibtex_csl


def entry(type_: str, persons: dict[str, list[str]] | None = None, **fields: str) -> Entry:
    e = Entry(type_, fields=fields)
    for role, names in (persons or {}).items():
        for name in names:
            e.add_person(Person(name), role)
    return e


def test_person_names_are_split_into_family_and_given() -> None:
    item = bibtex_csl.entry_to_csl("k", entry("book", {"author": ["Montgomery, David W."]}, title="T"))
    assert item["author"] == [{"family": "Montgomery", "given": "David W."}]


def test_corporate_author_stays_whole_as_literal() -> None:
    item = bibtex_csl.entry_to_csl("k", entry("online", {"author": ["{Safe Internet League}"]}, title="About Us"))
    assert item["author"] == [{"literal": "Safe Internet League"}]


def test_titles_reach_csl_json_as_plain_sentence_case() -> None:
    """No <span class="nocase">: Zotero would keep it in the title as text, and sentence case needs none."""
    item = bibtex_csl.entry_to_csl("k", entry("book", title="How {Isis} is recruiting in {Moscow}"))
    assert item["title"] == "How Isis is recruiting in Moscow"
    with pytest.raises(bibtex_csl.BibTeXToCSLError, match="unbalanced braces"):
        bibtex_csl.entry_to_csl("k", entry("book", title="How {Isis is recruiting"))


def test_dates_and_accessed_dates_become_date_parts() -> None:
    item = bibtex_csl.entry_to_csl("k", entry("online", title="T", date="2014-11", urldate="2020-05-02"))
    assert item["issued"] == {"date-parts": [[2014, 11]]}
    assert item["accessed"] == {"date-parts": [[2020, 5, 2]]}


def test_url_is_kept_byte_for_byte() -> None:
    url = "https://www.ohchr.org/EN/NewsEvents/Pages/DisplayNews.aspx?NewsID=24620&LangID=E"
    item = bibtex_csl.entry_to_csl("k", entry("online", title="T", url=url))
    assert item["URL"] == url


@pytest.mark.parametrize(
    ("type_", "subtype", "expected"),
    [
        ("report", None, "report"),
        ("incollection", None, "chapter"),
        ("online", None, "webpage"),
        ("video", None, "motion_picture"),
        ("article", "newspaper", "article-newspaper"),
        ("article", "magazine", "article-magazine"),
        ("article", None, "article-journal"),
    ],
)
def test_entry_types_map_to_csl_types(type_: str, subtype: str | None, expected: str) -> None:
    fields = {"title": "T", **({"entrysubtype": subtype} if subtype else {})}
    assert bibtex_csl.entry_to_csl("k", entry(type_, **fields))["type"] == expected


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (entry("patent", title="T"), "no CSL mapping"),
        (entry("book", title="T", date="May 2001"), "is not YYYY"),
        (entry("book", title="T", howpublished="x"), "'howpublished' has no CSL mapping"),
        (entry("book", date="2001"), "no title"),
        (entry("book", title="Unbalanced {brace"), "unbalanced"),
    ],
)
def test_unmappable_entries_are_refused_with_their_key(bad: Entry, message: str) -> None:
    with pytest.raises(bibtex_csl.BibTeXToCSLError, match=f"^badkey: .*{message}"):
        bibtex_csl.entries_to_csl([("badkey", bad)])


def test_a_value_the_codec_would_not_change_skips_it() -> None:
    """The rule that spares most fields latexcodec's lexer, tried against the codec itself."""
    import codecs
    import random
    import string

    import latexcodec  # noqa: F401  (registers the codec)

    rng = random.Random(7)
    plain = string.printable + "éüßњ–—’“”…\u00a0"
    punctuation = "'\",.-!?<>{}[]^_&#@|/ \n\tab"
    tried = 0
    for i in range(20000):
        value = "".join(rng.choice(plain if i % 2 else punctuation) for _ in range(rng.randint(1, 16)))
        if bibtex_csl.NEEDS_DECODING.search(value):
            continue
        tried += 1
        assert " ".join(codecs.decode(value, "ulatex").split()) == " ".join(value.split()), value
    assert tried > 10000
    for value in ("a -- b", "``q''", "\\'e", "x~y", "$-$", ",,q``"):
        assert bibtex_csl.NEEDS_DECODING.search(value), value


def test_every_sequence_the_codec_translates_calls_for_decoding() -> None:
    """latexcodec's own table: an upgrade that adds a sequence the rule misses fails here."""
    from latexcodec import codec

    table = codec._LATEX_UNICODE_TABLE.unicode_map  # the decoder's table: token sequences to Unicode
    sequences = ["".join(token.text for token in tokens) for tokens in table]
    assert len(sequences) > 500
    missed = [s for s in sequences if s.strip() and not bibtex_csl.NEEDS_DECODING.search(s)]
    assert missed == []
