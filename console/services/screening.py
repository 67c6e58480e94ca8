"""Screening before the first medicine session: the checklist, baseline, medications, consent.

One screening per client, kept current. Each item remembers who last
answered it and when, because "who checked" is part of the record. The gate
(console.clinical.medicine.screening_state) decides whether a medicine
session may start; an override records its reason, who and when, and is
audited. The audit names the fields changed, never the answers or notes.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from console.clinical import medicine as m
from console.clinical import medicine_safety as safety
from console.errors import ValidationError
from console.services import validation as v
from console.services.base import Service
from console.services.changes import Action, Kind
from models import Client, Screening
from models.base import utcnow


@dataclass(frozen=True)
class ItemAnswer:
    key: str
    answer: str = ""  # "yes" | "no" | "unknown" | "" (not asked yet)
    note: str = ""
    checked_by: str = ""
    checked_at: datetime | None = None


@dataclass(frozen=True)
class ScreeningFields:
    answers: tuple[ItemAnswer, ...] = ()
    weight_kg: float | None = None
    baseline_systolic: int | None = None
    baseline_diastolic: int | None = None
    medications: str = ""
    consent_date: date | None = None
    consent_version: str = ""
    fasting_acknowledged: bool = False
    ride_home_arranged: bool = False


@dataclass(frozen=True)
class ScreeningRecord(ScreeningFields):
    client_id: uuid.UUID = uuid.UUID(int=0)
    exists: bool = False
    override_reason: str = ""
    override_by: str = ""
    override_at: datetime | None = None
    updated_at: datetime | None = None
    state: m.ScreeningState = field(
        default_factory=lambda: m.screening_state({}, False, False, None)
    )
    interactions: tuple[str, ...] = ()
    # label -> (prescriber, when) for each interacting medication acknowledged
    acknowledged: dict[str, tuple[str, datetime | None]] = field(default_factory=dict)
    reasons: tuple[safety.ReviewReason, ...] = ()
    review_reason: str = ""
    review_by: str = ""
    review_at: datetime | None = None
    consent_expires: date | None = None

    def answer(self, key: str) -> ItemAnswer:
        return next((a for a in self.answers if a.key == key), ItemAnswer(key))

    def baseline_flags(self, thresholds: m.Thresholds = m.DEFAULT_THRESHOLDS) -> tuple[m.Flag, ...]:
        """Hold flags of the baseline blood pressure (before any dose), by the clinic's levels."""
        if self.baseline_systolic is None or self.baseline_diastolic is None:
            return ()
        reading = m.VitalsReading(self.baseline_systolic, self.baseline_diastolic, 70, 98)
        return tuple(
            f for f in m.flags(reading, None, thresholds) if f.field in ("systolic", "diastolic")
        )


def _answers(items: dict[str, dict[str, str]]) -> tuple[ItemAnswer, ...]:
    out = []
    for key in m.CONTRAINDICATION_KEYS:
        item = items.get(key) or {}
        at = item.get("checked_at")
        out.append(
            ItemAnswer(
                key,
                item.get("answer", ""),
                item.get("note", ""),
                item.get("checked_by", ""),
                datetime.fromisoformat(at) if at else None,
            )
        )
    return tuple(out)


def _reasons(
    row: Screening, policy: safety.MedicinePolicy, today: date
) -> tuple[safety.ReviewReason, ...]:
    baseline = (
        None
        if row.baseline_systolic is None or row.baseline_diastolic is None
        else (row.baseline_systolic, row.baseline_diastolic)
    )
    return safety.review_reasons(
        baseline=baseline,
        interactions=m.interacting_medications(row.medications),
        acknowledged=row.interaction_acks or {},
        consent_date=row.consent_date,
        today=today,
        policy=policy,
    )


def _state(
    row: Screening | None,
    policy: safety.MedicinePolicy,
    today: date,
    waived: Sequence[str] = (),
) -> m.ScreeningState:
    """The gate's state; `waived` names review reasons settled elsewhere (a repeated reading)."""
    if row is None:
        return m.screening_state({}, False, False, None)
    reasons = [r for r in _reasons(row, policy, today) if r.key not in waived]
    return m.screening_state(
        {k: (row.items.get(k) or {}).get("answer", "") for k in m.CONTRAINDICATION_KEYS},
        row.consent_date is not None,
        row.fasting_acknowledged and row.ride_home_arranged,
        row.override_reason or None,
        safety.unreviewed(reasons, row.review_covers or []),
    )


def _acknowledged(row: Screening) -> dict[str, tuple[str, datetime | None]]:
    out: dict[str, tuple[str, datetime | None]] = {}
    for label, ack in (row.interaction_acks or {}).items():
        at = ack.get("at") if isinstance(ack, dict) else None
        by = ack.get("by", "") if isinstance(ack, dict) else ""
        out[label] = (str(by), datetime.fromisoformat(at) if isinstance(at, str) else None)
    return out


