"""After mkdocs has written the pages: downloads, the offline zip, search index, vocabulary, service worker.

Shared by the mkdocs plugin (which runs it at ``on_post_build``) and by ``handbok build``
(publish.py), below both, so that neither imports the other for it.
"""

from __future__ import annotations

import hashlib
import html as html_lib
import json
import os
import re
import subprocess
import sys
import time
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

SW_NAME = "sw.js"
OFFLINE_ZIP = "rutinhandbok-offline.zip"
DOWNLOAD_DIR = "nedladdning"  # where the documents are copied into the site
VOCABULARY = "search-vocabulary.json"
# The offline zip's size is known only after the site is written; its links carry this mark until then.
ZIP_SIZE_MARK = "HANDBOK-OFFLINE-ZIP-SIZE"
_PRECACHE_SUFFIXES = (".html", ".css", ".js", ".svg", ".png", ".ico", ".webmanifest", ".json", ".pf_meta",
                      ".pf_index", ".pf_filter", ".pf_fragment", ".pagefind")


def source_date_epoch() -> int:
    value = os.environ.get("SOURCE_DATE_EPOCH", "")
    return int(value) if value.isdigit() else 315532800  # 1980-01-01, the earliest zip date


# --- downloads -------------------------------------------------------------------------

FILE_TYPES = {".docx": "Word", ".pptx": "PowerPoint", ".pdf": "PDF", ".zip": "zip"}


def human_size(n: int) -> str:
    """Bytes as a reader says them, in Swedish: '850 kB', '1,2 MB'."""
    if n < 1_000_000:
        return f"{max(1, round(n / 1000))} kB"
    return f"{n / 1_000_000:.1f} MB".replace(".", ",")


# A document's size while the documents are still being written (``handbok build`` builds the site meanwhile):
# SIZE_MARK and a number, replaced by the size in each page's HTML once the documents are done (``fill_sizes``).
SIZE_MARK = "HANDBOK-STORLEK-"
SIZE_CLASS = "handbok-storlek"
_SIZE_MARKS = re.compile(re.escape(SIZE_MARK) + r"\d{6}")


@dataclass(frozen=True)
class Download:
    rel: str  # under dist/ and under the site's nedladdning/, e.g. utbildning/nacka/presentation.pptx
    size: int | None  # None: not known yet (the offline zip, which is written after the pages; see ``mark``)
    mark: str = ""  # what stands for the size until it is known; the offline zip's is ZIP_SIZE_MARK

    @property
    def label(self) -> str:
        kind = FILE_TYPES.get(Path(self.rel).suffix, Path(self.rel).suffix.lstrip(".").upper())
        return f"{kind}, {human_size(self.size) if self.size is not None else self.mark or ZIP_SIZE_MARK}"


def _offered(rel: str) -> bool:
    """Whether the site offers this file under dist/ for download (the offline zip is added apart: written later)."""
    return Path(rel).suffix in FILE_TYPES and Path(rel).name != OFFLINE_ZIP


def planned_downloads(rels: list[str]) -> dict[str, Download]:
    """The documents a build will write (under dist/), offered before they exist: each size is a mark for now."""
    found = {rel: Download(rel, None, f"{SIZE_MARK}{i:06d}") for i, rel in enumerate(sorted(filter(_offered, rels)))}
    found[OFFLINE_ZIP] = Download(OFFLINE_ZIP, None)
    return found


def planned_sizes(planned: dict[str, Download], written: dict[str, Download]) -> dict[str, str]:
    """Each planned document's mark and the size of the file that was written ('1,2 MB'). ValueError names the
    documents that were planned and not written, or written and not planned (the links would not match the files)."""
    wanted = {rel for rel, d in planned.items() if d.mark}
    got = {rel for rel in written if rel != OFFLINE_ZIP}
    if wanted != got:
        raise ValueError(", ".join(sorted(wanted ^ got)))
    return {planned[rel].mark: human_size(written[rel].size or 0) for rel in wanted}


