"""Fuzzing: broken copies of the real content give messages with file and line, never a traceback or a hang.

Each example takes one real content file (a YAML record, a Markdown chapter or page, or the stored
accessibility audit), breaks it in one of many ways and runs the whole check, in-process, on a copy of the
content tree in which only that file is replaced:

- bytes: flipped, inserted, deleted, truncated; invalid UTF-8, BOMs, NUL, tabs, CR line ends;
- structure: keys renamed, values of another type (text, list, mapping, number, null, bool, date), entries
  dropped, copied or repeated thousands of times, values nested deeper than allowed;
- payloads: deep nesting of every YAML kind, alias bombs, YAML tags, duplicate keys, several documents,
  huge strings and files, long runs of Markdown reference syntax.

Per example: no exception escapes the check, every issue carries a file, a line and a column, a file
that no longer loads or validates is named in an error, and the example ends in bounded time: Hypothesis'
deadline, and SIGALRM as a hard limit so that a hang fails the test instead of hanging CI.

For speed the unchanged files are loaded once per module and their Documents reused (load.load_file is
wrapped); the replaced file is loaded from disk every time, and model, graph and checks always run on the
whole tree.

The examples are derandomized (the same ones in every run) and no example database is written. Set
HANDBOK_FUZZ_EXAMPLES=2000 for a longer local run with that many examples per test, and
HANDBOK_FUZZ_SEED=<n> to draw other examples than CI does.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import re
import shutil
import signal
import stat
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from conftest import ROOT, run_cli
from generators import graph as graph_mod
from generators import load as load_mod
from generators.issues import Issue, Severity
from generators.load import KIND_DIRS, MAX_BYTES, load_file, load_prose
from generators.model import build_record
from generators.pipeline import build_date, check_content
from generators.prose import scan

CONTENT = ROOT / "content"
TODAY = build_date()  # as `handbok check` decides it, so that the unchanged content passes
HARD_LIMIT = 30.0  # seconds per example, enforced with SIGALRM
DEADLINE = dt.timedelta(seconds=15)

# --- the seeds: the real content files ---------------------------------------------------------------------

_SKIP_DIRS = ("_schemas",)


def _kind_of(rel: str) -> str | None:
    """The content kind of a YAML file, by its folder (as load.iter_content_files decides it)."""
    for folder, kind in sorted(KIND_DIRS.items(), key=lambda kv: -len(kv[0])):
        if rel.startswith(folder + "/"):
            return kind
    return None


def _seeds(pattern: str) -> list[str]:
    return sorted(str(p.relative_to(CONTENT)) for p in CONTENT.glob(pattern)
                  if p.is_file() and not p.relative_to(CONTENT).parts[0].startswith(_SKIP_DIRS))


YAML_SEEDS = [rel for rel in _seeds("**/*.yml") if _kind_of(rel)]
MD_SEEDS = _seeds("plans/**/*.md") + _seeds("pages/**/*.md")
JSON_SEEDS = _seeds("accessibility/*.json")


def _walk(data: Any) -> Iterator[Any]:
    yield data
    if isinstance(data, dict):
        for k, v in data.items():
            yield k
            yield from _walk(v)
    elif isinstance(data, list):
        for v in data:
            yield from _walk(v)


def _collect() -> tuple[list[str], list[str], list[str]]:
    keys: set[str] = set()
    ids: set[str] = set()
    texts: set[str] = set()
    for rel in YAML_SEEDS:
        data = yaml.load((CONTENT / rel).read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            ids.add(data["id"])
        for node in _walk(data):
            if isinstance(node, dict):
                keys.update(k for k in node if isinstance(k, str))
            elif isinstance(node, str) and len(node) < 80:
                texts.add(node)
    return sorted(keys), sorted(ids), sorted(texts)


KEYS, IDS, TEXTS = _collect()

# --- mutations ---------------------------------------------------------------------------------------------
# Strategies draw small recipes (tuples); the bytes are built from them in the test. A failing example is
# then printed as a short recipe, not as half a megabyte of bytes.

BYTE_TOKENS = [
    b"\x00", b"\t", b"\r", b"\r\n", b"\n", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x80", b"\xc3", b"\xe4",
    b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xc2\x85", b"\xe2\x80\xa8", b"\x1b[31m", b"\x07", b"\x7f",
    b"&a ", b"*a ", b"&a [x, *a]", b"<<: *a", b"? ", b": ", b"- ", b"[", b"]", b"{", b"}", b"'", b'"', b"|",
    b">", b"#", b"~", b"@", b"`", b"%", b"\\", b",", b"---\n", b"...\n", b"%YAML 1.1\n", b"%TAG ! tag:x,2000:\n",
    b"!!python/object:os.system ", b"!!python/object/apply:os.system [ls] ", b"!!binary ", b"!!set ", b"!!omap ",
    b"!!str ", b"!!int ", b"!!float ", b"!!timestamp ", b"!x ", b"!<tag:yaml.org,2002:python/none> ",
    b"0x1F", b"0o17", b"1e400", b".nan", b"-.inf", b"2024-02-30", b"9999-12-31", b"0000-01-01",
    b"2024-01-01T10:00:00Z", b"2024-01-01 10:00:00+25:00", b"1_000", b"yes", b"null", b"\xc3\xa5\xc3\xa4\xc3\xb6",
]
_POS = st.integers(0, 2**20)


def _at(data: bytes, pos: int) -> int:
    return pos % (len(data) + 1)


BYTE_OPS = st.one_of(
    st.tuples(st.just("flip"), _POS, st.integers(1, 255)),
    st.tuples(st.just("insert"), _POS, st.one_of(st.binary(min_size=1, max_size=8), st.sampled_from(BYTE_TOKENS))),
    st.tuples(st.just("delete"), _POS, st.integers(1, 200)),
    st.tuples(st.just("truncate"), _POS),
    st.tuples(st.just("replace-all"), st.sampled_from([(b"\n", b"\r"), (b"\n", b"\r\n"), (b"  ", b"\t"),
                                                       (b": ", b":"), (b"- ", b"-"), (b"\n", b"\n\n  ")])),
)


def apply_byte_op(data: bytes, op: tuple) -> bytes:
    name = op[0]
    if name == "flip":
        i = _at(data, op[1])
        return data if i == len(data) else data[:i] + bytes([data[i] ^ op[2]]) + data[i + 1:]
    if name == "insert":
        i = _at(data, op[1])
        return data[:i] + op[2] + data[i:]
    if name == "delete":
        i = _at(data, op[1])
        return data[:i] + data[i + op[2]:]
    if name == "truncate":
        return data[:_at(data, op[1])]
    if name == "replace-all":
        return data.replace(*op[1])
    raise AssertionError(op)


# Values of every type the content could hold, and a few it never should.
VALUES = st.one_of(
    st.sampled_from([
        None, True, False, 0, -1, 1.5, 2**63, 10**400, float("inf"), float("nan"), "", " ", "x", "å", "\u202e",
        "\x00", "\t", "a\nb", "{kommun}", "{x}", "19121212-1212", "08-123 45 67", "namn@example.org",
        dt.date(1, 1, 1), dt.date(9999, 12, 31), dt.date(2024, 2, 29), dt.datetime(2024, 1, 1, 10, 0),
        dt.datetime(9999, 12, 31, 23, 59), [], {}, [None], {"a": None}, [[]], [{}], {"id": "x"},
        "5 kap. 11 § SoL", "artikel 12.1 c", "kap. 4 § 1 a BrB", "utlanningslagen#k5-p15-s2", "SFS 2005:716",
        "99 kap. 99 § SoL", "§", "kap.", "artikel", "(", ")", "#", "a#", "#k1", "ej ansluten", "utkast",
    ]),
    st.sampled_from(IDS),
    st.sampled_from(TEXTS),
    st.text(max_size=40),
    st.integers(),
    st.floats(),
    st.tuples(st.sampled_from(["x", "1", "a-", "å", " ", "5 kap. 1 § ", "[@a]"]),
              st.sampled_from([81, 301, 401, 2001, 20_001, 100_000, 600_000])).map(lambda t: t[0] * t[1]),
    st.lists(st.sampled_from(IDS + TEXTS[:50]), max_size=5),
)
NEW_KEYS = st.one_of(st.sampled_from(KEYS), st.text(max_size=12),
                     st.sampled_from([None, 1, 1.5, True, dt.date(2024, 1, 1), "", " ", "id ", "ID", "<<"]))
_NODE = st.integers(0, 2**16)
STRUCT_OPS = st.one_of(
    st.tuples(st.just("set"), _NODE, VALUES),
    st.tuples(st.just("rename"), _NODE, NEW_KEYS),
    st.tuples(st.just("drop"), _NODE),
    st.tuples(st.just("repeat"), _NODE, st.sampled_from([2, 50, 3000, 20_000])),
    st.tuples(st.just("nest"), _NODE, st.integers(1, 40), st.sampled_from(["list", "dict"])),
    st.tuples(st.just("copy"), _NODE, _NODE),
)
TEXT_OPS = st.one_of(
    st.tuples(st.just("dup-line"), _NODE),
    st.tuples(st.just("tab-indent"), _NODE),
    st.tuples(st.just("bom"), st.sampled_from(["\ufeff", "\ufeff\ufeff"])),
)


def _nodes(data: Any, loc: tuple = ()) -> list[tuple]:
    out = [loc]
    if isinstance(data, dict):
        for k, v in data.items():
            out.extend(_nodes(v, loc + (k,)))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out.extend(_nodes(v, loc + (i,)))
    return out


def _get(data: Any, loc: tuple) -> Any:
    for part in loc:
        data = data[part]
    return data


def apply_struct_op(data: Any, op: tuple) -> Any:
    nodes = [n for n in _nodes(data) if n]  # never the root: the file stays a mapping, so the model sees it
    if not nodes:
        return data
    loc = nodes[op[1] % len(nodes)]
    parent = _get(data, loc[:-1])
    last = loc[-1]
    name = op[0]
    if name == "set":
        parent[last] = copy.deepcopy(op[2])
    elif name == "rename":
        if isinstance(parent, dict):
            parent[op[2]] = parent.pop(last)
    elif name == "drop":
        del parent[last]
    elif name == "repeat":
        # At most about 2 MB of YAML: more is refused as too large anyway, and only costs time to write.
        count = max(2, min(op[2], 2_000_000 // (len(json.dumps(parent[last], default=str)) + 4)))
        copies = [copy.deepcopy(parent[last]) for _ in range(count)]  # not shared: later ops change one copy
        if isinstance(parent, list):
            parent[last:last + 1] = copies
        else:
            parent[last] = copies
    elif name == "nest":
        value = parent[last]
        for _ in range(op[2]):
            value = [value] if op[3] == "list" else {"a": value}
        parent[last] = value
    elif name == "copy":
        parent[last] = copy.deepcopy(_get(data, nodes[op[2] % len(nodes)]))
    return data


def apply_text_op(text: str, op: tuple) -> str:
    lines = text.split("\n")
    if op[0] == "dup-line":
        i = op[1] % len(lines)
        lines.insert(i, lines[i])
    elif op[0] == "tab-indent":
        i = op[1] % len(lines)
        lines[i] = re.sub(r"^ +", "\t", lines[i])
    elif op[0] == "bom":
        return op[1] + text
    return "\n".join(lines)


class _Dumper(yaml.CSafeDumper):
    def ignore_aliases(self, data: Any) -> bool:  # repeated entries are written out, not as &id001 / *id001
        return True


def dump_yaml(data: Any) -> bytes:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10**6).encode("utf-8")


def _billion_laughs(levels: int, width: int) -> str:
    out = ["a0: &a0 [lol]"]
    for i in range(1, levels + 1):
        out.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    return "\n".join(out) + "\n"


def yaml_payload(kind: str, n: int) -> str:
    """Nasty YAML of a kind, scaled by n."""
    return {
        "flow-list": "[" * n,
        "flow-list-closed": "[" * n + "]" * n,
        "flow-map": "{a: " * n,
        "flow-map-closed": "{a: " * n + "b" + "}" * n,
        "block-list": "- " * n + "x",
        "block-map": "".join(" " * i + "a:\n" for i in range(min(n, 3000))) + " " * min(n, 3000) + "x",
        "mixed": "[{a: " * n,
        "alias-bomb": _billion_laughs(min(n, 12), 10),
        "anchor": "&a x",
        "merge": "<<: {a: 1}",
        "many-keys": "".join(f"k{i}: v\n" for i in range(n)),
        "duplicate-keys": "id: x\n" * n,
        "documents": "id: x\n---\n" * min(n, 1000),
        "directive": "%YAML 1.1\n%TAG !e! tag:example.com,2000:\n---\nid: !e!x y\n",
        "long-string": "title: " + "x" * n,
        "long-quoted": 'title: "' + "\\u00e5" * n + '"',
        "long-key": "k" * n + ": v",
        "long-int": "value: " + "9" * n,
        "long-float": "value: 0." + "1" * n + "e-400",
        "many-lines": "note: |\n" + "  x\n" * n,
        "complex-key": "? [a, b]\n: c",
        "null-key": "~: x",
        "date-key": "2024-01-01: x",
        "python-tag": "id: !!python/object/apply:os.system ['true']",
        "binary-tag": "id: !!binary aGVq",
        "set-tag": "id: !!set {a, b}",
        "local-tag": "id: !lokal x",
        "control": "id: a\x01b",
        "surrogate-escape": 'id: "\\ud800"',
        "utf16": "\ufeffid: x",
        "nul": "id: a\x00b",
        "tab-indent": "steps:\n\t- x",
        "cr-only": "id: a\rtitle: b\r",
        "nel": "id: a\x85title: b",
    }[kind]


YAML_PAYLOAD_KINDS = ["flow-list", "flow-list-closed", "flow-map", "flow-map-closed", "block-list", "block-map",
                      "mixed", "alias-bomb", "anchor", "merge", "many-keys", "duplicate-keys", "documents",
                      "directive", "long-string", "long-quoted", "long-key", "long-int", "long-float", "many-lines",
                      "complex-key", "null-key", "date-key", "python-tag", "binary-tag", "set-tag", "local-tag",
                      "control", "surrogate-escape", "utf16", "nul", "tab-indent", "cr-only", "nel"]
SIZES = st.sampled_from([1, 2, 31, 32, 33, 100, 1000, 10_000, 60_000, 200_000, 3_000_000])
WHERE = st.one_of(st.just(("whole",)), st.just(("append",)), st.tuples(st.just("line"), _NODE),
                  st.tuples(st.just("value"), _NODE))


def place(text: str, payload: str, where: tuple) -> str:
    """Put the payload into a file: as the whole file, at its end, before a line, or as a key's value."""
    if where[0] == "whole":
        return payload
    if where[0] == "append":
        return text + ("" if text.endswith("\n") else "\n") + payload + "\n"
    lines = text.split("\n")
    if where[0] == "line":
        lines.insert(where[1] % (len(lines) + 1), payload)
        return "\n".join(lines)
    keyed = [i for i, ln in enumerate(lines) if re.match(r"^\s*(- )?[A-Za-z_]+:( |$)", ln)]
    if not keyed:
        return text + payload
    i = keyed[where[1] % len(keyed)]
    head = re.match(r"^\s*(- )?[A-Za-z_]+:", lines[i]).group(0)
    # The payload's own first key is dropped when it has one: "title: xxx" becomes the value "xxx".
    value = re.sub(r"^[A-Za-z0-9_]+: ", "", payload, count=1)
    lines[i] = head + " " + value.replace("\n", "\n" + " " * (len(head) - len(head.lstrip()) + 2))
    return "\n".join(lines)


