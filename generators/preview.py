"""``handbok serve``: the preview, which never hangs on an error.

mkdocs' own server waits for a good build before it answers, so one content error used to leave the browser waiting.
Here every rebuild checks the content first and builds into a fresh folder that replaces the served one only when the
build succeeded. On an error the last good site stays, with the errors listed on top of every page (or as every page
while there has been no good build), and the browser reloads as soon as the file is fixed.

A rebuild is quick (issue 16): Markdown is converted again only for the pages whose Markdown changed (the changed
record's page, its backlinks and the overviews; the rest reuse the HTML they had), the generated ones in worker
processes that live as long as the preview (render/markdown_pool.py), and the search index is made after the swap, in
the background, so the page shows before Pagefind has run.
"""

from __future__ import annotations

import copy
import hashlib
import html
import json
import logging
import os
import re
import shutil
import tempfile
import threading
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

import jinja2
import jinja2.bccache

from .finish import SEARCH_RANKS, SW_NAME, VOCABULARY, finish_site
from .issues import Issue, failing, print_issues, summary
from .load import keep_positions
from .pipeline import CONTENT_ENV, content_env_value, content_list
from .publish import _mkdocs_logging, _say, swap_into_place
from .render.markdown_pool import MarkdownPool, apply_conversion

#
# `handbok serve` never hangs on an error. mkdocs' own serve lets a failed rebuild leave the server waiting for a
# good one (every request stalls), and a failed first build stops it. Here the content is checked before mkdocs
# runs; each build goes into a fresh folder that replaces the served one only when the build succeeded. On an
# error the last good site stays, every page shows the errors on top (`fil:rad: meddelande`), and the browser
# reloads when the error appears and again when it is fixed. Before any good build, every address shows the list.

SERVE_TITLE = "Innehållet har fel – förhandsgranskningen visar den senaste fungerande versionen"
SERVE_TITLE_NO_SITE = "Innehållet har fel – förhandsgranskningen visas när felen är rättade"
SERVE_HELP = "Rätta och spara filen: sidan laddas om av sig själv."
_OVERLAY_ID = "handbok-serve-errors"
# How often the server looks for saved files (mkdocs: every 0.5 s): a save shows sooner, for about 4 % of a core.
POLLING_INTERVAL = 0.2
# How much the search index gives way to the builds (nice; Pagefind may lag behind a few saves, the pages never do).
INDEX_NICENESS = 10

# Self-contained, so that it looks the same on every page, in light and dark mode, and on the page with no site:
# black on white and dark red (contrast above 7:1), text as large as the page's text (the theme's .8rem; on the page
# without a site the reader's own size), a 44 px button, wrapping on a phone.
_OVERLAY_CSS = f"""
#{_OVERLAY_ID}{{position:fixed;top:0;left:0;right:0;z-index:100000;box-sizing:border-box;max-height:60vh;overflow:auto;
margin:0;padding:.75em 1em;background:#fff;color:#1a1a1a;border-bottom:.375em solid #a50016;
box-shadow:0 .25em 1em rgba(0,0,0,.4);font:max(.8rem,16px)/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;
text-align:left;overflow-wrap:anywhere}}
#{_OVERLAY_ID}.handbok-serve-page{{position:static;max-height:none;max-width:48em;margin:0 auto;border:0;box-shadow:none;
font-size:1rem}}
#{_OVERLAY_ID} .handbok-serve-title{{margin:0 0 .5em;font-size:1.25em;line-height:1.3;font-weight:700;color:#8a0012}}
#{_OVERLAY_ID} p{{margin:.5em 0}}
#{_OVERLAY_ID} ul{{margin:.5em 0;padding-left:1.25em}}
#{_OVERLAY_ID} li{{margin:.375em 0;white-space:pre-line}}
#{_OVERLAY_ID} code{{font:700 .9375em/1.4 ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace;
background:#f0f0f0;color:#1a1a1a;padding:0 .2em}}
#{_OVERLAY_ID} .handbok-serve-hint{{display:block;color:#333}}
#{_OVERLAY_ID} button{{font:inherit;min-height:2.75em;min-width:2.75em;padding:.25em 1em;
background:#1a1a1a;color:#fff;border:2px solid #1a1a1a;border-radius:.25em;cursor:pointer}}
#{_OVERLAY_ID} button:focus-visible{{outline:3px solid #a50016;outline-offset:2px}}
"""


