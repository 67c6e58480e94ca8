"""The pacer's stereo stream: onsets to the sample, one ear at a time, no clicks."""

from __future__ import annotations

import itertools
import math

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from console.errors import ValidationError
from console.pacer.audio import AudioRenderer, onset_sample, sound_events
from console.pacer.motion import Motion
from console.pacer.settings import PacerSettings

RATE = 48000


def renderer(**kw: object) -> AudioRenderer:
    return AudioRenderer(Motion(PacerSettings(**kw)))  # type: ignore[arg-type]


def burst_onsets(channel: npt.NDArray[np.float32]) -> list[int]:
    """First non-zero sample of each run of sound."""
    sounding = channel != 0
    starts = np.flatnonzero(sounding[1:] & ~sounding[:-1]) + 1
    return ([0] if sounding[0] else []) + starts.tolist()


@pytest.mark.parametrize("sound", ["tone", "click"])
@pytest.mark.parametrize("sound_at", ["turn", "midline"])
def test_onsets_fall_on_the_exact_sample_in_the_right_ear(sound: str, sound_at: str) -> None:
    r = renderer(speed_hz=0.7, sound=sound, sound_at=sound_at, limit="passes", limit_value=9)
    out = r.render(0, 8 * RATE, RATE)
    events = sound_events(r.motion, 0.0, 100.0)
    assert len(events) == 9
    for channel, side in ((0, "left"), (1, "right")):
        expected = [onset_sample(t, RATE) for t, s in events if s == side]
        assert burst_onsets(out[:, channel]) == expected
    # Turns sound on the side reached; a crossing on the side the stimulus heads to.
    first_time, first_side = events[0]
    assert first_side == "right"
    m = r.motion
    assert first_time == (m.turn_time(1) if sound_at == "turn" else m.midline_time(0))


def test_the_other_ear_is_exactly_silent() -> None:
    out = renderer(sound="tone", tone_hz=1000, volume=1.0, limit="open", limit_value=0).render(
        0, 10 * RATE, RATE
    )
    left, right = out[:, 0], out[:, 1]
    both = (left != 0) & (right != 0)
    assert not both.any()
    # Leakage, as energy of the silent ear while the other sounds: none at all.
    leak = float(np.sum(right[left != 0] ** 2))
    active = float(np.sum(left[left != 0] ** 2))
    assert leak == 0.0 and active > 0
    assert 10 * math.log10(max(leak, 1e-30) / active) < -60


@pytest.mark.parametrize("sound", ["tone", "click"])
def test_bursts_ramp_in_and_out_without_clicks(sound: str) -> None:
    tone_hz = 1000.0
    out = renderer(sound=sound, tone_hz=tone_hz, volume=0.8, limit="open", limit_value=0)
    samples = out.render(0, 3 * RATE, RATE)
    peak = float(np.abs(samples).max())
    assert 0.75 <= peak <= 0.8
    hz = 2000.0 if sound == "click" else tone_hz
    jump = float(np.abs(np.diff(samples, axis=0)).max())
    # No faster than the tone itself can move, plus a little for the ramp.
    assert jump <= peak * (2 * math.pi * hz / RATE) * 1.1
    for channel in (0, 1):
        onsets = burst_onsets(samples[:, channel])
        assert onsets
        for n in onsets:
            assert abs(samples[n, channel]) < 0.01 * peak
            assert samples[n - 1, channel] == 0.0


@settings(max_examples=25, deadline=None)
@given(
    speed=st.floats(0.2, 2.0),
    sound=st.sampled_from(["tone", "click"]),
    sound_at=st.sampled_from(["turn", "midline"]),
    cuts=st.lists(st.integers(1, 4 * RATE - 1), max_size=6),
)
def test_rendering_in_chunks_equals_rendering_at_once(
    speed: float, sound: str, sound_at: str, cuts: list[int]
) -> None:
    r = renderer(speed_hz=speed, sound=sound, sound_at=sound_at, limit="seconds", limit_value=3)
    whole = r.render(0, 4 * RATE, RATE)
    bounds = [0, *sorted(set(cuts)), 4 * RATE]
    chunks = [r.render(a, b, RATE) for a, b in itertools.pairwise(bounds)]
    assert np.array_equal(np.concatenate(chunks), whole)
    assert whole.dtype == np.float32 and whole.shape == (4 * RATE, 2)


@settings(max_examples=40, deadline=None)
@given(speed=st.floats(0.2, 2.0), sound_at=st.sampled_from(["turn", "midline"]))
def test_each_ear_sounds_at_most_three_times_a_second(speed: float, sound_at: str) -> None:
    m = Motion(
        PacerSettings(speed_hz=speed, sound="click", sound_at=sound_at, limit="open", limit_value=0)
    )
    events = sound_events(m, 0.0, 20.0)
    for side in ("left", "right"):
        times = [t for t, s in events if s == side]
        assert all(b - a >= 1 / 3 for a, b in itertools.pairwise(times))


def test_ease_to_centre_leaves_the_glide_silent() -> None:
    m = Motion(PacerSettings(sound="tone", limit="passes", limit_value=8, ending="ease_to_centre"))
    assert [t for t, _ in sound_events(m, 0.0, 100.0)] == [0.5 * k for k in range(1, 8)]
    m = Motion(PacerSettings(sound="tone", limit="passes", limit_value=8))
    assert len(sound_events(m, 0.0, 100.0)) == 8


def test_silence_when_sound_is_off_and_bad_ranges_refused() -> None:
    r = renderer(sound="off")
    assert not r.render(0, RATE, RATE).any()
    with pytest.raises(ValidationError) as err:
        r.render(10, 5, RATE)
    assert err.value.field == "n0"
    with pytest.raises(ValidationError) as err:
        r.render(0, 5, 100)
    assert err.value.field == "sample_rate"
