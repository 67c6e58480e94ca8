"""Medicine sessions (KAP) in the printed records: one session section, two chart sections.

Session section "Medicine session" (medicine sessions with a record): the
dose (and a second dose), the vitals as a table and as a plot (from the same
readings, flags and thresholds the screen uses), dissociation, the client's
state and notes, adverse events, and discharge with what still stands in the
way of it. mg/kg with no weight on record prints as unknown, never 0.
Inside the client chart the plot is smaller; nothing else is left out.

Chart section "Screening" (when the client's screening has been saved): where
screening stands in the badge's words, what needs the prescriber's review and
the last review, the checklist, weight, baseline blood pressure, medications
and each interaction with its acknowledgement, consent with its expiry,
preparation, and any override.

Chart section "Course" (when the client has sessions): the tally, the
sessions in the chart's range with the approaches used, and one summary row
per medicine session.

Everything typed (notes, names, medications) may be in any script: it goes
through the renderer's `para`/`text` helpers.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Spacer

from console.clinical import medicine as m
from console.clinical import medicine_safety as safety
from console.export import formatting as fmt
from console.export.document import DocumentRenderer, RecordTable
from console.export.sections import ChartPart, SessionPart, register_section
from console.export.styles import (
    ACCENT,
    ACCENT_LIGHT,
    DRAFT,
    DRAFT_LIGHT,
    INK,
    SIGNED,
    SIGNED_LIGHT,
)
from console.export.text import escape
from console.export.vitals_chart import vitals_drawing
from console.services.course import MODALITY_LABELS, CourseEntry
from console.services.medicine import MedicineRecord, Reading
from console.services.screening import ScreeningRecord
from models import SessionKind

TITLE = "Medicine session"
SCREENING_TITLE = "Screening"
COURSE_TITLE = "Course"
NO_WEIGHT = "unknown (no weight on record)"
NOT_READY = "Not ready:"
EARLY = "Discharged before ready:"
DASH = "—"
PLOT_HEIGHT = {False: 230.0, True: 185.0}  # by in_chart


# -- helpers --------------------------------------------------------------------------


def _num(value: float | None, unit: str = "") -> str:
    if value is None:
        return DASH
    return f"{value:g}" + (f" {unit}" if unit else "")


def _clock(r: DocumentRenderer, when: datetime | None) -> str:
    return DASH if when is None else f"{fmt.local(when, r.tz):%H:%M}"


def _day(r: DocumentRenderer, when: datetime) -> str:
    return fmt.day(fmt.local(when, r.tz).date())


def _yes(value: bool) -> str:
    return "Yes" if value else "No"


def _fill(r: DocumentRenderer, widths: list[float], flexible: int) -> list[float]:
    widths[flexible] = 0.0
    widths[flexible] = r.width - sum(widths)
    return widths


def _table(
    r: DocumentRenderer,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: list[float],
    *,
    marked: Sequence[int] = (),
) -> RecordTable:
    """`marked` rows (0 = first data row) get the warning shade."""
    return r.list_table(header, rows, widths, marked=marked, marked_colour=DRAFT_LIGHT)


def _sub(r: DocumentRenderer, title: str) -> Paragraph:
    return Paragraph(escape(title), r.styles.section.clone("rx-sub", textColor=INK))


def mg_per_kg_text(dose_mg: float | None, value: float | None) -> str:
    """mg/kg as printed: unknown (never 0) when a dose was given with no weight on record."""
    if dose_mg is None:
        return DASH
    return NO_WEIGHT if value is None else f"{value:g}"


def bp(reading: Reading) -> str:
    return f"{reading.systolic}/{reading.diastolic}"


def max_bp(record: MedicineRecord) -> str:
    """The highest systolic reading of the session, with its diastolic."""
    if not record.readings:
        return DASH
    top = max(record.readings, key=lambda r: (r.systolic, r.diastolic))
    return bp(top)


def _minutes(reading: Reading) -> str:
    if reading.pre_dose:
        return "baseline"
    if reading.minutes is None:
        return DASH
    return f"{reading.minutes:.0f}"


def _event_kind(kind: str, description: str) -> str:
    if kind == "other":
        return description or m.ADVERSE_EVENT_LABELS["other"]
    label = m.ADVERSE_EVENT_LABELS.get(kind, kind)
    return f"{label}\n{description}" if description.strip() else label


def _scale(key: str) -> m.DissociationScale | None:
    return next((s for s in m.DISSOCIATION_SCALES if s.key == key), None)


# -- session section --------------------------------------------------------------------


def _given(r: DocumentRenderer, when: datetime | None) -> tuple[str, str]:
    return (DASH, DASH) if when is None else (_day(r, when), _clock(r, when))


def dose_table(r: DocumentRenderer, record: MedicineRecord) -> RecordTable:
    """One row per dose: date, time, medicine and form, route, dose, mg/kg, lot, given by."""
    medicine = safety.MEDICINE_LABELS.get(record.medicine, record.medicine)
    form = safety.FORM_LABELS.get(record.form, record.form) or "form not recorded"
    what = f"{medicine}\n{form}"
    route = m.ROUTE_LABELS.get(record.route, record.route)
    rows = [
        [
            "1st",
            *_given(r, record.given_at),
            what,
            route,
            _num(record.dose_mg, "mg") if record.dose_mg is not None else "not recorded",
            mg_per_kg_text(record.dose_mg, record.mg_per_kg),
            record.lot_number,
            record.given_by,
        ]
    ]
    if record.second_dose_mg is not None or record.second_given_at is not None:
        rows.append(
            [
                "2nd",
                *_given(r, record.second_given_at),
                what,
                route,
                _num(record.second_dose_mg, "mg"),
                mg_per_kg_text(record.second_dose_mg, record.second_mg_per_kg),
                record.lot_number,
                "",
            ]
        )
    header = ("", "DATE", "TIME", "MEDICINE · FORM", "ROUTE", "DOSE", "MG/KG", "LOT", "GIVEN BY")
    widths = _fill(
        r, [10 * mm, 18 * mm, 12 * mm, 0.0, 26 * mm, 14 * mm, 18 * mm, 20 * mm, 20 * mm], 3
    )
    return _table(r, header, rows, widths)


def dose_details(r: DocumentRenderer, record: MedicineRecord) -> Flowable:
    """Who watched, the weight mg/kg was computed from, and a prescriber's hold review."""
    weight = _num(record.weight_kg, "kg") if record.weight_kg is not None else "none on record"
    rows = [("Monitored by", record.monitored_by or DASH), ("Weight used for mg/kg", weight)]
    if record.hold_review_at is not None:
        rows.append(
            (
                "Pre-dose hold reviewed",
                f"{record.hold_review_by}, {r.moment(record.hold_review_at)}: "
                f"{record.hold_review_reason}",
            )
        )
    return r.detail_table(rows, label_width=40 * mm)