MD_TOKENS = ["[@", "[@a,", "[@plan, s. 3]", "[@ ", "[§ ", "[§", "[§ 5 kap. 11 § SoL]", "[§ 1", "[^", "[^1]", "<!--",
             "<!-- x -->", "<a ", "<script>", "</", "<", "`", "```", "\n```\n", "# ", "\n# ", "\n", "1", "1 kap. ",
             " ", "\\", "]", "[", "@", "§", "{", "&#", "\r", "\r\n", "\t", "\x00", "\u2028", "\ufeff", "*", "_",
             "19121212-1212 ", "08-123 45 67 ", "a@b.se ", "http://x.se/", "[x](javascript:alert(1))", "![b](c)"]
COUNTS = st.sampled_from([1, 2, 10, 1000, 20_000, 100_000, 200_000, 3_000_000])
MD_OPS = st.one_of(
    BYTE_OPS,
    st.tuples(st.just("repeat"), _POS, st.sampled_from(MD_TOKENS), COUNTS),
    st.tuples(st.just("ref"), _POS, st.sampled_from(["[@", "[§ ", "[@plan, "]), st.text(max_size=40)),
    st.tuples(st.just("ref-long"), _POS, st.sampled_from(["[@", "[§ ", "[@plan, "]), st.sampled_from(MD_TOKENS),
              st.sampled_from([100, 10_000, 100_000])),
)


