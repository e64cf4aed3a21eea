"""Stage 6, publish: run mkdocs, index search, write offline files, swap into place.

``handbok build`` checks first and refuses to build on errors. It builds into a
temporary directory beside the targets and swaps the result in only when every
step succeeded, so a failed build leaves the previous ``site/`` and ``dist/``
as they were.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from .issues import failing, print_issues, summary

SW_NAME = "sw.js"
OFFLINE_ZIP = "rutinhandbok-offline.zip"
_PRECACHE_SUFFIXES = (".html", ".css", ".js", ".svg", ".png", ".ico", ".webmanifest")


def _say(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def source_date_epoch() -> int:
    value = os.environ.get("SOURCE_DATE_EPOCH", "")
    return int(value) if value.isdigit() else 315532800  # 1980-01-01, the earliest zip date


def content_epoch(project) -> int:
    """The newest date in the content (routine updates), as seconds since the epoch; 1980-01-01 if none."""
    import calendar

    dates = [r.updated for r in project.routines.values()]
    if not dates:
        return 315532800
    return calendar.timegm(max(dates).timetuple())


# --- after mkdocs: search and offline ------------------------------------------------

def run_pagefind(site_dir: Path) -> None:
    """Index the built site with Pagefind (Swedish stemming from <html lang="sv">)."""
    cmd = [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--silent", "--exclude-selectors", ".headerlink"]
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        from mkdocs.exceptions import PluginError

        raise PluginError("Sökindexeringen (Pagefind) misslyckades:\n" + (result.stderr or result.stdout).strip())


PRECACHE_BUDGET = 25_000_000  # bytes a phone fetches in the background at the first visit


def _precache_urls(site_dir: Path, budget: int = PRECACHE_BUDGET) -> list[str]:
    """What the service worker fetches at the first visit: all of a small site, a bounded part of a large one.

    Up to ``budget`` bytes: first the theme's files and the overview pages, then the routines. Pages left out
    are cached when they are first read, and the offline zip has everything.
    """
    found = []
    for path in sorted(site_dir.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(site_dir).as_posix()
        if rel.startswith(("pagefind/", "assets/javascripts/workers/", "assets/javascripts/lunr/")) or rel == SW_NAME:
            continue
        if not rel.endswith(_PRECACHE_SUFFIXES):
            continue
        size = path.stat().st_size
        if rel.endswith("index.html"):
            rel = rel[: -len("index.html")] or "./"
        rank = 2 if rel.startswith("rutiner/") and rel.count("/") == 2 else (0 if rel.startswith("assets/") else 1)
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


def finish_site(site_dir: Path, templates_dir: Path, search: bool = True) -> None:
    if search:
        run_pagefind(site_dir)
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


def write_offline_zip(site_dir: Path, target: Path) -> None:
    """A zip of the site that opens from disk; entries sorted with fixed dates for byte-identical output."""
    stamp = time.gmtime(max(source_date_epoch(), 315532800))[:6]
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for path in sorted(site_dir.rglob("*")):
            rel = path.relative_to(site_dir).as_posix()
            if not path.is_file() or rel.startswith("pagefind/") or rel == SW_NAME:
                continue
            data = path.read_bytes()
            if rel.endswith(".html"):
                data = _file_links(data.decode("utf-8")).encode("utf-8")
            info = zipfile.ZipInfo(f"rutinhandbok/{rel}", date_time=stamp)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)


# --- mkdocs ------------------------------------------------------------------------------

def _mkdocs_logging() -> None:
    logger = logging.getLogger("mkdocs")
    if not any(getattr(h, "_handbok", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
        handler.setLevel(logging.WARNING)
        handler._handbok = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
    logger.propagate = False


# --- the swap ---------------------------------------------------------------------------

TMP_PREFIX = ".handbok-tmp-"
_RENAME_EXCHANGE = 2  # linux/fs.h


def _renameat2_exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    import ctypes
    import errno

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    at_fdcwd = -100
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False  # old kernel or a file system without exchange: fall back to two renames
    raise OSError(err, os.strerror(err), str(a), None, str(b))


def swap_into_place(new: Path, target: Path) -> None:
    """Put the finished directory ``new`` at ``target``; the previous ``target`` ends up at ``new``.

    With an existing target this is one atomic exchange on Linux, so a reader or a kill never sees
    a missing or half-written ``target``. Elsewhere it falls back to two renames.
    """
    if not target.exists():
        new.rename(target)
        return
    if _renameat2_exchange(new, target):
        return
    trash = new.with_name(new.name + "-old")
    target.rename(trash)
    new.rename(target)
    trash.rename(new)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def make_tmp(parent: Path) -> Path:
    """A fresh temporary directory beside the target, named after this process."""
    return Path(tempfile.mkdtemp(prefix=f"{TMP_PREFIX}{os.getpid()}-", dir=parent))


def clean_stale_tmp(parent: Path) -> list[Path]:
    """Remove temporary directories that a killed build left behind (their process is gone)."""
    removed = []
    for path in sorted(parent.glob(TMP_PREFIX + "*")):
        pid = path.name[len(TMP_PREFIX):].split("-", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and _pid_alive(int(pid)):
            continue  # another build is running
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed


def build(content: Path, site_dir: Path, dist_dir: Path, config_file: Path, strict: bool = False) -> int:
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    from .mkdocs_plugin import HandbokPlugin
    from .pipeline import check_content
    from .render.documents import DocumentError, build_documents, plan_jobs

    started = time.perf_counter()
    _say("1/5 Granskar innehållet …")
    project, issues = check_content(content)
    print_issues(issues)
    if failing(issues, strict):
        _say(f"Bygget avbröts: {summary(issues)}. Inget skrevs; {site_dir}/ och {dist_dir}/ är orörda.")
        return 1
    if not config_file.is_file():
        _say(f"Konfigurationsfilen {config_file} finns inte. Kör kommandot i projektets rotmapp eller ange --config.")
        return 1
    _mkdocs_logging()
    site_dir, dist_dir = site_dir.resolve(), dist_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    dist_dir.parent.mkdir(parents=True, exist_ok=True)
    for parent in sorted({site_dir.parent, dist_dir.parent}):
        for stale in clean_stale_tmp(parent):
            _say(f"Tog bort {stale.name}, som ett avbrutet bygge lämnade kvar.")
    tmp = make_tmp(site_dir.parent)
    tmp_dist = make_tmp(dist_dir.parent)
    old_env = os.environ.get("HANDBOK_CONTENT")
    old_epoch = os.environ.get("SOURCE_DATE_EPOCH")
    try:
        os.environ["HANDBOK_CONTENT"] = str(Path(content).resolve())
        if not (old_epoch or "").isdigit():
            # Same content, same bytes: date the build by the content, not by the clock.
            os.environ["SOURCE_DATE_EPOCH"] = str(content_epoch(project))
        HandbokPlugin.preloaded = (project, issues)
        _say(f"2/5 Bygger webbplatsen ({len(project.routines)} rutiner) …")
        config = load_config(str(config_file), site_dir=str(tmp / "site"))
        plugin = config.plugins["handbok"]
        plugin.config.strict = strict
        mkdocs_build(config)
        _say("3/5 Skriver offlinepaketet …")
        (tmp_dist / "dist").mkdir()
        write_offline_zip(tmp / "site", tmp_dist / "dist" / OFFLINE_ZIP)
        count = sum(len(job.outputs) for job in plan_jobs(project))
        _say(f"4/5 Skriver dokumenten ({count} Word- och PowerPoint-filer) …")
        build_documents(project, plugin.templates, tmp_dist / "dist", source_date_epoch(), say=_say)
        _say("5/5 Publicerar …")
        # Both outputs are complete before either is swapped; each swap is one atomic step.
        swap_into_place(tmp_dist / "dist", dist_dir)
        swap_into_place(tmp / "site", site_dir)
    except (MkDocsException, DocumentError) as exc:
        _say(f"Bygget misslyckades: {exc}")
        _say(f"Inget publicerades; {site_dir}/ och {dist_dir}/ är orörda.")
        return 1
    except OSError as exc:  # disk full, permissions: say so without a traceback
        where = f" ({exc.filename})" if exc.filename else ""
        _say(f"Bygget misslyckades: {exc.strerror or exc}{where}.")
        _say(f"Inget publicerades; {site_dir}/ och {dist_dir}/ är orörda.")
        return 1
    finally:
        HandbokPlugin.preloaded = None
        if old_epoch is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        if old_env is None:
            os.environ.pop("HANDBOK_CONTENT", None)
        else:
            os.environ["HANDBOK_CONTENT"] = old_env
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(tmp_dist, ignore_errors=True)
    pages = sum(1 for _ in site_dir.rglob("*.html"))
    _say(f"Klart på {time.perf_counter() - started:.1f} s: {pages} sidor i {site_dir}/, dokument i {dist_dir}/.")
    return 0


def serve(content: Path, config_file: Path, addr: str) -> int:
    from mkdocs.commands.serve import serve as mkdocs_serve
    from mkdocs.exceptions import MkDocsException

    # The plugin checks the content on every (re)build and stops with the issues on errors.
    os.environ["HANDBOK_CONTENT"] = str(Path(content).resolve())
    _mkdocs_logging()
    logging.getLogger("mkdocs").setLevel(logging.INFO)
    for h in logging.getLogger("mkdocs").handlers:
        h.setLevel(logging.INFO)
    try:
        mkdocs_serve(config_file=str(config_file), dev_addr=addr, livereload=True,
                     watch=[str(Path(content).resolve())])
    except MkDocsException as exc:
        _say(f"Förhandsgranskningen kunde inte starta: {exc}")
        return 1
    return 0
