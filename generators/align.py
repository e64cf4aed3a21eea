"""Programme alignment: where the guidance on betänketid and the rights package is covered.

For each requirement (``content/requirements/``) and one programme version
(``content/programmes/``), coverage is computed at three levels:

- programme: the commitments whose ``addresses:`` name the requirement;
- practice: routines with a step that declares ``implements: [requirement]``, done
  by an actor the programme binds (a municipal unit, or one the requirement names
  in ``actors:``), in words that use one of the requirement's ``key_terms:`` when it
  has any. Citing the requirement's article is not doing it: a routine that cites
  one of its provisions (or a part of one: ``artikel 12.1 c`` is a part of
  ``artikel 12.1``) without such a step is reported as "nämns men genomförs inte";
- knowledge: training modules with a segment or question that declares
  ``teaches: [requirement]``.

A requirement is covered when all three levels are. The programme's own wording
(goals and commitments, not our description of it) must also use the terms that
requirements ask for. A requirement may be waived, with a justification and a
date; a waived requirement does not fail the alignment.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterator

from .graph import Project, Resolved
from .model import Programme, Requirement, Waiver


MUNICIPAL_KINDS = ("stadens verksamhet", "förvaltning", "nämnd")


@dataclass(frozen=True)
class Claim:
    """A routine step that declares it implements a requirement, and why it does not count (empty: it counts)."""

    routine: str
    step: int  # index in the routine's steps
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class Coverage:
    requirement: Requirement
    programme: list[str]  # commitment ids
    routines: list[str]
    training: list[str]
    waiver: Waiver | None = None
    mentioned: list[str] = field(default_factory=list)  # routines that cite the requirement but implement no step
    claims: list[Claim] = field(default_factory=list)
    comments: list[Any] = field(default_factory=list)  # reviewers' comments on the requirement (content/remissvar/)

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


def _comment_json(c: Any) -> dict[str, Any]:
    return {"id": c.id, "author": c.author, "date": c.date, "text": c.text, "quoted": c.quoted,
            "response": c.response, "open": not c.response}


@dataclass
class Alignment:
    programme: Programme
    requirements: list[Coverage] = field(default_factory=list)
    terms: list[TermCheck] = field(default_factory=list)
    #: reviewers' comments on the programme's own blocks: 'åtagande/<id>' or 'mål/<id>' -> comments
    block_comments: dict[str, list[Any]] = field(default_factory=dict)

    @property
    def aligned(self) -> bool:
        return all(c.ok for c in self.requirements) and all(t.found for t in self.terms)

    @property
    def open_findings(self) -> list[tuple[Requirement, Any]]:
        return [(c.requirement, f) for c in self.requirements for f in c.requirement.findings if f.status == "öppen"]

    def all_comments(self) -> list[Any]:
        return [x for c in self.requirements for x in c.comments] + \
            [x for items in self.block_comments.values() for x in items]

    def verdict(self) -> str:
        """The result in one sentence: never a plain "i linje" while findings are open."""
        if not self.aligned:
            return "Programmet är inte i linje med vägledningen."
        n = len(self.open_findings)
        if n:
            return f"Programmet är i linje med vägledningen, med {n} öppen avvikelse." if n == 1 else \
                f"Programmet är i linje med vägledningen, med {n} öppna avvikelser."
        return "Programmet är i linje med vägledningen."

    @property
    def uncovered(self) -> list[Coverage]:
        return [c for c in self.requirements if not c.ok]

    def to_json(self) -> dict[str, Any]:
        return {
            "programme": {"id": self.programme.id, "title": self.programme.title, "status": self.programme.status},
            "requirements": [{
                "id": c.requirement.id, "title": c.requirement.title, "covered": c.covered,
                "waived": c.waiver is not None, "programme": c.programme, "routines": c.routines,
                "training": c.training, "mentioned_not_implemented": c.mentioned,
                "steps": [{"routine": cl.routine, "step": cl.step + 1, "counts": not cl.problems,
                           "problems": list(cl.problems)} for cl in c.claims],
                "findings": [{"id": f.id, "title": f.title, "against": f.against, "severity": f.severity,
                              "date": f.date.isoformat(), "status": f.status, "position": f.position,
                              "legal": list(f.legal)} for f in c.requirement.findings],
                "comments": [_comment_json(x) for x in c.comments],
            } for c in self.requirements],
            "programme_comments": {anchor: [_comment_json(x) for x in items]
                                   for anchor, items in sorted(self.block_comments.items())},
            "terms": [{"term": t.term, "requirement": t.requirement, "found": t.found} for t in self.terms],
            "summary": {
                "requirements": len(self.requirements),
                "covered": sum(c.covered for c in self.requirements),
                "waived": sum(c.waiver is not None for c in self.requirements),
                "uncovered": [c.requirement.id for c in self.uncovered],
                "missing_terms": [t.term for t in self.terms if not t.found],
                "open_findings": [f"{r.id}/{f.id}" for r, f in self.open_findings],
                "open_comments": sum(not x.response for x in self.all_comments()),
                "aligned": self.aligned,
                "verdict": self.verdict(),
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
    return _term_rx(term).search(text) is not None


def any_term_found(terms: tuple[str, ...], text: str) -> bool:
    """Whether ``term_found`` holds for one of ``terms``, in one search of ``text`` for all of them: a requirement's
    key terms against each step that claims it (56,674 steps at 10,000 routines of the benchmark's content)."""
    return bool(terms) and _terms_rx(terms).search(text) is not None


@lru_cache(maxsize=4096)
def _term_rx(term: str) -> re.Pattern[str]:
    return _terms_rx((term,))


@lru_cache(maxsize=4096)
def _terms_rx(terms: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(rf"(?<![\wåäöÅÄÖ])(?:{'|'.join(map(re.escape, terms))})", re.IGNORECASE)


def step_claims(project: Project, req: Requirement) -> list[Claim]:
    """Every step that declares it implements ``req``, with the reasons it does not count (if any)."""
    claims = []
    terms = tuple(req.key_terms)
    for rid, i in project.implemented_by.get(req.id, []):
        step = project.routines[rid].steps[i]
        problems = []
        unit = project.units.get(step.actor)
        if unit is not None and unit.kind not in MUNICIPAL_KINDS and step.actor not in req.actors:
            problems.append(f"aktören {step.actor!r} är ingen kommunal enhet och inte utpekad i kravets actors:")
        if terms:
            own = " ".join(x for x in (step.action, step.note or "") if x)
            if not any_term_found(terms, own):
                problems.append("stegets text använder inget av kravets nyckelord (" +
                                ", ".join(f"”{t}”" for t in req.key_terms) + ")")
        claims.append(Claim(rid, i, tuple(problems)))
    return claims


@dataclass(frozen=True)
class Practice:
    """What the routines do about one requirement; the same for every programme version."""

    claims: list[Claim]  # every step that declares it implements the requirement
    routines: list[str]  # routines with a step that counts, in content order
    mentioned: list[str]  # routines that cite the requirement's provisions but carry out none of it


def practice(project: Project) -> dict[str, Practice]:
    """Practice coverage of every requirement, computed in one pass over the routines' citations.

    A routine "mentions" a requirement when one of its citations is the requirement's provision (or a part of it)
    and it has no counted step. A citation that is the subject of another requirement the routine implements is
    accounted for: a routine that implements the interpreter requirement (artikel 12.1 c) is not "mentioning" the
    whole rights package (12.1).
    """
    if _memo is not None:
        key = ("practice", id(project))
        if key not in _memo:
            _memo[key] = (project, _practice(project))  # the project is kept, so that its id is not reused
        return _memo[key][1]
    return _practice(project)


def _practice(project: Project) -> dict[str, Practice]:
    subject = {rid: {r.canonical_id for r in project.cited.get(("requirement", rid), [])}
               for rid in project.requirements}
    does: dict[str, set[str]] = {}
    for rid in project.requirements:
        for routine, _i in project.implemented_by.get(rid, []):
            does.setdefault(routine, set()).update(subject[rid])
    # Which requirements each key is the subject of; then, once per distinct citation (the resolver hands out one
    # object per citation text), its keys and the requirements it touches. One pass over the routines' citations.
    wanted_by: dict[str, list[str]] = {}
    for rid, keys in subject.items():
        for k in keys:
            wanted_by.setdefault(k, []).append(rid)
    touched: dict[int, tuple[set[str], set[str]]] = {}
    mentions: dict[str, set[str]] = {rid: set() for rid in project.requirements}
    nothing: set[str] = set()
    for routine in project.routines:
        own = does.get(routine, nothing)
        for res in project.cited.get(("routine", routine), ()):
            found = touched.get(id(res))
            if found is None:
                keys = _keys(res)
                found = touched[id(res)] = (keys, {r for k in keys for r in wanted_by.get(k, ())})
            keys, reqs = found
            if reqs and not keys & own:
                for rid in reqs:
                    mentions[rid].add(routine)
    order = {rid: i for i, rid in enumerate(project.routines)}
    out = {}
    for req in project.requirements.values():
        claims = step_claims(project, req)
        counted = {cl.routine for cl in claims if not cl.problems}
        mentioned = sorted(mentions[req.id] - counted, key=order.__getitem__)
        out[req.id] = Practice(claims, sorted((r for r in counted if r in order), key=order.__getitem__), mentioned)
    return out


#: While checks run (``memoized()``), practice and alignments are worked out once per project and programme.
_memo: dict[Any, Any] | None = None


@contextmanager
def memoized() -> Iterator[None]:
    """Remember practice() and align() while the project is not changed (one run of the checks)."""
    global _memo
    outer = _memo
    _memo = {} if outer is None else outer
    try:
        yield
    finally:
        _memo = outer


def align(project: Project, programme: Programme) -> Alignment:
    if _memo is not None:
        key = ("align", id(project), id(programme))
        if key not in _memo:
            _memo[key] = (project, programme, _align(project, programme))
        return _memo[key][2]
    return _align(project, programme)


def _align(project: Project, programme: Programme) -> Alignment:
    commitments: dict[str, list[str]] = {}
    for g in programme.goals:
        for c in g.commitments:
            for rid in c.addresses:
                commitments.setdefault(rid, []).append(c.id)
    waivers = {w.requirement: w for w in programme.waivers}
    result = Alignment(programme)
    by_anchor: dict[str, list[Any]] = {}
    for answers in project.remissvar.values():
        if answers.programme == programme.id:
            for comment in answers.comments:
                by_anchor.setdefault(comment.anchor, []).append(comment)
    result.block_comments = {k: v for k, v in by_anchor.items() if not k.startswith("krav/")}
    text = programme_text(programme)
    done = practice(project)
    for req in project.requirements.values():
        claims, routines, mentioned = done[req.id].claims, done[req.id].routines, done[req.id].mentioned
        taught = {mid for mid, _part, _i in project.taught_by.get(req.id, [])}
        training = [mid for mid in project.modules if mid in taught]
        result.requirements.append(Coverage(req, commitments.get(req.id, []), routines, training,
                                            waivers.get(req.id), mentioned, claims, by_anchor.get(f"krav/{req.id}", [])))
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
        if c.mentioned:
            lines.append(f"    nämns men genomförs inte: {', '.join(c.mentioned)}")
        for cl in c.claims:
            if cl.problems:
                lines.append(f"    räknas inte: {cl.routine} steg {cl.step + 1}: {'; '.join(cl.problems)}")
        lines.append(f"    utbildning: {', '.join(c.training) or '–'}")
        if c.waiver:
            lines.append(f"    undantag {c.waiver.date.isoformat()}: {' '.join(c.waiver.justification.split())}")
        for f in c.requirement.findings:
            state = "ÖPPEN" if f.status == "öppen" else "besvarad"
            lines.append(f"    avvikelse ({state}, {f.severity}, mot {f.against}): {f.title}")
        for x in c.comments:
            lines.append(f"    kommentar ({'öppen' if not x.response else 'besvarad'}) av {x.author}: {x.text}")
    for anchor, items in sorted(a.block_comments.items()):
        for x in items:
            lines.append(f"  kommentar till {anchor} ({'öppen' if not x.response else 'besvarad'}) av {x.author}: {x.text}")
    lines.append("")
    for t in a.terms:
        lines.append(f"{_mark(t.found)} ordet ”{t.term}” {'finns' if t.found else 'saknas'} i programmets text "
                     f"(krav {t.requirement})")
    s = a.to_json()["summary"]
    lines += ["", f"{s['covered']} av {s['requirements']} krav täckta, {s['waived']} undantagna, "
              f"{len(s['uncovered'])} otäckta; {len(s['missing_terms'])} ord saknas. "
              + (a.verdict() if a.aligned else "Programmet är INTE i linje med vägledningen.")]
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
    open_findings = a.open_findings
    if open_findings:
        lines += ["", "Öppna avvikelser:", ""]
        lines += [f"- {f.title} (krav `{r.id}`, {f.severity}, mot {f.against})" for r, f in open_findings]
    lines += ["", f"**{a.verdict()}**"]
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


def _short(a: Alignment) -> str:
    if not a.aligned:
        return "inte i linje"
    n = len(a.open_findings)
    return f"i linje, med {n} {'öppen avvikelse' if n == 1 else 'öppna avvikelser'}" if n else "i linje"


def format_compare(old: Alignment, new: Alignment, fmt: str = "text") -> str:
    changes = compare(old, new)
    became = [c for c in changes if c.after]
    lost = [c for c in changes if not c.after]
    old_terms = {t.term: t.found for t in old.terms}
    term_changes = [t for t in new.terms if old_terms.get(t.term) != t.found]
    old_f = {f"{r.id}/{f.id}" for r, f in old.open_findings}
    new_f = {f"{r.id}/{f.id}" for r, f in new.open_findings}
    old_c = {c.id: c for c in old.all_comments()}
    new_c = {c.id: c for c in new.all_comments()}
    comments_opened = sorted(i for i, c in new_c.items() if not c.response and (i not in old_c or old_c[i].response))
    comments_closed = sorted(i for i, c in old_c.items() if not c.response and (i not in new_c or new_c[i].response))
    if fmt == "json":
        import json

        return json.dumps({"old": old.programme.id, "new": new.programme.id,
                           "became_covered": [c.requirement for c in became],
                           "became_uncovered": [c.requirement for c in lost],
                           "terms": [{"term": t.term, "before": old_terms.get(t.term, False), "after": t.found}
                                     for t in term_changes],
                           "findings_opened": sorted(new_f - old_f), "findings_closed": sorted(old_f - new_f),
                           "comments_opened": comments_opened, "comments_closed": comments_closed,
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
    for label, items in (("Öppnade avvikelser", sorted(new_f - old_f)), ("Stängda avvikelser", sorted(old_f - new_f)),
                         ("Öppnade kommentarer", comments_opened), ("Stängda kommentarer", comments_closed)):
        if items:
            lines.append(f"{label} ({len(items)}):")
            lines += [f"  {x}" for x in items]
    lines += ["", f"{old.programme.id}: {_short(old)}; {new.programme.id}: {_short(new)}."]
    return "\n".join(lines) + "\n"
