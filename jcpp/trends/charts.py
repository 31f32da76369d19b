"""Charts of a `Grid`, as geometry for small server-drawn SVGs (templates/trends/_charts.html;
the heatmap's SVG is written by `heatmap_svg`).

A heatmap colours each cell on a five-step sequential scale (ColorBrewer GnBu, readable by
people with the common colour-vision deficiencies) and prints its number in it, in a colour
that keeps 4.5:1 contrast; empty cells stay pale grey. Small multiples are bar charts sharing
one scale, so that cities compare at a glance. Every chart is drawn next to a table of the same
numbers, which carries the links to the evidence (an image holds no links).
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

from jcpp.trends.service import Grid

EMPTY = "#f1f5f9"
SCALE = ("#ccebc5", "#7bccc4", "#4eb3d3", "#0868ac", "#084081")
DARK_INK, LIGHT_INK = "#1b2430", "#ffffff"
CELL_W, CELL_H = 58, 26
ROW_LABEL_W = 190
CHAR_W = 6.6  # roughly, at the labels' 12px


@dataclass(frozen=True)
class Swatch:
    fill: str
    ink: str
    label: str  # the counts it stands for ("1–3")


@dataclass(frozen=True)
class Cell:
    x: float
    y: float
    value: int
    fill: str
    ink: str


@dataclass(frozen=True)
class Text:
    x: float
    y: float
    text: str


@dataclass(frozen=True)
class Heatmap:
    width: float
    height: float
    cell_w: float
    cell_h: float
    rotate_columns: bool
    cells: list[Cell]
    row_labels: list[Text]
    column_labels: list[Text]
    legend: list[Swatch]


def level(value: int, peak: int) -> int:
    """0 for nothing, else 1..5: the fifth of the largest count the value falls in. Below five
    the steps are the counts themselves, so that one meeting never looks like a crowd."""
    if value <= 0 or peak <= 0:
        return 0
    top = max(peak, len(SCALE))
    return min(len(SCALE), -(-value * len(SCALE) // top))


def swatch(value: int, peak: int) -> tuple[str, str]:
    """(fill, ink) for a value on the scale up to `peak`."""
    step = level(value, peak)
    if step == 0:
        return EMPTY, DARK_INK
    return SCALE[step - 1], (LIGHT_INK if step >= 4 else DARK_INK)


def levels(values: list[list[int]], peak: int) -> list[list[int]]:
    """The colour step of every count, for tables that take the chart's colours."""
    return [[level(value, peak) for value in row] for row in values]


