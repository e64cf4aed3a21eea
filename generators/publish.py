"""Stage 6, publish: run mkdocs, index search, write offline files, swap into place.

``handbok build`` checks first and refuses to build on errors. It builds into a
temporary directory beside the targets and swaps the result in only when every
step succeeded, so a failed build leaves the previous ``site/`` and ``dist/``
as they were.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .finish import DOWNLOAD_DIR, OFFLINE_ZIP, source_date_epoch
from .issues import failing, print_issues, summary
from .pipeline import CONTENT_ENV, content_env_value



def _say(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def content_epoch(project) -> int:
    """The newest date in the content (routine updates), as seconds since the epoch; 1980-01-01 if none."""
    import calendar

    dates = [r.updated for r in project.routines.values()]
    if not dates:
        return 315532800
    return calendar.timegm(max(dates).timetuple())


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


@contextlib.contextmanager
def deferred_interrupts() -> Iterator[None]:
    """Ctrl-C and SIGTERM wait until the block is done, then interrupt as usual (KeyboardInterrupt).

    For the steps that must not stop halfway: publishing both outputs, and removing the temporary folders. Python
    sets signal handlers only in the main thread; elsewhere the block runs unprotected.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    held = (signal.SIGINT, signal.SIGTERM)
    old = {s: signal.getsignal(s) for s in held}
    for s in held:
        signal.signal(s, lambda signum, frame: caught.append(signum))
    try:
        yield
    finally:
        for s, handler in old.items():
            signal.signal(s, handler)
    if caught:
        raise KeyboardInterrupt


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


def build(content: Path | list[Path], site_dir: Path, dist_dir: Path, config_file: Path, strict: bool = False,
          site_url: str | None = None) -> int:
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    from .mkdocs_plugin import HandbokPlugin
    from .pipeline import check_content
    from .render.documents import DocumentError, build_documents, plan_jobs, planned_files
    from .render.pdf import makes_pdf

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
    old_env = os.environ.get(CONTENT_ENV)
    old_epoch = os.environ.get("SOURCE_DATE_EPOCH")
    try:
        os.environ[CONTENT_ENV] = content_env_value(content)
        if not (old_epoch or "").isdigit():
            # Same content, same bytes: date the build by the content, not by the clock.
            os.environ["SOURCE_DATE_EPOCH"] = str(content_epoch(project))
        HandbokPlugin.preloaded = (project, issues)
        HandbokPlugin.site_url_given = bool(site_url)
        overrides = {"site_url": site_url} if site_url else {}
        config = load_config(str(config_file), site_dir=str(tmp / "site"), **overrides)
        plugin = config.plugins["handbok"]
        plugin.config.strict = strict
        # The documents are written in the background while mkdocs makes the pages, which offer them for download
        # with their sizes: the pages get a mark for each size and the site an empty stand-in for each document;
        # when mkdocs has written the pages, the plugin waits for the documents, copies them in and fills in the
        # sizes (HandbokPlugin.planned). Most of the documents' work is in pandoc and Typst processes, so the two
        # overlap on two cores.
        (tmp_dist / "dist").mkdir()
        jobs = plan_jobs(project)
        count = sum(len(job.outputs) for job in jobs)
        pdfs = sum(len(job.outputs) for job in jobs if makes_pdf(job))
        _say(f"2/5 Skriver dokumenten ({count} Word- och PowerPoint-filer och {pdfs} PDF-filer) …")
        cancel = threading.Event()
        under_way = threading.Event()
        background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="handbok-dokument")
        try:
            documents = background.submit(build_documents, project, plugin.dirs(config)[1], tmp_dist / "dist",
                                          source_date_epoch(), say=_say, cancel=cancel, under_way=under_way)
            # mkdocs starts when the first pandoc run has: the documents take longest, and until then their
            # Markdown is made in the same interpreter (a quarter of a second sooner this way).
            while not under_way.wait(0.05) and not documents.done():
                pass
            _say(f"3/5 Bygger webbplatsen ({len(project.routines)} rutiner) medan dokumenten skrivs …")
            HandbokPlugin.downloads = tmp_dist / "dist"
            HandbokPlugin.planned = planned_files(jobs)
            HandbokPlugin.wait_for_downloads = documents.result
            HandbokPlugin.progress = _say
            mkdocs_build(config)
            documents.result()
        finally:
            # After an error or an interrupt: no new pandoc run or compile starts, and the ones under way end
            # before the temporary folders are removed.
            cancel.set()
            background.shutdown(wait=True, cancel_futures=True)
        shutil.copy2(tmp / "site" / DOWNLOAD_DIR / OFFLINE_ZIP, tmp_dist / "dist" / OFFLINE_ZIP)
        _say("5/5 Publicerar …")
        # Both outputs are complete before either is swapped; each swap is one atomic step, and an interrupt waits
        # until both are done (never a new dist/ beside an old site/).
        with deferred_interrupts():
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
        # An interrupt here waits until the settings are back and the temporary folders are gone.
        with deferred_interrupts():
            HandbokPlugin.preloaded = None
            HandbokPlugin.downloads = None
            HandbokPlugin.planned = None
            HandbokPlugin.wait_for_downloads = None
            HandbokPlugin.progress = None
            HandbokPlugin.site_url_given = False
            if old_epoch is None:
                os.environ.pop("SOURCE_DATE_EPOCH", None)
            if old_env is None:
                os.environ.pop(CONTENT_ENV, None)
            else:
                os.environ[CONTENT_ENV] = old_env
            shutil.rmtree(tmp, ignore_errors=True)
            shutil.rmtree(tmp_dist, ignore_errors=True)
    pages = sum(1 for _ in site_dir.rglob("*.html"))
    _say(f"Klart på {time.perf_counter() - started:.1f} s: {pages} sidor i {site_dir}/, dokument i {dist_dir}/.")
    return 0
