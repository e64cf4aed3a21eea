"""`handbok serve` never hangs: on an error it shows the errors in Swedish and reloads when they are fixed (issue 14)."""

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import MINI, ROOT
from generators.issues import Position, error
from generators.preview import SERVE_TITLE, SERVE_TITLE_NO_SITE, Problem, add_overlay, error_overlay, error_page

OVERLAY = "#handbok-serve-errors"


# --- the error list ------------------------------------------------------------------------

def test_overlay_lists_every_error_as_file_line_message():
    issue = error("invalid-date", "updated: texten '2025-13-45' är inget giltigt datum.", "content/routines/x.yml",
                  Position(26, 10), hint="Skriv datum som ÅÅÅÅ-MM-DD.")
    html = error_overlay([Problem.from_issue(issue), Problem("", "Sidan <b>finns</b> två gånger.")])
    assert SERVE_TITLE == "Innehållet har fel – förhandsgranskningen visar den senaste fungerande versionen"
    assert 'role="alert"' in html and f">{SERVE_TITLE}</h2>" in html
    assert "<p>2 fel. Rätta och spara filen: sidan laddas om av sig själv.</p>" in html
    assert ("<li><code>content/routines/x.yml:26</code>: updated: texten &#x27;2025-13-45&#x27; är inget giltigt "
            'datum.<span class="handbok-serve-hint">Tips: Skriv datum som ÅÅÅÅ-MM-DD.</span></li>') in html
    assert "<li>Sidan &lt;b&gt;finns&lt;/b&gt; två gånger.</li>" in html  # escaped, and no place when none is known
    assert ">Dölj felen</button>" in html
    assert Problem.from_issue(issue).text() == "content/routines/x.yml:26: updated: texten '2025-13-45' är inget giltigt datum."


def test_overlay_goes_first_in_the_body_and_the_page_without_a_site_is_swedish():
    page = b'<html><body dir="ltr" data-md-color-scheme="default"><header>X</header></body></html>'
    out = add_overlay(page, [Problem("a.yml:3", "Fel.")])
    assert out.startswith(b'<html><body dir="ltr" data-md-color-scheme="default"><div id="handbok-serve-errors"')
    assert out.endswith(b"<header>X</header></body></html>")
    whole = error_page([Problem("a.yml:3", "Fel.")])
    assert SERVE_TITLE_NO_SITE == "Innehållet har fel – förhandsgranskningen visas när felen är rättade"
    assert '<html lang="sv">' in whole and f">{SERVE_TITLE_NO_SITE}</h1>" in whole
    assert "<p>1 fel. Rätta och spara filen: sidan laddas om av sig själv.</p>" in whole
    assert "Dölj felen" not in whole  # the list is the page


# --- the server, in Chromium ------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    """One plain request that must be answered within a few seconds, whatever the state of the content."""
    try:
        with urllib.request.urlopen(url, timeout=4) as r:
            return r.status, r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8")


@pytest.fixture
def start_serve(tmp_path):
    """Start `handbok serve` on a content folder and a free port; the server is stopped after the test."""
    procs: list[tuple[subprocess.Popen, Path]] = []

    def start(content: Path, cwd: Path = ROOT) -> str:
        port = _free_port()
        log = tmp_path / f"serve-{port}.log"
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONPATH": str(ROOT)}
        with log.open("w") as out:
            proc = subprocess.Popen([sys.executable, "-m", "generators", "serve", "--content", str(content),
                                     "--addr", f"127.0.0.1:{port}"], cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                                    env=env)
        procs.append((proc, log))
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, log.read_text(encoding="utf-8")
            try:
                _get(base + "/")
                return base
            except OSError:  # not listening yet (the first build runs before)
                assert time.monotonic() < deadline, log.read_text(encoding="utf-8")
                time.sleep(0.2)

    yield start
    for proc, log in procs:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        print(log.read_text(encoding="utf-8"))  # shown by pytest when the test failed