def legend(peak: int) -> list[Swatch]:
    """The colours in use up to `peak`, each with the counts it stands for."""
    swatches = [Swatch(EMPTY, DARK_INK, "0")]
    top, low = max(peak, len(SCALE)), 1
    for step in range(1, level(peak, peak) + 1):
        high = min(top * step // len(SCALE), peak)
        fill, ink = SCALE[step - 1], (LIGHT_INK if step >= 4 else DARK_INK)
        swatches.append(Swatch(fill, ink, str(low) if low == high else f"{low}–{high}"))
        low = high + 1
    return swatches


def _truncate(text: str, width: float) -> str:
    fits = int(width / CHAR_W)
    return text if len(text) <= fits else text[: max(fits - 1, 1)] + "…"


def heatmap(grid: Grid) -> Heatmap:
    """The grid as coloured cells with their numbers, rows and columns labelled."""
    rotate = any(len(column.name) > 8 for column in grid.columns)
    top = max(len(c.name) for c in grid.columns) * CHAR_W * 0.72 + 8 if rotate else 20
    top = min(top, 130)
    peak = grid.peak
    cells = []
    for r, row in enumerate(grid.values):
        for c, value in enumerate(row):
            fill, ink = swatch(value, peak)
            x, y = ROW_LABEL_W + c * CELL_W, top + r * CELL_H
            cells.append(Cell(x, y, value, fill, ink))
    rows = [
        Text(ROW_LABEL_W - 8, top + r * CELL_H + CELL_H / 2 + 4, _truncate(label.name, 180))
        for r, label in enumerate(grid.rows)
    ]
    columns = [
        Text(ROW_LABEL_W + c * CELL_W + CELL_W / 2, top - 6, _truncate(label.name, 120))
        for c, label in enumerate(grid.columns)
    ]
    return Heatmap(
        width=ROW_LABEL_W + len(grid.columns) * CELL_W + 4 + (top * 0.75 if rotate else 0),
        height=top + len(grid.rows) * CELL_H + 4,
        cell_w=CELL_W,
        cell_h=CELL_H,
        rotate_columns=rotate,
        cells=cells,
        row_labels=rows,
        column_labels=columns,
        legend=legend(peak),
    )


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    height: float
    value: int


@dataclass(frozen=True)
class BarChart:
    width: float
    height: float
    baseline: float
    bar_w: float
    bars: list[Bar]
    first_label: str
    last_label: str


BAR_W, BAR_GAP, PLOT_H = 14, 3, 60


def bar_chart(
    values: list[int],
    *,
    peak: int,
    first_label: str,
    last_label: str,
) -> BarChart:
    """One small multiple: a bar per month, on the scale 0..`peak` shared by all of them."""
    bars = []
    for i, value in enumerate(values):
        height = 0.0 if peak <= 0 else PLOT_H * value / peak
        height = max(height, 2.0) if value > 0 else 0.0
        x = 2 + i * (BAR_W + BAR_GAP)
        bars.append(Bar(x, 14 + PLOT_H - height, height, value))
    width = 4 + len(values) * (BAR_W + BAR_GAP)
    return BarChart(
        width=max(width, 120),
        height=14 + PLOT_H + 18,
        baseline=14 + PLOT_H,
        bar_w=BAR_W,
        bars=bars,
        first_label=first_label,
        last_label=last_label,
    )


def small_multiples(grid: Grid) -> tuple[BarChart, list[BarChart]]:
    """The county total's chart (on its own scale) and a chart per city (on one scale shared
    by the cities, so that they compare), for a grid of cities × months."""
    first, last = grid.columns[0].name, grid.columns[-1].name
    total = grid.total_row or [0] * len(grid.columns)
    county = bar_chart(total, peak=max(total, default=0), first_label=first, last_label=last)
    cities = [
        bar_chart(values, peak=grid.peak, first_label=first, last_label=last)
        for values in grid.values
    ]
    return county, cities


def heatmap_svg(chart: Heatmap, chart_id: str, title: str, desc: str) -> Markup:
    """The heatmap as SVG markup (a state-scale matrix has a thousand cells: drawn here in one
    pass, it costs a fifth of a template loop). Every text in it is escaped."""
    w, h = int(round(chart.width)), int(round(chart.height))
    cid = escape(chart_id)
    out = [
        f'<svg class="heatmap" id="{cid}" role="img" aria-labelledby="{cid}-title {cid}-desc" '
        f'width="{w}" height="{h}" viewBox="0 0 {w} {h}" xmlns="http://www.w3.org/2000/svg" '
        'font-family="system-ui, sans-serif" font-size="12">',
        f'<title id="{cid}-title">{escape(title)}</title>',
        f'<desc id="{cid}-desc">{escape(desc)}</desc>',
        '<g fill="#1b2430">',
    ]
    for label in chart.column_labels:
        text = escape(label.text)
        if chart.rotate_columns:
            out.append(
                f'<text x="{label.x}" y="{label.y}" '
                f'transform="rotate(-45 {label.x} {label.y})">{text}</text>'
            )
        else:
            out.append(f'<text x="{label.x}" y="{label.y}" text-anchor="middle">{text}</text>')
    out += [
        f'<text x="{label.x}" y="{label.y}" text-anchor="end">{escape(label.text)}</text>'
        for label in chart.row_labels
    ]
    out.append('</g><g text-anchor="middle">')
    width, height = chart.cell_w - 2, chart.cell_h - 2
    middle, baseline = width / 2, chart.cell_h / 2 + 3
    out += [
        f'<g class="heatmap__cell" data-value="{cell.value}"><rect x="{cell.x}" y="{cell.y}" '
        f'width="{width}" height="{height}" rx="3" fill="{cell.fill}"/>'
        f'<text x="{cell.x + middle}" y="{cell.y + baseline}" fill="{cell.ink}">{cell.value}'
        "</text></g>"
        for cell in chart.cells
    ]
    out.append("</g></svg>")
    return Markup("\n".join(out))  # noqa: S704 (numbers, colours of ours, and escaped text)
