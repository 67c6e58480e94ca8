"""The clinic's vital-sign thresholds and the hold and alert flags a reading raises."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Literal

from console.clinical.medicine.common import finite_number, show
from console.clinical.medicine.vitals import VITAL_LABELS, VITAL_RANGES, VitalsReading
from console.errors import ValidationError

# The vital sign each threshold setting is about, for its range check.
THRESHOLD_VITAL: dict[str, str] = {
    "hold_systolic": "systolic",
    "hold_diastolic": "diastolic",
    "alert_systolic_high": "systolic",
    "alert_diastolic_high": "diastolic",
    "alert_systolic_low": "systolic",
    "alert_heart_rate_high": "heart_rate",
    "alert_heart_rate_low": "heart_rate",
    "alert_spo2_low": "spo2",
    "alert_respiratory_rate_low": "respiratory_rate",
    "alert_respiratory_rate_high": "respiratory_rate",
}


@dataclass(frozen=True)
class Thresholds:
    """When a reading is flagged: a clinic setting, with these defaults. Edges are inclusive.

    Before dosing ("hold": do not dose until the prescriber has reviewed):

    * systolic ≥ 180 or diastolic ≥ 110 mmHg, docs/clinical.md's example, the
      usual cut-off for blood pressure too high to give ketamine.

    After dosing ("alert": look at the client now and follow the protocol):

    * systolic ≥ 160 or diastolic ≥ 100 mmHg (JNC 7 stage 2): ketamine
      commonly raises blood pressure for up to about an hour, so a modest
      rise from a normal baseline stays under these, while a rise into
      stage-2 hypertension is caught well before the hold levels.

    At any time, before or after dosing ("alert"):

    * systolic ≤ 90 mmHg (hypotension);
    * heart rate ≥ 120 (tachycardia, an adverse event in docs/clinical.md) or ≤ 50/min;
    * SpO2 ≤ 92 % (below the usual 94–98 % target, early enough to act before 90 %);
    * respiratory rate ≤ 8 (breathing depression) or ≥ 24/min.
    """

    hold_systolic: float = 180
    hold_diastolic: float = 110
    alert_systolic_high: float = 160
    alert_diastolic_high: float = 100
    alert_systolic_low: float = 90
    alert_heart_rate_high: float = 120
    alert_heart_rate_low: float = 50
    alert_spo2_low: float = 92
    alert_respiratory_rate_low: float = 8
    alert_respiratory_rate_high: float = 24

    def __post_init__(self) -> None:
        for f in fields(self):
            value = finite_number(getattr(self, f.name), f.name)
            lo, hi = VITAL_RANGES[THRESHOLD_VITAL[f.name]]
            if not lo <= value <= hi:
                raise ValidationError(f.name, f"must be between {show(lo)} and {show(hi)}")
            object.__setattr__(self, f.name, value)
        for low, high in (
            ("alert_systolic_low", "alert_systolic_high"),
            ("alert_heart_rate_low", "alert_heart_rate_high"),
            ("alert_respiratory_rate_low", "alert_respiratory_rate_high"),
        ):
            if getattr(self, low) >= getattr(self, high):
                raise ValidationError(low, f"must be below {high}")

    @classmethod
    def from_settings(cls, values: Mapping[str, object]) -> Thresholds:
        """Thresholds from the clinic's settings; a setting not given keeps its default."""
        known = {f.name for f in fields(cls)}
        for name in values:
            if name not in known:
                raise ValidationError(name, "is not a threshold setting")
        return cls(**{k: finite_number(v, k) for k, v in values.items()})


DEFAULT_THRESHOLDS = Thresholds()


def thresholds_from_json(text: str) -> Thresholds:
    """The clinic's thresholds as stored in settings (JSON of changed fields); defaults when
    unset or unreadable, so a damaged settings file never stops a medicine session."""
    if not text:
        return DEFAULT_THRESHOLDS
    try:
        values = json.loads(text)
        return Thresholds.from_settings(values) if isinstance(values, dict) else DEFAULT_THRESHOLDS
    except (ValueError, ValidationError):
        return DEFAULT_THRESHOLDS


FlagLevel = Literal["hold", "alert"]


@dataclass(frozen=True)
class Flag:
    field: str  # a key of VITAL_LABELS
    level: FlagLevel
    message: str  # e.g. "Systolic 182 ≥ 180: hold dose"


def flags(
    reading: VitalsReading,
    minutes_since_dose: float | None,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> tuple[Flag, ...]:
    """The flags one reading raises, in the order systolic, diastolic, HR, SpO2, RR.

    ``minutes_since_dose`` None or negative means before dosing (the hold
    rules apply); 0 or more means after (the dose has been given). At most one
    flag per field.
    """
    t = thresholds
    before = minutes_since_dose is None or minutes_since_dose < 0
    out: list[Flag] = []

    def high(name: str, value: float | None, limit: float, level: FlagLevel) -> bool:
        if value is None or value < limit:
            return False
        action = "hold dose" if level == "hold" else "alert"
        message = f"{VITAL_LABELS[name]} {show(value)} ≥ {show(limit)}: {action}"
        out.append(Flag(name, level, message))
        return True

    def low(name: str, value: float | None, limit: float) -> bool:
        if value is None or value > limit:
            return False
        message = f"{VITAL_LABELS[name]} {show(value)} ≤ {show(limit)}: alert"
        out.append(Flag(name, "alert", message))
        return True

    if before:
        if not high("systolic", reading.systolic, t.hold_systolic, "hold"):
            low("systolic", reading.systolic, t.alert_systolic_low)
        high("diastolic", reading.diastolic, t.hold_diastolic, "hold")
    else:
        if not high("systolic", reading.systolic, t.alert_systolic_high, "alert"):
            low("systolic", reading.systolic, t.alert_systolic_low)
        high("diastolic", reading.diastolic, t.alert_diastolic_high, "alert")
    if not high("heart_rate", reading.heart_rate, t.alert_heart_rate_high, "alert"):
        low("heart_rate", reading.heart_rate, t.alert_heart_rate_low)
    low("spo2", reading.spo2, t.alert_spo2_low)
    rr = reading.respiratory_rate
    if not high("respiratory_rate", rr, t.alert_respiratory_rate_high, "alert"):
        low("respiratory_rate", rr, t.alert_respiratory_rate_low)
    return tuple(out)
