"""Stage 1, load: read the content tree into plain data with source positions.

Each YAML file is read on its own, so a broken file is reported and the others go
on (Pelican's way). The reader is built on PyYAML's event stream, with the C
parser when present: it never recurses, so it bounds nesting depth and refuses
aliases (alias bombs) before any value is built, and it records where every key
and value starts so that later stages can name the line and column.
"""

from __future__ import annotations

import contextvars
import datetime as _dt
import errno
import json
import os
import re
import stat
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Iterator

import yaml

from . import cache, workers
from .issues import Issue, Position, error

try:  # the C parser is several times faster; fall back to pure Python
    _Loader = yaml.CSafeLoader  # type: ignore[attr-defined]
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

MAX_BYTES = 512 * 1024
MAX_DEPTH = 32
MAX_NODES = 100_000

# Content kinds: folder name under content/ -> kind name used in the model.
KIND_DIRS = {
    "sources": "source",
    "units": "unit",
    "legal": "legal",
    "routines": "routine",
    "glossary": "term",
    "municipalities": "municipality",
    "figures": "figure",
    "plans": "plan",
    "measures": "measure",
    "training/modules": "module",
    "training/courses": "course",
    "requirements": "requirement",
    "programmes": "programme",
    "accessibility": "statement",
    "privacy": "allowlist",
    "first": "first",
    "remissvar": "remissvar",
}
YAML_SUFFIXES = (".yml", ".yaml")
#: Content kinds kept in one file at the top of the content folder: file name without suffix -> kind.
KIND_FILES = {"organisation": "organisation"}

Loc = tuple[Any, ...]

# The positions found in each file, by path, with the file's cache key (its bytes and the tool's code), while
# ``keep_positions`` is on; None otherwise.
_kept_positions: dict[str, tuple[str, dict, dict]] | None = None


def keep_positions() -> Callable[[], None]:
    """Keep the positions found in each file, for the next load of the same bytes; returns the function that stops.

    For a process that loads the same content again and again (the preview, after every save): the checks and the
    pages that show a line number ask for positions in files that did not change, and parsing them again took a
    tenth of a second of each rebuild. Only the latest version of each file is kept, so the memory stays that of one
    load. Needs the cache (a Document's ``digest``); without it every load parses as before.
    """
    global _kept_positions
    _kept_positions = {}

    def stop() -> None:
        global _kept_positions
        _kept_positions = None

    return stop


class Document:
    """One content file: its data and where each part of it starts.

    The positions may be left to be found when first asked for (``source``: the file's bytes or text): a file that
    comes from the cache (generators/cache.py) is not parsed at all unless an issue has to name a line in it.
    """

    def __init__(self, path: str, kind: str, data: Any, value_pos: dict[Loc, Position] | None = None,
                 key_pos: dict[Loc, Position] | None = None, source: bytes | str | None = None,
                 digest: str | None = None):
        self.path = path  # as shown in messages, relative to the working directory when possible
        self.kind = kind
        self.data = data
        # The file's cache key (its bytes and the tool's code), when the cache is on: the checks keep what they find
        # in one file's text by it (generators/checks.py).
        self.digest = digest
        self._source = source if value_pos is None else None
        self._value_pos = value_pos if value_pos is not None or source is not None else {}
        self._key_pos = key_pos if key_pos is not None or self._value_pos is None else {}

    def _positions(self) -> None:
        source, self._source = self._source, None
        kept = _kept_positions
        if kept is not None and self.digest is not None:
            found = kept.get(self.path)
            if found is not None and found[0] == self.digest:
                self._value_pos, self._key_pos = found[1], found[2]
                return
        text = decode(source, self.path) if isinstance(source, bytes) else source or ""
        _, self._value_pos, self._key_pos = parse_yaml(text, self.path)
        if kept is not None and self.digest is not None:
            kept[self.path] = (self.digest, self._value_pos, self._key_pos)

    @property
    def value_pos(self) -> dict[Loc, Position]:
        if self._value_pos is None:
            self._positions()
        return self._value_pos  # type: ignore[return-value]

    @value_pos.setter
    def value_pos(self, value: dict[Loc, Position]) -> None:
        self._value_pos, self._source = value, None

    @property
    def key_pos(self) -> dict[Loc, Position]:
        if self._key_pos is None:
            self._positions()
        return self._key_pos  # type: ignore[return-value]

    @key_pos.setter
    def key_pos(self, value: dict[Loc, Position]) -> None:
        self._key_pos = value

    def __repr__(self) -> str:
        return f"Document(path={self.path!r}, kind={self.kind!r}, data={self.data!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Document):
            return NotImplemented
        return (self.path, self.kind, self.data, self.value_pos, self.key_pos) == \
            (other.path, other.kind, other.data, other.value_pos, other.key_pos)

    __hash__ = None  # type: ignore[assignment]  # as the dataclass it was

    def pos(self, loc: Loc, key: bool = False) -> Position:
        """Position of the deepest part of ``loc`` that exists in the file.

        Locations from pydantic may contain entries that are not in the file
        (union member names, or a missing key); those are skipped.
        """
        value_pos = self.value_pos
        best: Loc = ()
        prefix: Loc = ()
        for part in loc:
            candidate = prefix + (part,)
            if candidate in value_pos:
                prefix = best = candidate
        if key and best in self.key_pos:
            return self.key_pos[best]
        return value_pos.get(best, Position())

    def has(self, loc: Loc) -> bool:
        return loc in self.value_pos


def display_path(path: Path) -> str:
    # As Path.resolve() and Path.relative_to(), without their objects: this runs once per file.
    full = os.path.realpath(path)
    try:
        os.stat(full)
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # symbolic links in a loop
            full = os.path.abspath(path)
    here = _resolved_cwd()
    if full == here:
        return "."
    if here == os.sep or full.startswith(here + os.sep):
        return full[len(here):].lstrip(os.sep)
    return str(path)


def _resolved_cwd() -> str:
    """The working folder with its links resolved, worked out once per folder (display_path runs once per file)."""
    cwd = os.getcwd()
    if _CWD[0] != cwd:
        _CWD[:] = [cwd, os.path.realpath(cwd)]
    return _CWD[1]


_CWD = ["", ""]


_OS_REASONS = {
    errno.ENOENT: "den finns inte (en trasig symbolisk länk?)",
    errno.ELOOP: "symboliska länkar pekar på varandra i en slinga",
    errno.EACCES: "läsrätt saknas",
    errno.EPERM: "läsrätt saknas",
    errno.EISDIR: "det är en mapp",
}


