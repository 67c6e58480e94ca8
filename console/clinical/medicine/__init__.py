"""Medicine sessions (KAP) as data and rules (docs/clinical.md "Medicine sessions (KAP)").

Pure rules for the screening checklist, medication interactions, dose and
mg/kg, vital signs and their flags, the reminder schedule for readings, adverse
events, discharge and the dissociation total, one module per topic. Nothing
here reads a clock or a database: times come in as arguments (an injected
``now``), so every rule can be tested at its edges. Datetimes passed together
must all be naive or all be aware; the caller decides which.

This package records and flags; it never decides to dose. A "hold" flag or a
blocked screening tells the clinician to stop and look, and the clinic's own
protocol and the prescriber decide what happens next.
"""

from __future__ import annotations

from console.clinical.medicine.adverse_events import (
    ADVERSE_EVENT_KEYS,
    ADVERSE_EVENT_KINDS,
    ADVERSE_EVENT_LABELS,
    OUTCOME_KEYS,
    OUTCOME_LABELS,
    OUTCOMES,
    SEVERITIES,
    SEVERITY_LABELS,
    Severity,
    validate_adverse_event,
)
from console.clinical.medicine.common import Item
from console.clinical.medicine.discharge import discharge_problems
from console.clinical.medicine.dissociation import (
    DISSOCIATION_SCALE_KEYS,
    DISSOCIATION_SCALES,
    DissociationScale,
    validate_dissociation_total,
)
from console.clinical.medicine.dosing import (
    MAX_DOSE_MG,
    MIN_OBSERVATION_MIN,
    ROUTE_HINTS,
    ROUTE_KEYS,
    ROUTE_LABELS,
    ROUTES,
    WEIGHT_MAX_KG,
    WEIGHT_MIN_KG,
    mg_per_kg,
    validate_dose_mg,
    validate_doses,
    validate_route,
    validate_weight_kg,
)
from console.clinical.medicine.medications import (
    INTERACTION_CLASSES,
    UNSPECIFIED,
    interacting_medications,
)
from console.clinical.medicine.schedule import (
    DEFAULT_SCHEDULE,
    MAX_SCHEDULE_LEN,
    MAX_SCHEDULE_MIN,
    ReminderState,
    due_readings,
    format_schedule,
    parse_schedule,
    reminder_words,
    validate_schedule,
)
from console.clinical.medicine.screening import (
    ANSWER_LABELS,
    ANSWERS,
    CONTRAINDICATION_KEYS,
    CONTRAINDICATION_LABELS,
    CONTRAINDICATIONS,
    PREPARATION,
    Answer,
    ScreeningState,
    ScreeningStatus,
    screening_state,
)
from console.clinical.medicine.thresholds import (
    DEFAULT_THRESHOLDS,
    THRESHOLD_VITAL,
    Flag,
    FlagLevel,
    Thresholds,
    flags,
    thresholds_from_json,
)
from console.clinical.medicine.vitals import (
    VITAL_LABELS,
    VITAL_RANGES,
    VITAL_UNITS,
    VitalsReading,
    minutes_since_dose,
    pre_dose_after,
    validate_reading_time,
    validate_vitals,
)

__all__ = [
    "ADVERSE_EVENT_KEYS",
    "ADVERSE_EVENT_KINDS",
    "ADVERSE_EVENT_LABELS",
    "ANSWERS",
    "ANSWER_LABELS",
    "CONTRAINDICATIONS",
    "CONTRAINDICATION_KEYS",
    "CONTRAINDICATION_LABELS",
    "DEFAULT_SCHEDULE",
    "DEFAULT_THRESHOLDS",
    "DISSOCIATION_SCALES",
    "DISSOCIATION_SCALE_KEYS",
    "INTERACTION_CLASSES",
    "MAX_DOSE_MG",
    "MAX_SCHEDULE_LEN",
    "MAX_SCHEDULE_MIN",
    "MIN_OBSERVATION_MIN",
    "OUTCOMES",
    "OUTCOME_KEYS",
    "OUTCOME_LABELS",
    "PREPARATION",
    "ROUTES",
    "ROUTE_HINTS",
    "ROUTE_KEYS",
    "ROUTE_LABELS",
    "SEVERITIES",
    "SEVERITY_LABELS",
    "THRESHOLD_VITAL",
    "UNSPECIFIED",
    "VITAL_LABELS",
    "VITAL_RANGES",
    "VITAL_UNITS",
    "WEIGHT_MAX_KG",
    "WEIGHT_MIN_KG",
    "Answer",
    "DissociationScale",
    "Flag",
    "FlagLevel",
    "Item",
    "ReminderState",
    "ScreeningState",
    "ScreeningStatus",
    "Severity",
    "Thresholds",
    "VitalsReading",
    "discharge_problems",
    "due_readings",
    "flags",
    "format_schedule",
    "interacting_medications",
    "mg_per_kg",
    "minutes_since_dose",
    "parse_schedule",
    "pre_dose_after",
    "reminder_words",
    "screening_state",
    "thresholds_from_json",
    "validate_adverse_event",
    "validate_dissociation_total",
    "validate_dose_mg",
    "validate_doses",
    "validate_reading_time",
    "validate_route",
    "validate_schedule",
    "validate_vitals",
    "validate_weight_kg",
]
