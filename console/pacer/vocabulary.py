"""The words a therapist sees for each pacer choice, next to the keys settings store.

Keys are the values `PacerSettings` accepts; every screen that offers a choice
lists it from here, in this order, so a new path or sound is named once.
"""

from __future__ import annotations

Choices = tuple[tuple[str, str], ...]  # (key, label) in the order offered

PATHS: Choices = (
    ("horizontal", "Horizontal"),
    ("vertical", "Vertical"),
    ("diagonal_up", "Diagonal up"),
    ("diagonal_down", "Diagonal down"),
    ("circle", "Circle"),
    ("figure_eight", "Figure eight"),
)
SOUNDS: Choices = (("off", "Off"), ("tone", "Tone"), ("click", "Click"))
SHAPES: Choices = (
    ("dot", "Dot"),
    ("square", "Square"),
    ("vertical_bar", "Vertical bar"),
    ("light_bar", "Light bar (LEDs)"),
)
LIMITS: Choices = (("passes", "Passes"), ("seconds", "Seconds"), ("open", "Open"))
ENDINGS: Choices = (
    ("stop_at_side", "Stop at the side"),
    ("ease_to_centre", "Ease to rest at the centre"),
)
SOUND_AT: Choices = (("turn", "At each turn"), ("midline", "At the midline"))
PROTOCOLS: Choices = (("emdr", "EMDR"), ("art", "ART"))
