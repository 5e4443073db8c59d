"""The benchmark's peer: the essay as pandoc Markdown, and the checks that keep a broken peer from counting.

The benchmark times our build against pandoc building the same essay
(``tests/bench/peer.py``). A converter that dropped a note, a locator or a
figure would make pandoc's job lighter and our ratio look better than it
is; so the real essay's conversion is read back through pandoc itself and
compared with the essay, note by note.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import conf_values
import pytest
from bench import peer

from scholarly_edition.bibliography.citeproc import pandoc_path

ROOT = Path(__file__).resolve().parents[1]
ESSAY = ROOT / "edition" / "essay.md"
NOTES_IN_THE_ESSAY = 22  # as the copy-text numbers them (README, tests/data/note-facts.toml)
FIGURES_IN_THE_ESSAY = 4


def essay_notes() -> list[peer.Citation]:
    """The essay's notes read straight from its source, independently of the converter's own grammar."""
    found = []
    for text in re.findall(r"\{note\}`([^`]*)`", ESSAY.read_text("utf-8")):
        key, _, locator = text.partition(",")
        found.append(peer.Citation(key.strip(), locator.strip()))
    return found


def pandoc_ast(markdown: str) -> dict[str, Any]:
    out = subprocess.run(
        [pandoc_path(), "--from=markdown", "--to=json"], input=markdown.encode(), capture_output=True, check=True
    )
    return json.loads(out.stdout)


def walk(node: Any) -> Any:
    """Every element of a pandoc AST, depth first, in document order."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from walk(item)


def plain(inlines: list[dict[str, Any]]) -> str:
    """The words of inlines, with pandoc's no-break space after an abbreviation (``p.\xa04``) as a space."""
    words = (n["c"] if n["t"] == "Str" else " " for n in walk(inlines) if n.get("t") in ("Str", "Space"))
    return "".join(words).replace("\xa0", " ")


@pytest.fixture(scope="module")
def converted() -> peer.Conversion:
    return peer.convert(ESSAY.read_text("utf-8"))


def test_every_note_converts_with_its_key_and_locator(converted: peer.Conversion) -> None:
    expected = essay_notes()
    assert len(expected) == NOTES_IN_THE_ESSAY
    assert converted.notes == expected
    assert [c.locator for c in expected if c.locator] == ["p. 4", "p. 15", "pp. 140–41", "p. 1", "p. 15"]


def test_pandoc_reads_every_note_as_a_footnote_citing_its_work(converted: peer.Conversion) -> None:
    """pandoc itself, not a regular expression, finds each note: a footnote holding one citation, in order."""
    ast = pandoc_ast(converted.markdown)
    notes = []
    for node in walk(ast["blocks"]):
        if node.get("t") == "Note":
            (cite,) = [n for n in walk(node["c"]) if n.get("t") == "Cite"]
            (citation,) = cite["c"][0]
            notes.append(peer.Citation(citation["citationId"], plain(citation["citationSuffix"]).strip(" ,")))
    assert notes == essay_notes()
    # the cover's credit cites its work in running text; pandoc (a note style) notes it too, and is checked for it
    cites = [n["c"][0][0]["citationId"] for n in walk(ast["blocks"]) if n.get("t") == "Cite"]
    assert cites == converted.footnotes
    assert converted.in_text == ["dominguez2015"]
    assert len(converted.footnotes) == NOTES_IN_THE_ESSAY + 1


def test_no_myst_is_left(converted: peer.Conversion) -> None:
    text = converted.markdown
    assert not re.search(r"\{[a-z-]+\}`", text)  # roles
    assert not re.search(r"^```", text, re.M)  # directives
    assert not re.search(r"^\(\S+\)=", text, re.M)  # labels
    assert "indexed-names" not in text
    assert "Khalimov, Gulmurod =" not in text  # the index's lines
    ast = pandoc_ast(text)
    code = [n for n in walk(ast["blocks"]) if n.get("t") in ("Code", "CodeBlock", "RawInline", "RawBlock")]
    assert code == []


