"""Stage 5, render (site): Markdown pages in memory, one per item and one per index.

Returns ``{src_uri: markdown}``; the mkdocs plugin adds them as generated files.
Page size does not grow with the number of routines except on the lists whose
purpose is to list them all (the routine index, backlinks on a law).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..graph import Project, Resolved
from ..model import Routine
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


@dataclass(frozen=True)
class LegalLink:
    label: str
    page: str  # relative to the site root, e.g. lagar/osl.md#k10-p23
    url: str  # the official text
    summary: str


class Site:
    """Lookups that templates need, with links relative to the site root."""

    def __init__(self, project: Project):
        self.p = project

    def unit_name(self, uid: str) -> str:
        u = self.p.units.get(uid)
        return u.name if u else uid

    def routine(self, rid: str) -> Routine | None:
        return self.p.routines.get(rid)

    def legal_link(self, res: Resolved) -> LegalLink:
        anchor = f"#{res.node.anchor}" if res.node is not None else ""
        summary = res.node.provision.summary if res.node is not None else ""
        return LegalLink(res.label, f"lagar/{res.law.id}.md{anchor}", res.url, summary)

    def citations_of(self, kind: str, rid: str) -> dict[str, Resolved]:
        return {r.text: r for r in self.p.cited.get((kind, rid), [])}

    def source(self, sid: str):
        return self.p.sources.get(sid)

    def routines_for(self, target: str) -> list[Routine]:
        rs = [r for r in self.p.routines.values() if target in r.target_groups]
        return sorted(rs, key=lambda r: (not r.featured, r.title.lower()))


def render_pages(project: Project, templates_dir: Path) -> dict[str, str]:
    env = make_env(Path(templates_dir) / "site")
    site = Site(project)
    common: dict[str, Any] = dict(p=project, site=site, TARGET_LABELS=TARGET_LABELS, TARGET_SLUGS=TARGET_SLUGS,
                                  TARGET_ORDER=TARGET_ORDER, KIND_SECTION=KIND_SECTION)
    pages: dict[str, str] = {}

    def render(uri: str, template: str, **ctx: Any) -> None:
        depth = uri.count("/")
        root = "../" * depth
        pages[uri] = env.get_template(template).render(root=root, uri=uri, **common, **ctx)

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
    render("kallor.md", "sources.md.j2")
    render("taggar.md", "tags.md.j2")
    return pages
