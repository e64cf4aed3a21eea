"""End to end in real Chromium (Debian's /usr/bin/chromium) on a phone-sized window.

Skipped locally when chromium is missing; never skipped when CI=true.
"""

from pathlib import Path

import pytest

from conftest import CHROMIUM, chromium_or_skip
from generators.audit import CHROMIUM_ARGS, serve

PHONE = {"width": 390, "height": 844}
ROUTINE = "/rutiner/betanketid/"


@pytest.fixture(scope="module")
def server(default_site):
    with serve(default_site) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="sv-SE")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    context.close()
    assert errors == []


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
