"""Stages 5–6: the site from content, atomic publishing, determinism and offline files."""

import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, run_cli
from generators import finish, publish
from generators.finish import _file_links


def _build(content: Path, out: Path, **env) -> subprocess.CompletedProcess:
    return run_cli("build", "--content", str(content), "--config", str(ROOT / "mkdocs.yml"),
                   "--site-dir", str(out / "site"), "--dist-dir", str(out / "dist"), env=env)


def _tree_hash(d: Path) -> dict[str, str]:
    return {p.relative_to(d).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(d.rglob("*")) if p.is_file()}


@pytest.fixture
def built(mini, tmp_path):
    r = _build(mini, tmp_path)
    assert r.returncode == 0, r.stderr
    return tmp_path


def test_pages_for_every_item(built):
    site = built / "site"
    for page in ["index.html", "rutiner/index.html", "rutiner/betanketid/index.html", "enheter/team/index.html",
                 "lagar/utl/index.html", "begrepp/index.html", "kommuner/index.html", "uppfoljning/index.html",
                 "kallor/index.html", "taggar/index.html", "om/index.html", "sw.js", "pagefind/pagefind.js"]:
        assert (site / page).is_file(), page
    assert (built / "dist" / "rutinhandbok-offline.zip").is_file()


def test_routine_page_content(built):
    html = (built / "site" / "rutiner" / "betanketid" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="sv"' in html
    assert '<ol class="task-list">' in html  # steps as a numbered checklist
    assert 'href="https://lagen.nu/2005:716#K5P15S2"' in html  # legal basis linked to the official text
    assert 'href="../../lagar/utl/#k5-p15-s2"' in html
    assert 'href="../../enheter/koordinator/"' in html  # responsible unit
    assert "reflektionsperiod" in html  # synonyms shown so that search finds them
    assert "Fastställd av Testnämnden 1 november 2026" in html  # adopted: by whom and when
    assert "handbok-status" not in html  # an adopted routine carries no draft banner
    assert 'href="../../kallor/#plan">Testplan</a>, Dnr 1/2021' in html  # source with diarienummer
    assert 'href="../polisinsats/"' in html  # related routine
    assert "data-pagefind-body" in html


def test_backlinks_on_law_and_unit_pages(built):
    law = (built / "site" / "lagar" / "utl" / "index.html").read_text(encoding="utf-8")
    assert 'id="k5-p15-s2"' in law and 'href="../../rutiner/betanketid/"' in law
    unit = (built / "site" / "enheter" / "team" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../rutiner/polisinsats/"' in unit
    assert '<a class="handbok-tel" href="tel:0701740650">070-174 06 50</a>' in unit  # its listed contact route
    old = (built / "site" / "lagar" / "sol-old" / "index.html").read_text(encoding="utf-8")
    assert "Upphävd 1 juli 2025" in old


def test_html_in_content_is_shown_as_text(mini, tmp_path):
    path = mini / "routines" / "polisinsats.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("Ge information om stöd.", "Ge <script>alert(1)</script> stöd."),
                    encoding="utf-8")
    assert _build(mini, tmp_path).returncode == 0
    html = (tmp_path / "site" / "rutiner" / "polisinsats" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_failed_build_leaves_previous_output_untouched(built, mini):
    before_site, before_dist = _tree_hash(built / "site"), _tree_hash(built / "dist")
    (mini / "units" / "team.yml").write_text("id: team\nname: [\n", encoding="utf-8")
    r = _build(mini, built)
    assert r.returncode == 1
    assert "error[yaml-syntax]" in r.stderr and "orörda" in r.stderr and "Traceback" not in r.stderr
    assert _tree_hash(built / "site") == before_site
    assert _tree_hash(built / "dist") == before_dist
    assert not list(built.glob(".handbok-tmp-*"))


def test_a_document_that_fails_while_the_site_is_built_stops_the_build(built, mini, tmp_path):
    """The documents are written while mkdocs makes the pages; a document that cannot be made still stops the
    build with pandoc's or Typst's message, and nothing is published."""
    import shutil

    before_site, before_dist = _tree_hash(built / "site"), _tree_hash(built / "dist")
    project = tmp_path / "projekt"
    shutil.copytree(ROOT / "templates", project / "templates")
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    (project / "content").mkdir()  # mkdocs.yml watches it
    typst = project / "templates" / "documents" / "typst" / "handbok.typst"
    typst.write_text(typst.read_text(encoding="utf-8") + "\n#let trasig = (\n", encoding="utf-8")
    r = run_cli("build", "--content", str(mini), "--config", str(project / "mkdocs.yml"),
                "--site-dir", str(built / "site"), "--dist-dir", str(built / "dist"))
    assert r.returncode == 1, r.stderr
    assert "3/5 Bygger webbplatsen" in r.stderr and "Bygget misslyckades: Typst kunde inte skapa dist/" in r.stderr
    assert "orörda" in r.stderr and "Traceback" not in r.stderr
    assert _tree_hash(built / "site") == before_site
    assert _tree_hash(built / "dist") == before_dist
    assert not list(built.glob(".handbok-tmp-*"))


def _popen_build(content: Path, out: Path) -> subprocess.Popen:
    """A build that is still writing its documents for a second or so after '2/5' (no cache): the signal the test
    sends on that line lands before publishing, even on a busy machine."""
    cmd = [sys.executable, "-m", "generators", "build", "--content", str(content), "--config", str(ROOT / "mkdocs.yml"),
           "--site-dir", str(out / "site"), "--dist-dir", str(out / "dist")]
    return subprocess.Popen(cmd, cwd=ROOT, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
                            env={**os.environ, "SOURCE_DATE_EPOCH": "1796256000", "HANDBOK_CACHE": "off"})


def test_an_interrupt_while_publishing_waits_until_both_swaps_are_done():
    """Ctrl-C (or SIGTERM) during the swaps or the cleanup takes effect after them, never between them."""
    done = []
    with pytest.raises(KeyboardInterrupt):
        with publish.deferred_interrupts():
            os.kill(os.getpid(), signal.SIGINT)
            done.append("dist")
            done.append("site")
    assert done == ["dist", "site"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # the usual handler is back
    with publish.deferred_interrupts():  # without an interrupt, nothing is raised
        done.append("again")
    assert done[-1] == "again"


@pytest.mark.parametrize("step, sig", [("2/5", signal.SIGKILL), ("4/5", signal.SIGKILL), ("2/5", signal.SIGTERM),
                                       ("4/5", signal.SIGTERM)])
def test_killed_build_leaves_previous_output_untouched(built, mini, step, sig):
    before_site, before_dist = _tree_hash(built / "site"), _tree_hash(built / "dist")
    routine = mini / "routines" / "polisinsats.yml"
    routine.write_text(routine.read_text(encoding="utf-8").replace("Ge information om stöd.", "Ny text."), encoding="utf-8")
    proc = _popen_build(mini, built)
    seen = []
    for line in proc.stderr:  # kill as soon as the build reports the step
        seen.append(line)
        if line.startswith(step):
            proc.send_signal(sig)
            break
    rest = proc.communicate(timeout=120)[1]
    assert any(line.startswith(step) for line in seen), "".join(seen) + rest
    assert _tree_hash(built / "site") == before_site
    assert _tree_hash(built / "dist") == before_dist
    if sig == signal.SIGTERM:  # unwinds: a Swedish message, no traceback, no temporary files left
        assert proc.returncode == 130 and "Avbrutet." in rest and "Traceback" not in rest
        assert not list(built.glob(".handbok-tmp-*"))
    else:
        assert proc.returncode == -signal.SIGKILL
    again = _build(mini, built)  # the next build removes what a killed build left and publishes
    assert again.returncode == 0, again.stderr
    assert not list(built.glob(".handbok-tmp-*"))
    assert ("Tog bort .handbok-tmp-" in again.stderr) == (sig == signal.SIGKILL)
    assert "Ny text." in (built / "site" / "rutiner" / "polisinsats" / "index.html").read_text(encoding="utf-8")


def test_ctrl_c_while_the_pdfs_compile_stops_the_build_at_once(tmp_path):
    """Ctrl-C goes to the whole process group, the PDF workers included (render/pdf.py). They hear it, unlike the
    other pools' workers, so that the build stops at once instead of after the compile under way: a training pack's
    26 copies take seconds. The build says "Avbrutet.", shows no traceback and publishes nothing."""
    import time

    cmd = [sys.executable, "-m", "generators", "build", "--site-dir", str(tmp_path / "site"),
           "--dist-dir", str(tmp_path / "dist")]
    proc = subprocess.Popen(cmd, cwd=ROOT, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
                            start_new_session=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
                            env={**os.environ, "SOURCE_DATE_EPOCH": "1796256000", "HANDBOK_CACHE": "off"})
    seen, sent = [], None
    try:
        for line in proc.stderr:
            seen.append(line)
            # The first progress line: the first unit's Word files are written, and the compile of its PDFs (the
            # training pack's handout or trainer's guide, one per municipality) has just started.
            if re.fullmatch(r"\d+/\d+ dokument", line.strip()):
                os.killpg(proc.pid, signal.SIGINT)
                sent = time.perf_counter()
                break
        rest = proc.communicate(timeout=60)[1]
        stopped = time.perf_counter() - (sent or 0)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert sent is not None and proc.returncode == 130, "".join(seen) + rest
    assert rest.strip().endswith("Avbrutet.") and "Traceback" not in rest, rest
    assert not (tmp_path / "site").exists() and not (tmp_path / "dist").exists()
    # The copies still to compile take 3–4 s alone on two cores (3.6 s measured with workers that ignored the
    # interrupt); the build that hears it stopped in 0.3–1.1 s with another build running beside it.
    assert stopped < 2.5, f"{stopped:.1f} s från Ctrl-C till slutet"


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "two-renames"])
def test_swap_into_place(tmp_path, monkeypatch, exchange):
    if not exchange:
        monkeypatch.setattr(publish, "_renameat2_exchange", lambda a, b: False)
    new, target = tmp_path / "new", tmp_path / "site"
    new.mkdir()
    (new / "index.html").write_text("ny", encoding="utf-8")
    publish.swap_into_place(new, target)  # no previous site: a plain rename
    assert (target / "index.html").read_text(encoding="utf-8") == "ny" and not new.exists()
    new.mkdir()
    (new / "index.html").write_text("nyare", encoding="utf-8")
    publish.swap_into_place(new, target)  # the previous site ends up where the new one was
    assert (target / "index.html").read_text(encoding="utf-8") == "nyare"
    assert (new / "index.html").read_text(encoding="utf-8") == "ny"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new", "site"]


def test_renameat2_is_used_on_linux(tmp_path):
    if not sys.platform.startswith("linux"):
        pytest.skip("renameat2 finns bara på Linux")
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "x").touch()
    assert publish._renameat2_exchange(a, b) is True
    assert (b / "x").exists() and not (a / "x").exists()


