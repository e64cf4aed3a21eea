"""Stage 5, render (documents): Word and PowerPoint files from the same content as the site.

Each document is a Jinja template under ``templates/documents/`` that writes
pandoc Markdown. pandoc (from the ``pypandoc-binary`` wheel, so no system
package is needed) turns it into DOCX with ``templates/documents/reference.docx``
for the styles, or into PPTX with speaker notes. python-docx and python-pptx
then do what pandoc cannot: the running header with title and diarienummer,
page numbers, a filled-in table of contents, document properties and speaker
notes on the title slide. Last, every file is rewritten as a zip with fixed
timestamps, so that the same content gives the same bytes.
Every Word document also gets a PDF beside it, from the same Markdown through
pandoc's Typst writer and the typst wheel (render/pdf.py).

Like mkdocs, everything is planned before anything is written: the list of
jobs is made first, and two jobs may not write the same file (Pelican's rule).
Jobs run in parallel threads; pandoc does the heavy work in its own process. The
variants of a training pack document are one unit with one pandoc run
(``plan_units``, render/variants.py).
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import os
import subprocess
import sys
import tempfile
import threading
import zipfile
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Iterator

import jinja2

from .. import align as al
from ..graph import Project
from ..model import Municipality
from . import charts, pdf, variants
from .context import Notes, View, partial_date  # Notes: the footnotes, merged where they meet
from .slides import SlideNotFound, SlideNumbers, slide_titles
from ..review import (PLACES_SHOWN, STATUS_LABELS, handbook_notice, material_notice, questions_by_unit, record_title,
                      status_notice)
from .site import TARGET_LABELS, TARGET_ORDER
from .templating import make_env

# pandoc's Markdown without anything that could pass raw markup through, and
# without smart quotes (Swedish uses ” ”, which the content writes itself).
PANDOC_FROM = ("markdown-raw_html-raw_tex-raw_attribute-citations-smart-tex_math_dollars"
               "-tex_math_single_backslash-native_divs-native_spans")
LANG = "sv-SE"
EARLIEST_ZIP_DATE = 315532800  # 1980-01-01, the first date a zip file can hold


class DocumentError(Exception):
    """A document could not be made; the message says which and why."""


# Training packs differ between municipalities only in the name and in the variant (joined or not). Each
# pack document is made once per variant with this placeholder, and copied per municipality with the name
# filled into the XML. The variants of one pack document share a pandoc run (plan_units, render/variants.py):
# 3 pandoc runs instead of 75.
PLACEHOLDER = "⟦KOMMUN⟧"


@dataclass(frozen=True)
class Job:
    target: str  # relative to dist/, e.g. "utbildning/solna/presentation.pptx"
    template: str  # under templates/documents/
    title: str
    subtitle: str = ""
    header: str = ""  # running header (Word)
    subject: str = ""
    keywords: str = ""
    toc: bool = False
    context: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    # (target, text to put in place of PLACEHOLDER); by default one copy, to ``target``
    copies: tuple[tuple[str, str], ...] = ()
    author: str = ""  # the document's author (core properties), from content/organisation.yml

    @property
    def fmt(self) -> str:
        return self.target.rsplit(".", 1)[-1]

    @property
    def outputs(self) -> tuple[tuple[str, str], ...]:
        return self.copies or ((self.target, ""),)


def pandoc_path() -> str:
    import pypandoc

    return pypandoc.get_pandoc_path()


# --- planning -------------------------------------------------------------------------

PACK_STATE = "Utkast, inte fastställt"  # on a training pack's cover: review.material_notice says why
PRESENTATION_TEMPLATE = "presentation.md.j2"
GUIDE_TEMPLATE = "utbildarhandledning.md.j2"  # it names the presentation's slides (render_markdown)


def plan_jobs(project: Project) -> list[Job]:
    """Every document the content calls for."""
    jobs: list[Job] = []
    view = View(project)
    for plan in project.plans.values():
        name = "handlingsplan.docx" if len(project.plans) == 1 else f"handlingsplan-{plan.id}.docx"
        # The cover line: the organisation, the body that adopted the plan, the document type and the diarienummer.
        kind = plan.document.type if plan.document else "Handlingsplan"
        cover = " · ".join(x for x in (project.organisation.name, view.unit_name(plan.committee), kind,
                                       plan.diarienummer) if x)
        jobs.append(Job(name, "handlingsplan.md.j2", plan.title, cover,
                        f"{plan.title} · {plan.diarienummer}", subject="Handlingsplan",
                        keywords="människohandel; prostitution; handlingsplan", toc=True, context={"plan": plan}))
    drafts = al.current_draft(project)
    if project.requirements and len(drafts) == 1:
        draft = drafts[0]
        title = "Avstämning mot vägledningen om betänketid och rättighetspaketet"
        cover = " · ".join(x for x in (project.organisation.name, f"Bilaga till {draft.title}",
                                       "Utkast – inte fastställt") if x)
        jobs.append(Job("avstamning-betanketid.docx", "avstamning.md.j2", title, cover,
                        f"Bilaga: avstämning · {draft.title}", subject="Avstämning",
                        keywords="betänketid; rättighetspaket; program mot våld; avstämning", toc=True,
                        context={"draft": al.align(project, draft),
                                 "others": [al.align(project, x) for x in project.programmes.values() if x is not draft]}))
    org = project.organisation
    if project.routines:
        title = org.site_title
        common = dict(subject="Rutiner", keywords="rutiner; människohandel; prostitution", toc=True)
        volumes = routine_volumes(view)
        # Nothing in print claims to be adopted unless it is: a draft says so on its cover and in every header.
        state = "Utkast, inte fastställt" if any(r.status != "fastställd" for r in project.routines.values()) \
            else (org.header or "Fastställd")
        # The organisation's name leads the cover line and the running header (content/organisation.yml).
        who = f"{org.header} · " if org.header and org.header != state else ""
        info = org.documents.get("rutinhandbok")
        kind = f"{info.type} · " if info else ""  # the document type on the cover, from content/organisation.yml
        if len(volumes) == 1:
            jobs.append(Job("rutinhandbok.docx", "rutinhandbok.md.j2", title, f"{who}{kind}{state} · utskrivbar version",
                            f"{who}{title} · {state}", context={"volume": None}, **common))
        for i, ids in enumerate(volumes if len(volumes) > 1 else [], 1):
            part = f"del {i} av {len(volumes)}"
            jobs.append(Job(f"rutinhandbok-del-{i:0{len(str(len(volumes)))}d}.docx", "rutinhandbok.md.j2",
                            f"{title}, {part}", f"{who}{kind}{state} · utskrivbar version · {part}",
                            f"{who}{title} · {state} · {part}", context={"volume": ids}, **common))
    if any(True for _ in project.open_questions()):
        title = "Öppna frågor till förvaltningen"
        info = org.documents.get("oppna-fragor")
        cover = " · ".join(x for x in (org.name, info.type if info else "", org.site_title,
                                       "att besvara innan rutinerna fastställs") if x)
        jobs.append(Job("oppna-fragor.docx", "oppna-fragor.md.j2", title, cover, f"{title} · rutinhandboken",
                        subject="Öppna frågor", keywords="öppna frågor; rutinhandbok; fastställande", toc=True))
    several = len(project.courses) > 1
    for course in project.courses.values():
        # One pack per variant, copied to every municipality with the name filled in; a municipality with a local
        # layer (its own units, routines or note) gets a pack of its own, which no other municipality shares.
        groups: list[tuple[str, Municipality, list[Municipality]]] = []
        for status in view.PACK_STATUSES:  # joined, not joined, unknown: one variant each
            members = [m for m in view.pack_municipalities() if m.status == status]
            shared = [m for m in members if not m.local]
            if shared:
                stand_in = Municipality.model_construct(id=f"{course.id}-{status}", name=PLACEHOLDER, status=status,
                                                        sources=[])
                groups.append((f"{course.id}-{status}", stand_in, shared))
            groups.extend((f"{course.id}-{m.id}", m, []) for m in members if m.local)
        # A course records no decision, so every pack is a draft and says so on its cover (review.material_notice).
        who = f"{org.header} · " if org.header else ""
        for key, mun, members in groups:
            name = mun.name
            ctx = {"course": course, "municipality": mun, "variant": view.variant(course, mun)}
            common = dict(subject="Utbildning", keywords=f"utbildning; {name}; länsövergripande erbjudandet",
                          context=ctx)

            def copies(file: str, members=members, mun=mun) -> tuple[tuple[str, str], ...]:
                return tuple((f"utbildning/{m.id}" + (f"/{course.id}" if several else "") + f"/{file}", m.name)
                             for m in members or [mun])

            jobs.append(Job(f"{key}/presentation.pptx", PRESENTATION_TEMPLATE, course.title, f"{name} · {PACK_STATE}",
                            copies=copies("presentation.pptx"), **common))
            jobs.append(Job(f"{key}/deltagarmaterial.docx", "deltagarmaterial.md.j2", course.title,
                            f"{who}Deltagarmaterial för {name} · {PACK_STATE}",
                            f"{course.title} · Deltagarmaterial · {name}", toc=True,
                            copies=copies("deltagarmaterial.docx"), **common))
            jobs.append(Job(f"{key}/utbildarhandledning.docx", GUIDE_TEMPLATE, course.title,
                            f"{who}Utbildarhandledning för {name} · {PACK_STATE}",
                            f"{course.title} · Utbildarhandledning · {name}",
                            toc=True, copies=copies("utbildarhandledning.docx"), **common))
    jobs = [replace(job, author=org.author) for job in jobs]
    check_unique(jobs)
    return jobs


# Routines per printable volume: one pandoc run and one Typst compile stay bounded in time and memory. Typst holds
# the whole laid-out volume in memory (about 2 GB for 500 routines of the scaled benchmark content, 0.5 GB for 100),
# and two compile side by side, so 100 keeps the documents step well inside the 2 GB bound at any N.
VOLUME_SIZE = 100


def routine_volumes(view: View) -> list[frozenset[str]]:
    """The routines in handbook order (by first target group), cut into volumes of at most VOLUME_SIZE."""
    order: list[str] = []
    seen: set[str] = set()
    for target in TARGET_ORDER:
        for r in view.routines_for(target):
            if r.id not in seen:
                seen.add(r.id)
                order.append(r.id)
    order += [rid for rid in view.p.routines if rid not in seen]
    return [frozenset(order[i:i + VOLUME_SIZE]) for i in range(0, len(order), VOLUME_SIZE)] or [frozenset()]


def plan_units(jobs: list[Job]) -> list[tuple[int, ...]]:
    """The jobs (by index) that share one pandoc run: the variants of a training pack document, which differ only in
    their Markdown and in their copies (render/variants.py). Any other job is a unit of its own."""
    units: dict[tuple[Any, ...], list[int]] = {}
    for i, job in enumerate(jobs):
        mun, course = job.context.get("municipality"), job.context.get("course")
        shared = mun is not None and course is not None and mun.name == PLACEHOLDER
        units.setdefault((job.template, course.id, job.fmt, job.title, job.subtitle, job.header, job.subject,
                          job.keywords, job.toc, job.author) if shared else (i,), []).append(i)
    return [tuple(unit) for unit in units.values()]


def planned_files(jobs: list[Job]) -> list[str]:
    """Every file the jobs write, under dist/: each copy, and its PDF beside a Word file."""
    return [t for job in jobs for target, _ in job.outputs
            for t in ((target, pdf.pdf_target(target)) if pdf.makes_pdf(job) else (target,))]


def check_unique(jobs: list[Job]) -> None:
    """Refuse a plan in which two documents would be written to the same file (Pelican's rule)."""
    seen: set[str] = set()
    for job in jobs:
        for target, _ in job.outputs:
            if target in seen:
                raise DocumentError(f"Två dokument skulle skrivas till dist/{target}; inget skrevs.")
            seen.add(target)


# --- rendering ------------------------------------------------------------------------------

def render_markdown(project: Project, templates_dir: Path, job: Job, images: dict[str, str],
                    env: jinja2.Environment | None = None) -> str:
    """The job's pandoc Markdown. A build passes one ``env`` for all its jobs, so that each template compiles once."""
    env = env or make_env(Path(templates_dir) / "documents", "pandoc")
    view = View(project)

    common = dict(p=project, site=view, job=job, images=images, charts=charts.follow_up_charts(project),
                  TARGET_LABELS=TARGET_LABELS, TARGET_ORDER=TARGET_ORDER, partial_date=partial_date,
                  STATUS_LABELS=STATUS_LABELS, questions_by_unit=questions_by_unit, PLACES_SHOWN=PLACES_SHOWN,
                  status_notice=status_notice, handbook_notice=handbook_notice, material_notice=material_notice,
                  record_title=record_title, **job.context)

    def render(template: str, **extra: Any) -> str:
        return env.get_template(template).render(notes=Notes(view), **extra, **common)  # each its own footnotes

    if job.template == GUIDE_TEMPLATE:
        # The guide names the slides it goes with: the pack's presentation, from the same course, municipality and
        # variant, counted as pandoc makes its slides.
        try:
            return render(job.template, slide=SlideNumbers(slide_titles(render(PRESENTATION_TEMPLATE))))
        except SlideNotFound as exc:
            raise DocumentError(f"dist/{job.target}: {exc}") from None
    return render(job.template)


def run_pandoc(markdown: str, job: Job, out: Path, resources: Path, reference: Path | None, epoch: int,
               extra: tuple[list[str], dict[str, str]] = ([], {})) -> None:
    """pandoc's Word or PowerPoint file for ``job``; ``extra`` adds arguments and environment (pdf.typst_request)."""
    cmd = [pandoc_path(), "-f", PANDOC_FROM, "-t", job.fmt, "-o", str(out), "--resource-path", str(resources),
           "-M", f"title={job.title}", "-M", f"lang={LANG}", *extra[0]]
    if job.subtitle:
        cmd += ["-M", f"subtitle={job.subtitle}"]
    if job.fmt == "pptx":
        cmd += ["--slide-level=2"]
    if reference is not None and reference.is_file():
        cmd += ["--reference-doc", str(reference)]
    if job.toc:
        cmd += ["--toc", "--toc-depth=2", "-M", "toc-title=Innehåll"]
    pandoc(cmd, markdown, epoch, job.target, extra[1])


IMAGE = "!["  # how every image starts in pandoc Markdown (the templates write no reference-style image)
VARIANTS_FILTER = "variants.lua"  # under templates/documents/
VARIANTS_ENV = "HANDBOK_VARIANTS"


def variants_request(job: Job, outs: list[Path], reference: Path | None, templates_dir: Path, folder: Path
                     ) -> tuple[list[str], dict[str, str]]:
    """What makes the pandoc run of a pack document's first variant write the other variants too (``outs``, in
    order), from the merged Markdown (render/variants.py): the filter's argument and its environment."""
    import json

    options = {"toc": job.toc, "toc_depth": 2, "slide_level": 2 if job.fmt == "pptx" else None,
               "reference": str(reference) if reference is not None and reference.is_file() else None}
    settings = Path(folder) / f"{outs[0].name}.varianter.json"
    settings.write_text(json.dumps({"outputs": [str(out) for out in outs], "format": job.fmt,
                                    **{k: v for k, v in options.items() if v is not None}}), encoding="utf-8")
    return ["--lua-filter", str(Path(templates_dir) / "documents" / VARIANTS_FILTER)], {VARIANTS_ENV: str(settings)}


def pandoc(cmd: list[str], markdown: str, epoch: int, target: str, env: dict[str, str] | None = None) -> str:
    """Run pandoc on ``markdown``; its output. A warning counts as an error, named by ``target`` (under dist/).

    pandoc reads the Markdown from a file, not from a pipe: Python writes a pipe 512 bytes at a time, and each
    write waits its turn for the interpreter while mkdocs builds the site beside the documents. A handout's
    Markdown took a second to reach pandoc that way, twice pandoc's own time.
    """
    env = dict(os.environ, SOURCE_DATE_EPOCH=str(epoch), **(env or {}))
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", prefix="handbok-pandoc-", suffix=".md",
                                     delete=False) as source:
        source.write(markdown)
    try:
        result = subprocess.run([*cmd, source.name], capture_output=True, text=True, encoding="utf-8", env=env,
                                stdin=subprocess.DEVNULL)
    except OSError as exc:
        raise DocumentError(f"pandoc kunde inte startas ({exc}). Installera om med `make build`, som hämtar "
                            "pandoc från hjulet pypandoc-binary.") from None
    finally:
        os.unlink(source.name)
    problems = (result.stderr or "").strip()
    if result.returncode != 0 or "[WARNING]" in problems:
        raise DocumentError(f"pandoc kunde inte skapa dist/{target}:\n{problems}")
    return result.stdout


