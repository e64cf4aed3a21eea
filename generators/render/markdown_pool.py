"""The generated pages' Markdown, converted to HTML in worker processes while mkdocs reads the pages in order.

mkdocs converts one page at a time in one thread (``Page.render``), and on a big site that conversion is most of the
build: two thirds of it at 2,000 routines. When a site has ``MIN_PAGES`` generated pages or more, the plugin hands them
to a pool of worker processes as soon as the navigation is known (``on_nav``), in the order mkdocs will read them.

A worker converts a page the way ``Page.render`` does, with mkdocs' own parts: a new ``Markdown`` with the site's
extensions and settings, and mkdocs' processors for raw HTML anchors, element anchors, relative links and the title,
against stand-ins of the build's files (each file's source and destination path, address and inclusion), which is
all that the link processor reads of them. When mkdocs comes to the page, the Markdown it is about to convert (after
every plugin's ``on_page_markdown``) is compared with the Markdown the worker converted, and the worker's result is
used only when the two are the same; otherwise, or when the worker failed, the page is converted in the main process
as before. Whatever mkdocs and Markdown logged while converting is logged again in the main process when the page is
taken, so that warnings, and strict mode's count of them, are the same as without the pool.

A small site (the default content has 173 pages) never starts the pool in ``handbok build``: starting the workers
costs more than the conversion, and the build stays exactly as it was. The preview (``handbok serve``) keeps one pool
while it runs, which keeps each build's results: a rebuild sends the workers only the pages whose Markdown changed.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import tempfile
from concurrent.futures import Future, ProcessPoolExecutor
from types import SimpleNamespace
from typing import Any, Iterable

from mkdocs.structure.pages import Page

from .. import workers

#: The fewest generated pages for which the pool is started.
MIN_PAGES = 400
#: Pages per task: fewer round trips, while the first results still come early.
CHUNK = 8
#: The loggers whose records a worker sends back.
LOGGERS = ("mkdocs", "markdown")


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


# --- in the worker -------------------------------------------------------------------------------------------------

_WORKER: dict[str, Any] = {}


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


def _start() -> None:
    """A worker's start: what mkdocs and Markdown log is collected, to be sent back with each page. Ctrl-C (sent to
    the whole process group) is for the main process, which stops the workers itself."""
    workers.ignore_interrupt()
    collect = _Collect()
    for name in LOGGERS:
        logger = logging.getLogger(name)
        logger.handlers[:] = [collect]
        logger.propagate = False
    _WORKER.update(collect=collect, digest=None)


def _setup(path: str, digest: bytes) -> None:
    """A build's setup (the site's Markdown extensions and stand-ins for its files), read once per build from the file
    the main process wrote."""
    if _WORKER.get("digest") == digest:
        return
    from mkdocs.structure.files import File, Files

    with open(path, "rb") as f:
        extensions, settings, files, links, use_directory_urls, level = pickle.load(f)
    stand_ins = []
    for src_uri, dest_uri, url, inclusion in files:
        f = File(src_uri, None, "", use_directory_urls, dest_uri=dest_uri, inclusion=inclusion)
        f.url = url  # as the main process worked it out (a plugin may have set it)
        stand_ins.append(f)
    for name in LOGGERS:
        logging.getLogger(name).setLevel(level)
    absolute, unrecognized, not_found = links
    _WORKER.update(
        digest=digest, extensions=extensions, settings=settings, files=Files(stand_ins),
        config=SimpleNamespace(use_directory_urls=use_directory_urls, validation=SimpleNamespace(
            links=SimpleNamespace(absolute_links=absolute, unrecognized_links=unrecognized, not_found=not_found))))


def _convert(src_uri: str, text: str) -> tuple:
    """One page as Page.render converts it: (HTML, toc tokens, title, anchors, links to anchors by file, log)."""
    import markdown
    from mkdocs.structure.pages import (_ExtractAnchorsTreeprocessor, _ExtractTitleTreeprocessor,
                                        _RawHTMLPreprocessor, _RelativePathTreeprocessor)

    w = _WORKER
    files, config, collect = w["files"], w["config"], w["collect"]
    file = files.get_file_from_path(src_uri)
    collect.records = []
    md = markdown.Markdown(extensions=w["extensions"], extension_configs=w["settings"])
    raw_html = _RawHTMLPreprocessor()
    raw_html._register(md)
    anchors = _ExtractAnchorsTreeprocessor(file, files, config)
    anchors._register(md)
    relative = _RelativePathTreeprocessor(file, files, config)
    relative._register(md)
    title = _ExtractTitleTreeprocessor()
    title._register(md)
    html = md.convert(text)
    return (html, getattr(md, "toc_tokens", []), title.title, anchors.present_anchor_ids | raw_html.present_anchor_ids,
            {f.src_uri: dict(v) for f, v in relative.links_to_anchors.items()}, collect.records)


def _convert_all(setup: tuple[str, bytes], pages: list[tuple[str, str]]) -> list[tuple | None]:
    """A task: its pages' results, None for a page that failed (the main process converts it again and reports)."""
    try:
        _setup(*setup)
    except Exception:  # noqa: BLE001 - the build has ended (its setup file is gone), or the setup is broken
        return [None] * len(pages)
    out: list[tuple | None] = []
    for src_uri, text in pages:
        try:
            out.append(_convert(src_uri, text))
        except Exception:  # noqa: BLE001 - the main process converts the page itself, and reports the error there
            out.append(None)
    return out