def read_error(exc: OSError, path: str, what: str = "Filen") -> Issue:
    """An OSError while reading, in Swedish where the cause is a common one."""
    reason = _OS_REASONS.get(exc.errno or 0) or exc.strerror or str(exc)
    return error("read", f"{what} kan inte läsas: {reason}.", path,
                 hint=f"Kontrollera att {what.lower()} finns, att den inte är en trasig symbolisk länk och att du har "
                 "läsrätt.")


def _read_limited(file: Path, path: str, hint: str) -> bytes:
    """At most MAX_BYTES of a regular file. Raises _LoadError, or OSError when the file cannot be read.

    Anything but a regular file is refused before it is opened: a named pipe would block the
    check forever, and a device such as /dev/zero never ends.
    """
    st = file.stat()
    if not stat.S_ISREG(st.st_mode):
        raise _LoadError(error("read", "Filen är ingen vanlig fil utan en mapp, en enhet eller en namngiven pipe.",
                               path, hint="Innehållet ska ligga i vanliga textfiler. Ta bort den här eller ersätt "
                               "den med en vanlig fil."))
    if st.st_size > MAX_BYTES:
        raise _LoadError(error("too-large", f"Filen är {st.st_size // 1024} KiB; gränsen är {MAX_BYTES // 1024} KiB.",
                               path, hint=hint))
    with file.open("rb") as f:
        raw = f.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:  # the file grew after stat()
        raise _LoadError(error("too-large", f"Filen är större än gränsen på {MAX_BYTES // 1024} KiB.", path, hint=hint))
    return raw


def _mark(mark: Any) -> Position:
    return Position(mark.line + 1, mark.column + 1)


class _Resolver(yaml.resolver.Resolver):
    pass


_resolver = _Resolver()
_constructor = yaml.constructor.SafeConstructor()
_ALLOWED_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}


class _LoadError(Exception):
    def __init__(self, issue: Issue):
        super().__init__(issue.message)
        self.issue = issue


_IMPLICIT_FIRST = frozenset(k for k in _resolver.yaml_implicit_resolvers if k)  # what may start a number, date, …


def _scalar(event: yaml.ScalarEvent, path: str) -> Any:
    tag = event.tag
    if tag is None and (event.style or event.value[:1] not in _IMPLICIT_FIRST) and event.value:
        return event.value  # quoted, block or starting with a letter: text (the common case, without the resolver)
    if tag in (None, "!"):
        tag = _resolver.resolve(yaml.ScalarNode, event.value, event.implicit)
    if tag not in _ALLOWED_TAGS:
        raise _LoadError(error(
            "yaml-tag", f"YAML-taggen {tag!r} är inte tillåten i innehållsfiler.", path, _mark(event.start_mark),
            hint="Ta bort taggen (det som börjar med !) och skriv värdet som vanlig text, siffra eller datum.",
        ))
    if tag == "tag:yaml.org,2002:str":
        return event.value
    node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark)
    try:
        value = _constructor.yaml_constructors[tag](_constructor, node)
    except (ValueError, TypeError, OverflowError):
        # e.g. 2025-13-45 looks like a date but is none; keep the text and let
        # the model report it with its own message.
        return event.value
    return value


# --- YAML syntax errors, in Swedish and where the writer must look ------------------------------------------------
#
# PyYAML's problems are English and often point at the line after the mistake (a missing colon is found when the
# next key starts). syntax_issue() names the mistake in Swedish and moves the position to the line to fix. The
# wording differs between the C parser (libyaml) and the pure-Python one; both are matched.

#: Said of every problem that stops a file: nothing after it was read.
REST_UNCHECKED = "Resten av filen granskades inte; rätta felet och kör igen."
_DEFAULT_HINT = "Kontrollera indrag, kolon och citattecken på raden och raden ovanför."
_TAB_HINT = "YAML tillåter inte tabbtecken för indrag; använd mellanslag (ställ in editorn på att dra in med mellanslag)."
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")  # YAML 1.1's line breaks, as both parsers count them
_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")  # a key as content files write them (title, approved_by)
_KEY_VALUE = re.compile(r"(?P<key>[^\s:#'\"\[\]{}&*!|>%@`,?-][^\s:]*|-[^\s:]+):(?:\s+(?P<value>.*))?$")
_LEAD = re.compile(r"(?:[ ]*-(?:[ ]+|$))*[ ]*")  # indentation and list dashes before a line's content


def _stopped(issue: Issue) -> Issue:
    return replace(issue, message=f"{issue.message} {REST_UNCHECKED}")


def _content(line: str) -> tuple[int, str]:
    """Column (from 0) where the line's content starts after indentation and list dashes, and the content
    without a trailing comment."""
    start = _LEAD.match(line).end()  # type: ignore[union-attr]
    body = line[start:]
    comment = re.search(r"\s#", body)  # not r"\s+#.*$": that is quadratic on a long run of spaces
    return start, (body[:comment.start()] if comment else body).rstrip()


def _quoted(value: str) -> str:
    if '"' not in value:
        return f'"{value}"'
    if "'" not in value:
        return f"'{value}'"
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _missing_colon(line: str) -> tuple[str, str] | None:
    """(key, value) when the line reads like ``key value`` or ``key`` without the colon."""
    _, body = _content(line)
    parts = body.split(None, 1)
    if not parts or not _KEY.fullmatch(parts[0]):
        return None
    value = parts[1] if len(parts) > 1 else ""
    if value.endswith(":") or ": " in value:
        return None
    return parts[0], value


def _previous(lines: list[str], n: int) -> int | None:
    """The nearest line before line ``n`` (from 0) that is neither blank nor a comment."""
    for i in range(min(n, len(lines)) - 1, -1, -1):
        stripped = lines[i].strip()
        if stripped and not stripped.startswith("#"):
            return i
    return None


def _continues_text(lines: list[str], n: int, start: int) -> bool:
    """Whether line ``n``, whose content starts at column ``start``, goes on with the text of a key above it
    (``summary: Lång text`` and an indented line under it)."""
    for i in range(n - 1, -1, -1):
        stripped = lines[i].strip()
        if not stripped or stripped.startswith("#"):
            continue
        i_start, body = _content(lines[i])
        if i_start < start:
            above = _KEY_VALUE.match(body)
            return bool(above and above.group("value") and not above.group("value").startswith(("|", ">")))
    return False


