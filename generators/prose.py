"""Running text in Markdown (the action plan's chapters) and its inline references.

Two inline forms make footnotes, so that sources and legal references are
checked like every other reference, with file, line and column:

- ``[@source-id]`` or ``[@source-id, s. 12]``: a source document;
- ``[§ 10 kap. 23 § OSL]``: a legal provision.

Raw HTML and Markdown's own ``[^1]`` footnotes are refused: the first would run
on the site, and the second would bypass the checks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from .issues import Issue, Position, error
from .load import Prose

REF_RE = re.compile(r"\[@(?P<source>[^\],\s]*)(?:,\s*(?P<locator>[^\]]+?))?\s*\]|\[§\s+(?P<law>[^\]]+?)\s*\]")
_FOOTNOTE_RE = re.compile(r"\[\^[^\]]*\]")
_HTML_RE = re.compile(r"<(?:[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?|/[A-Za-z][A-Za-z0-9-]*\s*|!--.*?--)>", re.S)
_H1_RE = re.compile(r"^#(?!#)\s", re.M)


@dataclass(frozen=True)
class ProseRef:
    kind: str  # "source" or "law"
    target: str  # a source id, or a citation
    locator: str | None
    start: int
    end: int
    pos: Position


def _position(text: str, offset: int) -> Position:
    line = text.count("\n", 0, offset) + 1
    return Position(line, offset - (text.rfind("\n", 0, offset) + 1) + 1)


def _outside_code(text: str) -> list[tuple[int, int]]:
    """Spans of the text outside inline code and fenced code blocks."""
    spans, last = [], 0
    for m in re.finditer(r"^```.*?^```[^\n]*$|`[^`\n]+`", text, re.S | re.M):
        spans.append((last, m.start()))
        last = m.end()
    spans.append((last, len(text)))
    return spans


def scan(prose: Prose) -> tuple[list[ProseRef], list[Issue]]:
    """The references in a text, and what is not allowed in it."""
    text = prose.text
    refs: list[ProseRef] = []
    issues: list[Issue] = []
    for lo, hi in _outside_code(text):
        chunk = text[lo:hi]
        for m in REF_RE.finditer(chunk):
            start = lo + m.start()
            if m.group("law") is not None:
                refs.append(ProseRef("law", m.group("law"), None, start, lo + m.end(), _position(text, start)))
            elif not m.group("source"):
                issues.append(error("bad-reference", "Källhänvisningen saknar id.", prose.path, _position(text, start),
                                    hint="Skriv [@källans-id] eller [@källans-id, s. 12]."))
            else:
                refs.append(ProseRef("source", m.group("source"), m.group("locator"), start, lo + m.end(),
                                     _position(text, start)))
        for m in _FOOTNOTE_RE.finditer(chunk):
            issues.append(error("prose-footnote", "Egna fotnoter ([^…]) används inte i kapiteltexterna.", prose.path,
                                _position(text, lo + m.start()),
                                hint="Hänvisa med [@källans-id, s. 12] eller [§ 10 kap. 23 § OSL]; fotnoterna skapas av dem."))
        for m in _HTML_RE.finditer(chunk):
            issues.append(error("prose-html", f"HTML ({m.group(0)[:30]!r}) är inte tillåtet i kapiteltexterna.",
                                prose.path, _position(text, lo + m.start()),
                                hint="Skriv vanlig Markdown. Ska tecknet < synas i texten, skriv \\<."))
        for m in _H1_RE.finditer(chunk):
            issues.append(error("prose-heading", "Rubriker på nivå 1 (#) skapas från kapitlets `title:`.", prose.path,
                                _position(text, lo + m.start()), hint="Börja underrubriker med ## eller ###."))
    refs.sort(key=lambda r: r.start)
    return refs, issues


def substitute(text: str, refs: list[ProseRef], make: Callable[[ProseRef], str]) -> str:
    """The text with each reference replaced by ``make(ref)``."""
    out, last = [], 0
    for ref in refs:
        out.append(text[last:ref.start])
        out.append(make(ref))
        last = ref.end
    out.append(text[last:])
    return "".join(out)

