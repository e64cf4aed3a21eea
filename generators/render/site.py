"""Stage 5, render (site): Markdown pages in memory, one per item and one per index.

Returns ``{src_uri: markdown}``; the mkdocs plugin adds them as generated files.
Page size does not grow with the number of routines except on the lists whose
purpose is to list them all (the routine index, backlinks on a law).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .. import align as al
from ..graph import Project
from ..pipeline import build_date
from ..review import (PLACES_SHOWN, STATUS_LABELS, basis_date, due_date, handbook_notice, is_overdue, questions_by_unit,
                      record_title, status_notice)
from . import charts
from .context import SiteNotes, View, abbreviations, partial_date
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


def page_kind(src_uri: str) -> tuple[str, int]:
    """The kind label and search rank of the page at ``src_uri`` (e.g. 'rutiner/betanketid.md')."""
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


def render_pages(project: Project, templates_dir: Path, downloads: dict | None = None) -> dict[str, str]:
    env = make_env(Path(templates_dir) / "site")
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
    pages: dict[str, str] = {}

    # Short forms explain themselves in a tooltip (Markdown's abbr extension with Material's content.tooltips).
    glossary = "".join(f"\n*[{k}]: {v}" for k, v in abbreviations(project).items())

    def render(uri: str, template: str, **ctx: Any) -> None:
        depth = uri.count("/")
        root = "../" * depth
        pages[uri] = env.get_template(template).render(root=root, uri=uri, **common, **ctx) + glossary

    render("index.md", "start.md.j2", limit=START_PAGE_LIMIT)
    render("rutiner/index.md", "routines.md.j2")
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
    render("oppna-fragor.md", "questions.md.j2")
    if "om.md" not in project.page_uris:  # a content folder's own pages/om.md comes first
        render("om.md", "about.md.j2")
    return pages
