"""Every page light (issue 16): at a large N no generated page grows with the number of routines.

The default content is scaled to N routines (benchmarks/scale.py, as the benchmark does) and rendered with
render_pages only; mkdocs is not run. The long lists (the routine overview, the tags, a unit's, a law's and a
requirement's routines) go to pages of their own, LIST_LIMIT routines each, and a routine's page is as long at N as
in the default content.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from markupsafe import escape

from generators.links import generated_pages
from generators.pipeline import check_content
from generators.render.site import (INLINE_LIMIT, LIST_LIMIT, QUESTIONS_LIMIT, TARGET_ORDER, TARGET_SLUGS,
                                   question_pages, render_pages, routine_lists, routines_for)
from generators.review import questions_by_unit

ROOT = Path(__file__).resolve().parent.parent
N = 1200  # above LIST_LIMIT for the overview, the tags, the busiest units, laws and requirements
MAX_MARKDOWN = 120_000  # bytes of Markdown on any generated page (the HTML is about twice that with the theme)
_ROUTINE_LINK = re.compile(r"\]\((?:\.\./)*rutiner/([a-z][a-z0-9-]*)\.md\)|\]\(([a-z][a-z0-9-]*)\.md\)")


@pytest.fixture(scope="module")
def scaled(tmp_path_factory):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from scale import scale
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    content = tmp_path_factory.mktemp("scaled") / "content"
    scale(N, content)
    project, _ = check_content(content)
    assert len(project.routines) == N
    return project, render_pages(project, ROOT / "templates", {})


@pytest.fixture(scope="module")
def default():
    project, _ = check_content(ROOT / "content")
    return project, render_pages(project, ROOT / "templates", {})


def _routine_links(text: str) -> list[str]:
    return [rid for a, b in _ROUTINE_LINK.findall(text) if (rid := a or b) != "index"]


def test_no_generated_page_grows_with_the_routines(scaled):
    project, pages = scaled
    sizes = {uri: len(text.encode("utf-8")) for uri, text in pages.items() if uri.endswith(".md")}
    biggest = max(sizes, key=sizes.get)
    assert sizes[biggest] <= MAX_MARKDOWN, (biggest, sizes[biggest])
    for uri, text in pages.items():
        if not uri.endswith(".md"):
            continue
        # A sentence of routine links names at most INLINE_LIMIT of them on a law (one per provision), at most
        # LIST_LIMIT elsewhere (a requirement's routines, for each version of the programme).
        most = INLINE_LIMIT if uri.startswith("lagar/") and uri.count("/") == 1 else LIST_LIMIT
        for line in text.splitlines():
            assert len(_routine_links(line)) <= most, (uri, line[:200])
        # A page of a list: LIST_LIMIT, a few more (a page of open questions names PLACES_SHOWN records a question).
        if uri.count("/") == 2 and uri.split("/")[-1][:-3].isdigit() and not uri.startswith("oppna-fragor/"):
            assert len(_routine_links(text)) <= LIST_LIMIT + 10, uri


def test_a_routine_page_is_as_long_at_n_as_in_the_default_content(scaled, default):
    _, big = scaled
    project, small = default
    for r in project.routines.values():
        uri = f"rutiner/{r.id}.md"
        # The same routine; its tags' links differ (a tag's own page at N, a place on the tag page here), and the
        # routines that point to it are at most INLINE_LIMIT.
        # (scale.py points the last, partial generation's `related` at the original routines).
        slack = 200 * INLINE_LIMIT + 80 * len(r.tags)
        assert abs(len(big[uri]) - len(small[uri])) <= slack, (uri, len(small[uri]), len(big[uri]))
        assert len(_routine_links(big[uri])) <= len(_routine_links(small[uri])) + INLINE_LIMIT, uri


def test_the_long_lists_have_pages_of_their_own(scaled):
    project, pages = scaled
    lists = routine_lists(project)
    for base in ("rutiner/vuxen", "rutiner/barn", "taggar/manniskohandel", "lagar/osl"):
        assert base in lists, sorted(lists)
    assert any(b.startswith("enheter/") for b in lists) and any(b.startswith("avstamning/") for b in lists)
    for t in TARGET_ORDER:  # every routine of the group, once, in the overview's order
        rl = lists[f"rutiner/{TARGET_SLUGS[t]}"]
        listed = [rid for n in range(1, rl.count + 1) for rid in _routine_links(pages[rl.uri(n)])]
        assert listed == [r.id for r in routines_for(project, t)]
        assert all(f"](../{rl.uri(n)})" in pages["rutiner/index.md"] for n in range(1, rl.count + 1))
    page2 = pages["rutiner/vuxen/2.md"]
    assert page2.startswith('---\ntitle: "Rutiner f\\u00f6r vuxna, sida 2 av ')
    assert 'aria-label="Sidor i listan"' in page2 and 'aria-label="Sidor i listan, längst ner"' in page2 and "[← Föregående](1.md)" in page2 and "[Nästa →](3.md)" in page2
    assert "search:\n  exclude: true" in page2  # the lists stay out of search: the routines themselves are there
    # The tag page names each tag with its count; each routine links its tags to their pages.
    assert "- [människohandel](taggar/manniskohandel/1.md) (" in pages["taggar.md"]
    assert "<!-- material/tags -->" not in pages["taggar.md"]


def test_generated_pages_mirror_render_pages_at_n(scaled):
    project, pages = scaled
    assert generated_pages(project) == set(pages)


def test_the_default_content_keeps_its_single_lists(default):
    project, pages = default
    assert routine_lists(project) == {}
    overview = pages["rutiner/index.md"]
    assert all(f"]({rid}.md)" in overview for rid in project.routines)
    tags = pages["taggar.md"]
    assert '## <span class="md-tag">människohandel</span> { #människohandel }' in tags
    assert "[människohandel](../taggar.md#människohandel)" in pages["rutiner/betanketid.md"]


def test_the_open_questions_have_a_page_for_each_unit(scaled):
    """The editors' overview names each unit asked, with its count, and links its page; the questions, each once and
    in the order of `handbok review --questions`, are on the unit's pages, QUESTIONS_LIMIT at most on each."""
    project, pages = scaled
    asked = questions_by_unit(project)
    qpages = question_pages(project)
    assert [(qp.uid, qp.total) for qp in qpages] == [(uid, len(qs)) for uid, qs in asked]
    assert any(qp.count > 1 for qp in qpages)  # at N some unit is asked more than QUESTIONS_LIMIT questions
    overview = pages["oppna-fragor.md"]
    assert f"Det finns {sum(len(qs) for _, qs in asked)} öppna frågor till {len(asked)} mottagare." in overview
    assert "search:\n  exclude: true" in overview and "Varför det spelar roll" not in overview
    for qp, (uid, qs) in zip(qpages, asked):
        name = project.units[uid].name
        pages_of = f" på {qp.count} sidor" if qp.count > 1 else ""
        assert f"- [{name}](oppna-fragor/{uid}.md) ({len(qs)} {'fråga' if len(qs) == 1 else 'frågor'}{pages_of})" \
            in overview
        shown = []
        for n, uri in enumerate(qp.uris(), 1):
            page = pages[uri]
            assert page.startswith("---\ntitle: ") and "search:\n  exclude: true" in page
            assert "[Tillbaka till Öppna frågor till förvaltningen](../" in page
            if qp.count > 1:
                assert 'aria-label="Sidor med frågor"' in page and 'aria-label="Sidor med frågor, längst ner"' in page
                assert page.count('**{}**{{ aria-current="page" }}'.format(n)) == 2
            headings = [line[3:] for line in page.splitlines() if line.startswith("## ")]
            assert 0 < len(headings) <= QUESTIONS_LIMIT, uri
            shown += headings
        assert shown == [str(escape(" ".join(q.question.question.split()))) for q in qs], uid
    back = "[← Föregående](../../oppna-fragor/socialforvaltningen.md)"  # page 2 leads back to the unit's first page
    assert pages["oppna-fragor/socialforvaltningen/2.md"].count(back) == 2  # above and below the questions


