"""What the copy-text's notes say of each work the essay cites, and of the essay itself.

The clients' readings of the exports (citeproc-js, citation-js, biber) are
compared with these facts, not with refs.bib, so that an export that loses
or changes what the author gave fails even where it agrees with refs.bib.
Every fact is itself checked against the copy-text's note (``test_clients``:
each one must be printed there, in the author's form), so the table cannot
drift from the source.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COPY_TEXT = ROOT / "edition" / "_copytext" / "copy-text.txt"

Date = tuple[int, ...]
"""(year,), (year, month) or (year, month, day): the precision the author gave."""


@dataclass(frozen=True)
class Work:
    """One work as the copy-text's notes give it."""

    key: str
    note: int | str
    """The copy-text note giving it in full (a number), or ``"cover"`` for the cover-image credit."""
    title: str
    authors: tuple[str, ...] = ()
    """Family names of persons, a body's name whole."""
    container: str = ""
    """The newspaper, magazine, web site or book it appeared in."""
    publisher: str = ""
    place: str = ""
    editors: tuple[str, ...] = ()
    date: Date = ()
    accessed: Date = ()
    url: str = ""
    medium: str = ""
    kind: str = field(default="")
    """``periodical``, ``web``, ``report``, ``chapter`` or ``video``: how a style prints its date."""


WORKS: tuple[Work, ...] = (
    Work(
        "iosras2017",
        1,
        "Causes and Motives of Radicalisation Among Central Asian Labour Migrants in the Russian Federation",
        ("Institute of Oriental Studies of the Russian Academy of Sciences",),
        publisher="Institute of Oriental Studies of the Russian Academy of Sciences",
        place="Moscow",
        date=(2017,),
        accessed=(2020, 4, 15),
        url="https://www.sfcg.org/wp-content/uploads/2018/04/RAS-Final-Report_CA-Radicalization_Eng_24042018.pdf",
        kind="report",
    ),
    Work(
        "ibragimova2015",
        2,
        "Russia’s big fear: Migrant workers become ISIS militants",
        ("Ibragimova",),
        container="Russia Direct",
        date=(2015, 11, 11),
        url="https://russia-direct.org/analysis/russias-big-fear-migrant-workers-become-isis-militants",
        kind="periodical",
    ),
    Work(
        "turovsky2015",
        4,
        "How Isis is recruiting migrant workers in Moscow to join the fighting in Syria",
        ("Turovsky",),
        container="The Guardian",
        date=(2015, 5, 5),
        url="https://www.theguardian.com/world/2015/may/05/isis-russia-syria-islamic-extremism",
        kind="periodical",
    ),
    Work(
        "urinboyev2017",
        5,
        "Establishing an “Uzbek Mahalla” via Smartphones and Social Media: Everyday Transnational Lives of Uzbek"
        " Labour Migrants in Russia",
        ("Urinboyev",),
        container="Constructing the Uzbek State: Narratives of Post-Soviet Years",
        publisher="Lexington Books",
        place="Lanham",
        editors=("Laruelle",),
        date=(2017,),
        kind="chapter",
    ),
    Work(
        "abdurasulov2015",
        7,
        "Central Asians respond to the lure of Islamic State",
        ("Abdurasulov",),
        container="BBC News",
        date=(2015, 6, 2),
        url="https://www.bbc.co.uk/news/world-asia-32960340",
        kind="periodical",
    ),
    Work(
        "gussarova2020",
        8,
        "Repatriating Foreign Fighters: The Case of Kazakhstan",
        ("Gussarova",),
        container="European Eye on Radicalization",
        date=(2020, 4, 17),
        url="https://eeradicalization.com/repatriating-foreign-fighters-the-case-of-kazakhstan/",
        kind="web",
    ),
    Work(
        "solovyov2015",
        9,
        "Central Asia crackdown on militant Islam risks backlash",
        ("Solovyov",),
        container="Reuters",
        date=(2015, 7, 28),
        url="https://www.reuters.com/article/us-mideast-crisis-centralasia-insight/central-asia-crackdown-on-militant-islam-risks-backlash-idUSKCN0Q21SN20150728",
        kind="periodical",
    ),
    Work(
        "dilleen2019",
        10,
        "The growing Islamic State threat in Central Asia",
        ("Dilleen",),
        container="The Strategist",
        date=(2019, 5, 30),
        url="https://www.aspistrategist.org.au/the-growing-islamic-state-threat-in-central-asia/",
        kind="web",
    ),
    Work(
        "heathershaw2014",
        12,
        "The Myth of Post-Soviet Muslim Radicalization in the Central Asian Republics",
        ("Heathershaw", "Montgomery"),
        publisher="Chatham House Russia and Eurasia Programme",
        date=(2014, 11),
        kind="report",
    ),
    Work(
        "kramer2019",
        13,
        "Kazakhstan Welcomes Women Back from the Islamic State, Warily",
        ("Kramer",),
        container="New York Times",
        date=(2019, 8, 10),
        url="https://www.nytimes.com/2019/08/10/world/europe/kazakhstan-women-islamic-state-deradicalization.html",
        kind="periodical",
    ),
    Work(
        "ohchr2019urges",
        14,
        "Kazakhstan: UN expert urges reform of law and practice on terrorism and extremism",
        ("UNHR Office of the High Commissioner",),
        date=(2019, 5, 17),
        accessed=(2020, 5, 5),
        url="https://www.ohchr.org/EN/NewsEvents/Pages/DisplayNews.aspx?NewsID=24620&LangID=E",
        kind="web",
    ),
    Work(
        "satubaldina2019",
        15,
        "Kazakhstan’s Jusan operation sets example for other countries, says UN Children’s Rights Committee Chair",
        ("Satubaldina",),
        container="Astana Times",
        date=(2019, 7, 3),
        url="https://astanatimes.com/2019/07/kazakhstans-jusan-operation-sets-example-for-other-countries-says-un-childrens-rights-committee-chair/",
        kind="periodical",
    ),
    Work(
        "ohchr2019findings",
        16,
        "Preliminary Findings of the Special Rapporteur on the promotion and protection of human rights and"
        " fundamental freedoms while countering terrorism on her visit to Kazakhstan",
        ("UNHR Office of the High Commissioner",),
        accessed=(2020, 5, 9),
        url="https://www.ohchr.org/EN/NewsEvents/Pages/DisplayNews.aspx?NewsID=24637&LangID=E",
        kind="web",
    ),
    Work(
        "makszimov2020",
        17,
        "Europe still reluctant to repatriate its foreign fighters and families",
        ("Makszimov",),
        container="Euractiv",
        date=(2020, 2, 5),
        url="https://www.euractiv.com/section/justice-home-affairs/news/europe-still-reluctant-to-repatriate-its-foreign-fighters-and-families/",
        kind="periodical",
    ),
    Work("safeinternetleague", 18, "About Us", ("Safe Internet League",), accessed=(2020, 5, 2), kind="web"),
    Work(
        "ruptly2017guidebook",
        19,
        "Russia: Moscow authorities release migrant workers’ guidebook",
        container="Ruptly",
        date=(2017, 1, 18),
        url="https://ruptly.tv/en/videos/20170118-046?search_key=5664d144-21a7-4772-a850-7250a79f823d",
        medium="video",
        kind="video",
    ),
    Work(
        "ruptlyabout",
        22,
        "About Ruptly",
        container="Ruptly",
        accessed=(2020, 5, 7),
        url="https://ruptly.tv/en/about-ruptly",
        kind="web",
    ),
    Work(
        "dominguez2015",
        "cover",
        "Thousands from Central Asia joining ‘Islamic State’: Report",
        ("Domínguez",),
        container="Deutsche Welle",
        date=(2015, 1, 21),
        url="https://www.dw.com/en/thousands-from-central-asia-joining-islamic-state-report/a-18203785",
        kind="periodical",
    ),
)
"""The 18 works, each with what its fullest note in the copy-text gives."""