# --- after pandoc --------------------------------------------------------------------------

def _moment(epoch: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(epoch, dt.timezone.utc).replace(tzinfo=None)


def _core(props: Any, job: Job, epoch: int) -> None:
    props.title = job.title
    props.subject = job.subject or job.subtitle
    props.keywords = job.keywords
    props.author = job.author
    props.last_modified_by = "handbok"
    props.language = LANG
    props.revision = 1
    props.created = props.modified = _moment(epoch)
    props.comments = "Skapad med handbok från rutinhandbokens innehåll. Ändra i innehållet, inte i filen."


def finish_docx(path: Path, job: Job, epoch: int) -> None:
    import docx

    d = docx.Document(str(path))
    _core(d.core_properties, job, epoch)
    for section in d.sections:
        header = section.header.paragraphs[0]
        header.text = job.header or job.title
        header.style = d.styles["Header"]
        footer = section.footer.paragraphs[0]
        footer.style = d.styles["Footer"]
        footer.text = ""
        footer.add_run("Sida ")
        _field(footer, "PAGE", "1")
        footer.add_run(" av ")
        _field(footer, "NUMPAGES", "1")
    _fill_toc(d)
    d.save(str(path))


def _field(paragraph: Any, instr: str, placeholder: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), instr)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = placeholder
    run.append(text)
    fld.append(run)
    paragraph._p.append(fld)


