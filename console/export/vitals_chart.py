"""The vitals plot of a medicine session, drawn from the same readings the screen plots.

Two panels over one time axis (minutes since the first dose): blood pressure
(systolic, diastolic) above, heart rate and SpO2 below, so each panel's scale
stays readable. The clinic's after-dose alert thresholds are dashed horizontal
lines, labelled to the right of the plot. A pre-dose (baseline) reading sits
in a slot left of the dose line, marked "baseline".

Series never rely on colour alone: each has its own marker (filled or open)
and line dash, named in the legend, so a black-and-white print still tells
them apart. A value that raised a flag is ringed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from console.clinical import medicine as m
from console.export.fonts import SANS, SANS_BOLD
from console.export.styles import ACCENT, DRAFT, INK, MUTED
from console.services.medicine import Reading

X_LABEL = "Minutes since dose"
BP_TITLE = "Blood pressure (mmHg)"
PULSE_TITLE = "Heart rate (/min) · SpO2 (%)"
THRESHOLD_COLOUR = colors.HexColor("#7d8790")
FLAG_RING = DRAFT
BASELINE = "baseline"


@dataclass(frozen=True)
class Series:
    key: str  # a field of Reading (and of VITAL_LABELS)
    label: str
    colour: colors.Color
    dash: tuple[float, ...] | None
    marker: str  # "circle" | "square" | "diamond" | "triangle"
    filled: bool


SYSTOLIC = Series("systolic", "Systolic", colors.HexColor("#1f4e8c"), None, "circle", True)
DIASTOLIC = Series("diastolic", "Diastolic", colors.HexColor("#3f8fc9"), (4, 2), "square", False)
HEART_RATE = Series("heart_rate", "Heart rate", colors.HexColor("#b35c00"), None, "diamond", True)
SPO2 = Series("spo2", "SpO2", colors.HexColor("#6b3fa0"), (1.2, 1.8), "triangle", False)
PANELS: tuple[tuple[str, tuple[Series, ...]], ...] = (
    (BP_TITLE, (SYSTOLIC, DIASTOLIC)),
    (PULSE_TITLE, (HEART_RATE, SPO2)),
)


@dataclass(frozen=True)
class Threshold:
    value: float
    label: str


def thresholds_for(panel: int, t: m.Thresholds) -> tuple[Threshold, ...]:
    """The after-dose alert thresholds drawn on a panel (0: blood pressure, 1: pulse)."""
    if panel == 0:
        return (
            Threshold(t.alert_systolic_high, f"Systolic ≥ {show(t.alert_systolic_high)}"),
            Threshold(t.alert_diastolic_high, f"Diastolic ≥ {show(t.alert_diastolic_high)}"),
            Threshold(t.alert_systolic_low, f"Systolic ≤ {show(t.alert_systolic_low)}"),
        )
    return (
        Threshold(t.alert_heart_rate_high, f"HR ≥ {show(t.alert_heart_rate_high)}"),
        Threshold(t.alert_heart_rate_low, f"HR ≤ {show(t.alert_heart_rate_low)}"),
        Threshold(t.alert_spo2_low, f"SpO2 ≤ {show(t.alert_spo2_low)}"),
    )


def show(value: float) -> str:
    """160.0 -> '160': a threshold as a clinician writes it."""
    return f"{value:g}"


def _step(span: float) -> int:
    for step in (5, 10, 15, 30, 60):
        if span / step <= 10:
            return step
    return 120


def _marker(series: Series, x: float, y: float, size: float = 2.6) -> list[object]:
    fill = series.colour if series.filled else colors.white
    common = {"fillColor": fill, "strokeColor": series.colour, "strokeWidth": 0.9}
    if series.marker == "circle":
        return [Circle(x, y, size, **common)]
    if series.marker == "square":
        return [Rect(x - size, y - size, 2 * size, 2 * size, **common)]
    if series.marker == "diamond":
        d = size * 1.3
        return [Polygon([x, y + d, x + d, y, x, y - d, x - d, y], **common)]
    d = size * 1.25
    return [Polygon([x - d, y - d * 0.8, x + d, y - d * 0.8, x, y + d], **common)]


def _spread(labels: list[tuple[float, str]], gap: float, lo: float, hi: float) -> list[float]:
    """Label heights (sorted input) pushed apart so no two overlap, kept in [lo, hi]."""
    ys = [y for y, _ in labels]
    for i in range(1, len(ys)):
        ys[i] = max(ys[i], ys[i - 1] + gap)
    if ys and ys[-1] > hi:
        ys[-1] = hi
        for i in range(len(ys) - 2, -1, -1):
            ys[i] = min(ys[i], ys[i + 1] - gap)
    return [max(lo - gap, y) for y in ys]


def _nice_range(values: Sequence[float], step: int = 20) -> tuple[float, float]:
    lo = math.floor((min(values) - 8) / step) * step
    hi = math.ceil((max(values) + 8) / step) * step
    return float(lo), float(hi)


def _legend(drawing: Drawing, width: float, top: float, has_flags: bool) -> float:
    """The legend across the top; returns its height (it wraps on a narrow drawing)."""
    entries: list[tuple[str, Series | None]] = [(s.label, s) for _, group in PANELS for s in group]
    entries.append(("Alert threshold (after dose)", None))
    if has_flags:
        entries.append(("Flagged value", None))
    x, y = 0.0, top - 9
    rows = 1
    for label, series in entries:
        item_w = 26 + stringWidth(label, SANS, 7) + 12
        if x + item_w > width and x > 0:
            x, y, rows = 0.0, y - 11, rows + 1
        if series is not None:
            drawing.add(
                Line(
                    x,
                    y + 2.5,
                    x + 22,
                    y + 2.5,
                    strokeColor=series.colour,
                    strokeWidth=1.2,
                    strokeDashArray=list(series.dash) if series.dash else None,
                )
            )
            for shape in _marker(series, x + 11, y + 2.5):
                drawing.add(shape)
        elif label.startswith("Alert"):
            drawing.add(
                Line(
                    x,
                    y + 2.5,
                    x + 22,
                    y + 2.5,
                    strokeColor=THRESHOLD_COLOUR,
                    strokeWidth=0.8,
                    strokeDashArray=[4, 3],
                )
            )
        else:
            drawing.add(
                Circle(x + 11, y + 2.5, 4.6, fillColor=None, strokeColor=FLAG_RING, strokeWidth=1)
            )
        drawing.add(String(x + 26, y, label, fontName=SANS, fontSize=7, fillColor=INK))
        x += item_w
    return rows * 11 + 4


@dataclass(frozen=True)
class _TimeAxis:
    """Minutes since dose across the plot, after a slot for any pre-dose readings."""

    left: float
    plot_w: float
    slot: float
    x_max: float
    step: int
    baselines: int

    def x(self, minutes: float) -> float:
        return self.left + self.slot + (self.plot_w - self.slot) * minutes / self.x_max

    def x_base(self, index: int) -> float:
        if self.baselines == 1:
            return self.left + self.slot * 0.45
        return self.left + 6 + (self.slot - 14) * index / (self.baselines - 1)


@dataclass(frozen=True)
class _Panel:
    """One panel's place on the drawing and the value range it shows."""

    bottom: float
    height: float
    lo: float
    hi: float

    def y(self, value: float) -> float:
        return self.bottom + self.height * (value - self.lo) / (self.hi - self.lo)


