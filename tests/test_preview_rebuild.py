"""`handbok serve` rebuilds quickly (issue 16): Markdown is converted again only for the pages whose Markdown changed,
and the search index is made after the swap, in the background. Neither may change what the preview shows."""

import os
import re
import shutil
import threading
import time
from pathlib import Path

import pytest

from conftest import MINI, ROOT
from generators import preview
from generators.finish import SEARCH_RANKS, VOCABULARY
from generators.preview import MarkdownMemo, SearchIndexer, ThemeMemo
from generators.publish import swap_into_place


@pytest.fixture
def content(tmp_path, monkeypatch) -> Path:
    target = tmp_path / "content"
    shutil.copytree(MINI, target)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796256000")
    return target


def _build(content: Path, site: Path, pool=None) -> None:
    """One build as the preview makes it (checked first, its own address, the search index left out; ``pool``: the
    preview's Markdown pool)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from generators.mkdocs_plugin import HandbokPlugin
    from generators.pipeline import CONTENT_ENV, check_content, content_env_value

    old = os.environ.get(CONTENT_ENV)
    os.environ[CONTENT_ENV] = content_env_value([content])
    try:
        config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(site))
        config.plugins["handbok"].config.search = False
        HandbokPlugin.preloaded = check_content([content])
        HandbokPlugin.site_url_given = True
        HandbokPlugin.shared_pool = pool
        build(config, serve_url="http://127.0.0.1:8000/")
    finally:
        HandbokPlugin.shared_pool = None
        HandbokPlugin.preloaded = None
        HandbokPlugin.site_url_given = False
        if old is None:
            os.environ.pop(CONTENT_ENV, None)
        else:
            os.environ[CONTENT_ENV] = old


def _tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def _retitle(content: Path, title: str) -> None:
    routine = content / "routines" / "betanketid.yml"
    text = routine.read_text(encoding="utf-8")
    routine.write_text(re.sub(r"^title: .*$", f"title: {title}", text, count=1, flags=re.M), encoding="utf-8")


# --- only the changed pages are converted, and the site is the same as a fresh build ----------------------------

def test_the_preview_pool_converts_only_the_changed_generated_pages_and_makes_the_same_site(content, tmp_path):
    """The preview's worker processes (a pool kept across builds) get only the generated pages whose Markdown changed;
    the others take the last build's result, and the site is the same as a fresh build's."""
    from generators.mkdocs_plugin import HandbokPlugin
    from generators.render.markdown_pool import MarkdownPool

    pool = MarkdownPool(workers=1, keep=True)
    counts = []
    real_finish = pool.finish

    def finish(succeeded=True):
        counts.append((pool.used, pool.reused, pool.missed))
        real_finish(succeeded)

    pool.finish = finish
    try:
        _build(content, tmp_path / "first", pool)
        _retitle(content, "Betänketid efter ändringen")
        _build(content, tmp_path / "again", pool)
    finally:
        pool.close()
    assert HandbokPlugin.shared_pool is None
    _build(content, tmp_path / "fresh")  # without the pool

    (used, reused, missed), (used2, reused2, missed2) = counts[:2]  # then close()
    assert used > 10 and reused == 0 and missed == 0  # every generated page from the workers
    assert used2 == used and missed2 == 0
    assert 2 <= used2 - reused2 < used / 2  # the routine, its backlinks and the overviews went to the workers again
    page = (tmp_path / "again" / "rutiner" / "betanketid" / "index.html").read_text(encoding="utf-8")
    assert "Betänketid efter ändringen" in page
    again, fresh = _tree(tmp_path / "again"), _tree(tmp_path / "fresh")
    assert sorted(again) == sorted(fresh)
    assert [name for name in fresh if again[name] != fresh[name]] == []


# --- the theme's template runs only for the pages whose input changed -------------------------------------------

def _theme_rebuild(content: Path, tmp_path: Path, change) -> tuple[int, int, int]:
    """A first build and, after ``change(content)``, a second with the memos as the preview has them, then a fresh
    build; the rebuilt site must be the fresh one. Returns (pages, templates rendered again, pages from the memo)."""
    memo, theme = MarkdownMemo(), ThemeMemo()
    undo, undo_theme = memo.install(), theme.install()
    try:
        for i, site in enumerate(("first", "again")):
            if i:
                change(content)
            memo.start()
            theme.start()
            _build(content, tmp_path / site)
            memo.finish(True)
            theme.finish(True)
            if not i:
                pages = theme.rendered
                assert theme.reused == 0
    finally:
        undo_theme()
        undo()
    _build(content, tmp_path / "fresh")  # without the memos
    again, fresh = _tree(tmp_path / "again"), _tree(tmp_path / "fresh")
    assert sorted(again) == sorted(fresh)
    assert [name for name in fresh if again[name] != fresh[name]] == []
    return pages, theme.rendered, theme.reused


def test_the_theme_runs_again_only_for_the_pages_that_changed(content, tmp_path):
    pages, rendered, reused = _theme_rebuild(content, tmp_path, lambda c: _retitle(c, "Betänketid efter ändringen"))
    assert rendered + reused == pages and pages > 10
    assert 2 <= rendered < pages / 2  # the routine, its backlinks and the overviews


def test_a_changed_site_title_puts_every_page_into_the_template_again(content, tmp_path):
    """The organisation's names are in every page's header (mkdocs.yml as the plugin set it, part of the key)."""
    org = content / "organisation.yml"
    org.write_text("id: organisation\nname: Provkommunen\nsite_title: Provhandboken\n", encoding="utf-8")

    def rename(c: Path) -> None:  # the name ends every page's <title>; no page's Markdown has it
        org.write_text(org.read_text(encoding="utf-8").replace("Provkommunen", "Provstaden"), encoding="utf-8")

    pages, rendered, reused = _theme_rebuild(content, tmp_path, rename)
    assert (rendered, reused) == (pages, 0)
    assert "Provstaden</title>" in (tmp_path / "again" / "index.html").read_text(encoding="utf-8")


def test_the_theme_memo_is_removed_again():
    import mkdocs.commands.build as build
    from mkdocs.theme import Theme

    from mkdocs.structure.files import Files

    before = (build._build_page, Theme.get_env, Files.add_files_from_theme)
    undo = ThemeMemo().install()
    assert [a is b for a, b in zip((build._build_page, Theme.get_env, Files.add_files_from_theme), before)] == \
        [False, False, False]
    undo()
    assert (build._build_page, Theme.get_env, Files.add_files_from_theme) == before


def test_the_theme_files_are_listed_once_and_again_when_the_site_templates_change(tmp_path, monkeypatch):
    """mkdocs lists the installed theme's thousands of files on every build; the preview lists them once, and the
    site's own templates (the theme's custom_dir) on every build. The files are those mkdocs adds, in its order,
    and a file of the docs still wins over the theme's."""
    from types import SimpleNamespace

    import jinja2
    from mkdocs.structure.files import File, Files, InclusionLevel
    from mkdocs.theme import Theme

    custom, docs = tmp_path / "overrides", tmp_path / "docs"
    for folder in (custom, docs):
        folder.mkdir()
        (folder / "extra.css").write_text(f"/* {folder.name} */", encoding="utf-8")
    theme = Theme(name="material", custom_dir=str(custom))
    config = SimpleNamespace(theme=theme, site_dir=str(tmp_path / "site"), use_directory_urls=True)
    mkdocs_own = Files.add_files_from_theme

    def files_of(add) -> list[tuple[str, str, str]]:
        files = Files([File("extra.css", str(docs), config.site_dir, True, inclusion=InclusionLevel.INCLUDED)])
        add(files, theme.get_env(), config)
        return [(f.src_uri, f.abs_src_path, f.abs_dest_path) for f in files]

    listed = []
    list_templates = jinja2.Environment.list_templates
    monkeypatch.setattr(jinja2.Environment, "list_templates",
                        lambda env, *a, **k: listed.append(1) or list_templates(env, *a, **k))
    undo = ThemeMemo().install()
    try:
        expected = files_of(mkdocs_own)
        assert len(expected) > 40 and expected[0][1] == str(docs / "extra.css")
        assert not any(src == "extra.css" for src, _, _ in expected[1:])  # the docs' file, not the theme's
        listed.clear()
        assert files_of(Files.add_files_from_theme) == expected
        assert files_of(Files.add_files_from_theme) == expected
        assert len(listed) == 1  # the second build did not list the theme again
        (custom / "ny.js").write_text("// ny", encoding="utf-8")
        again = files_of(Files.add_files_from_theme)
        assert again == files_of(mkdocs_own) and ("ny.js", str(custom / "ny.js"), str(tmp_path / "site" / "ny.js")) \
            in again
    finally:
        undo()


