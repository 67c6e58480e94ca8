"""What stands between a client and a dose, and between a dosed client and the door.

Pure rules beside console.clinical.medicine: which screening findings a
prescriber must review, the medicine and form given, sedation scores, the
blood-pressure points a clinic requires, and when a client is ready for
discharge. Times come in as arguments; nothing here reads a clock.

The defaults follow the esketamine REMS monitoring form: blood pressure
before dosing, about 40 minutes after and before discharge, and at least two
hours of observation after the last dose. Clinics change them in settings.
"""

from __future__ import annotations

import calendar
import contextlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from console.clinical.medicine import (
    DEFAULT_SCHEDULE,
    DEFAULT_THRESHOLDS,
    MIN_OBSERVATION_MIN,
    Flag,
    Item,
    Thresholds,
    VitalsReading,
    flags,
)
from console.errors import ValidationError

# --------------------------------------------------------------------------- the medicine

MEDICINES: tuple[Item, ...] = (
    Item("racemic_ketamine", "Ketamine (racemic)"),
    Item("esketamine", "Esketamine"),
)
MEDICINE_LABELS: dict[str, str] = {i.key: i.label for i in MEDICINES}
FORMS: tuple[Item, ...] = (
    Item("lozenge", "Lozenge / troche"),
    Item("tablet", "Tablet (oral dissolving)"),
    Item("solution", "Solution"),
    Item("nasal_spray", "Nasal spray device"),
    Item("injection", "Injection"),
)
FORM_LABELS: dict[str, str] = {i.key: i.label for i in FORMS}


def validate_medicine(medicine: str, form: str) -> tuple[str, str]:
    """The medicine is one of `MEDICINES`; the form one of `FORMS`, or "" (not recorded)."""
    if medicine not in MEDICINE_LABELS:
        raise ValidationError("Medicine", "must be one of: " + ", ".join(MEDICINE_LABELS))
    if form and form not in FORM_LABELS:
        raise ValidationError("Form", "must be one of: " + ", ".join(FORM_LABELS))
    return medicine, form


OTHER_DAY = timedelta(hours=12)


def on_another_day(given_at: datetime, session_starts_at: datetime) -> bool:
    """A dose timed more than 12 h from the session's start was probably typed on the wrong day."""
    return abs(given_at - session_starts_at) > OTHER_DAY


# --------------------------------------------------------------------------- sedation

# A 0-5 responsiveness score in the manner of MOAA/S (5 = fully awake), in our own
# words: the number is the data, the words only help choose it.
SEDATION_LEVELS: tuple[tuple[int, str], ...] = (
    (5, "Responds readily to name in normal tone"),
    (4, "Slow to respond to name in normal tone"),
    (3, "Responds only when name is called loudly or repeatedly"),
    (2, "Responds only to a light touch or shake"),
    (1, "Responds only to a firm squeeze"),
    (0, "No response"),
)
SEDATION_LABELS: dict[int, str] = dict(SEDATION_LEVELS)
SEDATION_ALERT_BELOW = 4  # 3 or less: cannot be roused by a normal voice


def validate_sedation(score: int | None) -> int | None:
    """A whole score 0-5, or None (not rated)."""
    if score is None:
        return None
    if isinstance(score, bool) or not isinstance(score, int) or score not in SEDATION_LABELS:
        raise ValidationError("Sedation", "must be a whole number from 0 to 5")
    return score


# --------------------------------------------------------------------------- the policy

PRE, END = "pre", "end"
BpPoint = str | int  # "pre", minutes after the dose, or "end"
DEFAULT_BP_POINTS: tuple[BpPoint, ...] = (PRE, 40, END)
BP_POINT_GRACE = timedelta(minutes=5)
END_WINDOW = timedelta(minutes=30)


