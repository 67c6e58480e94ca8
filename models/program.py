"""A course of treatment (an intensive or a weekly series) and its goals."""

from __future__ import annotations

import enum
import uuid
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, Timestamps, UuidPk, str_enum

if TYPE_CHECKING:
    from models.client import Client


class ProgramKind(enum.StrEnum):
    INTENSIVE = "intensive"
    WEEKLY = "weekly"
    OTHER = "other"


class Program(UuidPk, Timestamps, Base):
    __tablename__ = "programs"

    client_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("clients.id"), index=True)
    kind: Mapped[ProgramKind] = mapped_column(str_enum(ProgramKind))
    title: Mapped[str] = mapped_column(String(200))
    start_date: Mapped[date]
    end_date: Mapped[date | None]
    description: Mapped[str] = mapped_column(Text, default="")

    client: Mapped[Client] = relationship(back_populates="programs")
    goals: Mapped[list[Goal]] = relationship(
        back_populates="program", order_by="Goal.position", cascade="all, delete-orphan"
    )


class Goal(UuidPk, Timestamps, Base):
    __tablename__ = "goals"

    program_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("programs.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    text: Mapped[str] = mapped_column(Text)
    achieved: Mapped[bool] = mapped_column(default=False)

    program: Mapped[Program] = relationship(back_populates="goals")
