"""ART worksheets: the guided steps of one Accelerated Resolution Therapy session.

The client need not disclose the scene, so a private scene keeps only a title.
Eye-movement sets are the pacer's log for the session (services.bls_sets);
the summary counts the ART ones, not the EMDR sets of a session that had both.
The audit trail names fields, never their content.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import ClassVar

from sqlalchemy import func, select

from console.clinical import art as a
from console.errors import ValidationError
from console.services import search
from console.services import validation as v
from console.services.session_worksheet import SessionWorksheetService
from models import ArtWorksheet, BlsSet, Session

SUD_MIN, SUD_MAX = 0, 10


@dataclass(frozen=True)
class ArtFields:
    scene_title: str = ""
    scene_private: bool = False
    sud_before: int | None = None
    body_sensations: str = ""
    first_pass: str = ""
    second_pass: str = ""
    replacement: str = ""
    final_check: str = ""
    body_scan: str = ""
    sud_after: int | None = None
    matching_scene: str = ""
    future_scene: str = ""
    current_step: int = 1


@dataclass(frozen=True)
class ArtRecord(ArtFields):
    id: uuid.UUID = uuid.UUID(int=0)
    session_id: uuid.UUID = uuid.UUID(int=0)

    @property
    def fields(self) -> ArtFields:
        return ArtFields(**{f.name: getattr(self, f.name) for f in fields(ArtFields)})


@dataclass(frozen=True)
class ArtSummary:
    session_id: uuid.UUID
    scene_title: str
    scene_private: bool
    sets_used: int
    sud_before: int | None
    sud_after: int | None
    replacement: str


def to_record(row: ArtWorksheet) -> ArtRecord:
    values = {f.name: getattr(row, f.name) for f in fields(ArtFields)}
    return ArtRecord(**values, id=row.id, session_id=row.session_id)


def _sud(field: str, value: object) -> int | None:
    return None if value is None else v.integer(field, value, SUD_MIN, SUD_MAX)


def _values(data: ArtFields) -> dict[str, object]:
    if not isinstance(data.scene_private, bool):
        raise ValidationError("scene_private", "must be yes or no")
    values: dict[str, object] = {
        "scene_title": v.line("scene_title", data.scene_title),
        "scene_private": data.scene_private,
        "sud_before": _sud("sud_before", data.sud_before),
        "sud_after": _sud("sud_after", data.sud_after),
        "current_step": v.integer("current_step", data.current_step, 1, a.STEP_COUNT),
    }
    for name in (
        "body_sensations",
        "first_pass",
        "second_pass",
        "replacement",
        "final_check",
        "body_scan",
        "matching_scene",
        "future_scene",
    ):
        values[name] = v.text(name, getattr(data, name))
    return values


def step(number: int) -> a.ArtStep:
    for s in a.STEPS:
        if s.number == number:
            return s
    raise ValidationError("step", f"must be between 1 and {a.STEP_COUNT}")


class ArtService(SessionWorksheetService[ArtWorksheet, ArtRecord]):
    model = ArtWorksheet
    kind = "art_worksheet"
    defaults: ClassVar[dict[str, object]] = {"scene_private": False, "current_step": 1}
    to_record = staticmethod(to_record)
    search_kind = search.ART_WORKSHEET
    search_title = "scene_title"
    search_text = (
        "body_sensations",
        "first_pass",
        "second_pass",
        "replacement",
        "final_check",
        "body_scan",
        "matching_scene",
        "future_scene",
    )

    @staticmethod
    def steps() -> tuple[a.ArtStep, ...]:
        return a.STEPS

    def save(self, session_id: uuid.UUID, data: ArtFields) -> ArtRecord:
        """Save the whole worksheet (created if need be); every field checked first."""
        return self._save_values(session_id, _values(data))

    def save_step(
        self, session_id: uuid.UUID, number: int, values: Mapping[str, object]
    ) -> ArtRecord:
        """Save the fields of one step (only that step's) and make it the current step."""
        which = step(number)
        for name in values:
            if name not in which.fields:
                raise ValidationError(name, f"is not a field of step {which.number}")
        current = self.get_or_create(session_id)
        updated = replace(current.fields, **values, current_step=which.number)  # type: ignore[arg-type]
        return self.save(session_id, updated)

    def summary(self, session_id: uuid.UUID) -> ArtSummary:
        """What the note and the session list show: sets used, SUD before and after."""
        with self.unit() as db:
            session = self.fetch(db, Session, v.record_id("session", session_id), "session")
            row = self._row(db, session.id)
            sets = (
                db.scalar(
                    select(func.count())
                    .where(BlsSet.session_id == session.id)
                    .where(BlsSet.protocol == "art")
                )
                or 0
            )
            if row is None:
                return ArtSummary(session.id, "", False, sets, None, None, "")
            return ArtSummary(
                session.id,
                row.scene_title,
                row.scene_private,
                sets,
                row.sud_before,
                row.sud_after,
                row.replacement,
            )
