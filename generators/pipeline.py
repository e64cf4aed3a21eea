"""The pipeline's front half, shared by every command: load → model → graph → checks."""

from __future__ import annotations

import datetime as dt
import gc
import os
from pathlib import Path

from .checks import run_checks
from .graph import Project, build_project
from .issues import Issue


def build_date() -> dt.date:
    """Today, or the date given by SOURCE_DATE_EPOCH for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
    return dt.date.today()


def check_content(content_dir: Path, today: dt.date | None = None) -> tuple[Project, list[Issue]]:
    # Loading builds millions of small, long-lived objects and no reference cycles worth collecting. Python's
    # cyclic GC would walk all of them again and again as they pile up (half the check time at 5,000 routines),
    # so it is paused while loading; afterwards the project is moved out of its sight (gc.freeze), so that the
    # site build that follows does not keep walking it either.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        project = build_project(Path(content_dir))
        issues = run_checks(project, today or build_date())
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()
    return project, issues
