"""Our own check of the links in running text, so that a broken link is reported in Swedish, with file, line and
column, before mkdocs' strict mode stops the build with its English warning.

Checked: the hand-written pages (content/pages/**/*.md), the action plan's chapter texts, and Markdown links in the
text fields of the YAML records (the site shows those as Markdown too). A relative link must lead to a page of the
site: a hand-written page, a page that render.site.render_pages makes, a file beside the hand-written pages, or a
document under nedladdning/ that the build makes. External links (http:, https:, mailto:, any scheme) and links to
a place on the same page (#...) are left alone. Anchors (#...) after a page are not checked.
"""

from __future__ import annotations

import difflib
import html
import posixpath
import re
from typing import Any, Callable, Iterator
from urllib.parse import unquote, urlsplit

from .finish import DOWNLOAD_DIR, OFFLINE_ZIP
from .graph import Project
from .issues import Issue, Position, error
from .load import Document, Prose
from .prose import Lines

# Pages that render_pages makes once, whatever the content.
FIXED_PAGES = ("index.md", "rutiner/index.md", "enheter/index.md", "lagar/index.md", "begrepp.md", "kommuner.md",
               "uppfoljning.md", "handlingsplan/index.md", "avstamning/index.md", "utbildning/index.md",
               "nedladdning.md", "kallor.md", "tillganglighet.md", "taggar.md", "oppna-fragor.md")

# [text](target) and ![alt](target), with an optional title; the text may hold one level of brackets. No part can
# run past a bracket or a line, so a long broken text is scanned in linear time.
_INLINE = re.compile(r"!?\[(?:[^\[\]\n]|\[[^\[\]\n]*\])*\]\(\s*(?P<target><[^<>\n]*>|[^\s()<>]*(?:\([^\s()]*\)[^\s()<>]*)*)"
                     r"(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\)))?\s*\)")
# [label]: target (a reference definition; [^1]: is a footnote, refused elsewhere)
_REFERENCE = re.compile(r"^[ ]{0,3}\[(?!\^)[^\[\]\n]+\]:[ \t]*(?P<target><[^<>\n]*>|\S+)", re.M)
_CODE = re.compile(r"^(?P<fence>`{3,}|~{3,})[^\n]*\n.*?(?:^(?P=fence)[^\n]*$|\Z)|`[^`\n]+`", re.S | re.M)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def generated_pages(project: Project) -> set[str]:
    """The addresses (src_uri) of the pages and images that render.site.render_pages makes, without rendering.

    Mirrors render_pages' list; a test compares the two on the default content.
    """
    from .render import charts
    from .render.context import View

    pages = set(FIXED_PAGES)
    pages |= {f"rutiner/{rid}.md" for rid in project.routines}
    pages |= {f"enheter/{uid}.md" for uid in project.units}
    pages |= {f"lagar/{lid}.md" for lid in project.legal}
    pages |= {f"uppfoljning/{sid}.svg" for sid in charts.FOLLOW_UP_SERIES
              if any(f.series == sid for f in project.figures.values())}
    for plan in project.plans.values():
        pages.add(f"handlingsplan/{plan.id}/index.md")
        pages |= {f"handlingsplan/{plan.id}/{ch.id}.md" for ch in plan.chapters}
    pages |= {f"avstamning/{req}.md" for req in project.requirements}
    pages |= {f"utbildning/kommun/{m.id}.md" for m in View(project).pack_municipalities()}
    pages |= {f"utbildning/{mid}.md" for mid in project.modules}
    from .render.site import question_pages, routine_lists  # the long lists' pages ('rutiner/vuxen/1.md', …)

    pages |= {uri for rl in routine_lists(project).values() for uri in rl.uris()}
    pages |= {uri for qp in question_pages(project) for uri in qp.uris()}  # 'oppna-fragor/<unit id>.md', …
    if "om.md" not in handwritten_pages(project):  # render_pages writes om.md unless a content folder has its own
        pages.add("om.md")
    return pages


def handwritten_pages(project: Project) -> dict[str, Prose]:
    """The hand-written Markdown pages by address ('om.md', 'stod/boende.md')."""
    return dict(project.page_uris)


def site_files(project: Project) -> set[str]:
    """Every file the site has before the documents: generated pages, hand-written pages and the files beside them."""
    return generated_pages(project) | set(project.page_files)


def documents(project: Project) -> set[str]:
    """The documents the build offers under nedladdning/, by path ('handlingsplan.docx', 'handlingsplan.pdf',
    'utbildning/nacka/…')."""
    from .render.documents import plan_jobs
    from .render.pdf import makes_pdf, pdf_target

    jobs = plan_jobs(project)
    return ({target for job in jobs for target, _ in job.outputs} | {OFFLINE_ZIP}
            | {pdf_target(target) for job in jobs if makes_pdf(job) for target, _ in job.outputs})