def vitals_drawing(
    readings: Sequence[Reading],
    thresholds: m.Thresholds,
    width: float,
    height: float = 210.0,
    *,
    second_dose_min: float | None = None,
) -> Drawing:
    """Systolic, diastolic, heart rate and SpO2 against minutes since the dose."""
    drawing = Drawing(width, height, initialFontName=SANS, initialFontSize=7)
    after = [r for r in readings if not r.pre_dose and r.minutes is not None]
    before = [r for r in readings if r.pre_dose]
    flagged = any(
        f.field in {s.key for _, g in PANELS for s in g} for r in readings for f in r.flags
    )
    legend_h = _legend(drawing, width, height, flagged)

    left, right, bottom = 30.0, 74.0, 26.0
    panel_gap, title_h = 10.0, 11.0
    plot_w = width - left - right
    panels_h = height - legend_h - bottom - 2 * title_h - panel_gap
    panel_h = panels_h / 2
    axis = _time_axis(after, len(before), second_dose_min, left, plot_w)
    for index, (title, group) in enumerate(PANELS):
        panel_bottom = bottom + (1 - index) * (panel_h + title_h + panel_gap)
        lines = thresholds_for(index, thresholds)
        values = [float(getattr(r, s.key)) for r in readings for s in group]
        lo, hi = _nice_range(values + [t.value for t in lines])
        panel = _Panel(panel_bottom, panel_h, lo, hi)
        _draw_value_grid(drawing, panel, axis, title)
        _draw_dose_lines(drawing, panel, axis, second_dose_min)
        _draw_thresholds(drawing, panel, axis, lines)
        for series in group:
            _draw_series(drawing, panel, axis, series, before, after)
    _draw_time_axis(drawing, axis, bottom, bool(before), second_dose_min)
    return drawing


def _time_axis(
    after: Sequence[Reading],
    baselines: int,
    second_dose_min: float | None,
    left: float,
    plot_w: float,
) -> _TimeAxis:
    """A baseline slot (when there is a pre-dose reading), then minutes from 0 to past the last."""
    slot = 34.0 if baselines else 0.0
    last = max([r.minutes or 0.0 for r in after] + [second_dose_min or 0.0, 30.0])
    step = _step(last)
    x_max = math.ceil(last / step) * step
    if x_max - last < step * 0.25:
        x_max += step  # room for the last point's marker and ring
    return _TimeAxis(left, plot_w, slot, x_max, step, baselines)


