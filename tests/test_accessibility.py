"""WCAG 2.1 AA (DOS-lagen): axe-core on every page type, keyboard paths, documents, plain language, the statement.

The browser tests use Debian's /usr/bin/chromium; they skip locally without it and never skip in CI.
"""

import datetime as dt
import zipfile

import docx
import pptx
import pytest

from conftest import ROOT, chromium_or_skip
from generators import audit
from generators.pipeline import check_content

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def project():
    return check_content(ROOT / "content")[0]


@pytest.fixture(scope="module")
def audited(default_site, project):
    chromium_or_skip()
    return audit.run_audit(default_site, audit.page_types(project))


REQUIRED_PAGE_TYPES = {
    "Startsidan", "Rutin", "Enhet", "Lag", "Begrepp", "Kommuner", "Avstämningens matris", "Krav",
    "Utbildningsmodul med självtest", "Sökning med träffar", "Uppföljningens diagram", "Tillgänglighetsredogörelse",
}


def test_axe_finds_no_serious_or_critical_violation(audited, project):
    types = audit.page_types(project)
    assert REQUIRED_PAGE_TYPES <= {t.name for t in types}
    assert audited["axe"] and len(audited["results"]) == len(audit.VIEWPORTS) * len(audit.SCHEMES) * len(types)
    assert audit.blocking(audited) == []


def test_the_statement_is_generated_from_a_current_audit(audited, project):
    """The stored audit (content/accessibility/audit.json) says what the site does today."""
    stored = project.audit
    assert stored is not None, "kör `handbok audit --write`"
    assert audit.findings(audited) == audit.findings(stored), \
        "Granskningen ger ett annat resultat än det sparade; kör `handbok build` och `handbok audit --write`."
    assert {(r["page"], r["viewport"], r["scheme"]) for r in audited["results"]} == \
        {(r["page"], r["viewport"], r["scheme"]) for r in stored["results"]}
    explained = {k.rule for st in project.statements.values() for k in st.known_issues}
    assert {rule for *_, rule in audit.findings(audited)} <= explained


def test_the_audit_reads_colours_after_transitions(tmp_path):
    """A colour fading in over ten seconds is audited as it ends (black on white), not while it fades (pale grey)."""
    chromium_or_skip()
    (tmp_path / "index.html").write_text(
        '<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>Test</title><style>'
        "p { color: #eee; background: #fff; transition: color 10s linear; } p.ready { color: #000; }</style></head>"
        "<body><main><h1>Test</h1><p id='t'>Text som tonas in.</p></main></body></html>", encoding="utf-8")
    fade = audit.PageType("Tonad text", "/", lambda page: page.evaluate("document.getElementById('t').classList.add('ready')"))
    result = audit.run_audit(tmp_path, [fade])
    assert audit.blocking(result) == []


def test_statement_page_shows_the_audit(default_site, project):
    html = (default_site / "tillganglighet" / "index.html").read_text(encoding="utf-8")
    assert "Den senaste automatiska granskningen gjordes" in html and project.audit["axe"] in html
    assert html.count("<tr>") == len(project.audit["results"]) + 1
    for k in project.statements["tillganglighet"].known_issues:
        assert k.title in html
    assert "Rapportera brister" in html


# --- keyboard only ---------------------------------------------------------------------------


@pytest.fixture
def page(default_site):
    chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with audit.serve(default_site) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(audit.CHROMIUM), args=audit.CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
        pg = context.new_page()
        pg.base = base
        errors = []
        pg.on("pageerror", lambda e: errors.append(str(e)))
        yield pg
        browser.close()
        assert errors == []


def _focus_is_visible(page) -> bool:
    return page.evaluate("""() => {
        const el = document.activeElement, s = getComputedStyle(el);
        return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';
    }""")


def _headings_in_order(page) -> list[int]:
    levels = page.evaluate("() => [...document.querySelectorAll('article h1, article h2, article h3, article h4')]"
                           ".map(h => Number(h.tagName[1]))")
    assert levels.count(1) == 1 and levels[0] == 1, levels
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), levels
    return levels


def test_keyboard_path_skip_link_search_routine_checklist_print(page):
    page.goto(page.base + "/")
    assert page.evaluate("document.documentElement.lang") == "sv"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Gå till innehållet"
    assert _focus_is_visible(page)
    page.keyboard.press("Enter")
    page.wait_for_url("**#vad-galler-situationen", timeout=5000)  # on a busy machine the jump comes a moment later
    # Search: '/' opens it, Enter goes to the first hit.
    page.keyboard.press("/")
    page.keyboard.type("betänketid")
    page.wait_for_selector(".md-search-result__item")
    page.keyboard.press("Enter")
    page.wait_for_url("**/rutiner/betanketid/")
    _headings_in_order(page)
    # The checklist: each step's box is reached with Tab, named, shown with focus and ticked with Space.
    boxes = page.locator(".task-list-control input[type=checkbox]")
    assert boxes.count() >= 5
    for _ in range(400):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.type") == "checkbox":
            break
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Steg 1 klart"
    assert _focus_is_visible(page)
    page.keyboard.press("Space")
    assert boxes.nth(0).is_checked()
    page.keyboard.press("Tab")
    while page.evaluate("document.activeElement.type") != "checkbox":
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Steg 2 klart"
    # Print: the routine prints without the site's header, navigation or search.
    page.emulate_media(media="print")
    assert page.locator(".md-header").evaluate("e => getComputedStyle(e).display") == "none"
    assert page.locator(".md-sidebar--primary").evaluate("e => getComputedStyle(e).display") == "none"
    assert page.locator("article ol.task-list").is_visible()