@dataclass(frozen=True)
class Problem:
    """One entry in the preview's error list: where (``fil:rad``, or empty when unknown), what, and a hint."""

    where: str
    message: str
    hint: str = ""

    @classmethod
    def from_issue(cls, issue: Issue) -> Problem:
        return cls(f"{issue.path}:{issue.line}", issue.message, issue.hint)

    def text(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


def error_overlay(problems: Sequence[Problem], have_site: bool = True) -> str:
    """The error list the preview shows: on top of every page of the last good site, or as the whole page.

    ``role="alert"``, so that a screen reader says it when the page reloads with it.
    """
    title = SERVE_TITLE if have_site else SERVE_TITLE_NO_SITE
    tag = "h2" if have_site else "h1"
    count = f"{len(problems)} fel." if len(problems) != 1 else "1 fel."
    items = []
    for p in problems:
        where = f"<code>{html.escape(p.where)}</code>: " if p.where else ""
        hint = f'<span class="handbok-serve-hint">Tips: {html.escape(p.hint)}</span>' if p.hint else ""
        items.append(f"<li>{where}{html.escape(p.message)}{hint}</li>")
    hide = ("<button type=\"button\" data-handbok-serve-hide>Dölj felen</button>"
            f"<script>document.querySelector(\"#{_OVERLAY_ID} [data-handbok-serve-hide]\").addEventListener(\"click\","
            f"function(){{document.getElementById(\"{_OVERLAY_ID}\").hidden=true;}});</script>") if have_site else ""
    return (f'<div id="{_OVERLAY_ID}" class="{"" if have_site else "handbok-serve-page"}" role="alert" '
            f'aria-labelledby="{_OVERLAY_ID}-title"><style>{_OVERLAY_CSS}</style>'
            f'<{tag} id="{_OVERLAY_ID}-title" class="handbok-serve-title">{title}</{tag}>'
            f"<p>{count} {SERVE_HELP}</p>{hide}<ul>{''.join(items)}</ul></div>")


def error_page(problems: Sequence[Problem]) -> str:
    """The whole page at every address while no build has succeeded yet."""
    return ('<!doctype html><html lang="sv"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width,initial-scale=1">'
            f"<title>Fel i innehållet – förhandsgranskning</title></head><body>"
            f"<main>{error_overlay(problems, have_site=False)}</main></body></html>")


_BODY = re.compile(rb"<body\b[^>]*>")


def add_overlay(page: bytes, problems: Sequence[Problem]) -> bytes:
    """The error list first in the page's body (first in reading order, before the header)."""
    overlay = error_overlay(problems).encode("utf-8")
    m = _BODY.search(page)
    at = m.end() if m else 0
    return page[:at] + overlay + page[at:]


class _Preview:
    """What the preview server shows: the errors of the latest build (none when it succeeded), and whether a
    good site exists. Written by the build loop before it lets the browsers reload; read by request threads."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.have_site = False
        self.printed: list[Issue] | None = None


class _Capture(logging.Handler):
    """mkdocs' warnings and errors during one build: a failed build's reasons (strict mode stops on warnings)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            msg = record.getMessage().strip()
        except Exception:  # a malformed log call must not fail the build loop
            return
        if msg and msg not in self.messages:
            self.messages.append(msg)


def _build_problems(exc: BaseException, logged: list[str]) -> list[Problem]:
    """What to show for a build that failed after the content check passed (a template, a page, mkdocs.yml)."""
    from mkdocs.exceptions import Abort

    problems = [Problem("", m) for m in logged]
    if isinstance(exc, Abort) and "strict" in str(exc):
        problems.append(Problem("", "Varningarna stoppar bygget, eftersom mkdocs.yml har strict: true."))
    elif not (isinstance(exc, Abort) and logged):  # an Abort only sums up what was logged
        where = ""
        for e in (exc, exc.__cause__, exc.__context__):
            mark = getattr(e, "problem_mark", None)  # a YAML error (mkdocs.yml), or a Jinja one in a template
            if mark is not None and getattr(mark, "name", None):
                where = f"{mark.name}:{mark.line + 1}"
                break
            if getattr(e, "filename", None) and getattr(e, "lineno", None):
                where = f"{e.filename}:{e.lineno}"
                break
        problems.append(Problem(where, str(exc) or type(exc).__name__))
    return problems


class _SwedishLevels(logging.Formatter):
    LEVELS = {"WARNING": "varning", "ERROR": "fel", "CRITICAL": "fel", "INFO": "info", "DEBUG": "felsökning"}

    def format(self, record: logging.LogRecord) -> str:
        return f"{self.LEVELS.get(record.levelname, record.levelname)}: {record.getMessage()}"


def _preview_server(preview: _Preview, **kwargs):
    """mkdocs' live-reload server, showing the errors: on top of every HTML page, and as every page (status
    503) while there is no good site. Requests wait only while a build runs, as in mkdocs."""
    from mkdocs.livereload import LiveReloadServer, _Handler

    class Handler(_Handler):
        def log_request(self, code="-", size="-"):
            if str(code) != "503":  # the error page: the terminal has listed the errors already
                super().log_request(code, size)

    class PreviewServer(LiveReloadServer):
        def __init__(self, **kw) -> None:
            super().__init__(**kw)
            self.RequestHandlerClass = Handler
            self.error_handler = self._error_page

        def server_activate(self) -> None:
            super().server_activate()
            _say(f"Förhandsgranskar på {self.url} – sidan laddas om när du sparar en fil. Avsluta med Ctrl+C.")

        def _inject_js_into_html(self, content: bytes, epoch: int) -> bytes:
            content = super()._inject_js_into_html(content, epoch)
            problems = preview.problems
            return add_overlay(content, problems) if problems and preview.have_site else content

        def _error_page(self, code: int) -> bytes | None:
            page = Path(self.root) / f"{code}.html"
            if code == 404 and page.is_file():  # the site's own 404 page, reloading like any other page
                return self._inject_js_into_html(page.read_bytes(), self._visible_epoch)
            return None

        def _serve_request(self, environ, start_response):
            if not environ["PATH_INFO"].startswith("/livereload/"):
                with self._epoch_cond:
                    self._epoch_cond.wait_for(lambda: self._visible_epoch == self._wanted_epoch)
                    epoch = self._visible_epoch
                if not preview.have_site:
                    body = self._inject_js_into_html(error_page(preview.problems).encode("utf-8"), epoch)
                    start_response("503 Service Unavailable", [("Content-Type", "text/html; charset=utf-8"),
                                                               ("Content-Length", str(len(body))),
                                                               ("Cache-Control", "no-store")])
                    return [body]
            return super()._serve_request(environ, start_response)

    return PreviewServer(**kwargs)


class _Warned(logging.Handler):
    """Whether mkdocs warned while one page was converted."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


class _CompiledTemplates(jinja2.BytecodeCache):
    """The theme's templates, compiled once for the whole preview: mkdocs makes a new Jinja environment for every
    build, which would compile them all again. A changed template is compiled again (the cache compares sources)."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


def _describe(value, depth: int = 0) -> str:
    """Markdown settings as text, the same for the same settings: extension objects by their class and attributes
    (a plugin's extension can carry state); past a few levels, objects by identity (at worst a miss, never stale)."""
    if isinstance(value, (str, int, float, bool, type(None))):
        return repr(value)
    if depth > 4:
        return f"<{type(value).__qualname__} {id(value)}>"
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_describe(v, depth + 1) for v in value]
        return "[" + ",".join(sorted(items) if isinstance(value, (set, frozenset)) else items) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(f"{_describe(k, depth + 1)}:{_describe(v, depth + 1)}" for k, v in value.items()) + "}"
    if isinstance(value, re.Pattern):
        return f"re({value.pattern!r},{value.flags})"
    if hasattr(value, "__dict__") and not isinstance(value, type) and not callable(value):
        return f"{type(value).__module__}.{type(value).__qualname__}{_describe(vars(value), depth + 1)}"
    return f"<{type(value).__qualname__} {id(value)}>"  # functions, classes: the same object in every build


