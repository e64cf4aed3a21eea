"""Stage 5 (PDF): a PDF beside every Word document, read back with poppler's pdftotext and pdfinfo."""

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from io import BytesIO
from pathlib import Path

import pikepdf
import pytest

from conftest import ROOT
from generators.pipeline import check_content
from generators.render import documents, pdf
from generators.render.context import View
from generators.render.site import download_title

EPOCH = 1796256000  # SOURCE_DATE_EPOCH in conftest.run_cli
WORD_JOINER = "\u2060"  # Typst puts one before each page number in the table of contents


@pytest.fixture(scope="module")
def project():
    p, _ = check_content(ROOT / "content")
    return p


def _poppler(tool: str) -> str:
    found = shutil.which(tool)
    if found is None and os.environ.get("CI") == "true":
        pytest.fail(f"CI=true men {tool} saknas: .ci/run ska installera poppler-utils.")
    if found is None:
        pytest.skip(f"{tool} (poppler-utils) saknas; testet körs alltid i CI.")
    return found


def _pages(path: Path) -> list[str]:
    """The text of each page, laid out as printed."""
    out = subprocess.run([_poppler("pdftotext"), "-layout", str(path), "-"], capture_output=True, text=True,
                         check=True).stdout
    return out.replace(WORD_JOINER, "").split("\f")[:-1]


def _info(path: Path, *flags: str) -> str:
    return subprocess.run([_poppler("pdfinfo"), *flags, str(path)], capture_output=True, text=True, check=True,
                          env=dict(os.environ, TZ="UTC")).stdout


def _flat(text: str) -> str:
    """Without any white space, so that words and addresses broken over lines still match."""
    return re.sub(r"\s+", "", text)


def _compile(markdown: str, job: documents.Job, tmp: Path, name: str = "", epoch: int = EPOCH) -> Path:
    source = pdf.typst_source(markdown, job, ROOT / "templates", epoch)
    out = tmp / (pdf.pdf_target(job.target).replace("/", "-"))
    pdf.compile_pdf(pdf.fill(source, name) if name else source, tmp, out, pdf.pdf_target(job.target), epoch)
    return out


def _small_job() -> documents.Job:
    return documents.Job("prov.docx", "", "Prov", author="Stockholms stad", keywords="a; b")


# --- what is written ---------------------------------------------------------------------


def test_every_word_document_has_a_pdf_beside_it_and_nothing_else_does(project, default_dist):
    for name in ("handlingsplan", "rutinhandbok", "avstamning-betanketid", "oppna-fragor"):
        assert (default_dist / f"{name}.pdf").is_file(), name
    packs = View(project).pack_municipalities()
    assert packs
    for m in packs:
        folder = default_dist / "utbildning" / m.id
        assert (folder / "deltagarmaterial.pdf").is_file() and (folder / "utbildarhandledning.pdf").is_file(), m.id
        assert not (folder / "presentation.pdf").exists()
    docx = {p.relative_to(default_dist).with_suffix("").as_posix() for p in default_dist.rglob("*.docx")}
    pdfs = {p.relative_to(default_dist).with_suffix("").as_posix() for p in default_dist.rglob("*.pdf")}
    assert pdfs == docx
    planned = {pdf.pdf_target(t) for job in documents.plan_jobs(project) if pdf.makes_pdf(job) for t, _ in job.outputs}
    assert {p + ".pdf" for p in pdfs} == planned
    for path in default_dist.rglob("*.pdf"):
        assert path.read_bytes().startswith(b"%PDF-"), path


def test_table_of_contents_shows_the_page_of_each_chapter(project, default_dist):
    pages = _pages(default_dist / "handlingsplan.pdf")
    plan = next(iter(project.plans.values()))
    assert "Innehåll" in pages[0]
    toc_pages = [p for p in pages[:next(i for i, p in enumerate(pages) if ". . . ." not in p)]]  # may run on
    lines = "\n".join(toc_pages).splitlines()
    for chapter in plan.chapters:
        start = next((i for i, ln in enumerate(lines) if ln.strip().startswith(chapter.title[:40])), None)
        assert start is not None, chapter.title
        # A long title wraps; its entry ends on the first line that ends in dot leaders and a page number.
        m = next(m for ln in lines[start:start + 3] if (m := re.search(r"\. \.\s*(\d+)\s*$", ln)))
        page = int(m.group(1))
        assert 1 < page <= len(pages)
        assert _flat(chapter.title) in _flat(pages[page - 1]), (chapter.title, page)