def parse_bp_points(text: str) -> tuple[BpPoint, ...]:
    """ "pre, 40, end" -> ("pre", 40, "end"); minutes in increasing order, each once."""
    points: list[BpPoint] = []
    for part in (p for p in re.split(r"[\s,;]+", text.strip().casefold()) if p):
        if part in (PRE, END):
            points.append(part)
        elif re.fullmatch(r"[0-9]{1,3}", part) and 0 < int(part) <= 480:
            points.append(int(part))
        else:
            raise ValidationError(
                "Blood pressure points", f"{part!r} is not pre, end or minutes after the dose"
            )
    minutes = [p for p in points if isinstance(p, int)]
    if len(set(points)) != len(points) or minutes != sorted(minutes):
        raise ValidationError("Blood pressure points", "each once, minutes in increasing order")
    ordered: list[BpPoint] = [PRE] if PRE in points else []
    ordered += minutes
    ordered += [END] if END in points else []
    return tuple(ordered)


def format_bp_points(points: Sequence[BpPoint]) -> str:
    """The inverse of `parse_bp_points`, for the settings field."""
    return ", ".join(str(p) for p in points)


@dataclass(frozen=True)
class MedicinePolicy:
    """The clinic's settings for medicine sessions, read once from settings."""

    thresholds: Thresholds = DEFAULT_THRESHOLDS
    schedule: tuple[int, ...] = DEFAULT_SCHEDULE
    bp_points: tuple[BpPoint, ...] = DEFAULT_BP_POINTS
    min_observation_min: int = MIN_OBSERVATION_MIN
    consent_valid_months: int = 12


DEFAULT_POLICY = MedicinePolicy()


def policy_from_settings(values: Mapping[str, object]) -> MedicinePolicy:
    """The policy from setting values; a missing or unreadable one keeps its default."""
    from console.clinical.medicine import parse_schedule, thresholds_from_json

    kept: dict[str, object] = {}
    text = values.get("vitals_thresholds")
    kept["thresholds"] = thresholds_from_json(text if isinstance(text, str) else "")
    for key, parse in (
        ("vitals_schedule", parse_schedule),
        ("blood_pressure_points", parse_bp_points),
    ):
        raw = values.get(key)
        if isinstance(raw, str):
            with contextlib.suppress(ValidationError):
                kept["schedule" if key == "vitals_schedule" else "bp_points"] = parse(raw)
    for key, name in (
        ("discharge_min_observation_min", "min_observation_min"),
        ("consent_valid_months", "consent_valid_months"),
    ):
        raw = values.get(key)
        if isinstance(raw, int) and not isinstance(raw, bool) and raw >= 0:
            kept[name] = raw
    return MedicinePolicy(**kept)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- review


@dataclass(frozen=True)
class ReviewReason:
    """One thing a prescriber must look at; `key` says which, so a review covers it exactly."""

    key: str
    message: str


def consent_expires(consent: date, months: int) -> date:
    """The day a consent given on `consent` stops being current (same day, `months` later)."""
    month = consent.month - 1 + months
    year, month = consent.year + month // 12, month % 12 + 1
    return date(year, month, min(consent.day, calendar.monthrange(year, month)[1]))


def baseline_key(systolic: int, diastolic: int) -> str:
    return f"baseline:{systolic}/{diastolic}"


def hold_flags(systolic: int, diastolic: int, thresholds: Thresholds) -> tuple[Flag, ...]:
    """The hold flags of a blood pressure taken before dosing."""
    reading = VitalsReading(systolic, diastolic, 70, 98)
    return tuple(f for f in flags(reading, None, thresholds) if f.level == "hold")


def review_reasons(
    *,
    baseline: tuple[int, int] | None,
    interactions: Sequence[str],
    acknowledged: Mapping[str, object],
    consent_date: date | None,
    today: date,
    policy: MedicinePolicy = DEFAULT_POLICY,
) -> tuple[ReviewReason, ...]:
    """What needs the prescriber before a first dose, in the order a prescriber reads a chart."""
    out: list[ReviewReason] = []
    if baseline is not None and hold_flags(*baseline, policy.thresholds):
        sys_, dia = baseline
        t = policy.thresholds
        out.append(
            ReviewReason(
                baseline_key(sys_, dia),
                f"baseline blood pressure {sys_}/{dia} is at the hold level "
                f"(≥ {t.hold_systolic:g}/{t.hold_diastolic:g})",
            )
        )
    for label in interactions:
        if label not in acknowledged:
            out.append(
                ReviewReason(f"interaction:{label}", f"{label}: interaction not acknowledged")
            )
    if consent_date is not None:
        expires = consent_expires(consent_date, policy.consent_valid_months)
        if today >= expires:
            out.append(
                ReviewReason(
                    f"consent:{consent_date.isoformat()}",
                    f"consent of {_day(consent_date)} expired on {_day(expires)}",
                )
            )
    return tuple(out)


