"""One completed (or part-completed) outcome measure, kept as answered, and what was
done about a risk it flagged.

Rows are never edited: a wrong entry is voided with a reason and entered
again, so the chart and any printed report can be traced to what was given.
A risk assessment is its own row, added and never changed, so the record shows
who addressed a flag, when, and how, beside the answer that raised it.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, Timestamps, UuidPk


class MeasureResponse(UuidPk, Timestamps, Base):
    __tablename__ = "measure_responses"

    client_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("clients.id"), index=True)
    session_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("sessions.id"))
    measure: Mapped[str] = mapped_column(String(20))
    answered_at: Mapped[datetime]
    # Item answers (None for a skipped item); None for a clinician-entered total.
    answers: Mapped[list[int | None] | None] = mapped_column(JSON)
    total: Mapped[int | None]
    complete: Mapped[bool]
    entered_by: Mapped[str] = mapped_column(String(20))
    voided: Mapped[bool] = mapped_column(default=False)
    void_reason: Mapped[str] = mapped_column(Text, default="")
    # One flag a line, so the clinician sees them without rescoring.
    flags: Mapped[str] = mapped_column(Text, default="")
    risk_assessments: Mapped[list[RiskAssessment]] = relationship(
        order_by="RiskAssessment.assessed_at", lazy="selectin"
    )


class RiskAssessment(UuidPk, Timestamps, Base):
    """What the clinician did about a risk flag: an assessment, or the clinic's safety plan."""

    __tablename__ = "risk_assessments"

    measure_response_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("measure_responses.id"), index=True
    )
    method: Mapped[str] = mapped_column(String(20))
    # The assessment (required for "assessment"; a note, if any, with a safety plan).
    text: Mapped[str] = mapped_column(Text, default="")
    # The safety-plan document as the clinic had it configured when it was linked.
    safety_plan: Mapped[str] = mapped_column(Text, default="")
    assessed_by: Mapped[str] = mapped_column(String(200))
    assessed_at: Mapped[datetime]
    # Whoever had the vault open when it was entered (may differ from the assessor).
    recorded_by: Mapped[str] = mapped_column(String(200))
