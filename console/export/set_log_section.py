"""The pacer's set log in a session's record: one row per bilateral stimulation set.

Each set prints what was run (speed, path, sound, passes, how it ended), what
the client reported after it (SUD, VOC, what came up, wrapped and escaped),
and, for a set whose picture fell behind (more late frames than the pacer's
timing light allows), a line with the figures. A set that kept time prints
no timing line: "720 frames, 0 late" under every row only hid the one that
mattered. Sessions without sets print nothing.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph, Spacer, TableStyle

from console.export import formatting as fmt
from console.export.document import RecordTable
from console.export.sections import SessionPart, register_section
from console.export.styles import ACCENT, ACCENT_LIGHT, INK, PANEL, RULE
from console.export.text import escape
from console.pacer.timing_light import LATE_BUDGET
from console.services.bls import BlsSetRecord

TITLE = "Bilateral stimulation sets"
HEADERS = (
    "#",
    "TIME",
    "SPEED<br/>(HZ)",
    "PATH",
    "SOUND",
    "PASSES",
    "ENDED<br/>BY",
    "SUD",
    "VOC",
    "WHAT CAME UP",
)
# Points for every column but the last, which takes the rest of the width.
WIDTHS = (14.0, 46.0, 32.0, 50.0, 36.0, 38.0, 58.0, 24.0, 24.0)


def _score(value: int | None) -> str:
    return "—" if value is None else str(value)


def timing_note(item: BlsSetRecord) -> str | None:
    """'Timing: 36 of 720 frames late (5.0%), p99 41.3 ms · 12 s; …', or None if it kept time.

    The budget is the timing light's: the share of late frame intervals, so
    the record and the light the therapist saw during the set agree.
    """
    intervals = item.frames - 1
    if intervals <= 0 or item.late_frames / intervals <= LATE_BUDGET:
        return None
    share = item.late_frames / intervals * 100
    figures = f"{item.late_frames} of {item.frames} frames late ({share:.1f}%)"
    if item.frame_p99_ms is not None:
        figures += f", p99 {item.frame_p99_ms:.1f} ms"
    seconds = max(0, round((item.ended_at - item.started_at).total_seconds()))
    return f"Timing: {figures} · {seconds} s; the speed stayed exact"


def set_log(part: SessionPart) -> list[Flowable]:
    sets = part.services.bls_sets.list_for_session(part.session.id)
    if not sets:
        return []
    r = part.renderer
    s = r.styles
    cell = s.small.clone("set-cell", textColor=INK)
    right = s.small_right.clone("set-cell-r", textColor=INK)
    note_width = r.width - sum(WIDTHS)
    rows: list[list[object]] = [[Paragraph(h, s.label) for h in HEADERS]]
    commands: list[tuple[object, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("BACKGROUND", (0, 0), (-1, 0), ACCENT_LIGHT),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT),
    ]
    for index, item in enumerate(sets):
        started = fmt.local(item.started_at, r.tz)
        rows.append(
            [
                Paragraph(str(item.number), right),
                Paragraph(f"{started:%H:%M:%S}", cell),
                Paragraph(f"{item.speed_hz:g}", right),
                Paragraph(escape(item.path.replace("_", " ")), cell),
                Paragraph(escape(item.sound), cell),
                Paragraph(str(item.passes_completed), right),
                Paragraph(escape(item.ended_by), cell),
                Paragraph(_score(item.sud), right),
                Paragraph(_score(item.voc), right),
                r.text(item.notes, cell, note_width - 6) if item.notes.strip() else "—",
            ]
        )
        data_row = last_row = len(rows) - 1
        note = " ".join(n for n in (timing_note(item), item.remote) if n) or None
        if note is not None:
            rows.append(["", Paragraph(escape(note), s.label.clone("set-timing"))])
            last_row = len(rows) - 1
            commands += [
                ("SPAN", (1, last_row), (-1, last_row)),
                ("TOPPADDING", (0, last_row), (-1, last_row), 0),
                ("BOTTOMPADDING", (0, last_row), (-1, last_row), 3),
            ]
        commands.append(("LINEBELOW", (0, last_row), (-1, last_row), 0.4, RULE))
        if index % 2:
            commands.append(("BACKGROUND", (0, data_row), (-1, last_row), PANEL))
    table = RecordTable(rows, colWidths=[*WIDTHS, note_width], repeatRows=1)
    table.setStyle(TableStyle(commands))
    heading = Paragraph(escape(TITLE), s.section)
    return [Spacer(1, 4), heading, table]


register_section("session", "bls_sets", set_log, order=300)
