"""Stage 5, render (documents): the variants of a training pack document read by pandoc once.

A pack document comes in one variant per status of the municipalities (joined the county-wide offer, not joined,
not known), and the variants differ in a few passages: the audience, the chapter on what applies in the
municipality, the contact routes and the sources. pandoc reads Markdown slowly (about a third of a second for a
handout), so the variants are read as one text: ``merge`` keeps each top-level block that every variant has once,
and puts each passage that only some have in a fenced div of the class VARIANT_CLASS that names them (``in="0 2"``).

In the same pandoc run, ``templates/documents/variants.lua`` picks each variant's blocks out of that and writes its
file: the first as pandoc's own output, the others beside it. ``typst/pdf.lua`` writes one Typst source for all
of them, with each such passage under a condition on the variant (``pdf.fill`` chooses it), so that Typst too lays
out a shared paragraph once for all the municipalities' copies.

The files are the same, byte for byte, as from a pandoc run per variant (tests/test_merged_variants.py).
"""

from __future__ import annotations

import difflib
import re

VARIANT_CLASS = "handbok-variant"
# Fences longer than any in the templates (":::"), so that a fenced div inside a passage closes before this one.
_FENCE = ":" * 24
_LIST_ITEM = re.compile(r"(?:[-*+]|\d+[.)])\s")
_DIV_FENCE = re.compile(r":{3,}\s*(\S.*)?$")
_CODE_FENCE = re.compile(r"(`{3,}|~{3,})")


def blocks(text: str) -> list[str]:
    """The top-level blocks of pandoc Markdown, without the blank lines between them.

    A block starts after a blank line, at a line that is not indented (a list item's or a definition's next
    paragraph), does not start with a single ":" (a definition, a table caption), is not a list item in a list (a
    loose list stays one block), and is outside fenced divs and code blocks. Joined with blank lines, the blocks read
    as the text does.
    """
    out: list[list[str]] = []
    current: list[str] = []
    depth, code, after_blank = 0, "", False
    for line in text.split("\n"):
        if not line.strip():
            if current:
                after_blank = True
                current.append(line)
            continue
        if (after_blank and depth == 0 and not code and not line[0].isspace()
                and not (line.startswith(":") and not _DIV_FENCE.match(line))
                and not (_LIST_ITEM.match(line) and _LIST_ITEM.match(current[0]))):
            out.append(current)
            current = []
        after_blank = False
        current.append(line)
        fence = _CODE_FENCE.match(line)
        if code:
            if line.strip().startswith(code) and not line.strip().strip(code[0]):
                code = ""
        elif fence:
            code = fence.group(1)
        else:
            div = _DIV_FENCE.match(line)
            if div:
                depth += 1 if div.group(1) else -1
    if current:
        out.append(current)
    return ["\n".join(lines).strip("\n") for lines in out if any(x.strip() for x in lines)]


def merge(texts: list[str]) -> str:
    """One Markdown text for all of ``texts``: each block that all of them have once, in order, and the blocks that
    only some have in a div naming those (by their place in ``texts``, counted from 0)."""
    merged: list[tuple[str, frozenset[int]]] = [(b, frozenset({0})) for b in blocks(texts[0])]
    for k, text in enumerate(texts[1:], 1):
        new = blocks(text)
        out: list[tuple[str, frozenset[int]]] = []
        matcher = difflib.SequenceMatcher(None, [b for b, _ in merged], new, autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                out += [(b, tags | {k}) for b, tags in merged[i1:i2]]
            else:  # the blocks only the earlier texts have, then those only this one has
                out += merged[i1:i2]
                out += [(b, frozenset({k})) for b in new[j1:j2]]
        merged = out
    every = frozenset(range(len(texts)))
    parts: list[str] = []
    i = 0
    while i < len(merged):
        tags = merged[i][1]
        j = i
        while j < len(merged) and merged[j][1] == tags:
            j += 1
        run = "\n\n".join(b for b, _ in merged[i:j])
        if tags == every:
            parts.append(run)
        else:
            names = " ".join(str(k) for k in sorted(tags))
            parts.append(f'{_FENCE} {{.{VARIANT_CLASS} in="{names}"}}\n\n{run}\n\n{_FENCE}')
        i = j
    return "\n\n".join(parts) + "\n"
