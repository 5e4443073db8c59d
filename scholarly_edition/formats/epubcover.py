"""The EPUB's cover: the title page's words drawn as an image, the same bytes on every build.

Reading systems show a book in their libraries by its cover image, and a
book without one as a grey square. The cover says what the title page
says (title, subtitle, author, edition statement, version and date), read
from ``conf.py`` through the same settings, so it cannot fall out of step.

Pillow draws it in the font Pillow itself ships (Aileron), so the build
needs no system font and no browser, and a machine with other fonts gives
the same image. A PNG written by Pillow holds no date or other chunk that
changes from run to run: one Pillow (``uv.lock`` pins it) and one text give
one file. The cover page's ``alt`` text is the same words, so a reader who
cannot see the image misses nothing.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

from scholarly_edition.citing.titlepage import long_date
from scholarly_edition.config import EditionConfig

WIDTH, HEIGHT = 1600, 2400
"""2:3, the shape of a book; large enough for a high-density phone screen."""
MARGIN = 150
PAPER = (250, 247, 240)
INK = (29, 29, 29)
GREY = (80, 80, 80)  # 8:1 on the paper
RULE = (122, 31, 31)


@dataclass(frozen=True)
class Line:
    """One block of the cover: its words, its type size (px) and colour, and the space above it."""

    text: str
    size: int
    colour: tuple[int, int, int] = INK
    space_before: int = 0
    upper: bool = False


def cover_lines(edition: EditionConfig, version: str) -> list[Line]:
    """The title page's blocks, in its order."""
    lines = [Line(edition.title, 132)]
    if edition.subtitle:
        lines.append(Line(edition.subtitle, 68, GREY, space_before=60))
    lines.append(Line(edition.author_name, 80, space_before=220))
    if edition.statement:
        lines.append(Line(edition.statement, 46, GREY, space_before=640, upper=True))
    lines.append(Line(f"Version {version}, {long_date(edition.date)}", 44, GREY, space_before=24))
    return lines


def alt_text(lines: Sequence[Line]) -> str:
    """What the cover says, as one sentence per block, for its ``alt``."""
    return "Cover: " + " ".join(line.text.rstrip(".") + "." for line in lines)


def _font(size: int) -> ImageFont.FreeTypeFont:
    font = ImageFont.load_default(size)
    if not isinstance(font, ImageFont.FreeTypeFont):  # a Pillow built without FreeType has only a bitmap font
        raise RuntimeError("the EPUB cover needs a Pillow built with FreeType (the PyPI wheels are)")
    return font


def wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """``text`` broken between words into lines no wider than ``width`` px (a longer word keeps a line)."""
    rows: list[str] = []
    for word in text.split():
        if rows and font.getlength(f"{rows[-1]} {word}") <= width:
            rows[-1] = f"{rows[-1]} {word}"
        else:
            rows.append(word)
    return rows


def draw(lines: Sequence[Line]) -> bytes:
    """The cover as PNG bytes: ``lines`` centred on the page, between two rules."""
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    pen = ImageDraw.Draw(image)
    width = WIDTH - 2 * MARGIN
    pen.rectangle((MARGIN, MARGIN, WIDTH - MARGIN, MARGIN + 8), fill=RULE)
    y = MARGIN + 230
    for line in lines:
        font = _font(line.size)
        y += line.space_before
        text = line.text.upper() if line.upper else line.text
        for row in wrap(text, font, width):
            pen.text((WIDTH / 2, y), row, font=font, fill=line.colour, anchor="ma")
            y += round(line.size * 1.22)
    pen.rectangle((MARGIN, HEIGHT - MARGIN - 8, WIDTH - MARGIN, HEIGHT - MARGIN), fill=RULE)
    if y > HEIGHT - MARGIN - 40:
        raise ValueError("the title page's words do not fit on the cover")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