@pytest.mark.parametrize("name", ["deltagarmaterial", "utbildarhandledning"])
def test_a_training_pack_opens_with_its_status_and_a_table_of_contents(project, default_dist, name):
    """Page 1 of a municipality's handout and trainer guide: the cover line says it is a draft, and the table of
    contents gives each module's page."""
    pages = _pages(default_dist / "utbildning" / "huddinge" / f"{name}.pdf")
    cover = _flat(pages[0])
    assert _flat("Stockholms stad · Deltagarmaterial" if name == "deltagarmaterial" else "Stockholms stad · Utbildarhandledning") \
        in cover and _flat("för Huddinge · Utkast, inte fastställt") in cover
    assert "Innehåll" in pages[0]
    course = next(iter(project.courses.values()))
    lines = "\n".join(pages[:2]).splitlines()
    for mid in course.modules:
        title = project.modules[mid].title
        m = next((m for ln in lines if ln.strip().startswith(title) and (m := re.search(r"(\d+)\s*$", ln))), None)
        assert m is not None, title
        assert _flat(title) in _flat(pages[int(m.group(1)) - 1]), (title, m.group(1))


def test_every_page_has_the_running_header_and_sida_n_av_m(default_dist):
    pages = _pages(default_dist / "handlingsplan.pdf")
    assert len(pages) > 5
    for n, text in enumerate(pages, 1):
        assert re.search(rf"Sida {n} av {len(pages)}\s*$", text), n
        if n > 1:
            assert text.lstrip().startswith("Handlingsplan för att motverka"), n  # the header, not on the cover
    info = _info(default_dist / "handlingsplan.pdf")
    assert re.search(rf"^Pages:\s+{len(pages)}$", info, re.M)
    assert "Page size:       595.276 x 841.89 pts (A4)" in info


def test_metadata_title_author_language_date_and_tags(project, default_dist):
    plan = next(iter(project.plans.values()))
    path = default_dist / "handlingsplan.pdf"
    info = _info(path)
    assert re.search(rf"^Title:\s+{re.escape(plan.title)}$", info, re.M)
    assert re.search(rf"^Author:\s+{re.escape(project.organisation.author)}$", info, re.M)
    assert re.search(r"^Keywords:\s+människohandel, prostitution, handlingsplan$", info, re.M)
    assert re.search(r"^Tagged:\s+yes$", info, re.M)
    assert re.search(r"^CreationDate:\s+Thu Dec\s+3 00:00:00 2026 UTC$", info, re.M)  # SOURCE_DATE_EPOCH
    xmp = _info(path, "-meta")
    assert "<rdf:li>sv-SE</rdf:li>" in xmp  # dc:language
    assert "<pdfuaid:part>1</pdfuaid:part>" in xmp and "<pdfaid:part>2</pdfaid:part>" in xmp
    with pikepdf.open(path) as doc:
        assert str(doc.Root.Lang) == "sv-SE"
        assert bool(doc.Root.MarkInfo.Marked) and "/StructTreeRoot" in doc.Root
        assert bool(doc.Root.ViewerPreferences.DisplayDocTitle)


