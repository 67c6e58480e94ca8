"""The pacer's set log: each set saved to the open session, annotated after it ends.

The EMDR and ART worksheets read these rows, so SUD, VOC and "what came up"
live with the set they were given after. Each set counts for one worksheet:
in an EMDR or an ART session that session's own, whatever the pacer was set
to (it has no other); in a session with both, the one the pacer's settings name.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, fields

from sqlalchemy import func, select

from console.pacer.set_log import SetResult
from console.pacer.settings import Protocol
from console.services import validation as v
from console.services.base import Service
from console.services.changes import Action, Kind
from models import BlsSet, Session, SessionKind

# Sessions whose only worksheet for sets is this one.
SESSION_PROTOCOL: dict[SessionKind, Protocol] = {
    SessionKind.EMDR: "emdr",
    SessionKind.ART: "art",
}


@dataclass(frozen=True)
class BlsSetRecord(SetResult):
    id: uuid.UUID = uuid.UUID(int=0)
    session_id: uuid.UUID = uuid.UUID(int=0)
    number: int = 0


def to_record(row: BlsSet) -> BlsSetRecord:
    values = {f.name: getattr(row, f.name) for f in fields(SetResult)}
    return BlsSetRecord(**values, id=row.id, session_id=row.session_id, number=row.number)


def _annotation(sud: int | None, voc: int | None, notes: str) -> dict[str, object]:
    return {
        "sud": None if sud is None else v.integer("sud", sud, 0, 10),
        "voc": None if voc is None else v.integer("voc", voc, 1, 7),
        "notes": v.text("notes", notes, max_len=100_000),
    }


class BlsSetService(Service):
    def log(self, session_id: uuid.UUID, result: SetResult) -> BlsSetRecord:
        """Save a finished set; it is numbered within its session."""
        values = {f.name: getattr(result, f.name) for f in fields(SetResult)}
        values.update(_annotation(result.sud, result.voc, result.notes))
        with self.write(Action.CREATED) as op:
            db = op.db
            session = self.fetch(db, Session, v.record_id("session", session_id), "session")
            count = db.scalar(select(func.count()).where(BlsSet.session_id == session.id)) or 0
            values["protocol"] = SESSION_PROTOCOL.get(session.kind, result.protocol)
            row = BlsSet(session_id=session.id, number=count + 1, **values)
            db.add(row)
            db.flush()
            op.audit("create", "bls_set", row.id, f"set {row.number}, {row.ended_by}")
            op.touched(Kind.BLS_SET, row.id, client=session.client_id, session=session.id)
            return to_record(row)

    def annotate(
        self, set_id: uuid.UUID, sud: int | None, voc: int | None, notes: str
    ) -> BlsSetRecord:
        values = _annotation(sud, voc, notes)
        with self.write() as op:
            row = self.fetch(op.db, BlsSet, v.record_id("set", set_id), "set")
            if all(getattr(row, key) == value for key, value in values.items()):
                return to_record(row)
            for key, value in values.items():
                setattr(row, key, value)
            op.db.flush()
            op.audit("update", "bls_set", row.id, "annotated")
            session = self.fetch(op.db, Session, row.session_id, "session")
            op.touched(Kind.BLS_SET, row.id, client=session.client_id, session=session.id)
            return to_record(row)

    def list_for_session(
        self, session_id: uuid.UUID, protocol: Protocol | None = None
    ) -> list[BlsSetRecord]:
        """The session's sets in order; with `protocol`, only those counting for that worksheet."""
        query = select(BlsSet).where(BlsSet.session_id == v.record_id("session", session_id))
        if protocol is not None:
            query = query.where(BlsSet.protocol == protocol)
        with self.unit() as db:
            return [to_record(r) for r in db.scalars(query.order_by(BlsSet.number))]