def _record(
    client_id: uuid.UUID, row: Screening | None, policy: safety.MedicinePolicy, today: date
) -> ScreeningRecord:
    if row is None:
        return ScreeningRecord(answers=_answers({}), client_id=client_id)
    return ScreeningRecord(
        answers=_answers(row.items),
        weight_kg=row.weight_kg,
        baseline_systolic=row.baseline_systolic,
        baseline_diastolic=row.baseline_diastolic,
        medications=row.medications,
        consent_date=row.consent_date,
        consent_version=row.consent_version,
        fasting_acknowledged=row.fasting_acknowledged,
        ride_home_arranged=row.ride_home_arranged,
        client_id=client_id,
        exists=True,
        override_reason=row.override_reason,
        override_by=row.override_by,
        override_at=row.override_at,
        updated_at=row.updated_at,
        state=_state(row, policy, today),
        interactions=m.interacting_medications(row.medications),
        acknowledged=_acknowledged(row),
        reasons=_reasons(row, policy, today),
        review_reason=row.review_reason,
        review_by=row.review_by,
        review_at=row.review_at,
        consent_expires=(
            None
            if row.consent_date is None
            else safety.consent_expires(row.consent_date, policy.consent_valid_months)
        ),
    )


def _baseline(data: ScreeningFields) -> tuple[int | None, int | None]:
    sys, dia = data.baseline_systolic, data.baseline_diastolic
    if sys is None and dia is None:
        return None, None
    if sys is None or dia is None:
        raise ValidationError("Baseline blood pressure", "needs both systolic and diastolic")
    reading = m.validate_vitals(sys, dia, 70, 98)
    return int(reading.systolic), int(reading.diastolic)


