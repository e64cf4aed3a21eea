"""``handbok serve``: the preview, which never hangs on an error.

mkdocs' own server waits for a good build before it answers, so one content error used to leave the browser waiting.
Here every rebuild checks the content first and builds into a fresh folder that replaces the served one only when the
build succeeded. On an error the last good site stays, with the errors listed on top of every page (or as every page
while there has been no good build), and the browser reloads as soon as the file is fixed.
"""

from __future__ import annotations

import html
import logging
import os
import re
import shutil
import tempfile
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from .issues import Issue, failing, print_issues, summary
from .pipeline import CONTENT_ENV, content_env_value, content_list
from .publish import _mkdocs_logging, _say, swap_into_place

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

    def builder(config=None) -> None:
        """One build. Never raises (but on Ctrl-C): a failed build keeps the last good site and says why."""
        nonlocal first
        _say("Bygger förhandsgranskningen …" if first else "Ändring sparad; bygger om …")
        first = False
        started = time.perf_counter()
        new = Path(tempfile.mkdtemp(prefix="handbok-serve-", dir=site_dir.parent))
        capture = _Capture()
        logger.addHandler(capture)
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
            mkdocs_build(config, serve_url=serve_url)
            swap_into_place(new, site_dir)  # `new` now holds the previous site
        except Exception as exc:
            if not isinstance(exc, MkDocsException):  # a bug rather than an error in the content: show where
                traceback.print_exc()
            failed(_build_problems(exc, capture.messages), "Webbplatsen kunde inte byggas"
                   + ("." if isinstance(exc, Abort) else f": {exc}"))
            return
        finally:
            logger.removeHandler(capture)
            HandbokPlugin.preloaded = None
            HandbokPlugin.site_url_given = False
            if config is not None:
                config.site_dir = str(site_dir)
            shutil.rmtree(new, ignore_errors=True)
        preview.problems, preview.have_site = [], True
        _say(f"Förhandsgranskningen är klar ({time.perf_counter() - started:.1f} s).")

    server = _preview_server(preview, builder=builder, host=host, port=port, root=str(site_dir),
                             mount_path=mount_path)
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
        config.plugins.on_shutdown()
        shutil.rmtree(site_dir, ignore_errors=True)
    return 0
