"""The photosensitivity cap, kept in the engine so no window or sound sink can break it.

The rule: no single place the client attends to — one ear, one side of the
screen, one LED of a light bar — may switch on more than three times a second.
We express it as a minimum interval of 1/3 s between two onsets at the same
place, which is stricter than an average rate: a light that blinks twice in
0.1 s and then rests still counts as a fast flicker. The moving stimulus
itself never flashes (it is always drawn), so what can flicker is a sound at
one ear, a side of the screen that is reached, and the LEDs of a light bar.

Each side (and each ear, whether sounds mark the turns or the midline
crossings) gets exactly one event per cycle, so its rate is the speed in Hz;
the speed range keeps that under the cap. A light bar is harder: an LED in the
middle is passed twice per cycle, and one near an end is passed going out and
again soon after coming back; `light_bar_leds` picks the most LEDs the speed
allows (five at 1 Hz, two halves alternating from 1.5 Hz up).
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

from console.errors import ValidationError

MAX_ONSETS_PER_SECOND = 3.0
MIN_ONSET_INTERVAL_S = 1.0 / MAX_ONSETS_PER_SECOND
# A real light bar has a few dozen LEDs; more would not look smoother at arm's length.
MAX_LEDS = 24


def check_side_rate(speed_hz: float) -> None:
    """Refuse a speed at which one side or ear would switch on more than the cap allows."""
    if speed_hz > MAX_ONSETS_PER_SECOND:
        raise ValidationError(
            "speed_hz",
            f"{speed_hz:g} Hz would stimulate each side {speed_hz:g} times a second; "
            f"the photosensitivity limit is {MAX_ONSETS_PER_SECOND:g}",
        )


def _min_led_onset_interval(
    leds: int, speed_hz: float, progress_at: Callable[[float], float]
) -> float:
    """The shortest time between two switch-ons of any one LED over a set.

    The LED under the stimulus is lit, so an LED between two others switches on
    once going right and once coming back; the end LEDs switch on once a cycle.
    """
    period = float(1 / Fraction(repr(speed_hz)))
    one_pass = period / 2.0
    bounds = [-1.0 + 2.0 * i / leds for i in range(leds + 1)]
    shortest = period
    if leds > 1:
        # LED 0 is lit at the start and next switched on when the stimulus comes back.
        shortest = min(shortest, one_pass * (2.0 - progress_at(bounds[1])))
    for j in range(1, leds - 1):
        going = one_pass * progress_at(bounds[j])
        coming = one_pass * (2.0 - progress_at(bounds[j + 1]))
        shortest = min(shortest, coming - going, period - (coming - going))
    return shortest


def light_bar_leds(speed_hz: float, progress_at: Callable[[float], float]) -> int:
    """The most LEDs a light bar may have so that none switches on faster than the cap.

    `progress_at(x)` is the fraction of a left-to-right pass at which the
    stimulus is at horizontal position x (it depends on the path and profile).
    """
    return max(
        n
        for n in range(1, MAX_LEDS + 1)
        if _min_led_onset_interval(n, speed_hz, progress_at) >= MIN_ONSET_INTERVAL_S
    )
