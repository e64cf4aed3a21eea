"""Stage 5 (documents): every generated Word and PowerPoint file, opened with python-docx and python-pptx."""

import collections
import datetime as dt
import hashlib
import io
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pptx
import pytest
from lxml import etree

from conftest import ROOT, run_cli
from generators.pipeline import check_content
from generators.render import documents
from generators.render.context import View, partial_date
from generators.render.templating import pandoc_escape

EPOCH = dt.datetime.fromtimestamp(1796256000, dt.timezone.utc)  # SOURCE_DATE_EPOCH in conftest.run_cli
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NS = {"w": W[1:-1]}


@pytest.fixture(scope="module")
def project():
    p, _ = check_content(ROOT / "content")
    return p


def _packs(project):
    return View(project).pack_municipalities()


def _headings(path: Path) -> list[tuple[int, str]]:
    d = docx.Document(str(path))
    out = []
    for para in d.paragraphs:
        m = re.fullmatch(r"Heading (\d)", para.style.name)
        if m:
            out.append((int(m.group(1)), para.text))
    return out


def _footnotes(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as zf:
        root = etree.fromstring(zf.read("word/footnotes.xml"))
    notes = []
    for fn in root.findall("w:footnote", NS):
        if fn.get(f"{W}type") in ("separator", "continuationSeparator"):
            continue
        notes.append(" ".join("".join(t.text or "" for t in fn.iter(f"{W}t")).split()))
    return notes


def _xml_text(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        return "\n".join(zf.read(n).decode("utf-8") for n in zf.namelist() if n.endswith((".xml", ".rels")))


# --- what is written --------------------------------------------------------------------


def test_every_document_is_written(project, default_dist):
    assert (default_dist / "handlingsplan.docx").is_file()
    assert (default_dist / "rutinhandbok.docx").is_file()
    assert (default_dist / "avstamning-betanketid.docx").is_file()
    packs = sorted(p.name for p in (default_dist / "utbildning").iterdir())
    # Those that joined and those that had not (the 2022 report), and Danderyd, whose status is unknown.
    assert len(packs) == 26 and {m.status for m in _packs(project)} == {"ansluten", "ej ansluten", "okänd"}
    assert {"upplands-vasby", "sodertalje", "botkyrka"} <= set(packs)
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name) for name in packs)
    for name in packs:
        assert sorted(f.name for f in (default_dist / "utbildning" / name).iterdir()) == [
            "deltagarmaterial.docx", "deltagarmaterial.pdf", "presentation.pptx", "utbildarhandledning.docx",
            "utbildarhandledning.pdf"]  # the PDFs: tests/test_pdf.py


def test_no_placeholder_is_left_in_any_document(default_dist):
    for path in default_dist.rglob("*"):
        if path.suffix in (".docx", ".pptx"):
            assert documents.PLACEHOLDER not in _xml_text(path), path


# --- the action plan -----------------------------------------------------------------------


def test_plan_headings_follow_the_chapters(project, default_dist):
    plan = project.plans["handlingsplan-2021"]
    headings = _headings(default_dist / "handlingsplan.docx")
    assert [t for level, t in headings if level == 1] == [ch.title for ch in plan.chapters]
    previous = 0
    for level, text in headings:
        assert level <= previous + 1, f"rubriknivå hoppar till {level}: {text}"
        previous = level
    titles = [t for _, t in headings]
    for n in range(1, 7):
        assert any(t.startswith(f"{n}. ") for t in titles), f"utvecklingsområde {n}"


def test_plan_has_a_filled_table_of_contents(project, default_dist):
    xml = _xml_text(default_dist / "handlingsplan.docx")
    assert re.search(r'<w:instrText[^>]*>TOC \\o "1-2"', xml)
    d = docx.Document(str(default_dist / "handlingsplan.docx"))
    body = d.element.body
    toc = ["".join(t.text for t in p.iter(f"{W}t")) for p in body.iter(f"{W}p")
           if p.find(f"{W}pPr/{W}pStyle") is not None and p.find(f"{W}pPr/{W}pStyle").get(f"{W}val") == "TOC1"]
    assert toc == [ch.title for ch in project.plans["handlingsplan-2021"].chapters]


def test_plan_has_a_footnote_for_each_legal_reference(project, default_dist):
    plan = project.plans["handlingsplan-2021"]
    view = View(project)
    as_of = partial_date(plan.adopted)
    expected = collections.Counter()
    for doc in project.prose.values():
        for ref in doc.refs:
            if ref.kind == "law":
                expected[view.legal_note(doc.target(ref), as_of).text] += 1
    assert sum(expected.values()) >= 10
    notes = [n.removesuffix(" officiell text").strip() for n in _footnotes(default_dist / "handlingsplan.docx")]
    actual = collections.Counter(n for n in notes if n in expected)
    assert actual == expected


