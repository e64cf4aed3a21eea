"""The per-file cache of loaded content (generators/load.py, .handbok-cache/load/): a warm check reports exactly
what a cold one does, a changed file is read again, and a damaged entry is only a miss."""

import datetime as dt
from pathlib import Path

import pytest

from generators import cache
from generators import load as load_mod
from generators.align import align, current_draft, memoized, practice
from generators.cli import main
from generators.graph import build_project
from generators.load import load_file, parse_yaml, strings_only, walk_strings
from generators.pipeline import check_content

TODAY = dt.date(2026, 1, 15)


@pytest.fixture
def cache_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.CACHE_ENV, str(folder))
    return folder


def _entries(folder: Path) -> list[Path]:
    return sorted(p for p in (folder / load_mod.CACHE_AREA).rglob("*") if p.is_file())


def _check(content: Path) -> list[str]:
    _, issues = check_content(content, TODAY)
    return [i.format() for i in issues]


def _break(content: Path) -> None:
    """Problems of every stage, so that the positions of cached files are needed too."""
    routine = content / "routines" / "polisinsats.yml"
    text = routine.read_text(encoding="utf-8")
    routine.write_text(text + "extra_key: Personnumret 19121212-1212 står här; källorna anger inte mer.\n",
                       encoding="utf-8")
    (content / "units" / "trasig.yml").write_text("id: trasig\ntitle: [öppen\n", encoding="utf-8")
    (content / "units" / "dubbel.yml").write_text("id: dubbel\nid: dubbel\n", encoding="utf-8")
    (content / "units" / "lista.yml").write_text("- id: lista\n", encoding="utf-8")
    (content / "units" / "tom.yml").write_text("# bara en kommentar\n", encoding="utf-8")


def test_warm_check_reports_exactly_what_a_cold_one_does(mini, cache_dir, monkeypatch):
    _break(mini)
    cold = _check(mini)
    assert _entries(cache_dir), "the files that loaded are kept"
    warm = _check(mini)
    monkeypatch.setenv(cache.CACHE_ENV, "off")
    uncached = _check(mini)
    assert warm == cold == uncached
    assert any("personal-data" in line for line in cold)
    assert any("yaml-syntax" in line for line in cold) and any("duplicate-key" in line for line in cold)


def test_many_files_missing_from_the_cache_are_parsed_in_workers_with_the_same_result(mini, cache_dir, monkeypatch):
    """From PARALLEL_FROM files missing from the cache, worker processes parse them first (load._read_ahead); the
    check then reports exactly what it reports without the cache, problems and their lines included."""
    _break(mini)
    monkeypatch.setenv(cache.CACHE_ENV, "off")
    uncached = _check(mini)
    monkeypatch.setenv(cache.CACHE_ENV, str(cache_dir))
    files = list(load_mod.iter_content_files(mini))
    monkeypatch.setattr(load_mod, "PARALLEL_FROM", len(files) - 4)
    sent: list[tuple[int, int]] = []
    real_parse = load_mod._parse_in_workers

    def parse(missing, store):
        real_parse(missing, store)
        sent.append((len(missing), sum(len(new) for new in store._new.values())))  # sent, and entries the workers made

    monkeypatch.setattr(load_mod, "_parse_in_workers", parse)
    parsed_here: list[str] = []  # by the main process; the workers import the module afresh, without this spy
    real_parse_data = load_mod._parse_data
    monkeypatch.setattr(load_mod, "_parse_data", lambda text: (parsed_here.append(text), real_parse_data(text))[1])
    cold = _check(mini)
    # Every file went to the workers, and they made the entries of all but the four that the main process then
    # loads and reports (trasig, dubbel, lista and tom).
    assert sent == [(len(files), len(files) - 4)]
    assert len(parsed_here) <= 4, "the main process takes the workers' entries instead of parsing the files again"
    assert cold == uncached
    assert any("yaml-syntax" in line and "trasig.yml:2:" in line for line in cold)
    # Below the threshold nothing is sent (the warm check finds every entry, and the small tree is read as before).
    sent.clear()
    assert _check(mini) == uncached and sent == []


def test_files_with_problems_are_not_kept(tmp_path, cache_dir):
    f = tmp_path / "x.yml"
    f.write_text("id: a\nid: b\n", encoding="utf-8")
    doc, issues = load_file(f, "unit", shown="content/units/x.yml")
    assert doc is None and issues
    assert _entries(cache_dir) == []
    again, same = load_file(f, "unit", shown="content/units/x.yml")
    assert again is None and [i.format() for i in same] == [i.format() for i in issues]