class MarkdownMemo:
    """The HTML that Markdown gave each page in the last build, so that a rebuild converts only the changed pages.

    Converting Markdown is most of a build's time, and mkdocs does it for every page on every build. The generated
    pages are rendered from the graph each time (quick), so a changed routine changes the Markdown of exactly the pages
    that show it: its own page, its backlinks (units, laws, related routines, requirements, modules) and the overviews.
    Only those are converted again; every other page gets the HTML it had. Everything after the conversion (the
    plugin's page hooks, the theme, the navigation) still runs for every page, so nothing else can go stale.

    The key holds all that the conversion reads: the page's Markdown and address, every file's address (links are
    resolved against them) and mkdocs.yml (the Markdown settings and the link checks). A conversion that warned is not
    kept, so that the warning, and strict mode's stop, come again on every build, as in a fresh one.
    """

    def __init__(self) -> None:
        self._kept: dict[bytes, tuple] = {}
        self._used: dict[bytes, tuple] = {}
        self._files = None
        self._files_key = b""
        self.converted = 0  # pages converted in the current build; the others came from the memo
        self.reused = 0

    def install(self) -> Callable[[], None]:
        """Convert mkdocs' pages through the memo, and compile the theme's templates once (the preview process
        builds nothing else); returns the undo."""
        from mkdocs.structure.pages import Page
        from mkdocs.theme import Theme

        render, get_env = Page.render, Theme.get_env
        compiled = _CompiledTemplates()

        def memo_render(page, config, files) -> None:
            self._render(render, page, config, files)

        def theme_env(theme):
            env = get_env(theme)
            env.bytecode_cache = compiled
            return env

        def undo() -> None:
            Page.render, Theme.get_env = render, get_env

        Page.render, Theme.get_env = memo_render, theme_env
        return undo

    def start(self) -> None:
        self.converted = self.reused = 0

    def finish(self, succeeded: bool) -> None:
        """After a build: keep what it used (a failed build stopped part-way, so keep the older entries too)."""
        self._kept = self._used if succeeded else {**self._kept, **self._used}
        self._used, self._files = {}, None

    def _key_of_files(self, config, files) -> bytes:
        h = hashlib.sha256()
        if config.config_file_path and os.path.isfile(config.config_file_path):
            h.update(Path(config.config_file_path).read_bytes())
        for f in sorted(files, key=lambda f: f.src_uri):
            h.update(f"{f.src_uri}\0{f.dest_uri}\0{f.url}\n".encode())
        return h.digest()

    def _render(self, original, page, config, files) -> None:
        if files is not self._files:  # the first page of a build
            self._files, self._files_key = files, self._key_of_files(config, files)
        markdown = page.markdown if page.markdown is not None else ""
        # The Markdown settings per page: a plugin's extension may carry state, set for each page (the glossary).
        settings = _describe((config["markdown_extensions"], config["mdx_configs"]))
        key = hashlib.sha256(b"\0".join((self._files_key, page.file.src_uri.encode(), settings.encode(),
                                          markdown.encode()))).digest()
        hit = self._used.get(key) or self._kept.get(key)
        if hit is None:
            warned = _Warned()
            logger = logging.getLogger("mkdocs")
            logger.addHandler(warned)
            try:
                original(page, config, files)
            finally:
                logger.removeHandler(warned)
            self.converted += 1
            if not warned.count:
                links = page.links_to_anchors
                self._used[key] = (page.content, copy.deepcopy(page.toc), page._title_from_render,
                                   frozenset(page.present_anchor_ids or ()),
                                   None if links is None else {f.src_uri: dict(v) for f, v in links.items()})
            return
        self._used[key] = hit
        self.reused += 1
        content, toc, title, anchors, links = hit
        apply_conversion(page, files, content, copy.deepcopy(toc), title, anchors, links)


