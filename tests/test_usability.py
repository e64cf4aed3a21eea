"""The site as its users meet it (issue 12): rendered structure, search in the real box, navigation, downloads.

The browser tests run in Debian's Chromium at phone size (390×844) unless they say otherwise, with the fixtures
`server`, `browser` and `phone` from conftest.py; they skip locally without chromium and never when CI=true.
"""

import gzip
import html as html_lib
import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import PHONE, ROOT, run_cli
from generators.render.site import PAGE_KINDS, page_kind

DESKTOP = {"width": 1366, "height": 900}

# --- rendered structure, on every built page ---------------------------------------------------------

_DROP = re.compile(r"<(script|style|pre|code|svg)\b.*?</\1>", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")


def markdown_left_as_text(page_html: str) -> list[str]:
    """Lines of a page's visible article text that still show Markdown syntax: a table row, **, {: or [^."""
    start, end = page_html.find("<article"), page_html.find("</article>")
    body = page_html[start:end] if start >= 0 else page_html
    text = html_lib.unescape(_TAG.sub("\n", _DROP.sub(" ", body)))
    return [line.strip() for line in text.splitlines()
            if line.strip().startswith("|") or any(mark in line for mark in ("**", "{:", "[^"))]


def test_the_markdown_detector_sees_raw_tables_and_bold():
    assert markdown_left_as_text("<article><p>| Krav | Täckt |\n|---|---|</p></article>") == ["| Krav | Täckt |",
                                                                                             "|---|---|"]
    assert markdown_left_as_text("<article><dd>- **Barn:** två rekvisit</dd></article>") == ["- **Barn:** två rekvisit"]
    assert markdown_left_as_text("<article><p>Se [^1] och {: .x }</p><code>**ok**</code></article>") == [
        "Se [^1] och {: .x }"]
    assert markdown_left_as_text("<article><table><tr><td>Ja</td></tr></table></article>") == []


def test_no_page_shows_markdown_syntax_as_text(default_site):
    found = {}
    for path in sorted(default_site.rglob("*.html")):
        bad = markdown_left_as_text(path.read_text(encoding="utf-8"))
        if bad:
            found[path.relative_to(default_site).as_posix()] = bad[:3]
    assert found == {}


def test_the_alignment_matrix_is_a_table_with_a_filter(default_site):
    page = (default_site / "avstamning" / "index.html").read_text(encoding="utf-8")
    assert page.count("<table>") >= 2
    assert page.count("data-handbok-matrix-filter") == page.count("<table>")
    assert 'href="../nedladdning/avstamning-betanketid.docx"' in page


def test_every_page_kind_has_a_label_and_routines_rank_first():
    assert page_kind("rutiner/betanketid.md") == ("Rutin", 1)
    assert page_kind("rutiner/index.md") == ("Översikt", 3)
    assert page_kind("avstamning/tolk-och-oversattning.md") == ("Avstämning", 3)
    assert page_kind("enheter/socialjouren.md") == ("Enhet", 2)
    assert page_kind("om.md") == ("Sida", 3)
    labels = {label for _, label, _ in PAGE_KINDS}
    assert {"Rutin", "Enhet", "Lag", "Begrepp", "Utbildning", "Handlingsplan", "Avstämning", "Uppföljning"} <= labels


def test_pages_carry_their_kind_for_search(default_site):
    routine = (default_site / "rutiner" / "betanketid" / "index.html").read_text(encoding="utf-8")
    assert 'data-pagefind-meta="kind:Rutin" data-handbok-rank="1"' in routine
    req = (default_site / "avstamning" / "tolk-och-oversattning" / "index.html").read_text(encoding="utf-8")
    assert 'data-pagefind-meta="kind:Avstämning" data-handbok-rank="3"' in req
    ranks = json.loads((default_site / "search-ranks.json").read_text(encoding="utf-8"))
    assert ranks["weights"] == {"1": 1.0, "2": 0.6, "3": 0.25}
    fragments = {f.stem: f for f in (default_site / "pagefind" / "fragment").glob("*.pf_fragment")}
    listed = [i for ids in ranks["ranks"].values() for i in ids]
    assert set(listed) <= set(fragments) and len(listed) == len(set(listed))

    def url(fid: str) -> str:
        data = gzip.decompress(fragments[fid].read_bytes())
        return json.loads(data[data.index(b"{"):])["url"]

    assert not any(url(i).startswith("/rutiner/") and url(i) != "/rutiner/" for i in listed)  # routines: the default
    assert "/avstamning/tolk-och-oversattning/" in {url(i) for i in ranks["ranks"]["3"]}
    assert "/enheter/socialjouren/" in {url(i) for i in ranks["ranks"]["2"]}


def test_the_404_page_is_swedish(default_site):
    page = (default_site / "404.html").read_text(encoding="utf-8")
    assert "<h1>Sidan finns inte</h1>" in page and "Not found" not in page
    assert "<title>Sidan finns inte" in page


def test_documents_are_on_the_site_with_type_and_size(default_site, default_dist):
    nacka = (default_site / "utbildning" / "kommun" / "nacka" / "index.html").read_text(encoding="utf-8")
    for name, kind in (("presentation.pptx", "PowerPoint"), ("deltagarmaterial.docx", "Word"),
                       ("utbildarhandledning.docx", "Word")):
        href = f"../../../nedladdning/utbildning/nacka/{name}"
        assert re.search(re.escape(f'href="{href}"') + rf'>[^<]+<span class="handbok-storlek">\({kind}, \d+ kB\)'
                         r"</span></a>", nacka), name
        assert (default_site / "nedladdning" / "utbildning" / "nacka" / name).read_bytes() == \
            (default_dist / "utbildning" / "nacka" / name).read_bytes()
    about = (default_site / "om" / "index.html").read_text(encoding="utf-8")
    assert 'href="../nedladdning/">Ladda ner</a>' in about  # the printable handbook may be one file or volumes
    assert re.search(r'href="../nedladdning/rutinhandbok-offline.zip">[^<]+<span class="handbok-storlek">'
                     r"\(zip, \d+,\d MB\)</span>", about)
    downloads = (default_site / "nedladdning" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'href="rutinhandbok.docx">Rutinhandboken, utskrivbar version <span class="handbok-storlek">'
                     r"\(Word, \d+ kB\)</span>", downloads)
    assert downloads.count("presentation.pptx") == len(list((default_dist / "utbildning").glob("*/presentation.pptx")))
    training = (default_site / "utbildning" / "index.html").read_text(encoding="utf-8")
    assert 'href="kommun/nacka/"' in training


def test_every_page_below_the_start_has_breadcrumbs(default_site):
    missing = []
    for path in sorted(default_site.rglob("index.html")):
        rel = path.relative_to(default_site).as_posix()
        if rel == "index.html" or rel.startswith(("nedladdning/utbildning", "pagefind")):
            continue
        page = path.read_text(encoding="utf-8")
        if '<nav class="md-path" aria-label="Du är här">' not in page:
            missing.append(rel)
    assert missing == []
    routine = (default_site / "rutiner" / "betanketid" / "index.html").read_text(encoding="utf-8")
    crumbs = re.findall(r'class="md-path__link"><span class="md-ellipsis">([^<]+)</span>', routine)
    assert crumbs == ["Start", "Rutiner"]
    # A unit's open questions: the overview of all questions is the page above, though it is not a folder's index.
    asked = sorted((default_site / "oppna-fragor").glob("*/index.html"))
    assert asked
    questions = asked[0].read_text(encoding="utf-8")
    trail = re.findall(r'<a href="([^"]+)" class="md-path__link"><span class="md-ellipsis">([^<]+)</span>', questions)
    assert trail == [("../..", "Start"), ("..", "Öppna frågor till förvaltningen")] or \
        trail == [("../../", "Start"), ("../", "Öppna frågor till förvaltningen")]


def test_check_notes_missing_feedback_address_and_site_url(mini, tmp_path):
    config = tmp_path / "mkdocs.yml"
    config.write_text('site_name: X\nsite_url: ""\nextra:\n  feedback: ""\n', encoding="utf-8")
    result = run_cli("check", "--content", str(mini), "--config", str(config))
    assert result.returncode == 0
    assert (f"{config}:4:3: info[feedback-missing]: Ingen adress för synpunkter: sidorna visar ingen länk för att "
            "lämna synpunkter.\n  tips: Ange feedback i organisation.yml (eller extra.feedback i mkdocs.yml): en "
            "mailto:-adress eller adressen till ett formulär (https://…).") in result.stderr
    assert f"{config}:2:1: info[site-url-missing]: Ingen publicerad adress (site_url): webbplatsen får ingen sitemap." \
        in result.stderr
    config.write_text('site_name: X\nsite_url: "https://example.org/h/"\nextra:\n  feedback: mailto:a@example.org\n',
                      encoding="utf-8")
    result = run_cli("check", "--content", str(mini), "--config", str(config))
    assert "feedback-missing" not in result.stderr and "site-url-missing" not in result.stderr
    # The organisation record may give both instead (content/organisation.yml goes before mkdocs.yml).
    config.write_text('site_name: X\nsite_url: ""\nextra:\n  feedback: ""\n', encoding="utf-8")
    content = tmp_path / "med-organisation"
    shutil.copytree(mini, content)
    (content / "organisation.yml").write_text(
        "id: organisation\nname: Testby kommun\nsite_title: Handbok\nfeedback: https://example.org/synpunkter\n"
        "site_url: https://example.org/h/\n", encoding="utf-8")
    result = run_cli("check", "--content", str(content), "--config", str(config))
    assert result.returncode == 0, result.stderr
    assert "feedback-missing" not in result.stderr and "site-url-missing" not in result.stderr


def test_sitemap_and_feedback_link_when_configured(mini, tmp_path):
    config = tmp_path / "mkdocs.yml"
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace('  feedback: ""', '  feedback: "mailto:rutiner@example.org"')
    text = text.replace("custom_dir: templates/overrides", f"custom_dir: {ROOT / 'templates' / 'overrides'}")
    text = text.replace("docs_dir: templates/pages", f"docs_dir: {ROOT / 'templates' / 'pages'}")
    text = text[: text.index("\nwatch:")] + "\n"  # the watch list is for `serve`, relative to the repository
    text = text.replace("  - handbok\n", f"  - handbok:\n      templates_dir: {ROOT / 'templates'}\n")
    config.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("build", "--content", str(mini), "--config", str(config), "--site-url",
                     "https://example.org/rutinhandbok/", "--site-dir", str(out / "site"), "--dist-dir",
                     str(out / "dist"))
    assert result.returncode == 0, result.stderr
    sitemap = (out / "site" / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://example.org/rutinhandbok/rutiner/betanketid/</loc>" in sitemap
    page = (out / "site" / "rutiner" / "betanketid" / "index.html").read_text(encoding="utf-8")
    link = re.search(r'<p class="handbok-feedback md-typeset"><a href="([^"]+)">Lämna synpunkter på sidan</a>', page)
    assert link and link.group(1).startswith("mailto:rutiner@example.org?subject=Synpunkter%20p%C3%A5%20")
    assert "rutiner/betanketid/" in html_lib.unescape(link.group(1)).replace("%2F", "/")
    not_found = (out / "site" / "404.html").read_text(encoding="utf-8")
    assert 'href="/rutinhandbok/assets/stylesheets/handbok.css"' in not_found  # the published path, at any depth


# --- in Chromium -----------------------------------------------------------------------------------------------

def _type_search(page, base: str, query: str, goto: bool = True):
    """Type into the real search box, as a reader does, and wait for the result count."""
    if goto:
        page.goto(base + "/")
    page.click("[data-handbok-search-open]")
    page.fill("#handbok-search-input", "")
    page.type("#handbok-search-input", query, delay=20)
    # The results of the whole query, not of the letters typed before it (search.js marks which query they are for).
    page.wait_for_function("q => { const m = document.querySelector('[data-handbok-search-meta]');"
                           " return m.dataset.query === q && /sökresultat/.test(m.textContent); }", arg=query.strip())
    return page.locator(".md-search-result__list .md-search-result__item")


@pytest.mark.parametrize("query", ["tolk", "regionkoordinator", "betänketid"])
def test_search_in_the_box_puts_a_routine_first_and_labels_every_result(phone, server, query):
    items = _type_search(phone, server, query)
    assert items.count() == 10
    kinds = [k.inner_text() for k in phone.locator(".md-search-result__list .handbok-result-kind").all()]
    assert len(kinds) == items.count()  # every result says what it is
    assert kinds[0] == "Rutin", kinds
    assert items.first.locator("a").get_attribute("href").startswith("/rutiner/")


def test_a_misspelt_query_is_offered_the_right_word(phone, server):
    _type_search(phone, server, "betänktid")
    suggestion = phone.locator(".handbok-search-suggestion")
    suggestion.wait_for()
    assert suggestion.inner_text() == "Menade du betänketid?"
    suggestion.locator("button").click()
    phone.wait_for_function("document.querySelector('.md-search-result__list a[href=\"/rutiner/betanketid/\"]')")
    assert phone.input_value("#handbok-search-input") == "betänketid"


def test_show_more_reaches_result_eleven(phone, server):
    items = _type_search(phone, server, "betänketid")
    more = phone.locator(".handbok-search-more")
    assert re.fullmatch(r"Visa fler \(\d+ till\)", more.inner_text())
    more.click()
    phone.wait_for_function("document.querySelectorAll('.md-search-result__list .md-search-result__item').length > 10")
    assert items.count() == 20
    eleventh = items.nth(10).locator("a")
    assert phone.evaluate("document.activeElement.getAttribute('href')") == eleventh.get_attribute("href")


def test_search_works_offline_after_one_visit_to_the_start_page(browser, server):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="sv-SE")
    page = context.new_page()
    page.goto(server + "/")
    page.wait_for_function("navigator.serviceWorker.ready.then(r => r.active && r.active.state === 'activated')")
    context.set_offline(True)
    items = _type_search(page, server, "betänketid", goto=False)
    assert items.count() > 0
    assert items.first.locator("a").get_attribute("href") == "/rutiner/betanketid/"
    assert "Inga sökresultat" not in page.inner_text("[data-handbok-search-meta]")
    context.close()


def test_offline_without_the_index_says_so_not_no_results(browser, server):
    """A browser that never cached the index (no service worker yet) hears that it is offline."""
    context = browser.new_context(viewport=PHONE, service_workers="block", locale="sv-SE")
    page = context.new_page()
    page.goto(server + "/")
    context.set_offline(True)
    page.click("[data-handbok-search-open]")
    page.fill("#handbok-search-input", "betänketid")
    page.wait_for_function("document.querySelector('[data-handbok-search-meta]').textContent.includes('offline')")
    assert "Inga sökresultat" not in page.inner_text("[data-handbok-search-meta]")
    context.close()


def test_the_nacka_training_page_links_to_its_presentation(phone, server):
    phone.goto(server + "/utbildning/kommun/nacka/")
    link = phone.locator("a[href$='nedladdning/utbildning/nacka/presentation.pptx']")
    assert re.fullmatch(r"Presentation med talaranteckningar \(PowerPoint, \d+ kB\)", link.inner_text())
    response = phone.request.get(server + "/nedladdning/utbildning/nacka/presentation.pptx")
    assert response.status == 200 and response.body()[:2] == b"PK"


def test_the_desktop_start_page_shows_the_sections(browser, server):
    context = browser.new_context(viewport=DESKTOP, locale="sv-SE")
    page = context.new_page()
    page.goto(server + "/")
    for name in ("Utbildning", "Handlingsplan", "Avstämning"):
        links = page.locator(f"a:visible:text-is('{name}')")
        assert links.count() >= 1, name
    context.close()


@pytest.mark.parametrize("path", ["/finns-inte/", "/rutiner/a/b/c/finns-inte/"])
def test_404_is_swedish_and_styled_at_any_depth(phone, server, path):
    response = phone.goto(server + path)
    assert response.status == 404
    assert phone.locator("h1").inner_text() == "Sidan finns inte"
    # Styled: the theme's header colour and the handbook's own style sheet both apply.
    assert phone.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"
    assert phone.evaluate("getComputedStyle(document.querySelector('.md-typeset h1')).fontWeight") == "700"
    phone.click("text=Sök i handboken")
    assert phone.evaluate("document.activeElement.id") == "handbok-search-input"


def test_print_button_and_printed_link_addresses(phone, server):
    phone.goto(server + "/rutiner/betanketid/")
    button = phone.locator("[data-handbok-print]")
    assert button.is_visible() and button.inner_text() == "Skriv ut"
    phone.emulate_media(media="print")
    assert not button.is_visible()
    assert not phone.locator(".md-header").is_visible()
    assert not phone.locator("#sokord-och-synonymer").is_visible()  # no empty heading on paper
    after = phone.evaluate("""() => {
        const a = [...document.querySelectorAll('.md-typeset a[href^="http"]')][0];
        return [a.href, getComputedStyle(a, '::after').content];
    }""")
    assert after[1] == f'" ({after[0]})"'


def test_wide_tables_say_they_scroll_and_the_matrix_filters(phone, server):
    phone.goto(server + "/avstamning/")
    hint = phone.locator(".handbok-scroll-hint").first
    hint.wait_for()
    assert "Svep" in hint.inner_text()
    table = phone.locator("table").first
    rows = table.locator("tbody tr")
    total = rows.count()
    covered = sum(1 for r in rows.all() if r.locator("td").last.inner_text().strip() == "Ja")
    assert 0 < covered < total
    phone.locator("[data-handbok-matrix-filter]").first.check()
    assert sum(1 for r in rows.all() if r.is_visible()) == total - covered


def test_the_phone_header_shows_the_short_title(phone, server):
    phone.goto(server + "/rutiner/betanketid/")
    short = phone.locator(".md-header__topic .handbok-title-short").first
    assert short.is_visible() and short.inner_text() == "Rutinhandboken"
    box = short.bounding_box()
    assert phone.evaluate("(e) => e.scrollWidth <= e.clientWidth", short.element_handle())  # not cut
    assert box["width"] < PHONE["width"]


def test_h1_stands_out_from_h2(browser, server):
    context = browser.new_context(viewport=DESKTOP, locale="sv-SE")
    page = context.new_page()
    page.goto(server + "/rutiner/betanketid/")
    h1, h2 = (page.evaluate(f"(() => {{ const s = getComputedStyle(document.querySelector('.md-typeset {h}'));"
                            f" return [parseFloat(s.fontSize), parseInt(s.fontWeight)]; }})()") for h in ("h1", "h2"))
    assert h1[0] > h2[0] and h1[1] >= h2[1]
    context.close()


def test_reduced_motion_turns_transitions_off(browser, server):
    context = browser.new_context(viewport=PHONE, reduced_motion="reduce", locale="sv-SE")
    page = context.new_page()
    page.goto(server + "/")
    duration = page.evaluate("getComputedStyle(document.querySelector('.md-search__input')).transitionDuration")
    assert duration in ("0s", "")
    context.close()
