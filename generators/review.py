"""Review lifecycle: when each routine is due for review, and which are overdue, by owner."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from .graph import Project
from .model import Routine


def due_date(r: Routine) -> dt.date:
    """The day the routine is due: ``reviewed`` plus ``review_interval_months`` (end of month when shorter)."""
    months = r.reviewed.month - 1 + r.review_interval_months
    year, month = r.reviewed.year + months // 12, months % 12 + 1
    return dt.date(year, month, min(r.reviewed.day, calendar.monthrange(year, month)[1]))


def is_overdue(r: Routine, today: dt.date) -> bool:
    return due_date(r) <= today


@dataclass(frozen=True)
class Due:
    routine: Routine
    due: dt.date
    overdue: bool


def review(project: Project, today: dt.date, within_days: int = 0) -> list[Due]:
    """Routines overdue on ``today``, and those due within ``within_days``, earliest first."""
    horizon = today + dt.timedelta(days=within_days)
    out = [Due(r, due_date(r), is_overdue(r, today)) for r in project.routines.values() if due_date(r) <= horizon]
    return sorted(out, key=lambda d: (d.due, d.routine.id))


def format_review(project: Project, dues: list[Due]) -> str:
    if not dues:
        return "Inga rutiner behöver granskas.\n"
    by_owner: dict[str, list[Due]] = defaultdict(list)
    for d in dues:
        by_owner[d.routine.owner].append(d)
    lines = []
    for owner in sorted(by_owner, key=lambda o: (project.units[o].name if o in project.units else o).lower()):
        name = project.units[owner].name if owner in project.units else owner
        lines.append(f"{name} ({len(by_owner[owner])})")
        for d in by_owner[owner]:
            state = "försenad sedan" if d.overdue else "ska granskas senast"
            lines.append(f"  {d.routine.id}: {d.routine.title} – {state} {d.due.isoformat()} "
                         f"(granskad {d.routine.reviewed.isoformat()}, {project.docs[('routine', d.routine.id)].path})")
        lines.append("")
    overdue = sum(d.overdue for d in dues)
    lines.append(f"{overdue} försenade, {len(dues) - overdue} som snart ska granskas.")
    return "\n".join(lines) + "\n"
