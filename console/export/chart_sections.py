"""The built-in parts of the client chart: details, programs and goals, sessions, and
(only when chosen) the psychotherapy notes, kept apart at the end."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    PageBreak,
    Paragraph,
    Spacer,
    TableStyle,
)

from console.export import formatting as fmt
from console.export.diagnoses import diagnoses_block
from console.export.document import RecordTable
from console.export.notes import PSYCHOTHERAPY_TEXT, note_block
from console.export.sections import ChartPart, SessionPart, register_section, session_sections
from console.export.styles import (
    ACCENT,
    ACCENT_LIGHT,
    APART,
    APART_LIGHT,
    INK,
    MUTED,
    PANEL,
    RULE,
)
from console.export.text import escape
from console.services.sessions import SessionRecord
from models import ClientStatus

PSYCHOTHERAPY_PART = "Psychotherapy notes — kept apart from the clinical record"


def _anxiety(part: ChartPart) -> str:
    c = part.client
    kinds = [
        name
        for name, flag in (
            ("cognitive", c.anxiety_cognitive),
            ("somatic", c.anxiety_somatic),
            ("behavioural", c.anxiety_behavioural),
        )
        if flag
    ]
    return ", ".join(kinds).capitalize()


def client_details(part: ChartPart) -> list[Flowable]:
    r, c = part.renderer, part.client
    born = ""
    if c.date_of_birth:
        age = fmt.age_on(c.date_of_birth, fmt.local(r.generated_at, r.tz).date())
        born = f"{fmt.day(c.date_of_birth)} (age {age})"
    contact = " · ".join(x for x in (c.emergency_contact_name, c.emergency_contact_phone) if x)
    status = "Archived" if c.status is ClientStatus.ARCHIVED else "Active"
    if c.is_demo:
        status += " · fictional demo client"
    rows = [
        ("Name", c.name),
        ("Preferred name", c.preferred_name),
        ("Date of birth", born),
        ("Client ID", str(c.id)),
        ("Status", status),
        ("Phone", c.phone),
        ("Email", c.email),
        ("Address", c.address),
        ("Emergency contact", contact),
        ("Presenting concerns", c.presenting_concerns),
        ("Anxiety presentation", _anxiety(part)),
        ("Treatment history", c.treatment_history),
    ]
    return [
        Paragraph("Client details", r.styles.part),
        r.detail_table(rows),
        Spacer(1, 8),
        *diagnoses_block(r, c.diagnoses),
    ]


def programs_and_goals(part: ChartPart) -> list[Flowable]:
    r = part.renderer
    s = r.styles
    out: list[Flowable] = [Paragraph("Programs and goals", s.part)]
    if not part.programs:
        return [*out, Paragraph("No programs recorded.", s.empty)]
    for program in part.programs:
        until = fmt.day(program.end_date) if program.end_date else "ongoing"
        out.append(r.para(program.title, s.heading))
        out.append(
            Paragraph(
                escape(
                    f"{fmt.program_kind(program.kind)} program · "
                    f"{fmt.day(program.start_date)} – {until}"
                ),
                s.small,
            )
        )
        if program.description.strip():
            out += [Spacer(1, 3), *r.text(program.description)]
        if program.goals:
            rows = [
                [
                    Paragraph("✓" if goal.achieved else "○", s.body),
                    r.para(goal.text, s.body, r.width - 90),
                    Paragraph("achieved" if goal.achieved else "open", s.small_right),
                ]
                for goal in program.goals
            ]
            table = RecordTable(rows, colWidths=[16, r.width - 76, 60])
            table.setStyle(
                TableStyle(
                    [
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("LEFTPADDING", (0, 0), (-1, -1), 4),
                        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                        ("TOPPADDING", (0, 0), (-1, -1), 3),
                        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                        ("TEXTCOLOR", (0, 0), (0, -1), ACCENT),
                    ]
                )
            )
            out += [Spacer(1, 4), Paragraph("GOALS", s.label), table]
        else:
            out.append(Paragraph("No goals recorded.", s.empty))
        out.append(Spacer(1, 10))
    return out


def _note_summary(part: ChartPart, session: SessionRecord) -> str:
    notes = part.notes.get(session.id, ())
    if not notes:
        return "none"
    signed = sum(1 for n in notes if n.is_signed)
    drafts = len(notes) - signed
    words = []
    if signed:
        words.append(f"{signed} signed")
    if drafts:
        words.append(f"{drafts} draft" + ("s" if drafts > 1 else ""))
    return ", ".join(words)


def session_overview(part: ChartPart) -> list[Flowable]:
    """One line per session in range: the chart's table of contents."""
    r = part.renderer
    s = r.styles
    out: list[Flowable] = [Paragraph("Session overview", s.part)]
    if not part.sessions:
        return [*out, Paragraph("No sessions in this period.", s.empty)]
    header = [Paragraph(h, s.label) for h in ("DATE AND TIME", "TYPE", "LENGTH", "WHERE", "NOTES")]
    rows: list[list[object]] = [header]
    for session in part.sessions:
        rows.append(
            [
                Paragraph(escape(r.moment(session.starts_at)), s.small.clone("ov", textColor=INK)),
                Paragraph(escape(fmt.session_kind(session.kind)), s.small),
                Paragraph(escape(fmt.minutes(session.duration_min)), s.small),
                Paragraph(escape(fmt.location(session.location)), s.small),
                Paragraph(escape(_note_summary(part, session)), s.small),
            ]
        )
    widths = [52 * mm, 40 * mm, 20 * mm, 24 * mm]
    widths.append(r.width - sum(widths))
    table = RecordTable(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 5),
                ("RIGHTPADDING", (0, 0), (-1, -1), 5),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("BACKGROUND", (0, 0), (-1, 0), ACCENT_LIGHT),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [None, PANEL]),
            ]
        )
    )
    return [*out, table]


