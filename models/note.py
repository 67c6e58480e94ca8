"""Session notes and their addenda.

A signed note or addendum never changes: the service refuses, and triggers
created by the initial migration refuse again at the database.
"""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, Timestamps, UuidPk, str_enum

if TYPE_CHECKING:
    from models.program import Goal
    from models.session import Session


class NoteTemplate(enum.StrEnum):
    SOAP = "soap"
    DAP = "dap"
    BIRP = "birp"
    PROGRESS = "progress"
    INTAKE = "intake"
    PSYCHOTHERAPY = "psychotherapy"


class NoteStatus(enum.StrEnum):
    DRAFT = "draft"
    SIGNED = "signed"


note_goals = Table(
    "note_goals",
    Base.metadata,
    Column("note_id", ForeignKey("notes.id"), primary_key=True),
    Column("goal_id", ForeignKey("goals.id"), primary_key=True),
)


class Note(UuidPk, Timestamps, Base):
    __tablename__ = "notes"

    session_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sessions.id"), index=True)
    template: Mapped[NoteTemplate] = mapped_column(str_enum(NoteTemplate))
    sections: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    status: Mapped[NoteStatus] = mapped_column(str_enum(NoteStatus), default=NoteStatus.DRAFT)
    signed_at: Mapped[datetime | None]
    signer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("clinicians.id"))
    signer_name: Mapped[str] = mapped_column(String(200), default="")
    content_hash: Mapped[str] = mapped_column(String(64), default="")

    session: Mapped[Session] = relationship(back_populates="notes")
    addenda: Mapped[list[Addendum]] = relationship(
        back_populates="note", order_by="Addendum.created_at"
    )
    goals: Mapped[list[Goal]] = relationship(secondary=note_goals)


class Addendum(UuidPk, Timestamps, Base):
    __tablename__ = "addenda"

    note_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("notes.id"), index=True)
    author_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("clinicians.id"))
    author_name: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[NoteStatus] = mapped_column(str_enum(NoteStatus), default=NoteStatus.DRAFT)
    signed_at: Mapped[datetime | None]
    content_hash: Mapped[str] = mapped_column(String(64), default="")

    note: Mapped[Note] = relationship(back_populates="addenda")
