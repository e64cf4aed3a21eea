"""Review lifecycle and open questions: what the förvaltning has to look at, by owner.

- When each adopted or reviewed routine is due for review, and which are overdue.
- Which routines are still drafts (utkast) or out for consultation (remiss).
- The open questions in the content, by the unit that can answer them.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from .graph import Asked, Project
from .model import Routine

PLACES_SHOWN = 10  # records listed per open question on the site and in Word; `review --questions` lists every one
STATUS_LABELS = {"utkast": "Utkast", "remiss": "Remissversion", "fastställd": "Fastställd"}


def status_notice(rec: Any, noun: str) -> tuple[str, str] | None:
    """The banner of a record that is not adopted, as (title, text); None when it is fastställd.

    One wording for the site and the documents. A routine with a Först block says that the block always holds in
    acute danger; a unit description asks nothing of the reader.
    """
    if rec.status == "fastställd":
        return None
    if rec.status == "utkast":
        title, text = "Utkast – inte fastställd.", f"{noun} bygger på offentliga dokument och lagtext och är inte " \
            "beslutad av förvaltningen."
    else:
        title, text = "Remissversion – inte fastställd.", f"{noun} är ute på remiss och kan ändras innan den fastställs."
    if getattr(rec, "first", None) is not None:
        text += " Vid akut fara: följ alltid Först-blocket. Stäm av övriga steg med din chef."
    elif isinstance(rec, Routine):
        text += " Stäm av med din chef innan du följer den."
    return title, text


def handbook_notice(project: Project) -> tuple[str, str] | None:
    """What the handbook as a whole is, as (title, text), while any routine is not adopted; None when all are."""
    drafts = sum(r.status != "fastställd" for r in project.routines.values())
    if not drafts:
        return None
    return "Utkast – inte fastställt.", f"{drafts} av {len(project.routines)} rutiner bygger på offentliga dokument " \
        "och lagtext och är ännu inte beslutade av förvaltningen. Stäm av med din chef innan du följer en rutin som " \
        "inte är fastställd."


def material_notice(project: Project) -> tuple[str, str]:
    """What a training pack is, as (title, text): made here from the handbook, with no decision on record (a course
    has no status to give), so a draft even when every routine is adopted. The organisation is named, since the
    packs go to staff in other municipalities, for whom "förvaltningen" would be their own."""
    org = project.organisation
    who = f"{org.department[:1].lower()}{org.department[1:]} i {org.name}" if org.department else org.name
    text = f"Materialet är sammanställt ur rutinhandboken och är inte beslutat av {who}."
    drafts = sum(r.status != "fastställd" for r in project.routines.values())
    if drafts:
        text += (f" {drafts} av {len(project.routines)} rutiner i handboken är inte heller "
                 f"{'fastställd' if drafts == 1 else 'fastställda'}. Stäm av med din chef innan du följer en rutin som "
                 "inte är fastställd.")
    return "Utkast – inte fastställt.", text


def basis_date(r: Routine) -> dt.date | None:
    """The date the review interval runs from: the latest review or adoption; None for a draft never reviewed."""
    dates = [d for d in (r.reviewed, r.approved) if d is not None]
    return max(dates) if dates else None


def due_date(r: Routine) -> dt.date | None:
    """The day the routine is due: its basis date plus ``review_interval_months`` (end of month when shorter)."""
    basis = basis_date(r)
    if basis is None:
        return None
    months = basis.month - 1 + r.review_interval_months
    year, month = basis.year + months // 12, months % 12 + 1
    return dt.date(year, month, min(basis.day, calendar.monthrange(year, month)[1]))


def is_overdue(r: Routine, today: dt.date) -> bool:
    due = due_date(r)
    return due is not None and due <= today


@dataclass(frozen=True)
class Due:
    routine: Routine
    due: dt.date
    overdue: bool


def review(project: Project, today: dt.date, within_days: int = 0) -> list[Due]:
    """Routines overdue on ``today``, and those due within ``within_days``, earliest first."""
    horizon = today + dt.timedelta(days=within_days)
    out = []
    for r in project.routines.values():
        due = due_date(r)
        if due is not None and due <= horizon:
            out.append(Due(r, due, due <= today))
    return sorted(out, key=lambda d: (d.due, d.routine.id))


def _unit_name(project: Project, uid: str) -> str:
    return project.units[uid].name if uid in project.units else uid


def format_review(project: Project, dues: list[Due]) -> str:
    lines = []
    drafts = [r for r in project.routines.values() if r.status != "fastställd"]
    if drafts:
        by_owner: dict[str, list[Routine]] = defaultdict(list)
        for r in drafts:
            by_owner[r.owner].append(r)
        lines.append(f"Inte fastställda ({len(drafts)}): rutiner som väntar på granskning och beslut")
        for owner in sorted(by_owner, key=lambda o: _unit_name(project, o).lower()):
            lines.append(f"  {_unit_name(project, owner)} ({len(by_owner[owner])})")
            for r in sorted(by_owner[owner], key=lambda r: r.title.lower()):
                lines.append(f"    {r.title} – {STATUS_LABELS[r.status].lower()}, senast ändrad "
                             f"{r.updated.isoformat()} ({project.docs[('routine', r.id)].path})")
        lines.append("")
    if not dues:
        lines.append("Inga fastställda eller granskade rutiner behöver granskas.")
        return "\n".join(lines) + "\n"
    by_owner_due: dict[str, list[Due]] = defaultdict(list)
    for d in dues:
        by_owner_due[d.routine.owner].append(d)
    for owner in sorted(by_owner_due, key=lambda o: _unit_name(project, o).lower()):
        lines.append(f"{_unit_name(project, owner)} ({len(by_owner_due[owner])})")
        for d in by_owner_due[owner]:
            state = "försenad sedan" if d.overdue else "ska granskas senast"
            lines.append(f"  {d.routine.title} – {state} {d.due.isoformat()} "
                         f"(granskad eller fastställd {basis_date(d.routine).isoformat()}, "
                         f"{project.docs[('routine', d.routine.id)].path})")
        lines.append("")
    overdue = sum(d.overdue for d in dues)
    lines.append(f"{overdue} {'försenad' if overdue == 1 else 'försenade'}, {len(dues) - overdue} som snart ska "
                 "granskas.")
    return "\n".join(lines) + "\n"


# --- open questions -------------------------------------------------------------------------


def record_title(project: Project, kind: str, rid: str) -> str:
    """What a reader calls the record an open question belongs to."""
    rec = project.table(kind).get(rid)
    for attr in ("title", "name", "term", "label"):
        value = getattr(rec, attr, None)
        if isinstance(value, str):
            return value
    return rid


@dataclass(frozen=True)
class Question:
    """One open question to one unit, and every record that asks it (the same question may stand in several)."""

    question: Any
    places: tuple[Asked, ...]


def _grouped(project: Project) -> dict[str, dict[str, list[Asked]]]:
    """Unit id -> each question to it (by its text, spacing and case aside) -> the places that ask it, unordered."""
    groups: dict[str, dict[str, list[Asked]]] = defaultdict(dict)
    for a in project.open_questions():
        key = " ".join(a.question.question.split()).lower()
        groups[a.question.ask].setdefault(key, []).append(a)
    return groups


def question_counts(project: Project) -> list[tuple[str, int]]:
    """How many questions each unit is asked, in the order of questions_by_unit, without finding any line."""
    groups = _grouped(project)
    return [(uid, len(groups[uid])) for uid in sorted(groups, key=lambda u: _unit_name(project, u).lower())]


def questions_by_unit(project: Project) -> list[tuple[str, list[Question]]]:
    """The open questions grouped by who can answer them, the same question once, in a stable order."""
    groups = _grouped(project)

    # Ordered by (record kind, title, file, line). Each record's title is looked up once; a line only when two
    # places tie on the rest, since finding it parses the file (a file from the cache has no positions until asked).
    titles: dict[tuple[str, str], str] = {}
    lines: dict[int, int] = {}

    def head(a: Asked) -> tuple:
        title = titles.get((a.kind, a.id))
        if title is None:
            title = titles[(a.kind, a.id)] = record_title(project, a.kind, a.id).lower()
        return (a.kind != "routine", title, a.path)

    def line(a: Asked) -> int:
        if id(a) not in lines:
            lines[id(a)] = a.pos.line
        return lines[id(a)]

    def ordered(items: list, place) -> list:
        """``items`` sorted by head(place(item)) and then line(place(item)), as one sort by the whole key would."""
        keyed = sorted(((head(place(x)), x) for x in items), key=lambda kx: kx[0])
        out, i = [], 0
        while i < len(keyed):
            j = i + 1
            while j < len(keyed) and keyed[j][0] == keyed[i][0]:
                j += 1
            run = [x for _, x in keyed[i:j]]
            out.extend(sorted(run, key=lambda x: line(place(x))) if j - i > 1 else run)
            i = j
        return out

    out = []
    for uid in sorted(groups, key=lambda u: _unit_name(project, u).lower()):
        qs = [Question(places[0].question, tuple(ordered(places, lambda a: a))) for places in groups[uid].values()]
        out.append((uid, ordered(qs, lambda q: q.places[0])))
    return out


def format_questions(project: Project) -> str:
    groups = questions_by_unit(project)
    total = sum(len(qs) for _, qs in groups)
    if not total:
        return "Inga öppna frågor.\n"
    lines = [f"Öppna frågor till förvaltningen ({total})", ""]
    for uid, qs in groups:
        lines.append(f"{_unit_name(project, uid)} ({len(qs)})")
        for q in qs:
            for a in q.places:
                lines.append(f"  {project.content_path(a.path)}:{a.pos.line}: {record_title(project, a.kind, a.id)}")
            oq = q.question
            lines.append(f"    Fråga: {' '.join(oq.question.split())}")
            lines.append(f"    Varför: {' '.join(oq.why.split())}")
            if oq.meanwhile:
                lines.append(f"    Till dess: {' '.join(oq.meanwhile.split())}")
        lines.append("")
    return "\n".join(lines)
