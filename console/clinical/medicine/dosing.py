"""Routes of administration, doses and the weight for mg/kg."""

from __future__ import annotations

from datetime import datetime

from console.clinical.medicine.common import (
    Item,
    finite_number,
    item_keys,
    item_labels,
    show,
)
from console.errors import ValidationError

ROUTES: tuple[Item, ...] = (
    Item("sublingual", "Sublingual (lozenge)"),
    Item("intramuscular", "Intramuscular (IM)"),
    Item("intravenous", "Intravenous (IV)"),
    Item("oral", "Oral"),
    Item("intranasal", "Intranasal"),
)
ROUTE_KEYS: tuple[str, ...] = item_keys(ROUTES)
ROUTE_LABELS: dict[str, str] = item_labels(ROUTES)
# Usual doses and timing from docs/clinical.md, shown as hints beside the dose field;
# never enforced, since the prescriber sets the dose.
ROUTE_HINTS: dict[str, str] = {
    "sublingual": "Commonly 50/100 mg tablets, 100–400 mg; onset 15–20 min, "
    "peak about 40 min, fades over 1–2 h",
    "intramuscular": "About 0.5–0.75 mg/kg; onset about 5 min, lasts about 1 h",
    "intravenous": "0.5 mg/kg over about 40 min",
    "oral": "",
    "intranasal": "Esketamine: observe at least 2 h",
}
# The least observation docs/clinical.md names (esketamine); clinics may ask for longer.
MIN_OBSERVATION_MIN = 120


def validate_route(route: str) -> str:
    if route not in ROUTE_LABELS:
        raise ValidationError("Route", "must be one of: " + ", ".join(ROUTE_KEYS))
    return route


# Far above any KAP dose (sublingual tops out near 400 mg), low enough to catch a
# dose typed in micrograms or with an extra zero.
MAX_DOSE_MG = 1000.0
WEIGHT_MIN_KG, WEIGHT_MAX_KG = 20.0, 350.0


def validate_dose_mg(dose_mg: float, field_name: str = "Dose") -> float:
    """A dose in mg: more than 0 and at most `MAX_DOSE_MG`."""
    value = finite_number(dose_mg, field_name)
    if value <= 0:
        raise ValidationError(field_name, "must be more than 0 mg")
    if value > MAX_DOSE_MG:
        raise ValidationError(field_name, f"must be at most {show(MAX_DOSE_MG)} mg")
    return value


def validate_weight_kg(weight_kg: float) -> float:
    """A weight in kg, 20–350 inclusive: an adult, or a weight typed in pounds or grams."""
    value = finite_number(weight_kg, "Weight")
    if not WEIGHT_MIN_KG <= value <= WEIGHT_MAX_KG:
        raise ValidationError(
            "Weight",
            f"must be between {show(WEIGHT_MIN_KG)} and {show(WEIGHT_MAX_KG)} kg",
        )
    return value


def mg_per_kg(dose_mg: float | None, weight_kg: float | None) -> float | None:
    """The dose per kg of the recorded weight, to 2 decimals.

    None (not 0) when the dose or the weight is not recorded, so a missing
    weight can never read as a tiny dose. Both values are validated first.
    """
    if dose_mg is None or weight_kg is None:
        return None
    return round(validate_dose_mg(dose_mg) / validate_weight_kg(weight_kg), 2)


def validate_doses(
    first_mg: float | None,
    first_at: datetime | None,
    second_mg: float | None = None,
    second_at: datetime | None = None,
) -> None:
    """The dose pair of one session: a second (top-up) dose needs a first, and follows it.

    Either dose may be recorded before its time is known (planned, not yet
    given); each amount given is checked by `validate_dose_mg`.
    """
    if first_mg is not None:
        validate_dose_mg(first_mg)
    if second_mg is not None:
        validate_dose_mg(second_mg, "Second dose")
    if (second_mg is not None or second_at is not None) and first_mg is None:
        raise ValidationError("Second dose", "needs a first dose recorded")
    if second_at is not None:
        if first_at is None:
            raise ValidationError("Second dose", "needs the time of the first dose")
        if second_at < first_at:
            raise ValidationError(
                "Second dose",
                f"time {second_at:%H:%M} is before the first dose at {first_at:%H:%M}",
            )
