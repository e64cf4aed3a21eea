"""The document cache (generators/cache.py, render.documents.job_keys): a job whose inputs were built before takes its
files from .handbok-cache/, with the same bytes, and runs pandoc and Typst only when something it depends on changed."""

import hashlib
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

    def counting_pandoc(cmd, markdown, epoch, target):
        seen["pandoc"].append(target)
        return real_pandoc(cmd, markdown, epoch, target)

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
    calls["pandoc"].clear(), calls["typst"].clear()
    warm = _build(project, tmp_path / "warm")
    assert calls == {"pandoc": [], "typst": []}
    assert uncached == cold == warm
    assert any(n.endswith(".pdf") for n in warm) and any(n.endswith(".pptx") for n in warm)


def test_a_changed_document_is_made_again_and_only_that_one(project, calls, tmp_path, monkeypatch):
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    first = _build(project, tmp_path / "a")
    real = documents.render_markdown

    def edited(project, templates_dir, job, images):
        md = real(project, templates_dir, job, images)
        return md + "\nEn ny mening.\n" if job.target == "handlingsplan.docx" else md

    monkeypatch.setattr(documents, "render_markdown", edited)
    calls["pandoc"].clear(), calls["typst"].clear()
    second = _build(project, tmp_path / "b")
    assert calls == {"pandoc": ["handlingsplan.docx", "handlingsplan.pdf"], "typst": ["handlingsplan.pdf"]}
    changed = {name for name in first if first[name] != second[name]}
    assert changed == {"handlingsplan.docx", "handlingsplan.pdf"}


def test_a_damaged_entry_counts_as_a_miss(project, calls, tmp_path, monkeypatch):
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    first = _build(project, tmp_path / "a")
    entries = [p for p in (tmp_path / "cache" / documents.CACHE_AREA).rglob("*") if p.is_file()]
    assert entries
    for entry in entries:
        entry.write_bytes(b"inte en pickle")
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
