"""Motion of the pacer stimulus: exact positions, exact pass counts, endings, pauses."""

from __future__ import annotations

import itertools
import math
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from console.pacer.clock import SetClock, set_time_from_audio
from console.pacer.motion import Motion, side_of_turn
from console.pacer.settings import PacerSettings

PATHS = ("horizontal", "vertical", "diagonal_up", "diagonal_down", "circle", "figure_eight")
# Position at 0, 1/8, 1/4 and 1/2 of a cycle, for a 1 Hz set.
EXPECTED = {
    "horizontal": [(-1, 0), (0, 0), (1, 0)],
    "vertical": [(0, -1), (0, 0), (0, 1)],
    "diagonal_up": [(-1, -1), (0, 0), (1, 1)],
    "diagonal_down": [(-1, 1), (0, 0), (1, -1)],
    "circle": [(-1, 0), (0, 1), (1, 0)],
    "figure_eight": [(-1, 0), (0, 0), (1, 0)],
}
LINE_EIGHTH_X = {"sinusoidal": -math.sqrt(0.5), "constant": -0.5}
# On the circle and the eight the profile drives the angle (see console.pacer.motion).
ROUND_EIGHTH_X = {
    "sinusoidal": -math.cos(math.pi * 0.5 * (1 - math.cos(math.pi / 4))),
    "constant": -math.sqrt(0.5),
}


def motion(**kw: object) -> Motion:
    return Motion(PacerSettings(**kw))  # type: ignore[arg-type]


@pytest.mark.parametrize("profile", ["sinusoidal", "constant"])
@pytest.mark.parametrize("path", PATHS)
def test_positions_at_known_times(path: str, profile: str) -> None:
    for speed in (1.0, 0.5):
        m = motion(path=path, profile=profile, speed_hz=speed, limit="open", limit_value=0)
        period = 1 / speed
        for fraction, expected in zip((0.0, 0.25, 0.5), EXPECTED[path], strict=True):
            assert m.position(fraction * period) == pytest.approx(expected, abs=1e-12)
        # Back at the start after a whole cycle, and at the start after many.
        assert m.position(period) == pytest.approx(EXPECTED[path][0], abs=1e-12)
        assert m.position(37 * period) == pytest.approx(EXPECTED[path][0], abs=1e-9)
        x, _ = m.position(period / 8)
        if path in ("circle", "figure_eight"):
            assert x == pytest.approx(ROUND_EIGHTH_X[profile], abs=1e-12)
        elif path != "vertical":
            assert x == pytest.approx(LINE_EIGHTH_X[profile], abs=1e-12)


def test_circle_is_uniform_and_eight_loops_are_round() -> None:
    circle = motion(path="circle", profile="constant")
    for t in (0.1, 0.3, 0.65, 0.9):
        x, y = circle.position(t)
        assert math.hypot(x, y) == pytest.approx(1.0)
        assert math.atan2(y, -x) % (2 * math.pi) == pytest.approx((2 * math.pi * t), abs=1e-9)
    eight = motion(path="figure_eight")
    heights = [eight.position(i / 1000)[1] for i in range(1000)]
    assert max(heights) == pytest.approx(0.5, abs=1e-4)
    assert min(heights) == pytest.approx(-0.5, abs=1e-4)


def test_turns_and_midline_crossings_are_exact() -> None:
    m = motion(speed_hz=1.0)
    assert [m.turn_time(k) for k in range(4)] == [0.0, 0.5, 1.0, 1.5]
    assert [m.midline_time(k) for k in range(3)] == [0.25, 0.75, 1.25]
    assert [side_of_turn(k) for k in range(4)] == ["left", "right", "left", "right"]
    m7 = motion(speed_hz=0.7)
    assert m7.turn_time(7) == 5.0
    assert m7.midline_time(0) == pytest.approx(1 / 2.8)


def test_pass_counts_stay_exact_over_ten_minutes() -> None:
    assert motion(speed_hz=1.0, limit="open", limit_value=0).passes_completed(600.0) == 1200
    m = motion(speed_hz=0.7, limit="open", limit_value=0)
    assert m.passes_completed(600.0) == math.floor(600 * 2 * 0.7) == 840
    assert m.passes_completed(math.nextafter(600.0, 0)) == 839
    m = motion(speed_hz=1.3, limit="open", limit_value=0)
    assert m.passes_completed(600.0) == 1560
    for k in (1, 2, 999, 1559, 1560):
        t = m.turn_time(k)
        assert m.passes_completed(t) == k
        assert m.passes_completed(math.nextafter(t, 0)) == k - 1


def test_passes_per_minute_and_gaze_speed() -> None:
    s = PacerSettings(speed_hz=1.0, sweep_percent=100)
    assert s.passes_per_minute == 120
    # A 60 cm sweep seen from 30 cm spans 90 degrees; two passes a second.
    assert s.degrees_per_second(60, 30) == pytest.approx(180.0)
    assert PacerSettings(path="vertical").degrees_per_second(60, 30) == 0.0


