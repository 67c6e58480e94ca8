"""How a note prints, in the session record and in the chart alike.

Each note shows its template's sections under their headings, then either
the signature (signer, time, and the SHA-256 stored at signing, so a reader
can check the paper against the vault) or an unmissable draft marker; then
its addenda, each with author, time and its own signature or draft marker.
A psychotherapy note always carries its "kept apart" label.
"""

from __future__ import annotations

import uuid

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from console.clinical.note_templates import Template, template
from console.export.document import DocumentRenderer, RecordTable
from console.export.fonts import MONO
from console.export.sections import SessionPart, register_section
from console.export.styles import (
    ACCENT,
    APART,
    APART_LIGHT,
    DRAFT,
    DRAFT_LIGHT,
    MUTED,
    PANEL,
    SIGNED,
)
from console.export.text import escape
from console.services.notes import AddendumRecord, NoteRecord
from console.services.programs import GoalRecord

DRAFT_TITLE = "DRAFT — not signed"
PSYCHOTHERAPY_TITLE = "Psychotherapy note — kept apart from the clinical record"
PSYCHOTHERAPY_TEXT = (
    "Process notes kept separately from the medical record (45 CFR 164.501). "
    "Included in this export only because the clinician chose to include them."
)


def note_block(
    r: DocumentRenderer,
    note: NoteRecord,
    goals: dict[uuid.UUID, GoalRecord] | None = None,
    *,
    apart_label: bool = True,
) -> list[Flowable]:
    """One note: heading, label, sections, goals, signature or draft marker, addenda.

    `apart_label=False` leaves out the psychotherapy banner where the whole
    part already carries it (the chart's last part); the heading still names it.
    """
    tpl = template(note.template)
    out: list[Flowable] = [Spacer(1, 6), _note_heading(r, note, tpl.label), Spacer(1, 4)]
    out += _note_banners(r, note, apart_label)
    out += _note_sections(r, note, tpl)
    out += _goals_worked_on(r, note, goals)
    if note.is_signed and note.signed_at is not None:
        out += [
            Spacer(1, 5),
            signature(r, note.signer_name, r.moment(note.signed_at), note.content_hash),
        ]
    for number, addendum in enumerate(note.addenda, 1):
        out += addendum_block(r, addendum, number)
    out.append(Spacer(1, 10))
    return out


def _note_heading(r: DocumentRenderer, note: NoteRecord, label: str) -> Table:
    """The template's name, and whether the note is signed, over a rule kept with what follows."""
    s = r.styles
    status = (
        Paragraph("Signed", s.heading_right.clone("signed", textColor=SIGNED))
        if note.is_signed
        else Paragraph(DRAFT_TITLE, s.heading_right.clone("draft", textColor=DRAFT))
    )
    head = RecordTable(
        [[Paragraph(escape(label), s.heading), status]],
        colWidths=[r.width * 0.62, r.width * 0.38],
    )
    head.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("LINEBELOW", (0, 0), (-1, -1), 0.6, ACCENT),
            ]
        )
    )
    head.keepWithNext = True
    return head


def _note_banners(r: DocumentRenderer, note: NoteRecord, apart_label: bool) -> list[Flowable]:
    out: list[Flowable] = []
    if note.is_psychotherapy and apart_label:
        out += [r.banner(PSYCHOTHERAPY_TITLE, PSYCHOTHERAPY_TEXT, APART, APART_LIGHT), Spacer(1, 4)]
    if not note.is_signed:
        out += [
            r.banner(
                DRAFT_TITLE,
                f"Last saved {r.moment(note.updated_at)}. This note can still change and is "
                "not part of the signed record.",
                DRAFT,
                DRAFT_LIGHT,
            ),
            Spacer(1, 2),
        ]
    return out


