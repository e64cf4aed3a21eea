"""The document cache (generators/cache.py, render.documents.job_key): a job whose inputs were built before takes its
files from .handbok-cache/, with the same bytes, and runs pandoc and Typst only when something it depends on changed."""

import hashlib
import multiprocessing
from pathlib import Path

import pytest

from conftest import MINI, ROOT
from generators import cache
from generators.pipeline import check_content
from generators.render import documents, pdf

EPOCH = 1796256000


@pytest.fixture(scope="module")
def project():
    p, _ = check_content(MINI)
    return p


@pytest.fixture
def calls(monkeypatch):
    """Counts pandoc runs and Typst compiles by the target they were for."""
    seen = {"pandoc": [], "typst": []}
    real_pandoc, real_compile = documents.pandoc, pdf.compile_pdfs

    def counting_pandoc(cmd, markdown, epoch, target, env=None):
        seen["pandoc"].append(target)
        return real_pandoc(cmd, markdown, epoch, target, env)

    def counting_compile(tasks, root, outs, epoch):
        seen["typst"].extend(target for _, target in tasks)
        return real_compile(tasks, root, outs, epoch)

    monkeypatch.setattr(documents, "pandoc", counting_pandoc)
    monkeypatch.setattr(pdf, "compile_pdfs", counting_compile)
    return seen


def _build(project, out: Path) -> dict[str, str]:
    documents.build_documents(project, ROOT / "templates", out, EPOCH, say=lambda s: None)
    return {p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(out.rglob("*")) if p.is_file()}


def test_a_warm_build_runs_no_pandoc_and_gives_the_same_bytes(project, calls, tmp_path, monkeypatch):
    monkeypatch.setenv(cache.CACHE_ENV, "off")
    uncached = _build(project, tmp_path / "off")
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    calls["pandoc"].clear(), calls["typst"].clear()
    cold = _build(project, tmp_path / "cold")
    assert calls["pandoc"] and calls["typst"]
    # The Typst workers end with the documents: none is left starting up when the process exits (pdf.shutdown).
    assert pdf._POOL is None and not multiprocessing.active_children()
    calls["pandoc"].clear(), calls["typst"].clear()
    warm = _build(project, tmp_path / "warm")
    assert calls == {"pandoc": [], "typst": []}
    assert uncached == cold == warm
    assert any(n.endswith(".pdf") for n in warm) and any(n.endswith(".pptx") for n in warm)


def _edit(monkeypatch, target: str) -> None:
    """From now on, the Markdown of the job for ``target`` has a sentence more, as after an edit of its content."""
    real = documents.render_markdown

    def edited(project, templates_dir, job, images, env=None):
        md = real(project, templates_dir, job, images, env)
        return md + "\nEn ny mening.\n" if job.target == target else md

    monkeypatch.setattr(documents, "render_markdown", edited)


def test_a_changed_document_is_made_again_and_only_that_one(project, calls, tmp_path, monkeypatch):
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    first = _build(project, tmp_path / "a")
    _edit(monkeypatch, "handlingsplan.docx")
    calls["pandoc"].clear(), calls["typst"].clear()
    second = _build(project, tmp_path / "b")
    # One pandoc run writes the Word file and the PDF's Typst source (pdf.typst_request).
    assert calls == {"pandoc": ["handlingsplan.docx"], "typst": ["handlingsplan.pdf"]}
    changed = {name for name in first if first[name] != second[name]}
    assert changed == {"handlingsplan.docx", "handlingsplan.pdf"}


def test_the_variants_read_together_are_made_again_together_when_one_changes(project, calls, tmp_path, monkeypatch):
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    first = _build(project, tmp_path / "a")
    _edit(monkeypatch, "grund-ej ansluten/deltagarmaterial.docx")
    calls["pandoc"].clear(), calls["typst"].clear()
    second = _build(project, tmp_path / "b")
    # One pandoc run for both variants of the handout (render/variants.py), named by the first; every copy of
    # either compiles again, in one worker.
    assert calls["pandoc"] == ["grund-ansluten/deltagarmaterial.docx"]
    assert sorted(calls["typst"]) == sorted(n for n in first if n.endswith("/deltagarmaterial.pdf"))
    changed = {name for name in first if first[name] != second[name]}
    assert changed and all(n.endswith(("/deltagarmaterial.docx", "/deltagarmaterial.pdf")) for n in changed)