def test_limit_in_passes_ends_exactly_at_the_side() -> None:
    m = motion(speed_hz=1.0, limit="passes", limit_value=24)
    assert m.passes == 24 and m.duration_s == 12.0
    assert not m.ended(11.999) and m.ended(12.0)
    assert m.passes_completed(11.999) == 23
    assert m.passes_completed(12.0) == m.passes_completed(100.0) == 24
    assert m.position(12.0) == (-1.0, 0.0)  # 24 passes: back at the left
    assert m.position(50.0) == (-1.0, 0.0)
    odd = motion(speed_hz=1.0, limit="passes", limit_value=3)
    assert odd.position(1.5) == odd.position(9.0) == (1.0, 0.0)


def test_limit_in_seconds_rounds_up_to_the_next_turn() -> None:
    m = motion(speed_hz=1.0, limit="seconds", limit_value=10.2)
    assert m.passes == 21 and m.duration_s == 10.5
    assert motion(speed_hz=1.0, limit="seconds", limit_value=10).passes == 20
    assert motion(speed_hz=0.2, limit="seconds", limit_value=1).passes == 1
    assert motion(limit="open", limit_value=0).duration_s is None


@pytest.mark.parametrize("path", PATHS)
def test_ease_to_centre_glides_to_rest_over_the_last_pass(path: str) -> None:
    m = motion(speed_hz=1.0, limit="passes", limit_value=8, ending="ease_to_centre", path=path)
    assert m.duration_s == 4.0
    start = m.position(3.5)  # turn 7: the right end
    assert start == pytest.approx(EXPECTED[path][2])
    previous = math.inf
    for i in range(1, 51):
        x, y = m.position(3.5 + 0.5 * i / 50)
        distance = math.hypot(x, y)
        assert distance <= previous + 1e-12
        previous = distance
    assert m.position(4.0) == pytest.approx((0.0, 0.0), abs=1e-12)
    assert m.position(60.0) == (0.0, 0.0)
    assert m.passes_completed(4.0) == 8


def test_clock_pause_and_resume_keep_the_phase() -> None:
    clock = SetClock().start(1000.0)
    assert clock.set_time(1000.3) == pytest.approx(0.3)
    paused = clock.pause(1000.3)
    at_pause = paused.set_time(1000.3)
    assert paused.set_time(1042.0) == at_pause
    assert paused.pause(1050.0) is paused
    resumed = paused.resume(1077.7)
    assert resumed.set_time(1077.7) == at_pause
    assert resumed.set_time(1078.2) == pytest.approx(at_pause + 0.5)
    m = motion(speed_hz=1.0)
    assert m.position(resumed.set_time(1077.7)) == m.position(at_pause)
    with pytest.raises(ValueError):
        resumed.set_time(1000.0)
    with pytest.raises(ValueError):
        resumed.start(2000.0)
    assert SetClock().set_time(5.0) == 0.0


def test_audio_position_with_latency_offset() -> None:
    assert set_time_from_audio(48000, 48000, 0) == 1.0
    assert set_time_from_audio(48000, 48000, 120) == pytest.approx(0.88)
    assert set_time_from_audio(48000, 48000, -50) == pytest.approx(1.05)


valid_settings = st.builds(
    PacerSettings,
    speed_hz=st.floats(0.2, 2.0),
    path=st.sampled_from(PATHS),
    profile=st.sampled_from(["sinusoidal", "constant"]),
    limit=st.just("passes"),
    limit_value=st.integers(1, 60),
    ending=st.sampled_from(["stop_at_side", "ease_to_centre"]),
)


@settings(max_examples=60, deadline=None)
@given(s=valid_settings, data=st.data())
def test_any_valid_settings_behave(s: PacerSettings, data: st.DataObject) -> None:
    m = Motion(s)
    assert m.passes is not None and m.duration_s is not None
    turns = [m.turn_time(k) for k in range(m.passes + 1)]
    assert all(a < b for a, b in itertools.pairwise(turns))
    assert all(m.turn_time(k) < m.midline_time(k) < m.turn_time(k + 1) for k in range(5))
    times = sorted(data.draw(st.lists(st.floats(-1, m.duration_s + 2), min_size=2)))
    counts = [m.passes_completed(t) for t in times]
    assert counts == sorted(counts)
    assert all(0 <= c <= m.passes for c in counts)
    for t in times:
        x, y = m.position(t)
        assert -1 <= x <= 1 and -1 <= y <= 1


@settings(max_examples=40, deadline=None)
@given(s=valid_settings, i=st.integers(0, 10_000))
def test_position_never_jumps(s: PacerSettings, i: int) -> None:
    """The path is continuous: a millisecond never moves the stimulus far."""
    m = Motion(replace(s, limit="open", limit_value=0) if i % 2 else s)
    t = i / 997
    a, b = m.position(t), m.position(t + 0.001)
    assert math.dist(a, b) < 2 * math.pi * 2.0 * 0.001 * 2