def _colon_hint(key: str, value: str) -> str:
    if value:
        return f"Raden saknar kolon efter nyckeln: skriv `{key}: {value}`."
    return f"Raden saknar kolon efter nyckeln: skriv `{key}:` och värdet efter kolonet eller på raderna under."


def _tokens_before(text: str, line: int, col: int) -> list[Any]:
    """The tokens that start before (line, col), both from 0, as far as the text can be scanned."""
    found: list[Any] = []
    try:
        for token in yaml.scan(text, Loader=_Loader):
            if (token.start_mark.line, token.start_mark.column) >= (line, col):
                break
            found.append(token)
    except yaml.YAMLError:
        pass
    return found


def _open_flow(tokens: list[Any]) -> Any:
    """The innermost [ or { that the tokens leave open, or None."""
    stack: list[Any] = []
    for token in tokens:
        if isinstance(token, (yaml.FlowSequenceStartToken, yaml.FlowMappingStartToken)):
            stack.append(token)
        elif isinstance(token, (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken)) and stack:
            stack.pop()
    return stack[-1] if stack else None


def _unclosed(opening: str, mark: Any) -> tuple[str, Position, str]:
    name, closing, example = ("Hakparentesen", "]", "[a, b]") if opening == "[" else \
        ("Klammerparentesen", "}", "{call: a, ask: b}")
    return (f"{name} ({opening}) stängs aldrig.", _mark(mark),
            f"Avsluta med {closing} på samma rad, till exempel `{example}`, eller skriv en punkt per rad med `- ` "
            "utan parenteser.")


def _reader_problem(exc: yaml.YAMLError, text: str) -> tuple[str, Position, str]:
    """A character that YAML refuses anywhere (a control character, U+FFFE, …)."""
    character = getattr(exc, "character", None)
    index = text.find(chr(character)) if isinstance(character, int) else -1
    if index < 0 and isinstance(getattr(exc, "position", None), int):
        index = exc.position  # type: ignore[attr-defined]
    pos = Position()
    if index >= 0:
        before = _LINE_BREAK.split(text[:index])
        pos = Position(len(before), len(before[-1]) + 1)
    hint = "Ta bort tecknet. Det syns ofta inte i editorn och kan ha följt med när text kopierades från ett annat program."
    if isinstance(character, int):
        return f"Filen innehåller tecknet U+{character:04X}, som inte är tillåtet i YAML.", pos, hint
    reason = getattr(exc, "reason", None) or str(exc).splitlines()[0]
    return f"Filen innehåller ett tecken som inte är tillåtet i YAML ({reason}).", pos, hint


