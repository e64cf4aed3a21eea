"""The pipeline's front half, shared by every command: load → model → graph → checks."""

from __future__ import annotations

import datetime as dt
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
    project = build_project(Path(content_dir))
    return project, run_checks(project, today or build_date())