def test_plan_footnotes_date_what_has_changed_in_the_law(default_dist):
    notes = _footnotes(default_dist / "handlingsplan.docx")
    assert any("socialtjänstlagen (2001:453)" in n and "Upphävd 1 juli 2025; motsvaras i dag av 13 kap. 1 § "
               "socialtjänstlag (2025:400)." in n for n in notes)
    assert any(n.startswith("10 kap. 23 §") and "Ändrat 1 april 2025" in n for n in notes)
    # A source footnote names the document by title and diarienummer.
    assert any("Handlingsplan för att motverka människohandel och prostitution, Socialnämnden" in n
               and "Dnr 3.1.1-531/2021" in n for n in notes)


def test_plan_header_footer_and_properties(project, default_dist):
    d = docx.Document(str(default_dist / "handlingsplan.docx"))
    plan = project.plans["handlingsplan-2021"]
    assert d.sections[0].header.paragraphs[0].text == f"{plan.title} · {plan.diarienummer}"
    footer = etree.tostring(d.sections[0].footer._element, encoding="unicode")
    assert 'w:instr="PAGE"' in footer and 'w:instr="NUMPAGES"' in footer
    props = d.core_properties
    assert props.title == plan.title and props.language == "sv-SE"
    assert props.created == EPOCH and props.modified == EPOCH
    assert abs(d.sections[0].page_width - docx.shared.Mm(210)) < docx.shared.Mm(0.1)  # A4


def test_plan_measures_and_follow_up(project, default_dist):
    d = docx.Document(str(default_dist / "handlingsplan.docx"))
    text = "\n".join(p.text for p in d.paragraphs)
    assert project.plans["handlingsplan-2021"].measures_note.split(".")[0] in text
    for m in project.measures.values():
        assert m.title in text
    table = d.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["Åtgärd", "Område", "Ansvarig", "Tidsram", "Status"]
    assert table.rows[0]._tr.find(f"{W}trPr/{W}tblHeader") is not None  # a real header row
    assert len(table.rows) == len(project.measures) + 1
    alts = [pr.get("descr") for pr in d.element.body.iter("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr")]
    assert any(a.startswith("Stapeldiagram: Ansökningar om betänketid. 2024: 14; våren 2025: 3") for a in alts)
    # Each chart has its table, with every point's source in a footnote.
    assert any(["2024", "14"] == [c.text for c in row.cells][:2] for t in d.tables for row in t.rows)


# --- the printable routine handbook ---------------------------------------------------------


def test_routine_handbook_groups_routines_by_target_group(project, default_dist):
    headings = _headings(default_dist / "rutinhandbok.docx")
    assert [t for level, t in headings if level == 1] == ["Vuxna", "Barn och unga under 18 år",
                                                          "Köpare av sexuella handlingar"]
    level2 = [t for level, t in headings if level == 2]
    for r in project.routines.values():
        assert r.title in level2, r.id
    # Statutes stand once per routine, in its Lagstöd list (not in a footnote per step).
    text = [p.text for p in docx.Document(str(default_dist / "rutinhandbok.docx")).paragraphs]
    law = next(i for i, t in enumerate(text) if t.startswith("Utlänningslag (2005:716)"))
    assert any(t.startswith("5 kap. 15 § andra stycket") for t in text[law:law + 12])


# --- training packs ------------------------------------------------------------------------------


def test_every_slide_has_speaker_notes_and_a_title(project, default_dist):
    for m in _packs(project):
        prs = pptx.Presentation(str(default_dist / "utbildning" / m.id / "presentation.pptx"))
        assert len(prs.slides) > 20
        for i, slide in enumerate(prs.slides, 1):
            assert slide.has_notes_slide and slide.notes_slide.notes_text_frame.text.strip(), (m.id, i)
            assert slide.shapes.title is not None and slide.shapes.title.text.strip(), (m.id, i)
        assert prs.core_properties.language == "sv-SE"


