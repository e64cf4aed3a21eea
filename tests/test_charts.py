"""Follow-up charts compare like with like, and their text is readable on a phone.

A chart never puts a whole year beside half a year without saying so on the chart itself, and its text is at
least 12 CSS px on a 390 px phone, where the SVG is scaled down to the content column (358 px).
"""

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import PHONE, ROOT
from generators.model import Figure
from generators.render import charts
from generators.render.charts import (ChartError, Series, check_comparable, comparability_problem, follow_up_charts,
                                      layout, period_months)

PHONE_CONTENT_WIDTH = 358  # 390 px less Material's 16 px margins
MIN_PX = 12
SVG = "{http://www.w3.org/2000/svg}"


def _figure(fid: str, period: str, value: int, unit: str = "ansökningar", date: str = "") -> Figure:
    return Figure.model_validate({"id": fid, "label": "Ansökningar om betänketid", "value": value, "unit": unit,
                                  "period": period, "date": date or period[-4:], "series": "s", "sources": ["plan"]})


YEAR = _figure("a-2024", "2024", 14)
SPRING = _figure("a-2025-var", "våren 2025", 3)
NEXT_YEAR = _figure("a-2025", "2025", 9)


# --- the rule ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("period, months", [
    ("2024", 12), ("våren 2025", 6), ("hösten 2025", 6), ("2021–2022", 24), ("april 2021 – 2022", 21),
    ("januari–juni 2025", 6), ("första kvartalet 2025", 3), ("december 2021", 1),
    ("en polisinsats, inte närmare daterad", None),
])
def test_period_length_is_read_from_the_swedish_period(period, months):
    assert period_months(period) == months


def test_full_year_beside_half_year_without_a_note_is_rejected():
    problem = comparability_problem("Ansökningar", [YEAR, SPRING])
    assert problem is not None
    assert "2024 (12 månader)" in problem and "våren 2025 (6 månader)" in problem
    with pytest.raises(ChartError, match="olika eller okänd längd"):
        check_comparable("Ansökningar", [YEAR, SPRING])


def test_unlike_periods_pass_with_a_note_that_the_chart_shows():
    note = "Obs! 2024 avser hela året, 2025 bara våren."
    assert comparability_problem("Ansökningar", [YEAR, SPRING], note) is None
    chart = layout("s", Series("Ansökningar", note), [YEAR, SPRING])
    assert chart.note == note and " ".join(chart.note_lines) == note
    assert chart.description.endswith("Obs! 2024 avser hela året, 2025 bara våren")


def test_like_periods_need_no_note_and_show_none():
    assert comparability_problem("Ansökningar", [YEAR, NEXT_YEAR]) is None
    chart = layout("s", Series("Ansökningar", "Obs! Gäller inte längre."), [YEAR, NEXT_YEAR])
    assert chart.note is None and chart.note_lines == ()


def test_a_period_of_unknown_length_needs_a_note():
    odd = _figure("insats", "en polisinsats, inte närmare daterad", 132, date="2025")
    assert "okänd längd" in comparability_problem("Gripna", [YEAR, odd])
    assert comparability_problem("Gripna", [odd]) is None  # one bar compares nothing


def test_mixed_units_are_rejected_even_with_a_note():
    other = _figure("b-2025", "2025", 2, unit="tjänster")
    assert "blandar enheter" in comparability_problem("Koordinatorer", [YEAR, other], note="Obs! Olika enheter.")


def test_the_chart_builder_refuses_a_series_without_its_note(monkeypatch):
    from generators.pipeline import check_content

    project = check_content(ROOT / "content")[0]
    for sid, series in charts.FOLLOW_UP_SERIES.items():
        points = [f for f in project.figures.values() if f.series == sid]
        assert comparability_problem(series.title, points, series.note) is None, sid
    assert follow_up_charts(project)
    monkeypatch.setattr(charts, "FOLLOW_UP_SERIES",
                        {sid: Series(s.title) for sid, s in charts.FOLLOW_UP_SERIES.items()})
    with pytest.raises(ChartError):
        follow_up_charts(project)


# --- the built site ------------------------------------------------------------------------------------


