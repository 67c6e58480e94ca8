"""The sound's latency offset, found by tapping in time: once to the eye, once to the ear.

Qt reports how much sound it has handed to the device, not when the client
hears it; the rest of the delay depends on the device (Bluetooth adds 150 ms
or more). A person tapping along a beat taps a little early, by an amount that
is much the same whether the beat is seen or heard, so the difference between
a round tapped to the dot reaching each side (sound off) and a round tapped
to the sound alone (eyes closed) is the sound's extra delay, with the
person's own habit cancelled out, as rhythm games calibrate.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from console.errors import ValidationError
from console.pacer.motion import Motion
from console.pacer.settings import MAX_AUDIO_OFFSET_MS, PacerSettings

TAPS_NEEDED = 8
MAX_SPREAD_S = 0.06  # taps more scattered than this (median absolute deviation) are refused
CALIBRATION = PacerSettings(speed_hz=0.5, limit="passes", limit_value=16, sound="click")


@dataclass
class TapRound:
    """Taps (in set time) against the turns of one calibration set."""

    motion: Motion
    taps: list[float] = field(default_factory=list)

    def tap(self, set_time: float) -> None:
        self.taps.append(set_time)

    def errors(self) -> list[float]:
        """Each tap against the turn nearest to it; turn 0 (the silent start) is not a beat."""
        out = []
        for t in self.taps:
            k = max(1, round(t * 2 * self.motion.settings.speed_hz))
            out.append(t - self.motion.turn_time(k))
        return out

    @property
    def done(self) -> bool:
        return len(self.taps) >= TAPS_NEEDED

    def lag(self) -> float:
        """The median tap error, once there are enough taps and they are steady."""
        errors = self.errors()
        if len(errors) < TAPS_NEEDED:
            raise ValidationError("taps", f"needs {TAPS_NEEDED} taps, {len(errors)} so far")
        middle = statistics.median(errors)
        spread = statistics.median(abs(e - middle) for e in errors)
        if spread > MAX_SPREAD_S:
            raise ValidationError(
                "taps", "were too uneven to measure from; try again, tapping with each beat"
            )
        return middle


def calibrated_offset_ms(current_ms: int, seen: TapRound, heard: TapRound) -> int:
    """The new offset: the current one plus how much later the sound was tapped than the dot."""
    extra = (heard.lag() - seen.lag()) * 1000
    return max(-MAX_AUDIO_OFFSET_MS, min(MAX_AUDIO_OFFSET_MS, round(current_ms + extra)))
