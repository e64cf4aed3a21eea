"""Stage 1, load: read the content tree into plain data with source positions.

Each YAML file is read on its own, so a broken file is reported and the others go
on (Pelican's way). The reader is built on PyYAML's event stream, with the C
parser when present: it never recurses, so it bounds nesting depth and refuses
aliases (alias bombs) before any value is built, and it records where every key
and value starts so that later stages can name the line and column.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import yaml

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

Loc = tuple[Any, ...]


@dataclass
class Document:
    """One content file: its data and where each part of it starts."""

    path: str  # as shown in messages, relative to the working directory when possible
    kind: str
    data: Any
    value_pos: dict[Loc, Position] = field(default_factory=dict)
    key_pos: dict[Loc, Position] = field(default_factory=dict)

    def pos(self, loc: Loc, key: bool = False) -> Position:
        """Position of the deepest part of ``loc`` that exists in the file.

        Locations from pydantic may contain entries that are not in the file
        (union member names, or a missing key); those are skipped.
        """
        best: Loc = ()
        prefix: Loc = ()
        for part in loc:
            candidate = prefix + (part,)
            if candidate in self.value_pos:
                prefix = best = candidate
        if key and best in self.key_pos:
            return self.key_pos[best]
        return self.value_pos.get(best, Position())

    def has(self, loc: Loc) -> bool:
        return loc in self.value_pos


def display_path(path: Path) -> str:
    try:
        full = path.resolve()
    except (OSError, RuntimeError):  # symbolic links in a loop (RuntimeError before Python 3.13)
        full = Path(os.path.abspath(path))
    try:
        return str(full.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


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
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or "okänt fel"
        hint = "Kontrollera indrag, kolon och citattecken på raden och raden före."
        lines = text.splitlines()
        bad_line = lines[mark.line] if mark is not None and mark.line < len(lines) else ""
        if "\t" in bad_line[: mark.column + 1] if mark is not None else False:
            hint = "YAML tillåter inte tabbtecken för indrag; använd mellanslag."
        elif "mapping values are not allowed" in problem:
            hint = "Text som innehåller ': ' måste stå inom citattecken, eller så är indraget fel."
        raise _LoadError(error("yaml-syntax", f"YAML-syntaxfel: {problem}.", path, _mark(mark) if mark else Position(), hint=hint))
    except yaml.YAMLError as exc:  # reader errors, e.g. control characters
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        pos = Position()
        if mark is not None:
            pos = _mark(mark)
        elif hasattr(exc, "position") and isinstance(getattr(exc, "position"), int):
            before = text[: exc.position]  # type: ignore[attr-defined]
            pos = Position(before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1)
        reason = getattr(exc, "reason", None) or str(exc).splitlines()[0]
        raise _LoadError(error("yaml-syntax", f"YAML-syntaxfel: {reason}.", path, pos,
                               hint="Filen innehåller ett tecken som YAML inte tillåter; ta bort det."))
    except RecursionError:  # pragma: no cover - the depth limit comes first
        raise _LoadError(error("yaml-depth", "Strukturen är för djupt nästlad.", path))
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


def load_file(file: Path, kind: str, shown: str | None = None) -> tuple[Document | None, list[Issue]]:
    path = shown or display_path(file)
    try:
        raw = _read_limited(file, path, "En post per fil räcker långt under gränsen. Dela upp innehållet.")
    except OSError as exc:
        return None, [read_error(exc, path)]
    except _LoadError as exc:
        return None, [exc.issue]
    try:
        text = decode(raw, path)
        if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
            raise _LoadError(error("empty-file", "Filen är tom.", path,
                                   hint="Fyll i posten (se README: Skriva innehåll) eller ta bort filen."))
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
    for file, kind in iter_content_files(content_dir, unreadable):
        doc, problems = load_file(file, kind)
        issues.extend(problems)
        if doc is not None:
            docs.append(doc)
        elif failed is not None:
            failed.append((kind, file.name.rsplit(".", 1)[0]))
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
