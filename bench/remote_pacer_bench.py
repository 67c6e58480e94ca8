"""The pacer on a client's own device, measured from outside: one JSON line per figure set.

Run from the repository root: `.venv/bin/python bench/remote_pacer_bench.py [--seconds N]`.
It never asserts; it measures and prints.

The set runs through real parts:
- the console's end (`console.remote.share.SharedLink`) drives the set on the monotonic
  clock;
- a real Mosquitto serves the page and carries the messages;
- the page reaches it through a relay that delays every chunk, each way, by 50 ms ± 30 ms
  (uniform, in order, as a congested telehealth path does); the console is on the
  clinic's network, direct;
- Debian's Chromium, headful on an Xvfb of its own, shows the page full screen.

What the client's screen shows is read from Xvfb's framebuffer by a separate process
(`bench/presentation_framebuffer.py`), on the same monotonic clock as the console. So:
- `phase_p50_ms` / `phase_p99_ms` / `phase_max_ms`: at each frame near the midline (where
  the dot is fastest, so 1 px is a fraction of a millisecond), the set time the dot's
  position shows, less the console's set time at the moment the frame reached the screen;
- `start_skew_ms`: the same in the set's first second;
- `stop_skew_ms`: when the page's last moving frame came, less the scheduled stop (at a
  midline crossing, where the dot is fastest, so the frame that stops it is plain to see);
- `offset_error_ms`: the page's clock-offset estimate (its own report) against the truth,
  from the page's time origin and this machine's two clocks;
- `sound_onset_p50_ms` / `sound_onset_p99_ms` / `sound_onset_mean_ms`: each tone the page
  played into a PulseAudio null sink of its own, read back from the sink's monitor and
  stamped on the same monotonic clock (`bench/presentation_sound.py`), less the instant
  the console's time function gives for it; `sound_wrong_ear` counts tones in the other
  channel;
- `messages_per_s`, `bytes_per_s`: what the broker carried for the link, both ways (sniffed);
- `page_cpu_percent`: Chromium's whole process tree, steady, as % of one core.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import random
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from bench.pacer_presentation_bench import CpuWatch  # noqa: E402
from bench.presentation_framebuffer import Sampler, xvfb  # noqa: E402
from bench.presentation_sound import Recorder, find_tones, pulse_server  # noqa: E402
from console.pacer.audio import sound_events  # noqa: E402
from console.pacer.clock import SetClock  # noqa: E402
from console.pacer.motion import Motion  # noqa: E402
from console.pacer.settings import PacerSettings  # noqa: E402
from console.remote.share import BrokerAddress, SharedLink  # noqa: E402
from tests.integration.remote_parts import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    Eavesdropper,
    broker,
    free_port,
)

WIDTH, HEIGHT = 1280, 720
DELAY_S, JITTER_S = 0.050, 0.030
LEAD_S = 0.25
SETTINGS = PacerSettings(speed_hz=1.0, limit="open", limit_value=0, sound="tone")


def emit(**values: object) -> None:
    print(json.dumps(values), flush=True)


class Relay:
    """A loopback TCP relay that delays each chunk, each way, keeping the order."""

    def __init__(self, target_port: int, seed: int = 17) -> None:
        self.target_port = target_port
        self.port = free_port()
        self.random = random.Random(seed)
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def delay(self) -> float:
        return max(0.0, DELAY_S + self.random.uniform(-JITTER_S, JITTER_S))

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        due = 0.0
        try:
            while chunk := await reader.read(65536):
                due = max(due, time.monotonic() + self.delay())
                await asyncio.sleep(max(0.0, due - time.monotonic()))
                writer.write(chunk)
                await writer.drain()
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            writer.close()

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            writer.close()
            return
        await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))

    def start(self) -> Relay:
        self._thread.start()
        started = asyncio.run_coroutine_threadsafe(
            asyncio.start_server(self._client, "127.0.0.1", self.port), self.loop
        )
        self.server = started.result(10)
        return self

    def stop(self) -> None:
        async def shutdown() -> None:
            self.server.close()
            for task in asyncio.all_tasks():
                if task is not asyncio.current_task():
                    task.cancel()

        asyncio.run_coroutine_threadsafe(shutdown(), self.loop).result(5)
        self.loop.call_soon_threadsafe(self.loop.stop)


def _chromium_root(profile: Path) -> int | None:
    """The browser process started with this profile folder (the CPU figure's root)."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if any(str(profile).encode() in part for part in command) and not any(
            b"--type=" in part for part in command
        ):
            return int(entry.name)
    return None


