"""Medicine sessions (KAP) in the printed records: one session section, two chart sections.

Session section "Medicine session" (medicine sessions with a record): the
dose (and a second dose), the vitals as a table and as a plot (from the same
readings, flags and thresholds the screen uses), dissociation, the client's
state and notes, adverse events, and discharge with what still stands in the
way of it. mg/kg with no weight on record prints as unknown, never 0.
Inside the client chart the plot is smaller; nothing else is left out.

Chart section "Screening" (when the client's screening has been saved): the
checklist, weight, baseline blood pressure, medications and interactions,
consent and preparation, where screening stands, and any override.

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

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Spacer

from console.clinical import medicine as m
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


def dose_table(r: DocumentRenderer, record: MedicineRecord) -> RecordTable:
    route = m.ROUTE_LABELS.get(record.route, record.route)
    weight = _num(record.weight_kg, "kg") if record.weight_kg is not None else "none on record"
    rows = [
        [
            "First",
            route,
            _num(record.dose_mg, "mg") if record.dose_mg is not None else "not recorded",
            mg_per_kg_text(record.dose_mg, record.mg_per_kg),
            weight,
            record.lot_number,
            _clock(r, record.given_at),
            record.given_by,
            record.monitored_by,
        ]
    ]
    if record.second_dose_mg is not None or record.second_given_at is not None:
        rows.append(
            [
                "Second",
                route,
                _num(record.second_dose_mg, "mg"),
                mg_per_kg_text(record.second_dose_mg, record.second_mg_per_kg),
                weight,
                "",
                _clock(r, record.second_given_at),
                "",
                "",
            ]
        )
    header = (
        "",
        "ROUTE",
        "DOSE",
        "MG/KG",
        "WEIGHT USED",
        "LOT",
        "GIVEN AT",
        "GIVEN BY",
        "MONITORED BY",
    )
    widths = _fill(
        r, [15 * mm, 0.0, 15 * mm, 21 * mm, 17 * mm, 21 * mm, 14 * mm, 21 * mm, 21 * mm], 1
    )
    return _table(r, header, rows, widths)


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
        "FLAGS · NOTE",
    )
    widths = _fill(r, [14 * mm, 20 * mm, 20 * mm, 16 * mm, 13 * mm, 16 * mm, 0.0], 6)
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


def discharge_block(r: DocumentRenderer, record: MedicineRecord) -> list[Flowable]:
    when = "not yet discharged" if record.discharged_at is None else r.moment(record.discharged_at)
    rows = [
        ("Alert and oriented", _yes(record.discharge_alert)),
        ("Vital signs in range", _yes(record.discharge_vitals_in_range)),
        ("Escort present", _yes(record.discharge_escort_present)),
        ("Discharged at", when),
    ]
    out: list[Flowable] = [r.detail_table(rows, label_width=40 * mm)]
    problems = record.discharge_problems
    if problems:
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

    out += [_sub(r, "Dose")]
    if record.dose_mg is None and record.given_at is None:
        out.append(Paragraph("No dose recorded.", s.empty))
    else:
        out.append(dose_table(r, record))

    out.append(_sub(r, "Vitals"))
    if not record.readings:
        out.append(Paragraph("No vital signs recorded.", s.empty))
    else:
        out.append(vitals_table(r, record.readings))
        plotted = [x for x in record.readings if x.pre_dose or x.minutes is not None]
        if record.given_at is None:
            note = "No dose time recorded: the readings are not plotted against time."
            out.append(Paragraph(escape(note), s.small))
        elif plotted:
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
            out.append(KeepTogether([Spacer(1, 4), drawing, Paragraph(escape(caption), s.small)]))

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

    out += [_sub(r, "Discharge"), *discharge_block(r, record)]
    return out


# -- chart: screening ---------------------------------------------------------------------


def _checked(r: DocumentRenderer, by: str, at: datetime | None) -> str:
    when = "" if at is None else _day(r, at)
    return ", ".join(x for x in (by, when) if x)


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


def screening(part: ChartPart) -> list[Flowable]:
    record = part.services.screening.get(part.client.id)
    if not record.exists:
        return []
    r = part.renderer
    s = r.styles
    state = record.state
    colour, light = (
        (SIGNED, SIGNED_LIGHT)
        if state.cleared
        else (ACCENT, ACCENT_LIGHT)
        if state.overridden
        else (DRAFT, DRAFT_LIGHT)
    )
    updated = "" if record.updated_at is None else f"Last updated {r.moment(record.updated_at)}."
    out: list[Flowable] = [
        CondPageBreak(60 * mm),
        Paragraph(escape(SCREENING_TITLE), s.part),
        r.banner(f"Screening: {state.summary}", updated, colour, light),
        Spacer(1, 4),
        Paragraph("Contraindications checklist", s.heading),
        Spacer(1, 2),
        checklist_table(r, record),
        Spacer(1, 6),
    ]
    interactions = ", ".join(record.interactions) if record.interactions else "none found"
    consent = (
        "not recorded"
        if record.consent_date is None
        else fmt.day(record.consent_date)
        + (f", version {record.consent_version}" if record.consent_version else "")
    )
    rows = [
        (
            "Weight",
            _num(record.weight_kg, "kg") if record.weight_kg is not None else "not recorded",
        ),
        ("Baseline blood pressure", baseline_text(part, record)),
        ("Current medications", record.medications),
        ("Interacting medications", interactions),
        ("Informed consent", consent),
        ("Fasting instructions", "Given" if record.fasting_acknowledged else "Not given"),
        ("Ride home", "Arranged" if record.ride_home_arranged else "Not arranged"),
    ]
    if record.override_reason:
        at = "" if record.override_at is None else r.moment(record.override_at)
        rows.append(
            ("Override", f"{record.override_reason}\nby {record.override_by or DASH}, {at}")
        )
    out.append(r.detail_table(rows, label_width=44 * mm))
    if record.interactions:
        out += [
            Spacer(1, 3),
            r.banner(
                "Interacting medications named",
                ", ".join(record.interactions) + ": check with the prescriber.",
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
