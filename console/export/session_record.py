"""The record of one session: who, when, what kind, and every note with its signature."""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from reportlab.platypus import Flowable, Paragraph, Spacer

from console.export import formatting as fmt
from console.export.diagnoses import diagnoses_block
from console.export.document import DocumentRenderer
from console.export.sections import SessionPart, session_sections
from console.services.bundle import Services
from console.services.clients import ClientRecord
from console.services.clinician import ClinicianRecord
from console.services.notes import NoteRecord
from console.services.programs import GoalRecord, ProgramRecord
from console.services.sessions import SessionRecord


class SessionRecordRenderer(DocumentRenderer):
    kind: ClassVar[str] = "Session record"

    def __init__(
        self,
        clinician: ClinicianRecord,
        services: Services,
        client: ClientRecord,
        session: SessionRecord,
        notes: tuple[NoteRecord, ...],
        program: ProgramRecord | None = None,
        goals: dict[uuid.UUID, GoalRecord] | None = None,
        *,
        include_psychotherapy: bool = False,
        **options: Any,
    ) -> None:
        super().__init__(clinician, **options)
        self.services = services
        self.client = client
        self.session = session
        self.notes = tuple(n for n in notes if include_psychotherapy or not n.is_psychotherapy)
        self.program = program
        self.goals = goals or {}
        self.include_psychotherapy = include_psychotherapy

    def subject_line(self) -> str:
        return (
            f"{self.client.name} · ID {fmt.short_id(self.client.id)} · "
            f"session {fmt.day(fmt.local(self.session.starts_at, self.tz).date())}"
        )

    def story(self) -> list[Flowable]:
        s = self.styles
        session, client = self.session, self.client
        when = fmt.local(session.starts_at, self.tz)
        story: list[Flowable] = [
            *self.letterhead(),
            *self.title_block(
                "Session record", f"{fmt.session_kind(session.kind)} · {fmt.day(when.date())}"
            ),
            self.fact_strip(
                [
                    ("Client", client.display_name),
                    (
                        "Date of birth",
                        fmt.day(client.date_of_birth) if client.date_of_birth else "",
                    ),
                    ("Client ID", fmt.short_id(client.id)),
                ],
                widths=[self.width * 0.5, self.width * 0.25, self.width * 0.25],
            ),
            Spacer(1, 4),
            self.fact_strip(
                [
                    ("Date and time", self.moment(session.starts_at)),
                    ("Type", fmt.session_kind(session.kind)),
                    ("Duration", fmt.minutes(session.duration_min)),
                    ("Location", fmt.location(session.location)),
                ],
                widths=[self.width * 0.34, self.width * 0.26, self.width * 0.16, self.width * 0.24],
            ),
        ]
        details = []
        if self.program is not None:
            details.append(
                ("Program", f"{self.program.title} ({fmt.program_kind(self.program.kind)})")
            )
        if session.title:
            details.append(("Session title", session.title))
        if details:
            story += [Spacer(1, 4), self.fact_strip(details)]
        if client.diagnoses:
            story += [Spacer(1, 8), *diagnoses_block(self, client.diagnoses)]
        story.append(Spacer(1, 6))
        part = SessionPart(
            renderer=self,
            services=self.services,
            client=client,
            session=session,
            notes=self.notes,
            program=self.program,
            goals=self.goals,
            include_psychotherapy=self.include_psychotherapy,
            in_chart=False,
        )
        for build in session_sections():
            story += build(part)
        story += [Spacer(1, 12), Paragraph("End of session record", s.small_right)]
        return story
