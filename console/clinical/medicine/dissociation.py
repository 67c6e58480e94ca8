"""Dissociation scales, recorded as a total only."""

from __future__ import annotations

from dataclasses import dataclass

from console.errors import ValidationError


@dataclass(frozen=True)
class DissociationScale:
    key: str
    short: str
    name: str
    items: int
    lo: int
    hi: int


# docs/clinical.md: the CADSS licence is unclear, so only the total is recorded (with
# free text), never the items. Each item is rated 0-4, hence the total ranges.
DISSOCIATION_SCALES: tuple[DissociationScale, ...] = (
    DissociationScale(
        "cadss", "CADSS", "Clinician-Administered Dissociative States Scale", 23, 0, 92
    ),
    DissociationScale("cadss6", "CADSS-6", "CADSS short form (6 items)", 6, 0, 24),
)
DISSOCIATION_SCALE_KEYS: tuple[str, ...] = tuple(s.key for s in DISSOCIATION_SCALES)
_DISSOCIATION: dict[str, DissociationScale] = {s.key: s for s in DISSOCIATION_SCALES}


def validate_dissociation_total(scale_key: str, total: int) -> int:
    """A whole-number total within the scale's range (CADSS 0–92, CADSS-6 0–24)."""
    scale = _DISSOCIATION.get(scale_key)
    if scale is None:
        raise ValidationError(
            "Dissociation scale", "must be one of: " + ", ".join(DISSOCIATION_SCALE_KEYS)
        )
    if isinstance(total, bool) or not isinstance(total, int):
        raise ValidationError("Dissociation total", "must be a whole number")
    if not scale.lo <= total <= scale.hi:
        raise ValidationError(
            "Dissociation total", f"{scale.short} must be between {scale.lo} and {scale.hi}"
        )
    return total
