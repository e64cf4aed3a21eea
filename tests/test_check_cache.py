"""What the text checks find in one file, kept by the file's bytes (generators/checks.py, .handbok-cache/checks/), and
the packs that keep many small cache entries in a few files (generators/cache.py: Pack)."""

import datetime as dt
from pathlib import Path

import pytest

from generators import cache, checks
from generators import graph as graph_mod
from generators import load as load_mod
from generators.pipeline import check_content

from conftest import run_cli

TODAY = dt.date(2026, 1, 15)
LONG = " ".join(["ord"] * 40) + "."


@pytest.fixture
def cache_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.CACHE_ENV, str(folder))
    return folder


@pytest.fixture
def computed(monkeypatch) -> list[tuple[str, str]]:
    """(check, file) for each summary worked out rather than taken from the cache."""
    calls: list[tuple[str, str]] = []
    real = checks._summary

    def spy(doc, name, context, compute, valid):
        def counted():
            calls.append((name, Path(doc.path).name))
            return compute()
        return real(doc, name, context, counted, valid)

    monkeypatch.setattr(checks, "_summary", spy)
    return calls


def _check(content: Path) -> list[str]:
    _, issues = check_content(content, TODAY)
    return [i.format() for i in issues]


def _findings(content: Path) -> None:
    """Something for each cached check to find in one routine: a number, a discouraged word, a remark, ids, a long step
    and a link to no page."""
    routine = content / "routines" / "polisinsats.yml"
    text = routine.read_text(encoding="utf-8")
    text = text.replace("    action: Ge information om stöd.\n",
                        "    action: Ge information om stöd och om reflektionstid.\n"
                        "    note: Ring 08-123 45 67 eller 070-174 06 50. Källorna anger inte mer. [Mer](saknas.md)\n"
                        f"  - actor: team\n    action: {LONG} Se betanketid-30-dagar och (annan-rutin).\n")
    assert "reflektionstid" in text
    routine.write_text(text, encoding="utf-8")


def _codes(lines: list[str]) -> set[str]:
    return {line.split("[", 1)[1].split("]", 1)[0] for line in lines if "[" in line}


def test_warm_check_reports_the_same_without_reading_the_texts_again(mini, cache_dir, computed, monkeypatch):
    _findings(mini)
    cold = _check(mini)
    assert {"contact-not-allowed", "discouraged-term", "editorial-note", "internal-id", "plain-language",
            "broken-link"} <= _codes(cold)
    assert {name for name, _ in computed} == {"personal_data", "discouraged_terms", "reader_text", "plain_language",
                                              "record_links"}
    computed.clear()
    warm = _check(mini)
    assert computed == [], "every file's summary comes from the cache"
    assert warm == cold
    monkeypatch.setenv(cache.CACHE_ENV, "off")
    assert _check(mini) == cold


def test_an_edited_file_is_read_again_and_only_it(mini, cache_dir, computed):
    _check(mini)
    routine = mini / "routines" / "polisinsats.yml"
    routine.write_text(routine.read_text(encoding="utf-8").replace("Möte under polisinsats", "Möte vid polisinsats"),
                       encoding="utf-8")
    computed.clear()
    _findings(mini)
    warm = _check(mini)
    assert computed and {file for _, file in computed} == {"polisinsats.yml"}
    assert "discouraged-term" in _codes(warm)


def test_what_the_project_decides_is_not_taken_from_the_cache(mini, cache_dir, monkeypatch):
    """The glossary's words, the allowlist and the known ids may change while a routine does not."""
    _findings(mini)
    before = _check(mini)
    assert "discouraged-term" in _codes(before) and any("08-123" in line for line in before)
    glossary = mini / "glossary" / "betanketid.yml"
    # A word of the other routine, whose summary found no discouraged word before.
    glossary.write_text(glossary.read_text(encoding="utf-8").replace("reflektionstid", "Migrationsverket"),
                        encoding="utf-8")
    allow = mini / "privacy" / "kontaktvagar.yml"
    allow.write_text(allow.read_text(encoding="utf-8").replace("070-174 06 50", "08-123 45 67"), encoding="utf-8")
    requirement = mini / "requirements" / "betanketid-30-dagar.yml"
    requirement.with_name("betanketid-trettio.yml").write_text(
        requirement.read_text(encoding="utf-8").replace("betanketid-30-dagar", "betanketid-trettio"), encoding="utf-8")
    requirement.unlink()
    after = _check(mini)
    assert not any("reflektionstid" in line for line in after)
    assert any("discouraged-term" in line and "betanketid.yml" in line for line in after)
    assert not any("08-123" in line for line in after) and any("070-174" in line for line in after)
    assert not any("'betanketid-30-dagar'" in line and "internal-id" in line for line in after)
    assert any("'annan-rutin'" in line for line in after)
    monkeypatch.setenv(cache.CACHE_ENV, "off")
    assert _check(mini) == after