def apply_md_op(data: bytes, op: tuple) -> bytes:
    if op[0] == "repeat":
        i = _at(data, op[1])
        return data[:i] + (op[2] * op[3]).encode("utf-8", "surrogatepass") + data[i:]
    if op[0] in ("ref", "ref-long"):
        inner = op[3] if op[0] == "ref" else op[3] * op[4]
        i = _at(data, op[1])
        return data[:i] + (op[2] + inner + "]").encode("utf-8", "surrogatepass") + data[i:]
    return apply_byte_op(data, op)


# --- running the check -------------------------------------------------------------------------------------


class Hang(Exception):
    pass


@contextmanager
def time_limit(seconds: float):
    """Fail instead of hanging: SIGALRM interrupts Python code and the regex engine alike."""

    def expired(signum, frame):
        raise Hang(f"Granskningen tog mer än {seconds:.0f} s.")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run_check(content: Path) -> list[Issue]:
    with time_limit(HARD_LIMIT):
        return check_content(content, TODAY)[1]


_FORMAT_RE = re.compile(r"^(?P<path>[^\n]+):(?P<line>\d+):(?P<col>\d+): (error|warning|info)\[[a-z0-9-]+\]: \S")


def assert_well_formed(issues: list[Issue]) -> None:
    for issue in issues:
        assert isinstance(issue, Issue) and isinstance(issue.severity, Severity), issue
        assert issue.path and isinstance(issue.path, str), issue
        assert isinstance(issue.line, int) and issue.line >= 1 and isinstance(issue.col, int) and issue.col >= 1, issue
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", issue.code), issue
        text = issue.format()
        assert _FORMAT_RE.match(text), text[:300]
        assert "Traceback" not in text and "Error(" not in text, text[:300]