def _explain(exc: yaml.MarkedYAMLError, text: str) -> tuple[str, Position, str]:
    """Message, position and hint for a syntax error, in Swedish."""
    problem, context = exc.problem or "", exc.context or ""
    pm, cm = exc.problem_mark, exc.context_mark
    lines = _LINE_BREAK.split(text)
    mark = pm or cm
    at = _mark(mark) if mark is not None else Position()
    row = mark.line if mark is not None else 0
    line = lines[row] if row < len(lines) else ""
    col = mark.column if mark is not None else 0
    char = line[col] if col < len(line) else ""

    # A tab: in the indentation, or where the parser stopped.
    leading = line[: len(line) - len(line.lstrip(" \t"))]
    if "tab character" in problem or char == "\t" or "\t" in leading:
        tab = line.find("\t") if "\t" in leading else col
        return "Raden är indragen med tabbtecken.", Position(row + 1, tab + 1), _TAB_HINT

    # A key without its colon: the parser notices on the next line. The key starts where the simple key did.
    if "could not find expected ':'" in problem:
        key_row = cm.line if cm is not None else row
        key_line = lines[key_row] if key_row < len(lines) else ""
        start, _ = _content(key_line)
        found = _missing_colon(key_line)
        if found:
            hint = _colon_hint(*found)
            prev = _previous(lines, key_row)
            above = _KEY_VALUE.match(_content(lines[prev])[1]) if prev is not None else None
            text_above = above.group("value") if above else None
            if text_above and _content(lines[prev])[0] == start and len(text_above.split()) > 1 \
                    and not text_above.endswith((".", "!", "?", '"', "'")):  # a sentence broken off on the line above
                hint += " Hör raden till texten på raden ovanför, dra in den med mellanslag i stället."
            return f"Kolon saknas efter nyckeln '{found[0]}'.", Position(key_row + 1, start + 1), hint
        return ("Raden är varken `nyckel: värde` eller en indragen fortsättning på texten ovanför.",
                Position(key_row + 1, start + 1),
                "Sätt kolon efter nyckeln. Hör raden till texten på raden ovanför, dra in den med mellanslag.")

    if re.match(r"mapping values are not allowed|found unexpected ':'", problem):
        start, body = _content(line)
        own = _KEY_VALUE.match(body)
        if own and own.group("value") and start + len(own.group("key")) < col:
            # `name: Obs: viktigt`: the text has a colon and a space.
            return ("Texten innehåller kolon följt av mellanslag och måste stå inom citattecken.", at,
                    f"Skriv `{own.group('key')}: {_quoted(own.group('value'))}`.")
        prev = _previous(lines, row)
        if prev is not None:
            p_start, p_body = _content(lines[prev])
            found = _missing_colon(lines[prev])
            if found and (p_start == start or (p_start < start and not found[1])) \
                    and not _continues_text(lines, prev, p_start):
                return (f"Kolon saknas efter nyckeln '{found[0]}'.", Position(prev + 1, p_start + 1),
                        _colon_hint(*found))
            above = _KEY_VALUE.match(p_body)
            if own and above and above.group("value") and not above.group("value").startswith(("|", ">")) \
                    and start > p_start:
                return (f"Nyckeln '{own.group('key')}' är indragen längre än nyckeln '{above.group('key')}' på raden "
                        "ovanför.", Position(row + 1, start + 1),
                        (f"Dra in `{own.group('key')}:` lika mycket som `{above.group('key')}:` ({p_start} "
                         "mellanslag)." if p_start else f"Ställ `{own.group('key')}:` rakt under "
                         f"`{above.group('key')}:`, utan indrag.") + " Är raden en fortsättning på texten ovanför, "
                        "sätt hela texten inom citattecken.")
        return ("Ett kolon står där det inte får stå.", at, "Text som innehåller kolon följt av mellanslag ska stå inom "
                "citattecken; kontrollera också indraget på raden och raden ovanför.")

    # A quote that ends the text too early, or never on its own line.
    if re.search(r"did not find expected key|expected <block end>|did not find expected '-' indicator|"
                 r"expected ',' or|did not find expected ','", problem):
        tokens = _tokens_before(text, row, col)
        token = tokens[-1] if tokens else None
        if isinstance(token, yaml.ScalarToken) and token.style in ("'", '"'):
            q, start, end = token.style, token.start_mark, token.end_mark
            if start.line < end.line:
                return (f"Citattecknet ({q}) avslutas inte på samma rad, utan först på rad {end.line + 1}.",
                        _mark(start), _quote_hint(q))
            if (end.line, end.column) == (row, col):
                return ("En apostrof avslutar texten inom enkla citattecken för tidigt." if q == "'" else
                        "Ett citattecken avslutar texten inom dubbla citattecken för tidigt.",
                        Position(end.line + 1, end.column), _quote_hint(q, inside=True))
            if end.line == row:
                return ("Det står text efter det avslutande citattecknet.", at,
                        "Sätt hela värdet inom citattecknen, eller ta bort citattecknen.")

    # A list item at the wrong indentation, or one that belongs to no list.
    if re.search(r"did not find expected key|did not find expected '-' indicator|expected <block end>", problem):
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        if stripped.startswith("-") and stripped[1:2] in ("", " "):
            items = [(i, len(lines[i]) - len(lines[i].lstrip(" "))) for i in range(row - 1, -1, -1)
                     if re.match(r"[ ]*-(?: |$)", lines[i])]
            items = [(i, n) for i, n in items if n != indent]
            if items:
                i, n = min(items, key=lambda item: (abs(item[1] - indent), -item[0]))
                return ("Listpunkten har fel indrag.", Position(row + 1, indent + 1),
                        f"Dra in bindestrecket lika mycket som listpunkten på rad {i + 1} ({n} mellanslag).")
            prev = _previous(lines, row)
            above = _KEY_VALUE.match(_content(lines[prev])[1]) if prev is not None else None
            if above and above.group("value"):
                key = above.group("key")
                return ("Listpunkten hör inte till någon lista.", Position(row + 1, indent + 1),
                        f"Nyckeln '{key}' har redan ett värde på samma rad. Ska listan höra till '{key}', skriv "
                        f"`{key}:` ensamt på raden och listpunkterna under.")
            return ("Listpunkten står där den inte får stå.", Position(row + 1, indent + 1),
                    "Listpunkter (`- `) står på raderna under en nyckel som slutar med kolon, alla lika mycket "
                    "indragna.")
        if "block collection" in context:
            return ("Raden står bland listpunkterna men börjar inte med bindestreck.", Position(row + 1, indent + 1),
                    "Är raden en ny listpunkt, börja den med `- `. Hör den till listpunkten ovanför, dra in den lika "
                    "mycket som texten efter bindestrecket. Annars flytta ut den till samma indrag som nyckeln "
                    "ovanför listan.")
        return ("Raden har fel indrag, eller text där en ny nyckel väntades.", Position(row + 1, indent + 1),
                "Nycklar i samma mappning står lika mycket indragna, och varje rad börjar med `nyckel:`.")

    # An unclosed quote: the parser reads on to the end of the file.
    if "quoted scalar" in context and re.search(r"end of stream|document (indicator|separator)", problem):
        q = lines[cm.line][cm.column] if cm is not None and cm.line < len(lines) else '"'
        return (f"Citattecknet ({q}) avslutas aldrig.", _mark(cm) if cm is not None else at, _quote_hint(q))

    # An unclosed [ or {: the parser notices on a later line, or at the end of the file.
    flow = re.search(r"expected ',' or '([\]}])'", problem)
    if flow:
        opening, closing = ("[", "]") if flow.group(1) == "]" else ("{", "}")
        if cm is not None and pm is not None and pm.line > cm.line:
            return _unclosed(opening, cm)
        return (f"Texten inom {opening}{closing} har ett tecken som inte hör dit.", at,
                "Skilj punkterna åt med komma, och sätt punkter som innehåller kolon, komma eller parenteser inom "
                "citattecken.")

    if re.search(r"node content", problem) and not "".join([line[col:]] + lines[row + 1:]).strip():
        token = _open_flow(_tokens_before(text, row, col))
        if token is not None:
            return _unclosed("[" if isinstance(token, yaml.FlowSequenceStartToken) else "{", token.start_mark)

    if "cannot start any token" in problem:
        own = _KEY_VALUE.match(_content(line)[1])
        example = f"`{own.group('key')}: {_quoted(own.group('value'))}`" if own and own.group("value") \
            else f"`\"{char}…\"`"
        return (f"Ett värde kan inte börja med tecknet '{char}'.", at, f"Sätt värdet inom citattecken: {example}.")

    if "escape character" in problem and char != "\\" and line[col - 1:col] == "\\":
        at = Position(row + 1, col)  # Python's parser points after the backslash, libyaml at it
    for pattern, message, hint in _PROBLEMS:
        if re.search(pattern, problem) or re.search(pattern, context):
            return message, at, hint
    found = f"{context}: {problem}" if context else problem
    return f"Filen kan inte läsas som YAML ({found or 'okänt fel'}).", at, _DEFAULT_HINT


def _quote_hint(q: str, inside: bool = False) -> str:
    if q == "'":
        return ("Skriv apostrofen dubbelt ('') eller sätt hela texten inom dubbla citattecken." if inside else
                "Avsluta texten med ' på samma rad. Ska en apostrof stå i texten, skriv den dubbelt ('') eller sätt "
                "hela texten inom dubbla citattecken.")
    return ("Skriv citattecken inne i texten som \\\" eller sätt hela texten inom enkla citattecken." if inside else
            "Avsluta texten med \" på samma rad. Ska ett citattecken stå inne i texten, skriv \\\" eller sätt hela "
            "texten inom enkla citattecken.")


_ESCAPE_HINT = ("Inom dubbla citattecken inleder \\ en kod. Skriv \\\\ för ett omvänt snedstreck, eller sätt texten "
                "inom enkla citattecken.")