def test_figures_headings_languages_and_classes_survive(converted: peer.Conversion) -> None:
    ast = pandoc_ast(converted.markdown)
    divs = {n["c"][0][0]: n["c"][0][1] for n in walk(ast["blocks"]) if n.get("t") == "Div" and n["c"][0][0]}
    figures = sorted(ident for ident, classes in divs.items() if "figure" in classes)
    assert figures == ["fig-cover", "fig-khalimov", "fig-migrants", "fig-rehabilitation"]
    assert len(figures) == FIGURES_IN_THE_ESSAY
    headers = [(n["c"][0], n["c"][1][0], plain(n["c"][2])) for n in walk(ast["blocks"]) if n.get("t") == "Header"]
    assert headers[0][:2] == (1, "essay")
    assert headers[0][2].startswith("The Radicalisation Enigma: The Question")
    assert [h[2] for h in headers] == [headers[0][2], "Notes"]
    spans = {plain(n["c"][1]): dict(n["c"][0][2]).get("lang") for n in walk(ast["blocks"]) if n.get("t") == "Span"}
    assert spans["основные правила трудоустройства в городе москве"] == "ru"
    assert spans["Propagandabild IS-Kämpfer ARCHIV"] == "de"
    classes = [c for n in walk(ast["blocks"]) if n.get("t") == "Div" for c in n["c"][0][1]]
    assert {"byline", "dateline", "author-bio"} <= set(classes)
    # the editor's lemmas stay as words, brackets included; their marks go
    words = plain(ast["blocks"])
    assert "[and other] migrants" in words
    assert "Rustam Urinboyev has written" in words


@pytest.mark.parametrize(
    "text",
    [
        "A {footnote}`x` role pandoc has no equivalent for.",
        "```{epigraph}\nWords.\n```",
        "```{figure-not-reproduced}\n:name: f\n```",
        "A note {note}` ` with no work.",
        "```{notes}\n",  # never closed
        "(label)=\n\nA paragraph, not a heading.",
        "{lang}`Russian without its tag`",
    ],
)
def test_unknown_or_malformed_myst_fails(text: str) -> None:
    with pytest.raises(peer.ConversionError):
        peer.convert(text)


def test_settings_are_the_editions() -> None:
    settings = peer.read_settings(ROOT)
    assert settings.style == ROOT / "edition" / conf_values.get("edition_csl_style")
    assert settings.style.is_file()
    assert settings.language == conf_values.get("edition_language")
    # the PDF's fonts, wherever the LaTeX settings set them: a peer in pandoc's own would be set differently
    latex = "\n".join(v for v in conf_values.get("latex_elements").values() if isinstance(v, str))
    commands = dict(re.findall(r"\\set(main|sans|mono)font(?:\[[^]]*\])?\{([^}]+)\}", latex))
    assert commands, "conf.py sets no fonts"
    assert settings.fonts == {f"{kind}font": font for kind, font in commands.items()}


def test_the_checks_fail_a_peer_that_lost_a_note(tmp_path: Path) -> None:
    """A real pandoc HTML passes with its notes; the same file fails when a note is missing or cites another work."""
    text = "Words.{note}`turovsky2015` More words.{note}`iosras2017, p. 15`\n"
    conversion = peer.convert(text)
    source = tmp_path / "essay.md"
    source.write_text(peer.document(conversion, peer.read_settings(ROOT)), "utf-8")
    settings = peer.read_settings(ROOT)
    peer.run_formats(pandoc_path(), source, ROOT / "refs.bib", settings.style, tmp_path, ["html"], 1)
    peer.validate(tmp_path, ["html"], conversion.footnotes)
    with pytest.raises(peer.PeerFailed, match="2 note references"):
        peer.validate(tmp_path, ["html"], [*conversion.footnotes, "turovsky2015"])
    with pytest.raises(peer.PeerFailed):
        peer.validate(tmp_path, ["html"], list(reversed(conversion.footnotes)))
    with pytest.raises(peer.PeerFailed, match="missing"):
        peer.validate(tmp_path, ["epub"], conversion.footnotes)


def test_a_pandoc_warning_fails_the_peer(tmp_path: Path) -> None:
    """An unknown key only makes pandoc warn; the peer must fail on it, as our build does."""
    source = tmp_path / "essay.md"
    source.write_text(peer.convert("Words.{note}`nosuchwork2020`\n").markdown, "utf-8")
    settings = peer.read_settings(ROOT)
    with pytest.raises(peer.PeerFailed, match="nosuchwork2020"):
        peer.run_formats(pandoc_path(), source, ROOT / "refs.bib", settings.style, tmp_path, ["html"], 1)
