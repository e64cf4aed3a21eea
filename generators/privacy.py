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
_EMAIL = re.compile(  # found by _emails()
    r"(?<![\w.%+-])[\w.%+-]+@(?:[\w-]+\.)+[a-zA-Z]{2,}(?![\w-])")
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
# The scan of a file's text is the check's biggest cost at 10,000 routines, and Python's regular expressions are slow
# where a pattern cannot start with a fixed character class: every position of the text is then tried. The two
# patterns below define what is looked for, and the functions after them find exactly the same matches, quicker:
# tests/test_privacy.py compares them on generated text.

#: A run of digits and the characters of a written number: where identity and phone numbers can be.
_CANDIDATE = re.compile(r"[+(]?\d[\d\s().+-]{7,}\d")
_RUN = re.compile(r"\d[\d\s().+-]{7,}\d")  # _CANDIDATE after its optional first character


def _candidates(text: str) -> Iterator[tuple[int, int]]:
    """The spans of ``_CANDIDATE.finditer(text)``: the search for ``_RUN`` skips ahead to a digit, and a + or ( just
    before the run (and after the previous one) belongs to it."""
    pos = 0
    while True:
        m = _RUN.search(text, pos)
        if m is None:
            return
        lo, hi = m.span()
        if lo > pos and text[lo - 1] in "+(":
            lo -= 1
        yield lo, hi
        pos = hi


_EMAIL_TAIL = re.compile(r"@(?:[\w-]+\.)+[a-zA-Z]{2,}(?![\w-])")  # _EMAIL from its @


def _emails(text: str) -> Iterator[tuple[int, int]]:
    """The spans of ``_EMAIL.finditer(text)``, found from each @. A match holds exactly one @ (no part of the pattern
    matches it), and its local part is the whole run of [\\w.%+-] before the @ (the look-behind allows no other
    start), so each @ has one possible match; the runs lie between two @, so the text is read once."""
    pos = 0
    at = text.find("@")
    while at != -1:
        start = at
        while start > 0 and (text[start - 1].isalnum() or text[start - 1] in "_.%+-"):  # \w is isalnum() or _
            start -= 1
        if pos <= start < at:
            m = _EMAIL_TAIL.match(text, at)
            if m is not None:
                yield start, m.end()
                pos = m.end()
        at = text.find("@", at + 1)


def find(text: str) -> Iterator[Finding]:
    """Every identity number, e-mail address and phone number in ``text``, in order."""
    found: list[Finding] = []
    taken: list[tuple[int, int]] = []
    for start, end in _emails(text):
        found.append(Finding("email", text[start:end], start))
        taken.append((start, end))
    urls = [u.span() for u in _URL.finditer(text)] if "://" in text else []
    for lo, hi in _candidates(text):
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