# The configuration that the theme's templates do not read, or that changes on every build without changing a page
# (the preview's own folder, plugin objects); all else in mkdocs.yml is part of every page's key (ThemeMemo).
_NOT_IN_PAGES = frozenset({"plugins", "hooks", "markdown_extensions", "mdx_configs", "site_dir", "docs_dir", "watch",
                           "dev_addr", "strict", "config_file_path", "validation", "exclude_docs", "not_in_nav",
                           "draft_docs", "theme"})
# The template context that is not in the key: the date of the build (no template of the site shows it, and it
# would make every page new on every build) and what the key holds otherwise (config, nav, page).
_NOT_IN_KEY = frozenset({"build_date_utc", "config", "nav", "page", "pages"})


def _as_text(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=repr)


class ThemeMemo:
    """The page that the theme's template made from each page in the last build, so that a rebuild runs the template
    only for the pages whose input changed.

    mkdocs puts every page into the theme's template on every build (a third of a rebuild). The key holds what the
    template reads: the page (its HTML, table of contents, title, metadata with the breadcrumbs, address, neighbours
    and sections), the navigation (every entry's title and address), mkdocs.yml as loaded (the theme's settings and
    ``extra``, as the plugin set them), the site's own templates (their text), and the rest of the template context
    as text. A value whose text differs between builds only makes a new key, never a stale page. Plugins'
    ``on_post_page`` still run for every page.
    """

    def __init__(self) -> None:
        self._kept: dict[bytes, str] = {}
        self._used: dict[bytes, str] = {}
        self._site: tuple[int, bytes] | None = None
        self._pending = None
        self._theme_files: tuple[tuple, list[tuple[str, str]]] | None = None
        self.rendered = 0
        self.reused = 0

    def install(self) -> Callable[[], None]:
        """Route mkdocs' page building through the memo; returns the undo."""
        import mkdocs.commands.build as build
        from mkdocs.structure.files import File, Files
        from mkdocs.theme import Theme

        build_page, get_env, theme_files = build._build_page, Theme.get_env, Files.add_files_from_theme

        def memo_theme_files(files, env, config) -> None:
            """The theme's static files, as mkdocs adds them, without listing the installed theme's thousands of
            files again on every build (a twentieth of a rebuild): only the site's own templates are looked at."""
            theme = config.theme
            custom = theme.custom_dir
            listing = sorted(p.relative_to(custom).as_posix() for p in Path(custom).rglob("*")) \
                if custom and os.path.isdir(custom) else []
            key = (tuple(theme.dirs), tuple(theme.static_templates), tuple(listing))
            if self._theme_files is None or self._theme_files[0] != key:
                every = Files([])  # what mkdocs adds when the docs have none of the theme's files
                theme_files(every, env, config)
                self._theme_files = (key, [(f.src_uri, f.src_dir) for f in every])
            for path, folder in self._theme_files[1]:
                if files.get_file_from_path(path) is None:  # the docs' own file wins, as in mkdocs
                    files.append(File(path, folder, config.site_dir, config.use_directory_urls))

        def memo_build_page(page, config, doc_files, nav, env, *args, **kwargs) -> None:
            self._pending = (page, config, nav)
            try:
                build_page(page, config, doc_files, nav, env, *args, **kwargs)
            finally:
                self._pending = None

        def env_of(theme):
            env = get_env(theme)
            get_template = env.get_template

            def page_template(name, *args, **kwargs):
                template = get_template(name, *args, **kwargs)
                pending, self._pending = self._pending, None  # only the page's own template, not its includes
                return template if pending is None else _MemoTemplate(self, template, name, pending)

            env.get_template = page_template
            return env

        def undo() -> None:
            build._build_page, Theme.get_env, Files.add_files_from_theme = build_page, get_env, theme_files

        build._build_page, Theme.get_env, Files.add_files_from_theme = memo_build_page, env_of, memo_theme_files
        return undo

    def start(self) -> None:
        self.rendered = self.reused = 0
        self._site = None

    def finish(self, succeeded: bool) -> None:
        self._kept = self._used if succeeded else {**self._kept, **self._used}
        self._used = {}
        self._site = None

    def _site_key(self, config, nav) -> bytes:
        """What every page's template reads alike: mkdocs.yml as loaded, the site's templates and the navigation."""
        if self._site is not None and self._site[0] == id(nav):
            return self._site[1]
        h = hashlib.sha256()
        h.update(_as_text({k: v for k, v in config.items() if k not in _NOT_IN_PAGES}).encode())
        theme = config.theme
        h.update(_as_text([dict(theme), list(theme.dirs)]).encode())
        custom = theme.custom_dir
        if custom and os.path.isdir(custom):  # the installed theme does not change while the preview runs
            for path in sorted(Path(custom).rglob("*")):
                if path.is_file():
                    h.update(path.relative_to(custom).as_posix().encode() + b"\0" + path.read_bytes())

        def walk(items) -> list:
            return [(type(i).__name__, i.title, getattr(i, "url", None), walk(i.children or []) if i.children else [])
                    for i in items]

        h.update(_as_text(walk(nav.items)).encode())
        h.update(_as_text(nav.homepage.url if nav.homepage else None).encode())
        self._site = (id(nav), h.digest())
        return self._site[1]

    def key(self, name: str, page, config, nav, context) -> bytes:
        def toc(items) -> list:
            return [(i.title, i.id, i.level, toc(i.children)) for i in items]

        def near(p) -> tuple | None:
            return None if p is None else (p.title, p.url)

        described = [name, page.file.src_uri, page.url, page.canonical_url, page.abs_url, page.edit_url,
                     page.is_homepage, page.title, page.content, toc(page.toc or []), page.meta,
                     near(page.previous_page), near(page.next_page), [s.title for s in page.ancestors],
                     {k: v for k, v in context.items() if k not in _NOT_IN_KEY}]
        return hashlib.sha256(self._site_key(config, nav) + _as_text(described).encode()).digest()