def fill_sizes(html: str, sizes: dict[str, str]) -> str:
    """The page with each document's mark replaced by its size (``planned_sizes``)."""
    if SIZE_MARK not in html:
        return html
    return _SIZE_MARKS.sub(lambda m: sizes[m.group(0)], html)


def scan_downloads(dist: Path | None) -> dict[str, Download]:
    """The documents in ``dist`` that the site offers, by path; the offline zip is added (written later)."""
    if dist is None or not dist.is_dir():
        return {}
    found = {rel: Download(rel, p.stat().st_size) for p in sorted(dist.rglob("*"))
             if p.is_file() and _offered(rel := p.relative_to(dist).as_posix())}
    found[OFFLINE_ZIP] = Download(OFFLINE_ZIP, None)
    return found


# --- search ---------------------------------------------------------------------------

# Search ranks (render/site.py PAGE_KINDS): routines 1, reference 2, background 3. The search box multiplies
# Pagefind's score by the rank's weight. Pagefind's own filters could carry the rank, but Pagefind 1.5 writes
# filter files in a different order on every run, and the site must be byte-identical; separate bundles per rank
# were tried too, and their scores do not compare (each bundle weighs words by its own pages).
SEARCH_WEIGHTS = {1: 1.0, 2: 0.6, 3: 0.25}
SEARCH_RANKS = "search-ranks.json"
_RANK = re.compile(r'data-handbok-rank="(\d)"')


# What Pagefind leaves out of a page's indexed part (main.html marks the article with data-pagefind-body, so menus,
# header and footer are out already; the templates mark repeated blocks with data-pagefind-ignore). Besides the
# heading links: a routine's citations ("Lagstöd: …", "Källa: …" in <small>), its facts list (target groups,
# status, dates) and its owner line. They repeat on every routine, so they would grow the index with N without
# helping anyone find a routine; the laws they cite have pages of their own. Other pages keep their facts (a law's
# SFS number, a unit's telephone). Selectors as Pagefind takes them: no sibling combinators.
SEARCH_EXCLUDE = (
    ".headerlink",
    f".{SIZE_CLASS}",  # a document's type and size: known only when the documents are done (download_links)
    '[data-handbok-rank="1"] small',
    '[data-handbok-rank="1"] .handbok-facts',
    ".handbok-owner",
)


# --- what Pagefind reads ------------------------------------------------------------------------------------------
#
# Pagefind reads every HTML file of the site whole, although it indexes only the element marked data-pagefind-body
# (main.html puts it on the article), less the parts marked data-pagefind-ignore="all" (a routine's facts and lists
# of links, two thirds of the article). It was given a copy of each page cut down to that: the <html> element with
# its language, and the marked element without the ignored parts. Pagefind writes the same index from the copy, byte
# for byte (tests/test_search_index.py), in half the processor time and with a fifth less memory at 2,000 routines.
# A page whose marked part cannot be cut with certainty (a comment, script or template inside it, or a
# data-pagefind attribute outside it) is copied whole.

_BODY_OPEN = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)\b[^>]*\bdata-pagefind-body\b[^>]*>")
_IGNORE_ALL_OPEN = re.compile(r'<([a-zA-Z][a-zA-Z0-9]*)\b[^>]*\bdata-pagefind-ignore="all"[^>]*>')
_HTML_OPEN = re.compile(r"<html\b[^>]*>")
_UNSURE = ("<!--", "<script", "<template", "<textarea", "<style", "<![CDATA[")


def _element_end(html: str, start: int, name: str) -> int:
    """The offset after the end tag that closes the element whose start tag is at ``start``; -1 if it is not found."""
    depth = 0
    for m in re.compile(rf"<(/?){name}\b[^>]*>").finditer(html, start):
        depth += -1 if m.group(1) else 1
        if depth == 0:
            return m.end()
    return -1