def test_a_built_page_lets_go_of_its_markdown_and_then_of_its_html(tmp_path, monkeypatch):
    """mkdocs keeps every page until the end of the build. The Markdown (the generated file's and the page's copy) is
    let go once the page is converted, the HTML once the page is written; titles, which the other pages' menus and
    breadcrumbs still read, stay as they were."""
    import os

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from generators.pipeline import CONTENT_ENV, content_env_value

    monkeypatch.setenv(CONTENT_ENV, content_env_value([ROOT / "content"]))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796256000")
    config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    config.plugins["handbok"].config.search = False
    build(config)
    plugin = config.plugins["handbok"]
    pages = [f for f in plugin._files.documentation_pages() if f.page is not None]
    generated = [f for f in pages if f.src_uri in plugin.generated]
    assert len(generated) > 10 and len(pages) > len(generated)  # the hand-written pages too
    assert [f.src_uri for f in pages if f.page.markdown != ""] == []
    assert all(f.page.title and not f.page.title.endswith(".md") for f in pages)
    assert [f.src_uri for f in generated if f.content_string != ""] == []
    assert [f.src_uri for f in pages if f.page.content != ""] == []
    page = (tmp_path / "site" / "rutiner" / "betanketid" / "index.html").read_text(encoding="utf-8")
    assert "<h1" in page and os.path.getsize(tmp_path / "site" / "index.html") > 10_000
    # the breadcrumbs of a page under an overview name the overview by its title
    chapter = next((tmp_path / "site" / "handlingsplan").glob("*/*/index.html")).read_text(encoding="utf-8")
    assert re.search(r'class="md-path__link"><span class="md-ellipsis">Handlingsplan', chapter)
    assert ".md</span>" not in chapter


def test_a_build_reads_each_template_once_and_the_next_build_sees_an_edit(tmp_path, monkeypatch):
    """render_pages asks for a template's time once a build, not at every page and every {% import %} (2,600 times
    at 1,000 routines, each a wait for the interpreter while the documents' thread runs); the next build, as in
    `handbok serve`, still reads a template that was edited in between."""
    import os
    import shutil
    from collections import Counter

    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    project, _ = check_content(ROOT / "content")
    asked: list[str] = []
    real = os.path.getmtime
    monkeypatch.setattr(os.path, "getmtime", lambda p: (asked.append(os.fspath(p)), real(p))[1])
    first = render_pages(project, templates, {})
    assert asked and max(Counter(asked).values()) == 1, Counter(asked).most_common(3)
    start = templates / "site" / "start.md.j2"
    start.write_text(start.read_text(encoding="utf-8") + "\nRättad-i-mallen\n", encoding="utf-8")
    second = render_pages(project, templates, {})
    assert "Rättad-i-mallen" not in first["index.md"]
    assert "Rättad-i-mallen" in second["index.md"]
