"""What reaches the speaker, recorded from outside the app: a PulseAudio null sink's monitor.

A private PulseAudio server with a null sink as its default plays whatever the app sends
at the pace of the system clock; `parec` on the sink's monitor hands the samples back.
Each chunk read is stamped with time.monotonic(); a chunk can arrive late (scheduling)
but never before its last sample was played, so the lower envelope of
`arrival - samples_so_far / rate` — as NTP takes the fastest exchange — maps sample
indices to the monotonic clock the framebuffer sampler uses. Tones are then found in
the samples alone: per channel, the first sample above a small threshold after silence.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

RATE = 48_000
SINK = "bench"
# Silence this long ends a tone; shorter quiet inside one is a break (an underrun).
TONE_SEPARATION_S = 0.050
BREAK_S = 0.002

Array = npt.NDArray[Any]


@contextlib.contextmanager
def pulse_server() -> Iterator[dict[str, str]]:
    """A PulseAudio server of its own with a null sink `bench` as the default sink.

    Yields the environment a client needs (XDG_RUNTIME_DIR, PULSE_SERVER, HOME).
    """
    for tool in ("pulseaudio", "pactl", "parec"):
        if shutil.which(tool) is None:
            raise RuntimeError(f"{tool} is not installed (apt-get install -y pulseaudio-utils)")
    home = Path(tempfile.mkdtemp(prefix="pulse-"))
    runtime = home / "xdg"
    runtime.mkdir(mode=0o700)
    env = {
        "XDG_RUNTIME_DIR": str(runtime),
        "HOME": str(home),
        "PULSE_SERVER": f"unix:{runtime}/pulse/native",
    }
    full = {**os.environ, **env}
    subprocess.run(
        [
            "pulseaudio",
            "-D",
            "-n",
            "--exit-idle-time=-1",
            "--system=false",
            f"--load=module-null-sink sink_name={SINK}",
            "--load=module-native-protocol-unix",
        ],
        env=full,
        check=True,
        capture_output=True,
        timeout=30,
    )
    try:
        for _ in range(200):
            if subprocess.run(["pactl", "info"], env=full, capture_output=True).returncode == 0:
                break
            time.sleep(0.05)  # waiting for the server process to listen
        else:
            raise RuntimeError("PulseAudio did not come up")
        subprocess.run(["pactl", "set-default-sink", SINK], env=full, capture_output=True)
        yield env
    finally:
        subprocess.run(["pulseaudio", "-k"], env=full, capture_output=True, timeout=30)
        shutil.rmtree(home, ignore_errors=True)


@dataclass
class Recording:
    """Stereo int16 samples and the monotonic time of sample 0 (lower-envelope fit)."""

    samples: Array  # (n, 2) int16: left, right
    arrivals: Array  # (chunks, 2): monotonic arrival time, samples received by then
    t0: float
    drift_ppm: float
    chunks: int
    arrival_spread_ms: float  # median chunk lateness over the envelope

    def time_of(self, index: Array | float) -> Array:
        return self.t0 + np.asarray(index, dtype=np.float64) / RATE * (1 + self.drift_ppm * 1e-6)


class Recorder:
    """`parec` on the null sink's monitor, read by a thread that stamps every chunk."""

    def __init__(self, env: dict[str, str]) -> None:
        self._process = subprocess.Popen(
            [
                "parec",
                "-d",
                f"{SINK}.monitor",
                "--format=s16le",
                f"--rate={RATE}",
                "--channels=2",
                "--latency-msec=5",
                "--raw",
            ],
            env={**os.environ, **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self._data = bytearray()
        self._stamps: list[tuple[float, int]] = []
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        assert self._process.stdout is not None
        fd = self._process.stdout.fileno()
        while True:
            chunk = os.read(fd, 1 << 16)
            arrived = time.monotonic()
            if not chunk:
                return
            self._data += chunk
            self._stamps.append((arrived, len(self._data) // 4))

    def wait_for_data(self, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while not self._stamps and time.monotonic() < deadline:
            time.sleep(0.01)  # waiting for parec's first chunk
        if not self._stamps:
            raise RuntimeError("parec delivered no samples")

    def stop(self) -> Recording:
        self._process.terminate()
        self._process.wait(10)
        self._thread.join(10)
        usable = len(self._data) // 4 * 4
        samples = np.frombuffer(bytes(self._data[:usable]), dtype="<i2").reshape(-1, 2)
        arrivals = np.array(self._stamps, dtype=np.float64)
        t0, drift_ppm, spread = clock_fit(arrivals[:, 0], arrivals[:, 1])
        return Recording(samples, arrivals, t0, drift_ppm, len(self._stamps), spread)


def clock_fit(arrived: Array, frames: Array) -> tuple[float, float, float]:
    """Monotonic time of sample 0 and the clock drift, from the chunks' earliest arrivals.

    Per two-second window the earliest `arrival - frames/RATE` is kept (a chunk is never
    early); a line through those minima allows for a sink clock that drifts.
    """
    offsets = arrived - frames / RATE
    windows = np.floor((arrived - arrived[0]) / 2.0)
    lows = [
        (float(frames[windows == w][np.argmin(offsets[windows == w])]), offsets[windows == w].min())
        for w in np.unique(windows)
    ]
    spread = float(np.median(offsets) - offsets.min()) * 1000
    if len(lows) < 3:
        return float(offsets.min()), 0.0, spread
    at, low = np.array(lows).T
    slope, intercept = np.polyfit(at / RATE, low, 1)
    # Keep the line under every minimum: shift it down to the lowest one.
    intercept -= max(0.0, float(np.max(slope * at / RATE + intercept - low)))
    return float(intercept), float(slope * 1e6), spread


@dataclass(frozen=True)
class Tone:
    channel: int  # 0 left, 1 right
    onset: int  # sample index of the first sample above the threshold
    end: int  # past the last one
    broken: bool  # quiet for longer than BREAK_S inside the tone

    @property
    def duration_s(self) -> float:
        return (self.end - self.onset) / RATE


def find_tones(samples: Array, threshold: int | None = None) -> list[Tone]:
    """Tones per channel: runs of sound separated by at least TONE_SEPARATION_S of silence.

    The threshold defaults to 1 % of the loudest sample in the recording (at least 8 LSB),
    so a quiet but clean tone is still found and digital silence is never a tone.
    """
    tones: list[Tone] = []
    peak = int(np.abs(samples.astype(np.int32)).max(initial=0))
    level = threshold if threshold is not None else max(8, peak // 100)
    for channel in (0, 1):
        loud = np.flatnonzero(np.abs(samples[:, channel].astype(np.int32)) > level)
        if loud.size == 0:
            continue
        gaps = np.diff(loud)
        splits = np.flatnonzero(gaps > TONE_SEPARATION_S * RATE)
        starts = np.concatenate(([0], splits + 1))
        ends = np.concatenate((splits, [loud.size - 1]))
        for a, b in zip(starts, ends, strict=True):
            inner = gaps[a:b]
            broken = bool(inner.size and inner.max() > BREAK_S * RATE)
            tones.append(Tone(channel, int(loud[a]), int(loud[b]) + 1, broken))
    return sorted(tones, key=lambda tone: tone.onset)