def search_page(html: str) -> str | None:
    """What Pagefind needs of a page: None for a page without data-pagefind-body (it is not indexed), the page cut
    down to its indexed part, or the whole page when the cut would not be certain."""
    body = _BODY_OPEN.search(html)
    if body is None:
        return None
    end = _element_end(html, body.start(), body.group(1))
    lang = _HTML_OPEN.search(html, 0, body.start())
    if end < 0 or lang is None or "data-pagefind-" in html[: body.start()] or "data-pagefind-" in html[end:]:
        return html
    part = html[body.start():end]
    if any(marker in part for marker in _UNSURE):
        return html
    pieces, at = [], 0
    for m in _IGNORE_ALL_OPEN.finditer(part):
        if m.start() < at:
            continue  # inside an ignored part already taken out
        close = _element_end(part, m.start(), m.group(1))
        if close < 0:
            return html
        pieces.append(part[at:m.start()])
        at = close
    pieces.append(part[at:])
    return f'<!doctype html>{lang.group(0)}<head><meta charset="utf-8"></head><body>{"".join(pieces)}</body></html>'


def start_pagefind(site_dir: Path, pages_dir: Path | None = None) -> subprocess.Popen:
    """Start indexing the built site with Pagefind (Swedish stemming from <html lang="sv">); ``wait_pagefind``.
    ``pages_dir``: the pages as Pagefind reads them (``search_page``), when they have been written apart from the
    site; the index goes into the site's pagefind/ all the same.

    The pages may still have the marks that the documents' sizes replace: the sizes stand in elements of the class
    SIZE_CLASS, which the index skips, so that ``handbok build`` can index while the documents are being written.
    """
    import tempfile

    cmd = [sys.executable, "-m", "pagefind", "--site", str(pages_dir or site_dir), "--silent",
           "--exclude-selectors", ", ".join(SEARCH_EXCLUDE)]
    if pages_dir is not None:
        cmd += ["--output-path", str(site_dir / "pagefind")]
    log = tempfile.TemporaryFile()  # a file, not a pipe: nobody reads Pagefind's output until it is done
    indexing = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
    indexing.log = log  # type: ignore[attr-defined]
    return indexing


def wait_pagefind(indexing: subprocess.Popen) -> None:
    """Wait for the Pagefind run that ``start_pagefind`` started; a failed run stops the build with its message.
    Waiting again for a run that succeeded returns at once."""
    log = indexing.log  # type: ignore[attr-defined]
    if log.closed:
        return
    code = indexing.wait()
    log.seek(0)
    text = log.read().decode("utf-8", errors="replace")
    log.close()
    if code != 0:
        from mkdocs.exceptions import PluginError

        raise PluginError("Sökindexeringen (Pagefind) misslyckades:\n" + text.strip())


def run_pagefind(site_dir: Path) -> None:
    """Index the built site with Pagefind, and wait for it."""
    wait_pagefind(start_pagefind(site_dir))


# --- short page ids in the search index ---------------------------------------------------------------------------
#
# Every search first loads Pagefind's metadata (pagefind/pagefind.<lang>_<hash>.pf_meta), which lists every indexed
# page by its fragment's name, a 7-digit hash ('sv_3c90b41'), with its word count. At 10,000 routines that list is
# 80 kB gzipped on every phone, most of it the hashes, which do not compress. compact_page_ids renames the pages to
# the metadata's own hash plus the page's number ('sv_2ffd14f157_000', '…_001', … in base 36, one width): a repeated
# prefix and counting digits, which compress better (47 kB at 10,000). The prefix changes whenever any page
# changes, so a name is never reused for other content (caches may keep pagefind/ files forever). The metadata is
# CBOR (Pagefind 1.x); anything that does not read back byte for byte is left as Pagefind wrote it.
#
# The word counts are rounded as well (rounded_word_count): Pagefind uses a page's length only to weigh a match on a
# long page a little less than one on a short page, and exact counts (1,313, 1,940, …) were a quarter of what is left
# of the metadata. Rounded to at most 3 % off, the score of a match changes by less than 3 %.

_PF_SIGNATURE = b"pagefind_dcd"


