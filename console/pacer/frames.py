"""When the next frame is due: a fixed grid at the display's refresh rate, not a 16 ms tick.

A repeating 16 ms timer beats against a 60 Hz display (16.67 ms), so every
24th frame is shown twice or skipped. Frames are instead due on a grid laid at
the refresh period from the first frame; a late frame catches up with the
grid rather than pushing every later frame back.
"""

from __future__ import annotations

import math

DEFAULT_REFRESH_HZ = 60.0
MIN_REFRESH_HZ, MAX_REFRESH_HZ = 24.0, 360.0


def refresh_period(refresh_hz: float) -> float:
    """Seconds per refresh; a screen reporting nonsense gets the usual 60 Hz."""
    if not math.isfinite(refresh_hz) or not MIN_REFRESH_HZ <= refresh_hz <= MAX_REFRESH_HZ:
        refresh_hz = DEFAULT_REFRESH_HZ
    return 1.0 / refresh_hz


def next_frame_delay(grid_start: float, period: float, now: float) -> float:
    """Seconds from `now` to the next grid instant strictly after it."""
    # A tick that lands on a grid instant (to rounding) is that frame; the next is one on.
    k = math.floor((now - grid_start) / period + 1e-6) + 1
    return max(0.0, grid_start + k * period - now)
