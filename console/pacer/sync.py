"""Keeping the sound with the picture: the picture keeps wall time, the sound is watched.

Qt's audio sink reports only how much it has handed to the sound server
(`processedUSecs`), not what the client hears. Measured here through
PulseAudio, that figure ran 456 ppm fast over 17 s, 1,200 ppm in one 5 s
stretch, while the sound actually heard ran 106 ppm slow: a picture slaved
or slewed to it would drift away from both the sound and the setting. So the
picture's clock is the monotonic clock, started when the set's first sample
will be heard; the device's reports, averaged over seconds, only detect the
sound falling behind (the device was starved), and then the sound skips
ahead to the picture, not the other way round. The speed therefore always
equals the setting against wall time, and the picture never stalls or jumps.
"""

from __future__ import annotations

from dataclasses import dataclass

FILTER_S = 2.0  # the device's reports are averaged over about this long
RESYNC_S = 0.03  # the sound this far behind is moved forward


@dataclass
class SoundWatch:
    """Compares what the device reports with the picture's set time; pure, driven by numbers."""

    behind_s: float = 0.0
    _last_wall: float | None = None

    def observe(self, wall: float, heard: float, shown: float) -> float | None:
        """One reading; the seconds the sound should skip ahead, when it has fallen behind."""
        dt = 0.0 if self._last_wall is None else max(0.0, wall - self._last_wall)
        self._last_wall = wall
        weight = min(1.0, dt / FILTER_S)
        self.behind_s += weight * ((shown - heard) - self.behind_s)
        if self.behind_s > RESYNC_S:
            skip, self.behind_s = self.behind_s, 0.0
            return skip
        return None