def _cbor_read(data: bytes, i: int = 0) -> tuple[object, int]:
    """One CBOR item (the subset Pagefind writes: integers, strings, arrays) and the offset after it."""
    first = data[i]
    major, info = first >> 5, first & 31
    i += 1
    if info < 24:
        n = info
    elif info <= 27:
        size = 1 << (info - 24)
        n = int.from_bytes(data[i:i + size], "big")
        i += size
    else:
        raise ValueError("unsupported CBOR item")
    if major == 0:
        return n, i
    if major == 1:
        return -1 - n, i
    if major == 2:
        return bytes(data[i:i + n]), i + n
    if major == 3:
        return data[i:i + n].decode("utf-8"), i + n
    if major == 4:
        items = []
        for _ in range(n):
            item, i = _cbor_read(data, i)
            items.append(item)
        return items, i
    raise ValueError("unsupported CBOR item")


def _cbor_write(value: object, out: bytearray) -> bytearray:
    def head(major: int, n: int) -> None:
        if n < 24:
            out.append(major << 5 | n)
            return
        size = 1 if n < 1 << 8 else 2 if n < 1 << 16 else 4 if n < 1 << 32 else 8
        out.append(major << 5 | (24 + size.bit_length() - 1))
        out.extend(n.to_bytes(size, "big"))

    if isinstance(value, bool) or value is None:
        raise ValueError("unsupported CBOR item")
    if isinstance(value, int):
        head(0, value) if value >= 0 else head(1, -1 - value)
    elif isinstance(value, str):
        raw = value.encode("utf-8")
        head(3, len(raw))
        out.extend(raw)
    elif isinstance(value, bytes):
        head(2, len(value))
        out.extend(value)
    elif isinstance(value, list):
        head(4, len(value))
        for item in value:
            _cbor_write(item, out)
    else:
        raise ValueError("unsupported CBOR item")
    return out


def _base36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = digits[n % 36]
    while n >= 36:
        n //= 36
        out = digits[n % 36] + out
    return out


