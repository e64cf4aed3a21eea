"""End to end in real Chromium (Debian's /usr/bin/chromium) on a phone-sized window.

Skipped locally when chromium is missing; never skipped when CI=true.
"""

from pathlib import Path

import pytest

from conftest import PHONE, ROOT as ROOT_DIR
from generators.audit import serve

ROUTINE = "/rutiner/betanketid/"


def _search(page, base: str, query: str):
    page.goto(base + "/")
    page.click("[data-handbok-search-open]")
    page.fill("#handbok-search-input", query)
    page.wait_for_selector(".md-search-result__list a", timeout=10_000)
    return [a.get_attribute("href") for a in page.query_selector_all(".md-search-result__list a")]


@pytest.mark.parametrize("query", ["betänketid", "betänketiden", "reflektionsperiod"])
def test_search_lands_on_the_betanketid_routine(phone, server, query):
    hrefs = _search(phone, server, query)
    assert hrefs[0].endswith(ROUTINE), hrefs
    phone.press("#handbok-search-input", "Enter")
    phone.wait_for_url("**" + ROUTINE)
    assert phone.locator("h1").first.inner_text().lower().find("betänketid") >= 0


def test_inflected_coordinator_query_finds_the_routine(phone, server):
    hrefs = _search(phone, server, "regionkoordinatorns")
    assert any(h.endswith(ROUTINE) for h in hrefs), hrefs
    phone.click(f".md-search-result__list a[href$='{ROUTINE}']")
    phone.wait_for_url("**" + ROUTINE)


def test_search_says_when_nothing_matches(phone, server):
    phone.goto(server + "/")
    phone.click("[data-handbok-search-open]")
    phone.fill("#handbok-search-input", "xyzzyqwerty")
    phone.wait_for_function("document.querySelector('[data-handbok-search-meta]').textContent.includes('Inga sökresultat')")


def test_search_from_disk_explains_itself(browser, default_site):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(Path(default_site, "index.html").as_uri())
    assert page.locator(".handbok-offline-note").is_visible()
    page.click("[data-handbok-search-open]")
    page.fill("#handbok-search-input", "betänketid")
    page.wait_for_function("document.querySelector('[data-handbok-search-meta]').textContent.includes('fil från disken')")
    context.close()


def test_routines_can_be_read_offline_after_one_visit(browser, server):
    """The service worker caches every routine at the first visit."""
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(server + "/")
    # Wait until the precache is complete: the worker is active once install (cache.addAll) has finished.
    page.wait_for_function("navigator.serviceWorker.ready.then(r => r.active && r.active.state === 'activated')")
    context.set_offline(True)
    page.goto(server + "/rutiner/sekretess-och-polis/")
    assert "sekretess" in page.locator("h1").first.inner_text().lower()
    page.goto(server + "/enheter/mikamottagningen/")
    assert "Mikamottagningen" in page.locator("h1").first.inner_text()
    context.close()


def test_quiz_is_answered_and_checked_by_keyboard_alone(phone, server):
    """The self-check works without a server and without a mouse, and announces its result."""
    phone.goto(server + "/utbildning/betanketid-och-rattigheter/")
    questions = phone.locator(".handbok-quiz__question")
    count = questions.count()
    assert count >= 2
    phone.locator(".handbok-quiz input[type=radio]").first.focus()
    correct = [q.get_attribute("data-correct").split(",") for q in questions.all()]
    # Answer the first question right and the others wrong, with arrow keys and Tab only.
    for i, flags in enumerate(correct):
        want = flags.index("1") if i == 0 else flags.index("0")
        phone.keyboard.press("Space")  # selects the focused (first) option
        for _ in range(want):
            phone.keyboard.press("ArrowDown")
        while phone.evaluate("document.activeElement.type") == "radio" and \
                phone.evaluate("document.activeElement.name") == f"q{i + 1}":
            phone.keyboard.press("Tab")
        if i < len(correct) - 1:
            while phone.evaluate("document.activeElement.type") != "radio":
                phone.keyboard.press("Tab")
    while phone.evaluate("document.activeElement.tagName") != "BUTTON":
        phone.keyboard.press("Tab")
    phone.keyboard.press("Enter")
    result = phone.locator(".handbok-quiz__result")
    assert result.get_attribute("role") == "status"
    assert result.inner_text() == f"Du svarade rätt på 1 av {count} frågor."
    assert "handbok-quiz__question--right" in questions.nth(0).get_attribute("class")
    assert questions.nth(1).locator(".handbok-quiz__feedback").inner_text() == "Inte rätt."
    assert questions.nth(1).locator("details").get_attribute("open") is not None


def test_follow_up_chart_loads_with_its_table(phone, server):
    phone.goto(server + "/uppfoljning/")
    img = phone.locator(".handbok-chart img").first
    assert img.get_attribute("alt").startswith("Stapeldiagram: Ansökningar om betänketid. 2024: 14")
    assert phone.evaluate("(img) => img.naturalWidth", img.element_handle()) > 0
    assert phone.locator("table").first.locator("td").first.inner_text() == "2024"


# --- safe rendering: content that tries to run script ------------------------------------------

