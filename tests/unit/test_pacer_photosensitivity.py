"""The photosensitivity cap: nothing at one place switches on more than 3 times a second."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from console.errors import ValidationError
from console.pacer.light_bar import LightBar
from console.pacer.motion import Motion
from console.pacer.photosensitivity import MIN_ONSET_INTERVAL_S, check_side_rate
from console.pacer.settings import PacerSettings

STEP_S = 0.001
PATHS = ("horizontal", "vertical", "diagonal_up", "diagonal_down", "circle", "figure_eight")


def led_onsets(bar: LightBar, until: float) -> dict[int, list[float]]:
    onsets: dict[int, list[float]] = {}
    previous = None
    for i in range(int(until / STEP_S) + 1):
        t = i * STEP_S
        lit = bar.lit(t)
        if lit != previous:
            onsets.setdefault(lit, []).append(t)
            previous = lit
    return onsets


@settings(max_examples=30, deadline=None)
@given(
    speed=st.floats(0.2, 2.0),
    path=st.sampled_from(PATHS),
    profile=st.sampled_from(["sinusoidal", "constant"]),
    ending=st.sampled_from(["stop_at_side", "ease_to_centre"]),
    passes=st.integers(2, 6),
)
# Found by hypothesis: the easing last pass once re-lit an LED too soon.
@example(speed=0.75, path="circle", profile="sinusoidal", ending="ease_to_centre", passes=2)
@example(speed=2.0, path="figure_eight", profile="constant", ending="ease_to_centre", passes=3)
def test_no_led_switches_on_faster_than_three_times_a_second(
    speed: float, path: str, profile: str, ending: str, passes: int
) -> None:
    s = PacerSettings(
        speed_hz=speed,
        path=path,  # type: ignore[arg-type]
        profile=profile,  # type: ignore[arg-type]
        shape="light_bar",
        limit="passes",
        limit_value=passes,
        ending=ending,  # type: ignore[arg-type]
    )
    bar = LightBar(Motion(s))
    assert bar.leds >= 2
    duration = Motion(s).duration_s
    assert duration is not None
    for times in led_onsets(bar, duration + 0.5).values():
        gaps = [b - a for a, b in itertools.pairwise(times)]
        # Sampling at 1 ms can shorten a measured gap by up to one step.
        assert all(gap >= MIN_ONSET_INTERVAL_S - 2 * STEP_S for gap in gaps)


def test_the_bar_uses_many_leds_when_slow_and_two_halves_when_fast() -> None:
    def leds(speed: float) -> int:
        return LightBar(Motion(PacerSettings(speed_hz=speed, shape="light_bar"))).leds

    assert leds(0.2) >= 20
    assert leds(1.0) >= 5
    assert leds(2.0) == 2
    bar = LightBar(Motion(PacerSettings(speed_hz=1.0, shape="light_bar")))
    assert bar.lit(0.0) == 0
    assert bar.lit(0.5) == bar.leds - 1


def test_a_side_rate_above_the_cap_is_refused_with_the_reason() -> None:
    check_side_rate(3.0)
    with pytest.raises(ValidationError) as err:
        check_side_rate(3.5)
    assert err.value.field == "speed_hz" and "photosensitivity" in err.value.reason
    with pytest.raises(ValidationError) as err:
        PacerSettings(speed_hz=4.0)
    assert err.value.field == "speed_hz" and "photosensitivity" in err.value.reason