def _fill_toc(d: Any) -> None:
    """Put the headings into pandoc's empty TOC field, so the contents show before Word updates it.

    The field stays marked dirty, so Word fills in page numbers when the file is opened.
    """
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    body = d.element.body
    instr = next((t for t in body.iter(qn("w:instrText")) if t.text and t.text.strip().startswith("TOC")), None)
    if instr is None:
        return
    run = instr.getparent()
    para = run.getparent()
    end = [c for c in run if c.tag == qn("w:fldChar") and c.get(qn("w:fldCharType")) == "end"]
    if not end:
        return
    run.remove(end[0])
    entries = []
    bookmark = None
    for el in body:
        if el.tag == qn("w:bookmarkStart"):
            bookmark = el.get(qn("w:name"))
            continue
        if el.tag != qn("w:p"):
            continue
        style = el.find(qn("w:pPr") + "/" + qn("w:pStyle"))
        level = {"Heading1": 1, "Heading2": 2}.get(style.get(qn("w:val")) if style is not None else "")
        if level and bookmark:
            text = "".join(t.text or "" for t in el.iter(qn("w:t")))
            entries.append((level, bookmark, text))
        bookmark = None
    anchor = para
    for level, name, text in entries:
        p = OxmlElement("w:p")
        ppr = OxmlElement("w:pPr")
        ps = OxmlElement("w:pStyle")
        ps.set(qn("w:val"), f"TOC{level}")
        ppr.append(ps)
        p.append(ppr)
        link = OxmlElement("w:hyperlink")
        link.set(qn("w:anchor"), name)
        link.set(qn("w:history"), "1")
        r = OxmlElement("w:r")
        t = OxmlElement("w:t")
        t.text = text
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        r.append(t)
        link.append(r)
        p.append(link)
        anchor.addnext(p)
        anchor = p
    closing = OxmlElement("w:p")
    r = OxmlElement("w:r")
    r.append(copy.deepcopy(end[0]))
    closing.append(r)
    anchor.addnext(closing)


