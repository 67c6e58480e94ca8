"""Pacer audio figures, printed as one JSON object per line (never pass/fail).

Run from the repository root: `.venv/bin/python bench/pacer_audio_bench.py`.

What is measured, for a tone and a click set at 1.0 Hz, sounds at the turns,
rendered at 48 kHz in 1024-frame chunks as an audio sink would pull them:
- audio_onset_error_samples: over a 60 s render, the largest
  |first non-zero sample of a burst - round(event_time * rate)|; bursts are
  found in the samples alone, then paired with the engine's event times.
- audio_leakage_db: energy in the silent ear while the other sounds, in dB
  relative to the sounding ear; exact silence (-inf) is reported as -200.0.
- render_ms_per_s: time to render one second of stream (chunked).
"""

from __future__ import annotations

import json
import math
import sys
import time
from pathlib import Path

import numpy as np
import numpy.typing as npt

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from console.pacer.audio import AudioRenderer, onset_sample, sound_events  # noqa: E402
from console.pacer.motion import Motion  # noqa: E402
from console.pacer.settings import PacerSettings  # noqa: E402

RATE = 48000
SECONDS = 60
CHUNK = 1024


def burst_onsets(channel: npt.NDArray[np.float32]) -> list[int]:
    sounding = channel != 0
    starts = np.flatnonzero(sounding[1:] & ~sounding[:-1]) + 1
    return ([0] if sounding[0] else []) + starts.tolist()


def measure(sound: str) -> dict[str, object]:
    settings = PacerSettings(
        speed_hz=1.0, sound=sound, sound_at="turn", limit="seconds", limit_value=SECONDS
    )
    renderer = AudioRenderer(Motion(settings))
    total = SECONDS * RATE
    began = time.perf_counter()
    out = np.concatenate(
        [renderer.render(n, min(n + CHUNK, total), RATE) for n in range(0, total, CHUNK)]
    )
    render_s = time.perf_counter() - began
    events = sound_events(renderer.motion, 0.0, SECONDS)
    errors: list[int] = []
    leak_energy = active_energy = 0.0
    for channel, side in ((0, "left"), (1, "right")):
        found = burst_onsets(out[:, channel])
        expected = [onset_sample(t, RATE) for t, s in events if s == side]
        if len(found) != len(expected):
            raise SystemExit(f"{sound}: {len(found)} bursts found, {len(expected)} expected")
        errors += [abs(a - b) for a, b in zip(found, expected, strict=True)]
        active = out[:, channel] != 0
        active_energy += float(np.sum(out[active, channel].astype(np.float64) ** 2))
        leak_energy += float(np.sum(out[active, 1 - channel].astype(np.float64) ** 2))
    leakage_db = 10 * math.log10(leak_energy / active_energy) if leak_energy > 0 else -200.0
    return {
        "bench": "pacer_audio",
        "sound": sound,
        "speed_hz": 1.0,
        "sample_rate": RATE,
        "seconds": SECONDS,
        "bursts": len(events),
        "audio_onset_error_samples": max(errors),
        "audio_leakage_db": leakage_db,
        "render_ms_per_s": round(render_s * 1000 / SECONDS, 3),
    }


def main() -> None:
    for sound in ("tone", "click"):
        print(json.dumps(measure(sound)), flush=True)


if __name__ == "__main__":
    main()
