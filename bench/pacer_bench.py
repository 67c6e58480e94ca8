"""The pacer on a real stimulus window: frame timing, position truth, frequency, CPU.

Runs the stimulus full screen at 1920×1080 (Qt's offscreen platform) for 30 s
at 1.0 Hz and prints JSON lines; the last holds frame_p50_ms, frame_p99_ms,
frame_max_ms, late_frame_share, position_error_px, frequency_rel_error,
cpu_percent, audio_onset_error_samples and audio_leakage_db. Run from the
repository root: `.venv/bin/python bench/pacer_bench.py [seconds]`.
"""

from __future__ import annotations

import json
import math
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SCREENS = {
    "synchronousWindowSystemEvents": True,
    "windowFrameMargins": False,
    "screens": [
        {
            "name": "laptop",
            "x": 0,
            "y": 0,
            "width": 1366,
            "height": 768,
            "logicalDpi": 96,
            "logicalBaseDpi": 96,
            "dpr": 1,
        },
        {
            "name": "projector",
            "x": 1366,
            "y": 0,
            "width": 1920,
            "height": 1080,
            "logicalDpi": 96,
            "logicalBaseDpi": 96,
            "dpr": 1,
        },
    ],
}


def emit(**values: object) -> None:
    print(json.dumps(values), flush=True)


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def audio_figures() -> tuple[int, float]:
    """Onset error and opposite-channel leakage over 60 s of the tone stream at 48 kHz."""
    from console.pacer.audio import AudioRenderer, onset_sample, sound_events
    from console.pacer.motion import Motion
    from console.pacer.settings import PacerSettings

    rate = 48_000
    motion = Motion(PacerSettings(speed_hz=1.0, limit="open", limit_value=0, sound="tone"))
    stream = AudioRenderer(motion).render(0, 60 * rate, rate)
    worst, leak = 0, -200.0
    for when, side in sound_events(motion, 0.0, 59.5):
        start = onset_sample(when, rate)
        active, other = (0, 1) if side == "left" else (1, 0)
        window = stream[max(0, start - 50) : start + rate // 10]
        nonzero = np.flatnonzero(window[:, active])
        found = max(0, start - 50) + int(nonzero[0]) if nonzero.size else -1
        worst = max(worst, abs(found - start))
        energy = float(np.sum(window[:, active].astype(np.float64) ** 2))
        stray = float(np.sum(window[:, other].astype(np.float64) ** 2))
        if stray > 0 and energy > 0:
            leak = max(leak, 10 * math.log10(stray / energy))
    return worst, leak


def main(seconds: float = 30.0) -> None:
    config = Path(tempfile.mkdtemp()) / "screens.json"
    config.write_text(json.dumps(SCREENS))
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from console.pacer.settings import PacerSettings
    from ui.pacer.run import PacerRun

    app = QApplication.instance() or QApplication([sys.argv[0]])
    run = PacerRun(None, None)
    run.apply(PacerSettings(speed_hz=1.0, limit="open", limit_value=0, sound="off"))
    screen = run.show_stimulus()
    paints: list[tuple[float, float]] = []  # (set time, painted x in px)
    original = run.window.on_painted

    def on_painted(t: float, error: float) -> None:
        if original is not None:
            original(t, error)
        paints.append((t, run.window.centre_of(t).x()))

    run.window.on_painted = on_painted
    cpu0, wall0 = cpu_seconds(), time.monotonic()
    run.start()
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()
    t_end = run.set_time() or 0.0
    passes = run.motion.passes_completed(t_end)
    cpu = (cpu_seconds() - cpu0) / (time.monotonic() - wall0) * 100
    stats = run.stats
    run.stop()
    emit(
        screen=screen.name(),
        width=run.window.width(),
        height=run.window.height(),
        frames=stats.frames,
        seconds=round(t_end, 3),
        passes=passes,
    )
    # Frequency measured from the painted picture: times the painted x turned at the right.
    xs = np.array([x for _, x in paints])
    ts = np.array([t for t, _ in paints])
    peaks = [ts[i] for i in range(1, len(xs) - 1) if xs[i] >= xs[i - 1] and xs[i] > xs[i + 1]]
    measured = (len(peaks) - 1) / (peaks[-1] - peaks[0]) if len(peaks) > 2 else float("nan")
    intervals = np.diff(np.array([t for t, _ in paints])) * 1000
    onset_error, leakage = audio_figures()
    emit(
        frame_p50_ms=round(stats.p50_ms or 0, 2),
        frame_p99_ms=round(stats.p99_ms or 0, 2),
        frame_max_ms=round(float(intervals.max()) if intervals.size else 0.0, 2),
        late_frame_share=round(stats.late_share, 4),
        position_error_px=round(stats.max_position_error_px or 0, 3),
        frequency_rel_error=round(abs(measured - 1.0), 5),
        cpu_percent=round(cpu, 1),
        audio_onset_error_samples=onset_error,
        audio_leakage_db=round(leakage, 1),
    )
    app.processEvents()


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 30.0)
