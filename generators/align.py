"""Programme alignment: where the guidance on betänketid and the rights package is covered.

For each requirement (``content/requirements/``) and one programme version
(``content/programmes/``), coverage is computed at three levels:

- programme: the commitments whose ``addresses:`` name the requirement;
- practice: routines that cite one of the requirement's provisions, or a part of
  one (``artikel 12.1 c`` is a part of ``artikel 12.1``), plus the routines the
  requirement names itself;
- knowledge: training modules that cite such a provision or teach such a routine.

A requirement is covered when all three levels are. The programme's own wording
(goals and commitments, not our description of it) must also use the terms that
requirements ask for. A requirement may be waived, with a justification and a
date; a waived requirement does not fail the alignment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .graph import Project, Resolved
from .model import Programme, Requirement, Waiver


@dataclass(frozen=True)
class Coverage:
    requirement: Requirement
    programme: list[str]  # commitment ids
    routines: list[str]
    training: list[str]
    waiver: Waiver | None = None

    @property
    def covered(self) -> bool:
        return bool(self.programme and self.routines and self.training)

    @property
    def ok(self) -> bool:
        return self.covered or self.waiver is not None

    @property
    def missing(self) -> list[str]:
        """The levels without coverage, in Swedish."""
        return [label for label, items in (("programmet", self.programme), ("rutinerna", self.routines),
                                           ("utbildningen", self.training)) if not items]


@dataclass(frozen=True)
class TermCheck:
    term: str
    requirement: str
    found: bool


@dataclass
class Alignment:
    programme: Programme
    requirements: list[Coverage] = field(default_factory=list)
    terms: list[TermCheck] = field(default_factory=list)

    @property
    def aligned(self) -> bool:
        return all(c.ok for c in self.requirements) and all(t.found for t in self.terms)

    @property
    def uncovered(self) -> list[Coverage]:
        return [c for c in self.requirements if not c.ok]

    def to_json(self) -> dict[str, Any]:
        return {
            "programme": {"id": self.programme.id, "title": self.programme.title, "status": self.programme.status},
            "requirements": [{
                "id": c.requirement.id, "title": c.requirement.title, "covered": c.covered,
                "waived": c.waiver is not None, "programme": c.programme, "routines": c.routines,
                "training": c.training,
            } for c in self.requirements],
            "terms": [{"term": t.term, "requirement": t.requirement, "found": t.found} for t in self.terms],
            "summary": {
                "requirements": len(self.requirements),
                "covered": sum(c.covered for c in self.requirements),
                "waived": sum(c.waiver is not None for c in self.requirements),
                "uncovered": [c.requirement.id for c in self.uncovered],
                "missing_terms": [t.term for t in self.terms if not t.found],
                "aligned": self.aligned,
            },
        }


def _keys(res: Resolved) -> set[str]:
    """The provision a citation names and every broader one that contains it."""
    keys = {res.law.id, res.canonical_id}
    keys.update(f"{res.law.id}#{p.key}" for p in res.pinpoint.parents() if p.key)
    return keys


def programme_text(prog: Programme) -> str:
    """The programme's own wording: goals and commitments (the description is ours, not the programme's)."""
    parts = []
    for g in prog.goals:
        parts += [g.title, g.text or ""]
        parts += [c.text for c in g.commitments]
    return "\n".join(parts)


def term_found(term: str, text: str) -> bool:
    """Case-insensitive, at the start of a word; inflected forms count (betänketiden, regionkoordinatorns)."""
    return re.search(rf"(?<![\wåäöÅÄÖ]){re.escape(term)}", text, re.IGNORECASE) is not None


def align(project: Project, programme: Programme) -> Alignment:
    commitments: dict[str, list[str]] = {}
    for g in programme.goals:
        for c in g.commitments:
            for rid in c.addresses:
                commitments.setdefault(rid, []).append(c.id)
    waivers = {w.requirement: w for w in programme.waivers}
    routine_keys = {rid: set().union(*[_keys(r) for r in project.cited.get(("routine", rid), [])] or [set()])
                    for rid in project.routines}
    module_keys = {mid: set().union(*[_keys(r) for r in project.cited.get(("module", mid), [])] or [set()])
                   for mid in project.modules}
    result = Alignment(programme)
    text = programme_text(programme)
    for req in project.requirements.values():
        wanted = {r.canonical_id for r in project.cited.get(("requirement", req.id), [])}
        routines = [rid for rid in project.routines if rid in req.routines or wanted & routine_keys[rid]]
        training = [mid for mid in project.modules
                    if wanted & module_keys[mid] or any(mid in project.modules_by_routine.get(r, []) for r in routines)]
        result.requirements.append(Coverage(req, commitments.get(req.id, []), routines, training, waivers.get(req.id)))
        for term in req.programme_terms:
            result.terms.append(TermCheck(term, req.id, term_found(term, text)))
    return result


def current_draft(project: Project) -> list[Programme]:
    return [p for p in project.programmes.values() if p.status == "utkast"]


# --- reports ------------------------------------------------------------------------------

def _mark(ok: bool) -> str:
    return "✓" if ok else "✗"


def format_text(a: Alignment) -> str:
    lines = [f"Avstämning: {a.programme.title} ({a.programme.status})", ""]
    for c in a.requirements:
        state = "täckt" if c.covered else ("undantaget" if c.waiver else "saknas i " + ", ".join(c.missing))
        lines.append(f"{_mark(c.ok)} {c.requirement.id}: {c.requirement.title} – {state}")
        lines.append(f"    program: {', '.join(c.programme) or '–'}")
        lines.append(f"    rutiner: {', '.join(c.routines) or '–'}")
        lines.append(f"    utbildning: {', '.join(c.training) or '–'}")
        if c.waiver:
            lines.append(f"    undantag {c.waiver.date.isoformat()}: {' '.join(c.waiver.justification.split())}")
    lines.append("")
    for t in a.terms:
        lines.append(f"{_mark(t.found)} ordet ”{t.term}” {'finns' if t.found else 'saknas'} i programmets text "
                     f"(krav {t.requirement})")
    s = a.to_json()["summary"]
    lines += ["", f"{s['covered']} av {s['requirements']} krav täckta, {s['waived']} undantagna, "
              f"{len(s['uncovered'])} otäckta; {len(s['missing_terms'])} ord saknas. "
              + ("Programmet är i linje med vägledningen." if a.aligned else "Programmet är INTE i linje med vägledningen.")]
    return "\n".join(lines) + "\n"


def format_markdown(a: Alignment) -> str:
    lines = [f"# Avstämning: {a.programme.title}", "", "| Krav | Program | Rutiner | Utbildning | Status |",
             "|---|---|---|---|---|"]
    for c in a.requirements:
        state = "täckt" if c.covered else ("undantaget" if c.waiver else "saknas i " + ", ".join(c.missing))
        cells = [f"{c.requirement.title} (`{c.requirement.id}`)", ", ".join(c.programme) or "–",
                 ", ".join(c.routines) or "–", ", ".join(c.training) or "–", f"{_mark(c.ok)} {state}"]
        lines.append("| " + " | ".join(x.replace("|", "\\|") for x in cells) + " |")
    lines.append("")
    for t in a.terms:
        lines.append(f"- {_mark(t.found)} ”{t.term}” {'finns' if t.found else 'saknas'} i programmets text")
    lines += ["", "**I linje med vägledningen.**" if a.aligned else "**Inte i linje med vägledningen.**"]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Change:
    requirement: str
    title: str
    before: bool
    after: bool


def compare(old: Alignment, new: Alignment) -> list[Change]:
    before = {c.requirement.id: c.ok for c in old.requirements}
    return [Change(c.requirement.id, c.requirement.title, before.get(c.requirement.id, False), c.ok)
            for c in new.requirements if before.get(c.requirement.id, False) != c.ok]


def format_compare(old: Alignment, new: Alignment, fmt: str = "text") -> str:
    changes = compare(old, new)
    became = [c for c in changes if c.after]
    lost = [c for c in changes if not c.after]
    old_terms = {t.term: t.found for t in old.terms}
    term_changes = [t for t in new.terms if old_terms.get(t.term) != t.found]
    if fmt == "json":
        import json

        return json.dumps({"old": old.programme.id, "new": new.programme.id,
                           "became_covered": [c.requirement for c in became],
                           "became_uncovered": [c.requirement for c in lost],
                           "terms": [{"term": t.term, "before": old_terms.get(t.term, False), "after": t.found}
                                     for t in term_changes],
                           "old_aligned": old.aligned, "new_aligned": new.aligned},
                          ensure_ascii=False, indent=2) + "\n"
    lines = [f"Jämförelse: {old.programme.id} → {new.programme.id}", ""]
    lines.append(f"Blev täckta ({len(became)}):")
    lines += [f"  + {c.requirement}: {c.title}" for c in became] or ["  –"]
    lines.append(f"Blev otäckta ({len(lost)}):")
    lines += [f"  - {c.requirement}: {c.title}" for c in lost] or ["  –"]
    if term_changes:
        lines.append("Ord i programmets text:")
        lines += [f"  {'+' if t.found else '-'} ”{t.term}”" for t in term_changes]
    lines += ["", f"{old.programme.id}: {'i linje' if old.aligned else 'inte i linje'}; "
              f"{new.programme.id}: {'i linje' if new.aligned else 'inte i linje'}."]
    return "\n".join(lines) + "\n"
