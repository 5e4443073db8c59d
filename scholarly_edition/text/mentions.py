"""The index of names: every mention of an indexed name, located at its word.

The essay declares once, in an ``indexed-names`` directive, which persons,
organisations and places the index lists and in which forms the essay names
them::

    ```{indexed-names}
    Moscow
    Khalimov, Gulmurod = Gulmurod Khalimov | Khalimov
    Islamic State = Islamic State | IS
    ```

A line is an index heading, optionally followed by ``=`` and the forms of
the name (``|`` between them); a heading alone is its own form. Each
occurrence of a form in the essay's own text (its paragraphs, captions,
byline and biographical note, but not the title, the notes or anything the
editors add) then gets Sphinx's index entry just before the word, as the
``index`` role would give it, and the word itself becomes the entry's target
(an ``index-mention`` span, highlighted when the index leads to it). So the HTML and EPUB index
link to the word, the PDF index gives the page the word is on, and no
mention is left out because an editor missed it. A form matches whole
words only, case and all; where forms overlap the longest wins. A form
that is an abbreviation (capitals only: IS, IOS RAS) is also a heading of
its own that refers the reader on: "IS, see Islamic State".

Each target's place in the text (``¶ 7``, ``caption after ¶ 2``) is kept so
that the index page can print the locators a reader cites by
(:mod:`scholarly_edition.formats.genindex`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, ClassVar, NamedTuple, cast

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.transforms import SphinxTransform
from sphinx.util.docutils import SphinxDirective

from scholarly_edition.errors import report
from scholarly_edition.problems import Problem
from scholarly_edition.state import StateDomain
from scholarly_edition.text.paragraphs import paragraph_marker
from scholarly_edition.text.places import location_of, paragraphs_before_figures

_LINE = re.compile(r"^(?P<heading>[^=|]+?)\s*(?:=\s*(?P<forms>[^=]+))?$")


class Name(NamedTuple):
    """An index heading and the forms in which the text names it."""

    heading: str
    forms: tuple[str, ...]


class Mention(NamedTuple):
    """One indexed word: its target, its heading, and where a reader finds it."""

    target: str
    heading: str
    location: str


def parse_names(lines: list[str]) -> tuple[list[Name], list[tuple[int, str]]]:
    """The names a directive's lines declare, and (line offset, problem) for each bad line."""
    names: list[Name] = []
    problems: list[tuple[int, str]] = []
    seen: dict[str, str] = {}
    for offset, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            continue
        match = _LINE.match(line)
        if not match:
            problems.append((offset, f"indexed-names: {line!r} is not `Heading` or `Heading = form | form`"))
            continue
        heading = " ".join(match["heading"].split())
        forms = [" ".join(f.split()) for f in (match["forms"] or heading).split("|")]
        if not all(forms):
            problems.append((offset, f"indexed-names: {heading!r} has an empty form"))
            continue
        clash = [f for f in forms if f in seen and seen[f] != heading]
        if clash:
            problems.append((offset, f"indexed-names: the form {clash[0]!r} is already {seen[clash[0]]!r}'s"))
            continue
        seen.update(dict.fromkeys(forms, heading))
        names.append(Name(heading, tuple(forms)))
    return names, problems


def abbreviations(name: Name) -> list[str]:
    """The forms of a name that a reader may look up by themselves, and is sent on from: IS → Islamic State."""
    return [f for f in name.forms if f != name.heading and f.isupper()]


def pattern(names: list[Name]) -> re.Pattern[str] | None:
    """One expression for every form, longest first, whole words only."""
    forms = sorted({f for n in names for f in n.forms}, key=lambda f: (-len(f), f))
    if not forms:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(f) for f in forms) + r")(?!\w)")


class indexed_names(nodes.Invisible, nodes.Element):
    """The declaration, until the transform has indexed the text by it."""


class IndexedNamesDirective(SphinxDirective):
    has_content = True

    def run(self) -> list[nodes.Node]:
        names, problems = parse_names(list(self.content))
        source, _ = self.get_source_info()
        for offset, message in problems:  # the content starts on the line after the directive's own
            report(Problem.MARKUP, message, location=f"{source}:{self.lineno + 1 + offset}")
        node = indexed_names(names=names)
        self.set_source_info(node)
        return [node]


_SKIPPED = (
    nodes.title,
    nodes.footnote,
    nodes.footnote_reference,
    nodes.legend,
    nodes.literal,
    nodes.literal_block,
    nodes.raw,
    nodes.comment,
    nodes.target,
    addnodes.index,
    paragraph_marker,
)


