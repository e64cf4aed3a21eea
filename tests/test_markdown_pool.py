"""The generated pages' Markdown converted in worker processes (generators/render/markdown_pool.py, issue 16): the
same site as mkdocs' own conversion, and the main process's conversion whenever the pool's does not fit."""

import logging
import os
from pathlib import Path

import pytest

from conftest import ROOT
from generators.render.markdown_pool import MarkdownPool


def _build(site: Path, pool_min: int | None) -> tuple[int, int] | None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from generators.mkdocs_plugin import HandbokPlugin

    saved = HandbokPlugin.pool_min
    HandbokPlugin.pool_min = pool_min
    try:
        config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(site))
        config.plugins["handbok"].config.search = False
        build(config)
        return config.plugins["handbok"].pool_counts
    finally:
        HandbokPlugin.pool_min = saved


def _tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_the_pool_makes_the_same_site_as_mkdocs_alone(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796256000")
    assert _build(tmp_path / "alone", None) is None
    used, missed = _build(tmp_path / "pool", 1)
    assert used > 150 and missed == 0  # every generated page of the default content came from the workers
    alone, pooled = _tree(tmp_path / "alone"), _tree(tmp_path / "pool")
    assert sorted(alone) == sorted(pooled)
    assert [name for name in alone if alone[name] != pooled[name]] == []


# --- the pool on its own ------------------------------------------------------------------------------------------

@pytest.fixture
def site(tmp_path):
    """A small mkdocs configuration and its files: two pages that link to each other."""
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File, Files

    config = MkDocsConfig(config_file_path=str(tmp_path / "mkdocs.yml"))
    config.load_dict({"site_name": "Prov", "docs_dir": str(tmp_path / "docs"), "site_dir": str(tmp_path / "site"),
                      "markdown_extensions": ["toc", "attr_list", "footnotes"]})
    (tmp_path / "docs").mkdir()
    errors, warnings = config.validate()
    assert not errors, errors
    files = Files([File(uri, config.docs_dir, config.site_dir, True) for uri in ("a.md", "mapp/b.md")])
    return config, files


TEXT = {"a.md": "# Första\n\nSe [den andra](mapp/b.md#mitten) och [ingenstans](saknas.md).[^1]\n\n[^1]: En fotnot.\n",
        "mapp/b.md": "# Andra\n\n## Mitten\n\nTillbaka till [första](../a.md).\n"}


def _page(config, files, uri: str, text: str):
    from mkdocs.structure.pages import Page

    page = Page(None, files.get_file_from_path(uri), config)
    page.markdown = text
    return page


def test_a_page_from_the_pool_is_the_page_mkdocs_makes(site, caplog):
    config, files = site
    pool = MarkdownPool(workers=1)
    assert pool.submit(config, files, TEXT.items())
    try:
        for uri, text in TEXT.items():
            pooled, alone = _page(config, files, uri, text), _page(config, files, uri, text)
            caplog.clear()
            with caplog.at_level(logging.INFO):
                assert pool.take(pooled, files)
            from_pool = [(r.name, r.levelno, r.getMessage()) for r in caplog.records]
            caplog.clear()
            with caplog.at_level(logging.INFO):
                alone.render(config, files)
            assert from_pool == [(r.name, r.levelno, r.getMessage()) for r in caplog.records]
            assert (pooled.content, pooled.title, pooled.present_anchor_ids, str(pooled.toc)) == \
                   (alone.content, alone.title, alone.present_anchor_ids, str(alone.toc))
            assert pooled.links_to_anchors == alone.links_to_anchors
            if uri == "a.md":  # the link made relative to the page's address, and the missing page warned about
                assert 'href="../mapp/b/#mitten"' in pooled.content and any("saknas.md" in m for _, _, m in from_pool)
        assert pool.used == 2 and pool.missed == 0
    finally:
        pool.close()


def test_the_pool_warning_is_logged_in_the_main_process(site, caplog):
    config, files = site
    pool = MarkdownPool(workers=1)
    assert pool.submit(config, files, [("a.md", TEXT["a.md"])])
    try:
        with caplog.at_level(logging.INFO):
            assert pool.take(_page(config, files, "a.md", TEXT["a.md"]), files)
    finally:
        pool.close()
    assert ("mkdocs.structure.pages", logging.WARNING, "Doc file 'a.md' contains a link 'saknas.md', but the target is "
            "not found among documentation files.") in [(r.name, r.levelno, r.getMessage()) for r in caplog.records]


def test_other_markdown_than_the_pool_converted_is_converted_in_the_main_process(site):
    config, files = site
    pool = MarkdownPool(workers=1)
    assert pool.submit(config, files, TEXT.items())
    try:
        changed = _page(config, files, "a.md", TEXT["a.md"] + "\nEn rad till.\n")  # a plugin changed the page
        assert not pool.take(changed, files) and changed.content is None
        assert pool.take(_page(config, files, "mapp/b.md", TEXT["mapp/b.md"]), files)
        assert not pool.take(_page(config, files, "mapp/b.md", TEXT["mapp/b.md"]), files)  # taken once only
        assert (pool.used, pool.missed) == (1, 2)
    finally:
        pool.close()


def test_a_page_the_worker_could_not_convert_is_converted_in_the_main_process(site):
    from mkdocs.structure.files import Files

    config, files = site
    only_b = Files([f for f in files if f.src_uri == "mapp/b.md"])  # the worker has no file for a.md: it fails there
    pool = MarkdownPool(workers=1)
    assert pool.submit(config, only_b, TEXT.items())
    try:
        page = _page(config, files, "a.md", TEXT["a.md"])
        assert not pool.take(page, files) and page.content is None
        assert (pool.used, pool.missed) == (0, 1)
    finally:
        pool.close()


def test_settings_the_workers_cannot_be_given_mean_no_pool(site):
    config, files = site

    class Local:  # a class the workers could not import: it cannot be pickled by reference
        pass

    pool = MarkdownPool(workers=1)
    assert not pool.submit(config, files, TEXT.items(), extensions=["toc", Local()])
    try:
        page = _page(config, files, "a.md", TEXT["a.md"])
        assert "a.md" not in pool and not pool.take(page, files) and page.content is None
    finally:
        pool.close()


# --- a pool that serves several builds (the preview) ---------------------------------------------------------------

def test_a_kept_result_is_taken_again_without_the_workers_and_logs_again(site, caplog):
    """With ``keep``, the next build's unchanged pages take the last build's results (with their warnings), and only
    the changed page goes to the workers."""
    config, files = site
    pool = MarkdownPool(workers=1, keep=True)
    try:
        assert pool.submit(config, files, TEXT.items())
        first = {uri: _page(config, files, uri, text) for uri, text in TEXT.items()}
        assert all(pool.take(page, files) for page in first.values())
        pool.finish(True)
        assert pool.submit(config, files, [("a.md", TEXT["a.md"]), ("mapp/b.md", TEXT["mapp/b.md"] + "\nMer.\n")])
        again = _page(config, files, "a.md", TEXT["a.md"])
        caplog.clear()
        with caplog.at_level(logging.INFO):
            assert pool.take(again, files)
        assert any("saknas.md" in r.getMessage() for r in caplog.records)  # the warning, again
        assert again.content == first["a.md"].content and str(again.toc) == str(first["a.md"].toc)
        changed = _page(config, files, "mapp/b.md", TEXT["mapp/b.md"] + "\nMer.\n")
        assert pool.take(changed, files) and "<p>Mer.</p>" in changed.content
        assert (pool.used, pool.reused, pool.missed) == (2, 1, 0)
        pool.finish(True)
    finally:
        pool.close()


def test_other_files_mean_no_kept_result(site):
    """The links depend on every file's address: a build with other files converts every page again."""
    from mkdocs.structure.files import File, Files

    config, files = site
    pool = MarkdownPool(workers=1, keep=True)
    try:
        assert pool.submit(config, files, TEXT.items())
        assert pool.take(_page(config, files, "a.md", TEXT["a.md"]), files)
        pool.finish(True)
        more = Files(list(files) + [File("saknas.md", config.docs_dir, config.site_dir, True)])
        assert pool.submit(config, more, [("a.md", TEXT["a.md"])])
        page = _page(config, more, "a.md", TEXT["a.md"])
        assert pool.take(page, more) and pool.reused == 0
        assert 'href="../saknas/"' in page.content  # converted again, against the new files
    finally:
        pool.close()


def test_without_keep_nothing_is_reused(site):
    config, files = site
    pool = MarkdownPool(workers=1)
    try:
        for _ in range(2):
            assert pool.submit(config, files, [("a.md", TEXT["a.md"])])
            assert pool.take(_page(config, files, "a.md", TEXT["a.md"]), files)
            pool.finish(True)
            assert pool.reused == 0
    finally:
        pool.close()


def test_the_setup_file_is_removed_after_each_build(site, tmp_path, monkeypatch):
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    config, files = site
    pool = MarkdownPool(workers=1)
    try:
        assert pool.submit(config, files, TEXT.items())
        assert len(list(tmp_path.glob("handbok-markdown-*"))) == 1
        pool.finish(True)
        assert list(tmp_path.glob("handbok-markdown-*")) == []
    finally:
        pool.close()
