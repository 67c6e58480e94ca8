"""The audit trail (HIPAA 164.312(b)): who did what to which record, and when.

Events never hold record content. Each carries the hash of its predecessor,
so `verify_chain` can name the first event that was edited, removed or
reordered. From `keyed_from` on (every event of a vault made by this version)
the hash is an HMAC under the integrity key, so a chain rebuilt by someone
with only the database key does not verify; the vault writes the chain's
head into vault.json after each commit, so a truncated chain is noticed.

The unit of work carries the key: `Vault.session()` puts it in `db.info`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from console.services.canonical import sha256_hex
from console.vault.integrity import mac_hex, same
from models import AuditEvent
from models.base import utcnow

GENESIS = "0" * 64
KEY_INFO = "integrity_key"
KEYED_FROM_INFO = "keyed_from"
HEAD_INFO = "audit_head"

ACTIONS = frozenset(
    {
        "unlock",
        "unlock_failed",
        "lock",
        "create",
        "update",
        "archive",
        "void",
        "sign",
        "addendum",
        "export",
        "print",
        "backup",
        "restore",
        "key_change",
        "migrate",
        "override",
        "review",
        "early_discharge",
    }
)


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: datetime
    actor: str
    action: str
    entity_kind: str
    entity_id: str
    detail: str


def _hash(
    key: bytes | None,
    seq: int,
    event_id: uuid.UUID,
    at: datetime,
    actor: str,
    action: str,
    entity_kind: str,
    entity_id: str,
    detail: str,
    prev_hash: str,
) -> str:
    """HMAC under the integrity key; plain SHA-256 only for events before `keyed_from`."""
    fields = {
        "seq": seq,
        "id": str(event_id),
        "at": at.isoformat(),
        "actor": actor,
        "action": action,
        "entity_kind": entity_kind,
        "entity_id": entity_id,
        "detail": detail,
        "prev": prev_hash,
    }
    return sha256_hex(fields) if key is None else mac_hex(key, fields)


def _key(db: DbSession) -> bytes:
    key = db.info.get(KEY_INFO)
    if not isinstance(key, bytes | bytearray):
        raise RuntimeError("audit events are written only in a vault's unit of work")
    return bytes(key)


def last_event(db: DbSession) -> tuple[int, str] | None:
    row = db.execute(
        select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
    ).first()
    return (row.seq, row.hash) if row else None


def append(
    db: DbSession,
    actor: str,
    action: str,
    entity_kind: str = "",
    entity_id: str | uuid.UUID = "",
    detail: str = "",
    at: datetime | None = None,
) -> None:
    """Add one event to the chain inside the caller's transaction."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    key = _key(db)
    last = last_event(db)
    seq = (last[0] + 1) if last else 1
    prev_hash = last[1] if last else GENESIS
    event_id = uuid.uuid4()
    when = at or utcnow()
    entity = str(entity_id)
    digest = _hash(
        key, seq, event_id, when, actor, action, entity_kind, entity, detail[:500], prev_hash
    )
    db.add(
        AuditEvent(
            seq=seq,
            id=event_id,
            at=when,
            actor=actor,
            action=action,
            entity_kind=entity_kind,
            entity_id=entity,
            detail=detail[:500],
            prev_hash=prev_hash,
            hash=digest,
        )
    )
    db.flush()
    db.info[HEAD_INFO] = (seq, digest)


def verify_chain(db: DbSession) -> tuple[int, str | None]:
    """Walk the chain; return the number of events and the first problem, if any."""
    key = _key(db)
    keyed_from = int(db.info.get(KEYED_FROM_INFO, 1))
    prev_hash = GENESIS
    expected_seq = 1
    count = 0
    for event in db.scalars(select(AuditEvent).order_by(AuditEvent.seq)):
        count += 1
        if event.seq != expected_seq:
            return count, f"audit event {expected_seq} is missing (next is {event.seq})"
        if event.prev_hash != prev_hash:
            return count, f"audit event {event.seq} ({event.action}) does not follow the one before"
        recomputed = _hash(
            key if event.seq >= keyed_from else None,
            event.seq,
            event.id,
            event.at,
            event.actor,
            event.action,
            event.entity_kind,
            event.entity_id,
            event.detail,
            event.prev_hash,
        )
        if not same(recomputed, event.hash):
            return count, f"audit event {event.seq} ({event.action}) was altered"
        prev_hash = event.hash
        expected_seq += 1
    return count, None


def events_for(db: DbSession, action: str, entity_kind: str) -> list[str]:
    """The record ids that events of this action and kind name (e.g. every signed note)."""
    query = select(AuditEvent.entity_id).where(
        AuditEvent.action == action, AuditEvent.entity_kind == entity_kind
    )
    return list(db.scalars(query))


def recent(db: DbSession, limit: int = 100) -> list[AuditEntry]:
    rows = db.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(limit))
    return [
        AuditEntry(e.seq, e.at, e.actor, e.action, e.entity_kind, e.entity_id, e.detail)
        for e in rows
    ]