def shown_set_time(motion: Motion, x: float, expected: float) -> float | None:
    """The set time a position near the midline shows, in the pass the console is in."""
    if abs(x) > 0.6:
        return None
    k = math.floor(expected / motion.pass_s)
    best = None
    for pass_k in (k - 1, k, k + 1):
        if pass_k < 0:
            continue
        heading = -1.0 if pass_k % 2 else 1.0
        u = math.acos(max(-1.0, min(1.0, -x / heading))) / math.pi
        t = motion.turn_time(pass_k) + u * motion.pass_s
        if best is None or abs(t - expected) < abs(best - expected):
            best = t
    return best


def _midline_after(motion: Motion, set_time: float) -> float:
    """The first midline crossing after `set_time`: a stop there is seen at once, where the
    dot moves some 20 px a frame, not at a turn, where it hardly moves before it stops."""
    k = math.ceil((set_time - motion.pass_s / 2) / motion.pass_s)
    return motion.turn_time(k) + motion.pass_s / 2


def percentile(values: list[float], q: float) -> float | None:
    return float(np.percentile(np.array(values), q)) if values else None


def kiosk_chromium(playwright: Any, display: str, profile: Path, audio: dict[str, str]) -> Any:
    """Chromium full screen on the bench's Xvfb, its sound into the bench's sink: a client's
    device as every page measured here sees it."""
    return playwright.chromium.launch_persistent_context(
        str(profile),
        executable_path=CHROMIUM,
        headless=False,
        args=[
            *CHROMIUM_ARGS,
            "--kiosk",
            f"--window-size={WIDTH},{HEIGHT}",
            "--window-position=0,0",
        ],
        env={
            "DISPLAY": display,
            "HOME": str(profile),
            "XDG_RUNTIME_DIR": audio["XDG_RUNTIME_DIR"],
            "PULSE_SERVER": audio["PULSE_SERVER"],
        },
        no_viewport=True,
    )


@contextmanager
def browser_on(display: str, url: str, profile: Path, audio: dict[str, str]) -> Iterator[Any]:
    with sync_playwright() as p:
        context = kiosk_chromium(p, display, profile, audio)
        page = context.pages[0] if context.pages else context.new_page()
        page.goto(url)
        page.get_by_role("button", name="Start").click()
        try:
            yield page
        finally:
            context.close()


