"""One appointment with a client."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, Timestamps, UuidPk, str_enum

if TYPE_CHECKING:
    from models.client import Client
    from models.note import Note


class SessionKind(enum.StrEnum):
    INTAKE = "intake"
    PREPARATION = "preparation"
    MEDICINE = "medicine"
    INTEGRATION = "integration"
    EMDR = "emdr"
    ART = "art"
    IFS = "ifs"
    MAINTENANCE = "maintenance"
    OTHER = "other"


class SessionLocation(enum.StrEnum):
    IN_PERSON = "in_person"
    TELEHEALTH = "telehealth"


class SessionAttendance(enum.StrEnum):
    PLANNED = "planned"
    DONE = "done"
    MISSED = "missed"
    CANCELLED = "cancelled"


class Session(UuidPk, Timestamps, Base):
    __tablename__ = "sessions"

    client_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("clients.id"), index=True)
    program_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("programs.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(index=True)
    duration_min: Mapped[int] = mapped_column(default=50)
    kind: Mapped[SessionKind] = mapped_column(str_enum(SessionKind))
    location: Mapped[SessionLocation] = mapped_column(
        str_enum(SessionLocation), default=SessionLocation.IN_PERSON
    )
    title: Mapped[str] = mapped_column(String(200), default="")
    attendance: Mapped[SessionAttendance] = mapped_column(
        str_enum(SessionAttendance), default=SessionAttendance.DONE, server_default="done"
    )

    client: Mapped[Client] = relationship(back_populates="sessions")
    notes: Mapped[list[Note]] = relationship(back_populates="session", order_by="Note.created_at")