def test_many_missing_summaries_are_worked_out_in_workers_with_the_same_result(mini, cache_dir, computed,
                                                                               monkeypatch):
    """From PARALLEL_FROM summaries missing from the cache, worker processes work them out while the main process runs
    the other checks (checks._start_workers); the check reports exactly what it reports without the cache."""
    _findings(mini)
    monkeypatch.setenv(cache.CACHE_ENV, "off")
    uncached = _check(mini)
    assert {"contact-not-allowed", "discouraged-term", "editorial-note", "internal-id", "plain-language",
            "broken-link"} <= _codes(uncached)
    monkeypatch.setenv(cache.CACHE_ENV, str(cache_dir))
    monkeypatch.setattr(checks, "PARALLEL_FROM", 10)
    started: list[tuple[int, set[str]]] = []
    real_start = checks._start_workers

    events: list[str] = []

    def start(kept, trees, documents):
        real_start(kept, trees, documents)
        started.append((len(kept.futures), set(kept.names)))
        events.append("workers")

    monkeypatch.setattr(checks, "_start_workers", start)
    real_build = graph_mod.build_record
    monkeypatch.setattr(graph_mod, "build_record", lambda doc: (events.append("record"), real_build(doc))[1])
    computed.clear()
    cold = _check(mini)
    assert started == [(1, {"personal_data", "reader_text", "discouraged_terms", "plain_language", "record_links"})]
    assert events[:2] == ["workers", "record"], "the workers start as soon as the files are loaded"
    assert computed == [], "the main process takes every summary from the workers"
    assert cold == uncached
    # Nothing is missing the second time, and nothing is sent.
    started.clear()
    assert _check(mini) == uncached and started == [(0, set())]
    # Called on its own, run_checks starts the workers itself.
    started.clear()
    (mini / "routines" / "polisinsats.yml").write_text((mini / "routines" / "polisinsats.yml").read_text(
        encoding="utf-8").replace("reflektionstid.", "reflektionstid, som nu."), encoding="utf-8")
    monkeypatch.setattr(checks, "PARALLEL_FROM", 1)
    issues = checks.run_checks(graph_mod.build_project(mini), TODAY)
    assert started == [(1, {"personal_data", "reader_text", "discouraged_terms", "plain_language", "record_links"})]
    assert [i.format() for i in issues if "polisinsats" not in i.path] == [
        line for line in uncached if "polisinsats" not in line]


def test_the_workers_start_from_parallel_from_files(mini, cache_dir, monkeypatch):
    """The threshold counts files with summaries missing (most files have several), as loading does."""
    import shutil

    files = len(list(load_mod.iter_content_files(mini)))  # the small tree loads whole
    started: list[int] = []
    real_start = checks._start_workers

    def start(kept, trees, documents):
        real_start(kept, trees, documents)
        started.append(len(kept.futures))

    monkeypatch.setattr(checks, "_start_workers", start)
    monkeypatch.setattr(checks, "PARALLEL_FROM", files + 1)
    _check(mini)
    shutil.rmtree(cache_dir)
    monkeypatch.setattr(checks, "PARALLEL_FROM", files)
    _check(mini)
    assert started == [0, 1]


def test_the_checks_that_wait_for_the_workers_run_last():
    order = checks.check_order()
    assert order[-5:] == [checks.reader_text, checks.discouraged_terms, checks.plain_language, checks.broken_links,
                          checks.personal_data]
    assert order[:-5] == [fn for fn in checks.CHECKS if fn not in order[-5:]] and len(order) == len(checks.CHECKS)


