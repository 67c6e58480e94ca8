"""The record of a set and the frame figures that go with it."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from console.errors import ValidationError
from console.pacer.set_log import FrameStats, SetResult

START = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def result(**kw: Any) -> SetResult:
    base: dict[str, Any] = dict(
        started_at=START,
        ended_at=START + timedelta(seconds=12),
        speed_hz=1.0,
        path="horizontal",
        profile="sinusoidal",
        sound="tone",
        passes_completed=24,
        ended_by="limit",
    )
    return SetResult(**{**base, **kw})


def test_a_complete_record_is_accepted() -> None:
    r = result(
        frames=720,
        frame_p50_ms=16.7,
        frame_p99_ms=18.0,
        late_frames=1,
        max_position_error_px=0.4,
        sud=3,
        voc=6,
        notes="felt lighter",
    )
    assert r.sud == 3 and r.notes == "felt lighter"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("started_at", datetime(2026, 11, 23, 10, 0)),
        ("ended_at", START - timedelta(seconds=1)),
        ("speed_hz", 5.0),
        ("path", "zigzag"),
        ("profile", "x"),
        ("sound", "beep"),
        ("ended_by", "boredom"),
        ("passes_completed", -1),
        ("frames", 1.5),
        ("late_frames", 5),
        ("frame_p99_ms", -1.0),
        ("max_position_error_px", float("nan")),
        ("sud", 11),
        ("sud", True),
        ("voc", 0),
        ("voc", 8),
        ("notes", None),
    ],
)
def test_bad_records_are_refused_with_the_field_named(field: str, value: Any) -> None:
    with pytest.raises(ValidationError) as err:
        result(**{field: value})
    assert err.value.field == field


def test_records_are_frozen() -> None:
    r = result()
    with pytest.raises(AttributeError):
        r.sud = 4  # type: ignore[misc]
    assert replace(r, sud=4).sud == 4


def test_frame_stats_against_a_60_hz_period() -> None:
    stats = FrameStats()
    assert stats.p50_ms is None and stats.late_share == 0.0
    t = 0.0
    for i in range(101):
        stats.add(t, position_error_px=-0.5 if i == 40 else 0.1)
        t += 0.050 if i == 50 else 1 / 60
    assert stats.frames == 101
    assert stats.p50_ms == pytest.approx(1000 / 60)
    assert stats.late_frames == 1
    assert stats.late_share == pytest.approx(0.01)
    assert stats.p99_ms is not None and stats.p50_ms < stats.p99_ms <= 50.0
    assert stats.max_position_error_px == 0.5
    with pytest.raises(ValueError):
        stats.add(0.0)