def vitals_table(r: DocumentRenderer, readings: Sequence[Reading]) -> RecordTable:
    rows: list[list[str]] = []
    marked: list[int] = []
    for index, reading in enumerate(readings):
        flags = "; ".join(f.message for f in reading.flags)
        if reading.flags:
            marked.append(index)
        note = reading.note.strip()
        rows.append(
            [
                _clock(r, reading.taken_at),
                _minutes(reading),
                bp(reading),
                str(reading.heart_rate),
                f"{reading.spo2}%",
                _num(reading.respiratory_rate),
                DASH if reading.sedation is None else f"{reading.sedation}/5",
                "\n".join(x for x in (flags, note) if x),
            ]
        )
    header = (
        "TIME",
        "MIN SINCE DOSE",
        "BP (mmHg)",
        "HR (/min)",
        "SpO2",
        "RR (/min)",
        "SEDATION",
        "FLAGS · NOTE",
    )
    widths = _fill(r, [13 * mm, 19 * mm, 19 * mm, 15 * mm, 12 * mm, 15 * mm, 19 * mm, 0.0], 7)
    return _table(r, header, rows, widths, marked=marked)


def events_table(r: DocumentRenderer, record: MedicineRecord) -> RecordTable:
    rows = [
        [
            _clock(r, e.occurred_at),
            _event_kind(e.kind, e.description),
            m.SEVERITY_LABELS.get(e.severity, e.severity),
            e.action,
            e.medication_given,
            m.OUTCOME_LABELS.get(e.outcome, e.outcome),
        ]
        for e in record.events
    ]
    header = ("TIME", "EVENT", "SEVERITY", "ACTION TAKEN", "MEDICATION GIVEN", "OUTCOME")
    widths = _fill(r, [14 * mm, 34 * mm, 32 * mm, 0.0, 30 * mm, 30 * mm], 3)
    return _table(r, header, rows, widths, marked=[])