BY_KEY = {work.key: work for work in WORKS}


@dataclass(frozen=True)
class Essay:
    """What the copy-text says of the essay itself: its byline, title, dateline and site."""

    author_given: str = "Issy"
    author_family: str = "Williams"
    title: str = "The Radicalisation Enigma: The Question of Islamic Migrant Extremism in Russia and Central Asia"
    dateline: str = "Updated: Jun 1"
    month_day: tuple[int, int] = (6, 1)
    site_tagline: str = "The student project covering international relations and foreign affairs"


ESSAY = Essay()

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def ordinal(day: int) -> str:
    """``1st``, ``2nd``, ``15th``: the author's form of a day."""
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def authors_date(date: Date) -> str:
    """A date as the author writes it: ``5th May 2015``, ``November 2014``, ``2017``."""
    if len(date) == 3:
        return f"{ordinal(date[2])} {MONTHS[date[1] - 1]} {date[0]}"
    if len(date) == 2:
        return f"{MONTHS[date[1] - 1]} {date[0]}"
    return str(date[0])


def copy_text_note(note: int | str) -> str:
    """The copy-text's note ``[n]`` (or the cover-image credit), as one line."""
    text = COPY_TEXT.read_text("utf-8")
    if note == "cover":
        (line,) = [line for line in text.splitlines() if line.startswith("Cover image from ")]
        return line
    (line,) = [line for line in text.splitlines() if line.startswith(f"[{note}] ")]
    return line


def fold(text: str) -> str:
    """Text compared without case, accents' composition, quote style or spacing: what a style may change."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"[‘’'“”\"«»]", "", text)
    return " ".join(text.casefold().split())
