"""The mkdocs plugin: generates the handbook's pages in memory from content/.

Following mkdocs' own design, the whole project is loaded and checked before
anything is written; pages are added as ``File.generated`` so that plain
``mkdocs build`` and ``mkdocs serve`` work directly on the YAML content.
After the build, the search index (Pagefind) and the offline files are written
into the site directory.
"""

from __future__ import annotations

import copy
import logging
import re
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as etree
from pathlib import Path

from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString
from markupsafe import escape
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from .finish import (DOWNLOAD_DIR, OFFLINE_ZIP, SIZE_MARK, download_links, fill_sizes, finish_site,
                     planned_downloads, planned_sizes, scan_downloads, search_page, start_pagefind, wait_pagefind)
from .issues import Severity, failing
from .render.markdown_pool import MIN_PAGES, MarkdownPool, PooledPage
from .render.sanitize import safe_html

log = logging.getLogger("mkdocs.plugins.handbok")
_CHECKBOX = re.compile(r'<input type="checkbox"(?![^>]*aria-label)')
_ABBR = re.compile(r'<abbr( title="[^"]*")>([^<]+)</abbr>')


class _GlossaryTreeprocessor(Treeprocessor):
    """Marks the glossary's short forms (context.abbreviations) as ``<abbr title="…">``, in one pass over the page.

    The same markup, in the same places, as Markdown's abbr extension with the glossary appended to the page (which
    the site did before): text and tails outside code (AtomicString), after the inline patterns and attr_list, before
    the table of contents; raw HTML is still stashed then and stays as it is. Unlike the extension, which looks up each
    element's position among its siblings for every tail (quadratic in a long list), each parent's children are
    walked once, and a page without any short form is left at the cost of one regex search per text.
    """

    def __init__(self, md, glossary: "GlossaryExtension"):
        super().__init__(md)
        self.glossary = glossary

    def _split(self, text: str) -> list[tuple[str, str]] | None:
        """``text`` cut into (text before, short form) pairs and a last (rest, '') pair; None without a match."""
        pattern = self.glossary.pattern
        last, out = 0, []
        for m in pattern.finditer(text):
            out.append((text[last:m.start()], m.group(0)))
            last = m.end()
        if not out:
            return None
        out.append((text[last:], ""))
        return out

    def _abbr(self, short: str, tail: str) -> etree.Element:
        el = etree.Element("abbr", {"title": self.glossary.titles[short]})
        el.text = AtomicString(short)
        el.tail = tail
        return el

    def run(self, root: etree.Element) -> None:
        if not self.glossary.active or self.glossary.pattern is None:
            return
        for parent in list(root.iter()):
            children = list(parent)
            text = parent.text
            if text and not isinstance(text, AtomicString):
                parts = self._split(text)
                if parts:
                    parent.text = parts[0][0]
                    new = [self._abbr(short, parts[i + 1][0]) for i, (_, short) in enumerate(parts[:-1])]
                    parent[0:0] = new
            for child in reversed(children):
                tail = child.tail
                if tail and not isinstance(tail, AtomicString):
                    parts = self._split(tail)
                    if parts:
                        child.tail = parts[0][0]
                        at = list(parent).index(child) + 1  # only where a short form is found
                        parent[at:at] = [self._abbr(short, parts[i + 1][0]) for i, (_, short) in enumerate(parts[:-1])]


class GlossaryExtension(Extension):
    """Registers _GlossaryTreeprocessor with every page's Markdown; the plugin switches it on for generated pages."""

    def __init__(self, titles: dict[str, str]):
        super().__init__()
        self.titles = dict(titles)
        # As the abbr extension builds it: the longest first, whole words only.
        keys = sorted(self.titles, key=len, reverse=True)
        self.pattern = re.compile(r"\b(?:" + "|".join(re.escape(k) for k in keys) + r")\b") if keys else None
        self.active = False

    def extendMarkdown(self, md) -> None:
        # Between attr_list (8) and the abbr extension (7), which still reads a page's own *[…]: definitions.
        md.treeprocessors.register(_GlossaryTreeprocessor(md, self), "handbok_glossary", 7.5)