def test_the_first_pandoc_run_is_under_way_before_the_caller_goes_on(project, tmp_path, monkeypatch):
    """publish.build holds mkdocs back until ``under_way`` is set, so that the documents, which take longest, start
    first; set as the first run is handed over, and also when the cache has every document."""
    import threading

    seen = []
    real = documents.pandoc

    def watching(cmd, markdown, epoch, target, env=None):
        seen.append(under_way.is_set())
        return real(cmd, markdown, epoch, target, env)

    monkeypatch.setattr(documents, "pandoc", watching)
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    under_way = threading.Event()
    documents.build_documents(project, ROOT / "templates", tmp_path / "a", EPOCH, say=lambda s: None,
                              under_way=under_way)
    assert seen and all(seen)
    seen.clear()
    under_way = threading.Event()
    documents.build_documents(project, ROOT / "templates", tmp_path / "b", EPOCH, say=lambda s: None,
                              under_way=under_way)
    assert seen == [] and under_way.is_set()
    # From the cache, the first document sets it: the caller does not wait for the Markdown of all the others.
    real_cached = documents.cached_files
    when = []
    monkeypatch.setattr(documents, "cached_files", lambda key: (when.append(under_way.is_set()), real_cached(key))[1])
    under_way = threading.Event()
    documents.build_documents(project, ROOT / "templates", tmp_path / "c", EPOCH, say=lambda s: None,
                              under_way=under_way)
    assert when[0] is False and all(when[1:]) and len(when) > 1


def test_the_documents_made_before_a_failure_come_from_the_cache_after_it(project, calls, tmp_path, monkeypatch):
    """Each unit's files go into the cache as soon as they are all written, not when every document is done: a
    build that fails on one document leaves the others for the next build. (One thread each for pandoc and the
    compiles, so that the failing compile, the last, comes after all the others.)"""
    monkeypatch.setenv(cache.CACHE_ENV, "off")
    _build(project, tmp_path / "plan")
    last = calls["typst"][-1]  # the compile that comes last with one thread
    calls["pandoc"].clear(), calls["typst"].clear()
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    real = pdf.compile_pdfs

    def failing(tasks, root, outs, epoch):
        if tasks[0][1] == last:
            raise documents.DocumentError(f"Typst kunde inte skapa dist/{last}")
        return real(tasks, root, outs, epoch)

    monkeypatch.setattr(pdf, "compile_pdfs", failing)
    with pytest.raises(documents.DocumentError):
        documents.build_documents(project, ROOT / "templates", tmp_path / "a", EPOCH, say=lambda s: None, workers=1)
    made = list(calls["pandoc"])
    monkeypatch.setattr(pdf, "compile_pdfs", real)
    calls["pandoc"].clear(), calls["typst"].clear()
    documents.build_documents(project, ROOT / "templates", tmp_path / "b", EPOCH, say=lambda s: None, workers=1)
    # Every unit ran pandoc in the failed build; only the one whose compile failed runs again.
    assert len(made) == len(set(made)) > 2 and calls["pandoc"] == [last.removesuffix(".pdf") + ".docx"]
    assert calls["typst"] == [last]


def test_a_damaged_entry_counts_as_a_miss(project, calls, tmp_path, monkeypatch):
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    first = _build(project, tmp_path / "a")
    entries = [p for p in (tmp_path / "cache" / documents.CACHE_AREA).rglob("*") if p.is_file()]
    assert entries
    for entry in entries:
        entry.write_bytes(entry.read_bytes()[:-1])  # one byte short: not the whole entry
    calls["pandoc"].clear()
    assert _build(project, tmp_path / "b") == first
    assert calls["pandoc"]  # everything was made again, and stored again
    calls["pandoc"].clear()
    assert _build(project, tmp_path / "c") == first
    assert calls["pandoc"] == []


