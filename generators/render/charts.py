"""Follow-up charts: one horizontal bar chart per series, as SVG (site) and PNG (Word).

Both images are drawn from the same layout, and each comes with a table that
carries the same numbers and every point's source, so that the chart never
stands alone (the table is its text alternative).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from ..graph import Project
from ..model import Figure
from .templating import make_env, number

# The follow-up figures the action plan reports, in this order: series id -> title.
FOLLOW_UP_SERIES = {
    "betanketid-ansokningar": "Ansökningar om betänketid",
    "personer-motta": "Personer som mötts och erbjudits stöd",
    "utbildade": "Personer som gått utbildningen i länserbjudandet",
}

WIDTH, BAR_H, GAP, LABEL_W, TOP, VALUE_W = 640, 28, 14, 190, 12, 90
BAR_COLOUR, TEXT_COLOUR = "#1d5a8c", "#1a1a1a"  # 7.4:1 and 17:1 on white


@dataclass(frozen=True)
class Bar:
    label: str
    value_text: str
    y: int
    width: int
    figure: Figure


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    unit: str
    bars: list[Bar]
    width: int
    height: int

    @property
    def description(self) -> str:
        return "; ".join(f"{b.label}: {b.value_text}" for b in self.bars)


def _value_text(f: Figure) -> str:
    return ("cirka " if f.approximate else "") + number(f.value)


def follow_up_charts(project: Project) -> list[Chart]:
    charts = []
    for sid, title in FOLLOW_UP_SERIES.items():
        points = sorted((f for f in project.figures.values() if f.series == sid), key=lambda f: (f.date, f.id))
        if not points:
            continue
        top = max(f.value for f in points) or 1
        span = WIDTH - LABEL_W - VALUE_W
        bars = [Bar(f.period, _value_text(f), TOP + i * (BAR_H + GAP), max(2, round(span * f.value / top)), f)
                for i, f in enumerate(points)]
        height = TOP * 2 + len(bars) * (BAR_H + GAP) - GAP
        charts.append(Chart(sid, title, points[0].unit, bars, WIDTH, height))
    return charts


def svg(chart: Chart, templates_dir: Path) -> str:
    env = make_env(Path(templates_dir) / "charts")
    return env.get_template("bars.svg.j2").render(c=chart, LABEL_W=LABEL_W, BAR_H=BAR_H, BAR_COLOUR=BAR_COLOUR,
                                                  TEXT_COLOUR=TEXT_COLOUR)


def png(chart: Chart, scale: int = 2) -> bytes:
    """The same chart as PNG for Word, drawn with Pillow and a font that has å, ä and ö."""
    from PIL import Image, ImageDraw, ImageFont
    import font_roboto

    font = ImageFont.truetype(str(Path(font_roboto.__file__).parent / "files" / "Roboto-Regular.ttf"), 15 * scale)
    image = Image.new("RGB", (chart.width * scale, chart.height * scale), "white")
    draw = ImageDraw.Draw(image)
    for b in chart.bars:
        mid = (b.y + BAR_H / 2) * scale
        draw.text(((LABEL_W - 10) * scale, mid), b.label, font=font, fill=TEXT_COLOUR, anchor="rm")
        draw.rectangle([LABEL_W * scale, b.y * scale, (LABEL_W + b.width) * scale, (b.y + BAR_H) * scale], fill=BAR_COLOUR)
        draw.text(((LABEL_W + b.width + 8) * scale, mid), b.value_text, font=font, fill=TEXT_COLOUR, anchor="lm")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()
