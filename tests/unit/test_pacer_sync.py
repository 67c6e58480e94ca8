"""The picture's clock, the sound rendered ahead, the frame grid and the keys' edits."""

from __future__ import annotations

import numpy as np
import pytest

from console.pacer.ahead import BYTES_PER_FRAME, CHUNK_FRAMES, AheadStream
from console.pacer.controls import next_sound, nudged_speed, with_path_number
from console.pacer.frames import next_frame_delay, refresh_period
from console.pacer.settings import PacerSettings
from console.pacer.sync import RESYNC_S, SoundWatch
from console.pacer.timing_light import TimingReading, timing_light


def test_a_device_reporting_in_steps_and_running_ahead_moves_nothing() -> None:
    watch = SoundWatch()
    for i in range(1, 1800):
        wall = i / 60
        reported = np.floor(wall * 1.000456 / 0.02) * 0.02  # in 20 ms steps, 456 ppm fast
        assert watch.observe(wall, float(reported), wall) is None


def test_sound_that_falls_behind_skips_ahead_once() -> None:
    watch = SoundWatch()
    skips: list[float] = []
    for i in range(1, 600):
        wall = i / 60
        heard = wall - (0.2 if wall > 1 else 0.0) + sum(skips)  # the device starved for 200 ms
        skip = watch.observe(wall, heard, wall)
        if skip is not None:
            skips.append(skip)
    assert len(skips) >= 1 and skips[0] > RESYNC_S
    assert sum(skips) <= 0.2 + 1e-9, "never skips more than it fell behind"
    assert watch.behind_s < RESYNC_S


def _ramp(n0: int, n1: int) -> np.ndarray:
    values = (np.arange(n0, n1) % 30000).astype(np.float32) / 32767
    return np.stack([values, -values], axis=1)


def _frames(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<i2").reshape(-1, 2)


def test_silence_until_the_set_begins_then_the_stream_from_its_first_frame() -> None:
    stream = AheadStream(48_000, ahead_s=0.2)
    stream.play(_ramp)
    try:
        assert stream.ready(5.0)
        assert not _frames(stream.read(1000 * BYTES_PER_FRAME)).any()
        assert stream.start_now() == 1000
        got = _frames(stream.read(3000 * BYTES_PER_FRAME))
        expected = (np.clip(_ramp(0, 3000), -1, 1) * 32767).astype("<i2")
        assert np.array_equal(got, expected), "device frame 1000 + n plays the set's frame n"
        assert stream.underruns == 0
        stream.silence()
        assert not _frames(stream.read(500 * BYTES_PER_FRAME)).any(), "between sets, silence"
        stream.play(_ramp)
        assert stream.ready(5.0) and stream.start_now() == 4500
        again = _frames(stream.read(100 * BYTES_PER_FRAME))
        assert np.array_equal(again, expected[:100]), "the next set starts at its own frame 0"
    finally:
        stream.close()


def test_a_read_that_finds_nothing_rendered_is_counted_and_keeps_the_mapping() -> None:
    calls: list[int] = []

    def slow(n0: int, n1: int) -> np.ndarray:
        calls.append(n0)
        return _ramp(n0, n1)

    stream = AheadStream(48_000, ahead_s=CHUNK_FRAMES / 48_000)
    stream.play(slow)
    try:
        stream.start_now()
        stream.read(CHUNK_FRAMES * 8 * BYTES_PER_FRAME)  # more than was rendered ahead
        assert stream.underruns >= 1
        assert stream.handed == CHUNK_FRAMES * 8
        assert stream.dropped > 0, "the silence filled in is content the sound now skips"
    finally:
        stream.close()


def test_frames_fall_on_a_grid_at_the_refresh_rate_not_every_16_ms() -> None:
    period = refresh_period(60.0)
    assert period == pytest.approx(1 / 60)
    now, shown = 0.0, []
    for _ in range(240):
        now += next_frame_delay(0.0, period, now)
        shown.append(now)
    assert shown[-1] == pytest.approx(240 / 60)
    assert refresh_period(0.0) == pytest.approx(1 / 60), "a screen with no rate gets 60 Hz"
    assert next_frame_delay(0.0, period, 0.1 + 0.001) == pytest.approx(7 / 60 - 0.101)


def test_keys_edit_one_setting_and_keep_the_rest() -> None:
    look = PacerSettings(size_px=120, sweep_percent=60, volume=0.3)
    assert nudged_speed(look, 1) == PacerSettings(
        size_px=120, sweep_percent=60, volume=0.3, speed_hz=1.1
    )
    assert nudged_speed(PacerSettings(speed_hz=2.0), 1).speed_hz == 2.0
    assert nudged_speed(PacerSettings(speed_hz=0.2), -1).speed_hz == 0.2
    assert with_path_number(look, 6).path == "figure_eight" and with_path_number(look, 9) == look
    assert [next_sound(PacerSettings(sound=s)).sound for s in ("off", "tone", "click")] == [
        "tone",
        "click",
        "off",
    ]


def test_the_timing_light_says_where_frames_come_from_and_what_the_sound_did() -> None:
    base = dict(frames=600, late_share=0.0, p99_ms=17.0, refresh_hz=60.0, sound_offset_ms=0.4)
    level, text = timing_light(TimingReading(**base, refresh_signal=False, sound=True, underruns=0))  # type: ignore[arg-type]
    assert level == "exact" and "no refresh signal" in text and "underruns 0" in text
    level, text = timing_light(TimingReading(**base, refresh_signal=True, sound=True, underruns=2))  # type: ignore[arg-type]
    assert level == "late" and "ran short" in text


def test_calibration_takes_the_difference_between_tapping_to_the_eye_and_to_the_ear() -> None:
    from console.errors import ValidationError
    from console.pacer.calibration import CALIBRATION, TapRound, calibrated_offset_ms
    from console.pacer.motion import Motion

    motion = Motion(CALIBRATION)
    seen, heard = TapRound(motion), TapRound(motion)
    habit = -0.030  # people tap a little early
    wobbles = (0.004, -0.006, 0.002, 0.0, -0.003, 0.005, -0.001, 0.001)
    for k, wobble in zip(range(1, 9), wobbles, strict=True):
        seen.tap(motion.turn_time(k) + habit + wobble)
        heard.tap(motion.turn_time(k) + habit + 0.045 + wobble)
    assert calibrated_offset_ms(10, seen, heard) == 55
    uneven = TapRound(motion)
    for k in range(1, 9):
        uneven.tap(motion.turn_time(k) + (0.2 if k % 2 else -0.2))
    with pytest.raises(ValidationError, match="too uneven"):
        uneven.lag()
    with pytest.raises(ValidationError, match="needs 8 taps"):
        TapRound(motion).lag()