def test_a_rebuild_converts_only_the_pages_whose_markdown_changed_and_makes_the_same_site(content, tmp_path):
    memo = MarkdownMemo()
    undo = memo.install()
    try:
        memo.start()
        _build(content, tmp_path / "first")
        memo.finish(True)
        pages = memo.converted
        assert pages > 10 and memo.reused == 0

        _retitle(content, "Betänketid efter ändringen")
        memo.start()
        _build(content, tmp_path / "again")
        memo.finish(True)
        converted, reused = memo.converted, memo.reused
    finally:
        undo()
    _build(content, tmp_path / "fresh")  # without the memo

    # The routine's own page and the pages that show its title (backlinks, overviews), not the others.
    assert converted + reused == pages
    assert 2 <= converted < pages / 2
    page = (tmp_path / "again" / "rutiner" / "betanketid" / "index.html").read_text(encoding="utf-8")
    assert "Betänketid efter ändringen" in page
    overview = (tmp_path / "again" / "rutiner" / "index.html").read_text(encoding="utf-8")
    assert "Betänketid efter ändringen" in overview
    again, fresh = _tree(tmp_path / "again"), _tree(tmp_path / "fresh")
    assert sorted(again) == sorted(fresh)
    assert [name for name in fresh if again[name] != fresh[name]] == []