def finish_pptx(path: Path, job: Job, epoch: int, title_notes: str) -> None:
    import pptx

    from .slides import finish_slides

    prs = pptx.Presentation(str(path))
    _core(prs.core_properties, job, epoch)
    mun = job.context.get("municipality")
    finish_slides(prs, mun.name if mun is not None else job.subtitle, epoch)  # footer, numbers, title slide
    for i, slide in enumerate(prs.slides):
        notes = slide.notes_slide.notes_text_frame
        if not notes.text.strip():
            if i != 0:
                raise DocumentError(f"Bild {i + 1} i dist/{job.target} saknar talaranteckningar.")
            notes.text = title_notes
    prs.save(str(path))


def normalize_zip(path: Path, epoch: int, target: Path | None = None, fill: str = "") -> None:
    """Rewrite a DOCX/PPTX zip with fixed timestamps and attributes: same content, same bytes.

    With ``fill``, PLACEHOLDER is replaced by it (XML-escaped) in every XML part, and the result goes to ``target``.
    """
    copies = normalized_copies(path, epoch, [fill])
    (target or path).write_bytes(next(copies))


def normalized_copies(path: Path, epoch: int, fills: list[str]) -> Iterator[bytes]:
    """``normalize_zip`` for each of ``fills`` in turn, from one reading of ``path``.

    A part without PLACEHOLDER is the same in every copy, and is compressed once: a presentation has 300 parts and
    the municipality's name in 70 of them. The bytes are what ``zipfile`` writes (the same headers and compression),
    which the tests compare; ``zipfile`` writes the file itself when something is out of the simple format's range.
    """
    from xml.sax.saxutils import escape as xml_escape

    stamp = dt.datetime.fromtimestamp(max(epoch, EARLIEST_ZIP_DATE), dt.timezone.utc).timetuple()[:6]
    old = PLACEHOLDER.encode()
    with zipfile.ZipFile(path) as src:
        entries = [(info.filename, src.read(info)) for info in src.infolist()]
    shared: dict[int, tuple[bytes, int]] = {}
    for fill in fills:
        new = xml_escape(fill).encode()
        parts = []
        for i, (name, data) in enumerate(entries):
            if fill and old in data and name.endswith((".xml", ".rels")):
                parts.append((name, data.replace(old, new), *_deflate(data.replace(old, new))))
                continue
            if i not in shared:
                shared[i] = _deflate(data)
            parts.append((name, data, *shared[i]))
        yield _zip_file(parts, stamp)


