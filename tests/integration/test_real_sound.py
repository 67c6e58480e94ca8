"""Real sound through a PulseAudio null sink: each tone in its own ear, on time.

See docs/testing.md.
"""

from __future__ import annotations

import itertools
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT / "bench") not in sys.path:
    sys.path.insert(0, str(ROOT / "bench"))

import presentation_sound as sound  # noqa: E402

from console.pacer.sync import RESYNC_S  # noqa: E402

RATE = 48_000

PLAYER = r"""
import sys, time
from PySide6.QtWidgets import QApplication
from PySide6.QtCore import QEventLoop, QTimer
app = QApplication([sys.argv[0]])
from console.pacer.settings import PacerSettings
from ui.pacer.run import PacerRun
run = PacerRun(None, None)
if not run.audio.available:
    print("NO-DEVICE", run.audio.reason, flush=True); sys.exit(3)
run.apply(PacerSettings(speed_hz=1.0, limit="passes", limit_value=6, sound="tone"))
run.start()
times = []
while run.set_clock is not None:
    loop = QEventLoop(); QTimer.singleShot(20, loop.quit); loop.exec()
    shown = run.set_time()
    if shown is not None:
        times.append(shown)
steps = [b - a for a, b in zip(times, times[1:])]
print("FORWARD", int(bool(steps) and min(steps) >= 0), flush=True)
print("UNDERRUNS", run.audio.device_underruns, flush=True)
"""


@pytest.fixture
def null_sink() -> Iterator[dict[str, str]]:
    if shutil.which("pulseaudio") is None or shutil.which("parec") is None:
        pytest.skip("PulseAudio is not installed (the CI installs it)")
    with sound.pulse_server() as env:
        yield {**os.environ, **env}


def test_tones_alternate_ears_half_a_second_apart(null_sink: dict[str, str], tmp_path: Path):
    raw = tmp_path / "out.raw"
    with open(raw, "wb") as out:
        recorder = subprocess.Popen(
            [
                "parec",
                "-d",
                f"{sound.SINK}.monitor",
                "--format=s16le",
                f"--rate={RATE}",
                "--channels=2",
            ],
            env=null_sink,
            stdout=out,
        )
        try:
            env = {**null_sink, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
            player = subprocess.run(
                [sys.executable, "-c", PLAYER],
                env=env,
                capture_output=True,
                text=True,
                timeout=60,
                cwd=ROOT,
            )
        finally:
            recorder.send_signal(signal.SIGINT)
            recorder.wait(timeout=10)
    assert player.returncode == 0, player.stdout + player.stderr
    forward = player.stdout.split("FORWARD")[1].split()[0]
    assert forward == "1", "the picture's clock never steps back while it follows the sound"
    pcm = np.frombuffer(raw.read_bytes(), dtype="<i2").reshape(-1, 2).astype(np.float64)
    loud = np.abs(pcm) > 300
    onsets: list[tuple[int, int]] = []
    for channel in (0, 1):
        idx = np.flatnonzero(loud[:, channel])
        starts = idx[np.insert(np.diff(idx) > RATE // 10, 0, True)] if idx.size else idx
        onsets.extend((int(s), channel) for s in starts)
    onsets.sort()
    assert len(onsets) >= 4, onsets
    channels = [c for _, c in onsets]
    assert all(a != b for a, b in itertools.pairwise(channels)), channels
    times = np.array([s for s, _ in onsets]) / RATE
    gaps = np.diff(times)
    assert abs(float(np.median(gaps)) - 0.5) < 0.001, f"the tempo is the setting's: {gaps}"
    # A sound server starved under load plays a few ms of silence late (CI once saw one
    # 10 ms gap); the console moves the sound forward once it lags by RESYNC_S.
    late = times - times[0] - 0.5 * np.arange(times.size)
    assert np.all(np.abs(late) < RESYNC_S + 0.01), f"{late} ({player.stdout.strip()})"
    for start, channel in onsets:
        burst = pcm[start : start + RATE // 20]
        assert np.max(np.abs(burst[:, 1 - channel])) < 50, "nothing in the other ear"
