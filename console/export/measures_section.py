"""The client chart's "Measures" part: each outcome measure as a chart, a table and a summary.

For every measure the client has a scored (complete, non-voided) response
to, the part draws the total over time on the measure's severity bands
(shaded, labelled, lower is better), with the client's medicine sessions as
dashed "Rx" lines; then lists every non-voided response, and ends with the
same baseline / latest / change summary the screen shows (from
`services.measures.summary`). A PHQ-9 item 9 answer above 0 prints as a
warning for each response that raised it, complete or not, with what was done
about it: each risk assessment or safety plan with who and when, or, in red,
that nothing is recorded yet.

Responses and medicine sessions follow the chart's date range; the summary
line is over all of the client's responses, as on screen, and says so when
a range is set.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Spacer, TableStyle

from console.clinical import measures as m
from console.export import formatting as fmt
from console.export.document import RecordTable
from console.export.fonts import SANS, SANS_BOLD
from console.export.sections import ChartPart, SessionPart, register_section
from console.export.styles import (
    ACCENT,
    ACCENT_LIGHT,
    DRAFT,
    DRAFT_LIGHT,
    INK,
    MUTED,
    PANEL,
    RULE,
)
from console.export.text import escape
from console.services.measures import MeasureRecord, RiskRecord
from models import SessionKind

TITLE = "Measures"
ITEM9_WARNING = "PHQ-9 item 9 above 0 on {day}"
ADDRESSED = "addressed"
NOT_ADDRESSED = "not addressed"
RX = "Rx"
CHART_HEIGHT = 150.0

# Band shades from the mildest band to the most severe: light, distinct tints
# that still read as different greys on a black-and-white printer.
BAND_SHADES = (
    colors.HexColor("#eef4ee"),
    colors.HexColor("#f6f3e3"),
    colors.HexColor("#f7ebdc"),
    colors.HexColor("#f4e0db"),
    colors.HexColor("#ecd5d5"),
)
BAND_TEXT = colors.HexColor("#7a848c")
RX_COLOUR = colors.HexColor("#5b3a8c")


def _short(value: date) -> str:
    return f"{value.day} {fmt.MONTHS[value.month - 1]}"


def _shade(index: int, count: int) -> colors.Color:
    if count <= 1:
        return BAND_SHADES[0]
    # spread the bands over the palette so the worst band is always the darkest
    step = (len(BAND_SHADES) - 1) / (count - 1)
    return BAND_SHADES[round(index * step)]


def _in_range(part: ChartPart, when: datetime) -> bool:
    day = fmt.local(when, part.renderer.tz).date()
    return (part.start is None or day >= part.start) and (part.end is None or day <= part.end)


@dataclass(frozen=True)
class _Plot:
    """Where the plot sits on the drawing, and how dates and totals map onto it."""

    left: float
    bottom: float
    width: float
    height: float
    first: datetime
    span: float  # seconds from `first` to the right edge
    lo: int
    hi: int

    def x(self, when: datetime) -> float:
        return self.left + self.width * (when - self.first).total_seconds() / self.span

    def y(self, value: float) -> float:
        return self.bottom + self.height * (value - self.lo) / max(1, self.hi - self.lo)


def chart_drawing(
    measure: m.Measure,
    responses: Sequence[MeasureRecord],
    medicine: Sequence[datetime],
    width: float,
    tz: object = None,
) -> Drawing:
    """Total over time on shaded bands, medicine sessions as dashed 'Rx' lines."""
    left, right, bottom, top = 26.0, 100.0, 26.0, 24.0
    # DejaVu from the start: reportlab would otherwise name Helvetica on the page
    drawing = Drawing(width, CHART_HEIGHT, initialFontName=SANS, initialFontSize=7)
    scored = [r for r in responses if r.total is not None]
    times = [r.answered_at for r in scored] + list(medicine)
    first, last = min(times), max(times)
    span = (last - first).total_seconds()
    pad = max(span * 0.04, 86400.0 * 2)
    first, last = first - timedelta(seconds=pad), last + timedelta(seconds=pad)
    plot = _Plot(
        left,
        bottom,
        width - left - right,
        CHART_HEIGHT - bottom - top,
        first,
        (last - first).total_seconds(),
        measure.lo,
        measure.hi,
    )
    _draw_bands(drawing, plot, measure)
    _draw_total_axis(drawing, plot, measure)
    _draw_date_axis(drawing, plot, tz)
    drawing.add(
        String(
            plot.left,
            plot.bottom + plot.height + 14,
            f"{measure.name} total ({measure.lo}–{measure.hi}, lower is better)",
            fontName=SANS,
            fontSize=6.5,
            fillColor=MUTED,
        )
    )
    _draw_medicine_sessions(drawing, plot, medicine)
    _draw_totals(drawing, plot, scored)
    return drawing


def _draw_bands(drawing: Drawing, plot: _Plot, measure: m.Measure) -> None:
    """Severity bands, labelled to the right of the plot (clear of the points)."""
    for index, band in enumerate(measure.bands):
        y0 = plot.y(band.lo if index == 0 else band.lo - 0.5)
        y1 = plot.y(band.hi if index == len(measure.bands) - 1 else band.hi + 0.5)
        drawing.add(
            Rect(
                plot.left,
                y0,
                plot.width,
                y1 - y0,
                fillColor=_shade(index, len(measure.bands)),
                strokeColor=None,
            )
        )
        label_y = (y0 + y1) / 2 - 2.5
        if y1 - y0 >= 7:
            drawing.add(
                String(
                    plot.left + plot.width + 5,
                    label_y,
                    f"{band.label} ({band.lo}–{band.hi})",
                    fontName=SANS,
                    fontSize=6.5,
                    fillColor=BAND_TEXT,
                    textAnchor="start",
                )
            )
    if not measure.bands:
        drawing.add(
            Rect(plot.left, plot.bottom, plot.width, plot.height, fillColor=PANEL, strokeColor=None)
        )


def _draw_total_axis(drawing: Drawing, plot: _Plot, measure: m.Measure) -> None:
    """The y axis, ticked at the measure's range and band edges."""
    left, bottom, y = plot.left, plot.bottom, plot.y
    ticks = sorted({measure.lo, measure.hi, *(b.lo for b in measure.bands)})
    for value in ticks:
        drawing.add(Line(left - 3, y(value), left, y(value), strokeColor=MUTED, strokeWidth=0.5))
        drawing.add(
            String(
                left - 5,
                y(value) - 2.3,
                str(value),
                fontName=SANS,
                fontSize=6.5,
                fillColor=MUTED,
                textAnchor="end",
            )
        )
    drawing.add(Line(left, bottom, left, bottom + plot.height, strokeColor=MUTED, strokeWidth=0.6))
    drawing.add(Line(left, bottom, left + plot.width, bottom, strokeColor=MUTED, strokeWidth=0.6))