_TAG_HINT = ("Innehållsfiler använder inga taggar. Ska tecknet ! stå i texten, sätt värdet inom citattecken.")
# (pattern in the problem or the context, message, hint), for the problems not diagnosed above; C and Python wording.
_PROBLEMS: tuple[tuple[str, str, str], ...] = (
    (r"sequence entries are not allowed", "En listpunkt (`- `) kan inte stå efter en nyckel på samma rad.",
     "Skriv listpunkten på en egen rad under nyckeln, eller sätt texten inom citattecken om den börjar med "
     "bindestreck."),
    (r"mapping keys are not allowed", "Ett frågetecken följt av mellanslag (`? `) kan inte stå här.",
     "Sätt texten inom citattecken."),
    (r"did not find expected node content|expected the node content",
     "Ett värde väntades här, men raden har ett tecken som inte kan inleda ett värde.",
     "Sätt värdet inom citattecken om det börjar med ett specialtecken som ], } eller ,."),
    (r"found unexpected end of stream", "Filen tar slut mitt i ett värde.", _DEFAULT_HINT),
    (r"unexpected document (indicator|separator)", "Raden `---` eller `...` står mitt i ett värde.",
     "Ta bort raden; en innehållsfil är ett enda YAML-dokument."),
    (r"\btag\b|tag handle|tag URI|URI escape|expected URI|expected '!'|expected '>'|the expected '>'",
     "Taggen (det som börjar med !) är felskriven.", _TAG_HINT),
    (r"unknown escape character", "Okänd kod efter \\ inom dubbla citattecken.", _ESCAPE_HINT),
    (r"hexdecimal number|hexadecimal numbers",
     "Koden efter \\x, \\u eller \\U inom dubbla citattecken har fel antal siffror.", _ESCAPE_HINT),
    (r"indicator in the range|indicator equal to 0", "Siffran efter | eller > ska vara mellan 1 och 9.",
     "Ta bort siffran; texten under dras in med mellanslag."),
    (r"block scalar", "Efter | eller > får inget mer stå på raden.",
     "Skriv texten på raderna under, indragna. Ska värdet börja med | eller >, sätt det inom citattecken."),
    (r"document start", "Det står något efter en rad `---` eller `...`.",
     "Ta bort raden `---` eller `...`; en innehållsfil är ett enda YAML-dokument."),
    (r"incompatible YAML document|YAML directive|%TAG|directive",
     "Raden som börjar med % är ett YAML-direktiv som inte stöds.",
     "Ta bort raden. Ska ett värde börja med %, sätt det inom citattecken."),
    (r"anchor|alias", "Tecknet & eller * följs inte av ett namn.",
     "Innehållsfiler använder inte & och *. Ska tecknet stå i texten, sätt värdet inom citattecken."),
    (r"invalid indentation or unclosed", "Raden har fel indrag, eller så stängs inte en [ eller {.", _DEFAULT_HINT),
    (r"expected ' ', but found|did not find expected whitespace|comment or (a )?line break",
     "Ett mellanslag eller radbrytning saknas här.", _DEFAULT_HINT),
)


def syntax_issue(exc: yaml.YAMLError, text: str, path: str) -> Issue:
    """The yaml-syntax issue for a parser error, in Swedish, at the line to fix."""
    if isinstance(exc, yaml.MarkedYAMLError):
        message, pos, hint = _explain(exc, text)
    else:  # the reader's errors: a character that YAML refuses
        message, pos, hint = _reader_problem(exc, text)
    return _stopped(error("yaml-syntax", message, path, pos, hint=hint))


def parse_yaml(text: str, path: str) -> tuple[Any, dict[Loc, Position], dict[Loc, Position]]:
    """Build plain data from YAML text, recording positions. Raises _LoadError."""
    value_pos: dict[Loc, Position] = {}
    key_pos: dict[Loc, Position] = {}
    # Each frame: [container, loc, pending_key, pending_key_pos]
    stack: list[list[Any]] = []
    root: Any = None
    documents = 0
    nodes = 0

    def attach(value: Any, start: Position) -> None:
        nonlocal root
        if not stack:
            root = value
            value_pos[()] = start
            return
        frame = stack[-1]
        container, loc = frame[0], frame[1]
        if isinstance(container, list):
            child = loc + (len(container),)
            container.append(value)
            value_pos[child] = start
            return
        if frame[2] is _NO_KEY:
            if not isinstance(value, (str, int, float, bool)) or value is None:
                raise _LoadError(error(
                    "yaml-key", "En nyckel måste vara enkel text.", path, start,
                    hint="Skriv nyckeln som ett ord följt av kolon, till exempel `title:`.",
                ))
            key = value if isinstance(value, str) else str(value)
            if key in container:
                first = key_pos[loc + (key,)]
                raise _LoadError(error(
                    "duplicate-key", f"Nyckeln {key!r} förekommer två gånger (första gången på rad {first.line}).",
                    path, start, hint="Ta bort eller slå ihop den ena förekomsten.",
                ))
            frame[2] = key
            frame[3] = start
            return
        key = frame[2]
        container[key] = value
        key_pos[loc + (key,)] = frame[3]
        value_pos[loc + (key,)] = start
        frame[2] = _NO_KEY

    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.AliasEvent):
                raise _LoadError(error(
                    "yaml-alias", f"YAML-alias (*{event.anchor}) är inte tillåtna i innehållsfiler.", path,
                    _mark(event.start_mark),
                    hint="Skriv ut värdet i stället för att hänvisa med & och *. Alias kan användas för att "
                    "blåsa upp en liten fil till enorma mängder data.",
                ))
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise _LoadError(error(
                        "yaml-documents", "Filen innehåller mer än ett YAML-dokument.", path, _mark(event.start_mark),
                        hint="Lägg varje post i en egen fil och ta bort raden `---`.",
                    ))
                continue
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                nodes += 1
                if len(stack) >= MAX_DEPTH:
                    raise _LoadError(error(
                        "yaml-depth", f"Strukturen är nästlad djupare än {MAX_DEPTH} nivåer.", path,
                        _mark(event.start_mark), hint="Innehållsfiler behöver bara några få nivåer; kontrollera indraget.",
                    ))
                container: Any = {} if isinstance(event, yaml.MappingStartEvent) else []
                start = _mark(event.start_mark)
                plain = "tag:yaml.org,2002:map" if isinstance(container, dict) else "tag:yaml.org,2002:seq"
                if event.tag not in (None, "!", plain):  # e.g. !!python/object/apply:os.system [...] or !!set {...}
                    raise _LoadError(error(
                        "yaml-tag", f"YAML-taggen {event.tag!r} är inte tillåten i innehållsfiler.", path, start,
                        hint="Ta bort taggen (det som börjar med !) och skriv värdet som en vanlig lista eller mappning.",
                    ))
                loc = _child_loc(stack)
                attach(container, start)
                stack.append([container, loc, _NO_KEY, None])
                continue
            if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                stack.pop()
                continue
            if isinstance(event, yaml.ScalarEvent):
                nodes += 1
                if nodes > MAX_NODES:
                    raise _LoadError(error(
                        "too-large", f"Filen har fler än {MAX_NODES} värden.", path, _mark(event.start_mark),
                        hint="Dela upp innehållet i flera filer, en post per fil.",
                    ))
                attach(_scalar(event, path), _mark(event.start_mark))
    except _LoadError as exc:  # a problem found while reading stops the file: say that the rest was not read
        raise _LoadError(_stopped(exc.issue)) from None
    except yaml.YAMLError as exc:  # syntax, and the reader's errors (e.g. control characters)
        raise _LoadError(syntax_issue(exc, text, path)) from None
    except RecursionError:  # pragma: no cover - the depth limit comes first
        raise _LoadError(_stopped(error("yaml-depth", "Strukturen är för djupt nästlad.", path)))
    return root, value_pos, key_pos