def _texts(node: nodes.Node) -> Iterator[nodes.Text]:
    """The text nodes of the author's words under ``node``: not titles, notes or editorial additions."""
    if isinstance(node, _SKIPPED):
        return
    if isinstance(node, nodes.Element) and "editorial" in node.get("classes", []):
        return
    if isinstance(node, nodes.Text):
        yield node
        return
    for child in list(node.children):
        yield from _texts(child)


class IndexMentions(SphinxTransform):
    """Put an index entry before every mention of a declared name (after the ¶ numbers are set)."""

    default_priority = 225  # after NumberParagraphs (220), before the domains read the index (850)

    def apply(self, **kwargs: Any) -> None:
        declared = list(self.document.findall(indexed_names))
        names = [name for node in declared for name in node["names"]]
        where = {name.heading: node for node in declared for name in node["names"]}
        for node in declared:
            node.parent.remove(node)
        found = pattern(names)
        if found is None:
            return
        heading_of = {form: n.heading for n in names for form in n.forms}
        refer = {form: n.heading for n in names for form in abbreviations(n)}
        sections = [s for s in self.document.children if isinstance(s, nodes.section)]
        figures = paragraphs_before_figures(self.document)
        mentions: list[Mention] = []
        for text in [t for s in sections for t in _texts(s)]:
            mentions += self._index(text, found, heading_of, refer, figures)
        named = {m.heading for m in mentions}
        for name in names:
            if name.heading not in named:  # an index heading with no locator is a name the text never uses
                forms = " | ".join(name.forms)
                report(
                    Problem.MARKUP,
                    f"indexed-names: {name.heading!r} is never named ({forms})",
                    location=where[name.heading],
                )
        mentions_domain(self.env).record("mentions", self.env.docname, mentions)

    def _index(
        self,
        text: nodes.Text,
        found: re.Pattern[str],
        heading_of: dict[str, str],
        refer: dict[str, str],
        figures: dict[nodes.Element, str],
    ) -> list[Mention]:
        """Split ``text`` at each mention, with an index entry and target before each; ``refer`` is used up."""
        value = str(text)
        matches = list(found.finditer(value))
        parent = text.parent
        if not matches or parent is None:
            return []
        replacement: list[nodes.Node] = []
        mentions: list[Mention] = []
        start = 0
        for match in matches:
            if match.start() > start:
                replacement.append(nodes.Text(value[start : match.start()]))
            target_id = f"index-{self.env.new_serialno('index')}"
            heading = heading_of[match[0]]
            entries: list[tuple[str, str, str, str, str | None]] = [("single", heading, target_id, "", None)]
            if match[0] in refer:  # the first time an abbreviation is met, it sends the reader on
                entries.append(("see", f"{match[0]}; {refer.pop(match[0])}", target_id, "", None))
            index = addnodes.index(entries=entries, inline=True)
            index.source, index.line = parent.source, parent.line
            # the target holds the word itself, so a reader who follows the index sees which word it is
            replacement += [index, nodes.inline("", match[0], ids=[target_id], classes=["index-mention"])]
            mentions.append(Mention(target_id, heading, location_of(parent, figures)))
            start = match.end()
        if start < len(value):
            replacement.append(nodes.Text(value[start:]))
        at = parent.index(text)
        parent[at : at + 1] = replacement
        return mentions


class MentionsDomain(StateDomain):
    name = "edition-mentions"
    label = "The index of names"
    per_document = ("mentions",)
    results: ClassVar[dict[str, Any]] = {}

    def mentions(self, docname: str) -> list[Mention]:
        """The document's indexed words, in text order."""
        return cast(list[Mention], self.data["mentions"].get(docname, []))

    def located(self) -> dict[tuple[str, str], tuple[int, Mention]]:
        """Each (document, target id) with its place in its document's text order."""
        return {
            (doc, m.target): (order, m)
            for doc, found in self.data["mentions"].items()
            for order, m in enumerate(cast(list[Mention], found))
        }


def mentions_domain(env: BuildEnvironment) -> MentionsDomain:
    return cast(MentionsDomain, env.get_domain(MentionsDomain.name))


def setup(app: Sphinx) -> None:
    app.add_domain(MentionsDomain)
    app.add_node(indexed_names)
    app.add_directive("indexed-names", IndexedNamesDirective)
    app.add_transform(IndexMentions)
