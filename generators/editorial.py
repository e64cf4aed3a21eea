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

# Sentences about the sources or about our own uncertainty, which belong in open_questions.
EDITORIAL_RE = re.compile(
    r"behöver (?:verifieras|bekräftas|kontrolleras mot)"
    r"|källorna (?:anger|säger|beskriver|nämner|förklarar|redovisar|uppger|visar) (?:inte|inga|inget|ingen)"
    r"|källan (?:anger|säger|beskriver|nämner) (?:inte|inga|inget|ingen)"
    r"|(?:framgår|anges|finns|nämns|beskrivs|står) inte (?:i|av) (?:källorna|källdokumenten|våra underlag)"
    r"|saknas i källorna|källorna är tysta|det här säger inte källorna"
    r"|vår läsning|enligt vår tolkning|har vi inte kunnat (?:verifiera|bekräfta|hitta)"
    r"|stadens interna kontaktvägar",
    re.IGNORECASE,
)

# An id in parentheses, like "(manniskohandel-vuxen)", is an internal id whatever it names.
_PAREN_ID = re.compile(r"\(([a-z0-9]+(?:-[a-z0-9]+)+)\)")
_KEBAB = re.compile(r"(?<![\w/#.@:-])([a-z0-9]+(?:-[a-z0-9]+)+)(?![\w/@-])")

# Keys whose values are ids, citations, addresses or file names: never shown to readers as written.
ID_KEYS = frozenset({
    "id", "sources", "related", "see_also", "responsible", "owner", "actor", "to", "call", "decides", "pays", "ask",
    "after_hours_unit", "co_located_with", "parent", "units", "routines", "terms", "modules", "addresses",
    "requirement", "plan", "committee", "source", "offer", "file", "series", "url", "legal_basis", "legal",
    "responsibility_basis", "successor", "ref", "unit", "lang", "kind", "status", "value", "sfs", "celex", "cets",
    "rule", "abbreviations", "aliases", "target_groups", "time_limit",
})
# Parts of the content that readers never see.
HIDDEN_KEYS = frozenset({"open_questions"})


def editorial_phrases(text: str) -> list[str]:
    """The editorial remarks in ``text``, as found."""
    return [m.group(0) for m in EDITORIAL_RE.finditer(text)]


def internal_ids(text: str, known: Iterable[str] | set[str]) -> list[str]:
    """Internal ids in ``text``: a known id with a hyphen, or any kebab-case word in parentheses."""
    known = known if isinstance(known, (set, frozenset)) else set(known)
    found = [m.group(1) for m in _PAREN_ID.finditer(text)]
    found += [m.group(1) for m in _KEBAB.finditer(text) if m.group(1) in known]
    return list(dict.fromkeys(found))


def reader_strings(data, loc: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """Every string in a content file that a reader may see, with its location."""
    todo = [(loc, data)]
    while todo:
        here, node = todo.pop()
        key = next((p for p in reversed(here) if isinstance(p, str)), None)
        if key in HIDDEN_KEYS or any(isinstance(p, str) and p in HIDDEN_KEYS for p in here):
            continue
        if isinstance(node, str):
            if key not in ID_KEYS:
                yield here, node
        elif isinstance(node, dict):
            todo.extend((here + (k,), v) for k, v in reversed(list(node.items())) if isinstance(k, str))
        elif isinstance(node, list):
            todo.extend((here + (i,), v) for i, v in reversed(list(enumerate(node))))