def test_the_cache_can_be_turned_off(project, calls, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(cache.CACHE_ENV, "off")
    _build(project, tmp_path / "a")
    calls["pandoc"].clear()
    _build(project, tmp_path / "b")
    assert calls["pandoc"]
    assert not (tmp_path / cache.DEFAULT_DIR).exists()


def test_the_cache_lives_in_handbok_cache_by_default(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(cache.CACHE_ENV, raising=False)
    assert cache.root() == tmp_path / ".handbok-cache"
    cache.put("prov", "ab12", b"data")
    assert cache.get("prov", "ab12") == b"data"
    assert cache.get("prov", "ffff") is None
    assert ".handbok-cache" in (ROOT / ".gitignore").read_text(encoding="utf-8")


def test_keys_change_with_every_input():
    base = cache.key("a", "b")
    assert base == cache.key("a", "b")
    assert base != cache.key("a", "c") != cache.key("ab")  # parts are length-prefixed: ("a","b") is not ("ab",)
    assert cache.key("a", "b") != cache.key("ab", "")


def test_an_entry_is_plain_data_that_reads_back_whole():
    files = {"b/å.pdf": b"%PDF\n\x00\xff", "a.docx": b"", "c.txt": b"\n\n"}
    data = cache.pack_files(files)
    assert cache.unpack_files(data) == files
    for bad in (data[:-1], data + b"x", b"\x80\x05" + data, data.replace(b'"a.docx",0', b'"a.docx",-1'), b""):
        assert cache.unpack_files(bad) is None


def test_a_planted_pickle_is_never_unpickled(tmp_path, monkeypatch):
    """The documents' entries were pickles once: a pickle found in the cache is a miss, and its code never runs."""
    import pickle

    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    ran = tmp_path / "ran"

    class Planted:
        def __reduce__(self):
            return (ran.write_text, ("ja",))

    cache.put(documents.CACHE_AREA, "ab" * 32, pickle.dumps(Planted()))
    assert documents.cached_files("ab" * 32) is None
    assert not ran.exists()


def test_documents_no_build_used_for_a_day_are_removed(project, tmp_path, monkeypatch):
    import os
    import time

    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    area = tmp_path / "cache" / documents.CACHE_AREA
    day = documents.CACHE_MAX_AGE
    old = time.time() - day - 60
    for name, age in (("aa" * 32, old), ("bb" * 32, time.time() - day / 2)):
        cache.put(documents.CACHE_AREA, name, cache.pack_files({"x.docx": b"x"}))
        os.utime(area / name[:2] / name, (age, age))
    first = _build(project, tmp_path / "a")
    kept = {p.name for p in area.glob("??/*")}
    assert "aa" * 32 not in kept  # unused for more than a day
    assert "bb" * 32 in kept  # unused, but lately written
    made = kept - {"bb" * 32}
    assert made
    for entry in area.glob("??/*"):  # the build's own entries are kept however old, and a hit marks them used
        os.utime(entry, (old, old))
    assert _build(project, tmp_path / "b") == first
    assert {p.name for p in area.glob("??/*")} == made
    assert all(time.time() - p.stat().st_mtime < 600 for p in area.glob("??/*"))


def test_a_cancelled_build_starts_no_pandoc_run_and_writes_nothing(project, calls, tmp_path, monkeypatch):
    """`handbok build` writes the documents while the site is built; after an error there or an interrupt it sets
    ``cancel``, and no further pandoc run or compile starts."""
    import threading

    monkeypatch.setenv(cache.CACHE_ENV, "off")
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(documents.Cancelled):
        documents.build_documents(project, ROOT / "templates", tmp_path / "out", EPOCH, say=lambda s: None,
                                  cancel=cancel)
    assert calls == {"pandoc": [], "typst": []}
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").rglob("*"))