def _draw_date_axis(drawing: Drawing, plot: _Plot, tz: object) -> None:
    """Dates at evenly spaced ticks, the year on the first and last."""
    bottom = plot.bottom
    count = 5
    for i in range(count):
        when = plot.first + timedelta(seconds=plot.span * (i + 0.5) / count)
        day = fmt.local(when, tz).date()  # type: ignore[arg-type]
        text = fmt.day(day) if i in (0, count - 1) else _short(day)
        tx = plot.x(when)
        drawing.add(Line(tx, bottom - 3, tx, bottom, strokeColor=MUTED, strokeWidth=0.5))
        drawing.add(
            String(
                tx,
                bottom - 11,
                text,
                fontName=SANS,
                fontSize=6.5,
                fillColor=MUTED,
                textAnchor="middle",
            )
        )
    drawing.add(
        String(
            plot.left + plot.width,
            bottom - 20,
            "Date",
            fontName=SANS,
            fontSize=6,
            fillColor=MUTED,
            textAnchor="end",
        )
    )


def _draw_medicine_sessions(drawing: Drawing, plot: _Plot, medicine: Sequence[datetime]) -> None:
    top = plot.bottom + plot.height
    for when in medicine:
        mx = plot.x(when)
        drawing.add(
            Line(
                mx,
                plot.bottom,
                mx,
                top,
                strokeColor=RX_COLOUR,
                strokeWidth=0.8,
                strokeDashArray=[3, 2],
            )
        )
        drawing.add(
            String(
                mx,
                top + 3,
                RX,
                fontName=SANS_BOLD,
                fontSize=7,
                fillColor=RX_COLOUR,
                textAnchor="middle",
            )
        )


