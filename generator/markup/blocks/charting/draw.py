"""Chart drawing: line, column, bar, stacked bar, dot plot and a big number with its comparison, each as an SVG
for the wide layout and one for the narrow (fewer ticks, labels inside the plot)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from html import escape

from .canvas import FONT, LAYOUTS, Canvas, Layout, every_nth, nice_ticks, text_width

KINDS = ("line", "column", "bar", "stacked-bar", "dot", "number")
TOP = 16  # room above the plot
LEGEND = 24  # a legend row's height
BAR_GAP = 0.25  # of a band, between bars


@dataclass(frozen=True, slots=True)
class Series:
    name: str
    values: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class ChartData:
    """What a chart shows, ready to draw: rows' labels, their positions on a continuous axis (None: categories),
    the series, how values and axis positions are written, and the page's direction."""

    kind: str
    title: str
    description: str
    labels: tuple[str, ...]
    positions: tuple[float, ...] | None
    series: tuple[Series, ...]
    value_text: Callable[[float], str]
    position_text: Callable[[float], str]
    rtl: bool = False
    colors: tuple[str, ...] = ()
    dated: bool = False  # positions are dates (as fractional years)
    percent_text: Callable[[float], str] = "{:.1f} %".format  # a change in percent, for a big number


def draw(chart: ChartData, ident: str) -> tuple[str, ...]:
    """The chart's SVGs, one per layout (wide first); `ident` makes their element ids unique on the page."""
    drawers = {"line": _line, "column": _columns, "bar": _bars, "stacked-bar": _bars, "dot": _bars,
               "number": _number}
    drawn = []
    for layout in LAYOUTS:
        if chart.kind == "number":  # a number needs no plot's height
            layout = replace(layout, height=(120 if layout.name == "wide" else 100)
                             + (70 if len(chart.labels) > 1 else 0))
        canvas = Canvas(layout, chart.rtl, chart.colors)
        drawers[chart.kind](canvas, chart)
        drawn.append(canvas.svg(chart.title, chart.description, f"{ident}-{layout.name}"))
    return tuple(drawn)


def _value_range(chart: ChartData, stacked: bool = False, zero: bool = True) -> tuple[float, float]:
    if stacked:
        totals = [sum(s.values[i] for s in chart.series) for i in range(len(chart.labels))]
        values = totals + [0.0]
    else:
        values = [v for s in chart.series for v in s.values]
    low, high = min(values), max(values)
    return (min(low, 0.0), max(high, 0.0)) if zero else (low, high)


def _legend(canvas: Canvas, chart: ChartData, y: float) -> float:
    """A legend of the series at y, wrapping on narrow screens; returns the y below it."""
    if len(chart.series) < 2:
        return y
    x, width = 0.0, canvas.layout.width
    for index, series in enumerate(chart.series):
        room = 18 + text_width(series.name) + 14
        if x and x + room > width:
            x, y = 0.0, y + LEGEND - 4
        canvas.rect(x, y - 10, 12, 12, canvas.paint(index))
        canvas.text(x + 18, y, series.name, cls="chart__legend")
        x += room
    return y + LEGEND - 6


def _value_axis_vertical(canvas: Canvas, chart: ChartData, low: float, high: float, top: float,
                         bottom: float) -> tuple[float, Callable[[float], float]]:
    """Horizontal grid lines with value labels at the start side; returns the plot's start x and the y scale."""
    ticks = nice_ticks(low, high, canvas.layout.value_ticks)
    labels = [chart.value_text(t) for t in ticks]
    start = max(text_width(label) for label in labels) + 8
    lo, hi = ticks[0], ticks[-1]

    def y(value: float) -> float:
        return bottom - (value - lo) / (hi - lo) * (bottom - top)

    for tick, label in zip(ticks, labels, strict=True):
        canvas.hline(start, canvas.layout.width, y(tick), "chart__grid" if tick else "chart__axis")
        canvas.text(start - 6, y(tick) + 4, label, "end", "chart__tick")
    return start, y