def run(seconds: float) -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix="remote-bench-"))
    with xvfb(WIDTH, HEIGHT) as (display, fb), broker(folder) as running, pulse_server() as audio:
        relay = Relay(running.address.port).start()
        client_path = BrokerAddress("ws", "127.0.0.1", relay.port)  # the client's network
        link = SharedLink(running.address, datetime.now(UTC) + timedelta(hours=1))
        spy = Eavesdropper(running.mqtt_port, f"sc/{link.secret.topic_id}/#")
        link.open()
        profile = folder / "chromium"
        try:
            with browser_on(display, client_path.page_url(link.secret), profile, audio):
                deadline = time.monotonic() + 30
                while not (link.status().started and link.status().uncertainty_s is not None):
                    if time.monotonic() > deadline:
                        raise RuntimeError("the page did not join")
                    time.sleep(0.1)
                link.send_state(SETTINGS, SetClock(), at=link.clock())  # at rest, as on Share
                time.sleep(4)  # a few clock round trips, as before a real set
                root = _chromium_root(profile)
                watch = CpuWatch(root) if root is not None else None
                sampler = Sampler(fb).start()
                recorder = Recorder(audio)
                recorder.wait_for_data()
                spy.seen.clear()
                began = time.monotonic()
                t0 = link.clock() + LEAD_S
                link.send_state(SETTINGS, SetClock().start(t0), at=link.clock())
                time.sleep(seconds)
                stop_set_time = _midline_after(Motion(SETTINGS), link.clock() + LEAD_S - t0)
                stop_at = t0 + stop_set_time
                link.send_state(SETTINGS, SetClock(stop_at, stop_set_time, False), at=stop_at)
                time.sleep(1.5)
                carried = time.monotonic() - began
                traffic = list(spy.seen)
                log = sampler.stop()
                recording = recorder.stop()
                cpu = watch.percent()[0] if watch is not None else None
                status = link.status()
                mono_minus_epoch = time.monotonic() - time.time()
        finally:
            link.close()
            spy.close()
            relay.stop()
    motion = Motion(SETTINGS)
    reach = WIDTH * SETTINGS.sweep_percent / 200 - SETTINGS.size_px / 2
    phases, starts = [], []
    moving_until = None
    last_centre = None
    for t, shown, centre in zip(log.t, log.shown, log.centre, strict=True):
        if not shown or not np.isfinite(centre):
            continue
        if last_centre is not None and abs(centre - last_centre) > 0.5:
            moving_until = float(t)
        last_centre = float(centre)
        expected = float(t) - t0
        if not 0 < expected < stop_set_time:
            continue
        at = shown_set_time(motion, (float(centre) - WIDTH / 2) / reach, expected)
        if at is None:
            continue
        error_ms = (at - expected) * 1000
        phases.append(error_ms)
        if expected < 1.0:
            starts.append(error_ms)
    offset_error = None
    if status.offset_s is not None and status.time_origin_ms is not None:
        truth = mono_minus_epoch + status.time_origin_ms / 1000
        offset_error = (status.offset_s - truth) * 1000
    absolute = [abs(p) for p in phases]
    expected = sound_events(motion, 0.0, stop_set_time)
    onsets, wrong_ear = [], 0
    for tone in find_tones(recording.samples):
        heard = float(recording.time_of(tone.onset))
        at, side = min(expected, key=lambda event: abs(t0 + event[0] - heard))
        onsets.append((heard - (t0 + at)) * 1000)
        wrong_ear += tone.channel != (0 if side == "left" else 1)
    onset_sizes = [abs(o) for o in onsets]
    return {
        "frames_scored": len(phases),
        "phase_p50_ms": percentile(absolute, 50),
        "phase_p99_ms": percentile(absolute, 99),
        "phase_max_ms": max(absolute) if absolute else None,
        "phase_mean_ms": statistics.fmean(phases) if phases else None,
        "start_skew_ms": statistics.median(starts) if starts else None,
        "stop_skew_ms": None if moving_until is None else (moving_until - stop_at) * 1000,
        "offset_error_ms": offset_error,
        "offset_uncertainty_ms": None
        if status.uncertainty_s is None
        else status.uncertainty_s * 1000,
        "sound_tones": len(onsets),
        "sound_expected": len(expected),
        "sound_onset_p50_ms": percentile(onset_sizes, 50),
        "sound_onset_p99_ms": percentile(onset_sizes, 99),
        "sound_onset_mean_ms": statistics.fmean(onsets) if onsets else None,
        "sound_wrong_ear": wrong_ear,
        "messages_per_s": len(traffic) / carried,
        "bytes_per_s": sum(len(p) for _, p in traffic) / carried,
        "page_cpu_percent": cpu,
        "page_late_frames": status.late_frames,
        "page_frames": status.frames,
        "seconds": seconds,
        "delay_ms": DELAY_S * 1000,
        "jitter_ms": JITTER_S * 1000,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args(argv)
    emit(bench="remote_pacer", **run(args.seconds))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
