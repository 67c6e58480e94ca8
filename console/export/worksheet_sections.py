"""The EMDR, ART and imagery-rescripting worksheets in the printed records.

Three session sections, each printed only when the session has that
worksheet (so in the session record, and under each session of the chart):

- "EMDR": the target processed (its assessment: NC, PC, VOC, SUD, emotions,
  body location), the phases done, the preparation checklist, interweaves,
  closure (containment, state at end, SUD/VOC at end, body scan, plan) and
  the re-evaluation SUD;
- "ART": the scene's title, SUD before and after, the eye-movement sets used,
  each step's notes and the replacement image in the client's words. A
  private scene (the client need not disclose it) prints its title and no
  step notes: they would describe it;
- "Imagery rescripting": every field, who rescripts, distress before/after.

One chart section, "EMDR targets": the client's target sequence plan and each
target's SUD history (after each set, and at each session's closure).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import TypeVar

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Spacer, TableStyle

from console.clinical import art as a
from console.clinical import emdr as c
from console.clinical import rescripting as rs
from console.errors import NotFoundError
from console.export.document import LIST_TABLE_STYLE, RecordTable
from console.export.sections import ChartPart, SessionPart, register_section
from console.export.styles import INK
from console.export.text import escape
from console.services.emdr import HistoryPoint, TargetRecord

EMDR_TITLE = "EMDR"
ART_TITLE = "ART"
RESCRIPTING_TITLE = "Imagery rescripting"
TARGETS_TITLE = "EMDR targets"
PRIVATE_SCENE = "Scene kept private: only its title is recorded."
NO_TARGET = "No target chosen for this session."
T = TypeVar("T")
SOURCE_LABELS = {"set": "After a set", "session": "Session closure"}

# ART fields printed as step notes, with the step they belong to.
ART_NOTES: tuple[tuple[str, str], ...] = (
    ("body_sensations", "Body sensations"),
    ("first_pass", "First pass"),
    ("second_pass", "Second pass"),
    ("final_check", "Final pass"),
    ("body_scan", "Body scan"),
    ("matching_scene", "Matching scene"),
    ("future_scene", "Positive future scene"),
)


def _stored(get: Callable[[uuid.UUID], T | None], session_id: uuid.UUID) -> T | None:
    """The session's worksheet; none for a session laid out from records not in the vault."""
    try:
        return get(session_id)
    except NotFoundError:
        return None


def _score(value: int | None) -> str:
    return "—" if value is None else str(value)


def _labels(steps: Sequence[c.Step], keys: Sequence[str]) -> str:
    return ", ".join(step.label for step in steps if step.key in keys)


def _heading(part: SessionPart, title: str) -> list[Flowable]:
    return [Spacer(1, 4), Paragraph(escape(title), part.renderer.styles.section)]


def _art_step(field: str) -> str:
    for step in a.STEPS:
        if field in step.fields:
            return f"Step {step.number}"
    return ""


# -- session sections ------------------------------------------------------------


def emdr_worksheet(part: SessionPart) -> list[Flowable]:
    emdr = part.services.emdr
    work = _stored(emdr.get_work, part.session.id)
    if work is None:
        return []
    r = part.renderer
    out = _heading(part, EMDR_TITLE)
    if work.target_id is None:
        out.append(Paragraph(escape(NO_TARGET), r.styles.small))
    else:
        t = emdr.get_target(work.target_id)
        kind = c.TARGET_KIND_LABELS.get(t.kind, t.kind)
        assessment = [
            ("Target", f"{t.title} ({kind})"),
            ("Negative cognition", t.negative_cognition),
            ("Positive cognition", t.positive_cognition),
            ("VOC / SUD", f"VOC {_score(t.voc)} (1–7) · SUD {_score(t.sud)} (0–10)"),
            ("Emotions", t.emotions),
            ("Body location", t.body_location),
        ]
        # the target's assessment apart from the session's work: each can start a page
        out += [r.detail_table(assessment), Spacer(1, 4)]
    prepared = [
        ("✓ " if work.prepared(step.key) else "✗ ") + step.label
        for step in c.PREPARATION
        if step.key in dict(work.preparation)
    ]
    if work.body_scan_clear is None:
        scan = "not asked"
    else:
        scan = "clear" if work.body_scan_clear else "not clear"
    if work.body_scan_notes.strip():
        scan += f": {work.body_scan_notes}"
    rows = [
        ("Phases done", _labels(c.PHASES, work.phases_done)),
        ("Preparation", "\n".join(prepared)),
        ("Interweaves", work.interweaves),
        ("Containment", work.containment),
        ("State at end", work.state_at_end),
        ("SUD / VOC at end", f"SUD {_score(work.sud_end)} · VOC {_score(work.voc_end)}"),
        ("Body scan", scan),
        ("Plan", work.plan),
        ("Re-evaluation SUD", _score(work.reevaluation_sud)),
    ]
    out.append(r.detail_table(rows))
    return out


def art_worksheet(part: SessionPart) -> list[Flowable]:
    art = part.services.art
    sheet = _stored(art.get, part.session.id)
    if sheet is None:
        return []
    r = part.renderer
    sets = art.summary(part.session.id).sets_used
    out = _heading(part, ART_TITLE)
    rows: list[tuple[str, str]] = [
        ("Scene", sheet.scene_title + (" (private)" if sheet.scene_private else "")),
        ("SUD before / after", f"{_score(sheet.sud_before)} → {_score(sheet.sud_after)}"),
        ("Sets used", str(sets)),
        ("Replacement image", sheet.replacement),
    ]
    if not sheet.scene_private:
        for field, label in ART_NOTES:
            value: str = getattr(sheet, field)
            if value.strip():
                rows.append((f"{_art_step(field)} · {label}", value))
    out.append(r.detail_table(rows))
    if sheet.scene_private:
        out.append(Paragraph(escape(PRIVATE_SCENE), r.styles.small))
    return out


