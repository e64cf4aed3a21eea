"""Running text in Markdown (the action plan's chapters) and its inline references.

Two inline forms make footnotes, so that sources and legal references are
checked like every other reference, with file, line and column:

- ``[@source-id]`` or ``[@source-id, s. 12]``: a source document;
- ``[§ 10 kap. 23 § OSL]``: a legal provision.

Raw HTML and Markdown's own ``[^1]`` footnotes are refused: the first would run
on the site, and the second would bypass the checks.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Callable

from .issues import Issue, Position, error
from .load import Prose

# No part of a pattern runs past a bracket, and nothing is lazy before optional spaces: each match is tried
# in time linear in the distance to the next bracket, so a long or broken text cannot make the scan quadratic.
# Spaces around the locator and the citation are stripped in scan().
REF_RE = re.compile(r"\[@(?P<source>[^\[\],\s]*)(?:,(?P<locator>[^\[\]]*)|\s*)\]|\[§\s(?P<law>[^\[\]]*)\]")
_FOOTNOTE_RE = re.compile(r"\[\^[^\[\]]*\]")
# An HTML comment is refused at its start: an unclosed one would hide the rest of the chapter.
_HTML_RE = re.compile(r"<(?:[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?|/[A-Za-z][A-Za-z0-9-]*\s*)>|<!--")
_H1_RE = re.compile(r"^#(?!#)\s", re.M)


@dataclass(frozen=True)
class ProseRef:
    kind: str  # "source" or "law"
    target: str  # a source id, or a citation
    locator: str | None
    start: int
    end: int
    pos: Position


class Lines:
    """Offset -> line and column by binary search, so that many matches in a long text stay fast."""

    def __init__(self, text: str):
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def __call__(self, offset: int) -> Position:
        line = bisect.bisect_right(self.starts, offset)
        return Position(line, offset - self.starts[line - 1] + 1)


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
    _position = Lines(text)
    for lo, hi in _outside_code(text):
        chunk = text[lo:hi]
        for m in REF_RE.finditer(chunk):
            start = lo + m.start()
            if m.group("law") is not None:
                refs.append(ProseRef("law", m.group("law").strip(), None, start, lo + m.end(), _position(start)))
            elif not m.group("source"):
                issues.append(error("bad-reference", "Källhänvisningen saknar id.", prose.path, _position(start),
                                    hint="Skriv [@källans-id] eller [@källans-id, s. 12]."))
            else:
                refs.append(ProseRef("source", m.group("source"), (m.group("locator") or "").strip() or None, start,
                                     lo + m.end(), _position(start)))
        for m in _FOOTNOTE_RE.finditer(chunk):
            issues.append(error("prose-footnote", "Egna fotnoter ([^…]) används inte i kapiteltexterna.", prose.path,
                                _position(lo + m.start()),
                                hint="Hänvisa med [@källans-id, s. 12] eller [§ 10 kap. 23 § OSL]; fotnoterna skapas av dem."))
        for m in _H1_RE.finditer(chunk):
            issues.append(error("prose-heading", "Rubriker på nivå 1 (#) skapas från kapitlets `title:`.", prose.path,
                                _position(lo + m.start()), hint="Börja underrubriker med ## eller ###."))
    refs.sort(key=lambda r: r.start)
    return refs, issues + raw_html(prose)


def raw_html(prose: Prose, code: str = "prose-html", where: str = "i kapiteltexterna") -> list[Issue]:
    """Raw HTML outside code: refused, since Markdown would pass it through to the page and run it."""
    text = prose.text
    _position = Lines(text)
    return [error(code, f"HTML ({m.group(0)[:30]!r}) är inte tillåtet {where}.", prose.path,
                  _position(lo + m.start()), hint="Skriv vanlig Markdown. Ska tecknet < synas i texten, skriv \\<.")
            for lo, hi in _outside_code(text) for m in _HTML_RE.finditer(text[lo:hi])]


def substitute(text: str, refs: list[ProseRef], make: Callable[[ProseRef], str]) -> str:
    """The text with each reference replaced by ``make(ref)``."""
    out, last = [], 0
    for ref in refs:
        out.append(text[last:ref.start])
        out.append(make(ref))
        last = ref.end
    out.append(text[last:])
    return "".join(out)