def dissociation_line(record: MedicineRecord) -> str:
    scale = _scale(record.dissociation_scale)
    name = scale.short if scale else record.dissociation_scale
    if record.dissociation_total is None:
        return f"{name}: not recorded"
    if scale is None:
        return f"{name}: total {record.dissociation_total}"
    total = record.dissociation_total
    return f"{scale.short} ({scale.name}): total {total} (range {scale.lo}–{scale.hi})"


def bp_points_line(record: MedicineRecord, now: datetime) -> str:
    return "; ".join(
        f"{p.label}: {'taken' if p.done else 'NOT TAKEN'}" for p in record.bp_points(now)
    )


def discharge_block(r: DocumentRenderer, record: MedicineRecord, now: datetime) -> list[Flowable]:
    """The checks, when the client could leave and did; an early discharge says so and why."""
    when = "not yet discharged" if record.discharged_at is None else r.moment(record.discharged_at)
    readiness = record.readiness(now)
    ready_at = readiness.ready_at or record.ready_to_leave_at
    rows = [
        ("Required blood pressure", bp_points_line(record, now) or DASH),
        ("Ready to leave at", DASH if ready_at is None else r.moment(ready_at)),
        ("Alert and oriented", _yes(record.discharge_alert)),
        ("Vital signs in range", _yes(record.discharge_vitals_in_range)),
        ("Escort present", _yes(record.discharge_escort_present)),
        ("Discharged at", when),
    ]
    out: list[Flowable] = [r.detail_table(rows, label_width=40 * mm)]
    problems = readiness.problems
    if problems and record.discharged_at is not None:
        reason = record.early_discharge_reason or "no reason recorded"
        body = "\n".join([*(f"• {p}" for p in problems), f"Reason: {reason}"])
        out += [Spacer(1, 3), r.banner(EARLY, body, DRAFT, DRAFT_LIGHT)]
    elif problems:
        out += [
            Spacer(1, 3),
            r.banner(NOT_READY, "\n".join(f"• {p}" for p in problems), DRAFT, DRAFT_LIGHT),
        ]
    else:
        out += [Spacer(1, 3), r.banner("Ready for discharge", "", SIGNED, SIGNED_LIGHT)]
    return out


def medicine_session(part: SessionPart) -> list[Flowable]:
    if part.session.kind is not SessionKind.MEDICINE:
        return []
    service = part.services.medicine
    record = service.get(part.session.id)
    if record is None:
        return []
    r = part.renderer
    s = r.styles
    out: list[Flowable] = [Spacer(1, 4), Paragraph(escape(TITLE), s.section)]
    out += _dose_part(r, record)
    out += _vitals_part(part, record)
    out += [
        _sub(r, "Dissociation and the client's state"),
        r.detail_table(
            [
                ("Dissociation", dissociation_line(record)),
                ("Client's state", record.client_state),
                ("Notes", record.notes),
            ],
            label_width=40 * mm,
        ),
    ]

    out.append(_sub(r, "Adverse events"))
    if record.events:
        out.append(events_table(r, record))
    else:
        out.append(Paragraph("None recorded.", s.empty))

    out += [_sub(r, "Discharge"), *discharge_block(r, record, service.now())]
    return out