def _draw_totals(drawing: Drawing, plot: _Plot, scored: Sequence[MeasureRecord]) -> None:
    """The line through the totals, then each total marked (larger and red when flagged)."""
    points: list[float] = []
    for record in scored:
        points += [plot.x(record.answered_at), plot.y(float(record.total or 0))]
    if len(scored) > 1:
        drawing.add(PolyLine(points, strokeColor=ACCENT, strokeWidth=1.4))
    for record in scored:
        px, py = plot.x(record.answered_at), plot.y(float(record.total or 0))
        flagged = bool(record.flags)
        drawing.add(
            Circle(
                px,
                py,
                3.2 if flagged else 2.4,
                fillColor=DRAFT if flagged else ACCENT,
                strokeColor=colors.white,
                strokeWidth=0.8,
            )
        )
        drawing.add(
            String(
                px + 3.5,
                py + 4,
                str(record.total),
                fontName=SANS_BOLD,
                fontSize=6.5,
                fillColor=INK,
                textAnchor="start",
            )
        )


def _summary_line(part: ChartPart, measure: m.Measure) -> str:
    summary = part.services.measures.summary(part.client.id, measure.key)
    if summary.baseline is None or summary.latest is None:
        return "No scored response yet."
    line = f"Summary: baseline {summary.baseline.total}, latest {summary.latest.total}"
    if summary.count < 2:
        line += ": only one scored response, no change to report"
    elif summary.change is not None:
        line += f": {summary.change} (reliable change {measure.reliable_change})"
    else:
        line += ": no reliable-change figure for this measure"
    if part.start is not None or part.end is not None:
        line += f" · over all {summary.count} scored responses"
    return line