def test_a_kept_page_still_has_its_links_checked_so_strict_mode_still_stops(content, tmp_path):
    """mkdocs.yml is strict: a link to a missing anchor stops the build. The check runs after the conversion, on
    the links the page has; a page from the memo must bring them along (for this build's files)."""
    from mkdocs.exceptions import Abort

    pages = content / "pages"
    pages.mkdir()
    (pages / "prov.md").write_text("# Prov\n\nSe [källorna](kallor.md#finns-inte).\n", encoding="utf-8")
    memo = MarkdownMemo()
    undo = memo.install()
    try:
        for attempt in ("first", "second"):
            memo.start()
            with pytest.raises(Abort, match="strict"):
                _build(content, tmp_path / attempt)
            memo.finish(False)
        assert memo.converted == 0  # the second time every page came from the memo, prov.md too
    finally:
        undo()


class _Page:
    """As much of mkdocs' Page as the memo reads and writes."""

    def __init__(self, markdown: str) -> None:
        from mkdocs.structure.files import File

        self.file = File("prov.md", "/docs", "/site", use_directory_urls=True)
        self.markdown = markdown
        self.content = self.toc = self._title_from_render = self.present_anchor_ids = None
        self.links_to_anchors = None


def test_a_conversion_that_warned_is_not_kept_so_the_warning_comes_again(caplog):
    import logging

    from mkdocs.structure.files import Files

    calls = []

    def convert(page, config, files) -> None:
        calls.append(page.markdown)
        if "varning" in page.markdown:
            logging.getLogger("mkdocs.structure.pages").warning("Varning från konverteringen.")
        page.content, page.toc, page._title_from_render, page.present_anchor_ids = "<p>x</p>", [], "X", set()

    memo = MarkdownMemo()
    config = {"markdown_extensions": ["toc"], "mdx_configs": {}}
    config = type("Config", (dict,), {"config_file_path": None})(config)
    for build in range(2):
        memo.start()
        files = Files([])
        memo._render(convert, _Page("med varning"), config, files)
        memo._render(convert, _Page("utan"), config, files)
        memo.finish(True)
    assert calls == ["med varning", "utan", "med varning"]
    assert caplog.text.count("Varning från konverteringen.") == 2


def test_the_memo_and_the_template_cache_are_removed_again():
    from mkdocs.structure.pages import Page
    from mkdocs.theme import Theme

    render, get_env = Page.render, Theme.get_env
    undo = MarkdownMemo().install()
    try:
        assert Page.render is not render
        assert isinstance(Theme(name="mkdocs").get_env().bytecode_cache, preview._CompiledTemplates)
    finally:
        undo()
    assert Page.render is render and Theme.get_env is get_env
    assert Theme(name="mkdocs").get_env().bytecode_cache is None