def test_cached_file_has_the_same_data_and_positions(tmp_path, cache_dir):
    f = tmp_path / "x.yml"
    text = ("id: a\nupdated: 2025-07-01\nwhen: 2025-07-01 10:15:00+02:00\nbad: 2025-13-45\nn: 3\nx: 1.5\nok: true\n"
            "none:\nsteps:\n  - actor: b\n    dates: [2024-01-02, '2024-01-03']\n    action: |\n      text\n")
    f.write_text(text, encoding="utf-8")
    cold, _ = load_file(f, "unit", shown="content/units/x.yml")
    assert len(_entries(cache_dir)) == 1
    warm, issues = load_file(f, "unit", shown="content/units/x.yml")
    assert issues == []
    data, value_pos, key_pos = parse_yaml(text, "p")
    for doc in (cold, warm):
        assert doc.data == data and repr(doc.data) == repr(data)  # the same types too: date, datetime, int, float
        assert doc.value_pos == value_pos and doc.key_pos == key_pos
    assert warm.pos(("steps", 0, "actor")).line == 10
    assert warm.pos(("steps", 0, "actor"), key=True).col == 5


def test_a_changed_file_is_read_again(tmp_path, cache_dir):
    f = tmp_path / "x.yml"
    f.write_text("id: a\ntitle: Första\n", encoding="utf-8")
    first, _ = load_file(f, "unit")
    f.write_text("id: a\ntitle: Andra\n", encoding="utf-8")
    second, _ = load_file(f, "unit")
    assert first.data["title"] == "Första" and second.data["title"] == "Andra"
    assert len(_entries(cache_dir)) == 2
    f.write_text("id: a\ntitle: [Andra\n", encoding="utf-8")  # broken now: the entry of the good version is not used
    third, issues = load_file(f, "unit")
    assert third is None and issues[0].code == "yaml-syntax"


def test_kept_positions_are_found_once_per_version_of_a_file(tmp_path, cache_dir, monkeypatch):
    """The preview keeps the positions of each file between its builds (load.keep_positions): a file whose bytes did
    not change is not parsed again for a line number, a changed one is, and each gets its own positions."""
    parsed = []
    real = load_mod.parse_yaml

    def counting(text, path):
        parsed.append(path)
        return real(text, path)

    monkeypatch.setattr(load_mod, "parse_yaml", counting)
    f = tmp_path / "x.yml"
    f.write_text("id: a\ntitle: Första\n", encoding="utf-8")

    def line_of_title() -> int:
        doc, _ = load_file(f, "unit", shown="content/units/x.yml")
        return doc.pos(("title",)).line

    stop = load_mod.keep_positions()
    try:
        assert [line_of_title(), line_of_title(), line_of_title()] == [2, 2, 2]
        assert parsed == ["content/units/x.yml"]  # once, then kept
        f.write_text("id: a\n\n\ntitle: Andra\n", encoding="utf-8")
        assert [line_of_title(), line_of_title()] == [4, 4]
        assert len(parsed) == 2
        f.write_text("id: a\ntitle: Första\n", encoding="utf-8")  # only the latest version of a file is kept
        assert line_of_title() == 2 and len(parsed) == 3
    finally:
        stop()
    line_of_title()
    line_of_title()
    assert len(parsed) == 5  # stopped: every load parses again, as in a build


@pytest.mark.parametrize("damage", [b"", b"\x00\xff garbage", b'{"data": [1, 2]}', b'{"data": {"id": "a"}}',
                                    b'{"data": {"id": "a"}, "dates": [[["nowhere", 3], "d", "2020-01-01"]]}'])
def test_a_damaged_entry_is_ignored(tmp_path, cache_dir, damage):
    f = tmp_path / "x.yml"
    f.write_text("id: a\ntitle: Rätt\nupdated: 2025-07-01\n", encoding="utf-8")
    load_file(f, "unit")
    (entry,) = _entries(cache_dir)
    entry.write_bytes(damage)
    doc, issues = load_file(f, "unit")
    assert issues == [] and doc.data == {"id": "a", "title": "Rätt", "updated": dt.date(2025, 7, 1)}


def test_no_cache_flag_and_off_leave_no_cache(mini, cache_dir, monkeypatch, capsys):
    monkeypatch.setenv(cache.CACHE_ENV, str(cache_dir))  # restored after the test, whatever --no-cache sets
    assert main(["check", "--no-cache", "--quiet", "--content", str(mini)]) == 0
    assert not cache_dir.exists()
    monkeypatch.setenv(cache.CACHE_ENV, "off")
    check_content(mini, TODAY)
    assert not cache_dir.exists()


def test_strings_only_is_walk_strings_without_locations(mini):
    docs, _ = load_mod.load_tree(mini)
    skip, drop = frozenset({"open_questions"}), frozenset({"id", "sources"})
    for doc in docs:
        assert strings_only(doc.data) == [v for _, _, v in walk_strings(doc.data)]
        assert strings_only(doc.data, skip, drop) == [v for _, k, v in walk_strings(doc.data, (), skip) if k not in drop]


def test_remembered_alignment_is_the_same(mini):
    project = build_project(mini)
    plain = practice(project)
    drafts = current_draft(project)
    assert drafts and project.requirements
    once = align(project, drafts[0]).to_json()
    with memoized():
        remembered = practice(project)
        assert practice(project) is remembered
        assert align(project, drafts[0]) is align(project, drafts[0])
        assert align(project, drafts[0]).to_json() == once
    assert remembered == plain
    assert practice(project) is not remembered  # forgotten after the checks