def test_fonts_are_embedded_and_swedish_letters_come_back_out(default_dist):
    path = default_dist / "oppna-fragor.pdf"
    text = "\n".join(_pages(path))
    assert "Öppna frågor till förvaltningen" in text
    assert "människohandel" in text
    for letter in "åäöÅÄÖ":
        assert letter in text, letter
    assert not re.search(r"[\ufffd\x00]", text)
    fonts = subprocess.run([_poppler("pdffonts"), str(path)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(" yes yes " in row for row in rows), fonts  # embedded and subset
    assert any("Roboto" in row for row in rows)


def test_web_links_print_their_address(default_dist):
    text = _flat("\n".join(_pages(default_dist / "handlingsplan.pdf")))
    assert "officielltext(https://lagen.nu/" in text
    with pikepdf.open(default_dist / "handlingsplan.pdf") as doc:
        uris = {str(a.A.URI) for page in doc.pages for a in page.get("/Annots", []) if "/A" in a and "/URI" in a.A}
    assert any(u.startswith("https://lagen.nu/") for u in uris)  # and the link still works on screen


def test_the_chart_has_alternative_text(default_dist):
    with pikepdf.open(default_dist / "handlingsplan.pdf") as doc:
        figures = [e for e in _struct_elements(doc.Root.StructTreeRoot) if e.get("/S") == "/Figure"]
    assert figures and all(str(f.get("/Alt", "")).startswith("Stapeldiagram: ") for f in figures)


def _struct_elements(node, depth: int = 0):
    kids = node.get("/K")
    if kids is None or depth > 60:
        return
    for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            yield kid
            yield from _struct_elements(kid, depth + 1)


def test_each_pack_pdf_names_its_municipality(project, default_dist):
    for m in View(project).pack_municipalities():
        for name in ("deltagarmaterial.pdf", "utbildarhandledning.pdf"):
            path = default_dist / "utbildning" / m.id / name
            pages = _pages(path)
            assert m.name in pages[0], (m.id, name)
            assert all(m.name in p.strip().splitlines()[0] for p in pages[1:]), (m.id, name)  # running header
            assert "KOMMUN" not in "".join(pages) and "KOMMUN" not in _info(path), (m.id, name)
        assert m.name in _info(default_dist / "utbildning" / m.id / "deltagarmaterial.pdf")  # keywords


# --- determinism ------------------------------------------------------------------------------


def _digest(path: Path) -> str:
    """Compared as digests: a failed comparison of two PDFs' bytes would make pytest diff megabytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_same_job_compiled_again_gives_the_same_bytes(project, default_dist, tmp_path):
    """In this process, from the same Markdown, as the build did in its own: byte for byte, copies too."""
    jobs = documents.plan_jobs(project)
    questions = next(j for j in jobs if j.target == "oppna-fragor.docx")
    md = documents.render_markdown(project, ROOT / "templates", questions, {})
    first = _compile(md, questions, tmp_path)
    assert _digest(first) == _digest(default_dist / "oppna-fragor.pdf")
    solna = next(m for m in View(project).pack_municipalities() if m.id == "solna")
    pack = next(j for j in jobs if j.target.endswith("/utbildarhandledning.docx")
                and any(t.startswith("utbildning/solna/") for t, _ in j.outputs))
    md = documents.render_markdown(project, ROOT / "templates", pack, {})
    again = _compile(md, pack, tmp_path, name=solna.name)
    assert _digest(again) == _digest(default_dist / "utbildning" / "solna" / "utbildarhandledning.pdf")


def test_the_word_run_writes_the_typst_source_and_leaves_the_word_file_as_it_was(tmp_path):
    """The build reads the Markdown once: the Word file's pandoc run also writes the Typst source (pdf.lua). That
    source is the one a run of its own gives, and the Word file is the one a run without the filter gives."""
    ph = documents.PLACEHOLDER
    job = documents.Job("prov.docx", "", "Prov", subtitle=f"För {ph}", header=f"Prov · {ph}", keywords=f"prov; {ph}",
                        toc=True, author="Stockholms stad")
    md = f"# Om {ph}\n\nText med å, ä och ö.\n\n## Del\n\nMer text.\n"
    plain, both = tmp_path / "plain.docx", tmp_path / "both.docx"
    documents.run_pandoc(md, job, plain, tmp_path, None, EPOCH)
    args, env, source = pdf.typst_request(job, ROOT / "templates", EPOCH, tmp_path)
    documents.run_pandoc(md, job, both, tmp_path, None, EPOCH, (args, env))
    assert _digest(both) == _digest(plain)
    text = source.read_text(encoding="utf-8")
    assert text == pdf.typst_source(md, job, ROOT / "templates", EPOCH)
    assert "#metadata[Prov · ⟦KOMMUN⟧] <handbok-header>" in text and "#outline(title: [Innehåll]" in text
    assert "sv-SE" not in text  # the Word run's language is not part of the PDF's metadata
    # Without an image in the Markdown the filter for images is not run: the same Typst source and Word file.
    again = tmp_path / "again"
    again.mkdir()
    args, env, source = pdf.typst_request(job, ROOT / "templates", EPOCH, again, images=False)
    assert json.loads(Path(env[pdf.SETTINGS_ENV]).read_text(encoding="utf-8"))["images"] is False
    documents.run_pandoc(md, job, again / "both.docx", tmp_path, None, EPOCH, (args, env))
    assert _digest(again / "both.docx") == _digest(plain)
    assert source.read_text(encoding="utf-8") == text


def test_a_fresh_process_gives_the_same_bytes_and_the_date_follows_source_date_epoch(tmp_path):
    """Typst caches what it compiled; a second process starts without that cache."""
    here, there, later = (tmp_path / d for d in ("here", "there", "later"))
    for d in (here, there, later):
        d.mkdir()
    md = "# Rubrik\n\nText med å, ä och ö.\n"
    made = _compile(md, _small_job(), here)
    script = (f"import sys; sys.path[:0] = [{str(ROOT)!r}, {str(ROOT / 'tests')!r}]; from pathlib import Path; "
              f"from test_pdf import _compile, _small_job; _compile({md!r}, _small_job(), Path({str(there)!r}))")
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, check=True, timeout=120)
    assert _digest(there / made.name) == _digest(made)
    next_day = _compile(md, _small_job(), later, epoch=EPOCH + 86400)
    assert _digest(next_day) != _digest(made)
    assert re.search(r"^CreationDate:\s+Fri Dec\s+4 00:00:00 2026 UTC$", _info(next_day), re.M)


# --- links, names and errors, on small documents ------------------------------------------------


def test_links_inside_the_document_say_the_page_and_web_links_their_address(tmp_path):
    filler = "\n\n".join(f"Stycke {i}. " + "Text som fyller sidan. " * 40 for i in range(20))
    md = (f"# Inledning\n\nSe [Betänketid](#betänketid) och [Skydd](#skydd). Läs [källan](https://example.se/a/b) "
          f"och <https://example.se/c>.\n\n{filler}\n\n# Betänketid\n\nText.\n\n## Skydd {{#skydd}}\n\nText.\n")
    job = documents.Job("prov.docx", "", "Prov", toc=True)
    pages = _pages(_compile(md, job, tmp_path))
    where = {h: next(i for i, p in enumerate(pages, 1) if re.search(rf"^\s*{h}\s*$", p, re.M)) for h in
             ("Betänketid", "Skydd")}
    assert where["Betänketid"] > 2
    text = _flat("\n".join(pages))
    assert f"SeBetänketid,s.{where['Betänketid']}ochSkydd,s.{where['Skydd']}." in text
    assert "källan(https://example.se/a/b)" in text
    assert "https://example.se/c." in text and "https://example.se/c(" not in text  # the address is its own text


def test_a_municipality_name_is_text_wherever_it_stands(tmp_path):
    odd = 'Upplands-Bro "Norra" O\'Brien #1 [a] *b* _c_ <d> @e $f \\g -- h-? // i'
    assert pdf.typst_markup("Upplands-Bro") == "Upplands-Bro"  # the same as in a Typst string
    ph = documents.PLACEHOLDER
    job = documents.Job("prov.docx", "", "Prov", subtitle=f"För {ph}", header=f"Prov · {ph}", keywords=f"prov; {ph}")
    md = f"# Om {ph}\n\n{ph}\n\nMedarbetare i {ph} och {ph}s.\n"
    path = _compile(md, job, tmp_path, name=odd)
    assert _flat("\n".join(_pages(path))).count(_flat(odd)) == 5  # subtitle, heading, three times in the text
    assert re.search(rf"^Keywords:\s+prov, {re.escape(odd)}$", _info(path), re.M)


def test_typst_errors_name_the_file(tmp_path):
    from PIL import Image

    with pytest.raises(documents.DocumentError, match=r"Typst kunde inte skapa dist/x/prov\.pdf"):
        pdf.compile_pdf("#let x = (\n", tmp_path, tmp_path / "prov.pdf", "x/prov.pdf", EPOCH)
    Image.new("RGB", (4, 4), "white").save(tmp_path / "bild.png")
    # PDF/UA: an image without alternative text is refused, not published.
    with pytest.raises(documents.DocumentError, match=r"Typst kunde inte skapa dist/prov\.pdf: .*alt"):
        pdf.compile_pdf('#set document(title: "t")\n#set text(lang: "sv")\n#image("bild.png")\n', tmp_path,
                        tmp_path / "prov.pdf", "prov.pdf", EPOCH)
    assert not (tmp_path / "prov.pdf").exists() and not list(tmp_path.glob("*.typ"))


# --- packing the objects -------------------------------------------------------------------------


def _typst_raw(tmp: Path, markdown: str) -> bytes:
    """A PDF as Typst writes it, before ``compact``: the build's template and standards, a few links and lists."""
    import typst

    job = documents.Job("prov.docx", "", "Prov", toc=True, author="Stockholms stad", keywords="a; b")
    main = tmp / "raw.typ"
    main.write_text(pdf.typst_source(markdown, job, ROOT / "templates", EPOCH), encoding="utf-8")
    fonts = typst.Fonts(include_system_fonts=False, include_embedded_fonts=True, font_paths=[str(pdf.font_dir())])
    return typst.Compiler(root=str(tmp), font_paths=fonts, ignore_system_fonts=True).compile(
        str(main), pdf_standards=pdf.PDF_STANDARDS, timestamp=EPOCH)


def _objects(doc: pikepdf.Pdf) -> dict[tuple[int, int], bytes]:
    """Every object by number: a stream's dictionary and its bytes as stored, any other object as written."""
    found = {}
    for obj in doc.objects:
        if obj.objgen == (0, 0) or obj.get("/Type") in ("/ObjStm", "/XRef"):
            continue
        found[obj.objgen] = (obj.stream_dict.unparse() + b" " + obj.read_raw_bytes()
                             if isinstance(obj, pikepdf.Stream) else obj.unparse())
    return found


def test_packing_keeps_every_object_and_the_trailer_and_halves_the_file(tmp_path):
    items = "\n".join(f"- Punkt {i} med [en länk](https://example.se/{i}) och **fet** text." for i in range(150))
    raw = _typst_raw(tmp_path, f"# Rubrik\n\nText med å, ä och ö.\n\n{items}\n\n## Mer\n\nSlut.\n")
    packed = pdf.compact(raw)
    assert b"/ObjStm" not in raw and b"/ObjStm" in packed and b"/Type/XRef" in packed
    assert len(packed) < 0.5 * len(raw)
    with pikepdf.open(BytesIO(raw)) as before, pikepdf.open(BytesIO(packed)) as after:
        assert after.check_pdf_syntax() == []
        assert _objects(after) == _objects(before) and len(_objects(before)) > 1000
        assert after.trailer.ID == before.trailer.ID and after.Root.objgen == before.Root.objgen
        assert after.docinfo.objgen == before.docinfo.objgen and after.Root.Metadata.get("/Filter") is None
        assert after.open_metadata().get("pdfaid:part") == "2" and after.open_metadata().get("pdfuaid:part") == "1"
    assert pdf.compact(raw) == packed


def test_a_pdf_of_another_shape_is_left_as_it_is():
    """Already packed, updated after it was written, or not a PDF at all: valid (or not) as before, never broken."""
    body = b"1 0 obj\n<</Type/Catalog/Pages 2 0 R>>\nendobj\n2 0 obj\n<</Type/Pages/Count 0/Kids[]>>\nendobj\n"
    head = b"%PDF-1.7\n%\x80\x80\x80\x80\n"
    table = b"xref\n0 3\n0000000000 65535 f\r\n" + b"".join(
        b"%010d 00000 n\r\n" % (len(head) + body.index(b"%d 0 obj" % n)) for n in (1, 2))
    plain = head + body + table + b"trailer\n<</Size 3/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(head + body))
    packed = pdf.compact(plain)
    with pikepdf.open(BytesIO(packed)) as doc:  # the small one packs
        assert doc.Root.Pages.Count == 0 and doc.check_pdf_syntax() == []
    assert packed != plain and pdf.compact(packed) == packed
    updated = plain.replace(b"/Root 1 0 R>>", b"/Root 1 0 R/Prev 9>>")
    assert pdf.compact(updated) == updated
    assert pdf.compact(b"not a pdf") == b"not a pdf"


def test_every_built_pdf_is_packed_and_reads_cleanly(default_dist):
    for path in sorted(default_dist.rglob("*.pdf")):
        data = path.read_bytes()
        assert b"/Type/ObjStm" in data, path
        with pikepdf.open(path) as doc:
            assert doc.check_pdf_syntax() == [], path


# --- the site ---------------------------------------------------------------------------------


def test_a_pdf_has_its_word_documents_title():
    assert download_title("handlingsplan.pdf") == download_title("handlingsplan.docx") == "Handlingsplanen"
    assert download_title("utbildning/solna/deltagarmaterial.pdf") == "Deltagarmaterial"
    assert download_title("rutinhandbok-del-2.pdf") == "Rutinhandboken, utskrivbar version, del 2"


def test_download_pages_offer_each_pdf_with_type_and_size(default_site):
    page = (default_site / "nedladdning" / "index.html").read_text(encoding="utf-8")
    links = [(href, re.sub(r"<[^>]+>", "", text)) for href, text in re.findall(r'<a href="([^"]+)">(.*?)</a>', page)]
    titles = [t for href, t in links if href in ("handlingsplan.docx", "handlingsplan.pdf")]
    assert len(titles) == 2 and re.fullmatch(r"Handlingsplanen \(Word, [\d,]+ (kB|MB)\)", titles[0]) and \
        re.fullmatch(r"Handlingsplanen \(PDF, [\d,]+ (kB|MB)\)", titles[1]), titles
    size = r'<span class="handbok-storlek">\((?:PDF|Word), [\d,]+ (?:kB|MB)\)</span>'
    assert re.search(r'href="utbildning/solna/deltagarmaterial\.pdf">Deltagarmaterial ' + size, page)
    mun = (default_site / "utbildning" / "kommun" / "solna" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'nedladdning/utbildning/solna/utbildarhandledning\.pdf">Utbildarhandledning ' + size, mun)
