import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Every test session gets its own empty cache (generators/cache.py), so that no test is helped or hindered by what a
# developer built before, and nothing is written into the project's own .handbok-cache/. Tests that compare two
# builds for identical bytes turn the cache off, so that both builds really run.
os.environ["HANDBOK_CACHE"] = tempfile.mkdtemp(prefix="handbok-test-cache-")
MINI = ROOT / "tests" / "fixtures" / "mini"
CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture
def mini(tmp_path, monkeypatch) -> Path:
    """A copy of the small valid content tree; tests break it on purpose."""
    target = tmp_path / "content"
    shutil.copytree(MINI, target)
    monkeypatch.chdir(tmp_path)
    return target


def run_cli(*args: str, cwd: Path = ROOT, env: dict | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "SOURCE_DATE_EPOCH": "1796256000", **(env or {})}
    return subprocess.run([sys.executable, "-m", "generators", *args], cwd=cwd, capture_output=True, text=True,
                          env=full_env, timeout=timeout)


@pytest.fixture(scope="session")
def default_build(tmp_path_factory) -> Path:
    """The whole site and every document, built once from the default content."""
    out = tmp_path_factory.mktemp("default")
    result = run_cli("build", "--site-dir", str(out / "site"), "--dist-dir", str(out / "dist"))
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="session")
def default_site(default_build) -> Path:
    return default_build / "site"


@pytest.fixture(scope="session")
def default_dist(default_build) -> Path:
    return default_build / "dist"


def chromium_or_skip() -> None:
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true men /usr/bin/chromium saknas: webbläsartesterna får inte hoppas över i CI.")
        pytest.skip("Debians chromium saknas (/usr/bin/chromium); körs alltid i CI.")


PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def server(default_site):
    """The default site over HTTP, as a host serves it (404.html for missing addresses)."""
    from generators.audit import serve

    with serve(default_site) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium; skipped locally without it, never when CI=true."""
    chromium_or_skip()
    from playwright.sync_api import sync_playwright

    from generators.audit import CHROMIUM_ARGS

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def phone(browser):
    """A phone-sized page that fails the test on any script error."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="sv-SE")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    context.close()
    assert errors == []


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(os.environ["HANDBOK_CACHE"], ignore_errors=True)
