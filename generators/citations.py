"""Parse Swedish legal citations into canonical provision ids.

Accepted forms include::

    5 kap. 11 § SoL
    10 kap. 23 § OSL
    4 kap. 1 a § brottsbalken
    5 kap. 15 § andra stycket utlänningslagen (2005:716)
    5 kap. 15 § 2 st. utlänningslagen
    5 kap. 15 § första stycket 1 utlänningslagen   (a numbered point, punkt)
    5 kap. 15 § 2 st 3 utlänningslagen             (stycke 2, point 3)
    5 kap. 15 § första stycket 6) / 7. / 3 p. / punkt 3 / tredje punkten
    29 kap. 2 § 8 brottsbalken                     (point 8 of the first stycke)
    BrB 6 kap. 12 §            (law first)
    BrB kap. 4 § 1 a           (the 2021 plan's reversed form)
    artikel 12.1 c i Europarådets konvention om bekämpande av människohandel
    art. 13 Europarådets konvention
    utlanningslagen#k5-p15-s2  (a canonical id)

A provision's key mirrors lagen.nu's anchors: ``k5-p15-s2`` is chapter 5,
section 15, second paragraph (stycke); ``n3`` a numbered point; ``a12-1-c`` is
article 12.1 c. A canonical id is ``<law id>#<key>``. A point always sits in a
stycke, as on lagen.nu: "5 kap. 2 § 9 p." is ``k5-p2-s1-n9`` (anchor K5P2S1N9),
labelled "5 kap. 2 § första stycket 9".

Lists and ranges, such as "2 och 6 §§ LVU", "2, 3 och 6 §§ LVU", "21–23 §§ OSL",
"10 kap. 2 och 3 §§ OSL", "2 § och 6 § LVU", "6 § 1 eller 2 LVU" and
"3 § andra och tredje styckena", are read by ``parse_citations`` as one citation
per provision (at most MAX_PROVISIONS). ``parse_citation`` reads exactly one
provision and says so when given a list.

Parsing only reads the text. Which law a name refers to is decided by the graph
stage, which knows the legal sources in the content.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

ORDINALS = {
    "första": 1, "andra": 2, "tredje": 3, "fjärde": 4, "femte": 5,
    "sjätte": 6, "sjunde": 7, "åttonde": 8, "nionde": 9, "tionde": 10,
}
_ORD = "|".join(ORDINALS)
_DASH = "[-–—]"

MAX_PROVISIONS = 50  # a list or range is read as at most this many provisions
_MAX_ITEMS = 60  # items a list may be written with; beyond MAX_PROVISIONS they are refused with a message

ID_RE = re.compile(r"^(?P<law>[a-z0-9]+(?:-[a-z0-9]+)*)(?:#(?P<key>[a-z0-9]+(?:-[a-z0-9]+)*))?$")
KEY_RE = re.compile(
    r"^(?:(?:k(?P<chapter>\d+[a-z]?)-)?p(?P<section>\d+[a-z]?)(?:-s(?P<stycke>\d+))?(?:-n(?P<point>\d+))?"
    r"|a(?P<article>\d+)(?:-(?P<paragraph>\d+))?(?:-(?P<letter>[a-z]))?)$"
)

# Joining list items: "2, 3 och 6", "6 § 1 eller 2"; a range: "21–23".
_AND = r"(?:\s*,\s*(?:och\s+|eller\s+|samt\s+)?|\s+(?:och|eller|samt)\s+)"
_TO = rf"\s*{_DASH}\s*"
_JOIN = rf"(?:{_TO}|{_AND})"
# A section number, with its letter: "15", "1 a", "1a". The letter is never the start of a word ("2 och").
_SEC = r"\d+(?:\s?[a-z](?![a-zåäö]))?"

# Sections: "[N kap.] N [a] §" or a list or range of them, "[N kap.] 2, 3 och 6–8 §§". What follows a single §
# (stycke, point) is read by _STYCKE and _POINT.
# (?<![\d:/]): a match starts where a number starts, never inside one, nor after the colon of an SFS number
# ("(1990:52)") or the slash of an EU number. Trying every digit of a long number would make the search
# quadratic, and a match found inside a number would have been found at its start.
# _HEAD is only matched at a known place, never searched for: a search would read a list from every number in
# "1, 1, 1, …" (quadratic). The text is searched with _HEAD_ONE, a number right before §, and the list that
# ends there is found by reading backwards from it with _BEFORE_ITEM and _BEFORE_CHAPTER, on the reversed text.
_HEAD = re.compile(
    rf"""
    (?<![\d:/])
    (?:(?P<chapter>\d+\s?[a-z]?)\s*kap\.?\s*)?
    (?P<items>{_SEC}(?:{_JOIN}{_SEC}){{0,{_MAX_ITEMS}}})
    \s*(?P<marks>§§?)
    """,
    re.IGNORECASE | re.VERBOSE,
)
_HEAD_ONE = re.compile(
    rf"""
    (?<![\d:/])
    (?:(?P<chapter>\d+\s?[a-z]?)\s*kap\.?\s*)?
    (?P<items>{_SEC})
    \s*(?P<marks>§§?)
    """,
    re.IGNORECASE | re.VERBOSE,
)
# _JOIN and _SEC, and the chapter, written backwards.
_BEFORE_ITEM = re.compile(
    rf"""(?:(?:\s+hco|\s+relle|\s+tmas)?\s*,\s*|\s+(?:hco|relle|tmas)\s+|\s*{_DASH}\s*)
    (?:(?<![a-zåäö])[a-z]\s?)?\d+(?![\d:/])""",
    re.IGNORECASE | re.VERBOSE,
)
_BEFORE_CHAPTER = re.compile(r"\s*\.?pak\s*(?:[a-z]\s?)?\d+(?![\d:/])", re.IGNORECASE)
_LOOK_BACK = 4000  # characters read backwards for a list; a list of _MAX_ITEMS items fits many times over
# A stycke after the §: "andra stycket", "andra och tredje styckena", "2 st.", "2 st", "2 stycket", "st. 2",
# "stycke 2".
_STYCKE = re.compile(
    rf"""\s*(?:
    (?P<ord>(?:{_ORD})(?:{_JOIN}(?:{_ORD}))*)\s+stycke(?:t|na)\b
    |(?P<num>\d{{1,3}})\s*(?:st\.?|stycket)(?=\s|$|[,;)])
    |st(?:ycke)?\.?\s*(?P<num2>\d{{1,3}})(?![\d:/])
    )""",
    re.IGNORECASE | re.VERBOSE,
)
# A point (punkt) after the § or the stycke: "1", "3 p.", "6)", "7.", "punkt 3", "3 punkten", "tredje punkten",
# and lists "1, 2 och 4", "1–3".
# A bare number is a point only where it is a whole word that is not the start of something else: not an SFS
# number ("2005:716"), a section or chapter ("3 §", "6 kap."), a stycke ("2 st") or a number with a letter.
_PITEM = r"""\d{1,3}(?:\s*p\b\.?|\)|\.(?=\s|$|[,;]))?
    (?![\d:/a-zåäö]|\.\d|\s*(?:§|kap\b|st\b|stycke))"""
_POINT = re.compile(
    rf"""\s*(?:
    (?P<ord>{_ORD})\s+punkten\b
    |(?P<num>\d{{1,3}})\s+punkten\b
    |punkt(?:en|erna)?\s*(?P<named>{_PITEM}(?:{_JOIN}{_PITEM}){{0,{_MAX_ITEMS}}})
    |(?P<items>{_PITEM}(?:{_JOIN}{_PITEM}){{0,{_MAX_ITEMS}}})
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_AND_RE = re.compile(_AND, re.IGNORECASE)
_SEC_TOKENS = re.compile(rf"(?P<to>{_DASH})|(?P<num>\d+)\s?(?P<letter>[a-z](?![a-zåäö]))?", re.IGNORECASE)
_NUM_TOKENS = re.compile(rf"(?P<to>{_DASH})|(?P<num>\d+)", re.IGNORECASE)
_ORD_TOKENS = re.compile(rf"(?P<to>{_DASH})|(?P<ord>{_ORD})", re.IGNORECASE)

# The reversed form "kap. 4 § 1 a" used in the 2021 action plan.
_REVERSED = re.compile(r"kap\.?\s*(?P<chapter>\d+)\s*§\s*(?P<section>\d+)\s*(?P<sletter>[a-z])?\b", re.IGNORECASE)
_ARTICLE = re.compile(
    rf"""\b(?:artikel|art\.?)\s*(?P<article>\d+)(?:\s*\.\s*(?P<paragraph>\d+))?
    (?:\s*(?P<letter>(?!i\s+[a-zåäöA-ZÅÄÖ])[a-z])(?:\s*{_DASH}\s*(?P<letter_to>[a-z]))?(?![a-zåäö]))?""",
    re.IGNORECASE | re.VERBOSE,
)
_SFS = re.compile(r"\(?\b(?:SFS\s*)?(?P<sfs>\d{4}:\d+)\)?")
_FILLER = re.compile(r"^(?:i|enligt|av|se|jfr\.?|och)\s+|\s+(?:i|enligt|av)$", re.IGNORECASE)
# Left in a law's name, these words show that part of the pinpoint could not be read.
_PIN_WORDS = re.compile(r"§|\bkap\b\.?|\bstycke(?:t|na|n)?\b|\bpunkt(?:en|erna)?\b|(?<!\w)(?:st|p)\.(?!\w)",
                        re.IGNORECASE)
_PIN_WORDS_ALONE = re.compile(r"§|\bstycke(?:t|na|n)?\b|\bpunkt(?:en|erna)?\b", re.IGNORECASE)
_LEFT_NUMBER = re.compile(r"^(?P<word>\d[^\s,;]*)")
# A point with a letter: "a)", or a lone letter before the law's name where a point would stand:
# "första stycket a SoL".
_LEFT_LETTER = re.compile(r"^(?:(?P<paren>[a-zåäö]\))|(?P<word>[a-zåäö])(?=\s+\S))", re.IGNORECASE)
_YEAR_NAME = re.compile(r"^\d{4}\s+års\b", re.IGNORECASE)

_POINT_HINT = ("Skriv punkten som ett tal efter paragrafen eller stycket, till exempel "
               "`5 kap. 15 § första stycket 1 utlänningslagen` eller `5 kap. 2 § 9 p. utlänningslagen`.")
_PIN_HINT = ("Skriv en hänvisning per lag, med bestämmelsen före lagens namn, till exempel "
             "`5 kap. 15 § första stycket 1 utlänningslagen` eller `2 och 6 §§ LVU`.")


class CitationError(ValueError):
    """The text is not a citation this parser understands."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.hint = hint


@dataclass(frozen=True)
class Pinpoint:
    chapter: str | None = None
    section: str | None = None
    stycke: int | None = None
    point: int | None = None
    article: str | None = None
    paragraph: str | None = None
    letter: str | None = None
    letter_to: str | None = None  # an article range such as 12.1 a–f

    def __post_init__(self) -> None:
        # A point sits in a stycke, the first where none is given: lagen.nu anchors "5 kap. 2 § 9 p." at
        # K5P2S1N9, never K5P2N9. Normalized here, every way to a pinpoint (text, key, id) gives the same key.
        if self.point and not self.stycke and self.section is not None:
            object.__setattr__(self, "stycke", 1)

    @property
    def empty(self) -> bool:
        return self.section is None and self.article is None

    @property
    def key(self) -> str | None:
        if self.article is not None:
            parts = [f"a{self.article}"]
            if self.paragraph:
                parts.append(self.paragraph)
            if self.letter and not self.letter_to:
                parts.append(self.letter)
            return "-".join(parts)
        if self.section is None:
            return None
        parts = []
        if self.chapter:
            parts.append(f"k{self.chapter}")
        parts.append(f"p{self.section}")
        if self.stycke:
            parts.append(f"s{self.stycke}")
        if self.point:
            parts.append(f"n{self.point}")
        return "-".join(parts)

    def parents(self) -> list["Pinpoint"]:
        """Broader pinpoints, most specific first: 5:15 st. 2 p. 1 -> 5:15 st. 2 -> 5:15."""
        out: list[Pinpoint] = []
        p = self
        while True:
            if p.point:
                p = replace(p, point=None)
            elif p.stycke:
                p = replace(p, stycke=None)
            elif p.letter:
                p = replace(p, letter=None, letter_to=None)
            elif p.paragraph:
                p = replace(p, paragraph=None)
            else:
                return out
            out.append(p)

    def label(self) -> str:
        """The pinpoint in the usual Swedish form: '5 kap. 15 § andra stycket', '5 kap. 15 § första stycket 1'."""
        if self.article is not None:
            s = f"artikel {self.article}"
            if self.paragraph:
                s += f".{self.paragraph}"
            if self.letter:
                s += f" {self.letter}"
                if self.letter_to:
                    s += f"–{self.letter_to}"
            return s
        if self.section is None:
            return ""
        sec = self.section
        m = re.match(r"(\d+)([a-z]?)", sec)
        if m and m.group(2):
            sec = f"{m.group(1)} {m.group(2)}"
        s = f"{self.chapter} kap. {sec} §" if self.chapter else f"{sec} §"
        if self.stycke:
            inv = {v: k for k, v in ORDINALS.items()}
            s += f" {inv.get(self.stycke, str(self.stycke) + ':e')} stycket"
        if self.point:
            s += f" {self.point}"  # as in statutes: "5 kap. 15 § första stycket 1"
        return s

    def lagen_nu_anchor(self) -> str:
        if self.section is None:
            return ""
        a = f"K{self.chapter}P{self.section}" if self.chapter else f"P{self.section}"
        if self.stycke:
            a += f"S{self.stycke}"
        if self.point:
            a += f"N{self.point}"
        return a


@dataclass(frozen=True)
class Citation:
    text: str
    pinpoint: Pinpoint
    law_text: str = ""  # the name or abbreviation as written, without the SFS number
    sfs: str | None = None
    law_id: str | None = None  # set when the citation was written as an id
    aliases: tuple[str, ...] = ()  # further names given in parentheses, e.g. "(SoL)"

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(n for n in (self.law_text, *self.aliases) if n)

    @property
    def is_id(self) -> bool:
        return self.law_id is not None


def _fail(message: str, hint: str) -> CitationError:
    return CitationError(message, hint=hint)


def _norm_section(num: str, letter: str | None) -> str:
    return num + (letter or "").lower()


def _expand_sections(items: str, text: str) -> list[str]:
    """'2, 3 och 6–8' -> ['2', '3', '6', '7', '8']; '1 a och 1 b' -> ['1a', '1b']."""
    out: list[str] = []
    dash = False
    for t in _SEC_TOKENS.finditer(items):
        if t.group("to"):
            dash = True
            continue
        sec = _norm_section(t.group("num"), t.group("letter"))
        if dash and out:
            out.extend(_section_range(out[-1], sec, text))
        else:
            out.append(sec)
        dash = False
        if len(out) > MAX_PROVISIONS:
            break
    return out


def _section_range(first: str, last: str, text: str) -> list[str]:
    """The sections after ``first`` up to and including ``last``: 21–23 gives 22, 23."""
    a = re.fullmatch(r"(\d+)([a-z]?)", first)
    b = re.fullmatch(r"(\d+)([a-z]?)", last)
    assert a and b
    if len(a.group(1)) > 4 or len(b.group(1)) > 4:
        raise _too_many(text, f"fler än {MAX_PROVISIONS}")
    na, la, nb, lb = int(a.group(1)), a.group(2), int(b.group(1)), b.group(2)
    if na == nb and lb > la:  # "1 a–1 c", "1–1 c"
        return [f"{na}{chr(c)}" for c in range(ord(la or "`") + 1, ord(lb) + 1)]
    if la or lb:
        shown = [re.sub(r"(\d)([a-z])", r"\1 \2", x) for x in (first, last)]
        raise _fail(
            f"Intervallet {shown[0]}–{shown[1]} §§ i {text!r} kan inte delas upp i paragrafer: det framgår inte "
            "vilka paragrafer med bokstav det omfattar.",
            hint="Skriv ut paragraferna, till exempel `4 kap. 1, 1 a och 2 §§ brottsbalken`.")
    if nb <= na:
        raise _fail(f"Intervallet {first}–{last} i {text!r} går baklänges.",
                    hint="Skriv det lägsta numret först, till exempel `21–23 §§ OSL`.")
    if nb - na + 1 > MAX_PROVISIONS:
        raise _too_many(text, str(nb - na + 1))
    return [str(n) for n in range(na + 1, nb + 1)]


def _too_many(text: str, n: str) -> CitationError:
    return _fail(f"Hänvisningen {text!r} omfattar {n} bestämmelser; högst {MAX_PROVISIONS} kan läsas som en lista.",
                 hint="Hänvisa till hela kapitlet eller lagen, eller dela upp hänvisningen i flera.")


def _expand_numbers(tokens: list[tuple[bool, int]], text: str, what: str) -> list[int]:
    """[(is_dash, n)] -> the numbers, with ranges filled in: 1, –, 3 gives 1, 2, 3."""
    out: list[int] = []
    dash = False
    for is_dash, n in tokens:
        if is_dash:
            dash = True
            continue
        if n == 0:
            raise _fail(f"Hänvisningen {text!r} kunde inte tolkas: {what} numreras från 1.",
                        hint="Skriv till exempel `5 kap. 15 § första stycket 1 utlänningslagen`.")
        if dash and out:
            if n <= out[-1]:
                raise _fail(f"Intervallet {out[-1]}–{n} i {text!r} går baklänges.",
                            hint="Skriv det lägsta numret först, till exempel `5 kap. 15 § första stycket 1–3`.")
            if n - out[-1] > MAX_PROVISIONS:
                raise _too_many(text, str(n - out[-1] + 1))
            out.extend(range(out[-1] + 1, n + 1))
        else:
            out.append(n)
        dash = False
    return out


def _stycken(m: re.Match, text: str) -> list[int]:
    if m.group("ord"):
        tokens = [(bool(t.group("to")), 0 if t.group("to") else ORDINALS[t.group("ord").lower()])
                  for t in _ORD_TOKENS.finditer(m.group("ord"))]
    else:
        tokens = [(False, int(m.group("num") or m.group("num2")))]
    return _expand_numbers(tokens, text, "stycken")


def _points(m: re.Match, text: str) -> list[int]:
    if m.group("ord"):
        return [ORDINALS[m.group("ord").lower()]]
    if m.group("num"):
        return _expand_numbers([(False, int(m.group("num")))], text, "punkter")
    items = m.group("named") or m.group("items")
    tokens = [(bool(t.group("to")), 0 if t.group("to") else int(t.group("num")))
              for t in _NUM_TOKENS.finditer(items)]
    return _expand_numbers(tokens, text, "punkter")


def _dedupe(pins: list[Pinpoint]) -> list[Pinpoint]:
    return list(dict.fromkeys(pins))


def _sections(text: str, h: re.Match, chapter: str | None) -> tuple[list[Pinpoint], int]:
    """The provisions of one _HEAD match and what follows it; and where they end."""
    if h.group("chapter"):
        chapter = re.sub(r"\s+", "", h.group("chapter")).lower()
    sections = _expand_sections(h.group("items"), text)
    if len(sections) > MAX_PROVISIONS:
        raise _too_many(text, f"fler än {MAX_PROVISIONS}")
    if len(sections) > 1:  # "2 och 6 §§": a stycke or point after a list is not read
        return [Pinpoint(chapter=chapter, section=s) for s in sections], h.end()
    pos = h.end()
    stycken: list[int | None] = [None]
    m = _STYCKE.match(text, pos)
    if m:
        stycken, pos = list(_stycken(m, text)), m.end()
    points: list[int | None] = [None]
    if len(stycken) == 1:
        m = _POINT.match(text, pos)
        if m:
            points, pos = list(_points(m, text)), m.end()
    if len(stycken) * len(points) > MAX_PROVISIONS:
        raise _too_many(text, str(len(stycken) * len(points)))
    return [Pinpoint(chapter=chapter, section=sections[0], stycke=s, point=p) for s in stycken for p in points], pos


def _find_head(text: str) -> re.Match | None:
    """The first section, or list of sections, in ``text``."""
    one = _HEAD_ONE.search(text)
    if one is None or one.group("chapter"):
        return one
    # Read backwards from the section before the § for the rest of a list: "2, 3 och |6 §§".
    begin = max(0, one.start() - _LOOK_BACK)
    before = text[begin:one.start()][::-1]
    pos = items = 0
    while m := _BEFORE_ITEM.match(before, pos):
        pos, items = m.end(), items + 1
        if items > _MAX_ITEMS:
            raise _too_many(text, f"fler än {MAX_PROVISIONS}")
    if items == 0:
        return one
    m = _BEFORE_CHAPTER.match(before, pos)
    if m:
        pos = m.end()
    h = _HEAD.match(text, one.start() - pos)
    return h if h is not None and h.end() == one.end() else one


def _scan(text: str) -> tuple[list[Pinpoint], int, int] | None:
    """The provisions cited in ``text`` (one, or several for a list) and the span they were read from."""
    m = _ARTICLE.search(text)
    if m:
        pin = Pinpoint(
            article=m.group("article"), paragraph=m.group("paragraph"),
            letter=(m.group("letter") or "").lower() or None,
            letter_to=(m.group("letter_to") or "").lower() or None,
        )
        return [pin], m.start(), m.end()
    m = _REVERSED.search(text)
    h = _find_head(text)
    if m and (not h or m.start() < h.start()):
        pin = Pinpoint(chapter=m.group("chapter"), section=m.group("section") + (m.group("sletter") or "").lower())
        return [pin], m.start(), m.end()
    if not h:
        return None
    pins, end = _sections(text, h, None)
    # Further provisions: "2 § och 6 § LVU", "6 § 1 eller 7 § 1", "5 kap. 11 § och 12 §" (the same chapter).
    while len(pins) <= MAX_PROVISIONS:
        j = _AND_RE.match(text, end)
        h2 = _HEAD.match(text, j.end()) if j else None
        if h2 is None:
            break
        more, end = _sections(text, h2, pins[-1].chapter)
        pins.extend(more)
    pins = _dedupe(pins)
    if len(pins) > MAX_PROVISIONS:
        raise _too_many(text, f"fler än {MAX_PROVISIONS}")
    return pins, h.start(), end


def _labels(pins: list[Pinpoint]) -> str:
    labels = [p.label() for p in pins]
    if len(labels) > 4:
        labels = labels[:3] + ["…", labels[-1]]
    return ", ".join(labels[:-1]) + " och " + labels[-1]


def parse_key(key: str) -> Pinpoint:
    m = KEY_RE.match(key)
    if not m:
        raise CitationError(f"{key!r} är ingen giltig bestämmelsenyckel.",
                            hint="Nycklar ser ut som k5-p15-s2 (5 kap. 15 § andra stycket) eller a12-1-c (artikel 12.1 c).")
    g = m.groupdict()
    return Pinpoint(
        chapter=g["chapter"], section=g["section"],
        stycke=int(g["stycke"]) if g["stycke"] else None,
        point=int(g["point"]) if g["point"] else None,
        article=g["article"], paragraph=g["paragraph"], letter=g["letter"],
    )


def parse_pinpoint(text: str) -> tuple[Pinpoint, str]:
    """Find the pinpoint in ``text``; return it and the text with the pinpoint removed.

    Raises CitationError when ``text`` cites several provisions (a list or range).
    """
    found = _scan(text)
    if found is None:
        return Pinpoint(), text
    pins, start, end = found
    if len(pins) > 1:
        raise _fail(f"{text!r} avser flera bestämmelser: {_labels(pins)}.",
                    hint="Ange en bestämmelse i taget.")
    return pins[0], text[:start] + " " + text[end:]


def parse_local(ref: str) -> Pinpoint:
    """Parse a provision's own reference inside a legal source, e.g. '5 kap. 15 § andra stycket'."""
    text = " ".join(ref.split())
    found = _scan(text)
    if found is None:
        raise CitationError(
            f"{ref!r} är ingen paragraf- eller artikelhänvisning.",
            hint="Skriv till exempel `5 kap. 15 §`, `5 kap. 15 § andra stycket`, `4 kap. 1 a §` eller `artikel 12.1 c`.",
        )
    pins, start, end = found
    if len(pins) > 1:
        raise CitationError(
            f"{ref!r} avser flera bestämmelser: {_labels(pins)}.",
            hint="I `provisions:` har varje bestämmelse en egen post.",
        )
    rest = text[:start] + " " + text[end:]
    if rest.strip(" ,.;"):
        raise CitationError(
            f"{ref!r} innehåller mer än en hänvisning: {rest.strip()!r} blev över.",
            hint="I `provisions:` anges bara paragrafen eller artikeln; lagens namn står i filens `title:`.",
        )
    return pins[0]


def _check_leftover(text: str, law: str, pin: Pinpoint) -> None:
    """Refuse a law name that is really a part of the pinpoint that could not be read.

    Without this, "5 kap. 15 § första stycket 1a utlänningslagen" would reach the graph as the unknown law
    "1a utlänningslagen".
    """
    if not pin.empty:
        label = pin.label()
        m = _LEFT_NUMBER.match(law)
        if m and not _YEAR_NAME.match(law):
            word = m.group("word")
            if pin.article is not None:
                raise _fail(f"Talet {word!r} efter {label} i {text!r} kunde inte tolkas.",
                            hint="Skriv en artikel per hänvisning, till exempel "
                            "`artikel 10 i Europarådets konvention om bekämpande av människohandel`.")
            raise _fail(f"Punkten {word!r} efter {label} i {text!r} kunde inte tolkas.", hint=_POINT_HINT)
        m = _LEFT_LETTER.match(law)
        if m and pin.section is not None and (m.group("paren") or pin.stycke):
            example = " ".join(filter(None, [label, law[m.end():].strip()]))
            raise _fail(f"Punkten {m.group(0)!r} efter {label} i {text!r} kunde inte tolkas: "
                        "punkter med bokstav kan inte länkas.",
                        hint=f"Hänvisa till paragrafen eller stycket utan punkten, till exempel `{example}`.")
    m = (_PIN_WORDS if not pin.empty else _PIN_WORDS_ALONE).search(law)
    if m:
        raise _fail(f"Hänvisningen {text!r} kunde inte tolkas: {law!r} innehåller {m.group(0)!r}, så en del av "
                    "bestämmelsen gick inte att läsa.", hint=_PIN_HINT)


def _parse(text: str, many: bool) -> list[Citation]:
    if not isinstance(text, str) or not text.strip():
        raise CitationError("Tom lagrumshänvisning.", hint="Skriv till exempel `5 kap. 15 § utlänningslagen`.")
    raw = " ".join(text.split())
    m = ID_RE.match(raw)
    if m:
        pin = parse_key(m.group("key")) if m.group("key") else Pinpoint()
        return [Citation(raw, pin, law_text=raw if not m.group("key") else "", law_id=m.group("law"))]
    found = _scan(raw)
    if found is None:
        pins, rest = [Pinpoint()], raw
    else:
        pins, start, end = found
        rest = raw[:start] + " " + raw[end:]
    written = " ".join(rest.split()).strip(" ,.;:")  # the law as written, for the hint on lists
    for _ in range(2):
        written = _FILLER.sub("", written).strip(" ,.;:")
    sfs = None
    ms = _SFS.search(rest)
    if ms:
        sfs = ms.group("sfs")
        rest = rest[: ms.start()] + " " + rest[ms.end():]
    # Parenthesised abbreviations, e.g. "(SoL)", are further names for the same law.
    extra = tuple(" ".join(x.split()) for x in re.findall(r"\(([^()]*)\)", rest) if x.strip())
    rest = re.sub(r"\([^()]*\)", " ", rest)
    law = " ".join(rest.split()).strip(" ,.;:")
    for _ in range(2):
        law = _FILLER.sub("", law).strip(" ,.;:")
    pin = pins[0]
    if not law and not sfs:
        raise CitationError(
            f"Hänvisningen {text!r} saknar lagens namn.",
            hint="Skriv ut lagen, till exempel `5 kap. 15 § utlänningslagen` eller `10 kap. 23 § OSL`, "
            "eller använd ett id som `utlanningslagen#k5-p15`.",
        )
    if pin.empty and re.search(r"\bkap\b|\d\s*§|^\d", law) and not sfs:
        raise CitationError(
            f"Hänvisningen {text!r} kunde inte tolkas.",
            hint="Skriv paragrafen som `5 kap. 15 §` (med §-tecken) eller artikeln som `artikel 12.1 c`.",
        )
    _check_leftover(text, law, pin)
    if len(pins) > 1 and not many:
        examples = ["`" + " ".join(filter(None, [p.label(), written])) + "`" for p in pins[:2]]
        more = " och så vidare" if len(pins) > 2 else ""
        raise CitationError(
            f"Hänvisningen {text!r} är en lista med {len(pins)} bestämmelser ({_labels(pins)}), "
            "men här anges en bestämmelse per hänvisning.",
            hint=f"Skriv varje bestämmelse som en egen hänvisning: {examples[0]}, {examples[1]}{more}.",
        )
    return [Citation(raw, p, law_text=law, sfs=sfs, aliases=extra) for p in pins]


def parse_citation(text: str) -> Citation:
    """Parse a full citation of one provision: a pinpoint and the law it is in (or an id).

    A list or range ("2 och 6 §§ LVU") raises CitationError; read it with ``parse_citations``.
    """
    return _parse(text, many=False)[0]


def parse_citations(text: str) -> list[Citation]:
    """Parse a citation that may cite several provisions: one Citation per provision, in the order written.

    "2, 3 och 6 §§ LVU" gives 2 §, 3 § and 6 § LVU; "21–23 §§ OSL" gives 21 §, 22 § and 23 §; a single
    citation gives a list of one. Each Citation keeps the whole text as written. A list or range is read as at
    most MAX_PROVISIONS provisions; a longer one raises CitationError.
    """
    return _parse(text, many=True)


def normalize_name(name: str) -> str:
    """Fold a law name for lookup: case, spaces and dashes."""
    return " ".join(name.lower().replace("–", "-").split())
