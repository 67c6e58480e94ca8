"""How records print dates, times, kinds and identifiers.

Timestamps are stored in UTC and printed in local time with the zone's name,
so a printout read in another time zone is never an hour off unnoticed.
Month names are spelled out ("3 Mar 2026"), never 03/04/2026, which half the
world reads the other way round. Nothing here depends on the process locale.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, tzinfo

from console.vocabulary import (
    LOCATION_LABELS,
    PROGRAM_KIND_LABELS,
    SESSION_KIND_LABELS,
    NoteStatus,
    ProgramKind,
    SessionKind,
    SessionLocation,
)

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# One vocabulary for screen and paper; an intake prints with its fuller name.
SESSION_KINDS: dict[SessionKind, str] = {
    **SESSION_KIND_LABELS,
    SessionKind.INTAKE: "Intake / assessment",
}
LOCATIONS = LOCATION_LABELS
PROGRAM_KINDS = PROGRAM_KIND_LABELS
NOTE_STATUS: dict[NoteStatus, str] = {NoteStatus.DRAFT: "Draft", NoteStatus.SIGNED: "Signed"}


def local(moment: datetime, tz: tzinfo | None = None) -> datetime:
    """The instant in `tz`, or in the computer's zone with the rules of that date (DST)."""
    return moment.astimezone(tz) if tz is not None else moment.astimezone()


def day(value: date) -> str:
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def moment(value: datetime, tz: tzinfo | None = None) -> str:
    """'3 Mar 2026, 14:05 CET' in local time."""
    when = local(value, tz)
    zone = when.tzname() or when.strftime("%z")
    return f"{day(when.date())}, {when:%H:%M} {zone}".rstrip()


def session_kind(kind: SessionKind | str) -> str:
    return SESSION_KINDS.get(SessionKind(kind), str(kind))


def location(value: SessionLocation | str) -> str:
    return LOCATIONS.get(SessionLocation(value), str(value))


def program_kind(kind: ProgramKind | str) -> str:
    return PROGRAM_KINDS.get(ProgramKind(kind), str(kind))


def short_id(record_id: uuid.UUID) -> str:
    """The first 8 hex digits: enough to tell records apart on paper, and searchable."""
    return str(record_id)[:8]


def minutes(count: int) -> str:
    if count >= 120 and count % 60 == 0:
        return f"{count // 60} h"
    if count > 60:
        return f"{count // 60} h {count % 60} min"
    return f"{count} min"


def age_on(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