class _MemoTemplate:
    """A page's template whose ``render`` looks in the memo first."""

    def __init__(self, memo: ThemeMemo, template, name: str, pending: tuple) -> None:
        self._memo, self._template, self._name, self._pending = memo, template, name, pending

    def render(self, context) -> str:
        memo = self._memo
        page, config, nav = self._pending
        key = memo.key(self._name, page, config, nav, context)
        output = memo._used.get(key) or memo._kept.get(key)
        if output is None:
            output = self._template.render(context)
            memo.rendered += 1
        else:
            memo.reused += 1
        memo._used[key] = output
        return output


SEARCH_FILES = ("pagefind", SEARCH_RANKS, VOCABULARY)


def _link_tree(src: Path, dst: Path, skip: Sequence[str] = ()) -> None:
    """``dst`` as a copy of ``src`` made of hard links (plain copies where a link is not possible), leaving out the
    names in ``skip`` at the top. Cheap, and safe because the preview never writes a served file in place: every
    build writes a fresh folder, and the search index replaces its files by renaming."""
    def link(a: str, b: str) -> None:
        try:
            os.link(a, b)
        except OSError:
            shutil.copy2(a, b)

    if src.is_dir():
        shutil.copytree(src, dst, copy_function=link, dirs_exist_ok=True,
                        ignore=lambda d, names: [n for n in names if n in skip] if Path(d) == src else [])
    elif src.is_file():
        link(str(src), str(dst))


