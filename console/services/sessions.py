"""Sessions: an appointment with a client, of a kind, at a time."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select

from console.errors import ValidationError
from console.services import validation as v
from console.services.base import Service
from console.services.changes import Action, Kind
from models import Client, Note, Program, Session, SessionAttendance, SessionKind, SessionLocation


@dataclass(frozen=True)
class SessionFields:
    starts_at: datetime
    kind: SessionKind
    duration_min: int = 50
    location: SessionLocation = SessionLocation.IN_PERSON
    program_id: uuid.UUID | None = None
    title: str = ""
    # None: planned if it starts in the future, else done (on update: unchanged)
    attendance: SessionAttendance | None = None


@dataclass(frozen=True)
class SessionRecord:
    id: uuid.UUID
    client_id: uuid.UUID
    program_id: uuid.UUID | None
    starts_at: datetime
    duration_min: int
    kind: SessionKind
    location: SessionLocation
    title: str
    note_count: int = 0
    attendance: SessionAttendance = SessionAttendance.DONE


def to_record(s: Session, note_count: int = 0) -> SessionRecord:
    return SessionRecord(
        s.id,
        s.client_id,
        s.program_id,
        s.starts_at,
        s.duration_min,
        s.kind,
        s.location,
        s.title,
        note_count,
        SessionAttendance(s.attendance),
    )


class SessionService(Service):
    def _validated(
        self, db: object, client_id: uuid.UUID, data: SessionFields
    ) -> dict[str, object]:
        program_id = None
        if data.program_id is not None:
            program_id = v.record_id("program", data.program_id)
            program = db.get(Program, program_id)  # type: ignore[attr-defined]
            if program is None or program.client_id != client_id:
                raise ValidationError("program", "belongs to another client or does not exist")
        values: dict[str, object] = {
            "starts_at": v.instant("starts_at", data.starts_at),
            "kind": v.choice("kind", data.kind, SessionKind),
            "duration_min": v.integer("duration_min", data.duration_min, 5, 720),
            "location": v.choice("location", data.location, SessionLocation),
            "program_id": program_id,
            "title": v.line("title", data.title),
        }
        if data.attendance is not None:
            values["attendance"] = v.choice("attendance", data.attendance, SessionAttendance)
        return values

    def create(self, client_id: uuid.UUID, data: SessionFields) -> SessionRecord:
        with self.write(Action.CREATED) as op:
            db = op.db
            client = self.fetch(db, Client, v.record_id("client", client_id), "client")
            values = self._validated(db, client.id, data)
            if "attendance" not in values:
                future = data.starts_at > datetime.now(UTC)
                values["attendance"] = (
                    SessionAttendance.PLANNED if future else SessionAttendance.DONE
                )
            session = Session(client_id=client.id, **values)
            db.add(session)
            db.flush()
            op.audit("create", "session", session.id)
            op.touched(Kind.SESSION, session.id, client=client.id, session=session.id)
            return to_record(session)

    def update(self, session_id: uuid.UUID, data: SessionFields) -> SessionRecord:
        with self.write() as op:
            db = op.db
            session = self.fetch(db, Session, v.record_id("session", session_id), "session")
            values = self._validated(db, session.client_id, data)
            changed = sorted(k for k, val in values.items() if getattr(session, k) != val)
            for key, val in values.items():
                setattr(session, key, val)
            db.flush()
            op.audit("update", "session", session.id, "fields: " + ", ".join(changed))
            op.touched(Kind.SESSION, session.id, client=session.client_id, session=session.id)
            return to_record(session)

    def set_attendance(self, session_id: uuid.UUID, attendance: SessionAttendance) -> SessionRecord:
        """Done, missed, cancelled or back to planned: the calendar's tally."""
        current = self.get(session_id)
        return self.update(
            session_id,
            SessionFields(
                starts_at=current.starts_at,
                kind=current.kind,
                duration_min=current.duration_min,
                location=current.location,
                program_id=current.program_id,
                title=current.title,
                attendance=attendance,
            ),
        )

    def reschedule(
        self, session_id: uuid.UUID, starts_at: datetime, duration_min: int | None = None
    ) -> SessionRecord:
        current = self.get(session_id)
        return self.update(
            session_id,
            SessionFields(
                starts_at=starts_at,
                kind=current.kind,
                duration_min=current.duration_min if duration_min is None else duration_min,
                location=current.location,
                program_id=current.program_id,
                title=current.title,
            ),
        )

    def get(self, session_id: uuid.UUID) -> SessionRecord:
        with self.unit() as db:
            session = self.fetch(db, Session, v.record_id("session", session_id), "session")
            count = db.scalar(select(func.count()).where(Note.session_id == session.id)) or 0
            return to_record(session, count)

    def list_for_client(self, client_id: uuid.UUID) -> list[SessionRecord]:
        """Newest first, with how many notes each has."""
        counts = (
            select(Note.session_id, func.count().label("n")).group_by(Note.session_id).subquery()
        )
        with self.unit() as db:
            rows = db.execute(
                select(Session, counts.c.n)
                .outerjoin(counts, counts.c.session_id == Session.id)
                .where(Session.client_id == v.record_id("client", client_id))
                .order_by(Session.starts_at.desc())
            ).all()
            return [to_record(s, n or 0) for s, n in rows]