@pytest.mark.parametrize("failure", ["task", "entries"])
def test_a_failed_worker_leaves_the_summaries_to_the_checks(mini, cache_dir, computed, monkeypatch, failure):
    _findings(mini)
    monkeypatch.setenv(cache.CACHE_ENV, "off")
    uncached = _check(mini)
    monkeypatch.setenv(cache.CACHE_ENV, str(cache_dir))
    monkeypatch.setattr(checks, "PARALLEL_FROM", 10)
    if failure == "task":
        # A task that cannot be sent (a lambda does not pickle): its future fails, as it would with a broken worker.
        monkeypatch.setattr(checks, "_work_out", lambda folders, tasks: [])
    else:  # the workers find none of the files' data where load_tree keeps it
        monkeypatch.setattr(load_mod, "pack_folder", lambda content_dir: cache_dir / "elsewhere")
    computed.clear()
    assert _check(mini) == uncached
    assert {name for name, _ in computed} == {"personal_data", "discouraged_terms", "reader_text", "plain_language",
                                              "record_links"}


@pytest.mark.parametrize("text, found", [
    ("Ring inte den prostituerade.", True),
    ("PROSTITUERAD", True),
    ("Prostituerade,", True),
    ("Prostitutionen", False),
    ("oprostituerad", False),
    ("proſtituerad", True),  # long s: re.IGNORECASE matches it to s, str.lower() does not
    ("PROSTİTUERAD", True),  # dotted capital I: lowered, it becomes two characters
    ("proſtituerad\x00\nköp av sexuell tjänst", True),
    ("KÖP AV SEXUELL TJÄNST", True),
    ("Köp av sexuell handling", False),
    ("Kärlek, ö och å", False),
])
def test_the_plain_look_for_discouraged_words_finds_what_the_expression_finds(text, found):
    words = checks._discouraged_words("prostituerad\x00prostituerade\x00köp av sexuell tjänst")
    assert words.lowered == ["prostituerad", "prostituerade", "köp av sexuell tjänst"]
    assert words.search_in(text) is found
    assert bool(words.rx.search(text)) is found


def test_the_plain_look_is_not_used_for_words_outside_latin_1():
    words = checks._discouraged_words("ıntegration\x00ſtöd")
    assert words.lowered is None
    assert words.search_in("INTEGRATION och stöd") and words.search_in("Stöd")


@pytest.mark.parametrize("area", [checks.CACHE_AREA, load_mod.CACHE_AREA])
@pytest.mark.parametrize("damage", ["garbage", "truncate", "flip", "header"])
def test_a_damaged_pack_is_only_a_miss(mini, cache_dir, computed, area, damage):
    _findings(mini)
    cold = _check(mini)
    shards = sorted((cache_dir / area / "packs").rglob("*.pack"))
    assert shards
    flipped = 0
    for shard in shards:
        raw = shard.read_bytes()
        if damage == "garbage":
            raw = b"\x00\xff not a pack"
        elif damage == "truncate":
            raw = raw[: len(raw) - 3]
        elif damage == "flip":  # a changed letter in an entry that still reads as JSON: its checksum does not hold
            old, new = (b"08-123", b"08-124") if area == checks.CACHE_AREA else (b"reflektionstid", b"reflektionstie")
            flipped += raw.count(old)
            raw = raw.replace(old, new)
        else:
            raw = cache.Pack.MAGIC + b'[["x", -1, 0]]\n' + raw.split(b"\n", 2)[2]
        shard.write_bytes(raw)
    assert flipped or damage != "flip"
    computed.clear()
    assert _check(mini) == cold
    if area == checks.CACHE_AREA:
        assert computed, "damaged summaries are worked out again"
    assert _check(mini) == cold


def test_pack_keeps_what_is_used_and_what_is_new(cache_dir):
    keys = [cache.key("t", str(i)) for i in range(40)]
    pack = cache.Pack("t", "scope")
    for k in keys:
        assert pack.get(k) is None
        pack.put(k, k.encode())
    pack.flush()
    files = sorted((cache_dir / "t" / "packs").rglob("*.pack"))
    assert 1 < len(files) <= cache.Pack.SHARDS
    again = cache.Pack("t", "scope")
    assert [again.get(k) for k in keys] == [k.encode() for k in keys]
    assert cache.Pack("t", "another scope").get(keys[0]) is None
    stamps = {f: f.stat().st_mtime_ns for f in files}
    again.flush()  # nothing new: nothing written
    assert {f: f.stat().st_mtime_ns for f in files} == stamps
    # A later run that asks for only some entries and adds one keeps those: the others are of files that changed.
    later = cache.Pack("t", "scope")
    kept = keys[:20]
    for k in kept:
        assert later.get(k) == k.encode()
    extra = cache.key("t", "extra")
    later.put(extra, b"extra")
    later.flush()
    last = cache.Pack("t", "scope")
    assert last.get(extra) == b"extra"
    assert all(last.get(k) == k.encode() for k in kept)
    shard = later._shard(extra)
    dropped = [k for k in keys[20:] if later._shard(k) == shard]
    assert all(last.get(k) is None for k in dropped)
    assert all(last.get(k) == k.encode() for k in keys[20:] if later._shard(k) != shard)


