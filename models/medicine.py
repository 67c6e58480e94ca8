"""The medicine side of a ketamine-assisted course: screening, dosing sessions, vitals, events.

Vocabularies, ranges and the screening gate are console.clinical.medicine's;
the tables keep what was entered. `MedicineSession.weight_kg` is the weight
the dose was computed against, kept with the dose so a later weight change
never rewrites an old mg/kg.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, Timestamps, UuidPk


class Screening(UuidPk, Timestamps, Base):
    """A client's screening before the first medicine session (one per client, kept current)."""

    __tablename__ = "screenings"

    client_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("clients.id"), unique=True)
    # key -> {"answer": "yes|no|unknown", "note": str, "checked_by": str, "checked_at": iso}
    items: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    weight_kg: Mapped[float | None] = mapped_column(Float)
    baseline_systolic: Mapped[int | None]
    baseline_diastolic: Mapped[int | None]
    medications: Mapped[str] = mapped_column(Text, default="")
    consent_date: Mapped[date | None]
    consent_version: Mapped[str] = mapped_column(String(60), default="")
    fasting_acknowledged: Mapped[bool] = mapped_column(default=False)
    ride_home_arranged: Mapped[bool] = mapped_column(default=False)
    override_reason: Mapped[str] = mapped_column(Text, default="")
    override_by: Mapped[str] = mapped_column(String(200), default="")
    override_at: Mapped[datetime | None]
    # The prescriber's review of what needs one (hold-level baseline, interacting
    # medication, expired consent): who, when, why, and the reasons it covered,
    # so a new reason needs a new review.
    review_reason: Mapped[str] = mapped_column(Text, default="")
    review_by: Mapped[str] = mapped_column(String(200), default="")
    review_at: Mapped[datetime | None]
    review_covers: Mapped[list[str]] = mapped_column(JSON, default=list)
    # interacting medication label -> {"by": prescriber, "at": iso}
    interaction_acks: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class MedicineSession(UuidPk, Timestamps, Base):
    __tablename__ = "medicine_sessions"

    session_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sessions.id"), unique=True)
    medicine: Mapped[str] = mapped_column(String(30), default="racemic_ketamine")
    form: Mapped[str] = mapped_column(String(30), default="")
    route: Mapped[str] = mapped_column(String(20), default="sublingual")
    dose_mg: Mapped[float | None] = mapped_column(Float)
    weight_kg: Mapped[float | None] = mapped_column(Float)
    mg_per_kg: Mapped[float | None] = mapped_column(Float)
    lot_number: Mapped[str] = mapped_column(String(60), default="")
    given_at: Mapped[datetime | None]
    given_by: Mapped[str] = mapped_column(String(200), default="")
    monitored_by: Mapped[str] = mapped_column(String(200), default="")
    second_dose_mg: Mapped[float | None] = mapped_column(Float)
    second_given_at: Mapped[datetime | None]
    dissociation_scale: Mapped[str] = mapped_column(String(20), default="cadss6")
    dissociation_total: Mapped[int | None]
    client_state: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    discharge_alert: Mapped[bool] = mapped_column(default=False)
    discharge_vitals_in_range: Mapped[bool] = mapped_column(default=False)
    discharge_escort_present: Mapped[bool] = mapped_column(default=False)
    discharged_at: Mapped[datetime | None]
    ready_to_leave_at: Mapped[datetime | None]
    early_discharge_reason: Mapped[str] = mapped_column(Text, default="")
    # A pre-dose reading at the hold level stops the first dose until it is
    # repeated below the hold level or the prescriber records this review.
    hold_review_reason: Mapped[str] = mapped_column(Text, default="")
    hold_review_by: Mapped[str] = mapped_column(String(200), default="")
    hold_review_at: Mapped[datetime | None]


class VitalReading(UuidPk, Timestamps, Base):
    __tablename__ = "vital_readings"

    medicine_session_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("medicine_sessions.id"), index=True
    )
    taken_at: Mapped[datetime]
    # The baseline before dosing (hold rules apply), not a reading since the dose.
    pre_dose: Mapped[bool] = mapped_column(default=False)
    systolic: Mapped[int]
    diastolic: Mapped[int]
    heart_rate: Mapped[int]
    spo2: Mapped[int]
    respiratory_rate: Mapped[int | None]
    sedation: Mapped[int | None]  # 0 (no response) to 5 (responds readily), MOAA/S-like
    note: Mapped[str] = mapped_column(Text, default="")


class AdverseEvent(UuidPk, Timestamps, Base):
    __tablename__ = "adverse_events"

    medicine_session_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("medicine_sessions.id"), index=True
    )
    kind: Mapped[str] = mapped_column(String(30))
    description: Mapped[str] = mapped_column(Text, default="")
    occurred_at: Mapped[datetime]
    severity: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(Text, default="")
    medication_given: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(String(20))


class ProgramTemplate(UuidPk, Timestamps, Base):
    """A course layout the clinic can edit: which sessions, on which day from the start."""

    __tablename__ = "program_templates"

    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20))
    # [{"day": int, "kind": session kind, "title": str}], in order
    steps: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    archived: Mapped[bool] = mapped_column(default=False)
