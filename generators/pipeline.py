"""The pipeline's front half, shared by every command: load → model → graph → checks."""

from __future__ import annotations

import datetime as dt
import gc
import os
from pathlib import Path
from typing import Sequence

from .checks import run_checks
from .graph import Project, build_project
from .issues import Issue


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
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        project = build_project(content_dir)
        issues = run_checks(project, today or build_date())
    finally:
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
