"""Set time from wall or audio time, across pauses, with no hidden state.

The clock is an immutable value: each start, pause or resume returns a new
clock anchored at the instant it happened, and the caller passes the current
time in. So tests drive it with plain numbers, the UI with its monotonic
clock or the audio device's play position, and a pause never shifts the phase:
the set time at resume is the very number it was at pause, not a sum of
intervals that rounding could nudge.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SetClock:
    # Wall time at which the set time was `anchor_set`; None until the set starts.
    anchor_wall: float | None = None
    anchor_set: float = 0.0
    running: bool = False

    def _now(self, now: float) -> float:
        if self.anchor_wall is not None and now < self.anchor_wall:
            raise ValueError("time went backwards")
        return now

    def start(self, now: float) -> SetClock:
        if self.anchor_wall is not None:
            raise ValueError("the set has already started")
        return SetClock(now, 0.0, True)

    def pause(self, now: float) -> SetClock:
        """Pausing twice is harmless, as a double key press should be."""
        if not self.running:
            return self
        return SetClock(now, self.set_time(now), False)

    def resume(self, now: float) -> SetClock:
        if self.running or self.anchor_wall is None:
            return self
        return SetClock(self._now(now), self.anchor_set, True)

    def set_time(self, now: float) -> float:
        if not self.running or self.anchor_wall is None:
            return self.anchor_set
        return self.anchor_set + (self._now(now) - self.anchor_wall)


def set_time_from_audio(played_frames: int, sample_rate: int, audio_offset_ms: int) -> float:
    """The set time the client is hearing, from the frames the audio device has played.

    A positive offset means the sound reaches the ears later than the device
    reports, so the picture is held back by that much to stay with the sound.
    """
    return played_frames / sample_rate - audio_offset_ms / 1000.0