def _charts_on_page(site: Path) -> list[str]:
    html = (site / "uppfoljning" / "index.html").read_text(encoding="utf-8")
    figures = re.findall(r'<figure class="handbok-chart">(.*?)</figure>', html, re.S)
    return [re.search(r'src="([^"]+\.svg)"', f)[1] for f in figures]


def _font_sizes(svg: ET.Element) -> list[tuple[str, float]]:
    """Every text run with the font size it is drawn in (inherited from the nearest element that sets one)."""
    out = []

    def walk(el: ET.Element, size: float | None) -> None:
        size = float(el.get("font-size", size) or 0) or size
        if el.tag in (f"{SVG}text", f"{SVG}tspan") and (el.text or "").strip():
            out.append((el.text.strip(), size))
        for child in el:
            walk(child, size)

    walk(svg, None)
    return out


def test_follow_up_page_has_one_readable_chart_per_series(default_site):
    from generators.pipeline import check_content

    project = check_content(ROOT / "content")[0]
    srcs = _charts_on_page(default_site)
    expected = [sid for sid in charts.FOLLOW_UP_SERIES if any(f.series == sid for f in project.figures.values())]
    assert [Path(s).stem for s in srcs] == expected  # one chart per series, none twice
    for src in srcs:
        path = default_site / "uppfoljning" / Path(src).name
        svg = ET.fromstring(path.read_text(encoding="utf-8"))
        width = float(svg.get("viewBox").split()[2])
        sizes = _font_sizes(svg)
        assert sizes, path.name
        for text, size in sizes:
            assert size * min(1, PHONE_CONTENT_WIDTH / width) >= MIN_PX, (path.name, text, size, width)
        # Unlike periods are said on the chart itself.
        sid = path.stem
        points = [f for f in project.figures.values() if f.series == sid]
        if len({period_months(f.period) for f in points}) > 1:
            note = charts.FOLLOW_UP_SERIES[sid].note
            drawn = " ".join(t for t, _ in sizes)
            assert note and " ".join(note.split()) in drawn, sid


def test_single_point_series_stay_in_the_table(default_site):
    """The POM team's 2025 count and the 2021–2022 joint police operations are different measures over
    different periods: each has its own series, with one point, so neither gets a chart."""
    from generators.pipeline import check_content

    project = check_content(ROOT / "content")[0]
    assert project.figures["pom-personer-2025"].series != project.figures["personer-i-prostitution-2022"].series
    srcs = {Path(s).stem for s in _charts_on_page(default_site)}
    assert project.figures["pom-personer-2025"].series not in srcs
    assert project.figures["personer-i-prostitution-2022"].series not in srcs
    html = (default_site / "uppfoljning" / "index.html").read_text(encoding="utf-8")
    assert "Personer som POM-teamet påträffade" in html and "arbetspass med polisen" in html


# --- in Chromium, on a phone ---------------------------------------------------------------------------


# Put each chart's SVG inline, exactly where and as wide as its <img> is drawn, and measure its text there.
MEASURE = """async () => {
  const out = [];
  for (const img of document.querySelectorAll('.handbok-chart img')) {
    await img.decode();
    const box = img.getBoundingClientRect();
    const text = await (await fetch(img.src)).text();
    const holder = document.createElement('div');
    holder.innerHTML = text;
    const svg = holder.querySelector('svg');
    svg.setAttribute('width', box.width);
    svg.removeAttribute('height');
    img.replaceWith(svg);
    const frame = svg.getBoundingClientRect();
    const scale = frame.width / svg.viewBox.baseVal.width;
    for (const t of svg.querySelectorAll('text')) {
      const r = t.getBoundingClientRect();
      out.push({chart: img.src, text: t.textContent, imgWidth: box.width, scale,
                px: parseFloat(getComputedStyle(t).fontSize) * scale, height: r.height,
                left: r.left - frame.left, right: frame.right - r.right});
    }
  }
  return out;
}"""


def test_chart_text_is_at_least_12_px_on_a_phone(browser, server):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="sv-SE")
    page = context.new_page()
    page.goto(server + "/uppfoljning/")
    texts = page.evaluate(MEASURE)
    context.close()
    assert texts
    for t in texts:
        assert t["imgWidth"] <= PHONE["width"], t
        assert t["px"] >= MIN_PX and t["height"] >= MIN_PX, t
        assert t["left"] >= 0 and t["right"] >= 0, t  # no label runs out of the chart
