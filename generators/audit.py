"""Accessibility audit: axe-core in Debian's Chromium over every page type of the built site.

Each page type is audited at phone and desktop width, in light and dark mode.
``handbok audit --write`` stores the result in ``content/accessibility/audit.json``;
the accessibility statement (tillgänglighetsredogörelse) is generated from that
file, so it says what the last audit found, and when. The test suite runs the same
audit and fails on any serious or critical violation, or when the stored result
no longer matches what the site does.

Needs the test extras (playwright, axe-playwright-python) and /usr/bin/chromium.
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import json
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
VIEWPORTS = {"telefon": {"width": 390, "height": 844}, "dator": {"width": 1280, "height": 900}}
SCHEMES = {"ljust": "light", "mörkt": "dark"}
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
BLOCKING = ("serious", "critical")
AUDIT_FILE = Path("accessibility") / "audit.json"
SETTLED = "*, *::before, *::after { transition: none !important; animation: none !important; }"


@dataclass(frozen=True)
class PageType:
    name: str
    path: str
    prepare: Callable | None = None  # what to do on the page before the audit


def _search(page) -> None:
    page.click("[data-handbok-search-open]") if page.viewport_size["width"] < 960 else page.click("#handbok-search-input")
    page.fill("#handbok-search-input", "betänketid")
    page.wait_for_selector(".md-search-result__item", timeout=15000)


def _answer_quiz(page) -> None:
    for fieldset in page.locator(".handbok-quiz__question").all():
        fieldset.locator("input[type=radio]").first.check()
    page.click(".handbok-quiz button[type=submit]")
    page.wait_for_function("document.querySelector('.handbok-quiz__result').textContent.length > 0")


def page_types(project) -> list[PageType]:
    first = lambda table: next(iter(sorted(table)), None)  # noqa: E731
    types = [PageType("Startsidan", "/"), PageType("Sökning med träffar", "/", _search)]
    for name, table, prefix in (("Rutin", project.routines, "rutiner"), ("Enhet", project.units, "enheter"),
                                ("Lag", project.legal, "lagar")):
        if first(table):
            types.append(PageType(name, f"/{prefix}/{first(table)}/"))
    types += [PageType("Begrepp", "/begrepp/"), PageType("Kommuner", "/kommuner/"),
              PageType("Avstämningens matris", "/avstamning/")]
    if project.requirements:
        types.append(PageType("Krav", f"/avstamning/{first(project.requirements)}/"))
    if project.modules:
        types.append(PageType("Utbildningsmodul med självtest", f"/utbildning/{first(project.modules)}/", _answer_quiz))
    if project.plans:
        plan = project.plans[first(project.plans)]
        types.append(PageType("Handlingsplanens kapitel", f"/handlingsplan/{plan.id}/{plan.chapters[0].id}/"))
    from .render.site import question_pages

    asked = question_pages(project)
    if asked:
        types.append(PageType("Öppna frågor till en mottagare", "/" + asked[0].uri(1)[:-len(".md")] + "/"))
    types += [PageType("Uppföljningens diagram", "/uppfoljning/"), PageType("Tillgänglighetsredogörelse", "/tillganglighet/"),
              PageType("Ladda ner", "/nedladdning/"), PageType("Sidan finns inte (404)", "/rutiner/finns-inte/")]
    if project.courses and project.municipalities:
        types.append(PageType("Utbildningspaket för en kommun", "/utbildning/kommun/nacka/" if "nacka" in
                              project.municipalities else "/utbildning/"))
    return types


@contextmanager
def serve(site_dir: Path) -> Iterator[str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def send_error(self, code, message=None, explain=None):
            # As a web host does: the site's own 404 page for every missing address, at any depth.
            page = Path(site_dir) / "404.html"
            if code != 404 or not page.is_file():
                return super().send_error(code, message, explain)
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

    class Server(http.server.ThreadingHTTPServer):
        def handle_error(self, request, client_address):
            pass  # a browser that closes a connection early is not an error here

    httpd = Server(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site_dir)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()


def run_audit(site_dir: Path, types: list[PageType], today: dt.date | None = None) -> dict:
    """Audit every page type in every viewport and colour scheme; violations sorted for stable output."""
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    axe = Axe()
    results = []
    version = ""
    with serve(site_dir) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            for vp_name, viewport in VIEWPORTS.items():
                for scheme_name, scheme in SCHEMES.items():
                    # Reduced motion: the site then turns transitions off itself (handbok.css), and SETTLED below
                    # makes sure of it for anything else.
                    context = browser.new_context(viewport=viewport, color_scheme=scheme, locale="sv-SE",
                                                  reduced_motion="reduce")
                    page = context.new_page()
                    for t in types:
                        page.goto(base + t.path)
                        # Colours are audited as they end up, not halfway through a CSS transition: axe once read a
                        # link's colour mid-fade after the self-test was answered and reported a contrast failure on
                        # one run in several.
                        page.add_style_tag(content=SETTLED)
                        if t.prepare:
                            t.prepare(page)
                        page.evaluate("document.getAnimations().forEach(a => a.finish())")
                        response = axe.run(page, options={"runOnly": {"type": "tag", "values": TAGS}}).response
                        version = response.get("testEngine", {}).get("version", version)
                        violations = sorted(({"id": v["id"], "impact": v["impact"], "nodes": len(v["nodes"]),
                                              "help": v["help"]} for v in response["violations"]),
                                            key=lambda v: v["id"])
                        results.append({"page": t.name, "path": t.path, "viewport": vp_name, "scheme": scheme_name,
                                        "violations": violations})
                    context.close()
        finally:
            browser.close()
    return {"date": (today or dt.date.today()).isoformat(), "axe": version, "tags": TAGS, "results": results}


def blocking(audit: dict) -> list[str]:
    return [f"{r['page']} ({r['viewport']}, {r['scheme']}): {v['id']} [{v['impact']}] {v['help']}"
            for r in audit["results"] for v in r["violations"] if v["impact"] in BLOCKING]


def findings(audit: dict) -> set[tuple[str, str, str, str]]:
    """(page type, viewport, scheme, rule) for every violation: what the statement reports."""
    return {(r["page"], r["viewport"], r["scheme"], v["id"]) for r in audit["results"] for v in r["violations"]}


def write(audit: dict, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(audit, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def summary_lines(audit: dict) -> list[str]:
    lines = []
    for r in audit["results"]:
        counts = {}
        for v in r["violations"]:
            counts[v["impact"]] = counts.get(v["impact"], 0) + 1
        state = ", ".join(f"{n} {impact}" for impact, n in sorted(counts.items())) or "inga avvikelser"
        lines.append(f"{r['page']} ({r['viewport']}, {r['scheme']}): {state}")
    return lines
