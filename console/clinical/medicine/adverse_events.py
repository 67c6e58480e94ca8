"""Adverse events: their kinds, severities and outcomes."""

from __future__ import annotations

from typing import Literal

from console.clinical.medicine.common import Item, item_keys, item_labels
from console.errors import ValidationError

ADVERSE_EVENT_KINDS: tuple[Item, ...] = (
    Item("raised_bp", "Raised blood pressure"),
    Item("nausea_vomiting", "Nausea/vomiting"),
    Item("agitation", "Agitation"),
    Item("tachycardia", "Tachycardia"),
    Item("nystagmus", "Nystagmus"),
    Item("vision", "Blurred/double vision"),
    Item("confusion", "Confusion"),
    Item("other", "Other"),
)
ADVERSE_EVENT_KEYS: tuple[str, ...] = item_keys(ADVERSE_EVENT_KINDS)
ADVERSE_EVENT_LABELS: dict[str, str] = item_labels(ADVERSE_EVENT_KINDS)

Severity = Literal["mild", "moderate", "severe"]
SEVERITIES: tuple[Severity, ...] = ("mild", "moderate", "severe")
SEVERITY_LABELS: dict[str, str] = {
    "mild": "Mild (noticed, no action needed)",
    "moderate": "Moderate (action or medication needed)",
    "severe": "Severe (session stopped or outside help called)",
}

OUTCOMES: tuple[Item, ...] = (
    Item("resolved", "Resolved during the session"),
    Item("improving", "Improving at discharge"),
    Item("ongoing", "Ongoing at discharge"),
    Item("escalated", "Referred on / emergency services called"),
)
OUTCOME_KEYS: tuple[str, ...] = item_keys(OUTCOMES)
OUTCOME_LABELS: dict[str, str] = item_labels(OUTCOMES)


def validate_adverse_event(kind: str, severity: str, outcome: str, description: str = "") -> None:
    """Kind, severity and outcome from the lists; "other" needs a description.

    Time and action taken (medication given) are recorded beside these as a
    time and free text.
    """
    if kind not in ADVERSE_EVENT_LABELS:
        raise ValidationError("Adverse event", "must be one of: " + ", ".join(ADVERSE_EVENT_KEYS))
    if severity not in SEVERITY_LABELS:
        raise ValidationError("Severity", "must be one of: " + ", ".join(SEVERITIES))
    if outcome not in OUTCOME_LABELS:
        raise ValidationError("Outcome", "must be one of: " + ", ".join(OUTCOME_KEYS))
    if kind == "other" and not description.strip():
        raise ValidationError("Adverse event", "describe the event when the kind is Other")