class _NoKey:
    def __repr__(self) -> str:  # pragma: no cover
        return "<no key>"


_NO_KEY = _NoKey()


def _child_loc(stack: list[list[Any]]) -> Loc:
    if not stack:
        return ()
    container, loc, pending = stack[-1][0], stack[-1][1], stack[-1][2]
    if isinstance(container, list):
        return loc + (len(container),)
    return loc + (pending,)


# --- Fast path: data without positions, and the per-file cache ----------------------------------------------------
#
# A file that loads without a problem needs its positions only when a later stage reports something in it, which
# is rare. _parse_data builds the same data as parse_yaml without recording where each part starts, and refuses
# (with any exception) whatever parse_yaml would report; load_file then runs parse_yaml for the exact issue. The
# positions are found when first asked for (Document.value_pos).

_ScalarEvent, _AliasEvent = yaml.ScalarEvent, yaml.AliasEvent
_MappingStart, _SequenceStart = yaml.MappingStartEvent, yaml.SequenceStartEvent
_MappingEnd, _SequenceEnd = yaml.MappingEndEvent, yaml.SequenceEndEvent
_DocumentStart, _StreamEnd = yaml.DocumentStartEvent, yaml.StreamEndEvent
_KEY_TYPES = (str, int, float, bool)
_PLAIN_TAGS = {_MappingStart: (None, "!", "tag:yaml.org,2002:map"), _SequenceStart: (None, "!", "tag:yaml.org,2002:seq")}


class _Refused(Exception):
    """Something parse_yaml reports: it is run again, with positions, for the issue."""


def _frame_loc(stack: list[list[Any]]) -> Loc:
    """The location of the value being attached to the top frame (only asked for dates, which are few)."""
    parts: list[Any] = []
    for frame in stack[:-1]:
        parts.append(len(frame[0]) - 1 if frame[1] else frame[3])
    top = stack[-1]
    parts.append(len(top[0]) if top[1] else top[2])
    return tuple(parts)


def _parse_data(text: str) -> tuple[Any, list[tuple[Loc, Any]]]:
    """The data of a YAML text that parse_yaml accepts, and the dates in it (location, value). Raises on anything
    parse_yaml would refuse."""
    loader = _Loader(text)
    try:
        get = loader.get_event
        # Each frame: [container, is_list, pending_key, last_key]
        stack: list[list[Any]] = []
        root: Any = None
        documents = nodes = 0
        dates: list[tuple[Loc, Any]] = []
        while True:
            event = get()
            cls = type(event)
            if cls is _ScalarEvent:
                nodes += 1
                if nodes > MAX_NODES:
                    raise _Refused
                value = _scalar(event, "")
                if isinstance(value, _dt.date):
                    if not stack or (not stack[-1][1] and stack[-1][2] is _NO_KEY):
                        raise _Refused  # a date as the whole file, or as a key
                    dates.append((_frame_loc(stack), value))
                container = None
            elif cls is _MappingStart or cls is _SequenceStart:
                nodes += 1
                if len(stack) >= MAX_DEPTH or event.tag not in _PLAIN_TAGS[cls]:
                    raise _Refused
                value = container = {} if cls is _MappingStart else []
            elif cls is _MappingEnd or cls is _SequenceEnd:
                stack.pop()
                continue
            elif cls is _DocumentStart:
                documents += 1
                if documents > 1:
                    raise _Refused
                continue
            elif cls is _StreamEnd:
                return root, dates
            elif cls is _AliasEvent:
                raise _Refused
            else:  # stream start, document end
                continue
            if not stack:
                root = value
            else:
                frame = stack[-1]
                if frame[1]:
                    frame[0].append(value)
                elif frame[2] is _NO_KEY:
                    if container is not None or value is None or not isinstance(value, _KEY_TYPES):
                        raise _Refused
                    key = value if isinstance(value, str) else str(value)
                    if key in frame[0]:
                        raise _Refused
                    frame[2] = key
                else:
                    frame[0][frame[2]] = value
                    frame[3] = frame[2]
                    frame[2] = _NO_KEY
            if container is not None:
                stack.append([container, cls is _SequenceStart, _NO_KEY, None])
    finally:
        loader.dispose()


#: Where loaded files are kept (generators/cache.py): the data of a file that loaded without a problem, by its bytes.
CACHE_AREA = "load"


