"""What every renderer looks up: names, links, footnote texts, measures and training.

The site (Markdown for mkdocs) and the documents (Markdown for pandoc) share
these lookups, so that a footnote, a legal note or a municipality's variant
reads the same on the site and in Word.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import re
from dataclasses import dataclass, replace
from typing import Any, Callable, Sequence, TypeVar

from markupsafe import Markup

from ..graph import Project, ProseDoc, Resolved
from ..model import Course, Measure, Module, Municipality, Routine, Segment, Source, Variant
from ..prose import ProseRef, substitute
from .templating import html_escape, pandoc_escape, sv_date


@dataclass(frozen=True)
class LegalLink:
    label: str
    page: str  # relative to the site root, e.g. lagar/osl.md#k10-p23
    url: str  # the official text
    summary: str


@dataclass(frozen=True)
class Note:
    """A footnote's text, and the link that goes with it."""

    text: str
    url: str | None = None
    link_label: str = ""


def partial_date(value: str) -> dt.date:
    """The first day that a partial date (2021, 2021-12, 2021-12-15) covers."""
    parts = [int(x) for x in value.split("-")] + [1, 1]
    return dt.date(parts[0], parts[1], parts[2])


def tel_href(value: str) -> str:
    """A tel: link for a number as written: its digits (and a leading +)."""
    return "tel:" + re.sub(r"(?!^\+)[^\d]", "", value.strip())


T = TypeVar("T")


def quiz_options(module_id: str, number: int, options: Sequence[T]) -> list[T]:
    """A self-check question's options in the order they are shown, on the site and in every document.

    The order is a shuffle seeded by what identifies the question: its module's id and its number in the
    module (1-based, as the site and the documents number it), e.g. ``betanketid-och-rattigheter#2``. The
    content can then keep the right answer first without giving it away. The seed comes from SHA-256, not
    from ``hash()``, so the order is the same in every run whatever PYTHONHASHSEED is.
    """
    key = f"{module_id}#{number}".encode("utf-8")
    rng = random.Random(int.from_bytes(hashlib.sha256(key).digest(), "big"))
    shown = list(options)
    rng.shuffle(shown)
    return shown


@dataclass(frozen=True)
class FirstBlock:
    """What a routine's Först block says, the shared lines and the routine's own, in reading order."""

    danger: str
    now: list[str]
    after_hours: str
    after_hours_unit: str
    office_hours: str
    call: str
    ask: str
    have_ready: list[str]
    responsibility: str
    responsibility_basis: list[Resolved]

    @property
    def have_ready_text(self) -> str:
        """The things to have ready as one sentence: 'Var personen är; vilket språk hen talar.'"""
        items = [" ".join(h.split()).rstrip(".") for h in self.have_ready]
        # Later items continue the sentence: "Var personen är; om hen samtycker." (but "EU", "IOM" keep their case)
        items[1:] = [h[0].lower() + h[1:] if len(h) > 1 and h[0].isupper() and h[1].islower() else h for h in items[1:]]
        return "; ".join(items) + "."