def _deflate(data: bytes) -> tuple[bytes, int]:
    """``data`` deflated as zipfile does (its default level: a ZipInfo of our own does not take the archive's), and
    its CRC."""
    import zlib

    packer = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush(), zlib.crc32(data)


def _zip_file(parts: list[tuple[str, bytes, bytes, int]], stamp: tuple[int, ...]) -> bytes:
    """A zip of (name, data, deflated data, CRC), byte for byte what ``zipfile.ZipFile.writestr`` gives with
    ZipInfo(name, stamp), mode 0644 and ZIP_DEFLATED on a Unix machine."""
    import struct

    if len(parts) >= 0xFFFF or any(len(d) >= 0x7FFFFFFF or not n.isascii() for n, d, _, _ in parts):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as dst:
            for name, data, _, _ in parts:
                info = zipfile.ZipInfo(name, date_time=stamp)
                info.external_attr = 0o644 << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                dst.writestr(info, data)
        return out.getvalue()
    year, month, day, hour, minute, second = stamp
    when = ((hour << 11) | (minute << 5) | (second // 2), ((year - 1980) << 9) | (month << 5) | day)
    body, central = bytearray(), bytearray()
    for name, data, packed, crc in parts:
        raw = name.encode("ascii")
        central += struct.pack("<4s4B4HL2L5H2L", b"PK\x01\x02", 20, 3, 20, 0, 0, zipfile.ZIP_DEFLATED, *when, crc,
                               len(packed), len(data), len(raw), 0, 0, 0, 0, 0o644 << 16, len(body)) + raw
        body += struct.pack("<4s2B4HL2L2H", b"PK\x03\x04", 20, 0, 0, zipfile.ZIP_DEFLATED, *when, crc, len(packed),
                            len(data), len(raw), 0) + raw + packed
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(parts), len(parts), len(central), len(body), 0)
    return bytes(body + central + end)


# --- the whole set ---------------------------------------------------------------------------

_OOXML_LOCK = threading.Lock()


class Cancelled(Exception):
    """The build stopped (an error in the site, or the user's interrupt) while the documents were being written."""


def build_documents(project: Project, templates_dir: Path, dist_dir: Path, epoch: int,
                    say: Callable[[str], None] = lambda s: print(s, file=sys.stderr, flush=True),
                    workers: int | None = None, cancel: threading.Event | None = None,
                    under_way: threading.Event | None = None) -> list[Path]:
    """Write every document into ``dist_dir`` (a fresh temporary directory); returns the files written.

    With ``cancel`` set, no further pandoc run or compile starts, and the call raises Cancelled. ``under_way`` is set
    as the first pandoc run starts, or as the first document comes from the cache, for a caller that holds back its
    own work until then: the documents take longest, and until then their Markdown is made in the interpreter the
    caller shares.
    """

    def stop_if_cancelled() -> None:
        if cancel is not None and cancel.is_set():
            raise Cancelled()

    templates_dir = Path(templates_dir)
    jobs = plan_jobs(project)
    if not jobs:
        return []
    reference_docx = templates_dir / "documents" / "reference.docx"
    reference_pptx = templates_dir / "documents" / "reference.pptx"  # our slide master (generators/render/slides.py)
    view = View(project)
    with tempfile.TemporaryDirectory(prefix="handbok-docs-") as tmp_name:
        tmp = Path(tmp_name)
        images: dict[str, str] = {}
        for chart in charts.follow_up_charts(project):
            file = f"{chart.id}.png"
            (tmp / file).write_bytes(charts.png(chart))
            images[file] = f"Stapeldiagram: {chart.title}. {chart.description}. Samma uppgifter och källor står i tabellen."
        written: list[Path] = []
        total = sum(len(job.outputs) * (2 if pdf.makes_pdf(job) else 1) for job in jobs)
        # A job whose inputs were built before (same Markdown, templates, programs and date) takes its files from
        # the cache (generators/cache.py): the same bytes, without pandoc or Typst.
        shared = shared_key(templates_dir, tmp, epoch)
        keys: dict[tuple[int, ...], str] = {}

        def keep(unit: tuple[int, ...], outs: list[Path]) -> None:
            """The unit's files into the cache, as soon as the last of them is written: at the end of the build
            they would add a fifth of a second to its last, single-threaded steps."""
            store_files(keys[unit], {out.relative_to(dist_dir).as_posix(): out.read_bytes() for out in outs})

        def compile_job(unit: tuple[int, ...], tasks: list[tuple[str, str]], made: Future) -> list[Path]:
            """The unit's PDFs; then, with its Word or PowerPoint files (``made``, written meanwhile), into the cache."""
            stop_if_cancelled()
            outs = [Path(dist_dir) / target for _, target in tasks]
            for out in outs:
                out.parent.mkdir(parents=True, exist_ok=True)
            pdf.compile_pdfs(tasks, tmp, outs, epoch)
            keep(unit, made.result() + outs)
            return outs

        def make(unit: tuple[int, ...], markdowns: list[str]) -> tuple[list[Path], Future | None]:
            """The unit's Word or PowerPoint files, and the compile of its PDFs, started as soon as pandoc has written
            the Typst source, so that the compiles overlap the remaining pandoc runs."""
            stop_if_cancelled()
            job = jobs[unit[0]]
            made = [tmp / f"{i}.{job.fmt}" for i in unit]
            reference = reference_docx if job.fmt == "docx" else reference_pptx
            images = any(IMAGE in md for md in markdowns)
            args, env, typst_file = pdf.typst_request(job, templates_dir, epoch, tmp, images=images) \
                if pdf.makes_pdf(job) else ([], {}, None)
            markdown = markdowns[0]
            if len(unit) > 1:  # the variants of a pack document: one reading of their Markdown (render/variants.py)
                more, more_env = variants_request(job, made[1:], reference, templates_dir, tmp)
                args, env, markdown = args + more, {**env, **more_env}, variants.merge(markdowns)
            if under_way is not None:
                under_way.set()
            # One pandoc run per unit: the Word files, and the Typst source for their PDFs (pdf.typst_request).
            run_pandoc(markdown, job, made[0], tmp, reference, epoch, (args, env))
            compiling = None
            written_here: Future = Future()  # the Word or PowerPoint files below, for the compile to cache with its PDFs
            if typst_file is not None:
                # Typst once per file, with the municipality's name and the variant filled into the source; all of
                # the unit's copies in one worker, where each reuses the layout of the ones before (pdf.py).
                source = typst_file.read_text(encoding="utf-8")
                compiling = compiles.submit(compile_job, unit, [
                    (pdf.fill(source, fill, k) if fill or len(unit) > 1 else source, pdf.pdf_target(target))
                    for k, i in enumerate(unit) for target, fill in jobs[i].outputs], written_here)
            try:
                outs = finish(unit, made)
            except BaseException as exc:
                written_here.set_exception(exc)  # the compile does not wait for files that will not come
                raise
            written_here.set_result(outs)
            if compiling is None:
                keep(unit, outs)
            return outs, compiling

        def finish(unit: tuple[int, ...], made: list[Path]) -> list[Path]:
            """pandoc's files for ``unit`` finished (header, footer, contents, notes) and written, with their copies,
            under ``dist_dir``."""
            outs: list[Path] = []
            for i, path in zip(unit, made):
                one = jobs[i]
                # python-docx and python-pptx parse with one module-level lxml parser, which is not safe to use from
                # two threads at once (it mixed the XML of two files: "Opening and ending tag mismatch"). pandoc, the
                # slow part, still runs in parallel; the finishing touches take turns.
                with _OOXML_LOCK:
                    if one.fmt == "docx":
                        finish_docx(path, one, epoch)
                    else:
                        course = one.context["course"]
                        notes = view.fill(course.description, one.context.get("municipality"))
                        finish_pptx(path, one, epoch, f"{notes} {' '.join(material_notice(project))}")
                for (target, _), data in zip(one.outputs, normalized_copies(path, epoch, [f for _, f in one.outputs])):
                    out = Path(dist_dir) / target
                    out.parent.mkdir(parents=True, exist_ok=True)
                    out.write_bytes(data)
                    outs.append(out)
            return outs

        shown = [0]

        def report() -> None:  # about every tenth of the way, not once a file
            if len(written) == total or len(written) * 10 // total > shown[0] * 10 // total:
                shown[0] = len(written)
                say(f"    {len(written)}/{total} dokument")

        # The PDFs compile in worker processes (see pdf.py): all copies of one training pack document in one worker,
        # where each copy reuses the layout of the one before. The units with the most PDFs start first, since their
        # compiles take longest; the files come out the same in any order. Each unit starts as soon as its Markdown is
        # made, so that pandoc is at work while the templates fill in the rest.
        env = make_env(templates_dir / "documents", "pandoc")
        units = sorted(plan_units(jobs), key=lambda u: -sum(len(jobs[i].outputs) * pdf.makes_pdf(jobs[i]) for i in u))
        threads = workers or os.cpu_count() or 2
        with ThreadPoolExecutor(max_workers=threads) as pool, ThreadPoolExecutor(max_workers=threads) as compiles:
            try:
                started = []
                for unit in units:
                    markdowns = []
                    for i in unit:
                        try:
                            markdowns.append(render_markdown(project, templates_dir, jobs[i], images, env))
                        except jinja2.TemplateError as exc:
                            where = (f"{getattr(exc, 'filename', None) or 'templates/documents'}:"
                                     f"{getattr(exc, 'lineno', None) or 1}")
                            raise DocumentError(f"Mallen kunde inte fyllas i ({where}): {exc}") from None
                    member_keys = [job_key(jobs[i], md, shared, view) for i, md in zip(unit, markdowns)]
                    keys[unit] = member_keys[0] if len(unit) == 1 else unit_key(member_keys)
                    files = cached_files(keys[unit])
                    if files is None:
                        started.append((unit, pool.submit(make, unit, markdowns)))
                        continue
                    if under_way is not None:  # from the cache: no pandoc run to wait for
                        under_way.set()
                    for target, data in files.items():
                        out = Path(dist_dir) / target
                        out.parent.mkdir(parents=True, exist_ok=True)
                        out.write_bytes(data)
                        written.append(out)
                if under_way is not None:
                    under_way.set()
                if written:
                    say(f"    {len(written)}/{total} dokument oförändrade sedan förra bygget (.handbok-cache)")
                    shown[0] = len(written)
                pending = []
                for unit, future in started:
                    outs, compiling = future.result()
                    written.extend(outs)
                    report()
                    if compiling is not None:
                        pending.append((unit, compiling))
                for unit, future in pending:
                    outs = future.result()
                    written.extend(outs)
                    report()
            except BaseException:
                pool.shutdown(cancel_futures=True)
                compiles.shutdown(cancel_futures=True)
                raise
            finally:  # the workers end with the documents (pdf.shutdown), after the compiles that use them
                compiles.shutdown(wait=True)
                pdf.shutdown()
    from .. import cache

    cache.prune(CACHE_AREA, set(keys.values()), CACHE_MAX_AGE)
    return written


# --- the cache ----------------------------------------------------------------------------------

CACHE_AREA = "documents"
# The programs and libraries whose versions decide a document's bytes.
_DEPENDENCIES = ("pypandoc-binary", "typst", "python-docx", "python-pptx", "font-roboto", "lxml")


def _versions() -> str:
    from importlib import metadata

    found = []
    for name in _DEPENDENCIES:
        try:
            found.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name}=-")
    return ";".join(found)