def test_each_pack_names_its_municipality_and_has_the_right_variant(project, default_dist):
    course = project.courses["grundutbildning"]
    view = View(project)
    for m in _packs(project):
        mine = view.variant(course, m)
        others = [v for v in (course.variants.ansluten, course.variants.ej_ansluten, course.variants.okand)
                  if v is not None and v is not mine]
        folder = default_dist / "utbildning" / m.id
        prs = pptx.Presentation(str(folder / "presentation.pptx"))
        assert [ph.text_frame.text for ph in prs.slides[0].placeholders][1] == f"{m.name} · Utkast, inte fastställt"
        titles = [s.shapes.title.text for s in prs.slides]
        notes_text = "\n".join(s.notes_slide.notes_text_frame.text for s in prs.slides)
        assert view.fill(mine.title, m) in titles
        assert view.fill(mine.notes, m).split(".")[0] in notes_text
        assert all(view.fill(other.title, m) not in titles for other in others)
        for name in ("deltagarmaterial.docx", "utbildarhandledning.docx"):
            d = docx.Document(str(folder / name))
            h1 = [p.text for p in d.paragraphs if p.style.name == "Heading 1"]
            assert m.name in d.sections[0].header.paragraphs[0].text
            assert view.fill(mine.title, m) in h1 and all(view.fill(other.title, m) not in h1 for other in others)
            assert view.fill(mine.notes, m).split(".")[0] in "\n".join(p.text for p in d.paragraphs)


def test_pack_pulls_routines_and_provisions_from_their_records(project, default_dist):
    """The handout shows what the records say now: change a routine and the pack changes with it."""
    module = project.modules["betanketid-och-rattigheter"]
    d = docx.Document(str(default_dist / "utbildning" / "solna" / "deltagarmaterial.docx"))
    text = "\n".join(p.text for p in d.paragraphs)
    routine = project.routines["betanketid"]
    assert routine.summary.split()[0] in text and f"Rutin: {routine.title}." in text
    for step in routine.steps:
        assert " ".join(step.action.split()) in text
    notes = _footnotes(default_dist / "utbildning" / "solna" / "deltagarmaterial.docx")
    cites = View(project).module_citations(module)
    assert cites and all(any(n.startswith(res.label) for n in notes) for res in cites)


def test_trainer_guide_has_answers_and_schedule(project, default_dist):
    d = docx.Document(str(default_dist / "utbildning" / "botkyrka" / "utbildarhandledning.docx"))
    text = "\n".join(p.text for p in d.paragraphs)
    for mid in project.courses["grundutbildning"].modules:
        for q in project.modules[mid].questions:
            right = next(o.text for o in q.options if o.correct)
            assert f"{right} (rätt)" in text
    schedule = d.tables[0]
    assert schedule.rows[-1].cells[-1].text == str(View(project).course_minutes(project.courses["grundutbildning"]))


# --- determinism, escaping, duplicates ------------------------------------------------------------


def _hashes(d: Path) -> dict[str, str]:
    return {p.relative_to(d).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(d.rglob("*")) if p.is_file()}


def test_rebuild_gives_identical_documents(default_dist, tmp_path):
    r = run_cli("build", "--site-dir", str(tmp_path / "site"), "--dist-dir", str(tmp_path / "dist"),
                env={"HANDBOK_CACHE": "off"})  # both builds really run pandoc and Typst
    assert r.returncode == 0, r.stderr
    assert _hashes(tmp_path / "dist") == _hashes(default_dist)


def test_zip_entries_have_fixed_dates(default_dist):
    with zipfile.ZipFile(default_dist / "utbildning" / "solna" / "presentation.pptx") as zf:
        assert {i.date_time for i in zf.infolist()} == {EPOCH.timetuple()[:6]}


def _zipfile_copy(path: Path, fill: str) -> bytes:
    """A copy as zipfile writes it: the way normalize_zip wrote every copy before it compressed shared parts once."""
    from xml.sax.saxutils import escape

    out = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if fill and info.filename.endswith((".xml", ".rels")):
                data = data.replace(documents.PLACEHOLDER.encode(), escape(fill).encode())
            new = zipfile.ZipInfo(info.filename, date_time=EPOCH.timetuple()[:6])
            new.external_attr = 0o644 << 16
            new.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(new, data)
    return out.getvalue()


@pytest.mark.parametrize("names", [("word/document.xml", "docProps/core.xml", "word/media/bild.png"),
                                   ("word/document.xml", "word/ä.xml")])  # a name outside ASCII: zipfile writes it
def test_copies_are_the_bytes_zipfile_writes_with_the_name_filled_in(tmp_path, names):
    ph = documents.PLACEHOLDER.encode()
    source = tmp_path / "mall.docx"
    with zipfile.ZipFile(source, "w") as zf:
        for i, name in enumerate(names):
            zf.writestr(name, b"<w>" + ph + b" i " + ph + b"</w>" * 50 if i == 0 else b"<x>delad del</x>" * 40 + ph)
    fills = ["Solna", "Upplands-Bro & <Väsby>", ""]
    copies = list(documents.normalized_copies(source, int(EPOCH.timestamp()), fills))
    assert copies == [_zipfile_copy(source, f) for f in fills]
    with zipfile.ZipFile(io.BytesIO(copies[1])) as zf:
        assert zf.testzip() is None
        assert zf.read(names[0]).startswith(b"<w>Upplands-Bro &amp; &lt;V\xc3\xa4sby&gt; i Upplands-Bro")
        if names[2:]:
            assert zf.read(names[2]).endswith(ph)  # only XML parts are filled in


