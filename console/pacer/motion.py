"""Where the stimulus is at any moment of a set, as a pure function of set time.

Nothing here counts frames: a late or dropped frame asks for the position at
the time it is actually shown, so speed and pass counts stay exact however the
screen keeps up. Times of turns are computed in exact rational arithmetic from
the speed as written (0.7 Hz is 7/10, not the nearest binary float), so the
1200th pass at 1 Hz ends at exactly 600 s and counts never drift.

Geometry. Coordinates are normalised: x, y in [-1, 1], 0 at the centre, y up;
the window scales x = ±1 to the edges of the sweep. Every path is driven by one
sweep coordinate s that goes from the left end (-1) to the right end (+1) and
back once per cycle, following the motion profile; the set starts at the left
end. A *pass* is one trip from one end to the other, so a cycle is two passes
and the ends ("sides") are the leftmost and rightmost points of every path:

- horizontal (s, 0); vertical (0, s), whose "left" end is the bottom;
  diagonal_up (s, s); diagonal_down (s, -s);
- circle: over the top going right, underneath coming back;
- figure_eight: a lying eight whose loops are as tall as they are wide,
  crossing the centre once per pass.

The profile says how speed varies along the path: sinusoidal slows to a halt
at each side, as a pendulum does; constant keeps one speed. On the lines that
is s = -cos(πu) or linear in u (u the fraction of the pass). On the circle and
the eight the profile drives the angle φ in x = -cos φ instead: uniform for
constant (exactly constant speed on the circle; on the eight a uniform
parameter, the closest closed form), eased for sinusoidal. Driving x linearly
there would make the vertical speed infinite at the sides.

Endings. A limited set lasts a whole number of passes (a limit in seconds
rounds up to the next turn, so the stimulus never stops mid-sweep).
stop_at_side ends exactly at that turn; ease_to_centre turns the last pass into
a glide from the side to the centre with a raised-cosine ease, so the set has
the same length and the stimulus comes to rest where the client's eyes can
settle.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from typing import Literal

from console.pacer.settings import PacerSettings

Side = Literal["left", "right"]


def side_of_turn(k: int) -> Side:
    """Turn 0 is the starting point at the left end; odd turns are at the right."""
    return "right" if k % 2 else "left"


def _end_point(path: str, side: float) -> tuple[float, float]:
    if path == "vertical":
        return 0.0, side
    if path == "diagonal_up":
        return side, side
    if path == "diagonal_down":
        return side, -side
    return side, 0.0


def _ease(u: float) -> float:
    """Raised cosine from 0 to 1: zero speed at both ends, so nothing jerks."""
    return 0.5 * (1.0 - math.cos(math.pi * u))


@dataclass(frozen=True)
class Motion:
    """The motion of one set; build a new one when the settings change."""

    settings: PacerSettings

    @cached_property
    def _speed(self) -> Fraction:
        return Fraction(repr(self.settings.speed_hz))

    @cached_property
    def pass_s(self) -> float:
        return float(1 / (2 * self._speed))

    @cached_property
    def passes(self) -> int | None:
        """How many passes the set lasts; None for an open set."""
        s = self.settings
        if s.limit == "passes":
            return int(s.limit_value)
        if s.limit == "seconds":
            return max(1, math.ceil(Fraction(s.limit_value) * 2 * self._speed))
        return None

    @cached_property
    def duration_s(self) -> float | None:
        passes = self.passes
        return None if passes is None else self.turn_time(passes)

    def turn_time(self, k: int) -> float:
        """When the stimulus reaches its k-th end (k = 0 is the start, at the left)."""
        return float(Fraction(k) / (2 * self._speed))

    def midline_time(self, k: int) -> float:
        """When the stimulus crosses the centre during pass k (heading to turn k + 1)."""
        return float(Fraction(2 * k + 1) / (4 * self._speed))

    def passes_completed(self, t: float) -> int:
        """Turns reached by set time t, consistent with `turn_time` to the last bit."""
        if t <= 0:
            return 0
        k = math.floor(Fraction(t) * 2 * self._speed)
        if self.turn_time(k + 1) <= t:
            k += 1
        passes = self.passes
        return k if passes is None else min(k, passes)

    def ended(self, t: float) -> bool:
        duration = self.duration_s
        return duration is not None and t >= duration

    def position(self, t: float) -> tuple[float, float]:
        path = self.settings.path
        if t <= 0:
            return _end_point(path, -1.0)
        k = self.passes_completed(t)
        heading = -1.0 if k % 2 else 1.0
        passes = self.passes
        if passes is not None and k >= passes:
            if self.settings.ending == "ease_to_centre":
                return 0.0, 0.0
            return _end_point(path, -heading)
        u = min(1.0, (t - self.turn_time(k)) / self.pass_s)
        if passes is not None and k == passes - 1 and self.settings.ending == "ease_to_centre":
            amplitude = 1.0 - _ease(u)
            x, y = _end_point(path, -heading)
            return amplitude * x, amplitude * y
        sinusoidal = self.settings.profile == "sinusoidal"
        if path in ("circle", "figure_eight"):
            phi = math.pi * (_ease(u) if sinusoidal else u)
            y = heading * math.sin(phi) if path == "circle" else 0.5 * math.sin(2.0 * phi)
            return -heading * math.cos(phi), y
        s = -heading * math.cos(math.pi * u) if sinusoidal else heading * (2.0 * u - 1.0)
        return _end_point(path, s)

    def x_progress(self, x: float) -> float:
        """The fraction of a left-to-right pass at which the stimulus is at horizontal x."""
        sinusoidal = self.settings.profile == "sinusoidal"
        if self.settings.path in ("circle", "figure_eight"):
            phi = math.acos(-x)
            return math.acos(1.0 - 2.0 * phi / math.pi) / math.pi if sinusoidal else phi / math.pi
        return math.acos(-x) / math.pi if sinusoidal else (x + 1.0) / 2.0
