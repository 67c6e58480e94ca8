"""A client of the practice and their standing details."""

from __future__ import annotations

import enum
import uuid
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, Timestamps, UuidPk, str_enum

if TYPE_CHECKING:
    from models.program import Program
    from models.session import Session


class ClientStatus(enum.StrEnum):
    ACTIVE = "active"
    ARCHIVED = "archived"


class AnxietyFocus(enum.StrEnum):
    """Whether an anxiety presentation is mainly worry, body or avoidance."""

    COGNITIVE = "cognitive"
    SOMATIC = "somatic"
    BEHAVIOURAL = "behavioural"


class Client(UuidPk, Timestamps, Base):
    __tablename__ = "clients"

    name: Mapped[str] = mapped_column(String(200))
    preferred_name: Mapped[str] = mapped_column(String(200), default="")
    date_of_birth: Mapped[date | None]
    phone: Mapped[str] = mapped_column(String(50), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    emergency_contact_name: Mapped[str] = mapped_column(String(200), default="")
    emergency_contact_phone: Mapped[str] = mapped_column(String(50), default="")
    presenting_concerns: Mapped[str] = mapped_column(Text, default="")
    anxiety_cognitive: Mapped[bool] = mapped_column(default=False)
    anxiety_somatic: Mapped[bool] = mapped_column(default=False)
    anxiety_behavioural: Mapped[bool] = mapped_column(default=False)
    treatment_history: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[ClientStatus] = mapped_column(
        str_enum(ClientStatus), default=ClientStatus.ACTIVE, index=True
    )
    is_demo: Mapped[bool] = mapped_column(default=False)

    programs: Mapped[list[Program]] = relationship(back_populates="client")
    sessions: Mapped[list[Session]] = relationship(back_populates="client")
    # Loaded with the client (one query for a whole caseload): every view of a client shows them.
    diagnoses: Mapped[list[ClientDiagnosis]] = relationship(
        order_by="ClientDiagnosis.position", cascade="all, delete-orphan", lazy="selectin"
    )


class ClientDiagnosis(UuidPk, Timestamps, Base):
    """One coded diagnosis of a client; the primary one is kept at position 0.

    A diagnosis recorded before it was coded (or one ICD-10 has no code for)
    has only a label, never neither.
    """

    __tablename__ = "client_diagnoses"
    __table_args__ = (CheckConstraint("code <> '' OR label <> ''", name="code_or_label"),)

    client_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("clients.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    code: Mapped[str] = mapped_column(String(10), default="")
    label: Mapped[str] = mapped_column(Text, default="")
    is_primary: Mapped[bool] = mapped_column(default=False)
