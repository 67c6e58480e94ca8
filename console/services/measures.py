"""Outcome measures given to a client: recorded once, scored on entry, never edited.

A completed measure is evidence of how the client was at that time, so a
mistake is corrected by voiding the row with a reason and entering it again;
voided rows stay in the vault for the record. The audit trail names the
measure but never the answers, total or void reason.

A flag that asks the clinician to act (PHQ-9 item 9) is answered with a risk
assessment or the clinic's safety plan, with who and when; the answer is its
own row, added and never edited, and the audit names only its method.
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
from console.services.base import Service, Write
from console.services.changes import Action, Kind
from models import Client, MeasureResponse, Session
from models.measure import RiskAssessment

EnteredBy = Literal["client", "clinician"]
ENTERED_BY: tuple[EnteredBy, ...] = ("client", "clinician")


@dataclass(frozen=True)
class RiskRecord:
    """A risk assessment, or the safety plan linked, for one flagged measure."""

    id: uuid.UUID
    measure_response_id: uuid.UUID
    method: m.RiskMethod
    text: str
    safety_plan: str
    assessed_by: str
    assessed_at: datetime
    recorded_by: str
    recorded_at: datetime

    @property
    def method_label(self) -> str:
        return m.RISK_METHODS[self.method]


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
    risk: tuple[RiskRecord, ...] = ()

    @property
    def measure(self) -> m.Measure:
        return m.get(self.measure_key)

    @property
    def risk_open(self) -> bool:
        """A flag still waiting for the clinician's assessment (a voided entry waits for none)."""
        return m.needs_risk_response(self.flags) and not self.risk and not self.voided


@dataclass(frozen=True)
class MeasureSummary:
    """What the chart header and the PDF show: first and last scored, and the change."""

    measure_key: str
    count: int
    baseline: MeasureRecord | None
    latest: MeasureRecord | None
    change: m.ChangeLabel | None


def _risk_record(row: RiskAssessment) -> RiskRecord:
    method: m.RiskMethod = "safety_plan" if row.method == "safety_plan" else "assessment"
    return RiskRecord(
        id=row.id,
        measure_response_id=row.measure_response_id,
        method=method,
        text=row.text,
        safety_plan=row.safety_plan,
        assessed_by=row.assessed_by,
        assessed_at=row.assessed_at,
        recorded_by=row.recorded_by,
        recorded_at=row.created_at,
    )


def _flags(row: MeasureResponse) -> tuple[str, ...]:
    return tuple(f for f in row.flags.split("\n") if f)


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
        flags=_flags(row),
        risk=tuple(
            _risk_record(r) for r in sorted(row.risk_assessments, key=lambda r: r.assessed_at)
        ),
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


def _touched(op: Write, row: MeasureResponse) -> None:
    op.touched(Kind.MEASURE, row.id, client=row.client_id, session=row.session_id)


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
        with self.write(Action.CREATED) as op:
            db = op.db
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
            op.audit("create", "measure", row.id, f"{measure.name}, by {entered_by}")
            _touched(op, row)
            return to_record(row)

    def void(self, response_id: uuid.UUID, reason: str) -> MeasureRecord:
        """Set a wrong entry aside; it stays in the vault, out of charts and summaries."""
        why = v.text("reason", reason, required=True, max_len=2_000).strip()
        with self.write(Action.VOIDED) as op:
            row = self.fetch(op.db, MeasureResponse, v.record_id("measure", response_id), "measure")
            if row.voided:
                raise ValidationError("measure", "is already voided")
            row.voided = True
            row.void_reason = why
            op.db.flush()
            # The reason is clinical content and stays out of the audit trail.
            op.audit("void", "measure", row.id)
            _touched(op, row)
            return to_record(row)

    def address_risk(
        self,
        response_id: uuid.UUID,
        method: m.RiskMethod,
        assessed_by: str,
        assessed_at: datetime,
        text: str = "",
        safety_plan: str = "",
    ) -> MeasureRecord:
        """Record what was done about a measure's risk flag: who, when, and the assessment.

        An assessment must say what was assessed; a safety plan must name the
        document followed (its note is optional). Nothing is saved on a refusal.
        """
        if method not in m.RISK_METHODS:
            raise ValidationError("Method", "must be a risk assessment or the safety plan")
        who = v.line("Assessed by", assessed_by, required=True, max_len=200).strip()
        when = v.instant("Assessed at", assessed_at)
        if when > datetime.now(UTC):
            raise ValidationError("Assessed at", "cannot be in the future")
        note = v.text("Risk assessment", text, max_len=20_000).strip()
        if method == "assessment" and not note:
            raise ValidationError(
                "Risk assessment", "write what you assessed and decided before recording it"
            )
        document = ""
        if method == "safety_plan":
            document = v.text("Safety plan", safety_plan, max_len=2_000).strip()
            if not document:
                raise ValidationError(
                    "Safety plan", "no safety-plan document is set for this clinic (see Settings)"
                )
        with self.write() as op:
            db = op.db
            row = self.fetch(db, MeasureResponse, v.record_id("measure", response_id), "measure")
            if not m.needs_risk_response(_flags(row)):
                raise ValidationError("Risk", "this measure raised no risk flag")
            if row.voided:
                raise ValidationError("Risk", "this measure is voided")
            # Minutes, as the time field shows them: an assessment in the minute the
            # measure was saved is not "before" it.
            if when < row.answered_at.replace(second=0, microsecond=0):
                raise ValidationError("Assessed at", "cannot be before the measure was answered")
            risk = RiskAssessment(
                method=method,
                text=note,
                safety_plan=document,
                assessed_by=who,
                assessed_at=when,
                recorded_by=self.vault.actor,
            )
            row.risk_assessments.append(risk)
            db.flush()
            # The method only: who assessed, what was written and the document are content.
            op.audit("create", "risk_assessment", risk.id, f"measure {row.id}, {method}")
            _touched(op, row)
            return to_record(row)

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