def _note_sections(r: DocumentRenderer, note: NoteRecord, tpl: Template) -> list[Flowable]:
    """The template's sections in its order, then any the template no longer has."""
    s = r.styles
    out: list[Flowable] = []
    labels = {section.key: section.label for section in tpl.sections}
    keys = list(labels) + [k for k in note.sections if k not in labels]
    for key in keys:
        out.append(
            Paragraph(escape(labels.get(key, key.replace("_", " ").capitalize())), s.section)
        )
        out += r.text(note.sections.get(key, ""))
    return out


def _goals_worked_on(
    r: DocumentRenderer, note: NoteRecord, goals: dict[uuid.UUID, GoalRecord] | None
) -> list[Flowable]:
    s = r.styles
    out: list[Flowable] = []
    worked_on = [goals[g] for g in note.goal_ids if goals and g in goals]
    if worked_on:
        out.append(Paragraph("Goals worked on", s.section))
        out += [r.para(f"• {goal.text}", s.body) for goal in worked_on]
    return out


def signature(r: DocumentRenderer, signer: str, when: str, content_hash: str) -> Table:
    """Who signed, when, and the SHA-256 of the signed content, on a small panel."""
    s = r.styles
    width = r.width
    rows = [
        [
            r.para(f"Electronically signed by {signer}", s.small.clone("sig", textColor=SIGNED)),
            Paragraph(escape(when), s.small_right),
        ],
        [
            Paragraph(
                f'<font name="{MONO}">SHA-256 {escape(content_hash)}</font>',
                s.mono.clone("hash", textColor=MUTED),
            ),
            "",
        ],
    ]
    table = RecordTable(rows, colWidths=[width * 0.68, width * 0.32])
    table.setStyle(
        TableStyle(
            [
                ("SPAN", (0, 1), (-1, 1)),
                ("BACKGROUND", (0, 0), (-1, -1), PANEL),
                ("LINEBEFORE", (0, 0), (0, -1), 2.5, SIGNED),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                ("TOPPADDING", (0, 0), (-1, 0), 5),
                ("BOTTOMPADDING", (0, 0), (-1, 0), 1),
                ("TOPPADDING", (0, 1), (-1, 1), 1),
                ("BOTTOMPADDING", (0, 1), (-1, 1), 5),
            ]
        )
    )
    return table


def addendum_block(r: DocumentRenderer, addendum: AddendumRecord, number: int) -> list[Flowable]:
    """An addendum, indented under its note: author, time, text, then signature or draft."""
    s = r.styles
    indent = 14
    body = ParagraphStyle(f"addendum-{number}", parent=s.body, leftIndent=indent)
    heading = s.section.clone("addendum-heading", leftIndent=indent, textColor=MUTED)
    out: list[Flowable] = [
        Spacer(1, 4),
        r.para(
            f"Addendum {number} · {addendum.author_name} · {r.moment(addendum.created_at)}",
            heading,
        ),
    ]
    out += r.text(addendum.text, body, r.width - indent)
    if addendum.is_signed and addendum.signed_at is not None:
        out.append(
            r.para(
                f"Signed {r.moment(addendum.signed_at)}",
                s.small.clone("addendum-signed", leftIndent=indent, textColor=SIGNED),
            )
        )
        out.append(
            Paragraph(
                f"SHA-256 {escape(addendum.content_hash)}",
                s.mono.clone("addendum-hash", leftIndent=indent, textColor=MUTED),
            )
        )
    else:
        out.append(
            Paragraph(
                f"{DRAFT_TITLE} — this addendum can still change",
                s.small.clone("addendum-draft", leftIndent=indent, textColor=DRAFT),
            )
        )
    return out


def notes_section(part: SessionPart) -> list[Flowable]:
    """The session's notes: the record's notes first, then any psychotherapy note chosen."""
    r = part.renderer
    notes = [n for n in part.notes if not n.is_psychotherapy]
    if part.include_psychotherapy:
        notes += [n for n in part.notes if n.is_psychotherapy]
    if not notes:
        return [Paragraph("No notes for this session.", r.styles.empty)]
    out: list[Flowable] = []
    for note in notes:
        out += note_block(r, note, part.goals)
    return out


register_section("session", "notes", notes_section, order=500)