class View:
    """Lookups that templates need, with site links relative to the site root."""

    def __init__(self, project: Project, downloads: dict[str, Any] | None = None):
        self.p = project
        #: The built documents the site offers (finish.Download by path under dist/); empty in a preview.
        self.downloads = downloads or {}
        phones = sorted({e.value for a in project.allowlists.values() for e in a.entries if e.kind == "phone"},
                        key=len, reverse=True)
        # A listed number wherever it is written with spaces or dashes of its own: "08-508 40 000", "112".
        self._phone_re = re.compile("|".join(
            r"(?<![\d:/.,])" + r"[\s\u00a0-]?".join(re.escape(ch) for ch in re.sub(r"[^\d+]", "", v)) + r"(?![\d])"
            for v in phones)) if phones else None

    def record_page(self, kind: str, rid: str) -> str:
        """The site page (relative to the site root, as a Markdown link target) that shows a record."""
        if kind == "measure" and rid in self.p.measures:
            return f"handlingsplan/{self.p.measures[rid].plan}/index.md"
        pages = {"routine": "rutiner/{id}.md", "unit": "enheter/{id}.md", "legal": "lagar/{id}.md",
                 "term": "begrepp.md#{id}", "source": "kallor.md#{id}", "municipality": "kommuner.md",
                 "requirement": "avstamning/{id}.md", "module": "utbildning/{id}.md", "programme": "avstamning/index.md",
                 "plan": "handlingsplan/{id}/index.md", "figure": "uppfoljning.md", "course": "utbildning/index.md",
                 "first": "rutiner/index.md"}
        return pages.get(kind, "index.md").format(id=rid)

    # -- contact routes ------------------------------------------------------------------
    def contacts_for(self, uid: str) -> list[Any]:
        """The official contact points of a unit, from content/privacy/."""
        return [e for a in self.p.allowlists.values() for e in a.entries if e.unit == uid]

    def phone_parts(self, text: str) -> list[tuple[str, str | None]]:
        """``text`` cut into (part, tel link or None), so that each listed number can become a link."""
        if self._phone_re is None:
            return [(text, None)]
        out: list[tuple[str, str | None]] = []
        last = 0
        for m in self._phone_re.finditer(text):
            out.append((text[last:m.start()], None))
            out.append((m.group(0), tel_href(m.group(0))))
            last = m.end()
        out.append((text[last:], None))
        return [(t, h) for t, h in out if t]

    def tel(self, text: str) -> Markup:
        """Site Markdown: the text escaped, with each listed phone number as a tel: link."""
        return Markup("".join(f"[{html_escape(t)}]({h}){{ .handbok-tel }}" if h else str(html_escape(t))
                              for t, h in self.phone_parts(" ".join(str(text).split()))))

    def first(self, r: Routine) -> FirstBlock | None:
        d = self.p.first_defaults
        if r.first is None or d is None:
            return None
        cites = self.citations_of("first", d.id)
        return FirstBlock(r.first.danger or d.danger, list(r.first.now), d.after_hours, d.after_hours_unit,
                          d.office_hours, r.first.call, r.first.ask, list(r.first.have_ready),
                          r.first.responsibility or d.responsibility,
                          [cites[c] for c in d.responsibility_basis if c in cites])

    # -- names and links ---------------------------------------------------------------
    def unit_name(self, uid: str) -> str:
        u = self.p.units.get(uid)
        return u.name if u else uid

    def routine(self, rid: str) -> Routine | None:
        return self.p.routines.get(rid)

    def source(self, sid: str) -> Source | None:
        return self.p.sources.get(sid)

    def legal_link(self, res: Resolved) -> LegalLink:
        anchor = f"#{res.node.anchor}" if res.node is not None else ""
        summary = res.node.provision.summary if res.node is not None else ""
        return LegalLink(res.label, f"lagar/{res.law.id}.md{anchor}", res.url, summary)

    def citations_of(self, kind: str, rid: str) -> dict[str, Resolved]:
        """Each cited text and what it resolved to; a list ("2 och 6 §§ LVU") by its first provision, shown whole."""
        out: dict[str, Resolved] = {}
        for r in self.p.cited.get((kind, rid), []):
            out.setdefault(r.text, r)
        return out

    @staticmethod
    def titles(ids: list[str], table: dict[str, Any]) -> str:
        return "; ".join(table[i].title for i in ids if i in table)

    def routines_for(self, target: str) -> list[Routine]:
        rs = [r for r in self.p.routines.values() if target in r.target_groups]
        return sorted(rs, key=lambda r: (not r.featured, r.title.lower()))

    # -- footnotes ---------------------------------------------------------------------
    def source_note(self, sid: str, locator: str | None = None) -> Note:
        src = self.p.sources[sid]
        parts = [src.title, src.issuer]
        if src.diarienummer:
            parts.append(src.diarienummer)
        if src.date:
            parts.append(sv_date(src.date))
        if src.read:
            parts.append(f"läst {sv_date(src.read)}")
        if locator:
            parts.append(locator)
        return Note(", ".join(parts) + ".", src.url, "källan" if src.url else "")

    def legal_note(self, res: Resolved, as_of: dt.date | None = None) -> Note:
        """The provision, its summary and, for a text dated ``as_of``, what has changed in the law since."""
        text = res.label
        if res.node is not None:
            text += f": {res.node.provision.summary.rstrip('.')}."
        else:
            text += "."
        text += self.currency(res, as_of)
        return Note(text, res.url, "officiell text")

    def currency(self, res: Resolved, as_of: dt.date | None = None) -> str:
        """'Upphävd …; i dag gäller …' and dated changes after ``as_of``, as one sentence each."""
        out = []
        repealed = res.repealed
        if repealed and (as_of is None or repealed > as_of):
            successor = res.successor(self.p.legal)
            out.append(f" Upphävd {sv_date(repealed)}" + (f"; motsvaras i dag av {successor}." if successor else "."))
        for ch in res.changes:
            if as_of is not None and ch.date <= as_of:
                continue
            out.append(f" Ändrat {sv_date(ch.date)}: {ch.text.rstrip('.')}.")
        return "".join(out)

    def prose_note(self, doc: ProseDoc, ref: ProseRef, as_of: dt.date | None) -> Note | None:
        target = doc.target(ref)
        if isinstance(target, Source):
            return self.source_note(target.id, ref.locator)
        if isinstance(target, Resolved):
            return self.legal_note(target, as_of)
        return None

    def prose(self, file: str, as_of: dt.date | None, note: Callable[[Note], str]) -> Markup:
        """A chapter's Markdown with each reference replaced by ``note(...)`` (a footnote marker)."""
        doc = self.p.prose[file]
        return Markup(substitute(doc.prose.text, doc.refs, lambda ref: _note_or_text(self.prose_note(doc, ref, as_of), ref, note)))

    # -- the action plan ----------------------------------------------------------------
    def measures_in(self, plan_id: str, area: int) -> list[Measure]:
        return [self.p.measures[m] for m in self.p.measures_by_area.get((plan_id, area), [])]

    def plan_measures(self, plan_id: str) -> list[Measure]:
        return sorted((m for m in self.p.measures.values() if m.plan == plan_id), key=lambda m: (m.area, m.title))

    # -- training --------------------------------------------------------------------------
    def module(self, mid: str) -> Module:
        return self.p.modules[mid]

    #: The options of question ``number`` of a module, in the order they are shown.
    quiz_options = staticmethod(quiz_options)

    def segment_citations(self, mod: Module, seg: Segment) -> list[Resolved]:
        cites = self.citations_of("module", mod.id)
        return [cites[c] for c in seg.legal if c in cites]

    def module_routines(self, mod: Module) -> list[str]:
        return list(dict.fromkeys(r for s in mod.segments for r in s.routines))

    def module_citations(self, mod: Module) -> list[Resolved]:
        seen: dict[str, Resolved] = {}
        for s in mod.segments:
            for res in self.segment_citations(mod, s):
                seen.setdefault(res.canonical_id, res)
        return list(seen.values())

    def course_minutes(self, course: Course) -> int:
        return sum(self.p.modules[m].duration_minutes for m in course.modules)

    def downloads_under(self, prefix: str) -> list[Any]:
        """The built documents whose path starts with ``prefix`` (e.g. 'utbildning/nacka/'), in path order."""
        return [d for rel, d in sorted(self.downloads.items()) if rel.startswith(prefix)]

    #: The statuses that get a training pack, in the order the packs are planned and listed.
    PACK_STATUSES = ("ansluten", "ej ansluten", "okänd")

    def pack_municipalities(self) -> list[Municipality]:
        """The municipalities that get a training pack: those that have joined the offer, those that have not, and
        those whose status is unknown (their staff need the routes that work without an agreement most of all)."""
        ms = [m for m in self.p.municipalities.values() if m.status in self.PACK_STATUSES]
        return sorted(ms, key=lambda m: m.name)

    @staticmethod
    def variant(course: Course, municipality: Municipality) -> Variant:
        """The part of the pack for the municipality's status; unknown status falls back to not joined, which names
        only routes that work without an agreement."""
        v = course.variants
        if municipality.status == "ansluten":
            return v.ansluten
        if municipality.status == "okänd" and v.okand is not None:
            return v.okand
        return v.ej_ansluten

    @staticmethod
    def fill(text: str, municipality: Municipality | None) -> str:
        return text.replace("{kommun}", municipality.name if municipality else "kommunen")


