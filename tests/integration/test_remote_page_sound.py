"""The client's device sounds each tone in its own ear, at the console's instant.

Real parts: a PulseAudio server of its own with a null sink (docs/testing.md),
Debian's Chromium playing the page into it (headful, on an Xvfb of its own:
headless Chromium plays no sound), Mosquitto carrying the link. What
reached the speaker is read from the sink's monitor by `parec`, stamped on
this machine's monotonic clock (`bench/presentation_sound.py`), the clock the
console's end of the link runs on. So each tone's onset is compared with the
instant the console's own time function gives for it.
"""

from __future__ import annotations

import itertools
import shutil
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from console.pacer.audio import sound_events
from console.pacer.clock import SetClock
from console.pacer.motion import Motion
from console.pacer.settings import PacerSettings
from console.remote.share import SharedLink
from tests.integration.remote_parts import CHROMIUM, CHROMIUM_ARGS, broker

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT / "bench") not in sys.path:
    sys.path.insert(0, str(ROOT / "bench"))

import presentation_framebuffer as framebuffer  # noqa: E402
import presentation_sound as sound  # noqa: E402

SETTINGS = PacerSettings(speed_hz=1.0, limit="passes", limit_value=8, sound="tone", volume=0.5)
# What the page's mapping to the audio clock may miss by: the device's own buffering, as
# PulseAudio reports it to the browser, and the monitor's 5 ms chunks.
ONSET_SLACK_S = 0.040


@pytest.fixture
def null_sink() -> Iterator[dict[str, str]]:
    if shutil.which("pulseaudio") is None or shutil.which("parec") is None:
        pytest.skip("PulseAudio is not installed (the CI installs it)")
    if shutil.which("Xvfb") is None:
        pytest.skip("Xvfb is not installed (the CI installs it)")
    with sound.pulse_server() as env:
        yield env


def _wait(condition, timeout: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)  # polling another process (the page, the broker)


@contextmanager
def _page_sounding(tmp_path: Path, null_sink: dict[str, str]) -> Iterator[SharedLink]:
    """A link whose page, in headful Chromium on an Xvfb, has been tapped and plays sound."""
    with (
        framebuffer.xvfb(1280, 720) as (display, _fb),
        broker(tmp_path) as running,
        sync_playwright() as playwright,
    ):
        link = SharedLink(running.address, datetime.now(UTC) + timedelta(hours=1))
        link.open()
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
            headless=False,
            env={**null_sink, "DISPLAY": display},
        )
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            page.goto(link.url)
            page.get_by_role("button", name="Start").click()
            _wait(lambda: link.status().started, 15, "the page's Start")
            _wait(lambda: link.status().sound == "running", 15, "the page's sound unlocked")
            yield link
        finally:
            browser.close()
            link.close()


def test_each_tone_on_the_clients_device_is_in_its_ear_at_the_consoles_instant(
    tmp_path: Path, null_sink: dict[str, str]
) -> None:
    recorder = sound.Recorder(null_sink)
    recorder.wait_for_data()
    with _page_sounding(tmp_path, null_sink) as link:
        t0 = link.clock() + 0.5
        link.send_state(SETTINGS, SetClock().start(t0), at=link.clock())
        motion = Motion(SETTINGS)
        last = max(t for t, _ in sound_events(motion, 0.0, 60.0))
        _wait(lambda: link.clock() > t0 + last + 0.5, 30, "the set's last tone")
    recording = recorder.stop()
    tones = [tone for tone in sound.find_tones(recording.samples) if not tone.broken]
    expected = sound_events(Motion(SETTINGS), 0.0, 60.0)
    assert len(tones) == len(expected), [(tone.channel, tone.onset) for tone in tones]
    for tone, (at, side) in zip(tones, expected, strict=True):
        assert tone.channel == (0 if side == "left" else 1), "each tone in its own ear"
        heard = float(recording.time_of(tone.onset))
        assert abs(heard - (t0 + at)) < ONSET_SLACK_S, (heard - (t0 + at), at)
        assert abs(tone.duration_s - 0.08) < 0.01
    onsets = [float(recording.time_of(tone.onset)) for tone in tones]
    gaps = [b - a for a, b in itertools.pairwise(onsets)]
    assert all(abs(gap - 0.5) < 0.005 for gap in gaps), gaps


def test_a_stop_just_before_a_tone_is_the_last_sound_on_the_clients_device(
    tmp_path: Path, null_sink: dict[str, str]
) -> None:
    """The page schedules tones 0.4 s ahead and a stop reaches it a quarter second ahead:
    the therapist's Stop must take back a tone already scheduled after it."""
    settings = PacerSettings(speed_hz=1.0, limit="open", limit_value=0, sound="tone", volume=0.5)
    recorder = sound.Recorder(null_sink)
    recorder.wait_for_data()
    with _page_sounding(tmp_path, null_sink) as link:
        t0 = link.clock() + 0.5
        link.send_state(settings, SetClock().start(t0), at=link.clock())
        tones = [t for t, _ in sound_events(Motion(settings), 0.0, 10.0)]
        stop_set_time = tones[4] - 0.1  # 0.1 s before the fifth tone
        stop_at = t0 + stop_set_time
        _wait(lambda: link.clock() > stop_at - 0.25, 15, "a quarter second before the stop")
        link.send_state(settings, SetClock(stop_at, stop_set_time, False), at=stop_at)
        _wait(lambda: link.clock() > stop_at + 1.0, 15, "a second after the stop")
    recording = recorder.stop()
    heard = [float(recording.time_of(tone.onset)) for tone in sound.find_tones(recording.samples)]
    assert len([h for h in heard if h < stop_at]) == 4, "the four tones before the stop"
    assert [h - stop_at for h in heard if h >= stop_at] == [], "and nothing after it"