def _position_ticks(chart: ChartData, layout: Layout) -> list[tuple[float, str]]:
    """Ticks along a continuous x axis: round numbers or years (or, over a short span, the rows' own dates)."""
    positions = chart.positions or ()
    low, high = min(positions), max(positions)
    if not chart.dated or high - low >= 2:  # whole years on a time axis
        ticks = [t for t in nice_ticks(low, high, layout.value_ticks + 1) if low <= t <= high]
        if not chart.dated or all(t == int(t) for t in ticks):
            return [(t, chart.position_text(t)) for t in ticks]
    step = every_nth(len(positions), layout.value_ticks)
    return [(p, label) for p, label in zip(positions, chart.labels, strict=True)][::step]


def _line(canvas: Canvas, chart: ChartData) -> None:
    layout = canvas.layout
    top = _legend(canvas, chart, TOP) if not layout.inside_labels else TOP
    bottom = layout.height - 28
    start, y = _value_axis_vertical(canvas, chart, *_value_range(chart, zero=False), top + 8, bottom)
    end = layout.width - 8
    if chart.positions is not None:
        low, high = min(chart.positions), max(chart.positions)
        span = (high - low) or 1.0
        xs = [start + (p - low) / span * (end - start) for p in chart.positions]
        ticks = [(start + (tick - low) / span * (end - start), label) for tick, label in _position_ticks(chart, layout)]
    else:
        step = (end - start) / max(len(chart.labels) - 1, 1)
        xs = [start + i * step for i in range(len(chart.labels))]
        nth = every_nth(len(chart.labels), layout.category_labels)
        ticks = [(xs[index], chart.labels[index]) for index in range(0, len(chart.labels), nth)]
    for x, label in ticks:  # a label at an edge of the plot ends there, so that none is cut off
        half = text_width(label) / 2
        anchor = "start" if x - half < start - 4 else "end" if x + half > layout.width else "middle"
        canvas.text(x, bottom + 18, label, anchor, "chart__tick")
    for index, series in enumerate(chart.series):
        canvas.polyline([(x, y(v)) for x, v in zip(xs, series.values, strict=True)], canvas.paint(index, "stroke"))
        if layout.inside_labels and len(chart.series) > 1:  # on phones the lines are named where they end
            canvas.text(xs[-1], y(series.values[-1]) - 6, series.name, "end", "chart__label")


def _columns(canvas: Canvas, chart: ChartData) -> None:
    layout = canvas.layout
    top = _legend(canvas, chart, TOP)
    bottom = layout.height - 28
    start, y = _value_axis_vertical(canvas, chart, *_value_range(chart), top + 8, bottom)
    band = (layout.width - start) / len(chart.labels)
    width = band * (1 - BAR_GAP) / len(chart.series)
    labelled = len(chart.labels) <= 12 and width >= text_width(chart.value_text(0)) + 2
    nth = max(1, math.ceil((max(text_width(label) for label in chart.labels) + 8) / band))  # as many as fit
    boxes: list[list] = [[] for _ in chart.series]
    for row, label in enumerate(chart.labels):
        left = start + row * band + band * BAR_GAP / 2
        for index, series in enumerate(chart.series):
            value = series.values[row]
            boxes[index].append((left + index * width, min(y(value), y(0)), width, abs(y(value) - y(0))))
            if labelled and layout.inside_labels and len(chart.series) == 1:  # values on the bars, on phones
                canvas.text(left + width / 2, min(y(value), y(0)) - 4, chart.value_text(value), "middle",
                            "chart__label")
        if row % nth == 0:
            canvas.text(start + (row + 0.5) * band, bottom + 18, label, "middle", "chart__tick")
    for index, drawn in enumerate(boxes):
        canvas.boxes(drawn, canvas.paint(index))