def _dose_part(r: DocumentRenderer, record: MedicineRecord) -> list[Flowable]:
    s = r.styles
    out: list[Flowable] = [_sub(r, "Dose")]
    if record.dose_mg is None and record.given_at is None:
        out.append(Paragraph("No dose recorded.", s.empty))
    else:
        out += [dose_table(r, record), Spacer(1, 3), dose_details(r, record)]
    return out


def _vitals_part(part: SessionPart, record: MedicineRecord) -> list[Flowable]:
    """The readings as a table, then plotted against time since the dose when it is known."""
    r = part.renderer
    s = r.styles
    out: list[Flowable] = [_sub(r, "Vitals")]
    if not record.readings:
        out.append(Paragraph("No vital signs recorded.", s.empty))
    else:
        out.append(vitals_table(r, record.readings))
        plotted = [x for x in record.readings if x.pre_dose or x.minutes is not None]
        if record.given_at is None:
            note = "No dose time recorded: the readings are not plotted against time."
            out.append(Paragraph(escape(note), s.small))
        elif plotted:
            out.append(_vitals_plot(part, record, plotted))
    return out


def _vitals_plot(
    part: SessionPart, record: MedicineRecord, plotted: Sequence[Reading]
) -> KeepTogether:
    r = part.renderer
    s = r.styles
    service = part.services.medicine
    second = (
        m.minutes_since_dose(record.second_given_at, record.given_at)
        if (record.second_given_at is not None)
        else None
    )
    drawing = vitals_drawing(
        plotted,
        service.thresholds,
        r.width,
        PLOT_HEIGHT[part.in_chart],
        second_dose_min=second,
    )
    t = service.thresholds
    caption = (
        "Dashed lines: the clinic's alert thresholds after the dose. Before dosing the "
        f"hold levels apply (systolic ≥ {t.hold_systolic:g}, "
        f"diastolic ≥ {t.hold_diastolic:g} mmHg). Ringed: a value that raised a flag."
    )
    return KeepTogether([Spacer(1, 4), drawing, Paragraph(escape(caption), s.small)])


# -- chart: screening ---------------------------------------------------------------------

# Needs review has its own colour on the page, as on the screen (purple, never the only cue).
REVIEW = colors.HexColor("#6a1b9a")
REVIEW_LIGHT = colors.HexColor("#f3e5f5")
NOT_ACKNOWLEDGED = "not acknowledged"


def state_words(record: ScreeningRecord) -> str:
    """Where screening stands, in the words of the overview badge (ui.clients.screening)."""
    state = record.state
    if state.cleared:
        return "Screening: Cleared ✓"
    if state.overridden:
        reason = record.override_reason.strip().replace("\n", " ")
        short = reason if len(reason) <= 40 else reason[:39].rstrip() + "…"
        return f"Screening: Overridden ⚑ ({short})"
    if state.needs_review:
        return "Screening: Needs review ⚠ — " + "; ".join(state.review)
    return "Screening: Blocked ✗ — " + state.summary.removeprefix("Blocked: ")


def _state_colours(record: ScreeningRecord) -> tuple[colors.Color, colors.Color]:
    state = record.state
    if state.cleared:
        return SIGNED, SIGNED_LIGHT
    if state.overridden:
        return ACCENT, ACCENT_LIGHT
    if state.needs_review:
        return REVIEW, REVIEW_LIGHT
    return DRAFT, DRAFT_LIGHT


def _checked(r: DocumentRenderer, by: str, at: datetime | None) -> str:
    when = "" if at is None else _day(r, at)
    return ", ".join(x for x in (by, when) if x)


def _by(r: DocumentRenderer, by: str, at: datetime | None) -> str:
    """ "by Dr X, 1 Dec 2026, 14:02 CET": who and the moment, for reviews and acknowledgements."""
    return "by " + ", ".join(x for x in (by or DASH, "" if at is None else r.moment(at)) if x)