def _names(issue: Issue, rel: str) -> bool:
    return (issue.path.endswith(rel) or any(rel in r for r in issue.related) or rel in issue.message
            or rel in issue.hint)


class Tree:
    """One copy of the content tree per test module; each example replaces one file and puts it back."""

    def __init__(self, root: Path):
        self.root = root
        self.current: Path | None = None
        self.baseline = set(run_check(root))

    @contextmanager
    def replaced(self, rel: str, data: bytes):
        target = self.root / rel
        original = target.read_bytes()
        self.current = target
        try:
            target.write_bytes(data)
            yield target
        finally:
            target.write_bytes(original)
            self.current = None

    def check(self, rel: str, data: bytes) -> list[Issue]:
        with self.replaced(rel, data) as target:
            issues = run_check(self.root)
            assert_well_formed(issues)
            new_errors = [i for i in issues if i.severity is Severity.ERROR and i not in self.baseline]
            lines = sum(data.count(b) for b in (b"\n", b"\r", b"\xc2\x85", b"\xe2\x80\xa8", b"\xe2\x80\xa9")) + 1
            for issue in issues:
                if issue.path.endswith(rel):
                    assert issue.line <= lines + 1, (issue.format()[:300], lines)
            if self._broken(rel, target):
                assert any(_names(i, rel) for i in new_errors), \
                    f"{rel} laddas inte men inget fel nämner filen: {[i.format()[:200] for i in new_errors[:5]]}"
        return issues

    def _broken(self, rel: str, target: Path) -> bool:
        """Whether the file itself no longer loads or validates (so that its own errors must name it)."""
        with time_limit(HARD_LIMIT):
            if rel.endswith(".md"):
                prose, _ = load_prose(target)
                return prose is None or (rel.startswith("plans/") and bool(scan(prose)[1]))
            if rel.endswith(".json"):
                prose, _ = load_prose(target)
                if prose is None:
                    return True
                try:
                    return graph_mod._audit_problem(json.loads(prose.text)) is not None
                except (ValueError, RecursionError):
                    return True
            doc, _ = load_file(target, _kind_of(rel))
            return doc is None or build_record(doc)[0] is None


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Iterator[Tree]:
    root = tmp_path_factory.mktemp("fuzz") / "content"
    shutil.copytree(CONTENT, root, symlinks=True)
    # Unchanged files load to the same Document every time: keep them, so that each example costs the
    # loading of one file plus model, graph and checks over the whole tree.
    real_load_file = load_mod.load_file
    cache: dict[tuple, Any] = {}
    holder: dict[str, Tree] = {}

    def load_file_cached(file: Path, kind: str, shown: str | None = None):
        t = holder.get("tree")
        if t is None or Path(file) == t.current or not Path(file).is_relative_to(root):
            return real_load_file(file, kind, shown)
        key = (str(file), kind, shown)
        if key not in cache:
            cache[key] = real_load_file(file, kind, shown)
        return cache[key]

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(load_mod, "load_file", load_file_cached)
        holder["tree"] = t = Tree(root)
        yield t