def session_heading(part: ChartPart, session: SessionRecord) -> list[Flowable]:
    """The band that opens each session in the chart."""
    r = part.renderer
    s = r.styles
    facts = " · ".join(
        [
            fmt.session_kind(session.kind),
            fmt.minutes(session.duration_min),
            fmt.location(session.location),
        ]
    )
    band = RecordTable(
        [
            [
                Paragraph(
                    escape(r.moment(session.starts_at)), s.heading.clone("band", textColor=ACCENT)
                ),
                Paragraph(escape(facts), s.heading_right.clone("band-r", textColor=ACCENT)),
            ]
        ],
        colWidths=[r.width * 0.55, r.width * 0.45],
    )
    band.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), ACCENT_LIGHT),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    band.keepWithNext = True
    out: list[Flowable] = [Spacer(1, 8), band]
    program = next((p for p in part.programs if p.id == session.program_id), None)
    extra = [x for x in (program.title if program else "", session.title) if x]
    if extra:
        line = r.para(" · ".join(extra), s.small.clone("band-extra", leftIndent=8, spaceBefore=2))
        line.keepWithNext = True
        out.append(line)
    return out


def sessions(part: ChartPart) -> list[Flowable]:
    """Every session in range, oldest first, each with the registered session sections."""
    r = part.renderer
    s = r.styles
    out: list[Flowable] = [CondPageBreak(70 * mm), Paragraph("Sessions", s.part)]
    if not part.sessions:
        return [*out, Paragraph("No sessions in this period.", s.empty)]
    builders = session_sections()
    for session in part.sessions:
        out += session_heading(part, session)
        session_part = SessionPart(
            renderer=r,
            services=part.services,
            client=part.client,
            session=session,
            notes=part.notes.get(session.id, ()),
            program=next((p for p in part.programs if p.id == session.program_id), None),
            goals=part.goals,
            include_psychotherapy=False,  # those print apart, in the last part
            in_chart=True,
        )
        for build in builders:
            out += build(session_part)
    return out


def psychotherapy_notes(part: ChartPart) -> list[Flowable]:
    """Only when the clinician chose them: on pages of their own, labelled, at the end."""
    if not part.include_psychotherapy:
        return []
    r = part.renderer
    s = r.styles
    out: list[Flowable] = [
        PageBreak(),
        Paragraph(escape(PSYCHOTHERAPY_PART), s.part.clone("apart", textColor=APART)),
        r.banner("Kept apart", PSYCHOTHERAPY_TEXT, APART, APART_LIGHT),
        Spacer(1, 6),
    ]
    if not part.psychotherapy_notes:
        return [*out, Paragraph("No psychotherapy notes in this period.", s.empty)]
    by_id = {session.id: session for session in part.sessions}
    for note in part.psychotherapy_notes:
        session = by_id.get(note.session_id)
        if session is not None:
            label = f"Session of {r.moment(session.starts_at)} · {fmt.session_kind(session.kind)}"
            heading = Paragraph(escape(label), s.small.clone("apart-session", textColor=MUTED))
            heading.keepWithNext = True
            out.append(heading)
        out += note_block(r, note, part.goals, apart_label=False)
    return out


register_section("chart", "client", client_details, order=100)
register_section("chart", "programs", programs_and_goals, order=200)
register_section("chart", "overview", session_overview, order=300)
register_section("chart", "sessions", sessions, order=500)
register_section("chart", "psychotherapy", psychotherapy_notes, order=900)
