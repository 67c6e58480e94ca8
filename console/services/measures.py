"""Outcome measures given to a client: recorded once, scored on entry, never edited.

A completed measure is evidence of how the client was at that time, so a
mistake is corrected by voiding the row with a reason and entering it again;
voided rows stay in the vault for the record. The audit trail names the
measure but never the answers, total or void reason.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from sqlalchemy import select

from console.clinical import measures as m
from console.errors import ValidationError
from console.services import validation as v
from console.services.base import Service
from models import Client, MeasureResponse, Session

EnteredBy = Literal["client", "clinician"]
ENTERED_BY: tuple[EnteredBy, ...] = ("client", "clinician")


@dataclass(frozen=True)
class MeasureRecord:
    id: uuid.UUID
    client_id: uuid.UUID
    session_id: uuid.UUID | None
    measure_key: str
    answered_at: datetime
    answers: tuple[int | None, ...] | None
    total: int | None
    band: str
    complete: bool
    entered_by: str
    voided: bool
    void_reason: str
    flags: tuple[str, ...]

    @property
    def measure(self) -> m.Measure:
        return m.get(self.measure_key)


@dataclass(frozen=True)
class MeasureSummary:
    """What the chart header and the PDF show: first and last scored, and the change."""

    measure_key: str
    count: int
    baseline: MeasureRecord | None
    latest: MeasureRecord | None
    change: m.ChangeLabel | None


def to_record(row: MeasureResponse) -> MeasureRecord:
    measure = m.get(row.measure)
    return MeasureRecord(
        id=row.id,
        client_id=row.client_id,
        session_id=row.session_id,
        measure_key=row.measure,
        answered_at=row.answered_at,
        answers=None if row.answers is None else tuple(row.answers),
        total=row.total,
        band="" if row.total is None else measure.band(row.total),
        complete=row.complete,
        entered_by=row.entered_by,
        voided=row.voided,
        void_reason=row.void_reason,
        flags=tuple(f for f in row.flags.split("\n") if f),
    )


def _score(
    measure: m.Measure, answers: Sequence[int | None] | None, total: int | None, entered_by: str
) -> m.Score:
    if measure.total_only:
        if answers is not None:
            raise ValidationError("answers", f"{measure.name} is entered as a total only")
        if entered_by != "clinician":
            raise ValidationError("entered_by", f"{measure.name} totals are entered by clinicians")
        if total is None:
            raise ValidationError("total", "is required")
        return m.score_total(measure, total)
    if total is not None:
        raise ValidationError("total", f"{measure.name} is scored from its items")
    if answers is None:
        raise ValidationError("answers", "are required")
    return m.score(measure, answers)


class MeasureService(Service):
    def record(
        self,
        client_id: uuid.UUID,
        measure_key: str,
        answers: Sequence[int | None] | None,
        total: int | None,
        answered_at: datetime,
        session_id: uuid.UUID | None = None,
        entered_by: EnteredBy = "client",
    ) -> MeasureRecord:
        """Score and save one measure; a skipped item saves it as incomplete, unscored."""
        measure = m.get(measure_key)
        if entered_by not in ENTERED_BY:
            raise ValidationError("entered_by", "must be client or clinician")
        when = v.instant("answered_at", answered_at)
        if when > datetime.now(UTC):
            raise ValidationError("answered_at", "cannot be in the future")
        scored = _score(measure, answers, total, entered_by)
        with self.unit() as db:
            client = self.fetch(db, Client, v.record_id("client", client_id), "client")
            session = None
            if session_id is not None:
                session = self.fetch(db, Session, v.record_id("session", session_id), "session")
                if session.client_id != client.id:
                    raise ValidationError("session", "belongs to another client")
            row = MeasureResponse(
                client_id=client.id,
                session_id=None if session is None else session.id,
                measure=measure.key,
                answered_at=when,
                answers=None if answers is None else list(answers),
                total=scored.total,
                complete=scored.complete,
                entered_by=entered_by,
                voided=False,
                void_reason="",
                flags="\n".join(scored.flags),
            )
            db.add(row)
            db.flush()
            self.audit(db, "create", "measure", row.id, f"{measure.name}, by {entered_by}")
            record = to_record(row)
        self.changes.emit("measure", record.id, "created")
        return record

    def void(self, response_id: uuid.UUID, reason: str) -> MeasureRecord:
        """Set a wrong entry aside; it stays in the vault, out of charts and summaries."""
        why = v.text("reason", reason, required=True, max_len=2_000).strip()
        with self.unit() as db:
            row = self.fetch(db, MeasureResponse, v.record_id("measure", response_id), "measure")
            if row.voided:
                raise ValidationError("measure", "is already voided")
            row.voided = True
            row.void_reason = why
            db.flush()
            # The reason is clinical content and stays out of the audit trail.
            self.audit(db, "void", "measure", row.id)
            record = to_record(row)
        self.changes.emit("measure", record.id, "voided")
        return record

    def get(self, response_id: uuid.UUID) -> MeasureRecord:
        with self.unit() as db:
            row = self.fetch(db, MeasureResponse, v.record_id("measure", response_id), "measure")
            return to_record(row)

    def list_for_client(
        self, client_id: uuid.UUID, include_voided: bool = False, measure_key: str | None = None
    ) -> list[MeasureRecord]:
        """Oldest first, as a chart's time axis reads."""
        query = select(MeasureResponse).where(
            MeasureResponse.client_id == v.record_id("client", client_id)
        )
        if not include_voided:
            query = query.where(MeasureResponse.voided.is_(False))
        if measure_key is not None:
            query = query.where(MeasureResponse.measure == m.get(measure_key).key)
        query = query.order_by(MeasureResponse.answered_at, MeasureResponse.created_at)
        with self.unit() as db:
            return [to_record(r) for r in db.scalars(query)]

    def summary(self, client_id: uuid.UUID, measure_key: str) -> MeasureSummary:
        """Baseline is the first scored response, latest the last; incomplete ones don't count."""
        measure = m.get(measure_key)
        scored = [
            r
            for r in self.list_for_client(client_id, measure_key=measure.key)
            if r.total is not None
        ]
        if not scored:
            return MeasureSummary(measure.key, 0, None, None, None)
        baseline, latest = scored[0], scored[-1]
        change = None
        if len(scored) > 1 and baseline.total is not None and latest.total is not None:
            change = m.change_label(measure, baseline.total, latest.total)
        return MeasureSummary(measure.key, len(scored), baseline, latest, change)