def test_stale_tmp_of_a_running_build_is_kept(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = tmp_path / f".handbok-tmp-{dead.stdout.strip()}-abc"
    running = tmp_path / f".handbok-tmp-{os.getppid()}-abc"
    for d in (stale, running):
        (d / "site").mkdir(parents=True)
    assert publish.clean_stale_tmp(tmp_path) == [stale]
    assert running.exists() and not stale.exists()


def test_two_builds_are_byte_identical(mini, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    assert _build(mini, a, HANDBOK_CACHE="off").returncode == 0
    assert _build(mini, b, HANDBOK_CACHE="off").returncode == 0
    assert _tree_hash(a / "site") == _tree_hash(b / "site")
    assert _tree_hash(a / "dist") == _tree_hash(b / "dist")


def test_service_worker_precaches_every_routine(built):
    sw = (built / "site" / "sw.js").read_text(encoding="utf-8")
    start = sw.index("const PRECACHE = ") + len("const PRECACHE = ")
    urls = json.loads(sw[start: sw.index(";\n", start)])
    assert {"./", "rutiner/betanketid/", "rutiner/polisinsats/", "assets/javascripts/search.js"} <= set(urls)
    # Search works offline: the engine, its word index and the excerpts are cached too, but not Pagefind's own UI.
    assert {"pagefind/pagefind.js", "pagefind/pagefind-entry.json", "search-vocabulary.json",
            "search-ranks.json"} <= set(urls)
    assert any(u.startswith("pagefind/index/") for u in urls) and any(u.startswith("pagefind/fragment/") for u in urls)
    assert not any(u.startswith("pagefind/pagefind-ui") or u.startswith("pagefind/pagefind-component-ui")
                   for u in urls)
    assert not any(u.startswith("nedladdning/") for u in urls)  # documents are downloaded on request


def test_precache_of_a_large_site_stays_within_the_budget(built):
    site = built / "site"
    everything = finish._precache_urls(site, budget=10**12)
    assert "rutiner/polisinsats/" in everything and "rutiner/betanketid/" in everything
    size = lambda u: (site / (u + "index.html" if u.endswith("/") else u) if u != "./" else site / "index.html").stat().st_size
    routines = {"rutiner/polisinsats/", "rutiner/betanketid/"}
    budget = sum(size(u) for u in everything if u not in routines) + 1  # room for all but the routines
    some = finish._precache_urls(site, budget=budget)
    assert set(some) == set(everything) - routines
    assert all(u in some for u in everything if u.startswith("assets/"))  # the theme always, whatever the budget
    assert sum(size(u) for u in some) <= budget


def test_offline_zip_links_open_from_disk(built):
    with zipfile.ZipFile(built / "dist" / "rutinhandbok-offline.zip") as zf:
        names = zf.namelist()
        assert "rutinhandbok/index.html" in names and "rutinhandbok/rutiner/betanketid/index.html" in names
        assert not any(n.startswith("rutinhandbok/pagefind/") for n in names)
        html = zf.read("rutinhandbok/rutiner/betanketid/index.html").decode("utf-8")
    assert 'href="../../enheter/koordinator/index.html"' in html
    assert 'href="../polisinsats/index.html"' in html


@pytest.mark.parametrize("before, after", [
    ('href="rutiner/x/"', 'href="rutiner/x/index.html"'),
    ('href="../.."', 'href="../../index.html"'),
    ('href=".."', 'href="../index.html"'),
    ('href="."', 'href="index.html"'),
    ('href="../x/#a"', 'href="../x/index.html#a"'),
    ('href="#a"', 'href="#a"'),
    ('href="https://lagen.nu/2005:716#K5P15"', 'href="https://lagen.nu/2005:716#K5P15"'),
    ('href="assets/a.css"', 'href="assets/a.css"'),
])
def test_file_links(before, after):
    assert _file_links(before) == after


def test_builds_without_source_date_epoch_are_dated_by_content(mini, tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    for name in ("a", "b"):
        r = subprocess.run([sys.executable, "-m", "generators", "build", "--content", str(mini), "--config",
                            str(ROOT / "mkdocs.yml"), "--site-dir", str(tmp_path / name / "site"), "--dist-dir",
                            str(tmp_path / name / "dist")], cwd=ROOT, env=env, capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
    assert _tree_hash(tmp_path / "a" / "site") == _tree_hash(tmp_path / "b" / "site")
    with zipfile.ZipFile(tmp_path / "a" / "dist" / "rutinhandbok-offline.zip") as zf:
        assert zf.infolist()[0].date_time[:3] == (2026, 11, 1)  # the newest review date in the mini content


def test_plan_pages_with_footnotes_terms_units_and_measures(built):
    site = built / "site" / "handlingsplan" / "testplan"
    intro = (site / "inledning" / "index.html").read_text(encoding="utf-8")
    assert '<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup>' in intro
    # The dated plan keeps its reference to repealed law, and the footnote says what holds today.
    assert ("5 kap. 11 § socialtjänstlagen: Stöd till brottsoffer. Upphävd 1 juli 2025; motsvaras i dag av "
            "13 kap. 1 § socialtjänstlag (2025:400).") in intro
    assert "Testplan, Testnämnden, Dnr 1/2021, december 2021, s. 3." in intro
    assert 'title="Tillbaka till fotnot 1 i texten"' in intro
    terms = (site / "begrepp" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../../begrepp/#betanketid">Betänketid</a>' in terms  # drawn from the glossary
    areas = (site / "omraden" / "index.html").read_text(encoding="utf-8")
    assert 'id="omrade-1"' in areas and 'href="../atgarder/#webbutbildning"' in areas
    measures = (site / "atgarder" / "index.html").read_text(encoding="utf-8")
    assert "Listan är rekonstruerad ur planens text." in measures
    # A measure without a programme goal or indicator leaves the row out: no remark about the sources.
    assert "<dt>Ansvarig</dt>" in measures and "<dt>Indikator</dt>" not in measures and "källorna" not in measures.lower()
    follow = (site / "uppfoljning" / "index.html").read_text(encoding="utf-8")
    assert 'src="../../../uppfoljning/betanketid-ansokningar.svg"' in follow


def test_chart_is_an_accessible_svg_with_a_table(built):
    svg = (built / "site" / "uppfoljning" / "betanketid-ansokningar.svg").read_text(encoding="utf-8")
    assert 'role="img"' in svg and "<title id=\"betanketid-ansokningar-title\">Ansökningar om betänketid" in svg
    assert "2024: 14" in svg
    page = (built / "site" / "uppfoljning" / "index.html").read_text(encoding="utf-8")
    assert 'alt="Stapeldiagram: Ansökningar om betänketid. 2024: 14."' in page
    assert '<a href="../kallor/#plan">Testplan</a>, Dnr 1/2021' in page  # every point carries its source


def test_module_page_has_a_quiz_and_pulls_records(built):
    html = (built / "site" / "utbildning" / "grunder" / "index.html").read_text(encoding="utf-8")
    assert '<form class="handbok-quiz" data-quiz novalidate>' in html
    assert 'data-correct="1,0"' in html and '<p class="handbok-quiz__result" role="status" aria-live="polite">' in html
    assert 'href="../../rutiner/betanketid/"' in html and 'href="../../lagar/utl/#k5-p15-s2"' in html
    assert "quiz.js" in html
    routine = (built / "site" / "rutiner" / "betanketid" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../utbildning/grunder/"' in routine  # backlink: where the routine is taught
    index = (built / "site" / "utbildning" / "index.html").read_text(encoding="utf-8")
    assert '<a href="kommun/solna/">Solna</a>' in index and '<a href="kommun/lidingo/">Lidingö</a>' in index


def test_mini_build_writes_the_documents(built):
    dist = built / "dist"
    assert (dist / "handlingsplan.docx").is_file() and (dist / "rutinhandbok.docx").is_file()
    for m in ("solna", "lidingo"):
        for f in ("presentation.pptx", "deltagarmaterial.docx", "utbildarhandledning.docx"):
            assert (dist / "utbildning" / m / f).is_file()


def test_open_questions_on_a_provision_stay_out_of_reader_pages(mini, tmp_path):
    path = mini / "legal" / "sol-new.yml"
    text = path.read_text(encoding="utf-8")
    assert "    summary: Stöd till brottsoffer.\n" in text
    path.write_text(text.replace("    summary: Stöd till brottsoffer.\n", "    summary: Stöd till brottsoffer.\n"
                                 "    open_questions:\n      - question: Motsvarar paragrafen den gamla 5 kap. 11 §?\n"
                                 "        why: Rutinen hänvisar hit.\n        ask: koordinator\n"), encoding="utf-8")
    assert _build(mini, tmp_path).returncode == 0
    for page in ("rutiner/betanketid", "lagar/sol-new"):
        html = (tmp_path / "site" / page / "index.html").read_text(encoding="utf-8")
        assert "Motsvarar paragrafen" not in html and "verifieras" not in html
    editors = (tmp_path / "site" / "oppna-fragor" / "koordinator" / "index.html").read_text(encoding="utf-8")
    assert "Motsvarar paragrafen den gamla 5 kap. 11 §?" in editors and 'href="../../lagar/sol-new/"' in editors


def test_draft_routine_page_opens_with_first_block_and_status(built):
    html = (built / "site" / "rutiner" / "polisinsats" / "index.html").read_text(encoding="utf-8")
    h1, first, status = html.index("<h1"), html.index('class="handbok-first"'), html.index('class="handbok-status')
    assert h1 < first < status < html.index('id="situation"')  # Först first, then the draft banner, then the rest
    block = html[first:status]
    assert '<a class="handbok-tel" href="tel:112">112</a>' in block  # acute danger and socialjouren via 112
    assert "<strong>Akut fara:</strong>" in block and "<strong>Utanför kontorstid:</strong>" in block
    assert "be att få tala med socialjouren" in block
    assert "<strong>Nu:</strong> Skydda personen först." in block
    assert ('<strong>Under kontorstid:</strong> Ring <a href="../../enheter/team/">Testteamet</a> '
            '(<a class="handbok-tel" href="tel:0701740650">070-174 06 50</a>). Berätta vad som har hänt.') in block
    assert "<strong>Ha redo:</strong> Var insatsen pågår." in block
    assert "<strong>Ansvar:</strong> Kommunen där personen är ansvarar för akut stöd och hjälp." in block
    assert 'href="../../lagar/sol-new/">Socialtjänstlag (2025:400)</a>' in block
    assert "<strong>Utkast – inte fastställd.</strong> Rutinen bygger på offentliga dokument och lagtext och är inte " \
           "beslutad av förvaltningen. Vid akut fara: följ alltid Först-blocket. Stäm av övriga steg med din chef." in html
    assert ('<div aria-label="Status: utkast" class="handbok-status handbok-status--utkast" data-pagefind-ignore="all" '
            'role="note">') in html
    assert "<dt>Status</dt>\n<dd>Utkast, inte fastställd</dd>" in html


def test_every_page_says_the_handbook_is_a_draft(built):
    for page in ("index.html", "rutiner/betanketid/index.html", "kallor/index.html"):
        html = (built / "site" / page).read_text(encoding="utf-8")
        footer = html[html.index('<div class="md-copyright__highlight">'):]
        assert " ".join(footer.split()).startswith(
            '<div class="md-copyright__highlight"> Utkast – inte fastställt. 1 av 2 rutiner bygger på offentliga '
            "dokument och lagtext och är ännu inte beslutade av förvaltningen. Stäm av med din chef innan du följer en "
            "rutin som inte är fastställd. </div>"), page
    start = (built / "site" / "index.html").read_text(encoding="utf-8")
    assert 'aria-labelledby="akut"' in start and 'href="tel:112"' in start


def test_editors_page_lists_open_questions_by_who_can_answer(built):
    overview = (built / "site" / "oppna-fragor" / "index.html").read_text(encoding="utf-8")
    assert "Det finns 2 öppna frågor till 2 mottagare." in overview
    # grouped by unit, in name order, each unit's questions on a page of its own
    assert overview.index('<a href="koordinator/">Koordinatorn</a> (1 fråga)') \
        < overview.index('<a href="team/">Testteamet</a> (1 fråga)')
    pages = [(built / "site" / "oppna-fragor" / uid / "index.html").read_text(encoding="utf-8")
             for uid in ("koordinator", "team")]
    html = "".join(pages)
    assert 'href="../../enheter/koordinator/"' in html and 'href="../../avstamning/"' in html  # back to the records
    assert "<strong>Till dess står det i handboken:</strong> Ring teamets växel." in html
    assert all('<a href="../">Tillbaka till Öppna frågor till förvaltningen</a>' in page for page in pages)
    assert "data-pagefind-body" not in overview + html  # editors' notes stay out of the search index
    import gzip

    indexed = "".join(gzip.decompress(f.read_bytes()).decode("utf-8")
                      for f in (built / "site" / "pagefind" / "fragment").glob("*.pf_fragment"))
    assert "Ansöka om betänketid" in indexed  # the routines are indexed ...
    assert "funktionsnummer" not in indexed and "/oppna-fragor/" not in indexed  # ... the editors' page is not


def test_the_same_question_is_listed_once_and_the_page_stays_bounded(mini, tmp_path):
    """A question asked by 12 records is one question; the page names 10 of them, the command all 12."""
    text = (mini / "units" / "koordinator.yml").read_text(encoding="utf-8")
    for i in range(1, 12):
        (mini / "units" / f"kopia-{i}.yml").write_text(text.replace("id: koordinator", f"id: kopia-{i}")
                                                       .replace("name: Koordinatorn", f"name: Kopia {i}"), encoding="utf-8")
    assert _build(mini, tmp_path).returncode == 0
    html = (tmp_path / "site" / "oppna-fragor" / "team" / "index.html").read_text(encoding="utf-8")
    import re

    assert len(re.findall(r"<h2 [^>]*>Har koordinatorn ett eget funktionsnummer\?", html)) == 1  # one question
    assert html.count('href="../../enheter/kopia-') == 9 and "och 2 poster till" in html
    r = run_cli("review", "--questions", "--content", str(mini), cwd=mini.parent)
    assert r.stdout.count(": Kopia ") == 11 and r.stdout.count("Fråga: Har koordinatorn") == 1


def test_open_questions_document(built):
    import docx

    d = docx.Document(str(built / "dist" / "oppna-fragor.docx"))
    text = "\n".join(p.text for p in d.paragraphs)
    assert "Det finns 2 öppna frågor till 2 mottagare." in text
    assert "Varför det spelar roll: Då kan den som ringer nå koordinatorn direkt." in text
    assert "Till dess står det i handboken: Ring teamets växel." in text
    assert "Står i: Koordinatorn (content/units/koordinator.yml, rad 8)." in text
    headings = [(p.style.name, p.text) for p in d.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [("Heading 1", "Koordinatorn (1)"), ("Heading 2", "Vilka mål har programmet?"),
                        ("Heading 1", "Testteamet (1)"), ("Heading 2", "Har koordinatorn ett eget funktionsnummer?")]


def test_printed_handbook_shows_status_and_first_block(built):
    import docx

    d = docx.Document(str(built / "dist" / "rutinhandbok.docx"))
    text = "\n".join(p.text for p in d.paragraphs)
    assert "Utkast – inte fastställt. 1 av 2 rutiner bygger på offentliga dokument och lagtext" in text
    assert "Utkast – inte fastställd. Rutinen bygger på offentliga dokument och lagtext och är inte beslutad av " \
        "förvaltningen. Vid akut fara: följ alltid Först-blocket. Stäm av övriga steg med din chef." in text
    assert "Akut fara: Är någon i akut fara: ring 112." in text
    styles = {p.text: p.style.name for p in d.paragraphs}
    banner = next(t for t in styles if t.startswith("Utkast – inte fastställd. Rutinen"))
    assert styles[banner] == "Block Text" and "\\" not in banner  # a real block quote, no escaped markup shown
    assert styles["Nu: Skydda personen först."] == "Compact"  # the Först lines are a list, not text with dashes
    assert "Fastställd av Testnämnden 1 november 2026." in text
    assert d.core_properties.subject == "Rutiner"
    assert "Utkast" in d.sections[0].header.paragraphs[0].text


def test_only_http_mailto_and_relative_links_survive(mini, tmp_path):
    path = mini / "routines" / "polisinsats.yml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "Ge information om stöd.", "Ge [stöd](javascript:alert(1)) och [bild](data:text/html,x) och "
        "[lag](https://lagen.nu/) och [post](mailto:team@example.org)."), encoding="utf-8")
    assert _build(mini, tmp_path).returncode == 0
    html = (tmp_path / "site" / "rutiner" / "polisinsats" / "index.html").read_text(encoding="utf-8")
    assert 'href="javascript:' not in html and 'href="data:' not in html
    assert '<a href="#">stöd</a>' in html and 'href="https://lagen.nu/"' in html and 'href="mailto:team@example.org"' in html


def test_a_local_layer_reaches_its_own_pack_and_page_and_no_other(tmp_path):
    """A joined municipality's local tree over the regional base: its units and routine, in its pack only."""
    import docx
    from pptx import Presentation

    local = ROOT / "tests" / "fixtures" / "local-nacka"
    result = run_cli("build", "--content", "content", "--content", str(local), "--site-dir", str(tmp_path / "site"),
                     "--dist-dir", str(tmp_path / "dist"))
    assert result.returncode == 0, result.stderr
    assert ("tests/fixtures/local-nacka/municipalities/nacka.yml:2:5: info[override]: Ersätter kommun 'nacka' från "
            "content/municipalities/nacka.yml.") in result.stderr

    def pack(mun: str) -> str:
        folder = tmp_path / "dist" / "utbildning" / mun
        texts = [p.text for f in ("deltagarmaterial.docx", "utbildarhandledning.docx")
                 for p in docx.Document(str(folder / f)).paragraphs]
        slides = Presentation(str(folder / "presentation.pptx")).slides
        texts += [sh.text_frame.text for s in slides for sh in s.shapes if sh.has_text_frame]
        return "\n".join(texts)

    nacka = pack("nacka")
    for text in ("Lokalt i Nacka", "Socialtjänsten i Nacka", "Första kontakten i Nacka vid misstanke om människohandel",
                 "Medarbetare i Nacka vänder sig först till socialtjänsten i Nacka."):
        assert text in nacka, text
    for other in ("varmdo", "solna", "botkyrka"):
        text = pack(other)
        assert "Nacka" not in text, other
    page = (tmp_path / "site" / "utbildning" / "kommun" / "nacka" / "index.html").read_text(encoding="utf-8")
    assert 'id="lokalt"' in page and "Socialtjänsten i Nacka" in page and "Första kontakten i Nacka" in page
    routine = (tmp_path / "site" / "rutiner" / "nacka-forsta-kontakt" / "index.html").read_text(encoding="utf-8")
    assert 'Lokal rutin för <a href="../../utbildning/kommun/nacka/#lokalt">Nacka</a>.' in routine
    other = (tmp_path / "site" / "utbildning" / "kommun" / "varmdo" / "index.html").read_text(encoding="utf-8")
    assert 'id="lokalt"' not in other and "Socialtjänsten i Nacka" not in other
