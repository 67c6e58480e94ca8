"""The full client chart over an optional date range, built from the registered sections."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any, ClassVar

from reportlab.platypus import Flowable, Paragraph, Spacer

from console.export import formatting as fmt
from console.export.document import DocumentRenderer
from console.export.sections import ChartPart, chart_sections
from console.services.bundle import Services
from console.services.clients import ClientRecord
from console.services.clinician import ClinicianRecord
from console.services.notes import NoteRecord
from console.services.programs import ProgramRecord
from console.services.sessions import SessionRecord


class ClientChartRenderer(DocumentRenderer):
    kind: ClassVar[str] = "Client chart"

    def __init__(
        self,
        clinician: ClinicianRecord,
        services: Services,
        client: ClientRecord,
        programs: tuple[ProgramRecord, ...],
        sessions: tuple[SessionRecord, ...],
        notes: tuple[NoteRecord, ...],
        *,
        start: date | None = None,
        end: date | None = None,
        include_psychotherapy: bool = False,
        **options: Any,
    ) -> None:
        """`sessions` are those in range, oldest first; `notes` are theirs (any order)."""
        super().__init__(clinician, **options)
        self.services = services
        self.client = client
        self.programs = programs
        self.sessions = sessions
        wanted = {s.id for s in sessions}
        by_session: dict[uuid.UUID, list[NoteRecord]] = {}
        apart: list[NoteRecord] = []
        for note in notes:
            if note.session_id not in wanted:
                continue
            if note.is_psychotherapy:
                if include_psychotherapy:
                    apart.append(note)
            else:
                by_session.setdefault(note.session_id, []).append(note)
        self.notes = {k: tuple(v) for k, v in by_session.items()}
        order = {s.id: i for i, s in enumerate(sessions)}
        self.psychotherapy_notes = tuple(
            sorted(apart, key=lambda n: (order[n.session_id], n.created_at))
        )
        self.start, self.end = start, end
        self.include_psychotherapy = include_psychotherapy

    def subject_line(self) -> str:
        return f"{self.client.name} · ID {fmt.short_id(self.client.id)}"

    def story(self) -> list[Flowable]:
        s = self.styles
        client = self.client
        notes = [n for group in self.notes.values() for n in group]
        signed = sum(1 for n in notes if n.is_signed)
        summary = (
            f"{len(self.sessions)} session{'s' if len(self.sessions) != 1 else ''} · "
            f"{len(notes)} note{'s' if len(notes) != 1 else ''} "
            f"({signed} signed, {len(notes) - signed} draft)"
        )
        if self.include_psychotherapy:
            summary += (
                f" · includes {len(self.psychotherapy_notes)} psychotherapy "
                f"note{'s' if len(self.psychotherapy_notes) != 1 else ''}, kept apart at the end"
            )
        story: list[Flowable] = [
            *self.letterhead(),
            *self.title_block("Client chart", client.display_name),
            self.fact_strip(
                [
                    ("Client", client.name),
                    (
                        "Date of birth",
                        fmt.day(client.date_of_birth) if client.date_of_birth else "",
                    ),
                    ("Client ID", fmt.short_id(client.id)),
                    ("Period", self.date_range(self.start, self.end)),
                ],
                widths=[self.width * 0.34, self.width * 0.18, self.width * 0.16, self.width * 0.32],
            ),
            Spacer(1, 5),
            Paragraph(summary, s.small),
        ]
        goals = {g.id: g for p in self.programs for g in p.goals}
        part = ChartPart(
            renderer=self,
            services=self.services,
            client=client,
            programs=self.programs,
            sessions=self.sessions,
            notes=self.notes,
            psychotherapy_notes=self.psychotherapy_notes,
            start=self.start,
            end=self.end,
            include_psychotherapy=self.include_psychotherapy,
            goals=goals,
        )
        for build in chart_sections():
            story += build(part)
        story += [Spacer(1, 14), Paragraph("End of client chart", s.small_right)]
        return story