#: How long a failed index run waits for the preview to stop before it reports the failure (seconds).
STOP_GRACE = 1.0


class SearchIndexer:
    """The search index (Pagefind, its ranks and vocabulary), made after the swap in a thread of its own, so that a
    changed page shows without waiting for Pagefind.

    It indexes a copy of the served site (hard links, taken while no swap can happen), then puts the new index into
    the served site, one rename a file; until then the site has the previous index, which each build carries over.
    The newest site is indexed next: several saves while Pagefind runs make one more index, not one each.
    """

    def __init__(self, site_dir: Path, lock: threading.Lock) -> None:
        self.site_dir, self.lock = site_dir, lock
        self._cond = threading.Condition()
        self._wanted = 0  # the number of the served site (1 for the first good build)
        self._started = 0  # the newest site whose indexing has started
        self.indexed = 0  # the newest site whose index is in the served site
        self._templates: Path | None = None
        self._stop = False
        self._thread = threading.Thread(target=self._loop, name="handbok-search-index", daemon=True)
        self._thread.start()

    def request(self, generation: int, templates: Path) -> None:
        """Index the site numbered ``generation``, which is being served. Called with the lock held."""
        with self._cond:
            self._wanted, self._templates = generation, templates
            self._cond.notify_all()

    def stop(self, timeout: float = 10) -> None:
        with self._cond:
            self._stop = True
            self._cond.notify_all()
        self._thread.join(timeout)

    def _loop(self) -> None:
        try:  # below the builds (Linux: per thread, and Pagefind inherits it), so that a save shows first
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), INDEX_NICENESS)
        except (AttributeError, OSError):
            pass
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._stop or self._wanted > self._started)
                if self._stop:
                    return
            try:
                self._index()
            except Exception as exc:  # the pages are served all the same; search keeps the previous index
                # Ctrl-C reaches Pagefind (the whole process group) as it reaches the preview, which stops the
                # indexer a moment later: a run that failed then is no news.
                with self._cond:
                    stopping = self._cond.wait_for(lambda: self._stop, timeout=STOP_GRACE)
                if not stopping:
                    _say(f"Sökindexet kunde inte uppdateras; sökningen använder det förra. {exc}")

    def _index(self) -> None:
        with self._cond:  # taken first: a failure below waits for the next save instead of trying again at once
            self._started = self._wanted
        work = Path(tempfile.mkdtemp(prefix="handbok-serve-search-", dir=self.site_dir.parent))
        try:
            site = work / "site"
            with self.lock:  # no swap while the copy is made, so it is one site; and the newest one
                with self._cond:
                    generation, templates = self._wanted, self._templates
                    self._started = generation
                _link_tree(self.site_dir, site, skip=SEARCH_FILES + (SW_NAME,))
            assert templates is not None
            # Without the offline zip, finish_site writes only pagefind/ (new in the copy) and the files left out of
            # it above, so no hard link to a served file is written through. The service worker it writes here is
            # not used: the served one stays as the build wrote it.
            finish_site(site, templates, search=True)
            with self.lock:
                if self._stop:
                    return
                swap_into_place(site / "pagefind", self.site_dir / "pagefind")
                for name in (SEARCH_RANKS, VOCABULARY):
                    os.replace(site / name, self.site_dir / name)
                self.indexed = generation
        finally:
            shutil.rmtree(work, ignore_errors=True)