def _tree_digest(folder: Path, pattern: str = "*") -> str:
    import hashlib

    h = hashlib.sha256()
    for path in sorted(p for p in Path(folder).rglob(pattern) if p.is_file()):
        h.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def shared_key(templates_dir: Path, images: Path, epoch: int) -> str:
    """What every job's cache key holds: the document templates (reference files, Typst template), the images beside
    them (the charts), the date and the versions of pandoc, Typst and the rest."""
    return "\n".join([_versions(), _tree_digest(Path(templates_dir) / "documents"), _tree_digest(images), str(epoch)])


def job_key(job: Job, markdown: str, shared: str, view: View) -> str:
    """The job's cache key: its Markdown and fields, and ``shared_key``."""
    from .. import cache

    extra = ""
    if job.fmt == "pptx":  # the title slide's notes come from the course, not from the Markdown
        extra = view.fill(job.context["course"].description, job.context.get("municipality"))
    fields = repr((job.target, job.template, job.title, job.subtitle, job.header, job.subject, job.keywords,
                   job.toc, job.copies, job.author, extra))
    return cache.key(CACHE_AREA, shared, fields, markdown)


def unit_key(member_keys: list[str]) -> str:
    """The cache key of the variants read together (plan_units): the keys of its jobs, in order."""
    from .. import cache

    return cache.key(CACHE_AREA, "varianter", *member_keys)