# --- the search index, after the swap -----------------------------------------------------------------------

def _wait(check, what: str, seconds: float = 60):
    """Wait for a condition the background thread makes true; the limit only keeps a broken build from hanging."""
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, f"väntade förgäves på: {what}"
        time.sleep(0.02)


def _serve(parent: Path, site: Path, text: str, lock: threading.Lock) -> None:
    """A new site in place of the served one, the way the preview swaps it (carrying the current index over)."""
    new = parent / f"ny-{text}"
    new.mkdir()
    (new / "index.html").write_text(text, encoding="utf-8")
    with lock:
        for name in preview.SEARCH_FILES:
            preview._link_tree(site / name, new / name)
        swap_into_place(new, site)
    shutil.rmtree(new)


def test_the_index_is_made_from_a_copy_after_the_swap_and_saves_in_a_row_make_one_more(tmp_path, monkeypatch):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("ett", encoding="utf-8")
    release = threading.Event()
    indexed: list[str] = []

    def finish_site(copy: Path, templates: Path, search: bool = True, offline_zip: bool = False) -> None:
        """Stands in for Pagefind and the rest: an index that says which page text it saw."""
        assert search and not offline_zip and copy != site
        assert not (copy / "pagefind").exists()  # the copy leaves the previous index out
        text = (copy / "index.html").read_text(encoding="utf-8")
        indexed.append(text)
        release.wait(60)
        (copy / "pagefind").mkdir()
        (copy / "pagefind" / "index.pf").write_text(f"index av {text}", encoding="utf-8")
        (copy / SEARCH_RANKS).write_text(f"ranks av {text}", encoding="utf-8")
        (copy / VOCABULARY).write_text(f"ord av {text}", encoding="utf-8")

    monkeypatch.setattr(preview, "finish_site", finish_site)
    lock = threading.Lock()
    indexer = SearchIndexer(site, lock)
    try:
        with lock:
            indexer.request(1, tmp_path)
        _wait(lambda: indexed == ["ett"], "indexeringen av den första webbplatsen")
        # Two more saves while Pagefind runs: the served site changes at once, the index follows with the newest.
        _serve(tmp_path, site, "två", lock)
        with lock:
            indexer.request(2, tmp_path)
        _serve(tmp_path, site, "tre", lock)
        with lock:
            indexer.request(3, tmp_path)
        assert (site / "index.html").read_text(encoding="utf-8") == "tre"
        assert not (site / "pagefind").exists()  # the page did not wait for the index
        release.set()
        _wait(lambda: indexer.indexed == 3, "indexet för den senaste webbplatsen")
    finally:
        indexer.stop()
    assert indexed == ["ett", "tre"]
    assert (site / "pagefind" / "index.pf").read_text(encoding="utf-8") == "index av tre"
    assert (site / SEARCH_RANKS).read_text(encoding="utf-8") == "ranks av tre"
    assert (site / VOCABULARY).read_text(encoding="utf-8") == "ord av tre"
    assert (site / "index.html").read_text(encoding="utf-8") == "tre"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("handbok-serve-search-")] == []


def test_a_failed_index_keeps_the_previous_one_and_the_next_save_tries_again(tmp_path, monkeypatch, capsys):
    from mkdocs.exceptions import PluginError

    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("ett", encoding="utf-8")
    (site / "pagefind").mkdir()
    (site / "pagefind" / "index.pf").write_text("det förra indexet", encoding="utf-8")
    attempts: list[str] = []

    def finish_site(copy: Path, templates: Path, search: bool = True, offline_zip: bool = False) -> None:
        attempts.append((copy / "index.html").read_text(encoding="utf-8"))
        if len(attempts) == 1:
            raise PluginError("Sökindexeringen (Pagefind) misslyckades: prov")
        (copy / "pagefind").mkdir()
        (copy / "pagefind" / "index.pf").write_text("det nya indexet", encoding="utf-8")
        (copy / SEARCH_RANKS).write_text("{}", encoding="utf-8")
        (copy / VOCABULARY).write_text("[]", encoding="utf-8")

    monkeypatch.setattr(preview, "finish_site", finish_site)
    lock = threading.Lock()
    indexer = SearchIndexer(site, lock)
    try:
        with lock:
            indexer.request(1, tmp_path)
        _wait(lambda: "Sökindexet kunde inte uppdateras" in capsys.readouterr().err, "meddelandet om felet")
        assert (site / "pagefind" / "index.pf").read_text(encoding="utf-8") == "det förra indexet"
        _serve(tmp_path, site, "två", lock)
        with lock:
            indexer.request(2, tmp_path)
        _wait(lambda: indexer.indexed == 2, "indexet efter nästa ändring")
    finally:
        indexer.stop()
    assert attempts == ["ett", "två"]
    assert (site / "pagefind" / "index.pf").read_text(encoding="utf-8") == "det nya indexet"