def links(text: str) -> Iterator[tuple[int, str]]:
    """(offset of the link, its target as written) for every Markdown link outside code, in order."""
    spans, last = [], 0
    for m in _CODE.finditer(text):
        spans.append((last, m.start()))
        last = m.end()
    spans.append((last, len(text)))
    found: list[tuple[int, str]] = []
    for start, end in spans:
        part = text[start:end]
        for pattern in (_INLINE, _REFERENCE):
            for m in pattern.finditer(part):
                target = m.group("target")
                found.append((start + m.start(), target[1:-1] if target.startswith("<") else target))
    return iter(sorted(found))


class LinkChecker:
    """Checks link targets against the site's files; the lists are made once."""

    def __init__(self, project: Project):
        self.project = project
        self.files = site_files(project)
        self._documents: set[str] | None = None
        self._seen: dict[tuple[str, str], tuple[str, str] | None] = {}

    @property
    def documents(self) -> set[str]:
        if self._documents is None:
            self._documents = documents(self.project)
        return self._documents

    def problem(self, target: str, page: str) -> tuple[str, str] | None:
        """(message, hint) when ``target``, written on the page at ``page`` (src_uri), leads nowhere; else None.

        Remembered per (target, page): a file may repeat one link thousands of times.
        """
        key = (target, page)
        if key not in self._seen:
            self._seen[key] = self._problem(target, page)
        return self._seen[key]

    def _problem(self, target: str, page: str) -> tuple[str, str] | None:
        try:
            parts = urlsplit(target)
        except ValueError:  # e.g. 'http://[' (an address that is no address); not a relative link
            return None
        # As a browser reads it: entities decoded and control characters dropped ('jav&#x09;ascript:' has a scheme;
        # the sanitizer, not the link check, deals with such links).
        plain = re.sub(r"[\x00-\x20]", "", html.unescape(target))
        if parts.scheme or parts.netloc or _SCHEME.match(target) or _SCHEME.match(plain) or \
                target.startswith(("/", "\\")) or not parts.path:
            return None  # external, absolute (mkdocs leaves those alone), or a place on the same page
        path = unquote(parts.path)
        here = posixpath.dirname(page)
        resolved = posixpath.normpath(posixpath.join(here, path))
        if resolved.startswith(f"{DOWNLOAD_DIR}/"):
            return self._download(resolved[len(DOWNLOAD_DIR) + 1:], path, here)
        if resolved in self.files:
            return None
        if not posixpath.splitext(path)[1]:
            # No suffix: mkdocs tries the address as a folder or a page ('rutiner/', '../kallor/'), from the source
            # file and from the page's address.
            url = page[:-len("index.md")] if page.endswith("index.md") else page[:-3] + "/"
            for base in (here, url):
                stem = posixpath.normpath(posixpath.join(base, path))
                if stem == ".":
                    stem = ""
                if {stem, posixpath.join(stem, "index.md"), f"{stem}.md"} & self.files:
                    return None
            return (f"Länken går till {path!r}, som inte är någon sida.",
                    self._suggest(resolved + ".md", here) + "Länka till sidans .md-fil, till exempel `kallor.md`.")
        if path.endswith(".md"):
            return (f"Länken går till sidan {path!r}, som inte finns.",
                    self._suggest(resolved, here).rstrip() or "Sökvägen räknas från den här sidans mapp; kontrollera "
                    "stavningen och antalet ../.")
        return (f"Länken går till filen {path!r}, som inte finns.",
                self._suggest(resolved, here, pages=False).rstrip() or "Lägg filen bland de handskrivna sidorna "
                "(content/pages/); sökvägen räknas från den här sidans mapp.")

    def _download(self, rel: str, path: str, here: str) -> tuple[str, str] | None:
        names = {d.rsplit("/", 1)[-1] for d in self.documents}
        if rel in self.documents or rel.rsplit("/", 1)[-1] in names:
            return None
        close = difflib.get_close_matches(rel, sorted(self.documents), n=1)
        suggestion = f"Menade du {posixpath.relpath(f'{DOWNLOAD_DIR}/{close[0]}', here or '.')!r}? " if close else ""
        shown = sorted(d for d in self.documents if "/" not in d)
        return (f"Länken går till filen {path!r}, men den filen byggs inte.",
                suggestion + f"Filerna som byggs är bland andra {', '.join(shown)}; se sidan Ladda ner.")

    def _suggest(self, resolved: str, here: str, pages: bool = True) -> str:
        candidates = sorted(f for f in self.files if f.endswith(".md") == pages)
        # The right name in another folder ('om.md' written from stod/) first, then the nearest spelling.
        name = posixpath.basename(resolved)
        same = [f for f in candidates if posixpath.basename(f) == name]
        close = difflib.get_close_matches(resolved, same, n=1, cutoff=0) if same else \
            difflib.get_close_matches(resolved, candidates, n=1, cutoff=0.6)
        if not close:
            return ""
        return f"Menade du {posixpath.relpath(close[0], here or '.')!r}? "