class ScreeningService(Service):
    policy: safety.MedicinePolicy = safety.DEFAULT_POLICY
    today: Callable[[], date] = staticmethod(date.today)

    def use_policy(self, policy: safety.MedicinePolicy) -> None:
        """The clinic's hold levels and consent validity for every state computed from now on."""
        self.policy = policy

    def _record(self, client_id: uuid.UUID, row: Screening | None) -> ScreeningRecord:
        return _record(client_id, row, self.policy, self.today())

    def get(self, client_id: uuid.UUID) -> ScreeningRecord:
        """The client's screening; before the first save, an empty (blocked) one."""
        with self.unit() as db:
            client = self.fetch(db, Client, v.record_id("client", client_id), "client")
            return self._record(client.id, self._row(db, client.id))

    def save(self, client_id: uuid.UUID, data: ScreeningFields) -> ScreeningRecord:
        """Save the screening; items whose answer changed are stamped with who and when."""
        known = set(m.CONTRAINDICATION_KEYS)
        for item in data.answers:
            if item.key not in known:
                raise ValidationError("Screening", f"unknown item {item.key!r}")
            if item.answer not in ("", *m.ANSWERS):
                raise ValidationError(
                    m.CONTRAINDICATION_LABELS[item.key], "must be yes, no or unknown"
                )
            v.text(m.CONTRAINDICATION_LABELS[item.key], item.note, max_len=10_000)
        weight = None if data.weight_kg is None else m.validate_weight_kg(data.weight_kg)
        systolic, diastolic = _baseline(data)
        values: dict[str, object] = {
            "weight_kg": weight,
            "baseline_systolic": systolic,
            "baseline_diastolic": diastolic,
            "medications": v.text("Current medications", data.medications, max_len=20_000),
            "consent_date": v.a_date("Consent date", data.consent_date),
            "consent_version": v.line("Consent version", data.consent_version, max_len=60),
            "fasting_acknowledged": bool(data.fasting_acknowledged),
            "ride_home_arranged": bool(data.ride_home_arranged),
        }
        with self.write() as op:
            db = op.db
            client = self.fetch(db, Client, v.record_id("client", client_id), "client")
            row = self._row(db, client.id)
            created = row is None
            if row is None:
                op.action = Action.CREATED
                row = Screening(client_id=client.id, items={})
                db.add(row)
            now = utcnow().isoformat()
            items = dict(row.items or {})
            changed_items = 0
            for item in data.answers:
                old = items.get(item.key) or {}
                if old.get("answer", "") != item.answer or old.get("note", "") != item.note:
                    changed_items += 1
                    stamp = old.get("answer", "") != item.answer
                    items[item.key] = {
                        "answer": item.answer,
                        "note": item.note,
                        "checked_by": self.vault.actor if stamp else old.get("checked_by", ""),
                        "checked_at": now if stamp else old.get("checked_at", ""),
                    }
            row.items = items
            changed = sorted(k for k, val in values.items() if getattr(row, k, None) != val)
            for key, val in values.items():
                setattr(row, key, val)
            if _state(row, self.policy, self.today()).cleared and row.override_reason:
                row.override_reason, row.override_by, row.override_at = "", "", None
            db.flush()
            detail = f"items changed {changed_items}; fields: " + ", ".join(changed)
            op.audit("create" if created else "update", "screening", row.id, detail)
            op.touched(Kind.SCREENING, row.id, client=client.id)
            return self._record(client.id, row)

    def override(self, client_id: uuid.UUID, reason: str) -> ScreeningRecord:
        """Let medicine sessions start despite blocking items, for a stated reason (audited).

        Consent and the instructions can never be overridden.
        """
        reason = v.text("Override reason", reason, required=True, max_len=5_000).strip()
        with self.write() as op:
            db = op.db
            client = self.fetch(db, Client, v.record_id("client", client_id), "client")
            row = self._row(db, client.id)
            if row is None:
                raise ValidationError("Screening", "record the screening before an override")
            state = m.screening_state(
                {k: (row.items.get(k) or {}).get("answer", "") for k in m.CONTRAINDICATION_KEYS},
                row.consent_date is not None,
                row.fasting_acknowledged and row.ride_home_arranged,
                reason,
            )
            if not state.can_be_overridden:
                raise ValidationError(
                    "Override",
                    "nothing on the checklist blocks a dose: there is nothing to override",
                )
            if not state.overridden:
                raise ValidationError(
                    "Override",
                    "consent, fasting instructions and the ride home must be recorded first",
                )
            row.override_reason, row.override_by, row.override_at = (
                reason,
                self.vault.actor,
                utcnow(),
            )
            db.flush()
            op.audit("override", "screening", row.id, f"items {len(state.blocking)}")
            op.touched(Kind.SCREENING, row.id, client=client.id)
            return self._record(client.id, row)

    def withdraw_override(self, client_id: uuid.UUID) -> ScreeningRecord:
        with self.write() as op:
            db = op.db
            client = self.fetch(db, Client, v.record_id("client", client_id), "client")
            row = self._row(db, client.id)
            if row is None or not row.override_reason:
                raise ValidationError("Override", "there is no override to withdraw")
            row.override_reason, row.override_by, row.override_at = "", "", None
            db.flush()
            op.audit("update", "screening", row.id, "override withdrawn")
            op.touched(Kind.SCREENING, row.id, client=client.id)
            return self._record(client.id, row)

    def acknowledge_interaction(
        self, client_id: uuid.UUID, label: str, prescriber: str
    ) -> ScreeningRecord:
        """The prescriber has seen one interacting medication named in the medications (audited)."""
        prescriber = v.line("Prescriber", prescriber, required=True)
        with self.write() as op:
            db = op.db
            client = self.fetch(db, Client, v.record_id("client", client_id), "client")
            row = self._row(db, client.id)
            if row is None or label not in m.interacting_medications(row.medications):
                raise ValidationError("Interaction", "that medication is not in the screening")
            acks = dict(row.interaction_acks or {})
            acks[label] = {"by": prescriber, "at": utcnow().isoformat()}
            row.interaction_acks = acks
            db.flush()
            op.audit("review", "screening", row.id, "interaction acknowledged")
            op.touched(Kind.SCREENING, row.id, client=client.id)
            return self._record(client.id, row)

    def record_review(self, client_id: uuid.UUID, prescriber: str, reason: str) -> ScreeningRecord:
        """The prescriber reviewed what needs review now: who, when, why (audited).

        The review covers the reasons standing at this moment; a reason that
        appears later (a new medication, a new baseline) needs a new review.
        """
        prescriber = v.line("Prescriber", prescriber, required=True)
        reason = v.text("Review reason", reason, required=True, max_len=5_000).strip()
        with self.write() as op:
            db = op.db
            client = self.fetch(db, Client, v.record_id("client", client_id), "client")
            row = self._row(db, client.id)
            reasons = () if row is None else _reasons(row, self.policy, self.today())
            if row is None or not reasons:
                raise ValidationError("Review", "nothing in the screening needs a review")
            row.review_reason, row.review_by, row.review_at = reason, prescriber, utcnow()
            row.review_covers = [r.key for r in reasons]
            db.flush()
            op.audit("review", "screening", row.id, f"reasons {len(reasons)}")
            op.touched(Kind.SCREENING, row.id, client=client.id)
            return self._record(client.id, row)

    @staticmethod
    def _row(db: DbSession, client_id: uuid.UUID) -> Screening | None:
        return db.scalar(select(Screening).where(Screening.client_id == client_id))


def gate(
    db: DbSession,
    client_id: uuid.UUID,
    policy: safety.MedicinePolicy,
    today: date,
    waived: Sequence[str] = (),
) -> m.ScreeningState:
    """The screening state inside the caller's transaction (the dose check)."""
    row = db.scalar(select(Screening).where(Screening.client_id == client_id))
    return _state(row, policy, today, waived)


def baseline_key(db: DbSession, client_id: uuid.UUID) -> str | None:
    """The review key of the screening's baseline, which a later pre-dose reading can settle."""
    row = db.scalar(select(Screening).where(Screening.client_id == client_id))
    if row is None or row.baseline_systolic is None or row.baseline_diastolic is None:
        return None
    return safety.baseline_key(row.baseline_systolic, row.baseline_diastolic)