@pytest.mark.parametrize("text, shown", [
    ("<script>alert(1)</script>", "<script>alert(1)</script>"),
    ("[klicka](javascript:alert(1))", "[klicka](javascript:alert(1))"),
    ('<img src=x onerror="alert(1)">', '<img src=x onerror="alert(1)">'),
    ("Text{: onclick=alert(1) }", "Text{: onclick=alert(1) }"),
    ("^[fotnot] och # rubrik", "^[fotnot] och # rubrik"),
    ("1. inte en lista", "1. inte en lista"),
    ("Upplands-Väsby & Södertälje", "Upplands-Väsby & Södertälje"),
])
def test_content_reaches_word_as_text(text, shown, tmp_path):
    """Whatever the content holds, pandoc shows it as written: no markup, no links, no script."""
    out = tmp_path / "t.docx"
    job = documents.Job("t.docx", "", "Test")
    documents.run_pandoc(str(pandoc_escape(text)) + "\n", job, out, tmp_path, None, 1796256000)
    d = docx.Document(str(out))
    assert [p.text for p in d.paragraphs if p.text] == ["Test", shown]
    with zipfile.ZipFile(out) as zf:
        assert b"<w:hyperlink" not in zf.read("word/document.xml")


def test_two_jobs_may_not_write_the_same_file(project):
    jobs = documents.plan_jobs(project)
    documents.check_unique(jobs)  # the real plan is fine
    dup = documents.Job("handlingsplan.docx", "rutinhandbok.md.j2", "Dubblett")
    with pytest.raises(documents.DocumentError, match="Två dokument skulle skrivas till dist/handlingsplan.docx"):
        documents.check_unique(jobs + [dup])


# --- LibreOffice -------------------------------------------------------------------------------------


def _soffice() -> str | None:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None and os.environ.get("CI") == "true":
        pytest.fail("CI=true men LibreOffice saknas: .ci/run ska installera libreoffice-writer-nogui och "
                    "libreoffice-impress-nogui.")
    if found is None:
        pytest.skip("LibreOffice saknas; testet körs alltid i CI.")
    return found


def test_libreoffice_converts_every_document_to_pdf(default_dist, tmp_path):
    soffice = _soffice()
    flat = tmp_path / "in"
    flat.mkdir()
    for f in default_dist.rglob("*"):
        if f.suffix in (".docx", ".pptx"):
            shutil.copy(f, flat / f.relative_to(default_dist).as_posix().replace("/", "--"))
    files = sorted(flat.iterdir())
    assert len(files) == sum(len(job.outputs) for job in documents.plan_jobs(check_content(ROOT / "content")[0]))
    out = tmp_path / "pdf"
    r = subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(out), *map(str, files)],
                       capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stderr
    for f in files:
        pdf = out / (f.stem + ".pdf")
        assert pdf.is_file() and pdf.stat().st_size > 1000, (f.name, r.stdout[-2000:], r.stderr[-2000:])


def test_reference_docx_is_made_by_its_function(tmp_path):
    """The committed Word styles are exactly what `make reference-docx` writes: no hand edits to lose."""
    documents.make_reference_docx(tmp_path / "reference.docx")
    assert (tmp_path / "reference.docx").read_bytes() == (ROOT / "templates" / "documents" / "reference.docx").read_bytes()


def test_a_large_handbook_is_cut_into_volumes(project, monkeypatch):
    """Past VOLUME_SIZE routines the printable handbook becomes volumes, each routine in full in exactly one."""
    monkeypatch.setattr(documents, "VOLUME_SIZE", 5)
    jobs = [j for j in documents.plan_jobs(project) if j.target.startswith("rutinhandbok")]
    n = -(-len(project.routines) // 5)
    assert [j.target for j in jobs] == [f"rutinhandbok-del-{i}.docx" for i in range(1, n + 1)]
    assert jobs[0].title.endswith(f", del 1 av {n}")
    full = collections.Counter()
    for job in jobs:
        md = documents.render_markdown(project, ROOT / "templates", job, {})
        for r in project.routines.values():
            if re.search(rf"^## {re.escape(str(pandoc_escape(r.title)))}\n+(?!Se rutinen under)", md, re.M):
                full[r.id] += 1
        assert len(job.context["volume"]) <= 5
    assert set(full) == set(project.routines) and set(full.values()) == {1}


def test_a_small_handbook_is_one_file(project):
    assert [j.target for j in documents.plan_jobs(project) if j.target.startswith("rutinhandbok")] == ["rutinhandbok.docx"]
