"""Personal data and contact details in content: what the privacy check looks for.

Content describes routines, never clients. This module finds Swedish personal
identity numbers (personnummer and samordningsnummer, checksum-validated, with
or without century and dash), e-mail addresses and Swedish phone numbers in a
piece of text. The check in ``checks.py`` reports them with file and line,
except contact points listed in the allowlist (``content/privacy/``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Iterator, Literal

Kind = Literal["personnummer", "samordningsnummer", "email", "phone"]

_PNR = re.compile(r"(?<![\d/:.,-])(?P<cc>1[89]|20)?(?P<yy>\d\d)(?P<mm>\d\d)(?P<dd>\d\d)\s?(?P<sep>[-+])?\s?"
                  r"(?P<serial>\d{3})(?P<check>\d)(?![\d/:])")
_EMAIL = re.compile(r"(?<![\w.%+-])[\w.%+-]+@(?:[\w-]+\.)+[a-zA-Z]{2,}(?![\w-])")
# A Swedish number written nationally (0…) or internationally (+46 / 0046): digits with spaces, dashes,
# parentheses or dots in between. The digit count is checked afterwards.
_PHONE = re.compile(r"(?<![\w/:.,+-])(?:\+\s?46|0046|\(?0)(?:[\s().-]{0,3}\d){6,11}(?![\w/:]|-\d)")
_URL = re.compile(r"https?://\S+")
_DATE = re.compile(r"\d{4}-\d\d-\d\d")


@dataclass(frozen=True)
class Finding:
    kind: Kind
    text: str  # as written
    start: int  # offset in the text

    @property
    def masked(self) -> str:
        """The finding with its last digits or the part before @ hidden, for messages and logs."""
        if self.kind == "email":
            local, _, domain = self.text.partition("@")
            return f"{local[:1]}…@{domain}"
        digits = 0
        out = []
        for ch in reversed(self.text):
            if ch.isdigit() and digits < 4:
                digits += 1
                out.append("•")
            else:
                out.append(ch)
        return "".join(reversed(out))


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(digits):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def _identity(m: re.Match) -> Kind | None:
    yy, mm, dd = m["yy"], int(m["mm"]), int(m["dd"])
    if not luhn_ok(yy + m["mm"] + m["dd"] + m["serial"] + m["check"]):
        return None
    kind: Kind = "personnummer"
    if dd > 60:
        kind, dd = "samordningsnummer", dd - 60
    year = int((m["cc"] or "19") + yy)  # any century will do for checking the date
    try:
        dt.date(year, mm, dd)
    except ValueError:
        if not (mm == 2 and dd == 29):  # a leap day in a century we did not guess
            return None
    return kind


def normalize_phone(text: str) -> str:
    digits = re.sub(r"\D", "", text)
    if text.lstrip().startswith("+"):
        digits = "0" + digits[2:]
    elif digits.startswith("0046"):
        digits = "0" + digits[4:]
    return digits


def normalize(kind: Kind, text: str) -> str:
    return text.lower() if kind == "email" else normalize_phone(text)


# Every identity or phone number lies inside a run like this; most text has none, so only the runs are searched.
_CANDIDATE = re.compile(r"[+(]?\d[\d\s().+-]{7,}\d")


def find(text: str) -> Iterator[Finding]:
    """Every identity number, e-mail address and phone number in ``text``, in order."""
    found: list[Finding] = []
    taken: list[tuple[int, int]] = []
    if "@" in text:
        for m in _EMAIL.finditer(text):
            found.append(Finding("email", m.group(0), m.start()))
            taken.append(m.span())
    urls = [u.span() for u in _URL.finditer(text)] if "://" in text else []
    for run in _CANDIDATE.finditer(text):
        lo, hi = run.span()
        a = max(0, lo - 1)  # one character before, for the patterns' look-behind
        chunk = text[a:hi + 1]
        numbers: list[tuple[int, int]] = []
        for m in _PNR.finditer(chunk):
            kind = _identity(m)
            start, end = a + m.start(), a + m.end()
            if kind and lo <= start and end <= hi:
                found.append(Finding(kind, m.group(0), start))
                numbers.append((start, end))
        for m in _PHONE.finditer(chunk):
            start, end = a + m.start(), a + m.end()
            if not (lo <= start and end <= hi) or _DATE.search(m.group(0)):
                continue
            if any(not (end <= s or start >= e) for s, e in numbers + taken):
                continue
            if any(s <= start < e for s, e in urls):
                continue
            if 8 <= len(normalize_phone(m.group(0))) <= 11:
                found.append(Finding("phone", m.group(0).strip(), start))
    return iter(sorted(found, key=lambda f: f.start))
