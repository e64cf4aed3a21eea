"""What reader text must never contain: editors' remarks about the sources, and internal ids.

A social worker needs an instruction, not a note on what the sources lack. Such
remarks belong in ``open_questions:``, which only the editors' page, ``handbok
review --questions`` and dist/oppna-fragor.docx show. The same patterns are used
by the content check (``editorial-note``, ``internal-id``) and by the site test
that reads the built pages, so that both look for the same thing.
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from .load import strings_only, walk_strings

# Sentences about the sources or about our own uncertainty, which belong in open_questions.
EDITORIAL_RE = re.compile(
    r"behöver (?:verifieras|bekräftas|kontrolleras mot)"
    r"|källorna (?:anger|säger|beskriver|nämner|förklarar|redovisar|uppger|visar) (?:inte|inga|inget|ingen)"
    r"|källan (?:anger|säger|beskriver|nämner) (?:inte|inga|inget|ingen)"
    r"|(?:framgår|anges|finns|nämns|beskrivs|står) inte (?:i|av) (?:källorna|källdokumenten|våra underlag)"
    r"|saknas i källorna|källorna är tysta|det här säger inte källorna"
    r"|vår läsning|enligt vår tolkning|har vi inte kunnat (?:verifiera|bekräfta|hitta)"
    r"|stadens interna kontaktvägar"
    r"|återges inte|dokument(?:en)?\b[^.\x00]{0,120}?\b(?:nämner inte|tar inte upp|säger inget)",
    re.IGNORECASE,
)

# A kebab-case word: an id when it is a known one, or when it stands alone in parentheses ("(manniskohandel-vuxen)").
_KEBAB = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)+")

# Keys whose values are ids, citations, addresses or file names: never shown to readers as written.
ID_KEYS = frozenset({
    "id", "sources", "related", "see_also", "responsible", "owner", "actor", "to", "call", "decides", "pays", "ask",
    "after_hours_unit", "co_located_with", "parent", "units", "routines", "terms", "modules", "addresses",
    "requirement", "plan", "committee", "source", "offer", "file", "series", "url", "legal_basis", "legal",
    "responsibility_basis", "successor", "ref", "unit", "lang", "kind", "status", "value", "sfs", "celex", "cets",
    "rule", "abbreviations", "aliases", "target_groups", "time_limit", "implements", "teaches", "actors", "key_terms",
    "default_owner", "contact_units", "logo",
})
# Parts of the content that readers never see.
HIDDEN_KEYS = frozenset({"open_questions"})


# Every remark above contains one of these (in lower case): texts without any of them are skipped without a regex.
_CUES = ("verifi", "bekräfta", "kontrolleras mot", "källor", "källan", "källdokument", "underlag", "läsning",
         "tolkning", "kunnat", "kontaktvägar", "återges", "nämner inte", "tar inte upp", "säger inget")


def editorial_phrases(text: str) -> list[str]:
    """The editorial remarks in ``text``, as found.

    The pattern is only tried around the cue words, so a long text costs a few substring searches, not a regular
    expression tried at every position (half the check's time at 5,000 routines before).
    """
    lowered = text.lower()
    spans: list[tuple[int, int]] = []
    for cue in _CUES:
        i = lowered.find(cue)
        while i >= 0:
            spans.append((max(0, i - 140), min(len(text), i + len(cue) + 60)))  # the longest remark reaches 140 back
            i = lowered.find(cue, i + 1)
    found: dict[int, str] = {}
    for start, end in sorted(spans):
        for m in EDITORIAL_RE.finditer(text, start, end):
            found.setdefault(m.start(), m.group(0))
    return [found[k] for k in sorted(found)]


_ID_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-")
_NOT_BEFORE = frozenset("/#.@:-")
_NOT_AFTER = frozenset("/@-")


def _kebab_words(text: str) -> Iterator[tuple[int, str]]:
    """(start, word) for each lower-case kebab-case word: found from the hyphens, which are few, outward."""
    i, n, last_end = text.find("-"), len(text), -1
    while i >= 0:
        if i > last_end:
            start = i
            while start > 0 and text[start - 1] in _ID_CHARS:
                start -= 1
            end = i
            while end < n and text[end] in _ID_CHARS:
                end += 1
            last_end = end
            word = text[start:end]
            before = text[start - 1] if start else " "
            after = text[end] if end < n else " "
            if (_KEBAB.fullmatch(word) and not (before.isalnum() or before == "_" or before in _NOT_BEFORE)
                    and not (after.isalnum() or after == "_" or after in _NOT_AFTER)):
                yield start, word
        i = text.find("-", i + 1)


def internal_ids(text: str, known: Iterable[str] | set[str]) -> list[str]:
    """Internal ids in ``text``: a known id with a hyphen, or any kebab-case word in parentheses."""
    if "-" not in text:
        return []
    known = known if isinstance(known, (set, frozenset)) else set(known)
    found = []
    for start, word in _kebab_words(text):
        if word in known or (text[start - 1:start] == "(" and text[start + len(word):start + len(word) + 1] == ")"):
            found.append(word)
    return list(dict.fromkeys(found))


def id_candidates(text: str) -> tuple[bool, list[str]]:
    """What ``internal_ids`` looks at, without the known ids: whether a kebab-case word stands alone in parentheses,
    and the kebab-case words (each once, sorted). ``internal_ids(text, known)`` finds something exactly when the first
    is true or one of the words is known, so this can be kept per file while the known ids change."""
    if "-" not in text:
        return False, []
    enclosed, words = False, set()
    for start, word in _kebab_words(text):
        words.add(word)
        if text[start - 1:start] == "(" and text[start + len(word):start + len(word) + 1] == ")":
            enclosed = True
    return enclosed, sorted(words)


def reader_strings(data, loc: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """Every string in a content file that a reader may see, with its location, in document order."""
    return ((here, value) for here, key, value in walk_strings(data, loc, HIDDEN_KEYS) if key not in ID_KEYS)


def reader_texts(data) -> list[str]:
    """The values of ``reader_strings(data)``, in the same order, without their locations (cheaper)."""
    return strings_only(data, HIDDEN_KEYS, ID_KEYS)
