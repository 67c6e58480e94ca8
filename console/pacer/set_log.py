"""What is recorded about each set, and the frame figures that show the picture kept up.

The record is plain validated data so the session service can store it and
the tests can build it without a window. Frame timing is part of it because a
therapist (or an auditor) should be able to see that a set ran smoothly, not
take it on trust.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, get_args

import numpy as np
import numpy.typing as npt

from console.errors import ValidationError
from console.pacer.settings import MAX_SPEED_HZ, MIN_SPEED_HZ, Path, Profile, Protocol, Sound

EndedBy = Literal["limit", "stop", "interruption"]

FRAME_PERIOD_MS = 1000.0 / 60.0
# An interval longer than one and a half periods means a refresh was missed.
LATE_FACTOR = 1.5
MAX_REMOTE_CHARS = 1000


def _whole(field_name: str, value: object, low: int, high: int | None = None) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(field_name, "must be a whole number")
    if value < low or (high is not None and value > high):
        span = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise ValidationError(field_name, f"must be {span}")


@dataclass(frozen=True)
class SetResult:
    started_at: datetime
    ended_at: datetime
    speed_hz: float
    path: Path
    profile: Profile
    sound: Sound
    passes_completed: int
    ended_by: EndedBy
    frames: int = 0
    frame_p50_ms: float | None = None
    frame_p99_ms: float | None = None
    late_frames: int = 0
    max_position_error_px: float | None = None
    sud: int | None = None
    voc: int | None = None
    notes: str = ""
    protocol: Protocol = "emdr"
    # "" for a set on the console's screens only; else where else it ran and how it kept time
    remote: str = ""

    def __post_init__(self) -> None:
        for name in ("started_at", "ended_at"):
            value = getattr(self, name)
            if not isinstance(value, datetime) or value.utcoffset() is None:
                raise ValidationError(name, "must be a time with a time zone")
        if self.ended_at < self.started_at:
            raise ValidationError("ended_at", "must not be before started_at")
        if not MIN_SPEED_HZ <= self.speed_hz <= MAX_SPEED_HZ:
            raise ValidationError("speed_hz", "is outside the pacer's range")
        for name, kind in (
            ("path", Path),
            ("profile", Profile),
            ("sound", Sound),
            ("ended_by", EndedBy),
            ("protocol", Protocol),
        ):
            if getattr(self, name) not in get_args(kind):
                raise ValidationError(name, f"must be one of {', '.join(get_args(kind))}")
        _whole("passes_completed", self.passes_completed, 0)
        _whole("frames", self.frames, 0)
        _whole("late_frames", self.late_frames, 0, self.frames)
        for name in ("frame_p50_ms", "frame_p99_ms", "max_position_error_px"):
            value = getattr(self, name)
            if value is not None and not (math.isfinite(value) and value >= 0):
                raise ValidationError(name, "must be a non-negative number")
        if self.sud is not None:
            _whole("sud", self.sud, 0, 10)
        if self.voc is not None:
            _whole("voc", self.voc, 1, 7)
        if not isinstance(self.notes, str):
            raise ValidationError("notes", "must be text")
        if not isinstance(self.remote, str) or len(self.remote) > MAX_REMOTE_CHARS:
            raise ValidationError(
                "remote", f"must be text of at most {MAX_REMOTE_CHARS:,} characters"
            )


@dataclass
class FrameStats:
    """Collects paint times as the window shows frames; read the figures when the set ends."""

    paint_times_s: list[float] = field(default_factory=list)
    max_position_error_px: float | None = None

    def add(self, paint_time_s: float, position_error_px: float | None = None) -> None:
        if self.paint_times_s and paint_time_s < self.paint_times_s[-1]:
            raise ValueError("paint times must not go backwards")
        self.paint_times_s.append(paint_time_s)
        if position_error_px is not None:
            self.max_position_error_px = max(
                abs(position_error_px), self.max_position_error_px or 0.0
            )

    @property
    def frames(self) -> int:
        return len(self.paint_times_s)

    def _intervals_ms(self) -> npt.NDArray[np.float64]:
        return np.diff(np.asarray(self.paint_times_s, dtype=np.float64)) * 1000.0

    def _percentile(self, q: float) -> float | None:
        intervals = self._intervals_ms()
        return float(np.percentile(intervals, q)) if intervals.size else None

    @property
    def p50_ms(self) -> float | None:
        return self._percentile(50)

    @property
    def p99_ms(self) -> float | None:
        return self._percentile(99)

    @property
    def late_frames(self) -> int:
        return int(np.count_nonzero(self._intervals_ms() > LATE_FACTOR * FRAME_PERIOD_MS))

    @property
    def late_share(self) -> float:
        """Late frames as a share of all frame intervals (0 when fewer than two frames)."""
        intervals = self.frames - 1
        return self.late_frames / intervals if intervals > 0 else 0.0