def checklist_table(r: DocumentRenderer, record: ScreeningRecord) -> RecordTable:
    rows: list[list[str]] = []
    marked: list[int] = []
    for index, item in enumerate(m.CONTRAINDICATIONS):
        answer = record.answer(item.key)
        label = m.ANSWER_LABELS.get(answer.answer, "Not answered")
        if answer.answer != "no":
            marked.append(index)
        rows.append(
            [item.label, label, answer.note, _checked(r, answer.checked_by, answer.checked_at)]
        )
    widths = _fill(r, [62 * mm, 17 * mm, 0.0, 48 * mm], 2)
    return _table(r, ("ITEM", "ANSWER", "NOTE", "CHECKED BY / ON"), rows, widths, marked=marked)


def baseline_text(part: ChartPart, record: ScreeningRecord) -> str:
    sys, dia = record.baseline_systolic, record.baseline_diastolic
    if sys is None or dia is None:
        return "not recorded"
    # flagged with the clinic's thresholds, as the medicine session flags its readings
    reading = m.VitalsReading(sys, dia, 70, 98)
    held = [
        f.message
        for f in m.flags(reading, None, part.services.medicine.thresholds)
        if f.field in ("systolic", "diastolic")
    ]
    return f"{sys}/{dia} mmHg" + (f" — {'; '.join(held)}" if held else "")


def review_rows(r: DocumentRenderer, record: ScreeningRecord) -> list[tuple[str, str]]:
    """Each reason the prescriber must review, whether a review covers it, and the last review.

    A blocked state does not carry the review, so there the reasons print unmarked.
    """
    state = record.state
    pending = set(state.review) if state.needs_review else None if state.blocked else set()
    rows: list[tuple[str, str]] = []
    for reason in record.reasons:
        if pending is None:
            mark = ""
        elif reason.message in pending:
            mark = " — not reviewed"
        else:
            mark = " — covered by the last review"
        rows.append(("Reason for review", reason.message + mark))
    if record.review_at is not None or record.review_by:
        rows.append(
            (
                "Prescriber review",
                f"{record.review_reason}\n{_by(r, record.review_by, record.review_at)}",
            )
        )
    return rows


def interactions_text(r: DocumentRenderer, record: ScreeningRecord) -> str:
    """One line per interacting medication: who acknowledged it and when, or that no one has."""
    if not record.interactions:
        return "none found"
    lines = []
    for label in record.interactions:
        ack = record.acknowledged.get(label)
        lines.append(
            f"{label}: " + (NOT_ACKNOWLEDGED if ack is None else "acknowledged " + _by(r, *ack))
        )
    return "\n".join(lines)


def consent_text(part: ChartPart, record: ScreeningRecord) -> str:
    if record.consent_date is None:
        return "not recorded"
    text = fmt.day(record.consent_date)
    if record.consent_version:
        text += f", version {record.consent_version}"
    expires = record.consent_expires
    if expires is not None:
        expired = part.services.screening.today() >= expires
        text += f" — {'expired on' if expired else 'expires'} {fmt.day(expires)}"
    return text


def screening(part: ChartPart) -> list[Flowable]:
    record = part.services.screening.get(part.client.id)
    if not record.exists:
        return []
    r = part.renderer
    s = r.styles
    colour, light = _state_colours(record)
    updated = "" if record.updated_at is None else f"Last updated {r.moment(record.updated_at)}."
    out: list[Flowable] = [
        CondPageBreak(60 * mm),
        Paragraph(escape(SCREENING_TITLE), s.part),
        r.banner(state_words(record), updated, colour, light),
        Spacer(1, 4),
    ]
    reviews = review_rows(r, record)
    if reviews:
        out += [r.detail_table(reviews, label_width=44 * mm), Spacer(1, 6)]
    out += [
        Paragraph("Contraindications checklist", s.heading),
        Spacer(1, 2),
        checklist_table(r, record),
        Spacer(1, 6),
    ]
    rows = [
        (
            "Weight",
            _num(record.weight_kg, "kg") if record.weight_kg is not None else "not recorded",
        ),
        ("Baseline blood pressure", baseline_text(part, record)),
        ("Current medications", record.medications),
        ("Interacting medications", interactions_text(r, record)),
        ("Informed consent", consent_text(part, record)),
        ("Fasting instructions", "Given" if record.fasting_acknowledged else "Not given"),
        ("Ride home", "Arranged" if record.ride_home_arranged else "Not arranged"),
    ]
    if record.override_reason:
        at = "" if record.override_at is None else r.moment(record.override_at)
        rows.append(
            ("Override", f"{record.override_reason}\nby {record.override_by or DASH}, {at}")
        )
    out.append(r.detail_table(rows, label_width=44 * mm))
    unacknowledged = [i for i in record.interactions if i not in record.acknowledged]
    if unacknowledged:
        out += [
            Spacer(1, 3),
            r.banner(
                "Interacting medications not acknowledged",
                ", ".join(unacknowledged) + ": the prescriber acknowledges each before a dose.",
                DRAFT,
                DRAFT_LIGHT,
            ),
        ]
    return out