def _note_or_text(n: Note | None, ref: ProseRef, note: Callable[[Note], str]) -> str:
    return note(n) if n is not None else ref.target


_ACRONYM = re.compile(r"^[A-ZÅÄÖ]{2,6}$|^[A-ZÅÄÖ][a-zåäö]?[A-ZÅÄÖ][A-Za-zåäö]{0,3}$")
_TERM_WITH_ACRONYM = re.compile(r"^([A-ZÅÄÖ]{2,6}) \((.+)\)$")


def abbreviations(project: Project) -> dict[str, str]:
    """Short forms the content uses, with what they stand for: from units, laws and the glossary."""
    out: dict[str, str] = {}
    for u in project.units.values():
        if u.short_name and _ACRONYM.match(u.short_name):
            out.setdefault(u.short_name, u.name)
    for law in sorted(project.legal.values(), key=lambda l: (l.repealed is not None, l.id)):
        for a in law.abbreviations:
            out.setdefault(a, law.title)  # a law in force before a repealed one with the same short form
    for t in project.terms.values():
        m = _TERM_WITH_ACRONYM.match(t.term)
        if m:
            out.setdefault(m.group(1), m.group(2))
    return dict(sorted(out.items()))


# -- footnotes in each dialect -------------------------------------------------------------

class SiteNotes:
    """Footnotes of one site page: ``[^n]`` markers, numbered in order, the same text once."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def __call__(self, n: Note) -> str:
        text = str(html_escape(n.text))
        if n.url:
            text += f" [{n.link_label}]({n.url})"
        if text not in self.texts:
            self.texts.append(text)
        return f"[^{self.texts.index(text) + 1}]"

    def definitions(self) -> Markup:
        return Markup("\n".join(f"[^{i}]: {t}" for i, t in enumerate(self.texts, 1)))


def pandoc_note(n: Note) -> Markup:
    """An inline pandoc footnote: ^[text [link](url)]."""
    text = str(pandoc_escape(n.text))
    if n.url:
        text += f" [{n.link_label}](<{n.url}>)"
    return Markup(f"^[{text}]")


def _pandoc_note_text(n: Note) -> str:
    """A note's text for inside a pandoc footnote: escaped, with its link after it."""
    text = str(pandoc_escape(n.text))
    if n.url:
        text += f" [{n.link_label}](<{n.url}>)"
    return text