def _issue(path: str, pos: Position, found: tuple[str, str]) -> Issue:
    return error("broken-link", found[0], path, pos, hint=found[1])


MAX_PER_FILE = 20  # broken links reported one by one in a file; the rest are counted


def _capped(issues: Iterator[Issue]) -> Iterator[Issue]:
    """At most MAX_PER_FILE broken links per file, then one line that counts the rest (in the order they come)."""
    shown: dict[str, int] = {}
    rest: dict[str, tuple[Issue, int]] = {}
    for issue in issues:
        n = shown.get(issue.path, 0)
        if n < MAX_PER_FILE:
            shown[issue.path] = n + 1
            yield issue
        else:
            first, count = rest.get(issue.path, (issue, 0))
            rest[issue.path] = (first, count + 1)
    for path, (first, count) in rest.items():
        yield error("broken-link", f"Ytterligare {count} länkar i filen leder ingenstans.", path,
                    Position(first.line, first.col), hint="Rätta länkarna ovan och kör igen; resten visas då.")


def check_links(project: Project, has_links: Callable[[Document], bool] | None = None) -> Iterator[Issue]:
    """broken-link for every link that leads nowhere: in the hand-written pages, the chapters and the YAML texts.

    ``has_links(doc)`` says whether a record's file has a Markdown link in its reader text, as ``record_has_links``
    does (the checks keep the answer per file)."""
    return _capped(_all_links(project, has_links or (lambda doc: record_has_links(doc.data))))


def record_has_links(data: Any) -> bool:
    """Whether a record's reader text may hold a Markdown link: a look at all the texts at once (no "](" or "]:"
    can span the separator)."""
    from .editorial import reader_texts

    whole = "\x00\n".join(reader_texts(data))
    return "](" in whole or "]:" in whole


def _all_links(project: Project, has_links: Callable[[Document], bool]) -> Iterator[Issue]:
    checker: LinkChecker | None = None

    def get() -> LinkChecker:
        nonlocal checker
        if checker is None:
            checker = LinkChecker(project)
        return checker

    for uri, page in sorted(handwritten_pages(project).items()):
        if not uri.endswith(".md") or "](" not in page.text and "]:" not in page.text:
            continue
        where = Lines(page.text)
        for offset, target in links(page.text):
            found = get().problem(target, uri)
            if found:
                yield _issue(page.path, where(offset), found)
    # The chapters of the action plan: each text is shown on its chapter's page.
    for plan in project.plans.values():
        for ch in plan.chapters:
            for file in [ch.file] + [a.file for a in ch.areas]:
                doc = project.prose.get(file) if file else None
                if doc is None or "](" not in doc.prose.text and "]:" not in doc.prose.text:
                    continue
                where = Lines(doc.prose.text)
                for offset, target in links(doc.prose.text):
                    found = get().problem(target, f"handlingsplan/{plan.id}/{ch.id}.md")
                    if found:
                        yield _issue(doc.prose.path, where(offset), found)
    # Markdown links in the records' texts, counted from the page that shows the record.
    yield from _record_links(project, get, has_links)


_NO_PAGE = frozenset({"allowlist", "remissvar", "organisation"})  # not shown as Markdown on the site


def shows_record(doc: Document) -> bool:
    """Whether the file's record's texts are shown as Markdown on the site, and their links checked."""
    return doc.kind not in _NO_PAGE and isinstance(doc.data, dict)


def _record_links(project: Project, get, has_links: Callable[[Document], bool]) -> Iterator[Issue]:
    from .editorial import reader_strings
    from .render.context import View

    view: View | None = None
    for doc in filter(shows_record, project.documents):
        if not has_links(doc):  # a look at all the texts at once first, then with locations
            continue
        strings = [(loc, value) for loc, value in reader_strings(doc.data) if "](" in value or "]:" in value]
        if not strings:
            continue
        rid = doc.data.get("id")
        if not isinstance(rid, str):
            continue
        view = view or View(project)
        page = "tillganglighet.md" if doc.kind == "statement" else view.record_page(doc.kind, rid).split("#")[0]
        for loc, value in strings:
            for _, target in links(value):
                found = get().problem(target, page)
                if found:
                    yield _issue(doc.path, doc.pos(loc), found)
