"""A medicine session: the dose, the vitals timeline, dissociation, adverse events, discharge.

The dose is the moment the screening gate guards: recording a dose (or its
time) while screening is blocked is refused, naming why, unless the
clinician has recorded an override. mg/kg is computed from the weight on
the client's screening and stored with the dose; with no weight on record it
stays unknown, never zero. Flags and reminders are computed from the clinic's
thresholds and schedule (settings) at read time, so changing a threshold
re-flags old readings consistently. The audit names fields, never values.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from console.clinical import medicine as m
from console.clinical import medicine_safety as safety
from console.errors import ValidationError
from console.services import validation as v
from console.services.base import Service, Write
from console.services.changes import Action, Kind
from console.services.screening import baseline_key, gate
from models import (
    AdverseEvent,
    MedicineSession,
    Screening,
    Session,
    SessionAttendance,
    SessionKind,
    VitalReading,
)
from models.base import utcnow


class OtherDayError(ValidationError):
    """The dose time is on another day than the session: the user confirms or corrects it."""


@dataclass(frozen=True)
class DoseGate:
    """Why a first dose would be refused now; `hold` when a pre-dose reading is the reason."""

    problem: str
    hold: bool


@dataclass(frozen=True)
class DoseFields:
    medicine: str = "racemic_ketamine"
    form: str = ""
    route: str = "sublingual"
    dose_mg: float | None = None
    lot_number: str = ""
    given_at: datetime | None = None
    given_by: str = ""
    monitored_by: str = ""
    second_dose_mg: float | None = None
    second_given_at: datetime | None = None
    dissociation_scale: str = "cadss6"
    dissociation_total: int | None = None
    client_state: str = ""
    notes: str = ""
    discharge_alert: bool = False
    discharge_vitals_in_range: bool = False
    discharge_escort_present: bool = False
    discharged_at: datetime | None = None
    early_discharge_reason: str = ""
    # The user confirmed a dose time on another day than the session's (not stored).
    other_day_confirmed: bool = False


@dataclass(frozen=True)
class ReadingFields:
    taken_at: datetime
    systolic: int
    diastolic: int
    heart_rate: int
    spo2: int
    respiratory_rate: int | None = None
    pre_dose: bool = False
    note: str = ""
    sedation: int | None = None


@dataclass(frozen=True)
class Reading(ReadingFields):
    id: uuid.UUID = uuid.UUID(int=0)
    minutes: float | None = None  # since the first dose; None before a dose time
    flags: tuple[m.Flag, ...] = ()


@dataclass(frozen=True)
class EventFields:
    kind: str
    occurred_at: datetime
    severity: str
    outcome: str
    description: str = ""
    action: str = ""
    medication_given: str = ""


@dataclass(frozen=True)
class Event(EventFields):
    id: uuid.UUID = uuid.UUID(int=0)


@dataclass(frozen=True)
class MedicineRecord(DoseFields):
    id: uuid.UUID = uuid.UUID(int=0)
    session_id: uuid.UUID = uuid.UUID(int=0)
    client_id: uuid.UUID = uuid.UUID(int=0)
    weight_kg: float | None = None
    mg_per_kg: float | None = None
    second_mg_per_kg: float | None = None
    readings: tuple[Reading, ...] = ()
    events: tuple[Event, ...] = ()
    session_starts_at: datetime | None = None
    ready_to_leave_at: datetime | None = None
    hold_review_reason: str = ""
    hold_review_by: str = ""
    hold_review_at: datetime | None = None
    policy: safety.MedicinePolicy = safety.DEFAULT_POLICY

    @property
    def dose(self) -> DoseFields:
        return DoseFields(**{f.name: getattr(self, f.name) for f in fields(DoseFields)})

    @property
    def last_dose_at(self) -> datetime | None:
        times = [t for t in (self.given_at, self.second_given_at) if t is not None]
        return max(times) if times else None

    @property
    def monitoring(self) -> bool:
        """Dosed and not yet discharged: the session is being watched."""
        return self.given_at is not None and self.discharged_at is None

    def bp_points(self, now: datetime) -> tuple[safety.BpPointState, ...]:
        """The clinic's required blood pressures, each taken or not (the end: by discharge)."""
        taken = [safety.Taken(r.taken_at, r.pre_dose) for r in self.readings]
        end_at = self.discharged_at or now
        return safety.bp_points(self.policy.bp_points, self.given_at, taken, end_at)

    def readiness(self, now: datetime) -> safety.Readiness:
        """Ready for discharge at `now` (or at the recorded discharge), and what is in the way."""
        at = self.discharged_at or now
        after = [r for r in self.readings if not r.pre_dose and r.taken_at <= at]
        latest = after[-1] if after else None
        return safety.discharge_readiness(
            last_dose_at=self.last_dose_at,
            latest_after_dose=None if latest is None else latest.flags,
            latest_sedation=None if latest is None else latest.sedation,
            checks=m.discharge_problems(
                self.discharge_alert, self.discharge_vitals_in_range, self.discharge_escort_present
            ),
            missing_points=[p.label for p in self.bp_points(now) if not p.done],
            at=at,
            policy=self.policy,
        )

    @property
    def discharge_problems(self) -> tuple[str, ...]:
        """What stood in the way at the recorded discharge (empty before discharge is recorded
        only when the checks are ticked; see `readiness` for the live view)."""
        if self.discharged_at is None:
            return m.discharge_problems(
                self.discharge_alert, self.discharge_vitals_in_range, self.discharge_escort_present
            )
        return self.readiness(self.discharged_at).problems

    @property
    def flagged(self) -> tuple[m.Flag, ...]:
        return tuple(f for r in self.readings for f in r.flags)

    def reminders(self, schedule: Sequence[int], now: datetime) -> m.ReminderState | None:
        """Which reading is due at `now`; None before the dose is given."""
        if self.given_at is None:
            return None
        taken = [r.taken_at for r in self.readings if not r.pre_dose]
        return m.due_readings(schedule, self.given_at, taken, now)


