"""The pacer's keyboard edits as pure functions of the settings, shared by every window.

The panel, its floating controls and the client's full-screen window all
answer the same keys (Up/Down speed, 1–6 path, S sound), so the edit itself
lives here once and each window only maps a key to it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import get_args

from console.pacer.settings import MAX_SPEED_HZ, MIN_SPEED_HZ, PacerSettings, Path, Sound

PATH_ORDER: tuple[Path, ...] = get_args(Path)
SOUND_ORDER: tuple[Sound, ...] = get_args(Sound)
SPEED_STEP_HZ = 0.1


def nudged_speed(settings: PacerSettings, steps: int) -> PacerSettings:
    """Speed moved by whole steps of 0.1 Hz, held inside the allowed range."""
    speed = round(settings.speed_hz + steps * SPEED_STEP_HZ, 2)
    return replace(settings, speed_hz=min(MAX_SPEED_HZ, max(MIN_SPEED_HZ, speed)))


def with_path_number(settings: PacerSettings, number: int) -> PacerSettings:
    """Path by its key, 1 to 6, in the order the panel lists them."""
    if not 1 <= number <= len(PATH_ORDER):
        return settings
    return replace(settings, path=PATH_ORDER[number - 1])


def next_sound(settings: PacerSettings) -> PacerSettings:
    """Off, tone, click, and round again."""
    index = SOUND_ORDER.index(settings.sound)
    return replace(settings, sound=SOUND_ORDER[(index + 1) % len(SOUND_ORDER)])