# -- chart: course ------------------------------------------------------------------------


def _status(entry: CourseEntry) -> str:
    return str(entry.attendance.value).capitalize()


def course_sessions_table(r: DocumentRenderer, entries: Sequence[CourseEntry]) -> RecordTable:
    rows = [
        [
            _day(r, e.session.starts_at),
            fmt.session_kind(e.session.kind),
            e.session.title,
            _status(e),
            ", ".join(MODALITY_LABELS.get(k, k) for k in e.modalities),
        ]
        for e in entries
    ]
    widths = _fill(r, [26 * mm, 34 * mm, 0.0, 22 * mm, 40 * mm], 2)
    return _table(r, ("DATE", "KIND", "TITLE", "STATUS", "APPROACHES"), rows, widths)


def medicine_summary_table(
    r: DocumentRenderer, records: Sequence[MedicineRecord], starts: dict[uuid.UUID, datetime]
) -> RecordTable:
    rows = []
    for record in records:
        dose = _num(record.dose_mg, "mg")
        if record.second_dose_mg is not None:
            dose += f" + {record.second_dose_mg:g} mg"
        rows.append(
            [
                _day(r, starts[record.session_id]),
                m.ROUTE_LABELS.get(record.route, record.route),
                dose,
                mg_per_kg_text(record.dose_mg, record.mg_per_kg),
                max_bp(record),
                str(len(record.events)),
            ]
        )
    header = ("DATE", "ROUTE", "DOSE", "MG/KG", "MAX BP", "ADVERSE EVENTS")
    widths = _fill(r, [26 * mm, 0.0, 28 * mm, 30 * mm, 20 * mm, 26 * mm], 1)
    return _table(r, header, rows, widths)


def course(part: ChartPart) -> list[Flowable]:
    timeline = part.services.course.timeline(part.client.id)
    if not timeline:
        return []
    r = part.renderer
    s = r.styles
    in_range = {session.id for session in part.sessions}
    entries = [e for e in timeline if e.session.id in in_range]
    tally = part.services.course.tally(entries)
    scope = r.date_range(part.start, part.end)
    out: list[Flowable] = [
        CondPageBreak(60 * mm),
        Paragraph(escape(COURSE_TITLE), s.part),
        Paragraph(escape(f"Sessions ({scope}): {tally.summary}."), s.body),
    ]
    if not entries:
        return [*out, Paragraph("No sessions in this period.", s.empty)]
    out += [Spacer(1, 2), course_sessions_table(r, entries)]
    starts = {e.session.id: e.session.starts_at for e in entries}
    records = [
        x for x in part.services.medicine.for_client(part.client.id) if x.session_id in starts
    ]
    if records:
        out += [
            Spacer(1, 6),
            Paragraph("Medicine sessions", s.heading),
            Spacer(1, 2),
            medicine_summary_table(r, records, starts),
            Paragraph(
                "Max BP: the highest systolic reading of the session, with its diastolic.", s.small
            ),
        ]
    return out


register_section("session", "medicine", medicine_session, order=310)
register_section("chart", "screening", screening, order=150)
register_section("chart", "course", course, order=250)
