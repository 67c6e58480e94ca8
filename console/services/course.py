"""A client's course: program templates, laying a program's sessions out, and the timeline.

The clinic's templates live in the vault (they hold no client data, but they
travel with the records they shaped). A new vault gets the two defaults on
first use. The timeline joins each session with what was done in it
(medicine, EMDR, ART, rescripting, IFS), so the overview and the chart
can show the course at a glance without asking every service per session.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.orm import Session as DbSession

from console.clinical import course as c
from console.errors import ValidationError
from console.services import validation as v
from console.services.base import Service, Write
from console.services.changes import Action, Kind
from console.services.sessions import SessionRecord, to_record
from models import (
    ArtWorksheet,
    BlsSet,
    Client,
    EmdrSessionWork,
    IfsPartWork,
    IfsSessionMap,
    MedicineSession,
    Program,
    ProgramTemplate,
    RescriptingWorksheet,
    Session,
    SessionAttendance,
    SessionKind,
)

MODALITY_LABELS: dict[str, str] = {
    "medicine": "Medicine",
    "emdr": "EMDR",
    "art": "ART",
    "rescripting": "Rescripting",
    "ifs": "IFS",
}


@dataclass(frozen=True)
class TemplateRecord:
    id: uuid.UUID
    template: c.Template

    @property
    def name(self) -> str:
        return self.template.name


@dataclass(frozen=True)
class CourseEntry:
    """One session in the course, with the approaches used in it."""

    session: SessionRecord
    modalities: tuple[str, ...]  # keys of MODALITY_LABELS

    @property
    def attendance(self) -> SessionAttendance:
        return self.session.attendance


@dataclass(frozen=True)
class Tally:
    done: int
    planned: int
    missed: int
    cancelled: int

    @property
    def summary(self) -> str:
        return f"{self.done} done, {self.planned} planned, {self.missed} missed" + (
            f", {self.cancelled} cancelled" if self.cancelled else ""
        )


def _template(row: ProgramTemplate) -> TemplateRecord:
    steps = tuple(c.Step(int(s["day"]), str(s["kind"]), str(s.get("title", ""))) for s in row.steps)
    return TemplateRecord(row.id, c.Template(row.name, row.kind, steps))


def _steps_json(template: c.Template) -> list[dict[str, object]]:
    return [{"day": s.day, "kind": s.kind, "title": s.title} for s in template.steps]


def local_day_at(start: datetime, days: int) -> datetime:
    """The same wall-clock time `days` later, across a daylight-saving change."""
    local = start.astimezone().replace(tzinfo=None) + timedelta(days=days)
    return local.astimezone()


class CourseService(Service):
    # -- templates ----------------------------------------------------------------

    def templates(self) -> list[TemplateRecord]:
        """The clinic's templates; a vault that never had any starts with the defaults."""
        with self.unit() as db:
            missing = db.scalar(select(ProgramTemplate.id).limit(1)) is None
        if missing:
            with self.write(Action.CREATED) as op:
                self._ensure_defaults(op)
        with self.unit() as db:
            rows = db.scalars(
                select(ProgramTemplate)
                .where(ProgramTemplate.archived.is_(False))
                .order_by(ProgramTemplate.created_at, ProgramTemplate.name)
            ).all()
            return [_template(r) for r in rows]

    @staticmethod
    def _ensure_defaults(op: Write) -> None:
        if op.db.scalar(select(ProgramTemplate.id).limit(1)) is not None:
            return
        for template in c.DEFAULT_TEMPLATES:
            row = ProgramTemplate(
                name=template.name, kind=template.kind, steps=_steps_json(template)
            )
            op.db.add(row)
            op.db.flush()
            op.audit("create", "program_template", row.id, "default")
            op.touched(Kind.PROGRAM_TEMPLATE, row.id)

    def save_template(
        self, template: c.Template, template_id: uuid.UUID | None = None
    ) -> TemplateRecord:
        checked = c.check_template(template)
        with self.write(Action.CREATED if template_id is None else Action.UPDATED) as op:
            db = op.db
            self._ensure_defaults(op)
            if template_id is None:
                row = ProgramTemplate(name=checked.name, kind=checked.kind, steps=[])
                db.add(row)
                action = "create"
            else:
                row = self.fetch(
                    db, ProgramTemplate, v.record_id("template", template_id), "template"
                )
                action = "update"
            row.name, row.kind, row.steps = checked.name, checked.kind, _steps_json(checked)
            db.flush()
            op.audit(action, "program_template", row.id, f"steps {len(checked.steps)}")
            op.touched(Kind.PROGRAM_TEMPLATE, row.id)
            return _template(row)

    def remove_template(self, template_id: uuid.UUID) -> None:
        """Templates are archived, not deleted: programs laid out from them stay explained."""
        with self.write(Action.DELETED) as op:
            row = self.fetch(
                op.db, ProgramTemplate, v.record_id("template", template_id), "template"
            )
            row.archived = True
            op.audit("archive", "program_template", row.id)
            op.touched(Kind.PROGRAM_TEMPLATE, row.id)

    # -- laying out -------------------------------------------------------------------

    def lay_out(
        self, program_id: uuid.UUID, template_id: uuid.UUID, first: datetime
    ) -> list[SessionRecord]:
        """Create the program's sessions from a template, the first at `first`; all planned."""
        start = v.instant("First session", first)
        with self.write(Action.CREATED) as op:
            db = op.db
            program = self.fetch(db, Program, v.record_id("program", program_id), "program")
            row = self.fetch(db, ProgramTemplate, v.record_id("template", template_id), "template")
            template = c.check_template(_template(row).template)
            existing = db.scalar(
                select(Session.id)
                .where(Session.program_id == program.id, Session.attendance == "planned")
                .limit(1)
            )
            if existing is not None:
                raise ValidationError(
                    "Program", "already has planned sessions: reschedule them instead"
                )
            created: list[Session] = []
            for step in template.steps:
                session = Session(
                    client_id=program.client_id,
                    program_id=program.id,
                    starts_at=local_day_at(start, step.day),
                    kind=SessionKind(step.kind),
                    duration_min=120 if step.kind == "medicine" else 50,
                    title=step.title,
                    attendance=SessionAttendance.PLANNED,
                )
                db.add(session)
                created.append(session)
            last = local_day_at(start, template.steps[-1].day).date()
            if program.end_date is None or program.end_date < last:
                program.end_date = last
            db.flush()
            op.audit("create", "program_layout", program.id, f"sessions {len(created)}")
            op.touched(Kind.PROGRAM, program.id, client=program.client_id)
            for session in created:
                op.touched(Kind.SESSION, session.id, client=program.client_id, session=session.id)
            return [to_record(s) for s in created]

    def move(self, session_id: uuid.UUID, day: date) -> SessionRecord:
        """Drag to another day: same time of day, same everything else."""
        with self.write() as op:
            db = op.db
            session = self.fetch(db, Session, v.record_id("session", session_id), "session")
            local = session.starts_at.astimezone()
            target = datetime.combine(v.a_date("Day", day, required=True), local.time())  # type: ignore[arg-type]
            session.starts_at = target.astimezone()
            db.flush()
            op.audit("update", "session", session.id, "fields: starts_at")
            op.touched(Kind.SESSION, session.id, client=session.client_id, session=session.id)
            return to_record(session)

    # -- reading ------------------------------------------------------------------------

    def program_sessions(self, program_id: uuid.UUID) -> list[CourseEntry]:
        with self.unit() as db:
            program = self.fetch(db, Program, v.record_id("program", program_id), "program")
            sessions = db.scalars(
                select(Session).where(Session.program_id == program.id).order_by(Session.starts_at)
            ).all()
            return self._entries(db, list(sessions))

    def timeline(self, client_id: uuid.UUID) -> list[CourseEntry]:
        """Every session of the client, oldest first, with the approaches used in each."""
        with self.unit() as db:
            client = self.fetch(db, Client, v.record_id("client", client_id), "client")
            sessions = db.scalars(
                select(Session).where(Session.client_id == client.id).order_by(Session.starts_at)
            ).all()
            return self._entries(db, list(sessions))

    @staticmethod
    def tally(entries: list[CourseEntry]) -> Tally:
        count = {a: 0 for a in SessionAttendance}
        for entry in entries:
            count[entry.attendance] += 1
        return Tally(
            count[SessionAttendance.DONE],
            count[SessionAttendance.PLANNED],
            count[SessionAttendance.MISSED],
            count[SessionAttendance.CANCELLED],
        )

    def _entries(self, db: DbSession, sessions: list[Session]) -> list[CourseEntry]:
        ids = [s.id for s in sessions]
        if not ids:
            return []
        used: dict[uuid.UUID, set[str]] = {i: set() for i in ids}
        sources: tuple[tuple[str, InstrumentedAttribute[uuid.UUID]], ...] = (
            ("medicine", MedicineSession.session_id),
            ("emdr", EmdrSessionWork.session_id),
            ("emdr", BlsSet.session_id),
            ("art", ArtWorksheet.session_id),
            ("rescripting", RescriptingWorksheet.session_id),
            ("ifs", IfsSessionMap.session_id),
            ("ifs", IfsPartWork.session_id),
        )
        for key, column in sources:
            for session_id in db.scalars(select(column).where(column.in_(ids)).distinct()):
                used[session_id].add(key)
        for session in sessions:
            if session.kind is SessionKind.MEDICINE:
                used[session.id].add("medicine")
        order = list(MODALITY_LABELS)
        return [
            CourseEntry(to_record(s), tuple(k for k in order if k in used[s.id])) for s in sessions
        ]