def test_headings_are_in_order_on_every_page_type(page, project):
    for t in audit.page_types(project):
        page.goto(page.base + t.path)
        _headings_in_order(page)


def test_abbreviations_explain_themselves_on_focus(page):
    page.goto(page.base + "/rutiner/sekretess-och-polis/")
    first = page.locator("article abbr[tabindex='0']", has_text="OSL")
    assert first.count() == 1
    assert first.get_attribute("title") == "Offentlighets- och sekretesslag (2009:400)"
    assert page.locator("article abbr", has_text="OSL").count() > 1  # later ones are not tab stops
    first.focus()
    assert _focus_is_visible(page)
    tooltip = page.locator(".md-tooltip2--active")
    tooltip.wait_for(state="visible")
    assert tooltip.inner_text().strip() == "Offentlighets- och sekretesslag (2009:400)"
    assert first.get_attribute("aria-describedby") == tooltip.get_attribute("id")


def test_other_languages_are_marked(default_site):
    html = (default_site / "kallor" / "index.html").read_text(encoding="utf-8")
    assert '<span lang="en">Council of Europe experts give guidance' in html
    unit = (default_site / "enheter" / "iom" / "index.html").read_text(encoding="utf-8")
    assert '<span lang="en">International Organization for Migration (<abbr' in unit


# --- documents ---------------------------------------------------------------------------------


def test_word_files_have_headings_properties_alt_text_and_header_rows(default_dist):
    files = sorted(default_dist.rglob("*.docx"))
    assert len(files) >= 5
    for f in files:
        d = docx.Document(str(f))
        assert d.core_properties.title and d.core_properties.language == "sv-SE", f
        assert any(p.style.name == "Heading 1" for p in d.paragraphs), f
        with zipfile.ZipFile(f) as zf:
            styles = zf.read("word/styles.xml").decode("utf-8")
        assert 'w:val="sv-SE"' in styles, f  # the document's language for spelling and screen readers
        for pr in d.element.body.iter("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"):
            assert (pr.get("descr") or "").strip(), f
        for table in d.tables:
            assert table.rows[0]._tr.find(f"{W}trPr/{W}tblHeader") is not None, (f, table.rows[0].cells[0].text)


def test_slides_have_titles_first_in_reading_order(default_dist):
    for f in sorted(default_dist.rglob("*.pptx"))[:3]:
        prs = pptx.Presentation(str(f))
        assert prs.core_properties.title and prs.core_properties.language == "sv-SE"
        for i, slide in enumerate(prs.slides, 1):
            shapes = list(slide.shapes)
            assert shapes and slide.shapes.title is not None and slide.shapes.title.text.strip(), (f, i)
            assert shapes[0].shape_id == slide.shapes.title.shape_id, (f, i)  # the title is read first


# --- plain language ------------------------------------------------------------------------------


def test_long_steps_and_sentences_are_flagged_with_file_and_line(mini):
    path = mini / "routines" / "polisinsats.yml"
    text = path.read_text(encoding="utf-8")
    long = " ".join(["ord"] * 30) + ". Kort mening."
    assert "Ge information om stöd." in text
    path.write_text(text.replace("Ge information om stöd.", long), encoding="utf-8")
    out = [i.format() for i in check_content(mini, dt.date(2026, 11, 22))[1]]
    assert out == [
        "content/routines/polisinsats.yml:9:13: warning[plain-language]: En mening i steg 1 (action) har 30 ord; "
        "skriv högst 25: ”ord ord ord ord ord ord ord ord …”\n  tips: Dela meningen i två. Börja med verbet: "
        "”Kontakta …”, ”Ansök …”."]
    path.write_text(text.replace("Ge information om stöd.", " ".join(["Ord ord ord ord ord ord."] * 7)),
                    encoding="utf-8")
    out = [i.format() for i in check_content(mini, dt.date(2026, 11, 22))[1]]
    assert out == ["content/routines/polisinsats.yml:9:13: warning[plain-language]: Steg 1 har 42 ord; skriv högst "
                   "35.\n  tips: Dela upp steget i två, eller flytta bakgrund och förklaringar till `note:`."]


def test_sentence_splitting_knows_swedish_legal_abbreviations():
    from generators.checks import sentences

    assert sentences("Enligt 5 kap. 15 § gäller det sedan 2025. Se 3 kap. Brottsbalken? Ja. Kontakta t.ex. Polisen.") == [
        "Enligt 5 kap. 15 § gäller det sedan 2025.", "Se 3 kap. Brottsbalken?", "Ja.", "Kontakta t.ex. Polisen."]
