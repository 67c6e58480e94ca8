"""EMDR worksheets: a client's target plan and each session's phases, closure and sets.

The sets themselves are the pacer's log (services.bls_sets); a session's work
links the session to the target it processed, so the SUD and VOC history of a
target combines its EMDR sets (not the ART sets of a session that had both)
with each session's closure ratings. The audit trail
names the fields changed, never what was written in them.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from datetime import datetime, timedelta
from typing import Literal, NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session as DbSession

from console.clinical import emdr as c
from console.errors import ValidationError
from console.services import search
from console.services import validation as v
from console.services.base import Service, Write
from console.services.changes import Action, Kind
from console.services.session_worksheet import text_or_update
from models import BlsSet, Client, EmdrSessionWork, EmdrTarget, Session

HistorySource = Literal["set", "session"]


@dataclass(frozen=True)
class TargetFields:
    title: str
    kind: c.TargetKind = "memory"
    status: c.TargetStatus = "open"
    memory: str = ""
    worst_image: str = ""
    negative_cognition: str = ""
    positive_cognition: str = ""
    voc: int | None = None
    emotions: str = ""
    sud: int | None = None
    body_location: str = ""


@dataclass(frozen=True)
class TargetRecord:
    id: uuid.UUID
    client_id: uuid.UUID
    position: int
    title: str
    kind: str
    status: str
    memory: str
    worst_image: str
    negative_cognition: str
    positive_cognition: str
    voc: int | None
    emotions: str
    sud: int | None
    body_location: str
    created_at: datetime
    updated_at: datetime

    @property
    def fields(self) -> TargetFields:
        values = {f.name: getattr(self, f.name) for f in fields(TargetFields)}
        return TargetFields(**values)


@dataclass(frozen=True)
class SessionWorkFields:
    target_id: uuid.UUID | None = None
    phases_done: tuple[str, ...] = ()
    preparation: tuple[tuple[str, bool], ...] = ()  # (item key, done), see c.PREPARATION
    interweaves: str = ""
    containment: str = ""
    state_at_end: str = ""
    sud_end: int | None = None
    voc_end: int | None = None
    plan: str = ""
    body_scan_clear: bool | None = None
    body_scan_notes: str = ""
    reevaluation_sud: int | None = None


@dataclass(frozen=True)
class SessionWorkRecord:
    id: uuid.UUID
    session_id: uuid.UUID
    client_id: uuid.UUID
    target_id: uuid.UUID | None
    phases_done: tuple[str, ...]
    preparation: tuple[tuple[str, bool], ...]
    interweaves: str
    containment: str
    state_at_end: str
    sud_end: int | None
    voc_end: int | None
    plan: str
    body_scan_clear: bool | None
    body_scan_notes: str
    reevaluation_sud: int | None
    updated_at: datetime

    @property
    def fields(self) -> SessionWorkFields:
        values = {f.name: getattr(self, f.name) for f in fields(SessionWorkFields)}
        return SessionWorkFields(**values)

    def prepared(self, item: str) -> bool:
        return dict(self.preparation).get(item, False)


class HistoryPoint(NamedTuple):
    """One rating of a target: after a set, or at a session's closure."""

    at: datetime
    source: HistorySource
    value: int


class _Moment(NamedTuple):
    """A set of a session that worked on the target (set_number None: the closure)."""

    session_id: uuid.UUID
    starts_at: datetime
    set_number: int | None
    at: datetime
    sud: int | None
    voc: int | None


@dataclass(frozen=True)
class ChartPoint:
    """One rating where the chart puts it; `set_number` None is the session's closure."""

    x: float
    value: int
    session_start: datetime
    set_number: int | None


@dataclass(frozen=True)
class RatingChart:
    """A target's SUD and VOC laid out as therapists read them, not on a calendar.

    Within a session (`by_set`) x is the set number and the closure sits one
    place after the last set. Across sessions session i sits at x = i, dates
    evenly spaced however far apart the sessions were, with its ratings spread
    in order across i ± 0.5 so the fall within each session still shows.
    """

    by_set: bool
    sud: tuple[ChartPoint, ...]
    voc: tuple[ChartPoint, ...]
    sessions: tuple[datetime, ...]  # across sessions: the start of the session at x = index