def test_pack_is_off_with_the_cache(monkeypatch, tmp_path):
    monkeypatch.setenv(cache.CACHE_ENV, "off")
    pack = cache.Pack("t", "scope")
    pack.put("ab", b"x")
    pack.flush()
    assert pack.get("ab") is None


# --- a whole check from the cache (pipeline.check_report) -------------------------------------------------------

@pytest.fixture
def full_checks(monkeypatch) -> list[int]:
    """One entry per check that loaded and checked the content rather than printing the stored result."""
    import generators.pipeline as pipeline

    runs: list[int] = []
    real = pipeline.check_content

    def spy(content, today=None):
        runs.append(1)
        return real(content, today)

    monkeypatch.setattr(pipeline, "check_content", spy)
    return runs


def _report(content: Path, today: dt.date = TODAY):
    from generators.pipeline import check_report

    return check_report(content, today)


def test_an_unchanged_check_is_printed_from_the_cache(mini, cache_dir, full_checks, monkeypatch):
    _findings(mini)
    cold = _report(mini)
    again = _report(mini)
    assert len(full_checks) == 1 and not cold.cached and again.cached
    assert [i.format() for i in again.issues] == [i.format() for i in cold.issues] == _check(mini)
    assert again.issues == cold.issues  # severity, related and all
    assert again.counts == cold.counts and again.counts["routines"] > 0
    assert (again.feedback, again.site_url) == (cold.feedback, cold.site_url)
    monkeypatch.setenv(cache.CACHE_ENV, "off")
    assert not _report(mini).cached and len(full_checks) == 2


@pytest.mark.parametrize("change", ["edit", "new file", "new markdown", "rename", "date"])
def test_any_change_checks_again(mini, cache_dir, full_checks, change):
    first = _report(mini)
    routine = mini / "routines" / "polisinsats.yml"
    today = TODAY
    if change == "edit":
        routine.write_text(routine.read_text(encoding="utf-8").replace("Möte under polisinsats", "Möte vid polisinsats"),
                           encoding="utf-8")
    elif change == "new file":
        (mini / "routines" / "kopia.yml").write_text(routine.read_text(encoding="utf-8"), encoding="utf-8")
    elif change == "new markdown":
        (mini / "anteckning.md").write_text("# Anteckning\n", encoding="utf-8")
    elif change == "rename":
        routine.rename(mini / "routines" / "polisinsats-ny.yml")
    else:
        today = TODAY + dt.timedelta(days=400)
    second = _report(mini, today)
    assert not second.cached and len(full_checks) == 2
    if change in ("new file", "rename"):
        assert second.issues != first.issues  # a duplicate id, or an id that no longer matches its file name
    assert _report(mini, today).cached  # and the new state is kept in its turn


def test_a_pipe_in_the_content_is_never_opened(mini, cache_dir, full_checks):
    import os

    os.mkfifo(mini / "routines" / "ror-ej.yml")
    report = _report(mini)  # would block forever if the state were read from the pipe
    assert not report.cached
    assert any(i.path.endswith("ror-ej.yml") and i.code == "read" for i in report.issues)
    assert not _report(mini).cached and len(full_checks) == 2  # no state to keep, so every check runs


def test_a_damaged_entry_is_only_a_miss(mini, cache_dir, full_checks):
    first = _report(mini)
    for entry in (cache_dir / "check").rglob("*"):
        if entry.is_file():
            entry.write_bytes(b'{"state": ')
    again = _report(mini)
    assert not again.cached and again.issues == first.issues and len(full_checks) == 2


