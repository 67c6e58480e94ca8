"""What must hold before a dosed client leaves."""

from __future__ import annotations


def discharge_problems(alert: bool, vitals_in_range: bool, escort_present: bool) -> tuple[str, ...]:
    """What still stands in the way of discharge, one message each; empty when ready."""
    problems: list[str] = []
    if not alert:
        problems.append("Client is not yet alert and oriented")
    if not vitals_in_range:
        problems.append("Vital signs are not back in range")
    if not escort_present:
        problems.append("No escort present: the client must not drive or travel home alone")
    return tuple(problems)