def target_record(row: EmdrTarget) -> TargetRecord:
    return TargetRecord(
        id=row.id,
        client_id=row.client_id,
        position=row.position,
        title=row.title,
        kind=row.kind,
        status=row.status,
        memory=row.memory,
        worst_image=row.worst_image,
        negative_cognition=row.negative_cognition,
        positive_cognition=row.positive_cognition,
        voc=row.voc,
        emotions=row.emotions,
        sud=row.sud,
        body_location=row.body_location,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def work_record(row: EmdrSessionWork, client_id: uuid.UUID) -> SessionWorkRecord:
    prep = row.preparation or {}
    return SessionWorkRecord(
        id=row.id,
        session_id=row.session_id,
        client_id=client_id,
        target_id=row.target_id,
        phases_done=tuple(row.phases_done or ()),
        preparation=tuple((k, bool(prep[k])) for k in c.PREPARATION_KEYS if k in prep),
        interweaves=row.interweaves,
        containment=row.containment,
        state_at_end=row.state_at_end,
        sud_end=row.sud_end,
        voc_end=row.voc_end,
        plan=row.plan,
        body_scan_clear=row.body_scan_clear,
        body_scan_notes=row.body_scan_notes,
        reevaluation_sud=row.reevaluation_sud,
        updated_at=row.updated_at,
    )


_TARGET_TEXT = (
    "memory",
    "worst_image",
    "negative_cognition",
    "positive_cognition",
    "emotions",
    "body_location",
)
_WORK_TEXT = ("interweaves", "containment", "state_at_end", "plan", "body_scan_notes")


def index_target(db: DbSession, row: EmdrTarget) -> None:
    """Found by its title and by anything the client said of it (cognitions included)."""
    body = "\n".join(getattr(row, name) for name in _TARGET_TEXT)
    search.index(db, search.EMDR_TARGET, row.id, row.client_id, row.title, body)


def index_work(db: DbSession, row: EmdrSessionWork) -> None:
    """Found by what was written in the session: interweaves, closure, the plan."""
    session = db.get(Session, row.session_id)
    assert session is not None
    body = "\n".join(getattr(row, name) for name in _WORK_TEXT)
    search.index(db, search.EMDR_WORKSHEET, row.id, session.client_id, "", body)


def _optional(field: str, value: object, lo: int, hi: int) -> int | None:
    return None if value is None else v.integer(field, value, lo, hi)


def _sud(field: str, value: object) -> int | None:
    return _optional(field, value, c.SUD_MIN, c.SUD_MAX)


def _voc(field: str, value: object) -> int | None:
    return _optional(field, value, c.VOC_MIN, c.VOC_MAX)


def _target_values(data: TargetFields) -> dict[str, object]:
    if data.kind not in c.TARGET_KINDS:
        raise ValidationError("kind", "must be one of: " + ", ".join(c.TARGET_KINDS))
    if data.status not in c.TARGET_STATUSES:
        raise ValidationError("status", "must be one of: " + ", ".join(c.TARGET_STATUSES))
    return {
        "title": v.line("title", data.title, required=True),
        "kind": data.kind,
        "status": data.status,
        "memory": v.text("memory", data.memory),
        "worst_image": v.text("worst_image", data.worst_image),
        "negative_cognition": v.text("negative_cognition", data.negative_cognition),
        "positive_cognition": v.text("positive_cognition", data.positive_cognition),
        "voc": _voc("voc", data.voc),
        "emotions": v.text("emotions", data.emotions),
        "sud": _sud("sud", data.sud),
        "body_location": v.text("body_location", data.body_location),
    }


def _work_values(data: SessionWorkFields) -> dict[str, object]:
    phases = set()
    for phase in data.phases_done:
        if phase not in c.PHASE_KEYS:
            raise ValidationError("phases_done", f"unknown phase {phase!r}")
        phases.add(phase)
    preparation: dict[str, bool] = {}
    for item, done in data.preparation:
        if item not in c.PREPARATION_KEYS:
            raise ValidationError("preparation", f"unknown item {item!r}")
        if not isinstance(done, bool):
            raise ValidationError("preparation", "each item is done or not")
        preparation[item] = done
    if data.body_scan_clear is not None and not isinstance(data.body_scan_clear, bool):
        raise ValidationError("body_scan_clear", "must be yes, no or not asked")
    return {
        "target_id": None if data.target_id is None else v.record_id("target", data.target_id),
        "phases_done": [p for p in c.PHASE_KEYS if p in phases],
        "preparation": {k: preparation[k] for k in c.PREPARATION_KEYS if k in preparation},
        "interweaves": v.text("interweaves", data.interweaves),
        "containment": v.text("containment", data.containment),
        "state_at_end": v.text("state_at_end", data.state_at_end),
        "sud_end": _sud("sud_end", data.sud_end),
        "voc_end": _voc("voc_end", data.voc_end),
        "plan": v.text("plan", data.plan),
        "body_scan_clear": data.body_scan_clear,
        "body_scan_notes": v.text("body_scan_notes", data.body_scan_notes),
        "reevaluation_sud": _sud("reevaluation_sud", data.reevaluation_sud),
    }


def _work_touched(op: Write, row: EmdrSessionWork, session: Session) -> None:
    op.touched(Kind.EMDR_SESSION_WORK, row.id, client=session.client_id, session=session.id)


class EmdrService(Service):
    # ---- targets -------------------------------------------------------------------------

    def create_target(self, client_id: uuid.UUID, data: TargetFields) -> TargetRecord:
        """Add a target at the end of the client's sequence plan."""
        values = _target_values(data)
        with self.write(Action.CREATED) as op:
            db = op.db
            client = self.fetch(db, Client, v.record_id("client", client_id), "client")
            last = db.scalar(
                select(func.max(EmdrTarget.position)).where(EmdrTarget.client_id == client.id)
            )
            row = EmdrTarget(
                client_id=client.id, position=0 if last is None else last + 1, **values
            )
            db.add(row)
            db.flush()
            index_target(db, row)
            op.audit("create", "emdr_target", row.id, str(values["kind"]))
            op.touched(Kind.EMDR_TARGET, row.id, client=client.id)
            return target_record(row)

    def update_target(self, target_id: uuid.UUID, data: TargetFields) -> TargetRecord:
        values = _target_values(data)
        with self.write() as op:
            row = self.fetch(op.db, EmdrTarget, v.record_id("target", target_id), "target")
            changed = sorted(k for k, val in values.items() if getattr(row, k) != val)
            for key, val in values.items():
                setattr(row, key, val)
            op.db.flush()
            index_target(op.db, row)
            op.audit("update", "emdr_target", row.id, "fields: " + ", ".join(changed))
            op.touched(Kind.EMDR_TARGET, row.id, client=row.client_id)
            return target_record(row)

    def set_target_status(self, target_id: uuid.UUID, status: c.TargetStatus) -> TargetRecord:
        current = self.get_target(target_id)
        return self.update_target(target_id, replace(current.fields, status=status))

    def get_target(self, target_id: uuid.UUID) -> TargetRecord:
        with self.unit() as db:
            row = self.fetch(db, EmdrTarget, v.record_id("target", target_id), "target")
            return target_record(row)

    def list_targets(self, client_id: uuid.UUID) -> list[TargetRecord]:
        """In the order of the client's target sequence plan."""
        with self.unit() as db:
            rows = db.scalars(
                select(EmdrTarget)
                .where(EmdrTarget.client_id == v.record_id("client", client_id))
                .order_by(EmdrTarget.position, EmdrTarget.created_at)
            )
            return [target_record(r) for r in rows]

    def reorder_targets(
        self, client_id: uuid.UUID, target_ids: Sequence[uuid.UUID]
    ) -> list[TargetRecord]:
        """Set the sequence plan; the ids must be exactly the client's targets."""
        wanted = [v.record_id("target", t) for t in target_ids]
        with self.write() as op:
            db = op.db
            client = self.fetch(db, Client, v.record_id("client", client_id), "client")
            rows = {
                r.id: r
                for r in db.scalars(select(EmdrTarget).where(EmdrTarget.client_id == client.id))
            }
            if len(set(wanted)) != len(wanted) or set(wanted) != set(rows):
                raise ValidationError("targets", "must list each of the client's targets once")
            for position, target in enumerate(wanted):
                rows[target].position = position
            db.flush()
            op.audit("update", "emdr_target", client.id, f"reordered {len(wanted)} targets")
            op.touched(Kind.EMDR_TARGET, client=client.id)
        return self.list_targets(client.id)

    # ---- session work ------------------------------------------------------------------

    def get_work(self, session_id: uuid.UUID) -> SessionWorkRecord | None:
        with self.unit() as db:
            session = self.fetch(db, Session, v.record_id("session", session_id), "session")
            row = self._work_row(db, session.id)
            return None if row is None else work_record(row, session.client_id)

    def get_or_create_work(self, session_id: uuid.UUID) -> SessionWorkRecord:
        with self.write(Action.CREATED) as op:
            session = self.fetch(op.db, Session, v.record_id("session", session_id), "session")
            row = self._work_row(op.db, session.id) or self._new_work(op, session)
            return work_record(row, session.client_id)

    def save_work(self, session_id: uuid.UUID, data: SessionWorkFields) -> SessionWorkRecord:
        """Save the session's worksheet (created if need be); all fields checked first.

        An autosave of what is stored writes nothing and announces nothing.
        """
        values = _work_values(data)
        with self.write() as op:
            db = op.db
            session = self.fetch(db, Session, v.record_id("session", session_id), "session")
            target_id = values["target_id"]
            if isinstance(target_id, uuid.UUID):
                target = self.fetch(db, EmdrTarget, target_id, "target")
                if target.client_id != session.client_id:
                    raise ValidationError("target", "belongs to another client")
            row = self._work_row(db, session.id)
            if row is None:
                op.action = Action.CREATED
                row = self._new_work(op, session)
            changed = sorted(k for k, val in values.items() if getattr(row, k) != val)
            if not changed:
                return work_record(row, session.client_id)
            if op.action is not Action.CREATED:
                op.action = text_or_update(values[k] for k in changed)
            for key, val in values.items():
                setattr(row, key, val)
            db.flush()
            index_work(db, row)
            op.audit("update", "emdr_session_work", row.id, "fields: " + ", ".join(changed))
            _work_touched(op, row, session)
            return work_record(row, session.client_id)

    @staticmethod
    def _work_row(db: DbSession, session_id: uuid.UUID) -> EmdrSessionWork | None:
        return db.scalar(select(EmdrSessionWork).where(EmdrSessionWork.session_id == session_id))

    @staticmethod
    def _new_work(op: Write, session: Session) -> EmdrSessionWork:
        row = EmdrSessionWork(session_id=session.id, phases_done=[], preparation={})
        op.db.add(row)
        op.db.flush()
        index_work(op.db, row)
        op.audit("create", "emdr_session_work", row.id)
        _work_touched(op, row, session)
        return row

    # ---- history -----------------------------------------------------------------------

    def reevaluation_default(self, client_id: uuid.UUID, target_id: uuid.UUID) -> int | None:
        """The last SUD recorded for the target: its latest closure SUD, else its own SUD."""
        with self.unit() as db:
            target = self.fetch(db, EmdrTarget, v.record_id("target", target_id), "target")
            if target.client_id != v.record_id("client", client_id):
                raise ValidationError("target", "belongs to another client")
            latest = db.scalar(
                select(EmdrSessionWork.sud_end)
                .join(Session, Session.id == EmdrSessionWork.session_id)
                .where(EmdrSessionWork.target_id == target.id)
                .where(EmdrSessionWork.sud_end.is_not(None))
                .order_by(Session.starts_at.desc())
                .limit(1)
            )
            return target.sud if latest is None else latest

    def sud_history(self, target_id: uuid.UUID) -> list[HistoryPoint]:
        """Every SUD of the target, oldest first: after each set, and at each closure."""
        return self._history(target_id, "sud")

    def voc_history(self, target_id: uuid.UUID) -> list[HistoryPoint]:
        """Every VOC of the target, oldest first: after each set, and at each closure."""
        return self._history(target_id, "voc")

    def chart(self, target_id: uuid.UUID, session_id: uuid.UUID | None = None) -> RatingChart:
        """The target's SUD and VOC as the chart lays them out (see RatingChart).

        With `session_id`, that session's ratings by set number; without, every
        session's, by date.
        """
        moments = self._moments(target_id)
        if session_id is not None:
            mine = [m for m in moments if m.session_id == session_id]
            end = max((m.set_number or 0 for m in mine), default=0) + 1
            placed = sorted(
                ((float(end if m.set_number is None else m.set_number), m) for m in mine),
                key=lambda p: p[0],
            )
            return _chart(True, placed, ())
        rated = [m for m in moments if m.sud is not None or m.voc is not None]
        starts = sorted({(m.starts_at, m.session_id) for m in rated})
        placed = []
        for index, (_start, session) in enumerate(starts):
            theirs = [m for m in rated if m.session_id == session]
            for k, m in enumerate(theirs):
                placed.append((index - 0.5 + (k + 1) / (len(theirs) + 1), m))
        return _chart(False, placed, tuple(start for start, _ in starts))

    def _history(self, target_id: uuid.UUID, scale: Literal["sud", "voc"]) -> list[HistoryPoint]:
        points = []
        for m in self._moments(target_id):
            value = m.sud if scale == "sud" else m.voc
            if value is not None:
                points.append(
                    HistoryPoint(m.at, "session" if m.set_number is None else "set", value)
                )
        return points

    def _moments(self, target_id: uuid.UUID) -> list[_Moment]:
        """The target's EMDR sets and closures in every session that worked on it, in time order."""
        moments: list[_Moment] = []
        with self.unit() as db:
            target = self.fetch(db, EmdrTarget, v.record_id("target", target_id), "target")
            rows = db.execute(
                select(EmdrSessionWork, Session)
                .join(Session, Session.id == EmdrSessionWork.session_id)
                .where(EmdrSessionWork.target_id == target.id)
            ).all()
            for work, session in rows:
                sets = list(
                    db.scalars(
                        select(BlsSet)
                        .where(BlsSet.session_id == session.id)
                        .where(BlsSet.protocol == "emdr")
                        .order_by(BlsSet.number)
                    )
                )
                for s in sets:
                    moments.append(
                        _Moment(session.id, session.starts_at, s.number, s.ended_at, s.sud, s.voc)
                    )
                if work.sud_end is not None or work.voc_end is not None:
                    # Closure comes at the end: after the booked time and after the last set.
                    at = session.starts_at + timedelta(minutes=session.duration_min)
                    at = max([at, *(s.ended_at for s in sets)])
                    moments.append(
                        _Moment(session.id, session.starts_at, None, at, work.sud_end, work.voc_end)
                    )
        moments.sort(key=lambda m: (m.at, m.set_number is None))
        return moments


def _chart(
    by_set: bool, placed: Sequence[tuple[float, _Moment]], sessions: tuple[datetime, ...]
) -> RatingChart:
    def line(scale: Literal["sud", "voc"]) -> tuple[ChartPoint, ...]:
        return tuple(
            ChartPoint(x, value, m.starts_at, m.set_number)
            for x, m in placed
            if (value := m.sud if scale == "sud" else m.voc) is not None
        )

    return RatingChart(by_set, line("sud"), line("voc"), sessions)
