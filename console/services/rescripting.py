"""Imagery rescripting (Arntz) worksheets, one per session.

Distress before and after is a 0-10 SUD (no standard scale exists). The audit
trail names the fields changed, never what was written in them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, fields

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from console.clinical import rescripting as r
from console.errors import ValidationError
from console.services import validation as v
from console.services.base import Service
from models import RescriptingWorksheet, Session


@dataclass(frozen=True)
class RescriptingFields:
    memory: str = ""
    hotspot: str = ""
    emotions: str = ""
    unmet_needs: str = ""
    who_rescripts: r.WhoRescripts = "therapist"
    rescript: str = ""
    new_meaning: str = ""
    distress_before: int | None = None
    distress_after: int | None = None


@dataclass(frozen=True)
class RescriptingRecord(RescriptingFields):
    id: uuid.UUID = uuid.UUID(int=0)
    session_id: uuid.UUID = uuid.UUID(int=0)

    @property
    def fields(self) -> RescriptingFields:
        return RescriptingFields(
            **{f.name: getattr(self, f.name) for f in fields(RescriptingFields)}
        )


def to_record(row: RescriptingWorksheet) -> RescriptingRecord:
    values = {f.name: getattr(row, f.name) for f in fields(RescriptingFields)}
    return RescriptingRecord(**values, id=row.id, session_id=row.session_id)


def _distress(field: str, value: object) -> int | None:
    if value is None:
        return None
    return v.integer(field, value, r.DISTRESS_MIN, r.DISTRESS_MAX)


def _values(data: RescriptingFields) -> dict[str, object]:
    if data.who_rescripts not in r.WHO_RESCRIPTS:
        raise ValidationError("who_rescripts", "must be one of: " + ", ".join(r.WHO_RESCRIPTS))
    values: dict[str, object] = {
        name: v.text(name, getattr(data, name))
        for name in ("memory", "hotspot", "emotions", "unmet_needs", "rescript", "new_meaning")
    }
    values["who_rescripts"] = data.who_rescripts
    values["distress_before"] = _distress("distress_before", data.distress_before)
    values["distress_after"] = _distress("distress_after", data.distress_after)
    return values


class RescriptingService(Service):
    def get(self, session_id: uuid.UUID) -> RescriptingRecord | None:
        with self.unit() as db:
            session = self.fetch(db, Session, v.record_id("session", session_id), "session")
            row = self._row(db, session.id)
            return None if row is None else to_record(row)

    def get_or_create(self, session_id: uuid.UUID) -> RescriptingRecord:
        with self.unit() as db:
            session = self.fetch(db, Session, v.record_id("session", session_id), "session")
            row = self._row(db, session.id)
            if row is not None:
                return to_record(row)
            row = self._new(db, session)
            record = to_record(row)
        self.changes.emit("rescripting_worksheet", record.id, "created")
        return record

    def save(self, session_id: uuid.UUID, data: RescriptingFields) -> RescriptingRecord:
        """Save the worksheet (created if need be); every field checked first."""
        values = _values(data)
        with self.unit() as db:
            session = self.fetch(db, Session, v.record_id("session", session_id), "session")
            row = self._row(db, session.id)
            created = row is None
            if row is None:
                row = self._new(db, session)
            changed = sorted(k for k, val in values.items() if getattr(row, k) != val)
            for key, val in values.items():
                setattr(row, key, val)
            db.flush()
            self.audit(
                db, "update", "rescripting_worksheet", row.id, "fields: " + ", ".join(changed)
            )
            record = to_record(row)
        self.changes.emit("rescripting_worksheet", record.id, "created" if created else "updated")
        return record

    @staticmethod
    def _row(db: DbSession, session_id: uuid.UUID) -> RescriptingWorksheet | None:
        return db.scalar(
            select(RescriptingWorksheet).where(RescriptingWorksheet.session_id == session_id)
        )

    def _new(self, db: DbSession, session: Session) -> RescriptingWorksheet:
        row = RescriptingWorksheet(session_id=session.id, who_rescripts="therapist")
        db.add(row)
        db.flush()
        self.audit(db, "create", "rescripting_worksheet", row.id)
        return row
