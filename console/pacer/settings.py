"""What a therapist can set for one set of bilateral stimulation, checked on creation.

Settings are frozen and validated in `__post_init__`, so every other part of
the engine can trust them: a bad value from a preset file or the control panel
is refused with the field named, never half-applied to a running set.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Literal, get_args

from console.errors import ValidationError
from console.pacer.photosensitivity import check_side_rate

Path = Literal["horizontal", "vertical", "diagonal_up", "diagonal_down", "circle", "figure_eight"]
Profile = Literal["sinusoidal", "constant"]
Shape = Literal["dot", "square", "vertical_bar", "light_bar"]
Limit = Literal["passes", "seconds", "open"]
Ending = Literal["stop_at_side", "ease_to_centre"]
Sound = Literal["off", "tone", "click"]
SoundAt = Literal["turn", "midline"]
# The worksheet a set counts for: the EMDR sets of a target, or an ART session's sets.
Protocol = Literal["emdr", "art"]

MIN_SPEED_HZ = 0.2
MAX_SPEED_HZ = 2.0
MIN_SIZE_PX, MAX_SIZE_PX = 8, 300
MIN_SWEEP_PERCENT, MAX_SWEEP_PERCENT = 10, 100
MAX_PASSES = 1000
MIN_SECONDS, MAX_SECONDS = 1.0, 3600.0
MIN_TONE_HZ, MAX_TONE_HZ = 150.0, 1000.0
MAX_AUDIO_OFFSET_MS = 500

_COLOUR = re.compile(r"#[0-9a-f]{6}")


def _choice(field: str, value: Any, kind: Any) -> None:
    choices: tuple[str, ...] = get_args(kind)
    if value not in choices:
        raise ValidationError(field, f"must be one of {', '.join(choices)}")


def _number(field: str, value: Any, low: float, high: float, whole: bool = False) -> float:
    """A finite number in [low, high]; JSON may give 1 for 1.0, and that is fine."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError(field, "must be a number")
    if whole and not isinstance(value, int):
        raise ValidationError(field, "must be a whole number")
    if not math.isfinite(value) or not low <= value <= high:
        raise ValidationError(field, f"must be between {low:g} and {high:g}")
    return float(value)


def _colour(field: str, value: Any) -> None:
    if not isinstance(value, str) or not _COLOUR.fullmatch(value):
        raise ValidationError(field, 'must be a colour written "#rrggbb" (lower-case hex)')


@dataclass(frozen=True)
class PacerSettings:
    speed_hz: float = 1.0
    path: Path = "horizontal"
    profile: Profile = "sinusoidal"
    shape: Shape = "dot"
    size_px: int = 48
    colour: str = "#5b9bd5"
    background: str = "#1e1e1e"
    sweep_percent: int = 80
    limit: Limit = "passes"
    # passes: a whole number; seconds: a duration; open: 0 (the therapist stops the set).
    limit_value: float = 24
    ending: Ending = "stop_at_side"
    sound: Sound = "off"
    tone_hz: float = 440.0
    volume: float = 0.5
    sound_at: SoundAt = "turn"
    # Added to the audio device's reported play position (calibration per device).
    audio_offset_ms: int = 0
    # Part of the settings so that a preset carries it: the ART preset runs ART sets.
    protocol: Protocol = "emdr"

    def __post_init__(self) -> None:
        check_side_rate(_number("speed_hz", self.speed_hz, 0.0, math.inf))
        object.__setattr__(
            self, "speed_hz", _number("speed_hz", self.speed_hz, MIN_SPEED_HZ, MAX_SPEED_HZ)
        )
        _choice("path", self.path, Path)
        _choice("profile", self.profile, Profile)
        _choice("shape", self.shape, Shape)
        _number("size_px", self.size_px, MIN_SIZE_PX, MAX_SIZE_PX, whole=True)
        _colour("colour", self.colour)
        _colour("background", self.background)
        if self.colour == self.background:
            raise ValidationError("colour", "must differ from the background")
        _number(
            "sweep_percent", self.sweep_percent, MIN_SWEEP_PERCENT, MAX_SWEEP_PERCENT, whole=True
        )
        _choice("limit", self.limit, Limit)
        if self.limit == "passes":
            _number("limit_value", self.limit_value, 1, MAX_PASSES, whole=True)
        elif self.limit == "seconds":
            value = _number("limit_value", self.limit_value, MIN_SECONDS, MAX_SECONDS)
            object.__setattr__(self, "limit_value", value)
        elif self.limit_value != 0 or isinstance(self.limit_value, bool):
            raise ValidationError("limit_value", "must be 0 for an open set")
        _choice("ending", self.ending, Ending)
        _choice("sound", self.sound, Sound)
        object.__setattr__(
            self, "tone_hz", _number("tone_hz", self.tone_hz, MIN_TONE_HZ, MAX_TONE_HZ)
        )
        object.__setattr__(self, "volume", _number("volume", self.volume, 0.0, 1.0))
        _choice("sound_at", self.sound_at, SoundAt)
        _number(
            "audio_offset_ms",
            self.audio_offset_ms,
            -MAX_AUDIO_OFFSET_MS,
            MAX_AUDIO_OFFSET_MS,
            whole=True,
        )
        _choice("protocol", self.protocol, Protocol)

    @property
    def passes_per_minute(self) -> float:
        """Therapists count passes (one side to the other); a cycle is two of them."""
        return self.speed_hz * 120.0

    def degrees_per_second(self, screen_width_cm: float, viewing_distance_cm: float) -> float:
        """Mean horizontal gaze speed over a pass, the figure eye-movement studies quote.

        The sweep spans `sweep_percent` of the screen width centred on the eyes,
        so a pass turns the gaze through 2·atan(half sweep / distance).
        """
        _number("screen_width_cm", screen_width_cm, 1.0, 1000.0)
        _number("viewing_distance_cm", viewing_distance_cm, 10.0, 1000.0)
        if self.path == "vertical":
            return 0.0
        half_sweep = screen_width_cm * self.sweep_percent / 100.0 / 2.0
        sweep_degrees = 2.0 * math.degrees(math.atan(half_sweep / viewing_distance_cm))
        return sweep_degrees * 2.0 * self.speed_hz
