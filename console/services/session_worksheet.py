"""What every one-per-session worksheet service shares: find, create on first save, save.

ART and imagery rescripting each keep one row per session; only their
fields, defaults, record type and what search finds in them differ, declared
by the subclass.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from console.services import search
from console.services import validation as v
from console.services.base import Service
from models import Session


class _Identified(Protocol):
    @property
    def id(self) -> uuid.UUID: ...


M = TypeVar("M")
R = TypeVar("R", bound=_Identified)


class SessionWorksheetService(Service, Generic[M, R]):
    model: ClassVar[type[Any]]
    kind: ClassVar[str]  # audit and change-bus name, e.g. "art_worksheet"
    defaults: ClassVar[dict[str, object]] = {}
    to_record: Callable[[M], R]
    search_kind: ClassVar[str]
    search_title: ClassVar[str | None] = None  # the field a hit is titled by, if any
    search_text: ClassVar[tuple[str, ...]]

    @classmethod
    def index_row(cls, db: DbSession, row: Any) -> None:
        """Index the worksheet under its session's client; saved rows and the catch-up alike."""
        session = db.get(Session, row.session_id)
        assert session is not None
        title = getattr(row, cls.search_title) if cls.search_title else ""
        body = "\n".join(getattr(row, name) for name in cls.search_text)
        search.index(db, cls.search_kind, row.id, session.client_id, title, body)

    def get(self, session_id: uuid.UUID) -> R | None:
        with self.unit() as db:
            session = self.fetch(db, Session, v.record_id("session", session_id), "session")
            row = self._row(db, session.id)
            return None if row is None else self.to_record(row)

    def get_or_create(self, session_id: uuid.UUID) -> R:
        with self.unit() as db:
            session = self.fetch(db, Session, v.record_id("session", session_id), "session")
            row = self._row(db, session.id)
            if row is not None:
                return self.to_record(row)
            record = self.to_record(self._new(db, session))
        self.changes.emit(self.kind, record.id, "created")
        return record

    def _save_values(self, session_id: uuid.UUID, values: dict[str, object]) -> R:
        """Write already-validated values; the audit names the fields that changed."""
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
            self.index_row(db, row)
            record = self.to_record(row)
            self.audit(db, "update", self.kind, record.id, "fields: " + ", ".join(changed))
        self.changes.emit(self.kind, record.id, "created" if created else "updated")
        return record

    def _row(self, db: DbSession, session_id: uuid.UUID) -> M | None:
        found: M | None = db.scalar(select(self.model).where(self.model.session_id == session_id))
        return found

    def _new(self, db: DbSession, session: Session) -> M:
        row: M = self.model(session_id=session.id, **self.defaults)
        db.add(row)
        db.flush()
        self.index_row(db, row)
        self.audit(db, "create", self.kind, self.to_record(row).id)
        return row