def _json_default(value: Any) -> Any:
    if isinstance(value, _dt.date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def _cache_entry(data: Any, dates: list[tuple[Loc, Any]]) -> bytes:
    fixups = [[list(loc), "t" if isinstance(v, _dt.datetime) else "d", v.isoformat()] for loc, v in dates]
    return json.dumps({"data": data, "dates": fixups}, ensure_ascii=False, default=_json_default,
                      separators=(",", ":")).encode("utf-8")


def _from_cache(entry: bytes) -> Any:
    """The data of a cache entry; raises on an entry that is not one."""
    stored = json.loads(entry)
    data = stored["data"]
    for loc, kind, iso in stored["dates"]:
        node = data
        for part in loc[:-1]:
            node = node[part]
        node[loc[-1]] = _dt.datetime.fromisoformat(iso) if kind == "t" else _dt.date.fromisoformat(iso)
    if not isinstance(data, dict) or not data:
        raise ValueError("not a content file")
    return data


def pack_folder(content_dir: Path) -> Path | None:
    """Where load_tree keeps the cache entries of ``content_dir`` (None when the cache is off)."""
    return cache.Pack(CACHE_AREA, str(content_dir.resolve())).folder


def cached_data(store: cache.Pack, k: str) -> Any | None:
    """The data of the file whose bytes have the cache key ``k`` (a Document's ``digest``), from its entry in
    ``store``, as load_file would take it; None when there is no such entry or it is damaged."""
    entry = store.get(k)
    if entry is None:
        return None
    try:
        return _from_cache(entry)
    except Exception:  # noqa: BLE001  a damaged entry is a miss, as in load_file
        return None


#: The cache entries of the folder that load_tree is reading (cache.Pack), for load_file.
_folder_store: contextvars.ContextVar[cache.Pack | None] = contextvars.ContextVar("handbok_load_store", default=None)


def decode(raw: bytes, path: str) -> str:
    """Decode UTF-8 (with or without BOM); a bad byte is reported where it stands."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        hint = "Spara filen som UTF-8 i editorn."
        try:
            raw.decode("cp1252")
            hint = "Filen verkar vara sparad som Windows-1252 eller Latin-1. Spara om den som UTF-8."
        except UnicodeDecodeError:
            pass
        if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
            hint = "Filen är sparad som UTF-16. Spara om den som UTF-8."
        raise _LoadError(error("encoding", f"Filen är inte giltig UTF-8 (byte 0x{raw[exc.start]:02x}).", path,
                               Position(line, col), hint=hint))


def load_file(file: Path, kind: str, shown: str | None = None, store: cache.Pack | None = None, *,
              read: tuple[bytes, str | None] | None = None) -> tuple[Document | None, list[Issue]]:
    """One content file. ``store`` (by default the one load_tree has set) keeps the cache entries of a whole folder
    in a few files; without it each entry is a file of its own. ``read`` is the file's bytes and cache key when the
    caller has read them already (load_tree, ``_read_ahead``)."""
    path = shown or display_path(file)
    if store is None:
        store = _folder_store.get()
    if read is None:
        # A file that loaded without a problem before, byte for byte, is taken from the cache: no parsing at all.
        on = store.folder is not None if store is not None else cache.root() is not None
        try:
            read = _read_keyed(file, path, on)
        except OSError as exc:
            return None, [read_error(exc, path)]
        except _LoadError as exc:
            return None, [exc.issue]
    raw, k = read
    entry = None if k is None else store.get(k) if store is not None else cache.get(CACHE_AREA, k)
    if entry is not None:
        try:
            return Document(path, kind, _from_cache(entry), source=raw, digest=k), []
        except Exception:  # a damaged entry counts as a miss
            pass
    try:
        text = decode(raw, path)
        if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
            raise _LoadError(error("empty-file", "Filen är tom.", path,
                                   hint="Fyll i posten (se README: Skriva innehåll) eller ta bort filen."))
        try:
            fast, dates = _parse_data(text)
        except Exception:  # something parse_yaml reports, with its position
            fast = None
        if isinstance(fast, dict):
            if k is not None:
                try:
                    entry = _cache_entry(fast, dates)
                except (TypeError, ValueError):  # not representable as JSON (a lone surrogate): just not kept
                    k = None
                if k is not None:
                    if store is not None:
                        store.put(k, entry)
                    else:
                        cache.put(CACHE_AREA, k, entry)
            return Document(path, kind, fast, source=text, digest=k), []
        data, value_pos, key_pos = parse_yaml(text, path)
    except _LoadError as exc:
        return None, [exc.issue]
    if data is None:
        return None, [error("empty-file", "Filen är tom.", path,
                            hint="Fyll i posten (se README: Skriva innehåll) eller ta bort filen.")]
    if not isinstance(data, dict):
        return None, [error("wrong-type", "En innehållsfil ska vara en mappning med nycklar som `id:` och `title:`.",
                            path, value_pos.get((), Position()),
                            hint="Börja filen med `id: ...` på första raden, utan bindestreck framför.")]
    return Document(path, kind, data, value_pos, key_pos), []


@dataclass
class Prose:
    """A Markdown file of running text (a chapter of the action plan)."""

    path: str
    text: str


def load_prose(file: Path, too_large_hint: str = "Dela upp kapitlet i flera filer.") -> tuple[Prose | None, list[Issue]]:
    """Read a Markdown file with the same limits and encoding checks as the YAML files."""
    path = display_path(file)
    try:
        raw = _read_limited(file, path, too_large_hint)
        return Prose(path, decode(raw, path).replace("\r\n", "\n")), []
    except _LoadError as exc:
        return None, [exc.issue]
    except FileNotFoundError:
        return None, [error("read", f"Filen {path} finns inte.", path,
                            hint="Kontrollera `file:` i planens YAML-fil; sökvägen är relativ till content/plans/.")]
    except OSError as exc:
        return None, [read_error(exc, path)]


def iter_content_files(content_dir: Path, errors: list[OSError] | None = None) -> Iterator[tuple[Path, str]]:
    """Content YAML files in a stable order, never following directory symlinks.

    Folders that cannot be read are added to ``errors`` when it is given (os.walk would skip them silently).
    """
    for stem, kind in sorted(KIND_FILES.items()):
        for suffix in YAML_SUFFIXES:
            if (content_dir / f"{stem}{suffix}").is_file():
                yield content_dir / f"{stem}{suffix}", kind
    for sub, kind in sorted(KIND_DIRS.items()):
        for file in walk_files(content_dir / sub, errors):
            if file.name.endswith(YAML_SUFFIXES) and not file.name.startswith("."):
                yield file, kind


def walk_files(top: Path, errors: list[OSError] | None = None) -> Iterator[Path]:
    """The files under ``top`` in a stable order, skipping folders named .* and _*, never following directory
    symlinks. Folders that cannot be read are added to ``errors`` when it is given."""
    if not top.is_dir():
        return
    for root, dirs, files in os.walk(top, followlinks=False, onerror=None if errors is None else errors.append):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))
        for name in sorted(files):
            yield Path(root) / name


TOO_LARGE_HINT = "En post per fil räcker långt under gränsen. Dela upp innehållet."


def _read_keyed(file: Path, path: str, keyed: bool) -> tuple[bytes, str | None]:
    """The file's bytes and, when ``keyed``, its cache key. Raises OSError or _LoadError (``path`` names the file)."""
    raw = _read_limited(file, path, TOO_LARGE_HINT)
    return raw, cache.key(CACHE_AREA, raw) if keyed else None


#: The fewest files missing from the cache for which load_tree parses them in worker processes. Starting the workers
#: (spawned, each importing this module) takes about 0.3 s; parsing a file about 1 ms, so two workers pay from here.
PARALLEL_FROM = 1000
#: Files per task sent to a worker.
PARALLEL_CHUNK = 100


def _read_ahead(files: list[tuple[Path, str]], store: cache.Pack) -> list[tuple[str, tuple[bytes, str]] | None]:
    """Each file's path as shown, and its bytes and cache key, for load_file; None where the file cannot be read
    (load_file reports it) or the cache is off. When ``PARALLEL_FROM`` files or more are missing from the cache, they
    are parsed in worker processes first, and their entries put in ``store``: load_file then finds them there, as on
    a warm check."""
    if store.folder is None or len(files) < PARALLEL_FROM:
        return [None] * len(files)
    ahead: list[tuple[str, tuple[bytes, str]] | None] = []
    missing: list[tuple[str, str, bytes]] = []
    for file, _ in files:
        shown = display_path(file)
        try:
            raw, k = _read_keyed(file, shown, True)
        except (OSError, _LoadError):
            ahead.append(None)
            continue
        ahead.append((shown, (raw, k)))
        if not store.has(k):
            missing.append((k, shown, raw))
    if len(missing) >= PARALLEL_FROM and workers.cores() > 1:
        _parse_in_workers(missing, store)
    return ahead


def _parse_in_workers(missing: list[tuple[str, str, bytes]], store: cache.Pack) -> None:
    """Parse (key, path, bytes) in worker processes, one per core, and put each file's cache entry in ``store``.

    A file that a worker could not make an entry of (a problem to report, data JSON cannot hold) is left out: the
    main process loads it as before and reports its problem. If the workers cannot start or fail, all of them are.
    """
    chunks = [missing[i:i + PARALLEL_CHUNK] for i in range(0, len(missing), PARALLEL_CHUNK)]
    pool = workers.pool()
    try:
        for chunk, entries in zip(chunks, pool.map(_entries, [[(p, raw) for _, p, raw in c] for c in chunks])):
            for (k, _, _), entry in zip(chunk, entries):
                if entry is not None:
                    store.put(k, entry)
    except Exception:  # noqa: BLE001  a broken pool, or a worker that could not start: load_file parses them
        pass
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _entries(files: list[tuple[str, bytes]]) -> list[bytes | None]:
    """In a worker: the cache entry of each (path, bytes), as load_file makes it, or None where load_file must load
    the file itself (it does not decode, is empty, has a syntax problem or is not a mapping)."""
    out: list[bytes | None] = []
    for path, raw in files:
        try:
            data, dates = _parse_data(decode(raw, path))
            out.append(_cache_entry(data, dates) if isinstance(data, dict) and data else None)
        except Exception:  # noqa: BLE001  whatever it is, load_file finds and reports it
            out.append(None)
    return out


def load_tree(content_dir: Path, failed: list[tuple[str, str]] | None = None) -> tuple[list[Document], list[Issue]]:
    """Every content file that loads, and the problems of those that do not.

    ``failed`` gets (kind, file name without suffix) for each file that does not load, so that
    references to it need not be reported as well.
    """
    docs: list[Document] = []
    issues: list[Issue] = []
    if not content_dir.is_dir():
        issues.append(error("content-dir", f"Innehållsmappen {display_path(content_dir)} finns inte.",
                            display_path(content_dir), hint="Ange rätt mapp med --content DIR."))
        return docs, issues
    unreadable: list[OSError] = []
    # The folder's cache entries are kept together (cache.Pack): one file per entry made a cold check much slower.
    store = cache.Pack(CACHE_AREA, str(content_dir.resolve()))
    token = _folder_store.set(store)
    try:
        files = list(iter_content_files(content_dir, unreadable))
        ahead = _read_ahead(files, store)
        for (file, kind), read in zip(files, ahead):
            doc, problems = load_file(file, kind) if read is None else load_file(file, kind, read[0], read=read[1])
            issues.extend(problems)
            if doc is not None:
                docs.append(doc)
            elif failed is not None:
                failed.append((kind, file.name.rsplit(".", 1)[0]))
    finally:
        _folder_store.reset(token)
    store.flush()
    for exc in unreadable:
        issues.append(read_error(exc, display_path(Path(exc.filename or content_dir)), "Mappen"))
    return docs, issues


def walk_strings(data: Any, loc: Loc = (), skip_keys: frozenset[str] = frozenset()) -> Iterator[tuple[Loc, Any, str]]:
    """Every string in loaded data, with its location and the key it stands under, in document order.

    Iterative, so that deep nesting cannot exhaust the stack; parts under a key in ``skip_keys`` are left out.
    """
    todo: list[tuple[Loc, Any, Any]] = [(loc, None, data)]
    while todo:
        here, key, node = todo.pop()
        if isinstance(node, str):
            yield here, key, node
        elif isinstance(node, dict):
            todo.extend((here + (k,), k, v) for k, v in reversed(list(node.items())) if k not in skip_keys)
        elif isinstance(node, list):
            todo.extend((here + (i,), key, v) for i, v in reversed(list(enumerate(node))))



def strings_only(data: Any, skip_keys: frozenset[str] = frozenset(), drop_keys: frozenset[str] = frozenset()) -> list[str]:
    """The strings that ``walk_strings(data, skip_keys=skip_keys)`` yields under a key not in ``drop_keys``, in the
    same order, without their locations: the cheap first look of a check, which finds the locations only for a
    file that has something to report. Recursive: for loaded data, whose depth the loader bounds (MAX_DEPTH)."""
    out: list[str] = []
    append = out.append

    def visit(node: Any, key: Any) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                if k in skip_keys:
                    continue
                if isinstance(v, str):
                    if k not in drop_keys:
                        append(v)
                elif isinstance(v, (dict, list)):
                    visit(v, k)
        else:
            keep = key not in drop_keys
            for v in node:
                if isinstance(v, str):
                    if keep:
                        append(v)
                elif isinstance(v, (dict, list)):
                    visit(v, key)

    if isinstance(data, str):
        if None not in drop_keys:
            append(data)
    elif isinstance(data, (dict, list)):
        visit(data, None)
    return out
