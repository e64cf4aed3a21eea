"""Follow-up charts: one horizontal bar chart per series, as SVG (site) and PNG (Word).

Both images are drawn from the same layout, and each comes with a table that
carries the same numbers and every point's source, so that the chart never
stands alone (the table is its text alternative).

A chart only compares like with like: every point of a series must be the same
measure in the same unit over a period of the same length (a whole year against
a whole year). A series that keeps unlike periods must say so on the chart
itself, with a note drawn above the bars; :func:`comparability_problem` is the
rule and :func:`follow_up_charts` refuses to draw a chart that breaks it.

Each period's label stands on its own line above its bar, so the chart can be
drawn narrow enough that a phone barely scales it down: at ``SITE_WIDTH`` and
``FONT_SIZE`` the text is about 15 CSS px on a 390 px phone and 12 px on a
320 px one.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from mkdocs.exceptions import PluginError

from ..graph import Project
from ..model import Figure
from .templating import MONTHS, make_env, number


@dataclass(frozen=True)
class Series:
    title: str
    # Shown on the chart when its points cover periods of different length; never needed otherwise.
    note: str | None = None


# The follow-up figures the action plan reports that can be compared, in this order. A series with a single
# point is left out on purpose: one bar compares nothing, and the page's table already has the figure
# (the POM team's 2025 count, the 2021–2022 joint operations with the police, the people trained).
FOLLOW_UP_SERIES = {
    "betanketid-ansokningar": Series("Ansökningar om betänketid",
                                     note="Obs! 2024 avser hela året, 2025 bara våren."),
}

SITE_WIDTH = 360  # the SVG's viewBox: a phone's content column is 288–358 px wide
WORD_WIDTH = 640  # the PNG in Word, placed 16 cm wide
FONT_SIZE = 15
LINE_H, BAR_H, ROW_GAP, PAD, LABEL_GAP, VALUE_GAP = 20, 24, 12, 8, 3, 6
BAR_COLOUR, TEXT_COLOUR = "#1d5a8c", "#1a1a1a"  # 7.4:1 and 17:1 on white
# Text is measured in Roboto and given this much more room: system fonts (DejaVu Sans, Verdana) are wider.
TEXT_SLACK = 1.25


class ChartError(PluginError):
    """A follow-up chart that would mislead; the build stops with this message (in Swedish)."""


@dataclass(frozen=True)
class Bar:
    label: str
    value_text: str
    label_lines: tuple[str, ...]
    label_y: int  # baseline of the label's first line
    y: int  # top of the bar
    width: int
    figure: Figure


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    unit: str
    note: str | None
    note_lines: tuple[str, ...]
    note_y: int  # baseline of the note's first line
    bars: list[Bar]
    width: int
    height: int
    font_size: int = FONT_SIZE

    @property
    def description(self) -> str:
        text = "; ".join(f"{b.label}: {b.value_text}" for b in self.bars)
        return f"{text}. {self.note.rstrip('.')}" if self.note else text


# --- the rule: like periods only -----------------------------------------------------------------

_MONTH = "(" + "|".join(MONTHS) + ")"
_DASH = r"\s*[–-]\s*"
_HALF = r"(våren|hösten|första halvåret|andra halvåret)"
_QUARTER = r"(första|andra|tredje|fjärde) kvartalet"


def period_months(period: str) -> int | None:
    """How many months a period in plain Swedish covers ('2024' is 12, 'våren 2025' is 6), or None when the
    text does not say ('en polisinsats, inte närmare daterad')."""
    p = " ".join(period.lower().split())
    if re.fullmatch(r"\d{4}", p):
        return 12
    if m := re.fullmatch(rf"(\d{{4}}){_DASH}(\d{{4}})", p):
        return 12 * (int(m[2]) - int(m[1]) + 1) if int(m[2]) >= int(m[1]) else None
    if re.fullmatch(rf"{_HALF} \d{{4}}", p):
        return 6
    if re.fullmatch(rf"{_QUARTER} \d{{4}}", p):
        return 3
    if re.fullmatch(rf"{_MONTH} \d{{4}}", p):
        return 1
    if m := re.fullmatch(rf"{_MONTH}{_DASH}{_MONTH} (\d{{4}})", p):
        n = MONTHS.index(m[2]) - MONTHS.index(m[1]) + 1
        return n if n > 0 else None
    if m := re.fullmatch(rf"{_MONTH} (\d{{4}}){_DASH}(?:{_MONTH} )?(\d{{4}})", p):
        end = MONTHS.index(m[3]) if m[3] else 11  # 'april 2021 – 2022' runs to the end of 2022
        n = (int(m[4]) - int(m[2])) * 12 + end - MONTHS.index(m[1]) + 1
        return n if n > 0 else None
    return None


def _length_text(months: int | None) -> str:
    if months is None:
        return "okänd längd"
    return f"{months} månad" if months == 1 else f"{months} månader"


def periods_differ(points: Sequence[Figure]) -> bool:
    """True when two or more points cover periods of different length, or of a length the text does not tell."""
    lengths = {period_months(f.period) for f in points}
    return len(points) > 1 and (len(lengths) > 1 or None in lengths)


def comparability_problem(title: str, points: Sequence[Figure], note: str | None = None) -> str | None:
    """Why these points cannot share a chart as they stand, in Swedish, or None when they can.

    All points must be in the same unit, and cover periods of the same known length unless the chart carries
    a note that says they do not."""
    units = sorted({f.unit for f in points})
    if len(units) > 1:
        return (f"Diagrammet ”{title}” blandar enheter ({', '.join(units)}). En serie får bara ha ett mått; "
                "ge punkterna olika serier (series) i content/figures/.")
    if not periods_differ(points) or (note and note.strip()):
        return None
    lengths = {f.id: period_months(f.period) for f in points}
    listed = ", ".join(f"{f.period} ({_length_text(lengths[f.id])})" for f in points)
    return (f"Diagrammet ”{title}” blandar perioder av olika eller okänd längd: {listed}. Dela upp serien "
            "(series i content/figures/) eller ge serien en anmärkning (note) i FOLLOW_UP_SERIES i "
            "generators/render/charts.py; anmärkningen visas i diagrammet.")


def check_comparable(title: str, points: Sequence[Figure], note: str | None = None) -> None:
    problem = comparability_problem(title, points, note)
    if problem:
        raise ChartError(problem)


# --- layout ------------------------------------------------------------------------------------------


@lru_cache(maxsize=None)
def _font(size: int, bold: bool = False):
    from PIL import ImageFont
    import font_roboto

    name = "Roboto-Bold.ttf" if bold else "Roboto-Regular.ttf"
    return ImageFont.truetype(str(Path(font_roboto.__file__).parent / "files" / name), size)


def text_width(text: str, size: int = FONT_SIZE, bold: bool = False) -> float:
    """A generous estimate of the text's width in px, whatever sans-serif the reader's system has."""
    return _font(size, bold).getlength(text) * TEXT_SLACK


def _pack(parts: list[str], width: float, bold: bool) -> list[str]:
    lines: list[str] = []
    for part in parts:
        if lines and text_width(f"{lines[-1]} {part}", bold=bold) <= width:
            lines[-1] = f"{lines[-1]} {part}"
        else:
            lines.append(part)
    return lines


def _wrap(text: str, width: float, bold: bool = False) -> tuple[str, ...]:
    """Lines no wider than ``width``; broken after a comma or colon when that takes no more lines."""
    words = _pack(text.split(), width, bold)
    clauses = [c for c in re.split(r"(?<=[,:;!])\s+", " ".join(text.split())) if c]
    if all(text_width(c, bold=bold) <= width for c in clauses):
        by_clause = _pack(clauses, width, bold)
        if len(by_clause) <= len(words):
            return tuple(by_clause)
    return tuple(words) or ("",)


def _value_text(f: Figure) -> str:
    return ("cirka " if f.approximate else "") + number(f.value)


def layout(sid: str, series: Series, points: Sequence[Figure], width: int = SITE_WIDTH) -> Chart:
    """The chart drawn ``width`` px wide: the note (when the periods differ) on top, then per point its period
    on a line of its own and under it the bar with its value at the end."""
    inner = width - 2 * PAD
    values = [_value_text(f) for f in points]
    span = inner - VALUE_GAP - max(text_width(v) for v in values)
    top = max(f.value for f in points) or 1
    note = series.note if periods_differ(points) else None
    note_lines = _wrap(note, inner, bold=True) if note else ()
    note_y = PAD + FONT_SIZE
    y = PAD + len(note_lines) * LINE_H + (8 if note_lines else 0)
    bars = []
    for f, value in zip(points, values):
        lines = _wrap(f.period, inner)
        label_y = y + FONT_SIZE
        y += len(lines) * LINE_H + LABEL_GAP
        bars.append(Bar(f.period, value, lines, label_y, y, max(2, round(span * f.value / top)), f))
        y += BAR_H + ROW_GAP
    height = y - ROW_GAP + PAD
    return Chart(sid, series.title, points[0].unit, note, note_lines, note_y, bars, width, height)


def follow_up_charts(project: Project, width: int = SITE_WIDTH) -> list[Chart]:
    charts = []
    for sid, series in FOLLOW_UP_SERIES.items():
        points = sorted((f for f in project.figures.values() if f.series == sid), key=lambda f: (f.date, f.id))
        if not points:
            continue
        check_comparable(series.title, points, series.note)
        charts.append(layout(sid, series, points, width))
    return charts


# --- drawing -------------------------------------------------------------------------------------------


def svg(chart: Chart, templates_dir: Path) -> str:
    env = make_env(Path(templates_dir) / "charts")
    return env.get_template("bars.svg.j2").render(c=chart, PAD=PAD, BAR_H=BAR_H, LINE_H=LINE_H, VALUE_GAP=VALUE_GAP,
                                                  BAR_COLOUR=BAR_COLOUR, TEXT_COLOUR=TEXT_COLOUR)


def png(chart: Chart, scale: int = 2, width: int = WORD_WIDTH) -> bytes:
    """The same chart as PNG for Word, drawn with Pillow and a font that has å, ä and ö."""
    from PIL import Image, ImageDraw

    c = layout(chart.id, Series(chart.title, chart.note), [b.figure for b in chart.bars], width)
    font, bold = _font(c.font_size * scale), _font(c.font_size * scale, bold=True)
    image = Image.new("RGB", (c.width * scale, c.height * scale), "white")
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(c.note_lines):
        draw.text((PAD * scale, (c.note_y + i * LINE_H) * scale), line, font=bold, fill=TEXT_COLOUR, anchor="ls")
    for b in c.bars:
        for i, line in enumerate(b.label_lines):
            draw.text((PAD * scale, (b.label_y + i * LINE_H) * scale), line, font=font, fill=TEXT_COLOUR, anchor="ls")
        draw.rectangle([PAD * scale, b.y * scale, (PAD + b.width) * scale - 1, (b.y + BAR_H) * scale - 1],
                       fill=BAR_COLOUR)
        draw.text(((PAD + b.width + VALUE_GAP) * scale, (b.y + BAR_H / 2) * scale), b.value_text, font=font,
                  fill=TEXT_COLOUR, anchor="lm")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()