def rescripting_worksheet(part: SessionPart) -> list[Flowable]:
    sheet = _stored(part.services.rescripting.get, part.session.id)
    if sheet is None:
        return []
    who = rs.WHO_RESCRIPTS_LABELS.get(sheet.who_rescripts, sheet.who_rescripts)
    rows: list[tuple[str, str]] = [
        ("Memory", sheet.memory),
        ("Hotspot", sheet.hotspot),
        ("Emotions", sheet.emotions),
        ("Unmet needs", sheet.unmet_needs),
        ("Who rescripts", who),
        ("Rescript", sheet.rescript),
        ("New meaning", sheet.new_meaning),
        (
            "Distress before / after",
            f"{_score(sheet.distress_before)} → {_score(sheet.distress_after)} (0–10)",
        ),
    ]
    return [*_heading(part, RESCRIPTING_TITLE), part.renderer.detail_table(rows)]


# -- chart section ---------------------------------------------------------------


def _style(table: RecordTable) -> RecordTable:
    table.setStyle(TableStyle(list(LIST_TABLE_STYLE)))
    return table


def _table(
    part: ChartPart, header: Sequence[str], rows: list[list[str]], widths: list[float]
) -> RecordTable:
    """A small table: labelled header, escaped text cells (lines kept), SUD columns right."""
    r = part.renderer
    s = r.styles
    cell = s.small.clone("target-cell", textColor=INK)
    right = s.small_right.clone("target-cell-r", textColor=INK)
    numeric = [h.endswith("SUD") for h in header]
    label_right = s.label.clone("target-label-r", alignment=TA_RIGHT)
    data: list[list[object]] = [
        [Paragraph(escape(h), label_right if numeric[i] else s.label) for i, h in enumerate(header)]
    ]
    for row in rows:
        data.append(
            [
                Paragraph(escape(v).replace("\n", "<br/>"), right if numeric[i] else cell)
                for i, v in enumerate(row)
            ]
        )
    return _style(RecordTable(data, colWidths=widths, repeatRows=1))


def first_and_latest(target: TargetRecord, history: Sequence[HistoryPoint]) -> tuple[str, str]:
    """The assessment SUD (else the first rating) and the last rating (else the assessment)."""
    first = target.sud if target.sud is not None else (history[0].value if history else None)
    latest = history[-1].value if history else target.sud
    return _score(first), _score(latest)


def emdr_targets(part: ChartPart) -> list[Flowable]:
    emdr = part.services.emdr
    targets = emdr.list_targets(part.client.id)
    if not targets:
        return []
    r = part.renderer
    s = r.styles
    histories = {t.id: emdr.sud_history(t.id) for t in targets}
    rows: list[list[str]] = []
    for number, t in enumerate(targets, start=1):
        first, latest = first_and_latest(t, histories[t.id])
        cognitions = f"NC: {t.negative_cognition or '—'}\nPC: {t.positive_cognition or '—'}"
        rows.append(
            [
                str(number),
                t.title,
                c.TARGET_KIND_LABELS.get(t.kind, t.kind),
                c.TARGET_STATUS_LABELS.get(t.status, t.status),
                cognitions,
                first,
                latest,
            ]
        )
    widths = [8 * mm, 42 * mm, 26 * mm, 22 * mm, 0.0, 16 * mm, 16 * mm]
    widths[4] = r.width - sum(widths)
    header = ("#", "TARGET", "KIND", "STATUS", "NC / PC", "FIRST SUD", "LATEST SUD")
    plan = _table(part, header, rows, widths)
    out: list[Flowable] = [
        CondPageBreak(50 * mm),
        Paragraph(TARGETS_TITLE, s.part),
        Paragraph("In the order of the target sequence plan.", s.small),
        Spacer(1, 3),
        plan,
    ]
    if part.start is not None or part.end is not None:
        out.append(Paragraph("SUD histories cover all sessions, not only the range.", s.small))
    for number, t in enumerate(targets, start=1):
        history = histories[t.id]
        title = Paragraph(escape(f"{number}. {t.title} — SUD history"), s.heading)
        if not history:
            note = Paragraph("No SUD recorded after the assessment.", s.small)
            out.append(KeepTogether([Spacer(1, 6), title, Spacer(1, 2), note]))
            continue
        points = [
            [r.moment(p.at), SOURCE_LABELS.get(p.source, p.source), str(p.value)] for p in history
        ]
        table = _table(part, ("DATE", "SOURCE", "SUD"), points, [60 * mm, 40 * mm, 16 * mm])
        table.hAlign = "LEFT"
        out.append(KeepTogether([Spacer(1, 6), title, Spacer(1, 2), table]))
    return out


register_section("session", "emdr_worksheet", emdr_worksheet, order=320)
register_section("session", "art_worksheet", art_worksheet, order=340)
register_section("session", "rescripting_worksheet", rescripting_worksheet, order=360)
register_section("chart", "emdr_targets", emdr_targets, order=450)