def test_the_cli_says_the_result_came_from_the_cache(mini, cache_dir):
    _findings(mini)

    def run():
        return run_cli("check", "--content", str(mini), env={cache.CACHE_ENV: str(cache_dir)})

    cold, warm = run(), run()
    assert cold.returncode == warm.returncode == 1  # the errors _findings plants fail the check from the cache too
    assert "error[contact-not-allowed]" in cold.stderr + cold.stdout
    assert (cold.stdout, cold.stderr.count("\n")) == (warm.stdout, warm.stderr.count("\n"))
    assert "resultatet kommer från cachen" not in cold.stderr
    assert "innehållet är oförändrat sedan förra granskningen: resultatet kommer från cachen" in warm.stderr
    strip = lambda e: [l for l in e.splitlines() if not l.startswith("Granskade")]  # noqa: E731
    assert strip(cold.stderr) == strip(warm.stderr)


# --- the files' stats: an unchanged file is not read again (pipeline.content_state) ------------------------------

@pytest.fixture
def reads(monkeypatch) -> list[str]:
    """The file names that content_state opened to hash."""
    import builtins

    import generators.pipeline as pipeline

    opened: list[str] = []

    def spy(file, *args, **kwargs):
        opened.append(Path(file).name)
        return builtins.open(file, *args, **kwargs)

    monkeypatch.setattr(pipeline, "open", spy, raising=False)
    return opened


def _files(content: Path) -> list[str]:
    return sorted(p.name for p in content.rglob("*") if p.is_file())


@pytest.fixture
def settled(monkeypatch):
    """Every file counts as older than the racy window (the test's files are seconds old)."""
    import generators.pipeline as pipeline

    monkeypatch.setattr(pipeline, "RACY_SECONDS", -3600.0)


def test_an_unchanged_file_is_not_read_again(mini, cache_dir, settled, reads, full_checks):
    first = _report(mini)
    assert sorted(reads) == _files(mini)
    reads.clear()
    again = _report(mini)
    assert reads == [] and again.cached and again.issues == first.issues and len(full_checks) == 1


def test_a_file_edited_to_the_same_size_is_read_and_checked_again(mini, cache_dir, settled, reads, full_checks):
    import os

    _report(mini)
    routine = mini / "routines" / "polisinsats.yml"
    text = routine.read_text(encoding="utf-8")
    st = routine.stat()
    routine.write_text(text.replace("Möte under polisinsats", "MÖTE UNDER POLISINSATS"), encoding="utf-8")
    os.utime(routine, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    assert routine.stat().st_size == st.st_size
    reads.clear()
    second = _report(mini)
    assert reads == ["polisinsats.yml"] and not second.cached and len(full_checks) == 2


def test_a_file_within_the_racy_window_is_read_every_time(mini, cache_dir, reads, full_checks):
    _report(mini)  # the files were written a moment ago: their stats could miss a change made in the same tick
    reads.clear()
    assert _report(mini).cached and sorted(reads) == _files(mini)


def test_damaged_stats_only_cost_reading_the_files_again(mini, cache_dir, settled, reads, full_checks):
    first = _report(mini)
    slots = [e for e in (cache_dir / "check").rglob("*") if e.is_file() and b'"files"' in e.read_bytes()]
    assert len(slots) == 1
    for damage in (b'{"version": 1, "files": {"x": [1]}}', b"[1, 2]", b"{", b'{"version": 0, "files": {}}'):
        slots[0].write_bytes(damage)
        reads.clear()
        again = _report(mini)
        assert again.cached and again.issues == first.issues and sorted(reads) == _files(mini)
    assert len(full_checks) == 1


def test_a_check_from_the_cache_loads_neither_models_nor_checks(mini, cache_dir):
    import subprocess
    import sys

    from conftest import ROOT

    script = ("import sys; from generators.cli import main; code = main(['check', '--content', sys.argv[1]]); "
              "print(sorted(m for m in ('generators.model', 'generators.graph', 'generators.checks', 'pydantic') "
              "if m in sys.modules))")
    env = {**__import__("os").environ, cache.CACHE_ENV: str(cache_dir)}
    runs = [subprocess.run([sys.executable, "-c", script, str(mini)], cwd=ROOT, capture_output=True, text=True,
                           env=env, timeout=300) for _ in range(2)]
    assert "resultatet kommer från cachen" in runs[1].stderr, runs[1].stderr
    assert runs[0].stdout.strip().endswith("['generators.checks', 'generators.graph', 'generators.model', 'pydantic']")
    assert runs[1].stdout.strip().endswith("[]")