def test_an_index_run_stopped_by_ctrl_c_is_not_reported(tmp_path, monkeypatch, capsys):
    """Ctrl-C stops Pagefind (the whole process group gets it) a moment before the preview stops the indexer."""
    from mkdocs.exceptions import PluginError

    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("ett", encoding="utf-8")
    running, failed = threading.Event(), threading.Event()

    def finish_site(copy: Path, templates: Path, search: bool = True, offline_zip: bool = False) -> None:
        running.set()
        failed.wait(10)
        raise PluginError("Sökindexeringen (Pagefind) misslyckades:")

    monkeypatch.setattr(preview, "finish_site", finish_site)
    monkeypatch.setattr(preview, "STOP_GRACE", 5.0)  # room for a slow machine; the stop below ends the wait
    lock = threading.Lock()
    indexer = SearchIndexer(site, lock)
    with lock:
        indexer.request(1, tmp_path)
    assert running.wait(10)
    failed.set()
    time.sleep(0.25)  # the preview's own Ctrl-C handling comes right after (within STOP_GRACE)
    indexer.stop()
    assert "Sökindexet kunde inte uppdateras" not in capsys.readouterr().err


def test_the_theme_templates_are_compiled_once_and_again_when_changed(tmp_path):
    """Each build makes a new Jinja environment; the compiled templates carry over, and a changed one is new."""
    import jinja2

    (tmp_path / "main.html").write_text("före {{ x }}", encoding="utf-8")
    cache = preview._CompiledTemplates()
    compiled = []

    class Env(jinja2.Environment):
        def compile(self, *args, **kwargs):
            compiled.append(args[1] if len(args) > 1 else kwargs.get("name"))
            return super().compile(*args, **kwargs)

    def render() -> str:
        env = Env(loader=jinja2.FileSystemLoader(str(tmp_path)), auto_reload=False)
        env.bytecode_cache = cache
        return env.get_template("main.html").render(x=1)

    assert render() == "före 1" and render() == "före 1"
    assert compiled == ["main.html"]
    (tmp_path / "main.html").write_text("efter {{ x }}", encoding="utf-8")
    assert render() == "efter 1"
    assert compiled == ["main.html", "main.html"]


def test_the_site_key_follows_the_site_templates_the_navigation_and_the_settings(tmp_path):
    """Every page's key holds the site's own templates (their text), the navigation and mkdocs.yml as loaded."""
    from types import SimpleNamespace

    custom = tmp_path / "overrides"
    (custom / "partials").mkdir(parents=True)
    (custom / "partials" / "header.html").write_text("<header>", encoding="utf-8")

    class Theme(dict):
        dirs = [str(custom)]
        custom_dir = str(custom)

    class Config(dict):
        theme = Theme(name="material")

    def nav(title: str):
        page = SimpleNamespace(title=title, url="rutiner/a/", children=None)
        return SimpleNamespace(items=[SimpleNamespace(title="Rutiner", url=None, children=[page])],
                               homepage=SimpleNamespace(url=""))

    def key(config, navigation) -> bytes:
        memo = ThemeMemo()
        memo.start()
        return memo._site_key(config, navigation)

    config = Config(site_name="Prov", extra={"organisation": "Provkommunen"}, site_dir="/tmp/a")
    first = key(config, nav("A"))
    assert key(Config(config, site_dir="/tmp/b"), nav("A")) == first  # the preview's own folder: not in a page
    assert key(config, nav("B")) != first  # a title in the menu
    assert key(Config(config, extra={"organisation": "Provstaden"}), nav("A")) != first
    (custom / "partials" / "header.html").write_text("<header class=x>", encoding="utf-8")
    assert key(config, nav("A")) != first  # a site template edited while the preview runs
