"""The observation schedule: when readings are due after the dose, and which are done or late."""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from console.clinical.medicine.common import finite_number
from console.errors import ValidationError

# Minutes after the dose at which a reading is due (docs/clinical.md: 0/15/30/45/60/90,
# and at least 2 h of observation, hence 120).
DEFAULT_SCHEDULE: tuple[int, ...] = (0, 15, 30, 45, 60, 90, 120)
MAX_SCHEDULE_MIN = 8 * 60  # a session longer than a working day is a typo
MAX_SCHEDULE_LEN = 48


def validate_schedule(schedule: Sequence[int]) -> tuple[int, ...]:
    """Whole minutes from 0 to `MAX_SCHEDULE_MIN`, strictly increasing, at least one."""
    values = tuple(schedule)
    if not values:
        raise ValidationError("Schedule", "needs at least one time")
    if len(values) > MAX_SCHEDULE_LEN:
        raise ValidationError("Schedule", f"has more than {MAX_SCHEDULE_LEN} times")
    for value in values:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError("Schedule", "times must be whole minutes")
        if not 0 <= value <= MAX_SCHEDULE_MIN:
            raise ValidationError(
                "Schedule", f"{value} is out of range (0–{MAX_SCHEDULE_MIN} minutes after dose)"
            )
    for earlier, later in itertools.pairwise(values):
        if later <= earlier:
            raise ValidationError("Schedule", "times must be in increasing order, each once")
    return values


_SCHEDULE_SPLIT = re.compile(r"[\s,;]+")
_ASCII_DIGITS = re.compile(r"[0-9]+")


def parse_schedule(text: str) -> tuple[int, ...]:
    """The setting's text ("0, 15, 30") as minutes after dose.

    Commas, semicolons or spaces separate the times; they may come in any
    order (they are sorted) but each only once. Only ASCII digits count, so a
    stray character never turns into a time.
    """
    parts = [p for p in _SCHEDULE_SPLIT.split(text.strip()) if p]
    if not parts:
        raise ValidationError("Schedule", "needs at least one time, e.g. 0, 15, 30")
    minutes: list[int] = []
    for part in parts:
        if not _ASCII_DIGITS.fullmatch(part):
            raise ValidationError("Schedule", f"{part!r} is not a whole number of minutes")
        minutes.append(int(part))
    if len(set(minutes)) != len(minutes):
        raise ValidationError("Schedule", "lists a time twice")
    return validate_schedule(sorted(minutes))


def format_schedule(schedule: Sequence[int]) -> str:
    """The inverse of `parse_schedule`, for the settings field."""
    return ", ".join(str(m) for m in validate_schedule(schedule))


@dataclass(frozen=True)
class ReminderState:
    """Which scheduled readings are done, due, overdue, missed or next.

    * ``due``: a slot whose window (scheduled time ± grace) holds ``now``,
      with no reading yet.
    * ``overdue``: the latest slot whose window has passed with no reading,
      while a late reading can still count for it (until the next slot's
      window opens; for the last slot, until a reading comes).
    * ``missed``: slots passed with no reading and no longer overdue.
    * ``next``: the first slot whose window has not opened, and its scheduled time.
    """

    done: tuple[int, ...]
    due: int | None
    overdue: int | None
    overdue_by_min: float | None
    missed: tuple[int, ...]
    next: int | None
    next_at: datetime | None

    @property
    def finished(self) -> bool:
        """Nothing left to take: no slot due, overdue or still to come."""
        return self.due is None and self.overdue is None and self.next is None


def _assign(slots: Sequence[int], dose_at: datetime, taken: datetime, grace: timedelta) -> int:
    """The slot a reading counts for, or -1 for none.

    A reading within ± grace of slot times counts for the nearest (the earlier
    on a tie); one between windows counts, late, for the slot before it; one
    before the first window counts for nothing.
    """
    times = [dose_at + timedelta(minutes=m) for m in slots]
    near = [(abs(taken - t), i) for i, t in enumerate(times) if abs(taken - t) <= grace]
    if near:
        return min(near)[1]
    before = [i for i, t in enumerate(times) if t + grace < taken]
    return before[-1] if before else -1


def due_readings(
    schedule: Sequence[int],
    dose_at: datetime,
    readings_at: Sequence[datetime],
    now: datetime,
    grace_min: float = 5,
) -> ReminderState:
    """The reminder state at ``now`` for readings due ``schedule`` minutes after ``dose_at``.

    Each reading counts for at most one slot (see `_assign`), so a reading
    taken between 15 and 30 min is not also taken as the 30-min one.
    """
    slots = validate_schedule(schedule)
    grace_value = finite_number(grace_min, "Grace")
    if grace_value < 0:
        raise ValidationError("Grace", "must be 0 minutes or more")
    grace = timedelta(minutes=grace_value)
    satisfied = {_assign(slots, dose_at, r, grace) for r in readings_at} - {-1}
    return _slot_states(slots, dose_at, satisfied, now, grace)


def _slot_states(
    slots: Sequence[int],
    dose_at: datetime,
    satisfied: set[int],
    now: datetime,
    grace: timedelta,
) -> ReminderState:
    """Each slot as done, next, due, missed or overdue at ``now``."""
    done: list[int] = []
    missed: list[int] = []
    due: int | None = None
    overdue: int | None = None
    overdue_by: float | None = None
    nxt: int | None = None
    nxt_at: datetime | None = None
    for i, minute in enumerate(slots):
        at = dose_at + timedelta(minutes=minute)
        if i in satisfied:
            done.append(minute)
        elif now < at - grace:
            if nxt is None:
                nxt, nxt_at = minute, at
        elif now <= at + grace:
            if due is None:
                due = minute
        else:
            following = (
                i + 1 < len(slots) and now >= dose_at + timedelta(minutes=slots[i + 1]) - grace
            )
            if following:
                missed.append(minute)
            else:
                overdue = minute
                overdue_by = (now - at).total_seconds() / 60
    return ReminderState(
        done=tuple(done),
        due=due,
        overdue=overdue,
        overdue_by_min=overdue_by,
        missed=tuple(missed),
        next=nxt,
        next_at=nxt_at,
    )


def reminder_words(state: ReminderState | None, time_text: Callable[[datetime], str]) -> str:
    """The one line the nurse reads: what to take now, else what comes next, then misses.

    ``time_text`` shows a moment as the user's locale and time zone do (the
    UI's), so this module decides the words and never the clock format.
    """
    if state is None:
        return "No dose time yet: take the baseline reading before dosing."
    if state.due is not None:
        text = f"Reading due now ({state.due} min)"
    elif state.overdue is not None and state.overdue_by_min is not None:
        text = f"Overdue by {math.floor(state.overdue_by_min)} min ({state.overdue} min)"
    elif state.next is not None and state.next_at is not None:
        text = f"Next at {time_text(state.next_at)} ({state.next} min)"
    else:
        text = "All scheduled readings done"
    if state.missed:
        text += "; missed: " + ", ".join(f"{x} min" for x in state.missed)
    return text
