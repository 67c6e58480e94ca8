"""What the timing light says: the picture's frames and the sound, in the therapist's words.

The light is green only when both senses kept time; otherwise it says which
one slipped and that the speed itself did not change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Level = Literal["waiting", "exact", "late"]
LATE_BUDGET = 0.01  # share of late frames a set may have and still count as exact
MIN_FRAMES = 10


@dataclass(frozen=True)
class TimingReading:
    frames: int
    late_share: float
    p99_ms: float | None
    refresh_hz: float
    # The platform drives frames from the display's refresh; else from a timer at its rate.
    refresh_signal: bool
    sound: bool
    underruns: int
    sound_offset_ms: float | None


def timing_light(r: TimingReading) -> tuple[Level, str]:
    source = (
        f"frames on the {r.refresh_hz:.0f} Hz refresh"
        if r.refresh_signal
        else f"frames from a {r.refresh_hz:.0f} Hz timer (this display gives no refresh signal)"
    )
    if r.frames < MIN_FRAMES:
        return "waiting", f"Timing: waiting for frames; {source}"
    parts = [f"frame p99 {r.p99_ms or 0:.1f} ms", source]
    if r.sound:
        parts.append(f"sound underruns {r.underruns}")
        if r.sound_offset_ms is not None:
            parts.append(f"sound within {abs(r.sound_offset_ms):.1f} ms")
    if r.late_share > LATE_BUDGET:
        return "late", (
            f"Timing: {r.late_share * 100:.1f}% of frames late (busy computer); "
            "speed stays exact · " + " · ".join(parts)
        )
    if r.sound and r.underruns:
        return "late", (
            "Timing: the sound ran short (busy computer) and was caught up; "
            "speed stays exact · " + " · ".join(parts)
        )
    return "exact", "Timing exact: " + " · ".join(parts)