STORED = frozenset(f.name for f in fields(DoseFields)) - {"other_day_confirmed"}


def _dose_values(data: DoseFields) -> dict[str, object]:
    safety.validate_medicine(data.medicine, data.form)
    m.validate_route(data.route)
    given_at = None if data.given_at is None else v.instant("Time given", data.given_at)
    second_at = (
        None
        if data.second_given_at is None
        else v.instant("Second dose time", data.second_given_at)
    )
    m.validate_doses(data.dose_mg, given_at, data.second_dose_mg, second_at)
    total = data.dissociation_total
    if total is not None:
        m.validate_dissociation_total(data.dissociation_scale, total)
    elif data.dissociation_scale not in m.DISSOCIATION_SCALE_KEYS:
        raise ValidationError(
            "Dissociation scale", "must be one of: " + ", ".join(m.DISSOCIATION_SCALE_KEYS)
        )
    discharged = (
        None if data.discharged_at is None else v.instant("Discharge time", data.discharged_at)
    )
    if discharged is not None and given_at is not None and discharged < given_at:
        raise ValidationError("Discharge time", "is before the dose was given")
    return {
        "medicine": data.medicine,
        "form": data.form,
        "route": data.route,
        "dose_mg": None if data.dose_mg is None else float(data.dose_mg),
        "lot_number": v.line("Lot number", data.lot_number, max_len=60),
        "given_at": given_at,
        "given_by": v.line("Given by", data.given_by),
        "monitored_by": v.line("Monitored by", data.monitored_by),
        "second_dose_mg": None if data.second_dose_mg is None else float(data.second_dose_mg),
        "second_given_at": second_at,
        "dissociation_scale": data.dissociation_scale,
        "dissociation_total": total,
        "client_state": v.text("Client's state", data.client_state),
        "notes": v.text("Notes", data.notes),
        "discharge_alert": bool(data.discharge_alert),
        "discharge_vitals_in_range": bool(data.discharge_vitals_in_range),
        "discharge_escort_present": bool(data.discharge_escort_present),
        "discharged_at": discharged,
        "early_discharge_reason": v.text(
            "Early discharge reason", data.early_discharge_reason, max_len=5_000
        ).strip(),
    }


