"""Parse Swedish legal citations into canonical provision ids.

Accepted forms include::

    5 kap. 11 § SoL
    10 kap. 23 § OSL
    4 kap. 1 a § brottsbalken
    5 kap. 15 § andra stycket utlänningslagen (2005:716)
    5 kap. 15 § 2 st. utlänningslagen
    BrB 6 kap. 12 §            (law first)
    BrB kap. 4 § 1 a           (the 2021 plan's reversed form)
    artikel 12.1 c i Europarådets konvention om bekämpande av människohandel
    art. 13 Europarådets konvention
    utlanningslagen#k5-p15-s2  (a canonical id)

A provision's key mirrors lagen.nu's anchors: ``k5-p15-s2`` is chapter 5,
section 15, second paragraph (stycke); ``n3`` a numbered point; ``a12-1-c`` is
article 12.1 c. A canonical id is ``<law id>#<key>``.

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

ID_RE = re.compile(r"^(?P<law>[a-z0-9]+(?:-[a-z0-9]+)*)(?:#(?P<key>[a-z0-9]+(?:-[a-z0-9]+)*))?$")
KEY_RE = re.compile(
    r"^(?:(?:k(?P<chapter>\d+[a-z]?)-)?p(?P<section>\d+[a-z]?)(?:-s(?P<stycke>\d+))?(?:-n(?P<point>\d+))?"
    r"|a(?P<article>\d+)(?:-(?P<paragraph>\d+))?(?:-(?P<letter>[a-z]))?)$"
)

# Section pinpoints: "[N kap.] N [a] § [andra stycket | 2 st.] [3 p. | punkt 3]"
# (?<!\d): a match starts where a number starts, never inside one. Trying every digit of a long number would
# make the search quadratic, and a match found inside a number would have been found at its start.
_SECTION = re.compile(
    rf"""
    (?<!\d)
    (?:(?P<chapter>\d+\s?[a-z]?)\s*kap\.?\s*)?
    (?P<section>\d+)\s*(?P<sletter>[a-z])?\s*§
    (?:\s*(?:(?P<ordst>{_ORD})\s+stycket|(?P<numst>\d+)\s*st\.?(?=\s|$|,)|st(?:ycke)?\.?\s*(?P<stnum>\d+)))?
    (?:\s*(?:(?P<ordp>{_ORD})\s+punkten|(?P<nump>\d+)\s*p\.?(?=\s|$|,)|punkt(?:en)?\s*(?P<pnum>\d+)))?
    """,
    re.IGNORECASE | re.VERBOSE,
)
# The reversed form "kap. 4 § 1 a" used in the 2021 action plan.
_REVERSED = re.compile(r"kap\.?\s*(?P<chapter>\d+)\s*§\s*(?P<section>\d+)\s*(?P<sletter>[a-z])?\b", re.IGNORECASE)
_ARTICLE = re.compile(
    rf"""\b(?:artikel|art\.?)\s*(?P<article>\d+)(?:\s*\.\s*(?P<paragraph>\d+))?
    (?:\s*(?P<letter>(?!i\s+[a-zåäöA-ZÅÄÖ])[a-z])(?:\s*{_DASH}\s*(?P<letter_to>[a-z]))?(?![a-zåäö]))?""",
    re.IGNORECASE | re.VERBOSE,
)
_SFS = re.compile(r"\(?\b(?:SFS\s*)?(?P<sfs>\d{4}:\d+)\)?")
_FILLER = re.compile(r"^(?:i|enligt|av|se|jfr\.?|och)\s+|\s+(?:i|enligt|av)$", re.IGNORECASE)


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
        """The pinpoint in the usual Swedish form, e.g. '5 kap. 15 § andra stycket'."""
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
            s += f" {self.point} p."
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


def _stycke(m: re.Match) -> int | None:
    if m.group("ordst"):
        return ORDINALS[m.group("ordst").lower()]
    n = m.group("numst") or m.group("stnum")
    return int(n) if n else None


def _point(m: re.Match) -> int | None:
    if m.group("ordp"):
        return ORDINALS[m.group("ordp").lower()]
    n = m.group("nump") or m.group("pnum")
    return int(n) if n else None


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
    """Find the pinpoint in ``text``; return it and the text with the pinpoint removed."""
    m = _ARTICLE.search(text)
    if m:
        pin = Pinpoint(
            article=m.group("article"), paragraph=m.group("paragraph"),
            letter=(m.group("letter") or "").lower() or None,
            letter_to=(m.group("letter_to") or "").lower() or None,
        )
        return pin, (text[: m.start()] + " " + text[m.end():])
    m = _REVERSED.search(text)
    m2 = _SECTION.search(text)
    if m and (not m2 or m.start() < m2.start()):
        pin = Pinpoint(chapter=m.group("chapter"), section=m.group("section") + (m.group("sletter") or "").lower())
        return pin, (text[: m.start()] + " " + text[m.end():])
    if m2:
        chapter = m2.group("chapter")
        pin = Pinpoint(
            chapter=re.sub(r"\s+", "", chapter).lower() if chapter else None,
            section=m2.group("section") + (m2.group("sletter") or "").lower(),
            stycke=_stycke(m2), point=_point(m2),
        )
        return pin, (text[: m2.start()] + " " + text[m2.end():])
    return Pinpoint(), text


def parse_local(ref: str) -> Pinpoint:
    """Parse a provision's own reference inside a legal source, e.g. '5 kap. 15 § andra stycket'."""
    text = " ".join(ref.split())
    pin, rest = parse_pinpoint(text)
    if pin.empty:
        raise CitationError(
            f"{ref!r} är ingen paragraf- eller artikelhänvisning.",
            hint="Skriv till exempel `5 kap. 15 §`, `5 kap. 15 § andra stycket`, `4 kap. 1 a §` eller `artikel 12.1 c`.",
        )
    if rest.strip(" ,.;"):
        raise CitationError(
            f"{ref!r} innehåller mer än en hänvisning: {rest.strip()!r} blev över.",
            hint="I `provisions:` anges bara paragrafen eller artikeln; lagens namn står i filens `title:`.",
        )
    return pin


def parse_citation(text: str) -> Citation:
    """Parse a full citation: a pinpoint and the law it is in (or an id)."""
    if not isinstance(text, str) or not text.strip():
        raise CitationError("Tom lagrumshänvisning.", hint="Skriv till exempel `5 kap. 15 § utlänningslagen`.")
    raw = " ".join(text.split())
    m = ID_RE.match(raw)
    if m:
        pin = parse_key(m.group("key")) if m.group("key") else Pinpoint()
        return Citation(raw, pin, law_text=raw if not m.group("key") else "", law_id=m.group("law"))
    pin, rest = parse_pinpoint(raw)
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
    return Citation(raw, pin, law_text=law, sfs=sfs, aliases=extra)


def normalize_name(name: str) -> str:
    """Fold a law name for lookup: case, spaces and dashes."""
    return " ".join(name.lower().replace("–", "-").split())
