"""One set of bilateral stimulation given during a session, as the pacer logged it."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, Timestamps, UuidPk


class BlsSet(UuidPk, Timestamps, Base):
    __tablename__ = "bls_sets"

    session_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sessions.id"), index=True)
    number: Mapped[int]
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime]
    speed_hz: Mapped[float]
    path: Mapped[str] = mapped_column(String(20))
    profile: Mapped[str] = mapped_column(String(20))
    sound: Mapped[str] = mapped_column(String(20))
    passes_completed: Mapped[int]
    ended_by: Mapped[str] = mapped_column(String(20))
    frames: Mapped[int] = mapped_column(default=0)
    frame_p50_ms: Mapped[float | None]
    frame_p99_ms: Mapped[float | None]
    late_frames: Mapped[int] = mapped_column(default=0)
    max_position_error_px: Mapped[float | None]
    sud: Mapped[int | None]
    voc: Mapped[int | None]
    notes: Mapped[str] = mapped_column(Text, default="")
    protocol: Mapped[str] = mapped_column(String(10), default="emdr")  # the worksheet it counts for
    # Where the set also ran and how it kept time there: a client's own device, by link.
    remote: Mapped[str] = mapped_column(Text, default="")
