"""The clinician who owns the vault and whose letterhead prints on records."""

from __future__ import annotations

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, Timestamps, UuidPk


class Clinician(UuidPk, Timestamps, Base):
    __tablename__ = "clinicians"

    name: Mapped[str] = mapped_column(String(200))
    credentials: Mapped[str] = mapped_column(String(200), default="")
    licence_number: Mapped[str] = mapped_column(String(100), default="")
    clinic_name: Mapped[str] = mapped_column(String(200), default="")
    clinic_address: Mapped[str] = mapped_column(Text, default="")
    clinic_phone: Mapped[str] = mapped_column(String(50), default="")