@pytest.fixture
def content(tmp_path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(MINI, target)
    return target


def _line_of(path: Path, prefix: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if line.startswith(prefix))


def test_an_error_shows_in_the_open_page_within_3_s_and_goes_when_fixed(start_serve, content, phone):
    from playwright.sync_api import expect

    base = start_serve(content)
    phone.goto(base + "/rutiner/betanketid/")
    title = phone.locator("h1", has_text="Ansöka om betänketid")
    expect(title).to_be_visible()
    expect(phone.locator(OVERLAY)).to_have_count(0)

    routine = content / "routines" / "betanketid.yml"
    good = routine.read_text(encoding="utf-8")
    line = _line_of(routine, "updated:")
    written = time.monotonic()
    routine.write_text(good.replace("updated: 2026-11-01", "updated: 2025-13-45"), encoding="utf-8")
    overlay = phone.locator(OVERLAY)
    # The server notices the change, the check fails, and the page reloads with the list: all within 3 s.
    expect(overlay).to_contain_text(f"betanketid.yml:{line}: updated: texten '2025-13-45' är inget giltigt datum.",
                                    timeout=max(1, 3000 - (time.monotonic() - written) * 1000))
    expect(overlay).to_have_attribute("role", "alert")
    expect(overlay).to_contain_text(SERVE_TITLE)
    expect(overlay).to_be_in_viewport()
    expect(title).to_have_count(1)  # the last good page is still there, under the list

    # Never a hang: a plain request is answered at once, with the last good page and the list.
    started = time.monotonic()
    status, body = _get(base + "/rutiner/betanketid/")
    assert status == 200 and time.monotonic() - started < 3
    assert f"betanketid.yml:{line}</code>" in body and "Ansöka om betänketid" in body
    assert _get(base + "/finns-inte/")[0] == 404

    # The list can be put aside with the keyboard.
    phone.get_by_role("button", name="Dölj felen").focus()
    phone.keyboard.press("Enter")
    expect(overlay).to_be_hidden()

    routine.write_text(good, encoding="utf-8")
    expect(overlay).to_have_count(0, timeout=30_000)  # rebuilt, and reloaded without the list
    expect(title).to_be_visible()
    assert SERVE_TITLE not in _get(base + "/rutiner/betanketid/")[1]


def test_errors_at_start_show_at_every_address_until_fixed(start_serve, content, phone):
    from playwright.sync_api import expect

    routine = content / "routines" / "polisinsats.yml"
    good = routine.read_text(encoding="utf-8")
    routine.write_text("id: [polisinsats\n" + good, encoding="utf-8")  # invalid YAML: the first build fails
    base = start_serve(content)

    started = time.monotonic()
    status, body = _get(base + "/rutiner/polisinsats/")
    assert time.monotonic() - started < 3
    assert status == 503 and SERVE_TITLE_NO_SITE in body and "polisinsats.yml:1</code>" in body
    phone.goto(base + "/rutiner/polisinsats/")
    expect(phone.locator("h1")).to_have_text(SERVE_TITLE_NO_SITE)
    expect(phone.locator(OVERLAY)).to_contain_text("polisinsats.yml:1: ")

    routine.write_text(good, encoding="utf-8")
    expect(phone.locator(OVERLAY)).to_have_count(0, timeout=30_000)
    expect(phone.locator("html")).to_have_attribute("lang", "sv")
    assert _get(base + "/rutiner/polisinsats/")[0] == 200


def _until(check, seconds: float):
    """Poll check() until it returns something true; every request in it has its own short timeout."""
    deadline = time.monotonic() + seconds
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.2)


def test_a_failed_mkdocs_build_keeps_the_last_good_site_and_says_why(start_serve, content, tmp_path):
    """Not only content errors: a broken mkdocs.yml stops mkdocs, and the server still answers at once, with the
    last good page and the reason."""
    root = tmp_path / "projekt"  # a project folder of its own, so that its mkdocs.yml can be broken
    root.mkdir()
    config = root / "mkdocs.yml"
    shutil.copy2(ROOT / "mkdocs.yml", config)
    (root / "templates").symlink_to(ROOT / "templates")
    (root / "content").symlink_to(content)
    base = start_serve(content, cwd=root)
    url = base + "/rutiner/betanketid/"
    assert _get(url)[0] == 200
    good = config.read_text(encoding="utf-8")
    config.write_text(good + "\nnav: [\n", encoding="utf-8")
    status, body = _until(lambda: (lambda r: r if SERVE_TITLE in r[1] else None)(_get(url)), 15) or _get(url)
    assert status == 200 and SERVE_TITLE in body, body[-2000:]
    assert re.search(r"<code>[^<]*mkdocs\.yml:\d+</code>", body) and "Ansöka om betänketid" in body
    config.write_text(good, encoding="utf-8")
    assert _until(lambda: SERVE_TITLE not in _get(url)[1], 30)


# --- a quick rebuild (issue 16) ---------------------------------------------------------------------------------

def test_a_changed_routine_shows_on_its_page_and_its_backlinks_and_search_catches_up(start_serve, content):
    """Only the changed pages are converted again and Pagefind runs after the swap; the pages that show the routine
    are all current, and the search index follows by itself."""
    base = start_serve(content)
    page, overview = base + "/rutiner/betanketid/", base + "/rutiner/"
    linking = base + "/rutiner/polisinsats/"  # lists betanketid among the routines that link to it
    assert "Ansöka om betänketid" in _get(linking)[1]
    assert _until(lambda: _get(base + "/pagefind/pagefind-entry.json")[0] == 200, 60)
    before = _get(base + "/pagefind/pagefind-entry.json")[1]

    routine = content / "routines" / "betanketid.yml"
    routine.write_text(routine.read_text(encoding="utf-8").replace("title: Ansöka om betänketid",
                                                                   "title: Ansöka om kvarglömningstid"),
                       encoding="utf-8")
    assert _until(lambda: "Ansöka om kvarglömningstid" in _get(page)[1], 60)
    for url in (overview, linking):  # the backlinks and the overview, in the same build
        body = _get(url)[1]
        assert "Ansöka om kvarglömningstid" in body and "Ansöka om betänketid" not in body, url
    assert SERVE_TITLE not in _get(page)[1]

    # The search index: a new Pagefind index, and the new word in the search box's vocabulary.
    assert _until(lambda: "kvarglömningstid" in _get(base + "/search-vocabulary.json")[1], 60)
    assert _until(lambda: _get(base + "/pagefind/pagefind-entry.json")[1] != before, 60)
