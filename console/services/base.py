"""What every service shares: units of work, the one write path, the change bus.

Every write runs through `Service.write`: the vault serialises it (one
writer at a time in this process, `BEGIN IMMEDIATE` against any other), the
write records its audit events through the `Write` it is handed, and after
the commit one `Changes` is announced, or nothing if nothing was audited.
An audit event is how a write says it changed something, so a save of
unchanged text neither grows the trail nor wakes a view.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TypeVar

from sqlalchemy.orm import Session as DbSession

from console.errors import NotFoundError
from console.services import audit
from console.services.changes import (
    NOTHING,
    Action,
    ChangeBus,
    Changes,
    Kind,
    current_initiator,
)
from console.vault import Vault

T = TypeVar("T")


class Write:
    """One write in progress: its database session, its audit events, what it touched."""

    def __init__(self, db: DbSession, actor: str, action: Action) -> None:
        self.db = db
        self.action = action
        self._actor = actor
        self._audited = False
        self._kinds: set[Kind] = set()
        self._records: set[uuid.UUID] = set()
        self._clients: set[uuid.UUID] = set()
        self._sessions: set[uuid.UUID] = set()
        self.changes = NOTHING

    def audit(self, action: str, kind: str, record: object, detail: str = "") -> None:
        """Record an audit event; a write that records none has changed nothing."""
        audit.append(self.db, self._actor, action, kind, str(record), detail)
        self._audited = True

    def touched(
        self,
        kind: Kind,
        record: uuid.UUID | None = None,
        *,
        client: uuid.UUID | None = None,
        session: uuid.UUID | None = None,
    ) -> None:
        """Say which records the announcement names (only if the write is audited)."""
        self._kinds.add(kind)
        for ids, value in (
            (self._records, record),
            (self._clients, client),
            (self._sessions, session),
        ):
            if value is not None:
                ids.add(value)

    def _finish(self) -> Changes:
        if not self._audited or not self._kinds:
            return NOTHING
        return Changes(
            self.action,
            frozenset(self._kinds),
            frozenset(self._records),
            frozenset(self._clients),
            frozenset(self._sessions),
            current_initiator(),
        )


class Service:
    def __init__(self, vault: Vault, changes: ChangeBus) -> None:
        self.vault = vault
        self.changes = changes

    @contextmanager
    def unit(self) -> Iterator[DbSession]:
        """A unit of work for reading; writes go through `write`."""
        with self.vault.session() as db:
            yield db

    @contextmanager
    def write(self, action: Action = Action.UPDATED) -> Iterator[Write]:
        """The one write path: serialised, audited, announced once after the commit."""
        with self.vault.session(write=True) as db:
            op = Write(db, self.vault.actor, action)
            yield op
            op.changes = op._finish()
        self.changes.emit(op.changes)

    @staticmethod
    def fetch(db: DbSession, model: type[T], record: uuid.UUID, what: str) -> T:
        found = db.get(model, record)
        if found is None:
            raise NotFoundError(f"no {what} with id {record}")
        return found