def cached_files(key: str) -> dict[str, bytes] | None:
    """The files a job made before, by target under dist/; None when not cached (or the entry is unreadable)."""
    from .. import cache

    data = cache.get(CACHE_AREA, key)
    files = None if data is None else cache.unpack_files(data)  # a damaged entry is a miss; the job runs again
    if files is not None:
        cache.touch(CACHE_AREA, key)
    return files


def store_files(key: str, files: dict[str, bytes]) -> None:
    from .. import cache

    cache.put(CACHE_AREA, key, cache.pack_files(files))


#: How long a document no build has used stays in the cache (switching branches and back within a day is free).
CACHE_MAX_AGE = 24 * 3600


# --- the Word styles --------------------------------------------------------------------------

def make_reference_docx(target: Path = Path("templates/documents/reference.docx")) -> None:
    """Write ``reference.docx``: pandoc's default styles, adapted (A4, readable fonts, AA contrast, TOC levels).

    Run by ``make reference-docx`` when the styles should change; the file is committed.
    """
    import docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Mm, Pt, RGBColor

    raw = subprocess.run([pandoc_path(), "--print-default-data-file", "reference.docx"], capture_output=True, check=True).stdout
    d = docx.Document(io.BytesIO(raw))
    for s in d.sections:
        s.page_width, s.page_height = Mm(210), Mm(297)
        s.left_margin = s.right_margin = Mm(25)
        s.top_margin = s.bottom_margin = Mm(25)
    dark, text = RGBColor(0x1D, 0x5A, 0x8C), RGBColor(0x1A, 0x1A, 0x1A)  # 7.4:1 and 17:1 on white
    styles = d.styles
    normal = styles["Normal"]
    normal.font.name, normal.font.size, normal.font.color.rgb = "Arial", Pt(11), text
    for name, size in (("Title", 26), ("Subtitle", 14), ("Heading 1", 18), ("Heading 2", 14), ("Heading 3", 12),
                       ("Heading 4", 11)):
        st = styles[name]
        st.font.name, st.font.size, st.font.color.rgb = "Arial", Pt(size), dark if name != "Subtitle" else text
        st.font.bold = name not in ("Subtitle",)
    for name in ("Body Text", "First Paragraph", "Compact", "Footnote Text", "Table Caption", "Image Caption"):
        styles[name].font.name = "Arial"
    styles["Footnote Text"].font.size = Pt(9)
    styles["Hyperlink"].font.color.rgb = dark
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

    def builtin(name: str, style_id: str) -> Any:
        # Word's own styles (toc 1, header, …) under their built-in ids, so that Word treats them as its own.
        st = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        st.element.set(f"{w}styleId", style_id)
        st.element.attrib.pop(f"{w}customStyle", None)
        st.base_style = normal
        return st

    for name, style_id, indent in (("toc 1", "TOC1", 0), ("toc 2", "TOC2", 5)):
        st = builtin(name, style_id)
        st.paragraph_format.left_indent = Mm(indent)
        st.paragraph_format.space_after = Pt(2)
    for name, style_id in (("Header", "Header"), ("Footer", "Footer")):
        builtin(name, style_id).font.size = Pt(9)
    d.core_properties.title = "Rutinhandboken: formatmall"
    d.core_properties.language = LANG
    target.parent.mkdir(parents=True, exist_ok=True)
    d.save(str(target))
    normalize_zip(target, EARLIEST_ZIP_DATE)


def write_one(project: Project, templates_dir: Path, job: Job, target: Path, epoch: int) -> Path:
    """One Word file outside the build (``handbok remiss``): the same template, pandoc and finishing as dist/."""
    templates_dir = Path(templates_dir)
    try:
        markdown = render_markdown(project, templates_dir, job, {})
    except jinja2.TemplateError as exc:
        where = f"{getattr(exc, 'filename', None) or 'templates/documents'}:{getattr(exc, 'lineno', None) or 1}"
        raise DocumentError(f"Mallen kunde inte fyllas i ({where}): {exc}") from None
    with tempfile.TemporaryDirectory(prefix="handbok-doc-") as tmp_name:
        made = Path(tmp_name) / f"doc.{job.fmt}"
        run_pandoc(markdown, job, made, Path(tmp_name), templates_dir / "documents" / "reference.docx", epoch)
        with _OOXML_LOCK:
            finish_docx(made, job, epoch)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".tmp")
        normalize_zip(made, epoch, partial, "")
        partial.replace(target)
    return target