PAYLOADS = {
    "script": "<script>window.__pwned = 'script'</script>",
    "onerror": "<img src=x onerror=\"window.__pwned = 'onerror'\">",
    "svg": "<svg onload=\"window.__pwned = 'svg'\"></svg>",
    "js-link": "[länk](javascript:window.__pwned='js-link')",
    "js-link-spaced": "[länk2](  JaVaScRiPt:window.__pwned='js-link-spaced')",
    "js-link-entity": "[länk3](jav&#x09;ascript:window.__pwned='js-link-entity')",
    "data-link": "[länk4](data:text/html,<script>window.__pwned='data'</script>)",
    "attr-list": "Ge stöd{: onclick=\"window.__pwned='attr-list'\" }",
    "attr-list-link": "[länk5](https://example.org){: onmouseover=window.__pwned='attr-list-link' }",
    "image": "![bild](javascript:window.__pwned='image')",
}


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    """The mini content with script payloads in a routine's title, steps and summary and in a unit."""
    import shutil

    import yaml

    from conftest import MINI, run_cli

    out = tmp_path_factory.mktemp("hostile")
    content = out / "content"
    shutil.copytree(MINI, content)
    routine = content / "routines" / "polisinsats.yml"
    data = yaml.safe_load(routine.read_text(encoding="utf-8"))
    data["title"] = "Möte & samtal " + PAYLOADS["onerror"] + PAYLOADS["script"]
    data["summary"] = PAYLOADS["script"] + " " + PAYLOADS["attr-list-link"]
    data["steps"] = [{"actor": "team", "action": f"Steg {name}: {p}"} for name, p in PAYLOADS.items()]
    routine.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    unit = content / "units" / "team.yml"
    data = yaml.safe_load(unit.read_text(encoding="utf-8"))
    data["mission"] = PAYLOADS["attr-list"] + " " + PAYLOADS["js-link"]
    unit.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    # The organisation's names reach the header, the title and every page's metadata.
    org = {"id": "organisation", "name": "Kommun " + PAYLOADS["onerror"], "site_title": "Handbok " + PAYLOADS["script"],
           "short_title": PAYLOADS["onerror"], "site_description": PAYLOADS["script"]}
    (content / "organisation.yml").write_text(yaml.safe_dump(org, allow_unicode=True), encoding="utf-8")
    r = run_cli("build", "--content", str(content), "--config", str(ROOT_DIR / "mkdocs.yml"), "--site-dir",
                str(out / "site"), "--dist-dir", str(out / "dist"))
    assert r.returncode == 0, r.stderr
    with serve(out / "site") as base:
        yield base


@pytest.mark.parametrize("path", ["/rutiner/polisinsats/", "/rutiner/", "/enheter/team/", "/"])
def test_script_in_content_never_runs(browser, hostile_site, path):
    context = browser.new_context(viewport=PHONE, locale="sv-SE")
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(hostile_site + path)
    page.wait_for_load_state("load")
    article = page.locator("article")
    for link in article.locator("a").all():  # hover and click every link in the content
        if link.is_visible():
            link.hover()
            href = link.get_attribute("href") or ""
            assert not href.strip().lower().startswith(("javascript", "data", "vbscript")), href
    for el in article.locator("li, p, h1").all():
        if el.is_visible():
            el.click()
    handlers = page.evaluate("""() => [...document.querySelectorAll('*')].flatMap(el =>
        [...el.attributes].filter(a => a.name.startsWith('on')).map(a => el.tagName + ' ' + a.name))""")
    pwned = page.evaluate("() => window.__pwned")
    text = article.inner_text()
    header = page.locator("[data-md-component=header-topic]").inner_text()
    page_title = page.title()
    context.close()
    assert pwned is None and dialogs == [] and handlers == []
    if path == "/rutiner/polisinsats/":  # the payloads are shown as the text they are, also in the header
        assert header.startswith("Möte & samtal <img src=x") and "<script>" in header
        assert page_title.startswith("Möte & samtal <img src=x")
        assert page_title.endswith("- Handbok <script>window.__pwned = 'script'</script> - Kommun "
                                   + PAYLOADS["onerror"]), page_title
        assert "<script>window.__pwned = 'script'</script>" in text
        assert "<img src=x onerror=" in text and "{: onclick=" in text


def test_search_results_for_script_payloads_stay_text(browser, hostile_site):
    context = browser.new_context(viewport=PHONE, locale="sv-SE")
    page = context.new_page()
    page.goto(hostile_site + "/")
    page.click("[data-handbok-search-open]")
    page.fill("#handbok-search-input", "pwned onerror")
    page.wait_for_selector(".md-search-result__list a", timeout=10_000)
    results = page.locator(".md-search-result__list").inner_text()
    handlers = page.evaluate("""() => [...document.querySelectorAll('*')].flatMap(el =>
        [...el.attributes].filter(a => a.name.startsWith('on')).map(a => el.tagName + ' ' + a.name))""")
    pwned = page.evaluate("() => window.__pwned")
    context.close()
    assert "onerror" in results and "Möte" in results
    assert pwned is None and handlers == []


def _situation_routines():
    from generators.pipeline import check_content

    project, _ = check_content(ROOT_DIR / "content")
    return sorted(r.id for r in project.routines.values() if r.kind == "situation")


@pytest.mark.parametrize("rid", _situation_routines())
def test_first_block_is_above_the_fold_on_a_phone(phone, server, rid):
    """At 390×844 the whole Först block is on screen without scrolling, on every situation routine."""
    phone.goto(f"{server}/rutiner/{rid}/")
    block = phone.locator(".handbok-first")
    assert block.count() == 1
    box = block.bounding_box()
    header = phone.locator(".md-header").bounding_box()
    assert box["y"] >= header["y"] + header["height"] - 1  # not hidden under the header
    assert box["y"] + box["height"] <= PHONE["height"], f"{rid}: Först ends at {box['y'] + box['height']:.0f} px"
    assert phone.evaluate("window.scrollY") == 0
    # 112 is a link that dials, and the heading names the block for screen readers.
    assert block.locator("a[href='tel:112']").count() >= 2
    assert phone.get_by_role("region", name="Först").count() == 1