#: Between the notes that one footnote lists.
NOTE_SEPARATOR = "; "


@dataclass(frozen=True)
class Statute:
    """A law or convention in a routine's Lagstöd list: the law once, with its address, and the provisions cited."""

    law: Any  # LegalSource
    title: str
    url: str
    changes: str  # what has changed in the law as a whole ('' when nothing)
    whole: bool  # the law itself is cited, not only provisions in it
    provisions: list[tuple[str, str, str]]  # (pinpoint as the reader sees it, summary, what has changed)


class Notes:
    """Footnotes for the documents (pandoc Markdown, for Word and for the PDF); each method returns Markdown.

    References that stand together make one footnote, never a run of numbers ("brottsoffer.²⁰²¹²²²³"): a
    source list gives one footnote with every source, separated by "; "; references side by side in a chapter's
    text are merged the same way; the same text is listed once in a footnote.
    """

    def __init__(self, view: View):
        self.view = view

    def note(self, items: Any) -> Markup:
        """One footnote listing ``items`` (Notes) in order, each text once; nothing when there are none."""
        texts = list(dict.fromkeys(_pandoc_note_text(n) for n in items if n is not None))
        # "Planen, 2021; Rapporten, 2022." rather than "Planen, 2021.; Rapporten, 2022."
        texts = [t[:-1] if t.endswith(".") and not t.endswith("\\.") and i < len(texts) - 1 else t
                 for i, t in enumerate(texts)]
        return Markup(f"^[{NOTE_SEPARATOR.join(texts)}]") if texts else Markup("")

    def sources(self, items: list[Any]) -> Markup:
        return self.note(self.view.source_note(s.id, s.locator) for s in items)

    def sources_until(self, items: list[Any], until: str) -> Markup:
        """One footnote with the sources dated no later than ``until`` (a partial date such as '2021-12')."""
        return self.sources([s for s in items if self._dated_until(s.id, until)])

    def sources_after(self, items: list[Any], until: str) -> Markup:
        """One footnote with the sources dated after ``until``: what later documents say (a plan's follow-up)."""
        return self.sources([s for s in items if not self._dated_until(s.id, until)])

    def _dated_until(self, sid: str, until: str) -> bool:
        src = self.view.p.sources[sid]
        when = src.date or (src.read.isoformat() if src.read else None)
        return when is None or str(when)[:len(until)] <= until

    def law(self, res: Resolved, as_of: dt.date | None = None) -> Markup:
        return self.note([self.view.legal_note(res, as_of)])

    def laws(self, citations: list[str], resolved: dict[str, Resolved], as_of: dt.date | None = None) -> Markup:
        return self.note(self.view.legal_note(resolved[c], as_of) for c in citations if c in resolved)

    def resolved(self, items: list[Resolved], as_of: dt.date | None = None) -> Markup:
        """One footnote for several resolved citations (a Först block's responsibility, for instance)."""
        return self.note(self.view.legal_note(res, as_of) for res in items)

    def prose(self, file: str, as_of: dt.date | None) -> Markup:
        """A chapter's Markdown with its references as footnotes; references side by side make one footnote."""
        doc = self.view.p.prose[file]
        text = doc.prose.text
        out: list[str] = []
        pending: list[Note] = []
        last = 0
        for ref in doc.refs:
            between = text[last:ref.start]
            n = self.view.prose_note(doc, ref, as_of)
            # Only spaces between two references (never a paragraph break): they stand together.
            together = n is not None and pending and not between.strip() and "\n\n" not in between
            if not together:
                out.append(self.note(pending))
                pending = []
                out.append(between)
            if n is None:
                out.append(ref.target)
            else:
                pending.append(n)
            last = ref.end
        out.append(self.note(pending))
        out.append(text[last:])
        return Markup("".join(out))

    @staticmethod
    def address(url: str) -> Markup:
        """A web address printed as it is and linked (pandoc's <…>), so that paper shows where it leads."""
        if re.fullmatch(r"(https?://|mailto:)[^\s<>]+", url or ""):
            return Markup(f"<{url}>")
        return pandoc_escape(url)

    def statutes(self, items: list[Resolved]) -> list[Statute]:
        """The laws that ``items`` cite, each once and in the order first cited, with the provisions cited in each.

        For a printed Lagstöd list: the law's title and address are printed once, each provision once with its
        summary, and what has changed since (in the law as a whole, or in the provision).
        """
        laws: dict[str, Statute] = {}
        seen: set[str] = set()
        order: list[tuple[str, tuple, str]] = []
        for res in items:
            if res.canonical_id in seen:
                continue
            seen.add(res.canonical_id)
            law = res.law
            st = laws.get(law.id)
            if st is None:
                st = laws[law.id] = Statute(law, law.title, law.url, self._law_changes(law), False, [])
            pin = res.shown or res.pinpoint.label()
            if not pin:
                laws[law.id] = Statute(st.law, st.title, st.url, st.changes, True, st.provisions)
                continue
            summary = res.node.provision.summary.rstrip(".") if res.node is not None else ""
            st.provisions.append((pin, summary, self._provision_changes(res)))
            order.append((law.id, _pinpoint_order(res.pinpoint), pin))
        # Within a law, the provisions in the law's own order (artikel 12, 12.1, 12.1 a …), not in citation order.
        rank = {(lid, pin): key for lid, key, pin in order}
        return [replace(st, provisions=sorted(st.provisions, key=lambda pr, lid=lid: rank[(lid, pr[0])]))
                for lid, st in laws.items()]

    def _law_changes(self, law: Any) -> str:
        out = []
        if law.repealed:
            successor = self.view.p.legal.get(law.successor) if law.successor else None
            out.append(f"Upphävd {sv_date(law.repealed)}" + (f"; ersatt av {successor.title}." if successor else "."))
        out += [f"Ändrat {sv_date(ch.date)}: {ch.text.rstrip('.')}." for ch in law.changes]
        return " ".join(out)

    def _provision_changes(self, res: Resolved) -> str:
        if res.node is None:
            return ""
        prov = res.node.provision
        out = []
        if prov.repealed and prov.repealed != res.law.repealed:
            out.append(f"Upphävd {sv_date(prov.repealed)}" + (f"; motsvaras i dag av {prov.successor}." if prov.successor else "."))
        # A change the law's own line already gives (same day) is not repeated under the provision.
        law_days = {ch.date for ch in res.law.changes} | {res.law.repealed}
        out += [f"Ändrat {sv_date(ch.date)}: {ch.text.rstrip('.')}." for ch in prov.changes if ch.date not in law_days]
        return " ".join(out)


def _pinpoint_order(pp: Any) -> tuple:
    """A sort key that puts provisions in the law's order: 4 kap. before 13 kap., 12.1 before 12.1 a, 12.2 after."""
    def num(value: str | None) -> tuple[int, str]:
        m = re.match(r"\s*(\d+)\s*(\w*)", value or "")
        return (int(m.group(1)), m.group(2)) if m else (-1, value or "")
    return (num(pp.chapter), num(pp.section), pp.stycke or 0, pp.point or 0, num(pp.article), num(pp.paragraph),
            pp.letter or "")