def _examples(n: int) -> int:
    return int(os.environ.get("HANDBOK_FUZZ_EXAMPLES", n))


FUZZ = settings(
    derandomize="HANDBOK_FUZZ_SEED" not in os.environ,
    database=None,
    deadline=DEADLINE,
    print_blob=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example,
                           HealthCheck.function_scoped_fixture],
    # Shrinking a slow example could take many times the hard limit; the recipe printed is short anyway.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)


def _seeded(fn):
    return seed(int(os.environ["HANDBOK_FUZZ_SEED"]))(fn) if "HANDBOK_FUZZ_SEED" in os.environ else fn


# --- the property tests ------------------------------------------------------------------------------------


@_seeded
@settings(FUZZ, max_examples=_examples(120))
@given(rel=st.sampled_from(YAML_SEEDS), ops=st.lists(BYTE_OPS, min_size=1, max_size=4))
def test_yaml_bytes(tree, rel, ops):
    data = (CONTENT / rel).read_bytes()
    for op in ops:
        data = apply_byte_op(data, op)
    tree.check(rel, data)


@_seeded
@settings(FUZZ, max_examples=_examples(150))
@given(rel=st.sampled_from(YAML_SEEDS), ops=st.lists(STRUCT_OPS, min_size=1, max_size=3),
       text_ops=st.lists(TEXT_OPS, max_size=1))
