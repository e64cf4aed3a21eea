"""The pipeline's front half, shared by every command: load → model → graph → checks."""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import json
import os
import stat
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Sequence

from .issues import Issue, Position, Severity, info

if TYPE_CHECKING:
    from .graph import Project


def build_date() -> dt.date:
    """Today, or the date given by SOURCE_DATE_EPOCH for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
    return dt.date.today()


def check_content(content_dir: Path | Sequence[Path], today: dt.date | None = None) -> tuple[Project, list[Issue]]:
    """Load and check one content folder, or several layered ones (base first, local last)."""
    # Loading builds millions of small, long-lived objects and no reference cycles worth collecting. Python's
    # cyclic GC would walk all of them again and again as they pile up (half the check time at 5,000 routines),
    # so it is paused while loading; afterwards the project is moved out of its sight (gc.freeze), so that the
    # site build that follows does not keep walking it either.
    from .checks import run_checks, start_summaries  # here, not at the top: a check from the cache needs neither the
    from .graph import build_project  # models nor the checks, whose import is most of its time

    was_enabled = gc.isenabled()
    gc.disable()
    # What the text checks find in each file is worked out in worker processes, when many files are new to the cache,
    # from the moment the files are loaded: while the records are built and resolved.
    summaries = []
    try:
        project = build_project(content_dir, loaded=lambda trees, docs: summaries.append(start_summaries(trees, docs)))
        issues = run_checks(project, today or build_date(), summaries[0] if summaries else None)
    finally:
        for kept in summaries:
            if kept is not None:
                kept.close()  # when the build of the project failed; run_checks has closed it otherwise
        gc.freeze()
        if was_enabled:
            gc.enable()
    return project, issues


#: How ``handbok build`` and ``serve`` tell the mkdocs plugin which content folders to read.
CONTENT_ENV = "HANDBOK_CONTENT"


def content_list(content: Path | Sequence[Path]) -> list[Path]:
    return [Path(content)] if isinstance(content, (str, Path)) else [Path(c) for c in content]


def content_env_value(content: Path | Sequence[Path]) -> str:
    """The content folders as one environment value (absolute paths joined by os.pathsep)."""
    return os.pathsep.join(str(c.resolve()) for c in content_list(content))


def content_from_env() -> list[Path] | None:
    value = os.environ.get(CONTENT_ENV)
    return [Path(v) for v in value.split(os.pathsep) if v] if value else None


# --- a whole check from the cache ---------------------------------------------------------------------------------
#
# ``handbok check`` on content that has not changed since the last check prints what that check found, without
# loading anything: at 10,000 routines the per-file caches still leave 14 s of models and project-wide checks. The
# state is a hash of every file under the content folders (names and bytes), the date the checks judge by, the
# working folder (paths are printed relative to it) and the tool's own code (cache.key); any change runs the check.
#
# Reading and hashing 170 MB at 10,000 routines took most of such a check, so each file's hash is kept with its
# stat (size, modification and change times, inode, device) the way git's index does: a file whose stat is the same
# as when it was hashed is not read again. A file changed within the file system's clock tick after it was hashed
# would keep its stat, so a file whose times are within RACY_SECONDS of the moment it is hashed gets no entry and
# is read on every check until it is older (git's "racily clean" files).

CHECK_AREA = "check"
COUNTED = ("routines", "units", "legal", "terms", "municipalities", "figures", "sources", "plans", "measures", "prose",
           "modules", "courses", "requirements", "programmes")


@dataclass
class CheckReport:
    """What ``handbok check`` prints: the issues, how many records of each kind, and the organisation's addresses."""

    issues: list[Issue]
    counts: dict[str, int]
    feedback: str | None
    site_url: str | None
    cached: bool = False


#: Seconds: a file whose modification or change time is this close to the moment it is hashed (or later) is read
#: again on the next check, whatever its stat says then.
RACY_SECONDS = 2.0
STAMPS_VERSION = 1


