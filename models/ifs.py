"""A client's IFS parts map: parts, the lines between them, and what each session did with them.

The live map is the `ifs_parts` and `ifs_relations` rows of a client. A part
taken off the map is kept with `removed_at` set, because session records
that worked with it still name it. Each session keeps the map as it stood
(`IfsSessionMap.snapshot`, JSON), so the history never changes afterwards.
Kinds, statuses and ranges are checked by console.clinical.ifs.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, Timestamps, UuidPk


class IfsPart(UuidPk, Timestamps, Base):
    __tablename__ = "ifs_parts"

    client_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("clients.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    activation: Mapped[int] = mapped_column(default=5)
    x: Mapped[float] = mapped_column(Float, default=0.0)
    y: Mapped[float] = mapped_column(Float, default=0.0)
    body_location: Mapped[str] = mapped_column(Text, default="")
    age: Mapped[str] = mapped_column(Text, default="")
    appearance: Mapped[str] = mapped_column(Text, default="")
    emotions: Mapped[str] = mapped_column(Text, default="")
    burden: Mapped[str] = mapped_column(Text, default="")
    fears: Mapped[str] = mapped_column(Text, default="")
    positive_intent: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    removed_at: Mapped[datetime | None]


class IfsRelation(UuidPk, Timestamps, Base):
    """A line between two parts; no target means Self (a part blended with Self)."""

    __tablename__ = "ifs_relations"

    client_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("clients.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    source_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("ifs_parts.id"), index=True)
    target_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("ifs_parts.id"), index=True)
    strength: Mapped[int | None]


class IfsSessionMap(UuidPk, Timestamps, Base):
    """The map of one session: Self's energy and qualities then, and the whole map as JSON."""

    __tablename__ = "ifs_session_maps"

    session_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sessions.id"), unique=True)
    client_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("clients.id"), index=True)
    self_energy: Mapped[int | None]
    self_cs: Mapped[list[str]] = mapped_column(JSON, default=list)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class IfsPartWork(UuidPk, Timestamps, Base):
    """One part in one session: the six F's stepped through, and an unburdening if there was one."""

    __tablename__ = "ifs_part_work"
    __table_args__ = (UniqueConstraint("session_id", "part_id", name="session_part"),)

    session_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sessions.id"), index=True)
    part_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("ifs_parts.id"), index=True)
    six_fs: Mapped[dict[str, bool]] = mapped_column(JSON, default=dict)
    six_fs_notes: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    witnessing: Mapped[str] = mapped_column(Text, default="")
    do_over: Mapped[str] = mapped_column(Text, default="")
    retrieval: Mapped[str] = mapped_column(Text, default="")
    release_element: Mapped[str] = mapped_column(String(20), default="")
    qualities_invited: Mapped[str] = mapped_column(Text, default="")
    new_roles: Mapped[str] = mapped_column(Text, default="")