def _response_table(
    part: ChartPart | SessionPart, responses: Sequence[MeasureRecord]
) -> RecordTable:
    r = part.renderer
    s = r.styles
    cell = s.small.clone("measure-cell", textColor=INK)
    right = s.small_right.clone("measure-cell-r", textColor=INK)
    header = [Paragraph(h, s.label) for h in ("DATE", "TOTAL", "BAND", "FORM", "FLAG")]
    rows: list[list[object]] = [header]
    commands: list[tuple[object, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 5),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("BACKGROUND", (0, 0), (-1, 0), ACCENT_LIGHT),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT),
        ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
    ]
    for record in responses:
        flag = ", ".join(record.flags)
        if m.SELF_HARM_FLAG in record.flags:
            flag = f"item 9 above 0, {ADDRESSED if record.risk else NOT_ADDRESSED}"
        rows.append(
            [
                Paragraph(escape(fmt.day(fmt.local(record.answered_at, r.tz).date())), cell),
                Paragraph("—" if record.total is None else str(record.total), right),
                Paragraph(escape(record.band or "—"), cell),
                Paragraph("complete" if record.complete else "incomplete", cell),
                Paragraph(escape(flag), s.small.clone("measure-flag", textColor=DRAFT)),
            ]
        )
        # the row stands out while its flag waits for the clinician
        if record.flags and (record.risk_open or not m.needs_risk_response(record.flags)):
            commands.append(("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1), DRAFT_LIGHT))
    widths = [34 * mm, 16 * mm, 40 * mm, 24 * mm]
    widths.append(r.width - sum(widths))
    table = RecordTable(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle(commands))
    return table


def _risk_line(part: ChartPart | SessionPart, risk: RiskRecord) -> str:
    """Who did what and when, e.g. 'Risk assessment by Dr X, 3 Mar 2026, 14:05 UTC: …'."""
    when = fmt.moment(risk.assessed_at, part.renderer.tz)
    verb = " linked" if risk.method == "safety_plan" else ""
    line = f"{risk.method_label}{verb} by {risk.assessed_by}, {when}"
    if risk.recorded_by and risk.recorded_by != risk.assessed_by:
        line += f" (recorded by {risk.recorded_by})"
    if risk.method == "assessment":
        return f"{line}: {risk.text}"
    line += f". Document: {risk.safety_plan}"
    return f"{line}. Note: {risk.text}" if risk.text else line


def _item9_banner(part: ChartPart | SessionPart, record: MeasureRecord) -> Flowable:
    """The flag and what was done about it; red while nothing is recorded."""
    r = part.renderer
    title = "⚠ " + ITEM9_WARNING.format(day=fmt.day(fmt.local(record.answered_at, r.tz).date()))
    if not record.risk:
        return r.banner(
            f"{title}: {NOT_ADDRESSED}",
            "Thoughts of being better off dead or of self-harm were reported, and no risk "
            "assessment or safety plan is recorded for this answer.",
            DRAFT,
            DRAFT_LIGHT,
        )
    lines = "\n".join(_risk_line(part, risk) for risk in record.risk)
    return r.banner(f"{title}: {ADDRESSED}", lines, ACCENT, ACCENT_LIGHT)


def measures(part: ChartPart) -> list[Flowable]:
    r = part.renderer
    s = r.styles
    every = [
        record
        for record in part.services.measures.list_for_client(part.client.id)
        if _in_range(part, record.answered_at)
    ]
    keys = [key for key in m.MEASURES if any(x.measure_key == key and x.complete for x in every)]
    if not keys:
        return []
    medicine = [
        session.starts_at
        for session in part.services.sessions.list_for_client(part.client.id)
        if session.kind is SessionKind.MEDICINE and _in_range(part, session.starts_at)
    ]
    out: list[Flowable] = [CondPageBreak(90 * mm), Paragraph(TITLE, s.part)]
    legend = ["Shaded: each measure's severity bands."]
    if medicine:
        legend.append(f"Dashed lines marked {RX}: medicine sessions.")
    if any(x.flags for x in every):
        legend.append("Red points: responses that raised a warning.")
    out.append(Paragraph(escape(" ".join(legend)), s.small))
    for key in keys:
        measure = m.MEASURES[key]
        responses = [x for x in every if x.measure_key == key]
        scored = [x for x in responses if x.total is not None]
        block: list[Flowable] = [
            Spacer(1, 6),
            Paragraph(escape(f"{measure.name} — {measure.title}"), s.heading),
            Spacer(1, 3),
            chart_drawing(measure, scored, medicine, r.width, r.tz),
        ]
        if measure.threshold_note:
            block.append(Paragraph(escape(measure.threshold_note), s.small))
        for record in responses:
            if m.SELF_HARM_FLAG in record.flags:
                block += [_item9_banner(part, record), Spacer(1, 3)]
        block += [
            Spacer(1, 3),
            _response_table(part, responses),
            Spacer(1, 3),
            Paragraph(escape(_summary_line(part, measure)), s.body.clone("measure-sum")),
        ]
        # one measure on one page where it fits: chart, warnings, table and summary
        out.append(KeepTogether(block))
    return out


def session_measures(part: SessionPart) -> list[Flowable]:
    """What was measured in this session, warnings first, so the record stands on its own
    (the chart prints every response with its graph instead)."""
    if part.in_chart:
        return []
    taken = [
        record
        for record in part.services.measures.list_for_client(part.client.id)
        if record.session_id == part.session.id
    ]
    if not taken:
        return []
    s = part.renderer.styles
    out: list[Flowable] = [Spacer(1, 8), Paragraph(TITLE + " this session", s.heading)]
    for key in dict.fromkeys(record.measure_key for record in taken):
        measure = m.MEASURES[key]
        theirs = [record for record in taken if record.measure_key == key]
        who = sorted({ENTERED_BY.get(record.entered_by, record.entered_by) for record in theirs})
        block: list[Flowable] = [
            Spacer(1, 4),
            Paragraph(
                escape(f"{measure.name} — {measure.title} · entered by {', '.join(who)}"), s.body
            ),
        ]
        for record in theirs:
            if m.SELF_HARM_FLAG in record.flags:
                block += [_item9_banner(part, record), Spacer(1, 3)]
        block += [Spacer(1, 3), _response_table(part, theirs)]
        out.append(KeepTogether(block))
    return out


ENTERED_BY = {"client": "the client, on screen", "clinician": "the clinician"}

register_section("chart", "measures", measures, order=400)
register_section("session", "measures", session_measures, order=390)