def content_state(content: Path | Sequence[Path], today: dt.date) -> str | None:
    """A hash of everything a check depends on, or None when a file cannot be read as a plain file (the check then
    runs and reports it)."""
    import yaml

    from . import cache

    trees = [tree.resolve() for tree in content_list(content)]
    stamps_slot = cache.key("check-stamps", "\0".join(str(t) for t in trees))
    known = _read_stamps(cache.get(CHECK_AREA, stamps_slot))
    kept: dict[str, list] = {}
    racy_after = (time.time() - RACY_SECONDS) * 1e9
    h = hashlib.blake2b(digest_size=32)
    h.update(f"{today.isoformat()}\0{Path.cwd()}\0{getattr(yaml, '__with_libyaml__', False)}\0".encode())
    try:
        for top in trees:
            h.update(f"\1{top}\0".encode("utf-8", "surrogatepass"))
            if not top.is_dir():
                continue
            for root, dirs, files in os.walk(top, followlinks=False, onerror=_raise):
                dirs.sort()
                for name in sorted(files):
                    file = os.path.join(root, name)
                    st = os.stat(file)
                    if not stat.S_ISREG(st.st_mode):  # a pipe or device: never opened here
                        return None
                    size, stamp = st.st_size, [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev]
                    old = known.get(file)
                    if old is not None and old[:5] == stamp:
                        digest = old[5]
                    else:
                        with open(file, "rb") as f:
                            data = f.read()
                        digest = hashlib.blake2b(data, digest_size=32).hexdigest()
                        if len(data) != size:  # changed since its stat was read: no entry
                            size, stamp = len(data), []
                    if stamp and max(st.st_mtime_ns, st.st_ctime_ns) < racy_after:
                        kept[file] = stamp + [digest]
                    h.update(f"\2{os.path.relpath(file, top)}\0{size}\0{digest}\0".encode("utf-8", "surrogatepass"))
    except OSError:
        return None
    if kept != known:
        stamps = {"version": STAMPS_VERSION, "files": kept}
        cache.put(CHECK_AREA, stamps_slot, json.dumps(stamps, ensure_ascii=False, separators=(",", ":")).encode(
            "utf-8", "surrogatepass"))
    return cache.key("check-state", h.hexdigest())


def _read_stamps(raw: bytes | None) -> dict[str, list]:
    """The files' stats and hashes from the last check; anything unexpected counts as none."""
    try:
        data = json.loads(raw) if raw else {}
        files = data.get("files", {}) if data.get("version") == STAMPS_VERSION else {}
        return {k: v for k, v in files.items() if isinstance(k, str) and isinstance(v, list) and len(v) == 6
                and all(type(x) is int for x in v[:5]) and isinstance(v[5], str)}
    except (ValueError, AttributeError):
        return {}


def _raise(exc: OSError) -> None:
    raise exc


def check_report(content: Path | Sequence[Path], today: dt.date | None = None) -> CheckReport:
    """The check of ``content``; from the cache when nothing it depends on has changed since the last check."""
    from . import cache

    today = today or build_date()
    state = content_state(content, today) if cache.root() is not None else None
    # One slot per set of content folders: a new state replaces the old one, so entries do not pile up.
    slot = cache.key("check-slot", "\0".join(str(c.resolve()) for c in content_list(content)), str(Path.cwd()))
    if state is not None:
        stored = _read_report(cache.get(CHECK_AREA, slot), state)
        if stored is not None:
            return stored
    project, issues = check_content(content, today)
    org = project.organisation
    report = CheckReport(issues, {k: len(getattr(project, k)) for k in COUNTED}, org.feedback, org.site_url)
    if state is not None:
        cache.put(CHECK_AREA, slot, json.dumps({
            "state": state, "counts": report.counts, "feedback": report.feedback, "site_url": report.site_url,
            "issues": [[int(i.severity), i.code, i.message, i.path, i.line, i.col, i.hint, list(i.related)]
                       for i in issues],
        }, ensure_ascii=False).encode())
    return report


def _read_report(raw: bytes | None, state: str) -> CheckReport | None:
    if raw is None:
        return None
    try:
        data = json.loads(raw)
        if data.get("state") != state:
            return None
        issues = [Issue(Severity(sev), code, message, path, line, col, hint, tuple(related))
                  for sev, code, message, path, line, col, hint, related in data["issues"]]
        counts = {k: int(data["counts"][k]) for k in COUNTED}
        return CheckReport(issues, counts, data["feedback"], data["site_url"], cached=True)
    except (ValueError, TypeError, KeyError, AttributeError):
        return None  # an entry from another version, or damaged: check again



def site_config(config_file: Path, organisation=None) -> Iterator[Issue]:
    """Notes on the settings that a reader would miss: no feedback address, no published address (no sitemap).

    Either comes from the organisation record (content/organisation.yml) or from mkdocs.yml.
    """
    if not config_file.is_file():
        return
    if organisation is not None and organisation.feedback and organisation.site_url:
        return
    lines = config_file.read_text(encoding="utf-8").splitlines()

    def value(key: str, indent: str) -> tuple[str, Position]:
        for n, line in enumerate(lines, 1):
            if line.startswith(f"{indent}{key}:"):
                return line.split(":", 1)[1].split(" #")[0].strip().strip("\"'"), Position(n, len(indent) + 1)
        return "", Position()

    feedback, pos = value("feedback", "  ")
    if not feedback and not getattr(organisation, "feedback", None):
        yield info("feedback-missing", "Ingen adress för synpunkter: sidorna visar ingen länk för att lämna synpunkter.",
                   config_file, pos, hint="Ange feedback i organisation.yml (eller extra.feedback i mkdocs.yml): en "
                   "mailto:-adress eller adressen till ett formulär (https://…).")
    site_url, pos = value("site_url", "")
    if not site_url and not getattr(organisation, "site_url", None):
        yield info("site-url-missing", "Ingen publicerad adress (site_url): webbplatsen får ingen sitemap.", config_file,
                   pos, hint="Ange site_url i organisation.yml (eller i mkdocs.yml), eller bygg med handbok build "
                   "--site-url https://…/.")
