"""Stage 5, render (site): Markdown pages in memory, one per item and one per index.

Returns ``{src_uri: markdown}``; the mkdocs plugin adds them as generated files.
No page grows with the number of routines: a list of routines longer than
LIST_LIMIT (the routine overview, the tags, a unit's, a law's or a requirement's
routines) gets pages of its own, LIST_LIMIT routines each (routine_lists).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markdown.extensions.toc import slugify_unicode

from .. import align as al
from ..graph import Project
from ..pipeline import build_date
from ..review import (PLACES_SHOWN, STATUS_LABELS, basis_date, due_date, handbook_notice, is_overdue, question_counts,
                      questions_by_unit, record_title, status_notice)
from . import charts
from .context import SiteNotes, View, partial_date
from .templating import make_env

TARGET_LABELS = {
    "vuxen": "Vuxna",
    "barn": "Barn och unga under 18 år",
    "köpare": "Köpare av sexuella handlingar",
}
TARGET_SLUGS = {"vuxen": "vuxen", "barn": "barn", "köpare": "kopare"}
TARGET_ORDER = ["vuxen", "barn", "köpare"]
KIND_SECTION = {"lag": "Lagar", "förordning": "Förordningar", "föreskrift": "Föreskrifter",
                "allmänna råd": "Allmänna råd", "konvention": "Konventioner", "direktiv": "EU-direktiv"}
START_PAGE_LIMIT = 8  # routines per target group on the start page: bounded, whatever N
# A list of routines longer than LIST_LIMIT gets pages of its own ('rutiner/vuxen/1.md', …), LIST_LIMIT routines
# each, so that no page grows with the number of routines; a shorter list stays where it is, as before. Routine links
# in a sentence (a law's provision, a routine's back-links) stop after INLINE_LIMIT and say how many there are.
LIST_LIMIT = 200
INLINE_LIMIT = 20
# The editors' page of open questions (oppna-fragor.md) lists the units asked, each with a page of its own
# ('oppna-fragor/<unit id>.md'); a unit with more than QUESTIONS_LIMIT questions gets further pages
# ('oppna-fragor/<unit id>/2.md', …), the questions shared evenly between them. A question names at most PLACES_SHOWN
# records; with all of them named it is about 2.5 kB of Markdown and 5 kB of HTML, so a page stays near 200 kB.
QUESTIONS_LIMIT = 40

# What a search result says it is, and how it ranks (assets/javascripts/search.js): 1 routines, 2 reference
# (units, laws, glossary, training, municipalities), 3 background (plan, alignment, follow-up, overviews).
# Longest prefix first; the first match wins.
PAGE_KINDS: tuple[tuple[str, str, int], ...] = (
    ("rutiner/index.md", "Översikt", 3),
    ("rutiner/", "Rutin", 1),
    ("enheter/index.md", "Översikt", 3),
    ("enheter/", "Enhet", 2),
    ("lagar/index.md", "Översikt", 3),
    ("lagar/", "Lag", 2),
    ("begrepp.md", "Begrepp", 2),
    ("utbildning/kommun/", "Utbildningspaket", 3),
    ("utbildning/", "Utbildning", 2),
    ("kommuner", "Kommun", 2),
    ("handlingsplan/", "Handlingsplan", 3),
    ("avstamning/", "Avstämning", 3),
    ("uppfoljning", "Uppföljning", 3),
    ("nedladdning", "Ladda ner", 3),
)
OTHER_KIND = ("Sida", 3)
_LIST_PAGE = re.compile(r"^[^/]+/.+/\d+\.md$")  # a page of a RoutineList: 'rutiner/vuxen/2.md', 'lagar/osl/1.md'


def page_kind(src_uri: str) -> tuple[str, int]:
    """The kind label and search rank of the page at ``src_uri`` (e.g. 'rutiner/betanketid.md')."""
    if _LIST_PAGE.match(src_uri) and not src_uri.startswith(("handlingsplan/", "utbildning/")):
        return "Översikt", 3
    for prefix, label, rank in PAGE_KINDS:
        if src_uri.startswith(prefix):
            return label, rank
    return OTHER_KIND


# What each downloadable file is, for its link text; the file name is the fallback. A Word document's PDF has the
# same title: the link says the type and size after it ("Handlingsplanen (PDF, 540 kB)").
DOWNLOAD_TITLES = {
    "rutinhandbok.docx": "Rutinhandboken, utskrivbar version",
    "handlingsplan.docx": "Handlingsplanen",
    "avstamning-betanketid.docx": "Avstämningen mot vägledningen om betänketid och rättighetspaketet (bilaga)",
    "oppna-fragor.docx": "Öppna frågor till förvaltningen, med plats för svar",
    "rutinhandbok-offline.zip": "Hela handboken för läsning utan uppkoppling",
    "presentation.pptx": "Presentation med talaranteckningar",
    "deltagarmaterial.docx": "Deltagarmaterial",
    "utbildarhandledning.docx": "Utbildarhandledning",
}


def _as_listed(name: str) -> str:
    """The name a file is titled and ordered by: a PDF by its Word document's ('handlingsplan.pdf' -> '….docx')."""
    return name[:-len(".pdf")] + ".docx" if name.endswith(".pdf") else name


