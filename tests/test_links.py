"""Our own link check: a broken link is reported in Swedish, with file, line and column, before mkdocs would stop."""

import datetime as dt
import time
from pathlib import Path

from generators.links import generated_pages, links
from generators.pipeline import check_content

ROOT = Path(__file__).resolve().parent.parent


def _links(content) -> list[str]:
    return [i.format() for i in check_content(content, dt.date(2026, 11, 22))[1] if i.code == "broken-link"]


def _page(content: Path, rel: str, text: str) -> None:
    path = content / "pages" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


PAGE = """\
---
title: Om
---

# Om

Se [källorna](kalor.md) och [rutinen](rutiner/polisinsats.md#steg), [start](index.md) och [sidan](om.md).
Läs [mer](https://example.se/x.md), [e-post](mailto:a@b.se), [här](#status) och `[kod](finns-inte.md)`.

```
[gammal](gammal.md)
```

[Handlingsplanen](nedladdning/handlingsplan.docx), [paketet](nedladdning/rutinhandbok-offline.zip),
[presentationen](nedladdning/utbildning/solna/presentation.pptx), [fel fil](nedladdning/handlingsplanen.docx).
![Karta](bilder/karta.png) och ![Logga](bilder/logga.png "Logga"), [Rutiner](rutiner/), [Lagar](lagar/utl/),
[Ingen](rutiner/ingen/).

[ref]: enheter/tem.md
"""


def test_broken_links_in_a_page_golden(mini):
    _page(mini, "om.md", PAGE)
    _page(mini, "bilder/logga.png", "")
    assert _links(mini) == [
        "content/pages/om.md:7:4: error[broken-link]: Länken går till sidan 'kalor.md', som inte finns.\n"
        "  tips: Menade du 'kallor.md'?",
        "content/pages/om.md:15:67: error[broken-link]: Länken går till filen 'nedladdning/handlingsplanen.docx', men "
        "den filen byggs inte.\n  tips: Menade du 'nedladdning/handlingsplan.docx'? Filerna som byggs är bland andra "
        "avstamning-betanketid.docx, avstamning-betanketid.pdf, handlingsplan.docx, handlingsplan.pdf, "
        "oppna-fragor.docx, oppna-fragor.pdf, rutinhandbok-offline.zip, rutinhandbok.docx, rutinhandbok.pdf; "
        "se sidan Ladda ner.",
        "content/pages/om.md:16:1: error[broken-link]: Länken går till filen 'bilder/karta.png', som inte finns.\n"
        "  tips: Menade du 'bilder/logga.png'?",
        "content/pages/om.md:17:1: error[broken-link]: Länken går till 'rutiner/ingen/', som inte är någon sida.\n"
        "  tips: Menade du 'rutiner/index.md'? Länka till sidans .md-fil, till exempel `kallor.md`.",
        "content/pages/om.md:19:1: error[broken-link]: Länken går till sidan 'enheter/tem.md', som inte finns.\n"
        "  tips: Menade du 'enheter/team.md'?",
    ]


def test_links_count_from_the_page_s_own_folder_golden(mini):
    _page(mini, "om.md", "# Om\n\nSe [boende](stod/boende.md).\n")
    _page(mini, "stod/boende.md", "# Boende\n\n[Om](../om.md), [rutinen](../rutiner/betanketid.md) och [fel](om.md).\n")
    assert _links(mini) == [
        "content/pages/stod/boende.md:3:57: error[broken-link]: Länken går till sidan 'om.md', som inte finns.\n"
        "  tips: Menade du '../om.md'?"]


def test_link_in_a_record_text_is_counted_from_the_record_s_page_golden(mini):
    path = mini / "routines" / "polisinsats.yml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "action: Ge information om stöd.",
        "action: Ge information om [stöd](../enheter/teamm.md) och [begreppet](../begrepp.md#betanketid)."),
        encoding="utf-8")
    assert _links(mini) == [
        "content/routines/polisinsats.yml:9:13: error[broken-link]: Länken går till sidan '../enheter/teamm.md', som "
        "inte finns.\n  tips: Menade du '../enheter/team.md'?"]


def test_link_in_a_chapter_of_the_plan_golden(mini):
    path = mini / "plans" / "testplan" / "inledning.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nSe [åtgärderna](atgarder.md) och [planen](../index.md), "
                    "inte [detta](../atgarder.md).\n", encoding="utf-8")
    assert _links(mini) == [
        "content/plans/testplan/inledning.md:8:62: error[broken-link]: Länken går till sidan '../atgarder.md', som "
        "inte finns.\n  tips: Menade du 'atgarder.md'?"]


def test_link_syntax():
    text = ("[a](x.md) ![b](<bild med mellanslag.png> \"titel\") [c [d]](y.md#z) [e](f(1).md) `[g](h.md)`\n"
            "```md\n[i](j.md)\n```\n  [k]: l.md\n[m] (inte.md) [n](o.md 'p')\n[^1]: En fotnot.\n")
    assert [target for _, target in links(text)] == ["x.md", "bild med mellanslag.png", "y.md#z", "f(1).md", "l.md",
                                                     "o.md"]


def test_long_broken_link_text_is_checked_in_linear_time(mini):
    # Within the size limit (512 KiB), so that the page is read and its links are looked for.
    _page(mini, "om.md", "[§ 1" * 30_000 + "\n" + "[a](" * 30_000 + "\n" + "](x" * 30_000 + "\n" + "[b](c" * 30_000)
    start = time.perf_counter()
    out = [i.format() for i in check_content(mini, dt.date(2026, 11, 22))[1]]
    assert time.perf_counter() - start < 10
    assert not any("too-large" in o for o in out)


def test_generated_pages_are_the_pages_render_pages_makes():
    """links.generated_pages mirrors render.site.render_pages without rendering; they must not drift apart."""
    from generators.render.site import render_pages

    for content in (ROOT / "content", ROOT / "tests" / "fixtures" / "mini"):
        project, _ = check_content(content)
        assert generated_pages(project) == set(render_pages(project, ROOT / "templates", {})), content


def test_default_content_has_no_broken_link():
    assert _links(ROOT / "content") == []


def test_a_file_full_of_broken_links_gives_twenty_and_a_count(mini):
    _page(mini, "om.md", "# Om\n\n" + "".join(f"[x](sida-{i % 3}.md) " for i in range(20_000)) + "\n")
    found = _links(mini)
    assert len(found) == 21  # the first twenty, then where the rest begin
    assert found[-1] == ("content/pages/om.md:3:301: error[broken-link]: Ytterligare 19980 länkar i filen leder "
                         "ingenstans.\n  tips: Rätta länkarna ovan och kör igen; resten visas då.")
