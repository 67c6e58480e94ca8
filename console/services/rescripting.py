"""Imagery rescripting (Arntz) worksheets, one per session.

Distress before and after is a 0-10 SUD (no standard scale exists). The audit
trail names the fields changed, never what was written in them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, fields
from typing import ClassVar

from console.clinical import rescripting as r
from console.errors import ValidationError
from console.services import search
from console.services import validation as v
from console.services.session_worksheet import SessionWorksheetService
from models import RescriptingWorksheet


@dataclass(frozen=True)
class RescriptingFields:
    memory: str = ""
    hotspot: str = ""
    emotions: str = ""
    unmet_needs: str = ""
    who_rescripts: r.WhoRescripts = "therapist"
    rescript: str = ""
    new_meaning: str = ""
    distress_before: int | None = None
    distress_after: int | None = None


@dataclass(frozen=True)
class RescriptingRecord(RescriptingFields):
    id: uuid.UUID = uuid.UUID(int=0)
    session_id: uuid.UUID = uuid.UUID(int=0)

    @property
    def fields(self) -> RescriptingFields:
        return RescriptingFields(
            **{f.name: getattr(self, f.name) for f in fields(RescriptingFields)}
        )


def to_record(row: RescriptingWorksheet) -> RescriptingRecord:
    values = {f.name: getattr(row, f.name) for f in fields(RescriptingFields)}
    return RescriptingRecord(**values, id=row.id, session_id=row.session_id)


def _distress(field: str, value: object) -> int | None:
    if value is None:
        return None
    return v.integer(field, value, r.DISTRESS_MIN, r.DISTRESS_MAX)


def _values(data: RescriptingFields) -> dict[str, object]:
    if data.who_rescripts not in r.WHO_RESCRIPTS:
        raise ValidationError("who_rescripts", "must be one of: " + ", ".join(r.WHO_RESCRIPTS))
    values: dict[str, object] = {
        name: v.text(name, getattr(data, name))
        for name in ("memory", "hotspot", "emotions", "unmet_needs", "rescript", "new_meaning")
    }
    values["who_rescripts"] = data.who_rescripts
    values["distress_before"] = _distress("distress_before", data.distress_before)
    values["distress_after"] = _distress("distress_after", data.distress_after)
    return values


class RescriptingService(SessionWorksheetService[RescriptingWorksheet, RescriptingRecord]):
    model = RescriptingWorksheet
    kind = "rescripting_worksheet"
    defaults: ClassVar[dict[str, object]] = {"who_rescripts": "therapist"}
    to_record = staticmethod(to_record)
    search_kind = search.RESCRIPTING_WORKSHEET
    search_text = ("memory", "hotspot", "emotions", "unmet_needs", "rescript", "new_meaning")

    def save(self, session_id: uuid.UUID, data: RescriptingFields) -> RescriptingRecord:
        """Save the worksheet (created if need be); every field checked first."""
        return self._save_values(session_id, _values(data))
