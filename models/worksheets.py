"""Guided worksheets of trauma-focused sessions: EMDR targets and session work, ART, rescripting.

SUD and VOC ranges, phase keys and the other vocabularies are checked by the
services (console.clinical); the tables only keep what was entered.
"""

from __future__ import annotations

import uuid

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, Timestamps, UuidPk


class EmdrTarget(UuidPk, Timestamps, Base):
    """One target of a client's EMDR plan: a memory, a present trigger or a future template."""

    __tablename__ = "emdr_targets"

    client_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("clients.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    memory: Mapped[str] = mapped_column(Text, default="")
    worst_image: Mapped[str] = mapped_column(Text, default="")
    negative_cognition: Mapped[str] = mapped_column(Text, default="")
    positive_cognition: Mapped[str] = mapped_column(Text, default="")
    voc: Mapped[int | None]
    emotions: Mapped[str] = mapped_column(Text, default="")
    sud: Mapped[int | None]
    body_location: Mapped[str] = mapped_column(Text, default="")
    # Place in the client's target sequence plan, 0 first.
    position: Mapped[int] = mapped_column(default=0)


class EmdrSessionWork(UuidPk, Timestamps, Base):
    """The EMDR worksheet of one session; its sets are the session's bls_sets rows."""

    __tablename__ = "emdr_session_work"

    session_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sessions.id"), unique=True)
    target_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("emdr_targets.id"), index=True)
    phases_done: Mapped[list[str]] = mapped_column(JSON, default=list)
    preparation: Mapped[dict[str, bool]] = mapped_column(JSON, default=dict)
    interweaves: Mapped[str] = mapped_column(Text, default="")
    containment: Mapped[str] = mapped_column(Text, default="")
    state_at_end: Mapped[str] = mapped_column(Text, default="")
    sud_end: Mapped[int | None]
    voc_end: Mapped[int | None]
    plan: Mapped[str] = mapped_column(Text, default="")
    body_scan_clear: Mapped[bool | None]
    body_scan_notes: Mapped[str] = mapped_column(Text, default="")
    reevaluation_sud: Mapped[int | None]


class ArtWorksheet(UuidPk, Timestamps, Base):
    """The guided ART worksheet of one session; the client may keep the scene private."""

    __tablename__ = "art_worksheets"

    session_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sessions.id"), unique=True)
    scene_title: Mapped[str] = mapped_column(String(200), default="")
    scene_private: Mapped[bool] = mapped_column(default=False)
    sud_before: Mapped[int | None]
    body_sensations: Mapped[str] = mapped_column(Text, default="")
    first_pass: Mapped[str] = mapped_column(Text, default="")
    second_pass: Mapped[str] = mapped_column(Text, default="")
    # The replacement images in the client's own words.
    replacement: Mapped[str] = mapped_column(Text, default="")
    final_check: Mapped[str] = mapped_column(Text, default="")
    body_scan: Mapped[str] = mapped_column(Text, default="")
    sud_after: Mapped[int | None]
    matching_scene: Mapped[str] = mapped_column(Text, default="")
    future_scene: Mapped[str] = mapped_column(Text, default="")
    current_step: Mapped[int] = mapped_column(default=1)


class RescriptingWorksheet(UuidPk, Timestamps, Base):
    """An imagery rescripting (Arntz) worksheet of one session."""

    __tablename__ = "rescripting_worksheets"

    session_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sessions.id"), unique=True)
    memory: Mapped[str] = mapped_column(Text, default="")
    hotspot: Mapped[str] = mapped_column(Text, default="")
    emotions: Mapped[str] = mapped_column(Text, default="")
    unmet_needs: Mapped[str] = mapped_column(Text, default="")
    who_rescripts: Mapped[str] = mapped_column(String(20), default="therapist")
    rescript: Mapped[str] = mapped_column(Text, default="")
    new_meaning: Mapped[str] = mapped_column(Text, default="")
    distress_before: Mapped[int | None]
    distress_after: Mapped[int | None]
