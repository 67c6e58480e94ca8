"""The picture's clock: monotonic time, slewed gently onto the sound the client hears.

The audio device reports its position in device-sized steps and stalls when
it starts, so a picture slaved to it directly stands still and jumps. Media
players keep a smooth clock instead and nudge its rate towards the audio
(mpv's and VLC's A/V sync): the position is continuous on every frame, only
its speed changes, and by at most `MAX_SLEW`. An offset too large to slew away
(the device starved and now plays late) is handed back to the caller, which
moves the sound, not the picture: the picture's speed always equals the
setting against wall time.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_SLEW = 0.002  # the clock runs at most 0.2 % fast or slow while it catches up
GAIN_PER_S = 0.2  # rate offset per second of filtered error
FILTER_S = 1.0  # the device's steps are averaged over about this long
RESYNC_S = 0.03  # beyond this the sound is moved instead


@dataclass
class AudioDisciplinedClock:
    """Set time as a function of monotonic wall time; pure, so tests drive it with numbers."""

    anchor_wall: float
    anchor_set: float
    rate: float = 1.0
    error_s: float = 0.0
    _last_wall: float | None = None

    def at(self, wall: float) -> float:
        return self.anchor_set + (wall - self.anchor_wall) * self.rate

    def _rebase(self, wall: float, rate: float) -> None:
        """Change the rate at `wall` without moving the position there: no step."""
        self.anchor_set = self.at(wall)
        self.anchor_wall = wall
        self.rate = rate

    def observe(self, wall: float, heard: float) -> float | None:
        """Take one reading of the set time being heard; the seconds to move the sound, if any.

        A positive result means the sound is that far behind the picture and
        should skip ahead.
        """
        error = heard - self.at(wall)
        dt = 0.0 if self._last_wall is None else max(0.0, wall - self._last_wall)
        self._last_wall = wall
        weight = min(1.0, dt / FILTER_S) if dt else 0.0
        self.error_s += weight * (error - self.error_s)
        if abs(self.error_s) > RESYNC_S:
            behind = -self.error_s
            self.error_s = 0.0
            self._rebase(wall, 1.0)
            return behind
        slew = max(-MAX_SLEW, min(MAX_SLEW, GAIN_PER_S * self.error_s))
        self._rebase(wall, 1.0 + slew)
        return None