def _bars(canvas: Canvas, chart: ChartData) -> None:
    """Horizontal bars, stacked bars or dots, one row per category; on phones its label sits above the row."""
    layout, stacked, dots = canvas.layout, chart.kind == "stacked-bar", chart.kind == "dot"
    top = _legend(canvas, chart, TOP) + 4
    inside = layout.inside_labels
    start = 0.0 if inside else min(max(text_width(label) for label in chart.labels) + 10, layout.width * 0.4)
    low, high = _value_range(chart, stacked, zero=not dots)
    ticks = nice_ticks(low, high, layout.value_ticks)
    end = layout.width - (0 if dots or stacked else text_width(chart.value_text(high)) + 6)
    row_height = (layout.height - top - 24) / len(chart.labels)
    bar = min(row_height * (0.45 if inside else 0.7), 28)

    def x(value: float) -> float:
        return start + (value - ticks[0]) / (ticks[-1] - ticks[0]) * (end - start)

    for tick in ticks:
        canvas.vline(x(tick), top, layout.height - 24, "chart__grid" if tick else "chart__axis")
        canvas.text(x(tick), layout.height - 8, chart.value_text(tick), "middle", "chart__tick")
    nth = math.ceil((FONT + 4) * (2 if inside else 1) / row_height)  # rows too thin to label each
    boxes: list[list] = [[] for _ in chart.series]
    for row, label in enumerate(chart.labels):
        row_top = top + row * row_height
        bar_top = row_top + row_height - bar - (row_height - bar) / (4 if inside else 2)
        if row % nth == 0 and inside:
            canvas.text(0, bar_top - 4, label, cls="chart__tick")
        elif row % nth == 0:
            canvas.text(start - 8, bar_top + bar / 2 + FONT / 3, label, "end", "chart__tick")
        base = 0.0
        for index, series in enumerate(chart.series):
            value = series.values[row]
            if dots:
                canvas.dot(x(value), bar_top + bar / 2, min(6.0, bar / 2), canvas.paint(index))
            else:
                left = x(base) if stacked else x(min(0.0, value))
                boxes[index].append((left, bar_top, abs(x(base + value) - x(base)) if stacked
                                     else abs(x(value) - x(0)), bar))
                base += value if stacked else 0.0
        if not (dots or stacked) and len(chart.series) == 1 and nth == 1:
            value = chart.series[0].values[row]
            canvas.text(x(max(value, 0.0)) + 4, bar_top + bar / 2 + FONT / 3, chart.value_text(value),
                        cls="chart__label")
    for index, drawn in enumerate(boxes):
        canvas.boxes(drawn, canvas.paint(index))


def _number(canvas: Canvas, chart: ChartData) -> None:
    """The last value, large; under it the change since the row before (or the first row) and that row's value."""
    values, labels, layout = chart.series[0].values, chart.labels, canvas.layout
    value = values[-1]
    big = 72 if layout.name == "wide" else 52
    canvas.parts.append(f'<text x="{canvas.x(0)}" y="{big + 8}" font-size="{big}" class="chart__big">'
                        f'{escape(chart.value_text(value))}</text>')
    canvas.text(0, big + 36, labels[-1], cls="chart__tick")
    if len(values) > 1:
        before = values[-2]
        change = value - before
        arrow = "▲" if change > 0 else "▼" if change < 0 else "="
        relative = f" ({_signed(chart.percent_text(change / before * 100), change)})" if before else ""
        # Isolated left to right, so that a right-to-left page does not reorder the signs and brackets.
        canvas.text(0, big + 66, f"{arrow} \u2066{_signed(chart.value_text(change), change)}{relative}\u2069",
                    cls="chart__label")
        canvas.text(0, big + 90, f"{labels[-2]}: {chart.value_text(before)}", cls="chart__tick")


def _signed(text: str, value: float) -> str:
    return f"+{text}" if value > 0 and not text.startswith("+") else text