def download_title(rel: str) -> str:
    name = _as_listed(rel.rsplit("/", 1)[-1])
    if name.startswith("rutinhandbok-del-"):
        return f"Rutinhandboken, utskrivbar version, del {int(name[len('rutinhandbok-del-'):].split('.')[0])}"
    return DOWNLOAD_TITLES.get(name, name)


def ordered_downloads(site: View, prefix: str = "") -> list:
    """The built documents under ``prefix`` ('' for the ones that are not training packs), in DOWNLOAD_TITLES order."""
    order = {name: i for i, name in enumerate(DOWNLOAD_TITLES)}
    found = [d for d in site.downloads_under(prefix) if prefix or "/" not in d.rel]
    name = lambda d: _as_listed(d.rel.rsplit("/", 1)[-1])  # noqa: E731
    return sorted(found, key=lambda d: (d.rel.rsplit("/", 1)[0] if "/" in d.rel else "",
                                        order.get(name(d), order["rutinhandbok.docx"]), d.rel))


@dataclass(frozen=True)
class RoutineList:
    """A long list of routines on pages of its own: '{base}/1.md', '{base}/2.md', …, LIST_LIMIT routines a page."""

    base: str  # e.g. 'rutiner/vuxen'
    title: str  # the list's heading: 'Rutiner för vuxna'
    lead: str  # one sentence (Markdown) that says what is listed
    parent: str  # the page (src_uri) the list belongs to, and links back to
    parent_title: str
    ids: tuple[str, ...]

    @property
    def count(self) -> int:
        """How many pages the list has."""
        return max(1, -(-len(self.ids) // LIST_LIMIT))

    def uri(self, n: int = 1) -> str:
        return f"{self.base}/{n}.md"

    def uris(self) -> list[str]:
        return [self.uri(n) for n in range(1, self.count + 1)]

    def chunk(self, n: int) -> tuple[str, ...]:
        """The routines on page ``n`` (1-based)."""
        return self.ids[(n - 1) * LIST_LIMIT:n * LIST_LIMIT]

    def span(self, n: int) -> tuple[int, int]:
        """The numbers of the first and last routine on page ``n``: (201, 400)."""
        return (n - 1) * LIST_LIMIT + 1, min(n * LIST_LIMIT, len(self.ids))


@dataclass(frozen=True)
class QuestionPages:
    """The open questions to one unit: 'oppna-fragor/<uid>.md', then 'oppna-fragor/<uid>/2.md', … when there are
    more than QUESTIONS_LIMIT. The first page keeps its address however many there are.

    No clash: oppna-fragor.md becomes oppna-fragor/index.html, a unit's page oppna-fragor/<uid>/index.html and its
    further pages oppna-fragor/<uid>/<n>/index.html (an id has no '/'); only a unit with the id 'index' would
    clash, and that id already clashes with the unit overview enheter/index.md.
    """

    uid: str
    total: int  # how many questions the unit is asked

    @property
    def count(self) -> int:
        """How many pages the unit's questions have."""
        return max(1, -(-self.total // QUESTIONS_LIMIT))

    def uri(self, n: int = 1) -> str:
        return f"oppna-fragor/{self.uid}.md" if n == 1 else f"oppna-fragor/{self.uid}/{n}.md"

    def uris(self) -> list[str]:
        return [self.uri(n) for n in range(1, self.count + 1)]

    @property
    def per_page(self) -> int:
        """Questions a page, the same on every page but the last: 51 questions are 26 and 25, not 50 and 1."""
        return -(-self.total // self.count)

    def span(self, n: int) -> tuple[int, int]:
        """The numbers of the first and last question on page ``n``: (27, 51)."""
        return (n - 1) * self.per_page + 1, min(n * self.per_page, self.total)

    def chunk(self, questions: list, n: int) -> list:
        """The questions on page ``n`` (1-based), of all the unit's ``questions`` in order."""
        first, last = self.span(n)
        return questions[first - 1:last]


def question_pages(project: Project) -> list[QuestionPages]:
    """The pages of open questions, one set per unit asked, in the overview's order; links.generated_pages uses it."""
    return [QuestionPages(uid, n) for uid, n in question_counts(project)]


def swedish_key(text: str) -> str:
    """A sort key in Swedish alphabetical order, case aside: … x, y, z, å, ä, ö."""
    return text.lower().translate(str.maketrans("åäöéü", "{|}eu"))


def routine_tags(project: Project) -> dict[str, list[str]]:
    """Each tag the routines use, in Swedish alphabetical order, with its routines (by title)."""
    out: dict[str, list[str]] = {}
    for r in sorted(project.routines.values(), key=lambda r: swedish_key(r.title)):
        for t in dict.fromkeys(r.tags):
            out.setdefault(t, []).append(r.id)
    return {t: out[t] for t in sorted(out, key=lambda t: (swedish_key(t), t))}


def tag_anchor(tag: str) -> str:
    """The tag's place on the single tag page: 'Betänketid' -> 'betänketid' (the anchors Material's tags gave)."""
    return slugify_unicode(tag, "-")


def tag_slugs(project: Project) -> dict[str, str]:
    """Each tag's name in addresses ('taggar/betanketid/1.md'): plain letters, unique ('barn', 'barn-2')."""
    from .templating import slug

    out: dict[str, str] = {}
    used: set[str] = set()
    for t in routine_tags(project):
        base = slug(t) or "tagg"
        name, i = base, 1
        while name in used:
            i += 1
            name = f"{base}-{i}"
        used.add(name)
        out[t] = name
    return out


def routines_for(project: Project, target: str) -> list[Any]:
    """The routines for a target group, featured first, then by title (the routine overview's order)."""
    rs = [r for r in project.routines.values() if target in r.target_groups]
    return sorted(rs, key=lambda r: (not r.featured, r.title.lower()))


def routine_lists(project: Project) -> dict[str, RoutineList]:
    """Every list of routines that is too long for its page, by base address; links.generated_pages uses it too.

    The routine overview and the tag page split when the handbook has more than LIST_LIMIT routines (tag
    memberships); a unit's, a law's and a requirement's list when it alone is longer than LIST_LIMIT.
    """
    lists: dict[str, RoutineList] = {}

    def add(base: str, title: str, lead: str, parent: str, parent_title: str, ids: list[str]) -> None:
        lists[base] = RoutineList(base, title, lead, parent, parent_title, tuple(ids))

    if len(project.routines) > LIST_LIMIT:
        for t in TARGET_ORDER:
            ids = [r.id for r in routines_for(project, t)]
            if ids:
                label = TARGET_LABELS[t]
                add(f"rutiner/{TARGET_SLUGS[t]}", f"Rutiner för {label[0].lower() + label[1:]}",
                    "Rutinerna för gruppen, de viktigaste först och sedan i bokstavsordning.", "rutiner/index.md",
                    "Rutiner", ids)
    tags = routine_tags(project)
    if sum(len(v) for v in tags.values()) > LIST_LIMIT:
        slugs = tag_slugs(project)
        for t, ids in tags.items():
            add(f"taggar/{slugs[t]}", f"Taggen {t}", f"Rutinerna med taggen {t}, i bokstavsordning.", "taggar.md",
                "Taggar", ids)
    for u in project.units.values():
        ids = project.routines_by_unit.get(u.id, [])
        if len(ids) > LIST_LIMIT:
            short = u.short_name or u.name
            add(f"enheter/{u.id}", f"Rutiner där {short} ingår", f"Alla rutiner där {short} ingår.",
                f"enheter/{u.id}.md", u.name, ids)
    for law in project.legal.values():
        ids = project.routines_by_law.get(law.id, [])
        if len(ids) > LIST_LIMIT:
            short = law.short_title or law.title
            add(f"lagar/{law.id}", f"Rutiner som hänvisar till {short}", f"Alla rutiner som hänvisar till {short}.",
                f"lagar/{law.id}.md", law.title, ids)
    if project.requirements and project.programmes:
        for rid, done in al.practice(project).items():
            req = project.requirements[rid]
            if len(done.routines) > LIST_LIMIT:
                add(f"avstamning/{rid}/genomfor", f"Rutiner som genomför kravet: {req.title}",
                    "Rutinerna som har ett steg som genomför kravet.", f"avstamning/{rid}.md", req.title,
                    done.routines)
            if len(done.mentioned) > LIST_LIMIT:
                add(f"avstamning/{rid}/namns", f"Rutiner som nämner kravet: {req.title}",
                    "Rutinerna hänvisar till kravets lagrum men har inget steg som gör det kravet begär.",
                    f"avstamning/{rid}.md", req.title, done.mentioned)
    return lists


def render_pages(project: Project, templates_dir: Path, downloads: dict | None = None) -> dict[str, str]:
    # Each template is read once a build: without auto_reload, Jinja does not ask the file system for a template's
    # time at every page and every {% import %} (2,600 times at 1,000 routines, each a wait for the interpreter while
    # the documents' thread runs). The cache starts empty, so that `handbok serve` reads an edited template anew.
    env = make_env(Path(templates_dir) / "site").overlay(auto_reload=False, cache_size=400)
    site = View(project, downloads)
    follow_up = charts.follow_up_charts(project)
    common: dict[str, Any] = dict(p=project, site=site, TARGET_LABELS=TARGET_LABELS, TARGET_SLUGS=TARGET_SLUGS,
                                  TARGET_ORDER=TARGET_ORDER, KIND_SECTION=KIND_SECTION, charts=follow_up,
                                  partial_date=partial_date, SiteNotes=SiteNotes, today=build_date(),
                                  due_date=due_date, is_overdue=is_overdue, basis_date=basis_date,
                                  STATUS_LABELS=STATUS_LABELS, questions_by_unit=questions_by_unit,
                                  PLACES_SHOWN=PLACES_SHOWN, status_notice=status_notice,
                                  handbook_notice=handbook_notice,
                                  record_title=record_title, download_title=download_title,
                                  ordered_downloads=ordered_downloads)
    lists = routine_lists(project)
    tags = routine_tags(project)
    common.update(lists=lists, LIST_LIMIT=LIST_LIMIT, INLINE_LIMIT=INLINE_LIMIT, tags=tags,
                  tag_anchor=tag_anchor, tag_slugs=tag_slugs(project), swedish_key=swedish_key)
    pages: dict[str, str] = {}
    # Short forms explain themselves in a tooltip: the plugin marks them on every generated page in one pass
    # (mkdocs_plugin.GlossaryExtension, context.abbreviations), in place of a glossary appended to each page.

    def render(uri: str, template: str, **ctx: Any) -> None:
        depth = uri.count("/")
        root = "../" * depth
        pages[uri] = env.get_template(template).render(root=root, uri=uri, **common, **ctx)

    render("index.md", "start.md.j2", limit=START_PAGE_LIMIT)
    render("rutiner/index.md", "routines.md.j2")
    for rl in lists.values():
        for n in range(1, rl.count + 1):
            render(rl.uri(n), "routine_list.md.j2", rl=rl, n=n)
    for r in project.routines.values():
        render(f"rutiner/{r.id}.md", "routine.md.j2", r=r, cites=site.citations_of("routine", r.id))
    render("enheter/index.md", "units.md.j2")
    for u in project.units.values():
        render(f"enheter/{u.id}.md", "unit.md.j2", u=u)
    render("lagar/index.md", "laws.md.j2")
    for law in project.legal.values():
        render(f"lagar/{law.id}.md", "law.md.j2", law=law)
    render("begrepp.md", "glossary.md.j2", cites_of=site.citations_of)
    render("kommuner.md", "municipalities.md.j2")
    render("uppfoljning.md", "figures.md.j2")
    for chart in follow_up:
        pages[f"uppfoljning/{chart.id}.svg"] = charts.svg(chart, templates_dir)
    render("handlingsplan/index.md", "plans.md.j2")
    for plan in project.plans.values():
        render(f"handlingsplan/{plan.id}/index.md", "plan.md.j2", plan=plan)
        for ch in plan.chapters:
            render(f"handlingsplan/{plan.id}/{ch.id}.md", "plan_chapter.md.j2", plan=plan, ch=ch)
    drafts = al.current_draft(project)
    order = drafts + sorted((x for x in project.programmes.values() if x not in drafts), key=lambda x: x.period,
                            reverse=True)
    results = [al.align(project, prog) for prog in order] if project.requirements else []
    render("avstamning/index.md", "alignment.md.j2", results=results)
    for req in project.requirements.values():
        render(f"avstamning/{req.id}.md", "requirement.md.j2", req=req, results=results,
               cites=site.citations_of("requirement", req.id))
    render("utbildning/index.md", "training.md.j2")
    for mun in site.pack_municipalities():
        render(f"utbildning/kommun/{mun.id}.md", "municipality_training.md.j2", mun=mun)
    render("nedladdning.md", "downloads.md.j2")
    for mod in project.modules.values():
        render(f"utbildning/{mod.id}.md", "module.md.j2", mod=mod)
    render("kallor.md", "sources.md.j2")
    render("tillganglighet.md", "statement.md.j2", audit=project.audit)
    render("taggar.md", "tags.md.j2")
    # The open questions: an overview of the units asked, then each unit's questions on pages of their own.
    asked = questions_by_unit(project)
    qpages = [QuestionPages(uid, len(qs)) for uid, qs in asked]
    render("oppna-fragor.md", "questions.md.j2", qpages=qpages)
    for qp, (_, qs) in zip(qpages, asked):
        for n in range(1, qp.count + 1):
            render(qp.uri(n), "questions_unit.md.j2", qp=qp, n=n, questions=qp.chunk(qs, n))
    if "om.md" not in project.page_uris:  # a content folder's own pages/om.md comes first
        render("om.md", "about.md.j2")
    return pages