def _draw_value_grid(drawing: Drawing, panel: _Panel, axis: _TimeAxis, title: str) -> None:
    """The panel's title, y axis and grid: ticks every 20 (40 on a tall range)."""
    left, plot_w, y = axis.left, axis.plot_w, panel.y
    drawing.add(
        String(
            left,
            panel.bottom + panel.height + 3,
            title,
            fontName=SANS_BOLD,
            fontSize=7,
            fillColor=MUTED,
        )
    )
    tick = 20 if (panel.hi - panel.lo) / 20 <= 8 else 40
    value = panel.lo
    while value <= panel.hi + 0.1:
        drawing.add(Line(left - 3, y(value), left, y(value), strokeColor=MUTED, strokeWidth=0.5))
        drawing.add(
            Line(
                left,
                y(value),
                left + plot_w,
                y(value),
                strokeColor=colors.HexColor("#e6eaed"),
                strokeWidth=0.4,
            )
        )
        drawing.add(
            String(
                left - 5,
                y(value) - 2.3,
                f"{value:g}",
                fontName=SANS,
                fontSize=6.5,
                fillColor=MUTED,
                textAnchor="end",
            )
        )
        value += tick
    top = panel.bottom + panel.height
    drawing.add(Line(left, panel.bottom, left, top, strokeColor=MUTED))
    drawing.add(
        Line(left, panel.bottom, left + plot_w, panel.bottom, strokeColor=MUTED, strokeWidth=0.6)
    )


def _draw_dose_lines(
    drawing: Drawing, panel: _Panel, axis: _TimeAxis, second_dose_min: float | None
) -> None:
    marks = [0.0] + ([] if second_dose_min is None else [second_dose_min])
    for minute in marks:
        drawing.add(
            Line(
                axis.x(minute),
                panel.bottom,
                axis.x(minute),
                panel.bottom + panel.height,
                strokeColor=ACCENT,
                strokeWidth=0.7,
                strokeDashArray=[2, 2] if minute else None,
            )
        )


def _draw_thresholds(
    drawing: Drawing, panel: _Panel, axis: _TimeAxis, lines: Sequence[Threshold]
) -> None:
    """Dashed from the dose on, since before it the hold levels apply; labelled at the right."""
    right_edge = axis.left + axis.plot_w
    for line in lines:
        drawing.add(
            Line(
                axis.x(0),
                panel.y(line.value),
                right_edge,
                panel.y(line.value),
                strokeColor=THRESHOLD_COLOUR,
                strokeWidth=0.8,
                strokeDashArray=[4, 3],
            )
        )
    placed = sorted((panel.y(line.value) - 2.3, line.label) for line in lines)
    for label_y, (_, text) in zip(
        _spread(placed, 7.5, panel.bottom, panel.bottom + panel.height), placed, strict=True
    ):
        drawing.add(
            String(
                right_edge + 4,
                label_y,
                text,
                fontName=SANS,
                fontSize=6.5,
                fillColor=THRESHOLD_COLOUR,
            )
        )


def _draw_series(
    drawing: Drawing,
    panel: _Panel,
    axis: _TimeAxis,
    series: Series,
    before: Sequence[Reading],
    after: Sequence[Reading],
) -> None:
    """The line, then the markers, then rings on flagged values, so rings stay on top."""
    points: list[tuple[float, float]] = [
        (axis.x_base(i), panel.y(float(getattr(r, series.key)))) for i, r in enumerate(before)
    ]
    points += [(axis.x(r.minutes or 0.0), panel.y(float(getattr(r, series.key)))) for r in after]
    if len(points) > 1:
        drawing.add(
            PolyLine(
                [c for p in points for c in p],
                strokeColor=series.colour,
                strokeWidth=1.3,
                strokeDashArray=list(series.dash) if series.dash else None,
            )
        )
    for px, py in points:
        for shape in _marker(series, px, py):
            drawing.add(shape)
    for (px, py), reading in zip(points, [*before, *after], strict=True):
        if any(f.field == series.key for f in reading.flags):
            drawing.add(Circle(px, py, 5.2, fillColor=None, strokeColor=FLAG_RING, strokeWidth=1.1))


def _draw_time_axis(
    drawing: Drawing,
    axis: _TimeAxis,
    bottom: float,
    has_baseline: bool,
    second_dose_min: float | None,
) -> None:
    """Ticks and labels under the lower panel, with the baseline slot and second dose named."""
    value = 0
    while value <= axis.x_max:
        tx = axis.x(value)
        drawing.add(Line(tx, bottom - 3, tx, bottom, strokeColor=MUTED, strokeWidth=0.5))
        drawing.add(_axis_text(tx, bottom - 11, str(value), 6.5, MUTED))
        value += axis.step
    if has_baseline:
        drawing.add(_axis_text(axis.left + axis.slot * 0.45, bottom - 11, BASELINE, 6, MUTED))
    if second_dose_min is not None:
        drawing.add(_axis_text(axis.x(second_dose_min), bottom - 20, "2nd dose", 6, ACCENT))
    drawing.add(
        String(
            axis.left + axis.plot_w,
            bottom - 20,
            X_LABEL,
            fontName=SANS,
            fontSize=6.5,
            fillColor=MUTED,
            textAnchor="end",
        )
    )


def _axis_text(x: float, y: float, text: str, size: float, colour: colors.Color) -> String:
    return String(x, y, text, fontName=SANS, fontSize=size, fillColor=colour, textAnchor="middle")