# --- in the main process -------------------------------------------------------------------------------------------

def apply_conversion(page, files, html: str, toc, title: str | None, anchors: Iterable[str],
                     links: dict[str, dict] | None) -> None:
    """Give ``page`` a conversion made elsewhere (a worker, or the preview's memo of an earlier build), as
    ``Page.render`` would have left it. ``links``: the links to anchors by the linked file's ``src_uri``, looked up
    again in this build's ``files``; None leaves them unset, as ``Page.render`` does when nobody validates them."""
    page.content = html
    page.toc = toc
    page._title_from_render = title
    page.present_anchor_ids = set(anchors)
    if links is not None:
        page.links_to_anchors = {f: dict(v) for f, v in ((files.get_file_from_path(u), v) for u, v in links.items())
                                 if f is not None}


class MarkdownPool:
    """Worker processes that convert a build's pages: ``submit`` them in order, ``take`` them back one by one, and
    ``finish`` when mkdocs has read every page; ``close`` stops the workers.

    A pool may serve several builds (the preview keeps one while it runs). With ``keep``, it also keeps each build's
    results, and a page whose Markdown and build setup (extensions, settings, files) are the same in the next build
    is not converted again: its result, with what was logged, is taken as it was.
    """

    def __init__(self, workers: int | None = None, keep: bool = False) -> None:
        self._workers = workers or os.cpu_count() or 2
        self._keep = keep
        self._executor: ProcessPoolExecutor | None = None
        # src_uri -> (the Markdown's digest, the key of the result, the future and the page's place in its task)
        self._waiting: dict[str, tuple[bytes, tuple, Future | None, int]] = {}
        self._kept: dict[tuple, tuple] = {}  # results of the last build (keep)
        self._taken: dict[tuple, tuple] = {}  # results taken in this build (keep)
        self._setup_file: str | None = None
        self._wanted_links = True
        self.used = self.missed = self.reused = 0

    def submit(self, config, files, pages: Iterable[tuple[str, str]], extensions: list | None = None) -> bool:
        """Start converting a build's pages. ``pages``: (src_uri, the Markdown that mkdocs will convert), in the
        order mkdocs reads them; ``extensions``: the Markdown extensions as those pages are converted (by default the
        site's). False when the workers cannot be given the build's settings (the pages are then converted in the
        main process)."""
        from mkdocs.structure.pages import log as pages_log

        self._end_build()
        self.used = self.missed = self.reused = 0
        specs = [(f.src_uri, f.dest_uri, f.url, f.inclusion) for f in files]
        links = config.validation.links
        level = min(logging.getLogger(name).getEffectiveLevel() for name in LOGGERS)
        self._wanted_links = pages_log.getEffectiveLevel() > logging.DEBUG  # as Page.render decides
        setup = (list(config["markdown_extensions"] if extensions is None else extensions),
                 dict(config["mdx_configs"] or {}), specs,
                 (links.absolute_links, links.unrecognized_links, links.not_found), config.use_directory_urls, level)
        try:
            data = pickle.dumps(setup, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # noqa: BLE001 - a setting the workers cannot be given (a plugin's function, say)
            return False
        digest = hashlib.blake2b(data, digest_size=16).digest()
        todo: list[tuple[str, str, tuple]] = []
        for src_uri, text in pages:
            key = (digest, src_uri, _digest(text))
            if key in self._kept:
                self._waiting[src_uri] = (key[2], key, None, 0)
            else:
                todo.append((src_uri, text, key))
        if not todo:
            return True
        fd, self._setup_file = tempfile.mkstemp(prefix="handbok-markdown-", suffix=".pickle")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        if self._executor is None:
            self._executor = workers.pool(self._workers, initializer=_start)
        for start in range(0, len(todo), CHUNK):
            chunk = todo[start:start + CHUNK]
            future = self._executor.submit(_convert_all, (self._setup_file, digest),
                                           [(src_uri, text) for src_uri, text, _ in chunk])
            for i, (src_uri, _, key) in enumerate(chunk):
                self._waiting[src_uri] = (key[2], key, future, i)
        return True

    def __contains__(self, src_uri: str) -> bool:
        return src_uri in self._waiting

    def take(self, page, files) -> bool:
        """Give ``page`` the worker's conversion of its Markdown; False (the page untouched) when there is none, or
        when the worker converted other Markdown than the page now has."""
        from mkdocs.structure.toc import get_toc

        waiting = self._waiting.pop(page.file.src_uri, None)
        if waiting is None or page.markdown is None or _digest(page.markdown) != waiting[0]:
            self.missed += 1
            return False
        _, key, future, i = waiting
        if future is None:
            result = self._kept[key]
            self.reused += 1
        else:
            try:
                result = future.result()[i]
            except Exception:  # noqa: BLE001 - a broken pool: the page is converted in the main process
                result = None
        if result is None:
            self.missed += 1
            return False
        if self._keep:
            self._taken[key] = result
        html, toc_tokens, title, anchors, links, records = result
        for name, level, message in records:
            logging.getLogger(name).log(level, message)
        apply_conversion(page, files, html, get_toc(toc_tokens), title, anchors, links if self._wanted_links else None)
        self.used += 1
        return True

    def finish(self, succeeded: bool = True) -> None:
        """After a build: what was not taken is dropped (and its tasks cancelled). With ``keep``, the results taken
        are kept for the next build (after a failed one, which stopped part-way, the older results too)."""
        if self._keep:
            self._kept = self._taken if succeeded else {**self._kept, **self._taken}
        self._taken = {}
        self._end_build()

    def _end_build(self) -> None:
        for _, _, future, _ in self._waiting.values():
            if future is not None:
                future.cancel()
        self._waiting.clear()
        if self._setup_file is not None:
            try:
                os.unlink(self._setup_file)
            except OSError:
                pass
            self._setup_file = None

    def close(self) -> None:
        self.finish(False)
        self._kept = {}
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None


class PooledPage(Page):
    """A page whose conversion may come from the pool (``PooledPage.pool``); the plugin gives the generated pages
    this class just before mkdocs reads them (``on_pre_page``)."""

    pool: MarkdownPool | None = None

    def render(self, config, files) -> None:
        pool = PooledPage.pool
        if pool is None or not pool.take(self, files):
            super().render(config, files)
