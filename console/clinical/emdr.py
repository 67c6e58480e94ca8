"""EMDR as data (docs/clinical.md "EMDR"): phases, preparation, cognitions, target kinds.

The cognition lists are suggestions for the worksheet's pickers; the clinician
always records the client's own words.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

SUD_MIN, SUD_MAX = 0, 10  # subjective units of disturbance: 0 = none, 10 = worst
VOC_MIN, VOC_MAX = 1, 7  # validity of cognition: 1 = completely false, 7 = completely true


@dataclass(frozen=True)
class Step:
    key: str
    label: str


PHASES: tuple[Step, ...] = (
    Step("history", "History and treatment planning"),
    Step("preparation", "Preparation"),
    Step("assessment", "Assessment"),
    Step("desensitisation", "Desensitisation"),
    Step("installation", "Installation"),
    Step("body_scan", "Body scan"),
    Step("closure", "Closure"),
    Step("reevaluation", "Re-evaluation"),
)
PHASE_KEYS: tuple[str, ...] = tuple(p.key for p in PHASES)

PREPARATION: tuple[Step, ...] = (
    Step("stop_signal", "Stop signal agreed"),
    Step("calm_place", "Safe/calm place installed"),
    Step("metaphor", "Metaphor (train, video) explained"),
    Step("eye_comfort", "Eye comfort checked (glasses, contacts)"),
    Step("distance_direction", "Comfortable distance and direction of movement"),
    Step("preferred_stimulation", "Preferred stimulation (eyes, sound, both)"),
)
PREPARATION_KEYS: tuple[str, ...] = tuple(p.key for p in PREPARATION)


@dataclass(frozen=True)
class CognitionPair:
    negative: str
    positive: str


COGNITIONS: tuple[CognitionPair, ...] = (
    CognitionPair("I am in danger", "I am safe now"),
    CognitionPair("I am powerless", "I have choices"),
    CognitionPair("I am not in control", "I am in control now"),
    CognitionPair("I cannot handle it", "I can handle it"),
    CognitionPair("I am weak", "I am strong enough"),
    CognitionPair("I should have done something", "I did the best I could"),
    CognitionPair("It was my fault", "It was not my fault"),
    CognitionPair("I am not good enough", "I am good enough"),
    CognitionPair("I cannot trust myself", "I can trust myself"),
    CognitionPair("I am going to die", "I survived; it is over"),
    CognitionPair("I am alone", "I can reach out to others"),
    CognitionPair("I am worthless", "I am worthwhile"),
)
NEGATIVE_COGNITIONS: tuple[str, ...] = tuple(c.negative for c in COGNITIONS)
POSITIVE_COGNITIONS: tuple[str, ...] = tuple(c.positive for c in COGNITIONS)

TargetKind = Literal["memory", "trigger", "future_template"]
TARGET_KINDS: tuple[TargetKind, ...] = ("memory", "trigger", "future_template")
TARGET_KIND_LABELS: dict[str, str] = {
    "memory": "Memory",
    "trigger": "Present trigger",
    "future_template": "Future template",
}

TargetStatus = Literal["open", "in_processing", "completed"]
TARGET_STATUSES: tuple[TargetStatus, ...] = ("open", "in_processing", "completed")
TARGET_STATUS_LABELS: dict[str, str] = {
    "open": "Open",
    "in_processing": "In processing",
    "completed": "Completed",
}