def _reading(row: VitalReading, dose_at: datetime | None, thresholds: m.Thresholds) -> Reading:
    minutes = None if row.pre_dose else m.minutes_since_dose(row.taken_at, dose_at)
    vitals = m.VitalsReading(
        row.systolic, row.diastolic, row.heart_rate, row.spo2, row.respiratory_rate
    )
    return Reading(
        taken_at=row.taken_at,
        systolic=row.systolic,
        diastolic=row.diastolic,
        heart_rate=row.heart_rate,
        spo2=row.spo2,
        respiratory_rate=row.respiratory_rate,
        pre_dose=row.pre_dose,
        note=row.note,
        sedation=row.sedation,
        id=row.id,
        minutes=minutes,
        flags=m.flags(vitals, None if row.pre_dose else minutes, thresholds),
    )


def _event(row: AdverseEvent) -> Event:
    return Event(
        kind=row.kind,
        occurred_at=row.occurred_at,
        severity=row.severity,
        outcome=row.outcome,
        description=row.description,
        action=row.action,
        medication_given=row.medication_given,
        id=row.id,
    )


def _touched(op: Write, row: MedicineSession, session: Session) -> None:
    op.touched(Kind.MEDICINE_SESSION, row.id, client=session.client_id, session=session.id)


class MedicineService(Service):
    policy: safety.MedicinePolicy = safety.DEFAULT_POLICY
    today: Callable[[], date] = staticmethod(date.today)
    now: Callable[[], datetime] = staticmethod(utcnow)

    @property
    def thresholds(self) -> m.Thresholds:
        return self.policy.thresholds

    def use_policy(self, policy: safety.MedicinePolicy) -> None:
        """The clinic's thresholds, schedule and discharge rules for everything from now on."""
        self.policy = policy

    def get(self, session_id: uuid.UUID) -> MedicineRecord | None:
        with self.unit() as db:
            session = self._medicine_session(db, session_id)
            row = self._row(db, session.id)
            return None if row is None else self._record(db, session, row)

    def save(self, session_id: uuid.UUID, data: DoseFields) -> MedicineRecord:
        """Save the dose and session fields; a first dose needs screening cleared or overridden.

        The form autosaves: fields saved as they are stored write nothing and announce nothing.
        """
        values = _dose_values(data)
        with self.write() as op:
            db = op.db
            session = self._medicine_session(db, session_id)
            row = self._row(db, session.id)
            created = row is None
            if row is None:
                op.action = Action.CREATED
                row = MedicineSession(session_id=session.id)
                db.add(row)
            self._check_dose(db, session, row, values, data.other_day_confirmed)
            if not created:
                self._check_readings(db, row, values["given_at"])
            weight = self._weight(db, session.client_id)
            values["weight_kg"] = weight if values["dose_mg"] is not None else None
            values["mg_per_kg"] = m.mg_per_kg(values["dose_mg"], weight)  # type: ignore[arg-type]
            changed = sorted(k for k, val in values.items() if getattr(row, k, None) != val)
            if not created and not changed:
                return self._record(db, session, row)
            not_ready, attended = self._apply(db, session, row, values)
            op.audit(
                "create" if created else "update",
                "medicine_session",
                row.id,
                "fields: " + ", ".join([*changed, *(["attendance"] if attended else [])]),
            )
            if not_ready:
                op.audit(
                    "early_discharge", "medicine_session", row.id, f"problems {len(not_ready)}"
                )
            _touched(op, row, session)
            if attended:
                op.touched(Kind.SESSION, session.id, client=session.client_id, session=session.id)
            return self._record(db, session, row)

    def _check_dose(
        self,
        db: DbSession,
        session: Session,
        row: MedicineSession,
        values: dict[str, object],
        other_day_confirmed: bool,
    ) -> None:
        """A first dose needs the screening's clearance; a dose on another day, a confirmation."""
        dosing = values["dose_mg"] is not None or values["given_at"] is not None
        if dosing and row.dose_mg is None and row.given_at is None:
            self._check_first_dose(db, session, row)
        first_at = values["given_at"]
        if (
            isinstance(first_at, datetime)
            and not other_day_confirmed
            and first_at != row.given_at
            and safety.on_another_day(first_at, session.starts_at)
        ):
            raise OtherDayError(
                "Time given",
                "is on another day than the session: confirm the date, or correct it",
            )

    @staticmethod
    def _check_readings(db: DbSession, row: MedicineSession, first_at: object) -> None:
        """Readings are timed from the dose: moving or clearing it must keep them in order."""
        readings = list(
            db.scalars(select(VitalReading).where(VitalReading.medicine_session_id == row.id))
        )
        since = [r for r in readings if not r.pre_dose]
        moved = first_at if isinstance(first_at, datetime) and first_at != row.given_at else None
        before = [
            r
            for r in readings
            if r.pre_dose and moved is not None and m.pre_dose_after(r.taken_at, moved)
        ]
        if before:
            raise ValidationError(
                "Time given",
                f"{len(before)} pre-dose reading(s) would then be after the dose: "
                "correct the dose time or those readings",
            )
        if since and not isinstance(first_at, datetime):
            raise ValidationError(
                "Time given",
                f"{len(since)} reading(s) are timed from the dose: keep its time",
            )
        early = [r for r in since if isinstance(first_at, datetime) and r.taken_at < first_at]
        if early:
            raise ValidationError(
                "Time given",
                f"{len(early)} reading(s) since the dose would then be before it: "
                "correct the dose time or those readings",
            )

    def _apply(
        self, db: DbSession, session: Session, row: MedicineSession, values: dict[str, object]
    ) -> tuple[tuple[str, ...], bool]:
        """Store the values; what an early discharge lacks, and whether the session got done."""
        discharging = values["discharged_at"] is not None and (
            values["discharged_at"] != row.discharged_at
            or values["early_discharge_reason"] != row.early_discharge_reason
        )
        for key, val in values.items():
            setattr(row, key, val)
        db.flush()
        record = self._record(db, session, row)
        not_ready = self._check_discharge(record) if discharging else ()
        row.ready_to_leave_at = record.readiness(self.now()).ready_at
        attended = (
            isinstance(values["given_at"], datetime)
            and session.attendance is SessionAttendance.PLANNED
        )
        if attended:
            session.attendance = SessionAttendance.DONE
        db.flush()
        return not_ready, attended

    def add_reading(self, session_id: uuid.UUID, data: ReadingFields) -> Reading:
        """Add one set of vitals; out-of-range values and impossible times are refused."""
        vitals = m.validate_vitals(
            data.systolic, data.diastolic, data.heart_rate, data.spo2, data.respiratory_rate
        )
        taken_at = v.instant("Reading time", data.taken_at)
        note = v.text("Note", data.note, max_len=5_000)
        sedation = safety.validate_sedation(data.sedation)
        with self.write(Action.CREATED) as op:
            db = op.db
            session = self._medicine_session(db, session_id)
            row = self._row_or_new(op, session)
            m.validate_reading_time(taken_at, row.given_at, pre_dose=data.pre_dose)
            reading = VitalReading(
                medicine_session_id=row.id,
                taken_at=taken_at,
                pre_dose=bool(data.pre_dose),
                note=note,
                sedation=sedation,
                **vitals.whole(),
            )
            db.add(reading)
            db.flush()
            result = _reading(reading, row.given_at, self.thresholds)
            detail = f"flags {len(result.flags)}" + ("; pre-dose" if data.pre_dose else "")
            op.audit("create", "vital_reading", reading.id, detail)
            op.touched(Kind.VITAL_READING, reading.id, client=session.client_id, session=session.id)
            return result

    def remove_reading(self, reading_id: uuid.UUID) -> None:
        self._remove(VitalReading, reading_id, "reading", Kind.VITAL_READING)

    def add_event(self, session_id: uuid.UUID, data: EventFields) -> Event:
        m.validate_adverse_event(data.kind, data.severity, data.outcome, data.description)
        values = {
            "kind": data.kind,
            "severity": data.severity,
            "outcome": data.outcome,
            "occurred_at": v.instant("Time", data.occurred_at),
            "description": v.text("Description", data.description, max_len=20_000),
            "action": v.text("Action taken", data.action, max_len=20_000),
            "medication_given": v.text("Medication given", data.medication_given, max_len=5_000),
        }
        with self.write(Action.CREATED) as op:
            db = op.db
            session = self._medicine_session(db, session_id)
            row = self._row_or_new(op, session)
            event = AdverseEvent(medicine_session_id=row.id, **values)
            db.add(event)
            db.flush()
            result = _event(event)
            op.audit("create", "adverse_event", event.id, f"severity {data.severity}")
            op.touched(Kind.ADVERSE_EVENT, event.id, client=session.client_id, session=session.id)
            return result

    def remove_event(self, event_id: uuid.UUID) -> None:
        self._remove(AdverseEvent, event_id, "adverse event", Kind.ADVERSE_EVENT)

    def _remove(
        self, model: type[VitalReading | AdverseEvent], record_id: uuid.UUID, what: str, kind: Kind
    ) -> None:
        """A reading or an event entered by mistake; the audit trail keeps that it was voided."""
        with self.write(Action.DELETED) as op:
            row = self.fetch(op.db, model, v.record_id(what, record_id), what)
            session = self._session_of(op.db, row.medicine_session_id)
            op.db.delete(row)
            op.audit("void", kind.value, row.id)
            op.touched(kind, row.id, client=session.client_id, session=session.id)

    def for_client(self, client_id: uuid.UUID) -> list[MedicineRecord]:
        """Every medicine session of the client, oldest first (the course summary)."""
        with self.unit() as db:
            rows = db.execute(
                select(MedicineSession, Session)
                .join(Session, Session.id == MedicineSession.session_id)
                .where(Session.client_id == v.record_id("client", client_id))
                .order_by(Session.starts_at)
            ).all()
            return [self._record(db, session, row) for row, session in rows]

    def review_hold(self, session_id: uuid.UUID, prescriber: str, reason: str) -> MedicineRecord:
        """The prescriber reviewed a hold-level pre-dose reading and lets the dose go ahead."""
        prescriber = v.line("Prescriber", prescriber, required=True)
        reason = v.text("Review reason", reason, required=True, max_len=5_000).strip()
        with self.write() as op:
            db = op.db
            session = self._medicine_session(db, session_id)
            row = self._row_or_new(op, session)
            if self._held_by(db, row) is None:
                raise ValidationError("Review", "no pre-dose reading is at the hold level")
            row.hold_review_reason, row.hold_review_by = reason, prescriber
            row.hold_review_at = utcnow()
            db.flush()
            op.audit("review", "medicine_session", row.id, "pre-dose hold reviewed")
            _touched(op, row, session)
            return self._record(db, session, row)

    def first_dose_gate(self, session_id: uuid.UUID) -> DoseGate | None:
        """Why a first dose would be refused now, or None (the dose form's banner)."""
        with self.unit() as db:
            session = self._medicine_session(db, session_id)
            row = self._row(db, session.id) or MedicineSession(session_id=session.id)
            try:
                self._check_first_dose(db, session, row)
            except ValidationError as exc:
                return DoseGate(exc.reason, self._held_by(db, row) is not None)
        return None

    # -- internals ----------------------------------------------------------------

    def _held_by(self, db: DbSession, row: MedicineSession) -> VitalReading | None:
        """The latest pre-dose reading, if it is at the hold level and not reviewed since."""
        latest = self._latest_pre_dose(db, row)
        if latest is None or not safety.hold_flags(
            latest.systolic, latest.diastolic, self.thresholds
        ):
            return None
        if row.hold_review_at is not None and row.hold_review_at >= latest.created_at:
            return None
        return latest

    @staticmethod
    def _latest_pre_dose(db: DbSession, row: MedicineSession) -> VitalReading | None:
        if row.id is None:
            return None
        return db.scalar(
            select(VitalReading)
            .where(VitalReading.medicine_session_id == row.id, VitalReading.pre_dose.is_(True))
            .order_by(VitalReading.taken_at.desc(), VitalReading.created_at.desc())
            .limit(1)
        )

    def _check_first_dose(self, db: DbSession, session: Session, row: MedicineSession) -> None:
        """Refuse a first dose while screening is blocked or needs review, or a hold stands.

        A pre-dose reading below the hold level in this session settles a
        hold-level baseline from the screening (the reading was repeated).
        """
        latest = self._latest_pre_dose(db, row)
        waived: list[str] = []
        if latest is not None and not safety.hold_flags(
            latest.systolic, latest.diastolic, self.thresholds
        ):
            key = baseline_key(db, session.client_id)
            waived = [key] if key else []
        state = gate(db, session.client_id, self.policy, self.today(), waived)
        if not state.may_start:
            ask = (
                "The prescriber records a review (client overview → Screening)"
                if state.needs_review
                else "Complete the screening, or record an override with a reason,"
            )
            raise ValidationError("Screening", f"{state.summary}. {ask} before a dose is given")
        held = self._held_by(db, row)
        if held is not None:
            raise ValidationError(
                "Screening",
                f"the pre-dose blood pressure {held.systolic}/{held.diastolic} is at the hold "
                "level. Repeat the reading, or the prescriber records a review, before a dose "
                "is given",
            )

    def _check_discharge(self, record: MedicineRecord) -> tuple[str, ...]:
        """A discharge before the client is ready needs the reason it was right (audited)."""
        problems = record.readiness(self.now()).problems
        if problems and not record.early_discharge_reason:
            raise ValidationError(
                "Early discharge reason",
                "the client is not ready for discharge ("
                + "; ".join(problems)
                + "): give the reason to discharge now, or wait",
            )
        return problems

    def _record(self, db: DbSession, session: Session, row: MedicineSession) -> MedicineRecord:
        readings = db.scalars(
            select(VitalReading)
            .where(VitalReading.medicine_session_id == row.id)
            .order_by(VitalReading.taken_at)
        ).all()
        events = db.scalars(
            select(AdverseEvent)
            .where(AdverseEvent.medicine_session_id == row.id)
            .order_by(AdverseEvent.occurred_at)
        ).all()
        dose = {f.name: getattr(row, f.name) for f in fields(DoseFields) if f.name in STORED}
        return MedicineRecord(
            **dose,
            id=row.id,
            session_id=session.id,
            client_id=session.client_id,
            weight_kg=row.weight_kg,
            mg_per_kg=row.mg_per_kg,
            second_mg_per_kg=m.mg_per_kg(row.second_dose_mg, row.weight_kg),
            readings=tuple(_reading(r, row.given_at, self.thresholds) for r in readings),
            events=tuple(_event(e) for e in events),
            session_starts_at=session.starts_at,
            ready_to_leave_at=row.ready_to_leave_at,
            hold_review_reason=row.hold_review_reason,
            hold_review_by=row.hold_review_by,
            hold_review_at=row.hold_review_at,
            policy=self.policy,
        )

    def _medicine_session(self, db: DbSession, session_id: uuid.UUID) -> Session:
        session = self.fetch(db, Session, v.record_id("session", session_id), "session")
        if session.kind is not SessionKind.MEDICINE:
            raise ValidationError("Session", "is not a medicine session")
        return session

    def _row_or_new(self, op: Write, session: Session) -> MedicineSession:
        """Readings and events may come before the dose form is saved: the record starts then."""
        row = self._row(op.db, session.id)
        if row is None:
            row = MedicineSession(session_id=session.id)
            op.db.add(row)
            op.db.flush()
            op.audit("create", "medicine_session", row.id)
            _touched(op, row, session)
        return row

    def _session_of(self, db: DbSession, medicine_session_id: uuid.UUID) -> Session:
        row = self.fetch(db, MedicineSession, medicine_session_id, "medicine session")
        return self.fetch(db, Session, row.session_id, "session")

    @staticmethod
    def _row(db: DbSession, session_id: uuid.UUID) -> MedicineSession | None:
        return db.scalar(select(MedicineSession).where(MedicineSession.session_id == session_id))

    @staticmethod
    def _weight(db: DbSession, client_id: uuid.UUID) -> float | None:
        return db.scalar(select(Screening.weight_kg).where(Screening.client_id == client_id))
