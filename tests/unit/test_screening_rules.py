"""The screening badge's state, whom screening applies to, and baseline warnings: no Qt."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from console.clinical import medicine as m
from console.services.screening import ScreeningRecord
from console.services.screening_badge import (
    NOT_STARTED,
    BadgeState,
    applies_to,
    badge_state,
    baseline_warnings,
)
from models import ProgramKind, SessionKind

ALL_NO = dict.fromkeys(m.CONTRAINDICATION_KEYS, "no")


def _record(
    answers: dict[str, str],
    prepared: bool = True,
    reason: str = "",
    review: Sequence[str] = (),
) -> ScreeningRecord:
    state = m.screening_state(answers, prepared, prepared, reason or None, review)
    return ScreeningRecord(exists=True, override_reason=reason, state=state)


def test_no_screening_saved_is_not_started() -> None:
    assert badge_state(None) == NOT_STARTED
    assert badge_state(ScreeningRecord()) == NOT_STARTED
    assert NOT_STARTED.text == "Screening: not started ○"


def test_every_no_with_consent_is_cleared() -> None:
    badge = badge_state(_record(ALL_NO))
    assert badge == BadgeState("cleared", "✓", "Cleared")
    assert badge.text == "Screening: Cleared ✓"


def test_a_blocked_badge_names_what_blocks_without_the_gate_prefix() -> None:
    first = m.CONTRAINDICATION_KEYS[0]
    badge = badge_state(_record({**ALL_NO, first: "yes"}, prepared=False))
    assert (badge.status, badge.symbol, badge.words) == ("blocked", "✗", "Blocked")
    assert badge.detail and not badge.detail.startswith("Blocked")
    assert badge.text == f"Screening: Blocked ✗ — {badge.detail}"


def test_an_override_shows_its_reason_shortened_to_one_line() -> None:
    first = m.CONTRAINDICATION_KEYS[0]
    reason = "Prescriber agreed after a cardiology letter\nfrom March, see the file"
    badge = badge_state(_record({**ALL_NO, first: "yes"}, reason=reason))
    assert badge.status == "overridden" and badge.symbol == "⚑"
    assert len(badge.detail) == 40 and badge.detail.endswith("…") and "\n" not in badge.detail
    assert badge.text == f"Screening: Overridden ⚑ ({badge.detail})"


def test_needs_review_lists_each_reason() -> None:
    badge = badge_state(_record(ALL_NO, review=("Consent expired", "Baseline at hold level")))
    assert badge.status == "needs_review"
    assert badge.text == "Screening: Needs review ⚠ — Consent expired; Baseline at hold level"


@pytest.mark.parametrize(
    ("sessions", "programs", "screened", "expected"),
    [
        ((), (), False, False),
        ((SessionKind.EMDR,), (ProgramKind.OTHER,), False, False),
        ((SessionKind.MEDICINE,), (), False, True),
        ((), (ProgramKind.INTENSIVE,), False, True),
        ((), (ProgramKind.WEEKLY,), False, True),
        ((SessionKind.EMDR,), (), True, True),
    ],
)
def test_screening_applies_to_a_medicine_course_or_a_screened_client(
    sessions: tuple[SessionKind, ...],
    programs: tuple[ProgramKind, ...],
    screened: bool,
    expected: bool,
) -> None:
    assert applies_to(sessions, programs, screened) is expected


def test_a_typed_baseline_at_the_hold_level_warns_before_saving() -> None:
    assert baseline_warnings(120, 80) == ()
    warnings = baseline_warnings(190, 115)
    assert warnings and all(w.startswith("⚠ ") for w in warnings)
