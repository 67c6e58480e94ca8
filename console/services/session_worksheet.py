"""What every one-per-session worksheet service shares: find, create on first save, save.

ART and imagery rescripting each keep one row per session; only their
fields, defaults, record type and what search finds in them differ, declared
by the subclass.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from console.services import search
from console.services import validation as v
from console.services.base import Service, Write
from console.services.changes import Action, Kind
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
        with self.write(Action.CREATED) as op:
            session = self.fetch(op.db, Session, v.record_id("session", session_id), "session")
            row = self._row(op.db, session.id)
            if row is None:
                row = self._new(op, session)
            return self.to_record(row)

    def _save_values(self, session_id: uuid.UUID, values: dict[str, object]) -> R:
        """Write already-validated values; the audit names the fields that changed.

        Unchanged values write nothing, so an autosave of what is stored is silent;
        a change of words alone is `TEXT_SAVED`, one of a number or a step `UPDATED`.
        """
        with self.write() as op:
            session = self.fetch(op.db, Session, v.record_id("session", session_id), "session")
            row = self._row(op.db, session.id)
            if row is None:
                op.action = Action.CREATED
                row = self._new(op, session)
            changed = sorted(k for k, val in values.items() if getattr(row, k) != val)
            if not changed:
                return self.to_record(row)
            if op.action is not Action.CREATED:
                op.action = text_or_update(values[k] for k in changed)
            for key, val in values.items():
                setattr(row, key, val)
            op.db.flush()
            self.index_row(op.db, row)
            record = self.to_record(row)
            op.audit("update", self.kind, record.id, "fields: " + ", ".join(changed))
            self._touched(op, row, session)
            return record

    def _row(self, db: DbSession, session_id: uuid.UUID) -> M | None:
        found: M | None = db.scalar(select(self.model).where(self.model.session_id == session_id))
        return found

    def _new(self, op: Write, session: Session) -> M:
        row: M = self.model(session_id=session.id, **self.defaults)
        op.db.add(row)
        op.db.flush()
        self.index_row(op.db, row)
        op.audit("create", self.kind, self.to_record(row).id)
        self._touched(op, row, session)
        return row

    def _touched(self, op: Write, row: M, session: Session) -> None:
        op.touched(
            Kind(self.kind), self.to_record(row).id, client=session.client_id, session=session.id
        )


def text_or_update(changed: Iterable[object]) -> Action:
    """Words alone changed: an autosave no list shows; anything else is an update."""
    return Action.TEXT_SAVED if all(isinstance(val, str) for val in changed) else Action.UPDATED
