"""What every service shares: the vault's unit of work, the audit trail, the change bus."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TypeVar

from sqlalchemy.orm import Session as DbSession

from console.errors import NotFoundError
from console.services import audit
from console.services.changes import ChangeBus
from console.vault import Vault

T = TypeVar("T")


class Service:
    def __init__(self, vault: Vault, changes: ChangeBus) -> None:
        self.vault = vault
        self.changes = changes

    @contextmanager
    def unit(self) -> Iterator[DbSession]:
        with self.vault.session() as db:
            yield db

    def audit(
        self, db: DbSession, action: str, kind: str, record: object, detail: str = ""
    ) -> None:
        audit.append(db, self.vault.actor, action, kind, str(record), detail)

    @staticmethod
    def fetch(db: DbSession, model: type[T], record: uuid.UUID, what: str) -> T:
        found = db.get(model, record)
        if found is None:
            raise NotFoundError(f"no {what} with id {record}")
        return found