def rounded_word_count(n: int) -> int:
    """``n`` to the nearest multiple of a power of two no bigger than n/16: at most 1/32 off, and exact below 32."""
    step = 1 << max(0, (n // 16).bit_length() - 1)
    return (n + step // 2) // step * step


def compact_page_ids(site_dir: Path) -> bool:
    """Rename the indexed pages in Pagefind's metadata and fragment files to short ids; False if left as written."""
    import gzip

    bundle = site_dir / "pagefind"
    try:
        languages = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))["languages"]
    except (OSError, ValueError, KeyError):
        return False
    plans = []
    for info in languages.values():
        meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
        try:
            raw = gzip.decompress(meta_path.read_bytes())
            meta, end = _cbor_read(raw, len(_PF_SIGNATURE))
            ok = (raw.startswith(_PF_SIGNATURE) and end == len(raw)
                  and bytes(_cbor_write(meta, bytearray())) == raw[len(_PF_SIGNATURE):]  # read back byte for byte
                  and isinstance(meta, list) and len(meta) >= 2 and isinstance(meta[1], list)
                  and all(isinstance(p, list) and len(p) == 2 and isinstance(p[0], str) and isinstance(p[1], int)
                          and p[1] >= 0 for p in meta[1]))
        except (OSError, ValueError, IndexError):
            ok = False
        if not ok:
            return False
        pages = meta[1]
        width = len(_base36(max(len(pages) - 1, 0)))
        renames = {}
        for n, page in enumerate(pages):
            new = f"{info['hash']}_{_base36(n).rjust(width, '0')}"
            if page[0] in renames or not (bundle / "fragment" / f"{page[0]}.pf_fragment").is_file():
                return False  # two pages under one name (identical pages), or a missing fragment: leave it be
            renames[page[0]] = new
        plans.append((meta_path, meta, renames))
    for meta_path, meta, renames in plans:
        for page in meta[1]:
            old = page[0]
            (bundle / "fragment" / f"{old}.pf_fragment").rename(bundle / "fragment" / f"{renames[old]}.pf_fragment")
            page[0] = renames[old]
            page[1] = rounded_word_count(page[1])
        data = _PF_SIGNATURE + bytes(_cbor_write(meta, bytearray()))
        meta_path.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    return True


def page_url(rel: str) -> str:
    """A page's address as Pagefind records it: 'rutiner/x/index.html' -> '/rutiner/x/'."""
    return "/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)


def write_search_ranks(site_dir: Path, rank_of: dict[str, int]) -> None:
    """search-ranks.json: the weights, and which indexed pages (by Pagefind's id) are not routines.

    Pagefind names each page's fragment after the id that a search result carries, and the fragment holds the page's
    address; ``rank_of`` maps that address to the rank the page says it has. Routines (rank 1) are left out, so the
    file grows with the other pages, not with the number of routines.
    """
    import gzip

    ranks: dict[str, list[str]] = {}
    for fragment in sorted((site_dir / "pagefind" / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(fragment.read_bytes())
        rank = rank_of.get(json.loads(data[data.index(b"{"):])["url"], 3)
        if rank != 1:
            ranks.setdefault(str(rank), []).append(fragment.stem)
    payload = {"weights": {str(k): v for k, v in SEARCH_WEIGHTS.items()}, "ranks": ranks}
    (site_dir / SEARCH_RANKS).write_text(json.dumps(payload, separators=(",", ":"), sort_keys=True), encoding="utf-8")


PRECACHE_BUDGET = 25_000_000  # bytes a phone fetches in the background at the first visit


_PAGEFIND_UNUSED = re.compile(r"^pagefind/pagefind-(component-ui|modular-ui|ui|highlight)\.")


def _precache_rank(rel: str) -> int | None:
    """0: always (theme, search engine and index); 1: pages; 2: routines and search excerpts; None: never."""
    if rel.startswith(("assets/javascripts/workers/", "assets/javascripts/lunr/", DOWNLOAD_DIR + "/")) or rel == SW_NAME:
        return None
    if not rel.endswith(_PRECACHE_SUFFIXES) or _PAGEFIND_UNUSED.match(rel):
        return None
    if rel.startswith("pagefind/"):
        # The engine and the word index make an offline query possible; the fragments give its excerpts.
        return 2 if "/fragment/" in rel else 0
    if rel.startswith("assets/") or rel in (VOCABULARY, SEARCH_RANKS):
        return 0
    return 2 if rel.startswith("rutiner/") and rel.count("/") == 2 else 1


def _precache_urls(site_dir: Path, budget: int = PRECACHE_BUDGET) -> list[str]:
    """What the service worker fetches at the first visit: all of a small site, a bounded part of a large one.

    Up to ``budget`` bytes: first the theme's files, the search engine and its word index, then the overview pages,
    then the routines and the search excerpts. Pages left out are cached when they are first read, and the offline
    zip has everything.
    """
    found = []
    for path in sorted(site_dir.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(site_dir).as_posix()
        rank = _precache_rank(rel)
        if rank is None:
            continue
        size = path.stat().st_size
        if rel.endswith("index.html"):
            rel = rel[: -len("index.html")] or "./"
        found.append((rank, rel.count("/"), size, rel))
    urls, total = [], 0
    for rank, _depth, size, rel in sorted(found, key=lambda f: (f[0], f[1], f[3])):
        if total + size > budget and rank > 0:
            continue
        urls.append(rel)
        total += size
    return sorted(urls)


def write_service_worker(site_dir: Path, template: Path) -> None:
    """sw.js: precaches the site (within PRECACHE_BUDGET) so that a phone that opened it once can read it offline."""
    urls = _precache_urls(site_dir)
    digest = hashlib.sha256()
    for u in urls:
        f = site_dir / (u + "index.html" if u.endswith("/") else u)
        if u == "./":
            f = site_dir / "index.html"
        digest.update(u.encode())
        digest.update(f.read_bytes())
    text = template.read_text(encoding="utf-8")
    text = text.replace("__VERSION__", digest.hexdigest()[:16]).replace("__PRECACHE__", json.dumps(urls, indent=0))
    (site_dir / SW_NAME).write_text(text, encoding="utf-8")


_WORD = re.compile(r"[a-zåäöéü]{4,}")
_TAG = re.compile(r"<[^>]+>")
_IGNORED = re.compile(r"<(\w+)[^>]*data-pagefind-ignore[^>]*>.*?</\1>", re.S)
VOCABULARY_SIZE = 20_000  # words kept, most frequent first: bounded, whatever N


# SEARCH_EXCLUDE as patterns, for the vocabulary: each selector is '.class' or 'tag', alone or under '[attr="value"]'
# (which main.html puts on the indexed part itself, so it is looked for there).
_SELECTOR = re.compile(r'^(?:\[(?P<attr>[\w-]+)="(?P<value>[^"]*)"\] )?(?:\.(?P<cls>[\w-]+)|(?P<tag>[a-z][a-z0-9]*))$')


def _excluded_patterns() -> list[tuple[str | None, re.Pattern]]:
    out = []
    for selector in SEARCH_EXCLUDE:
        m = _SELECTOR.match(selector)
        if m is None:
            raise ValueError(f"SEARCH_EXCLUDE: {selector!r} har en form som page_words inte kan läsa")
        scope = f'{m["attr"]}="{m["value"]}"' if m["attr"] else None
        if m["tag"]:
            pattern = re.compile(rf"<({m['tag']})\b[^>]*>.*?</\1>", re.S)
        else:
            pattern = re.compile(rf'<(\w+)\b[^>]*class="(?:[^"]*\s)?{re.escape(m["cls"])}(?:\s[^"]*)?"[^>]*>.*?</\1>',
                                 re.S)
        out.append((scope, pattern))
    return out


_EXCLUDED = _excluded_patterns()


def page_words(html: str) -> list[str]:
    """The words of a page's indexed part (inside data-pagefind-body), lower case: without what Pagefind leaves out
    (data-pagefind-ignore, SEARCH_EXCLUDE), so that "Menade du …?" never suggests a word that no search finds."""
    start = html.find("data-pagefind-body")
    if start < 0:
        return []
    open_end = html.find(">", start) + 1
    wrapper = html[start:open_end]
    end = html.find("</article>", start)
    body = _IGNORED.sub(" ", html[open_end: end if end > 0 else len(html)])
    for scope, pattern in _EXCLUDED:
        if scope is None or scope in wrapper:
            body = pattern.sub(" ", body)
    return _WORD.findall(html_lib.unescape(_TAG.sub(" ", body)).lower())


def write_vocabulary(site_dir: Path, counts: Counter[str]) -> None:
    """The site's own words with their counts, most frequent first: the search box's "Menade du …?" list."""
    words = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:VOCABULARY_SIZE]
    (site_dir / VOCABULARY).write_text(json.dumps(words, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def finish_site(site_dir: Path, templates_dir: Path, search: bool = True, offline_zip: bool = False,
                indexing: subprocess.Popen | None = None) -> None:
    """Everything after mkdocs, in order: the offline zip (it needs the finished pages), its size on the pages that
    link to it, the search index, its ranks and vocabulary, and last the service worker (it fingerprints the rest).

    The pages are read once: the same pass fills in the zip's size and collects each page's words and search rank.
    ``indexing`` is a Pagefind run started earlier (``start_pagefind``), which is waited for before any page is
    written again; without it, Pagefind runs after the zip's size is filled in.
    """
    if indexing is not None:
        wait_pagefind(indexing)
    zip_size = None
    if offline_zip:
        target = site_dir / DOWNLOAD_DIR / OFFLINE_ZIP
        target.parent.mkdir(parents=True, exist_ok=True)
        write_offline_zip(site_dir, target)
        zip_size = f"zip, {human_size(target.stat().st_size)}"
    sitemap = site_dir / "sitemap.xml"
    if sitemap.is_file() and b"<url>" not in sitemap.read_bytes():  # no site_url: mkdocs wrote an empty one
        sitemap.unlink()
        (site_dir / "sitemap.xml.gz").unlink(missing_ok=True)
    words: Counter[str] = Counter()
    rank_of: dict[str, int] = {}
    if zip_size or search:
        for path in sorted(site_dir.rglob("*.html")):
            text = path.read_text(encoding="utf-8")
            if zip_size and ZIP_SIZE_MARK in text:
                text = text.replace(f"zip, {ZIP_SIZE_MARK}", zip_size).replace(ZIP_SIZE_MARK, zip_size)
                path.write_text(text, encoding="utf-8")
            if search:
                words.update(page_words(text))
                m = _RANK.search(text)
                if m:
                    rank_of[page_url(path.relative_to(site_dir).as_posix())] = int(m.group(1))
    if search:
        if indexing is None:
            run_pagefind(site_dir)
        compact_page_ids(site_dir)
        write_search_ranks(site_dir, rank_of)
        write_vocabulary(site_dir, words)
    write_service_worker(site_dir, templates_dir / "offline" / SW_NAME)


# --- the offline zip ---------------------------------------------------------------

_HREF = re.compile(r'(href=")([^"#?:]*)([#?][^"]*)?(")')


def _file_links(html: str) -> str:
    """Make directory links work from disk: 'rutiner/x/' -> 'rutiner/x/index.html'."""

    def fix(m: re.Match) -> str:
        path = m.group(2)
        if path.startswith("/") or (path == "" and m.group(3)):
            return m.group(0)
        if path in ("", "."):
            path = "index.html"
        elif path.endswith("/"):
            path += "index.html"
        elif all(seg in (".", "..") for seg in path.split("/")):
            path += "/index.html"
        return f"{m.group(1)}{path}{m.group(3) or ''}{m.group(4)}"

    return _HREF.sub(fix, html)


# Files that are compressed already: stored as they are, since deflating them again takes most of the zip's time
# (a third of a second on the default content) and saves 4 % of their size. The rest is deflated at zlib's default
# level: level 9 took twice as long (0.26 s against 0.12 s for the default content's 7 MB, after the documents, when
# nothing else is left to run) for 0.4 % less.
_COMPRESSED = (".pdf", ".docx", ".pptx", ".png", ".jpg", ".jpeg", ".gif", ".woff", ".woff2", ".zip", ".gz")


def write_offline_zip(site_dir: Path, target: Path) -> None:
    """A zip of the site that opens from disk; entries sorted with fixed dates for byte-identical output.

    It holds the pages and the documents, but not the search index (search needs a web server), the service
    worker, the theme's source maps (for developers' tools), or itself: its own link says "det här paketet"
    instead of a size.
    """
    stamp = time.gmtime(max(source_date_epoch(), 315532800))[:6]
    itself = f"{DOWNLOAD_DIR}/{OFFLINE_ZIP}"
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(site_dir.rglob("*")):
            rel = path.relative_to(site_dir).as_posix()
            if (not path.is_file() or rel.startswith("pagefind/") or rel.endswith(".map")
                    or rel in (SW_NAME, VOCABULARY, SEARCH_RANKS, itself)):
                continue
            data = path.read_bytes()
            if rel.endswith(".html"):
                text = _file_links(data.decode("utf-8")).replace(ZIP_SIZE_MARK, "det här paketet")
                data = text.encode("utf-8")
            info = zipfile.ZipInfo(f"rutinhandbok/{rel}", date_time=stamp)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_STORED if rel.lower().endswith(_COMPRESSED) else zipfile.ZIP_DEFLATED
            zf.writestr(info, data)




# --- links to downloads -------------------------------------------------------------

_DOWNLOAD_LINK = re.compile(r"\[([^\]\n]+)\]\(((?:\.\./)*)" + DOWNLOAD_DIR + r"/([^)\s#]+)\)")


def download_links(markdown: str, available: dict[str, Download]) -> str:
    """'[Handlingsplanen](nedladdning/handlingsplan.docx)' -> '[Handlingsplanen (Word, 1,2 MB)](…)', with the type and
    size in an element of the class SIZE_CLASS (the search index skips it: start_pagefind).

    A link to a document that was not built (``mkdocs serve`` builds none) leads to the download page instead.
    """

    def fix(m: re.Match) -> str:
        label, up, rel = m.groups()
        found = available.get(rel)
        if found is None:
            return f"[{label}]({up}{DOWNLOAD_DIR}.md)"
        return f'[{label} <span class="{SIZE_CLASS}">({found.label})</span>]({up}{DOWNLOAD_DIR}/{rel})'

    return _DOWNLOAD_LINK.sub(fix, markdown)
