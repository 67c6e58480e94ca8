"""Vital signs: their plausible ranges, one validated reading, and its time against the dose."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime

from console.clinical.medicine.common import finite_number, show
from console.errors import ValidationError

# Inclusive ranges a live person can show; outside them the value is a typing or
# device error, not a reading. Diastolic reaches lower than systolic so that every
# systolic in range has a diastolic below it.
VITAL_RANGES: dict[str, tuple[float, float]] = {
    "systolic": (40, 300),
    "diastolic": (20, 200),
    "heart_rate": (20, 250),
    "spo2": (50, 100),
    "respiratory_rate": (4, 60),
}
VITAL_LABELS: dict[str, str] = {
    "systolic": "Systolic",
    "diastolic": "Diastolic",
    "heart_rate": "Heart rate",
    "spo2": "SpO2",
    "respiratory_rate": "Respiratory rate",
}
VITAL_UNITS: dict[str, str] = {
    "systolic": "mmHg",
    "diastolic": "mmHg",
    "heart_rate": "/min",
    "spo2": "%",
    "respiratory_rate": "/min",
}


def _vital(name: str, value: object) -> float:
    label = VITAL_LABELS[name]
    if value is None:
        raise ValidationError(label, "is required")
    number = finite_number(value, label)
    lo, hi = VITAL_RANGES[name]
    if not lo <= number <= hi:
        raise ValidationError(
            label,
            f"{show(number)} is out of range ({show(lo)}–{show(hi)} {VITAL_UNITS[name]})",
        )
    return number


@dataclass(frozen=True)
class VitalsReading:
    """One set of vital signs; constructing one validates it.

    Blood pressure, heart rate and SpO2 are required (docs/clinical.md lists all
    three); the respiratory rate is optional. Diastolic must be below systolic.
    """

    systolic: float
    diastolic: float
    heart_rate: float
    spo2: float
    respiratory_rate: float | None = None

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if value is None and f.name == "respiratory_rate":
                continue
            object.__setattr__(self, f.name, _vital(f.name, value))
        if self.diastolic >= self.systolic:
            raise ValidationError(
                "Diastolic",
                f"{show(self.diastolic)} must be below systolic {show(self.systolic)}",
            )

    def whole(self) -> dict[str, int | None]:
        """The reading in whole numbers, as it is entered and stored, by field name."""
        return {f.name: _whole(getattr(self, f.name)) for f in fields(self)}


def _whole(value: float | None) -> int | None:
    return None if value is None else round(value)


def validate_vitals(
    systolic: float | None,
    diastolic: float | None,
    heart_rate: float | None,
    spo2: float | None,
    respiratory_rate: float | None = None,
) -> VitalsReading:
    """A `VitalsReading` from form values, naming the first missing or wrong field."""
    return VitalsReading(
        _vital("systolic", systolic),
        _vital("diastolic", diastolic),
        _vital("heart_rate", heart_rate),
        _vital("spo2", spo2),
        None if respiratory_rate is None else _vital("respiratory_rate", respiratory_rate),
    )


def pre_dose_after(taken_at: datetime, dose_at: datetime) -> bool:
    """A pre-dose reading counts as after the dose only from the next minute on: times are
    written to the minute, and a baseline taken seconds before "Time given now" is pressed
    shares the dose's minute."""
    return taken_at.replace(second=0, microsecond=0) > dose_at.replace(second=0, microsecond=0)


def validate_reading_time(
    taken_at: datetime, dose_at: datetime | None, *, pre_dose: bool = False
) -> None:
    """A reading during the session is not before the dose; a pre-dose one is not after it.

    The baseline taken before dosing is recorded as ``pre_dose``; every other
    reading belongs to the time since dose, so one timed before the dose (or
    with no dose recorded yet) is refused rather than plotted at a negative minute.
    """
    if pre_dose:
        if dose_at is not None and pre_dose_after(taken_at, dose_at):
            raise ValidationError(
                "Reading time",
                f"a pre-dose reading at {taken_at:%H:%M} is after the dose at {dose_at:%H:%M}",
            )
        return
    if dose_at is None:
        raise ValidationError(
            "Reading time", "no dose time is recorded yet: record this as a pre-dose reading"
        )
    if taken_at < dose_at:
        raise ValidationError(
            "Reading time",
            f"{taken_at:%H:%M} is before the dose at {dose_at:%H:%M}: "
            "record it as a pre-dose reading or correct the time",
        )


def minutes_since_dose(taken_at: datetime, dose_at: datetime | None) -> float | None:
    """Minutes from dose to reading (negative before the dose); None with no dose time."""
    if dose_at is None:
        return None
    return (taken_at - dose_at).total_seconds() / 60
