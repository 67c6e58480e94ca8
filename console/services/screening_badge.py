"""What the screening badge says, and for whom it is shown: rules, kept out of the widgets.

The overview's badge, the screening dialog and the chart PDF say the same
words; each widget only displays the `BadgeState` it is given.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from console.clinical import medicine as m
from console.services.screening import ScreeningRecord
from models import ProgramKind, SessionKind

BadgeStatus = Literal["not_started", "cleared", "blocked", "overridden", "needs_review"]

# Programs that lead to medicine sessions: their clients are screened before the first one.
MEDICINE_PROGRAMS = frozenset({ProgramKind.INTENSIVE, ProgramKind.WEEKLY})
_REASON_SHOWN = 40  # characters of an override reason the badge has room for


@dataclass(frozen=True)
class BadgeState:
    """The badge's symbol, words and status key (which picks its tint)."""

    status: BadgeStatus
    symbol: str
    words: str
    detail: str = ""

    @property
    def text(self) -> str:
        head = f"Screening: {self.words} {self.symbol}"
        if not self.detail:
            return head
        if self.status == "overridden":
            return f"{head} ({self.detail})"
        return f"{head} — {self.detail}"


NOT_STARTED = BadgeState("not_started", "○", "not started")


def badge_state(record: ScreeningRecord | None) -> BadgeState:
    """The badge for a client's screening; no record (or none saved yet) is not started."""
    if record is None or not record.exists:
        return NOT_STARTED
    state = record.state
    if state.cleared:
        return BadgeState("cleared", "✓", "Cleared")
    if state.overridden:
        return BadgeState("overridden", "⚑", "Overridden", _short(record.override_reason))
    if state.needs_review:
        return BadgeState("needs_review", "⚠", "Needs review", "; ".join(state.review))
    # The gate's summary names what blocks ("1 item yes, 1 unknown, no consent").
    return BadgeState("blocked", "✗", "Blocked", state.summary.partition(": ")[2])


def _short(reason: str) -> str:
    flat = reason.strip().replace("\n", " ")
    if len(flat) <= _REASON_SHOWN:
        return flat
    return flat[: _REASON_SHOWN - 1].rstrip() + "…"


def applies_to(
    session_kinds: Iterable[SessionKind], program_kinds: Iterable[ProgramKind], screened: bool
) -> bool:
    """Screening matters to a client on a medicine course, or one already screened."""
    return (
        screened
        or any(kind is SessionKind.MEDICINE for kind in session_kinds)
        or any(kind in MEDICINE_PROGRAMS for kind in program_kinds)
    )


def baseline_warnings(
    systolic: int, diastolic: int, thresholds: m.Thresholds = m.DEFAULT_THRESHOLDS
) -> tuple[str, ...]:
    """The hold warnings a typed baseline blood pressure raises, before it is saved."""
    probe = ScreeningRecord(baseline_systolic=systolic, baseline_diastolic=diastolic)
    return tuple(f"⚠ {flag.message}" for flag in probe.baseline_flags(thresholds))