def serve(content: Path | Sequence[Path], config_file: Path, addr: str) -> int:
    from urllib.parse import urlsplit

    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, MkDocsException
    from mkdocs.livereload import _serve_url

    from .mkdocs_plugin import HandbokPlugin
    from .pipeline import check_content

    contents = content_list(content)
    os.environ[CONTENT_ENV] = content_env_value(contents)
    _mkdocs_logging()
    logger = logging.getLogger("mkdocs")
    for h in logger.handlers:
        if getattr(h, "_handbok", False):
            h.setFormatter(_SwedishLevels())
    if not Path(config_file).is_file():
        _say(f"Konfigurationsfilen {config_file} finns inte. Kör kommandot i projektets rotmapp eller ange --config.")
        return 1
    site_dir = Path(tempfile.mkdtemp(prefix="handbok-serve-"))
    preview = _Preview()

    def get_config(site: Path):
        config = load_config(str(config_file), site_dir=str(site), dev_addr=addr)
        config.watch.extend(str(c.resolve()) for c in contents)
        return config

    try:
        config = get_config(site_dir)
    except MkDocsException as exc:
        shutil.rmtree(site_dir, ignore_errors=True)
        _say("Förhandsgranskningen kunde inte starta: " + (f"{config_file} eller --addr har fel (se ovan)."
                                                          if isinstance(exc, Abort) else str(exc)))
        return 1
    config.plugins.on_startup(command="serve", dirty=False)
    host, port = config.dev_addr
    mount_path = urlsplit(config.site_url or "/").path
    serve_url = _serve_url(host, port, mount_path)
    first = True

    def failed(problems: list[Problem], why: str) -> None:
        preview.problems = problems
        after = ("Förhandsgranskningen visar den senaste fungerande versionen, med felen överst på varje sida, "
                 "tills de är rättade." if preview.have_site else
                 "Förhandsgranskningen visar felen i stället för sidorna tills de är rättade.")
        _say(f"{why}\n{after}" if "\n" in why else f"{why} {after}")

    memo = MarkdownMemo()  # the other pages, and the generated ones the pool could not convert
    pool = MarkdownPool(keep=True)
    theme_memo = ThemeMemo()
    lock = threading.Lock()  # held while the served folder changes, and while the search index copies it
    indexer = SearchIndexer(site_dir, lock)
    generation = 0  # the number of the served site
    removals: list[threading.Thread] = []

    def builder(config=None) -> None:
        """One build. Never raises (but on Ctrl-C): a failed build keeps the last good site and says why."""
        nonlocal first, generation
        _say("Bygger förhandsgranskningen …" if first else "Ändring sparad; bygger om …")
        first = False
        started = time.perf_counter()
        new = Path(tempfile.mkdtemp(prefix="handbok-serve-", dir=site_dir.parent))
        capture = _Capture()
        logger.addHandler(capture)
        memo.start()
        theme_memo.start()
        ok = False
        try:
            if config is None:
                config = get_config(new)
            config.site_dir, config.site_url = str(new), serve_url
            plugin = config.plugins.get("handbok")
            project, issues = check_content(contents)
            if issues != preview.printed:  # each list once, not again on every save
                print_issues(issues)
                preview.printed = issues
            bad = failing(issues, bool(plugin and plugin.config.strict))
            if bad:
                failed([Problem.from_issue(i) for i in bad], f"Innehållet har fel ({summary(issues)}).")
                return
            HandbokPlugin.preloaded = (project, issues)  # checked once, here; the plugin does not check again
            HandbokPlugin.site_url_given = True  # the preview's own address, not the published one
            HandbokPlugin.shared_pool = pool  # the generated pages whose Markdown changed, in worker processes
            search = bool(plugin and plugin.config.search)
            if plugin:
                plugin.config.search = False  # made after the swap, in the background (SearchIndexer)
            mkdocs_build(config, serve_url=serve_url)
            ok = True
            with lock:
                for name in SEARCH_FILES:  # the previous index, until the new one is made
                    _link_tree(site_dir / name, new / name)
                swap_into_place(new, site_dir)  # `new` now holds the previous site
                generation += 1
                if search:
                    indexer.request(generation, plugin.templates)
        except Exception as exc:
            if not isinstance(exc, MkDocsException):  # a bug rather than an error in the content: show where
                traceback.print_exc()
            failed(_build_problems(exc, capture.messages), "Webbplatsen kunde inte byggas"
                   + ("." if isinstance(exc, Abort) else f": {exc}"))
            return
        finally:
            memo.finish(ok)
            theme_memo.finish(ok)
            logger.removeHandler(capture)
            HandbokPlugin.preloaded = None
            HandbokPlugin.site_url_given = False
            HandbokPlugin.shared_pool = None
            if config is not None:
                config.site_dir = str(site_dir)
            # The previous site goes after the browsers have the new one (they wait until this returns).
            removal = threading.Thread(target=shutil.rmtree, args=(new, True), name="handbok-serve-cleanup")
            removal.start()
            removals[:] = [r for r in removals if r.is_alive()] + [removal]
        preview.problems, preview.have_site = [], True
        _say(f"Förhandsgranskningen är klar ({time.perf_counter() - started:.1f} s).")

    server = _preview_server(preview, builder=builder, host=host, port=port, root=str(site_dir),
                             mount_path=mount_path, polling_interval=POLLING_INTERVAL)
    unpatch = memo.install()
    unpatch_theme = theme_memo.install()
    forget_positions = keep_positions()  # the files that did not change are not parsed again for their line numbers
    try:
        builder(config)
        server.watch(config.docs_dir)
        if config.config_file_path:
            server.watch(config.config_file_path)
        server = config.plugins.on_serve(server, config=config, builder=builder)
        for item in config.watch:
            server.watch(item)
        try:
            server.serve()
        except KeyboardInterrupt:
            _say("Förhandsgranskningen avslutas.")
        finally:
            server.shutdown()
    except OSError as exc:  # the address is taken, or not this machine's
        import errno

        why = ("adressen används redan, kanske av en annan förhandsgranskning. Avsluta den, eller välj en annan "
               "port med till exempel --addr 127.0.0.1:8001" if exc.errno == errno.EADDRINUSE else
               f"{exc.strerror or exc}")
        _say(f"Förhandsgranskningen kunde inte starta på {addr}: {why}.")
        return 1
    finally:
        forget_positions()
        unpatch_theme()
        unpatch()
        pool.close()
        indexer.stop()
        for removal in removals:
            removal.join()
        config.plugins.on_shutdown()
        shutil.rmtree(site_dir, ignore_errors=True)
    return 0