def _day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def unreviewed(reasons: Sequence[ReviewReason], covered: Sequence[str]) -> tuple[str, ...]:
    """The messages of the reasons a recorded review did not cover."""
    done = set(covered)
    return tuple(r.message for r in reasons if r.key not in done)


# --------------------------------------------------------------------------- blood pressure


@dataclass(frozen=True)
class Taken:
    """When a blood pressure was taken, and whether it was the pre-dose baseline."""

    at: datetime
    pre_dose: bool


@dataclass(frozen=True)
class BpPointState:
    point: BpPoint
    label: str
    done: bool
    due_at: datetime | None  # None for "pre" and for "end" before discharge is known


def point_label(point: BpPoint) -> str:
    if point == PRE:
        return "before dosing"
    if point == END:
        return "before discharge"
    return f"about {point} min after the dose"


def bp_points(
    points: Sequence[BpPoint],
    dose_at: datetime | None,
    taken: Sequence[Taken],
    end_at: datetime | None,
) -> tuple[BpPointState, ...]:
    """Each required blood pressure and whether a reading covers it.

    A minute point counts a reading within 5 minutes of it; "end" counts
    the reading nearest the end, if it is within the 30 minutes before
    `end_at` (discharge, or now while the client is still here).
    """
    after = [t.at for t in taken if not t.pre_dose]
    out: list[BpPointState] = []
    for point in points:
        if point == PRE:
            done = any(t.pre_dose for t in taken)
            out.append(BpPointState(point, point_label(point), done, None))
        elif point == END:
            done = end_at is not None and any(end_at - END_WINDOW <= at <= end_at for at in after)
            out.append(BpPointState(point, point_label(point), done, end_at))
        elif dose_at is not None and isinstance(point, int):
            due = dose_at + timedelta(minutes=point)
            done = any(abs(at - due) <= BP_POINT_GRACE for at in after)
            out.append(BpPointState(point, point_label(point), done, due))
    return tuple(out)


# --------------------------------------------------------------------------- discharge


@dataclass(frozen=True)
class Readiness:
    """Whether the client may leave now, from when, and what still stands in the way."""

    ready_at: datetime | None
    problems: tuple[str, ...] = field(default=())

    @property
    def ready(self) -> bool:
        return not self.problems


def discharge_readiness(
    *,
    last_dose_at: datetime | None,
    latest_after_dose: Sequence[Flag] | None,
    latest_sedation: int | None,
    checks: Sequence[str],
    missing_points: Sequence[str],
    at: datetime,
    policy: MedicinePolicy = DEFAULT_POLICY,
) -> Readiness:
    """Ready when the observation time has passed, the latest vitals raise no alert,
    every required blood pressure was taken and the discharge checks are ticked.

    `latest_after_dose` is the flags of the latest reading since the dose
    (None when there is none); `checks` the unticked discharge checks' messages.
    """
    problems: list[str] = []
    ready_at = None
    if last_dose_at is None:
        problems.append("No dose time is recorded")
    else:
        ready_at = last_dose_at + timedelta(minutes=policy.min_observation_min)
        if at < ready_at:
            minutes = max(1, round((ready_at - at).total_seconds() / 60))
            problems.append(
                f"Observed {policy.min_observation_min} min after the last dose is required: "
                f"{minutes} min to go"
            )
    if latest_after_dose is None:
        if last_dose_at is not None:
            problems.append("No vital signs taken since the dose")
    elif any(f.level in ("alert", "hold") for f in latest_after_dose):
        problems.append(
            "Latest vital signs are at an alert level: "
            + "; ".join(f.message for f in latest_after_dose)
        )
    if latest_sedation is not None and latest_sedation < SEDATION_ALERT_BELOW:
        problems.append(f"Latest sedation score is {latest_sedation} of 5")
    problems += [f"Blood pressure not taken {label}" for label in missing_points]
    problems += list(checks)
    return Readiness(ready_at, tuple(problems))