def test_yaml_structure(tree, rel, ops, text_ops):
    data = yaml.load((CONTENT / rel).read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    for op in ops:
        data = apply_struct_op(data, op)
    text = dump_yaml(data).decode("utf-8")
    for op in text_ops:
        text = apply_text_op(text, op)
    tree.check(rel, text.encode("utf-8", "surrogatepass"))


@_seeded
@settings(FUZZ, max_examples=_examples(80))
@given(rel=st.sampled_from(YAML_SEEDS), kind=st.sampled_from(YAML_PAYLOAD_KINDS), n=SIZES, where=WHERE)
def test_yaml_payloads(tree, rel, kind, n, where):
    text = place((CONTENT / rel).read_text(encoding="utf-8"), yaml_payload(kind, n), where)
    tree.check(rel, text.encode("utf-8", "surrogatepass"))


@_seeded
@settings(FUZZ, max_examples=_examples(100))
@given(rel=st.sampled_from(MD_SEEDS), ops=st.lists(MD_OPS, min_size=1, max_size=3))
def test_markdown(tree, rel, ops):
    data = (CONTENT / rel).read_bytes()
    for op in ops:
        data = apply_md_op(data, op)
    tree.check(rel, data)


def _json_keys(data: Any) -> Any:
    """JSON keys are text: a renamed key (None, 1, a date) is written as its text."""
    if isinstance(data, dict):
        return {str(k): _json_keys(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_json_keys(v) for v in data]
    return data


@_seeded
@settings(FUZZ, max_examples=_examples(50))
@given(rel=st.sampled_from(JSON_SEEDS), struct=st.lists(STRUCT_OPS, max_size=3),
       ops=st.lists(st.one_of(BYTE_OPS, st.tuples(st.just("nest"), st.sampled_from(["[", "{\"a\": "]),
                                                  st.sampled_from([10, 1000, 100_000]))), max_size=2))
def test_audit_json(tree, rel, struct, ops):
    data = json.loads((CONTENT / rel).read_text(encoding="utf-8"))
    for op in struct:
        data = apply_struct_op(data, op)
    raw = json.dumps(_json_keys(data), ensure_ascii=False, default=str).encode("utf-8", "surrogatepass")
    for op in ops:
        raw = op[1].encode() * op[2] if op[0] == "nest" else apply_byte_op(raw, op)
    tree.check(rel, raw)


@_seeded
@settings(FUZZ, max_examples=_examples(30))
@given(rel=st.sampled_from(YAML_SEEDS + MD_SEEDS + JSON_SEEDS), data=st.binary(max_size=3000))
def test_random_bytes(tree, rel, data):
    tree.check(rel, data)


# --- fixed nasty cases, also through the command line -----------------------------------------------------

# (file, what it is replaced with, the code that must be reported for it)
NASTY = [
    ("routines/betanketid.yml", _billion_laughs(9, 10).encode(), "yaml-alias"),
    ("units/aklagarmyndigheten.yml", ("id: " + "[" * 10_000).encode(), "yaml-depth"),
    ("units/barnahus-stockholm.yml", ("id:\n" + "- " * 10_000 + "x\n").encode(), "yaml-depth"),
    ("units/arbetsmarknadsforvaltningen.yml", ("id: " + "{a: " * 10_000).encode(), "yaml-depth"),
    ("glossary/betanketid.yml", b"id: betanketid\nterm: B\xe4nket\xefd\n", "encoding"),
    ("legal/brottsbalken.yml", b"id: !!python/object/apply:os.system ['true']\n", "yaml-tag"),
    ("sources/forfattningstext.yml", b"id: x\ntitle: " + b"x" * (3 * 1024 * 1024), "too-large"),
    ("municipalities/gotland.yml", b"id: gotland\nname: Gotland\nname: Gotland\n", "duplicate-key"),
    ("figures/anslutna-kommuner-2022.yml", b"\x00\x01\x02", "yaml-syntax"),
    ("measures/intern-samordning.yml", b"id: a\n---\nid: b\n", "yaml-documents"),
    ("routines/arbetskraftsexploatering.yml", b"id: arbetskraftsexploatering\ntitle: [x", "yaml-syntax"),
    ("plans/handlingsplan-2021/bakgrund.md", b"\xff\xfe" + "Bakgrund".encode("utf-16-le"), "encoding"),
    # Long runs of broken reference syntax: only that the check ends is asserted.
    ("plans/handlingsplan-2021/atgarder.md", ("Text [@a," * 50_000).encode(), None),
    ("pages/om.md", ("[§ 1" * 100_000).encode(), None),
    ("accessibility/audit.json", b"[" * 200_000, "audit-file"),
]


def _existing(rel: str) -> bool:
    return (CONTENT / rel).is_file()


@pytest.fixture
def nasty_tree(tmp_path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(CONTENT, root, symlinks=True)
    for rel, data, _ in NASTY:
        if _existing(rel):
            (root / rel).write_bytes(data)
    return root


def test_nasty_cases_in_process(nasty_tree):
    issues = run_check(nasty_tree)
    assert_well_formed(issues)
    for rel, _, code in NASTY:
        if code is None:
            continue
        assert any(i.path.endswith(rel) and i.code == code for i in issues), (rel, code)


def test_nasty_cases_cli(nasty_tree):
    result = run_cli("check", "--content", str(nasty_tree), timeout=120)
    out = result.stdout + result.stderr
    assert result.returncode == 1, out[-3000:]
    assert "Traceback" not in out
    for rel, _, code in NASTY:
        if code is None:
            continue
        assert re.search(rf"^\S*{re.escape(rel)}:\d+:\d+: error\[{code}\]: ", result.stderr, re.M), (rel, code)


def test_every_nasty_case_names_an_existing_file():
    # The list above names real files; a renamed file would quietly drop a case.
    missing = [rel for rel, _, _ in NASTY if not _existing(rel)]
    assert missing == [], f"Byt till filer som finns: {missing}"


# --- the content tree itself: symbolic links, special files, unreadable files ----------------------------


@pytest.fixture
def mini_tree(tmp_path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(ROOT / "tests" / "fixtures" / "mini", root)
    return root


def _by_path(issues: list[Issue], name: str) -> list[Issue]:
    return [i for i in issues if i.path.endswith(name)]


def test_symlink_loops_and_dangling_links(mini_tree):
    routines = mini_tree / "routines"
    (routines / "loop").symlink_to("..", target_is_directory=True)  # content/routines/loop -> content/
    (routines / "self").symlink_to("self")  # a directory entry that points at itself
    (routines / "ring.yml").symlink_to("ring.yml")  # a YAML file that points at itself
    (routines / "borta.yml").symlink_to("finns-inte.yml")  # dangling
    (mini_tree / "units" / "a.yml").symlink_to("b.yml")
    (mini_tree / "units" / "b.yml").symlink_to("a.yml")  # two links in a ring
    (mini_tree / "plans" / "testplan" / "omrade-1.md").unlink()
    (mini_tree / "plans" / "testplan" / "omrade-1.md").symlink_to("omrade-1.md")  # the chapter points at itself
    issues = run_check(mini_tree)
    assert_well_formed(issues)
    errors = {(Path(i.path).name, i.code, i.message) for i in issues if i.severity is Severity.ERROR}
    assert ("ring.yml", "read", "Filen kan inte läsas: symboliska länkar pekar på varandra i en slinga.") in errors
    assert ("a.yml", "read", "Filen kan inte läsas: symboliska länkar pekar på varandra i en slinga.") in errors
    assert ("borta.yml", "read", "Filen kan inte läsas: den finns inte (en trasig symbolisk länk?).") in errors
    assert ("testplan.yml", "read", "Filen 'testplan/omrade-1.md' kan inte läsas: symboliska länkar pekar på "
            "varandra i en slinga.") in errors
    # The directory loop is not followed: no file is read twice through it.
    assert not [i for i in issues if "/loop/" in i.path]


def test_symlink_loops_cli(mini_tree):
    (mini_tree / "routines" / "loop").symlink_to("..", target_is_directory=True)
    (mini_tree / "routines" / "ring.yml").symlink_to("ring.yml")
    result = run_cli("check", "--content", str(mini_tree), timeout=120)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert re.search(r"^\S*routines/ring\.yml:1:1: error\[read\]: Filen kan inte läsas: symboliska länkar pekar på "
                     r"varandra i en slinga\.$", result.stderr, re.M), result.stderr


def test_special_files_are_refused_without_reading(mini_tree):
    units = mini_tree / "units"
    os.mkfifo(units / "pipe.yml")  # opening it for reading would block until someone writes
    (units / "noll.yml").symlink_to("/dev/zero")  # reading it would never end
    (units / "mapp.yml").mkdir()  # a folder with a YAML name is a folder, not a file
    (mini_tree / "plans" / "testplan" / "omrade-1.md").unlink()
    os.mkfifo(mini_tree / "plans" / "testplan" / "omrade-1.md")
    issues = run_check(mini_tree)
    assert_well_formed(issues)
    formatted = [i.format() for i in issues]
    special = ("error[read]: Filen är ingen vanlig fil utan en mapp, en enhet eller en namngiven pipe.\n"
               "  tips: Innehållet ska ligga i vanliga textfiler. Ta bort den här eller ersätt den med en vanlig fil.")
    for name in ("units/pipe.yml", "units/noll.yml"):
        assert any(f.endswith(f"{name}:1:1: {special}") or f"{name}:1:1: {special}" in f for f in formatted), name
    assert any("plans/testplan/omrade-1.md:1:1: " + special in f for f in formatted), formatted
    assert not _by_path(issues, "mapp.yml")


@pytest.mark.skipif(os.geteuid() == 0, reason="root kan läsa filer utan läsrätt")
def test_unreadable_file_and_folder(mini_tree):
    routine = mini_tree / "routines" / "polisinsats.yml"
    folder = mini_tree / "sources"
    routine.chmod(0)
    folder.chmod(0)
    try:
        issues = run_check(mini_tree)
    finally:
        routine.chmod(stat.S_IRUSR | stat.S_IWUSR)
        folder.chmod(stat.S_IRWXU)
    assert_well_formed(issues)
    formatted = [i.format() for i in issues]
    assert any("routines/polisinsats.yml:1:1: error[read]: Filen kan inte läsas: läsrätt saknas." in f
               for f in formatted), formatted
    assert any("sources:1:1: error[read]: Mappen kan inte läsas: läsrätt saknas." in f for f in formatted), formatted


def test_file_that_grows_past_the_limit_while_read(mini_tree, monkeypatch):
    # stat() says small, read() gets more: the file is refused, not parsed in part.
    target = mini_tree / "units" / "stor.yml"
    target.write_bytes(b"id: stor\nname: " + b"x" * (MAX_BYTES + 10) + b"\n")
    real_stat = Path.stat

    def small_stat(self, *args, **kwargs):
        st_ = real_stat(self, *args, **kwargs)
        if self == target:
            return os.stat_result((st_.st_mode, st_.st_ino, st_.st_dev, st_.st_nlink, st_.st_uid, st_.st_gid, 10,
                                   st_.st_atime, st_.st_mtime, st_.st_ctime))
        return st_

    monkeypatch.setattr(Path, "stat", small_stat)
    doc, issues = load_file(target, "unit", shown="content/units/stor.yml")
    assert doc is None
    assert [i.format() for i in issues] == [
        "content/units/stor.yml:1:1: error[too-large]: Filen är större än gränsen på 512 KiB.\n"
        "  tips: En post per fil räcker långt under gränsen. Dela upp innehållet."]


# --- regressions: what fuzzing found, with the exact messages ---------------------------------------------


def _formatted(content: Path) -> list[str]:
    return [i.format() for i in run_check(content)]


def test_capitalised_key_is_an_unknown_key_golden(mini):
    # Pydantic's location for an extra key "Title" was taken for a union member's name and dropped: IndexError.
    path = mini / "routines" / "polisinsats.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("\ntitle:", "\nTitle:"), encoding="utf-8")
    out = _formatted(mini)
    assert out[0] == "content/routines/polisinsats.yml:1:1: error[missing-key]: Nyckeln 'title' saknas.\n" \
                     "  tips: Lägg till `title:` i filen."
    assert out[1].startswith("content/routines/polisinsats.yml:2:1: error[unknown-key]: Okänd nyckel 'Title'.\n"
                             "  tips: Menade du 'title'? Tillåtna nycklar här: id, title, ")
    assert len(out) == 2


def test_file_that_does_not_load_is_not_also_a_dangling_reference(mini):
    # Before, every reference to a routine whose file had a syntax error was reported as well.
    (mini / "routines" / "betanketid.yml").write_text("id: betanketid\ntitle: [x\n", encoding="utf-8")
    assert [f for f in _formatted(mini) if ": error[" in f] == [
        "content/routines/betanketid.yml:2:8: error[yaml-syntax]: Hakparentesen ([) stängs aldrig. Resten av filen "
        "granskades inte; rätta felet och kör igen.\n"
        "  tips: Avsluta med ] på samma rad, till exempel `[a, b]`, eller skriv en punkt per rad med `- ` utan "
        "parenteser."]


def test_chapter_symlink_loop_golden(mini):
    chapter = mini / "plans" / "testplan" / "omrade-1.md"
    chapter.unlink()
    chapter.symlink_to("omrade-1.md")
    assert _formatted(mini) == [
        "content/plans/testplan.yml:25:15: error[read]: Filen 'testplan/omrade-1.md' kan inte läsas: symboliska "
        "länkar pekar på varandra i en slinga.\n  tips: Ersätt den symboliska länken med själva filen."]


def test_unclosed_html_comment_golden(mini):
    # An unclosed comment would hide the rest of the chapter; it was not found, and many of them took minutes.
    (mini / "plans" / "testplan" / "omrade-1.md").write_text("Text.\n<!-- gömt\n\nMer text.\n", encoding="utf-8")
    assert _formatted(mini) == [
        "content/plans/testplan/omrade-1.md:2:1: error[prose-html]: HTML ('<!--') är inte tillåtet i "
        "kapiteltexterna.\n  tips: Skriv vanlig Markdown. Ska tecknet < synas i texten, skriv \\<."]


@pytest.mark.parametrize("text", [
    "[@a," * 130_000,  # each unclosed reference was searched to the end of the text: quadratic
    "[§ " * 170_000,
    "[^" * 250_000,
    "<!--" * 130_000,
    "[§ " + "1" * 500_000 + "]",  # a long number in a citation: quadratic in citations._SECTION
    "[§" + " " * 500_000,  # lazy text before optional spaces: cubic
    "<a>" * 170_000,  # many findings: the line of each was counted from the start
])
def test_long_runs_of_markdown_syntax_are_checked_in_bounded_time(mini, text):
    (mini / "plans" / "testplan" / "omrade-1.md").write_text(text, encoding="utf-8")
    with time_limit(20):
        issues = run_check(mini)
    assert_well_formed(issues)


def _audit(mini: Path, data: Any) -> list[str]:
    (mini / "accessibility").mkdir(exist_ok=True)
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    (mini / "accessibility" / "audit.json").write_bytes(raw)
    return [f for f in _formatted(mini) if "audit.json" in f]


_AUDIT_HINT = "\n  tips: Skriv om filen med `handbok audit --write`."


def test_audit_file_golden(mini):
    ok = {"date": "2026-11-24", "axe": "4.12.1", "tags": ["wcag2a"],
          "results": [{"page": "Startsidan", "path": "/", "scheme": "ljust", "viewport": "telefon", "violations": []}]}
    assert _audit(mini, ok) == []
    # Deep nesting: RecursionError in json.loads.
    assert _audit(mini, b"[" * 100_000) == [
        "content/accessibility/audit.json:1:1: error[audit-file]: Granskningsfilen är för djupt nästlad." + _AUDIT_HINT]
    # A result that is not an object: AttributeError in the accessibility check.
    assert _audit(mini, {**ok, "results": [1]}) == [
        "content/accessibility/audit.json:1:1: error[audit-file]: Granskningsfilen har fel form: results[0] ska ha "
        "page, viewport och scheme som text och violations som lista." + _AUDIT_HINT]
    bad_violation = {**ok["results"][0], "violations": [{"id": "x", "impact": None}]}
    assert _audit(mini, {**ok, "results": [bad_violation]}) == [
        "content/accessibility/audit.json:1:1: error[audit-file]: Granskningsfilen har fel form: "
        "results[0].violations[0] ska ha id, impact och help som text." + _AUDIT_HINT]
    # A date the statement's template cannot print.
    assert _audit(mini, {**ok, "date": "2026-13-01"}) == [
        "content/accessibility/audit.json:1:1: error[audit-file]: Granskningsfilen har fel form: date ska vara ett "
        "datum som ÅÅÅÅ-MM-DD." + _AUDIT_HINT]
    assert _audit(mini, {**ok, "tags": "wcag2a"}) == [
        "content/accessibility/audit.json:1:1: error[audit-file]: Granskningsfilen har fel form: axe ska vara text "
        "och tags en lista med text." + _AUDIT_HINT]
    # Read like every other content file: size limit and encoding, with the place of the bad byte.
    assert _audit(mini, b'{"date": "\xe4"}') == [
        "content/accessibility/audit.json:1:11: error[encoding]: Filen är inte giltig UTF-8 (byte 0xe4).\n"
        "  tips: Filen verkar vara sparad som Windows-1252 eller Latin-1. Spara om den som UTF-8."]
    assert _audit(mini, b" " * (MAX_BYTES + 1)) == [
        "content/accessibility/audit.json:1:1: error[too-large]: Filen är 512 KiB; gränsen är 512 KiB." + _AUDIT_HINT]


def test_unreadable_file_and_folder_simulated(mini_tree, monkeypatch):
    # The same as above for root, who can read anything: the operating system's refusal is simulated.
    import errno

    routine = mini_tree / "routines" / "polisinsats.yml"
    folder = mini_tree / "sources"
    real_open, real_scandir = Path.open, os.scandir

    def refusing_open(self, *args, **kwargs):
        if self == routine:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    def refusing_scandir(path="."):
        if Path(path) == folder:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(Path, "open", refusing_open)
    monkeypatch.setattr(os, "scandir", refusing_scandir)
    issues = run_check(mini_tree)
    assert_well_formed(issues)
    formatted = [i.format() for i in issues]
    assert any(f.endswith("routines/polisinsats.yml:1:1: error[read]: Filen kan inte läsas: läsrätt saknas.\n"
                          "  tips: Kontrollera att filen finns, att den inte är en trasig symbolisk länk och att du "
                          "har läsrätt.") for f in formatted), formatted
    assert any(f.endswith("sources:1:1: error[read]: Mappen kan inte läsas: läsrätt saknas.\n"
                          "  tips: Kontrollera att mappen finns, att den inte är en trasig symbolisk länk och att du "
                          "har läsrätt.") for f in formatted), formatted