class HandbokConfig(Config):
    content_dir = c.Type(str, default="content")
    templates_dir = c.Type(str, default="templates")
    search = c.Type(bool, default=True)
    strict = c.Type(bool, default=False)


def _give_back_memory() -> None:
    """Return the memory that Python has freed to the system, so that a process started next (Pagefind) does not
    come on top of it. Python's allocator keeps freed memory for reuse; glibc gives it back only when asked
    (``malloc_trim``). At 1,000 routines the build held 365 MB before and 238 MB after. Elsewhere nothing happens."""
    import ctypes

    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


class HandbokPlugin(BasePlugin[HandbokConfig]):
    #: Set by ``handbok build`` to reuse an already checked project.
    preloaded = None
    #: Set by ``handbok build``: the finished documents, which the site offers for download. Plain
    #: ``mkdocs build`` and ``serve`` have none, and the download links point to the download page.
    downloads: Path | None = None
    #: Set by ``handbok build``, which writes the documents while mkdocs builds the site: the files it will write
    #: (under ``downloads``) and a function that waits until they are written (it raises if they could not be).
    #: The pages are made with a mark for each size, which the written files' sizes replace (finish.fill_sizes).
    planned: list[str] | None = None
    wait_for_downloads = None
    #: Set by ``handbok build``: where to report the build's steps (the plugin reports the one after mkdocs).
    progress = None
    #: Set by ``handbok build --site-url``, which goes before the organisation's site_url.
    site_url_given = False
    #: The fewest generated pages for which their Markdown is converted in worker processes (render/markdown_pool.py);
    #: None: never.
    pool_min: int | None = MIN_PAGES
    #: Set by the preview: a pool that outlives the build (and keeps its results), used whatever the number of pages.
    shared_pool: MarkdownPool | None = None
    _pool = None
    _search_pages: Path | None = None
    #: After a build with the pool: how many pages took the pool's conversion, and how many were converted here.
    pool_counts: tuple[int, int] | None = None

    def dirs(self, config) -> tuple[list[Path], Path]:
        """The content folders (base first; ``handbok build --content A --content B`` sets them) and the templates."""
        from .pipeline import content_from_env

        base = Path(config.config_file_path or ".").parent
        content = content_from_env() or [base / self.config.content_dir]
        templates = base / self.config.templates_dir
        return content, templates

    def on_config(self, config):
        from .pipeline import check_content

        content, templates = self.dirs(config)
        if HandbokPlugin.preloaded is not None:
            project, issues = HandbokPlugin.preloaded
        else:
            project, issues = check_content(content)
        bad = failing(issues, self.config.strict)
        if HandbokPlugin.preloaded is None:  # `handbok build` has printed them already
            for i in issues:
                if i.severity is Severity.WARNING and i not in bad:
                    # At info level: mkdocs.yml is strict, and a content warning (a routine due for review, say)
                    # must not stop the build; `--strict` is the switch for that.
                    log.info(i.format())
        if bad:
            raise PluginError("Innehållet har fel; inget byggdes.\n" + "\n".join(i.format() for i in bad))
        self.project = project
        self.templates = templates
        self.available = {}
        self.generated: set[str] = set()
        # Short forms explain themselves in a tooltip on the generated pages (Material's content.tooltips).
        from .render.context import abbreviations

        self.glossary = GlossaryExtension(abbreviations(project))
        config.markdown_extensions.append(self.glossary)
        # Every page's footer says what the handbook is: nothing claims to be adopted unless every routine is.
        from .review import handbook_notice

        notice = handbook_notice(project)
        if notice:
            config.copyright = " ".join(notice)
        self._apply_organisation(config)
        # Hand-written pages come from every content folder's pages/ (on_files); mkdocs' own docs_dir is left empty.
        config.docs_dir = str((templates / "pages").resolve())
        return config

    def _apply_organisation(self, config) -> None:
        """The site's title, description, short title and logo come from the content (organisation.yml)."""
        org = self.project.organisation
        # The theme prints these without escaping (as it does page titles): escape them once, here.
        config.site_name = str(escape(org.site_title))
        if org.site_description:
            config.site_description = str(escape(org.site_description))
        if org.short_title:
            config.extra["short_title"] = str(escape(org.short_title))
        if org.name:
            config.site_author = str(escape(org.name))
            config.extra["organisation"] = str(escape(org.name))
        if org.feedback:
            config.extra["feedback"] = org.feedback
        if org.site_url and not HandbokPlugin.site_url_given:
            config.site_url = org.site_url if org.site_url.endswith("/") else org.site_url + "/"
        self.logo = None
        if org.logo:
            tree = self.project.tree_of(self.project.docs[("organisation", org.id)].path)
            self.logo = (tree / org.logo).resolve()
            config.theme["logo"] = f"assets/images/logotyp{self.logo.suffix.lower()}"

    def on_nav(self, nav, config, files):
        """On a big site, the generated pages' Markdown goes to worker processes now, in the order mkdocs will read
        the pages (render/markdown_pool.py); each page takes its result when mkdocs comes to it (on_pre_page)."""
        from mkdocs.utils.meta import get_data

        self._close_pool()
        shared = HandbokPlugin.shared_pool
        if shared is None and (HandbokPlugin.pool_min is None or len(self.generated) < HandbokPlugin.pool_min):
            return nav
        # As on_page_markdown leaves them: the downloads' links, and the short forms marked (the glossary on).
        pages = [(f.src_uri, download_links(get_data(f.content_string)[0], self.available))
                 for f in files.documentation_pages() if f.src_uri in self.generated]
        glossary = copy.copy(self.glossary)
        glossary.active = True
        extensions = [glossary if e is self.glossary else e for e in config.markdown_extensions]
        pool = shared or MarkdownPool()
        if pool.submit(config, files, pages, extensions):
            PooledPage.pool = self._pool = pool
        elif pool is not shared:
            pool.close()
        return nav

    def on_pre_page(self, page, config, files):
        if self._pool is not None and page.file.src_uri in self._pool and type(page) is Page:
            page.__class__ = PooledPage  # the same page, whose render takes the pool's result when it matches
        return page

    def _close_pool(self, succeeded: bool = False) -> None:
        pool, self._pool = self._pool, None
        PooledPage.pool = None
        if pool is not None:
            self.pool_counts = (pool.used, pool.missed)
            log.debug(f"Markdown i arbetsprocesser: {pool.used} sidor ({pool.reused} från förra bygget), "
                      f"{pool.missed} i huvudprocessen")
            pool.finish(succeeded)
            if pool is not HandbokPlugin.shared_pool:
                pool.close()

    def on_env(self, env, config, files):
        from .render.templating import bytecode_cache

        self._close_pool(succeeded=True)  # every page has been read and converted by now
        env.bytecode_cache = bytecode_cache(env)  # the theme's templates compile once, not in every build
        return env

    def on_build_error(self, error) -> None:
        self._close_pool()
        self._drop_search_pages()

    def on_files(self, files: Files, config) -> Files:
        from .render.site import render_pages

        if HandbokPlugin.planned is not None:
            self.available = planned_downloads(HandbokPlugin.planned)
        else:
            self.available = scan_downloads(HandbokPlugin.downloads)
        # The hand-written pages and their images, from every content folder (a later folder's file wins).
        handwritten = self.project.page_files
        for uri, path in sorted(handwritten.items()):
            files.append(File.generated(config, uri, abs_src_path=str(path)))
        if self.logo is not None:
            files.append(File.generated(config, config.theme["logo"], abs_src_path=str(self.logo)))
        pages = render_pages(self.project, self.templates, self.available)
        self.generated = {uri for uri in pages if uri.endswith(".md")}
        for src_uri, text in pages.items():
            existing = files.get_file_from_path(src_uri)
            if existing is not None:
                raise PluginError(f"Sidan {src_uri} finns både i {handwritten[src_uri]} och bland de genererade "
                                  "sidorna. Ta bort den handskrivna filen eller döp om den.")
            files.append(File.generated(config, src_uri, content=text))
        self._files = files
        self.marked: list[Path] = []
        for rel in self.available:
            src = HandbokPlugin.downloads / rel
            uri = f"{DOWNLOAD_DIR}/{rel}"
            # The offline zip is written after the pages (finish.py), and a planned document may still be in the
            # making: until then an empty stand-in keeps links valid (on_post_build puts the file in its place).
            files.append(File.generated(config, uri, abs_src_path=str(src)) if rel != OFFLINE_ZIP and
                         src.is_file() and HandbokPlugin.planned is None
                         else File.generated(config, uri, content=b""))
        return files

    def on_page_markdown(self, markdown: str, page, config, files) -> str:
        """The theme prints front matter (title, description, tags) into the page without escaping: escape it.

        Links to a document under nedladdning/ say its type and size ('Handlingsplanen (Word, 1,2 MB)'), on
        generated and hand-written pages alike; without the documents (``mkdocs serve``) they lead to the
        download page instead.
        """
        markdown = download_links(markdown, self.available)
        self.glossary.active = page.file.src_uri in self.generated  # the page's Markdown is made right after this
        for key in ("title", "description", "author"):
            if isinstance(page.meta.get(key), str):
                page.meta[key] = str(escape(page.meta[key]))
        if isinstance(page.meta.get("tags"), list):
            page.meta["tags"] = [str(escape(t)) if isinstance(t, str) else t for t in page.meta["tags"]]
        # The search result's kind label and rank (main.html writes them for Pagefind).
        from .render.site import page_kind

        page.meta["handbok_kind"], page.meta["handbok_rank"] = page_kind(page.file.src_uri)
        return markdown

    def on_pre_build(self, config) -> None:
        """With search, each page is also written as Pagefind reads it (finish.search_page), to a folder of its own."""
        self._drop_search_pages()
        if self.config.search:
            self._search_pages = Path(tempfile.mkdtemp(prefix="handbok-search-"))
            self._search_written: set[str] = set()

    @event_priority(-100)  # after any other plugin's: the page as it is written
    def on_post_page(self, output: str, page, config) -> str:
        """A page that offers a planned document carries a mark for its size until the documents are written."""
        if HandbokPlugin.planned is not None and SIZE_MARK in output:
            self.marked.append(Path(page.file.abs_dest_path))
        if self._search_pages is not None:
            self._write_search_page(page.file.dest_uri, output)
        # Put into its template: nothing reads the page's HTML again, and mkdocs would keep it until the end of the
        # build, while Pagefind indexes the site beside this process (at 10,000 routines 830 MB).
        page.content = ""
        return output

    def _write_search_page(self, rel: str, html: str) -> None:
        self._search_written.add(rel)
        cut = search_page(html)
        if cut is not None:
            target = self._search_pages / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(cut, encoding="utf-8")

    def _search_pages_ready(self, site_dir: Path) -> Path | None:
        """The folder Pagefind reads, with the site's other HTML files (the theme's 404 page) added; None when no
        page has an indexed part (Pagefind then indexes the whole site, as it would without the copy)."""
        if self._search_pages is None:
            return None
        for path in sorted(site_dir.rglob("*.html")):
            rel = path.relative_to(site_dir).as_posix()
            if rel not in self._search_written and not rel.startswith("pagefind/"):
                self._write_search_page(rel, path.read_text(encoding="utf-8"))
        return self._search_pages if any(self._search_pages.iterdir()) else None

    def _drop_search_pages(self) -> None:
        if self._search_pages is not None:
            shutil.rmtree(self._search_pages, ignore_errors=True)
        self._search_pages = None

    def _place_documents(self, site_dir: Path, indexing: subprocess.Popen | None = None) -> None:
        """``handbok build`` wrote the documents while mkdocs made the pages: wait for them, copy them over their
        stand-ins and fill their sizes into the pages that offer them (after ``indexing``, a Pagefind run that
        reads the pages). A document that failed stops the build here."""
        HandbokPlugin.wait_for_downloads()
        try:
            sizes = planned_sizes(self.available, scan_downloads(HandbokPlugin.downloads))
        except ValueError as exc:
            raise PluginError(f"Dokumenten blev inte de som planerades: {exc}") from None
        for rel in self.available:
            if rel != OFFLINE_ZIP:
                shutil.copyfile(HandbokPlugin.downloads / rel, site_dir / DOWNLOAD_DIR / rel)
        if indexing is not None:
            wait_pagefind(indexing)
        for path in self.marked:
            path.write_text(fill_sizes(path.read_text(encoding="utf-8"), sizes), encoding="utf-8")

    def on_page_content(self, html: str, page, config, files) -> str:
        """What Markdown does not give: safe links, accessible names and keyboard access (WCAG 2.1.1, 4.1.2).

        No event handlers, and links keep only http(s), mailto and relative targets (render/sanitize.py). Each checklist box is named ('Steg 3 klart'), and the
        first occurrence of each abbreviation can take focus, so that its explanation shows on focus as well as on
        hover without a tab stop at every 'SoL'.
        """
        html = safe_html(html)
        # The theme prints page titles (header, navigation, <title>) without escaping, and mkdocs takes the title
        # from the H1 as plain text: a title '<img onerror=…>' would become markup on every page. Escape it once,
        # here, before any page is put into its template.
        if "title" not in page.meta and page.title and any(ch in page.title for ch in "<>&\"'"):
            page.title = str(escape(page.title))
        if 'class="task-list-item"' in html:
            counter = iter(range(1, 10_000))
            html = _CHECKBOX.sub(lambda m: f'{m.group(0)} aria-label="Steg {next(counter)} klart"', html)
        seen: set[str] = set()

        def focusable(m: re.Match) -> str:
            if m.group(2) in seen:
                return m.group(0)
            seen.add(m.group(2))
            return f'<abbr tabindex="0"{m.group(1)}>{m.group(2)}</abbr>'

        # Converted: from here on the build needs the page's HTML, not its Markdown. mkdocs keeps both until the
        # end, the Markdown twice (the generated file's and the page's): at 1,000 routines 130 of 430 MB. Empty,
        # not None: None is how mkdocs says that a page has not been read, and its title would be None.
        page.markdown = ""
        if page.file.src_uri in self.generated:
            page.file.content_string = ""
        return _ABBR.sub(focusable, html)

    def on_page_context(self, context, page, config, nav):
        """Breadcrumbs from the page's address: Start, then the page above it at each level that has one: the
        folder's index ('enheter/index.md'), or else the page of the same name ('oppna-fragor.md' above
        'oppna-fragor/socialjouren.md', 'enheter/mika.md' above 'enheter/mika/2.md')."""
        from mkdocs.utils import get_relative_url

        parts = page.file.src_uri.split("/")
        if parts[-1] == "index.md":
            parts = parts[:-1]
        crumbs = []
        for i in range(len(parts)) if page.file.src_uri != "index.md" else ():
            folder = "/".join(parts[:i])
            above = [folder + "/index.md", folder + ".md"] if folder else ["index.md"]
            f = next((f for f in map(self._files.get_file_from_path, above) if f is not None and f.page is not None),
                     None)
            if f is not None and f is not page.file:
                # Titles are escaped already (on_page_markdown, on_page_content).
                crumbs.append(("Start" if f.src_uri == "index.md" else (f.page.title or f.src_uri),
                               get_relative_url(f.url, page.url) or "./"))
        page.meta["handbok_crumbs"] = crumbs
        return context

    def on_post_build(self, config) -> None:
        site_dir = Path(config.site_dir)
        _give_back_memory()  # the pages' HTML, let go of page by page (on_post_page), before Pagefind starts
        # Pagefind indexes the pages while the documents are still being written (their sizes are not indexed:
        # finish.start_pagefind), and finish_site waits for it before it writes a page again.
        indexing = start_pagefind(site_dir, self._search_pages_ready(site_dir)) if self.config.search else None
        try:
            if HandbokPlugin.planned is not None and HandbokPlugin.wait_for_downloads is not None:
                self._place_documents(site_dir, indexing)
            if HandbokPlugin.progress is not None:
                HandbokPlugin.progress("4/5 Skriver offlinepaketet och sökindexet …")
            finish_site(site_dir, self.templates, search=self.config.search,
                        offline_zip=OFFLINE_ZIP in self.available, indexing=indexing)
        finally:
            if indexing is not None and not indexing.log.closed:  # the build failed before it was waited for
                indexing.kill()
                indexing.wait()
                indexing.log.close()
            self._drop_search_pages()
