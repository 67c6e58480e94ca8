"""One completed (or part-completed) outcome measure, kept as answered.

Rows are never edited: a wrong entry is voided with a reason and entered
again, so the chart and any printed report can be traced to what was given.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

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
