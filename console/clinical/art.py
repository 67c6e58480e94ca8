"""ART (Accelerated Resolution Therapy) as data (docs/clinical.md "ART"): the worksheet's steps."""

from __future__ import annotations

from dataclasses import dataclass

PASSES_PER_SET = 40  # about 40 bilateral movements per eye-movement set


@dataclass(frozen=True)
class ArtStep:
    number: int
    key: str
    label: str
    asks_sud: bool
    # The worksheet fields this step fills in.
    fields: tuple[str, ...]


STEPS: tuple[ArtStep, ...] = (
    ArtStep(
        1,
        "scene",
        "Frame the problem as a scene",
        True,
        ("scene_title", "scene_private", "sud_before"),
    ),
    ArtStep(2, "body", "Body sensations; calming sets", False, ("body_sensations",)),
    ArtStep(3, "first_pass", "Imaginal exposure: first pass", False, ("first_pass",)),
    ArtStep(4, "second_pass", "Second pass until viewed without distress", False, ("second_pass",)),
    ArtStep(5, "replacement", "Voluntary image replacement", False, ("replacement",)),
    ArtStep(
        6,
        "final_check",
        "Final pass, body scan, SUD after",
        True,
        ("final_check", "body_scan", "sud_after"),
    ),
    ArtStep(
        7,
        "optional",
        "Optional: matching and a positive future scene",
        False,
        ("matching_scene", "future_scene"),
    ),
)
STEP_COUNT = len(STEPS)
