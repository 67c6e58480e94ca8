"""Pacer settings are validated on creation, and presets round-trip through JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from console.config import SETTINGS, Settings
from console.errors import ValidationError
from console.pacer.presets import (
    BUILT_IN,
    all_presets,
    presets_from_json,
    presets_to_json,
    settings_from_dict,
    settings_to_dict,
)
from console.pacer.settings import PacerSettings

BAD: list[tuple[str, Any]] = [
    ("speed_hz", 0.1),
    ("speed_hz", 2.5),
    ("speed_hz", float("nan")),
    ("speed_hz", "1.0"),
    ("speed_hz", True),
    ("path", "zigzag"),
    ("profile", "bouncy"),
    ("shape", "star"),
    ("size_px", 2),
    ("size_px", 10_000),
    ("size_px", 40.5),
    ("colour", "red"),
    ("colour", "#12345"),
    ("colour", "#GGGGGG"),
    ("background", "#FFFFFF"),
    ("sweep_percent", 5),
    ("sweep_percent", 101),
    ("limit", "forever"),
    ("ending", "fade"),
    ("sound", "beep"),
    ("tone_hz", 100),
    ("tone_hz", 1001),
    ("volume", -0.1),
    ("volume", 1.5),
    ("sound_at", "middle"),
    ("audio_offset_ms", 501),
    ("audio_offset_ms", -501),
    ("audio_offset_ms", 1.5),
]


@pytest.mark.parametrize(("field", "value"), BAD)
def test_invalid_settings_are_refused_with_the_field_named(field: str, value: Any) -> None:
    with pytest.raises(ValidationError) as err:
        PacerSettings(**{field: value})
    assert err.value.field == field
    assert err.value.reason


@pytest.mark.parametrize(
    ("limit", "value"),
    [
        ("passes", 0),
        ("passes", 1001),
        ("passes", 24.5),
        ("seconds", 0.5),
        ("seconds", 4000),
        ("open", 24),
    ],
)
def test_limit_values_fit_their_kind(limit: str, value: float) -> None:
    with pytest.raises(ValidationError) as err:
        PacerSettings(limit=limit, limit_value=value)  # type: ignore[arg-type]
    assert err.value.field == "limit_value"


def test_colour_must_differ_from_background() -> None:
    with pytest.raises(ValidationError) as err:
        PacerSettings(colour="#000000", background="#000000")
    assert err.value.field == "colour"


def test_whole_numbers_are_accepted_for_real_fields() -> None:
    s = PacerSettings(speed_hz=1, tone_hz=500, volume=1, limit="seconds", limit_value=30)
    assert isinstance(s.speed_hz, float) and s.speed_hz == 1.0
    assert isinstance(s.limit_value, float)


def test_built_in_presets_match_the_protocols() -> None:
    classic = BUILT_IN["Classic EMDR"]
    assert (classic.speed_hz, classic.limit_value, classic.path, classic.profile) == (
        1.0,
        24,
        "horizontal",
        "sinusoidal",
    )
    assert BUILT_IN["EMDR 2.0"].speed_hz == 1.5
    resource = BUILT_IN["Resource installation"]
    assert (resource.speed_hz, resource.limit_value, resource.ending) == (0.5, 8, "ease_to_centre")
    assert BUILT_IN["ART"].limit_value == 40


def test_presets_round_trip_through_json() -> None:
    text = presets_to_json(BUILT_IN)
    assert presets_from_json(text) == BUILT_IN
    assert json.loads(text)["ART"]["limit_value"] == 40
    assert presets_from_json("") == {}


def test_user_presets_override_built_ins_by_name() -> None:
    mine = {"ART": PacerSettings(speed_hz=1.2, limit_value=40), "Slow": PacerSettings(speed_hz=0.4)}
    merged = all_presets(presets_to_json(mine))
    assert merged["ART"].speed_hz == 1.2
    assert merged["Slow"].speed_hz == 0.4
    assert merged["Classic EMDR"] == BUILT_IN["Classic EMDR"]


def test_loading_is_strict() -> None:
    with pytest.raises(ValidationError) as err:
        settings_from_dict({"sped_hz": 1.0})
    assert err.value.field == "sped_hz"
    with pytest.raises(ValidationError) as err:
        presets_from_json('{"Mine": {"speed_hz": 9}}')
    assert err.value.field == "speed_hz"
    for text in ("{not json", "[1, 2]", '{"Mine": 3}', '{" ": {}}'):
        with pytest.raises(ValidationError):
            presets_from_json(text)
    # Keys left out take their defaults (presets from an older version still load).
    assert settings_from_dict({"speed_hz": 0.8}) == PacerSettings(speed_hz=0.8)


@settings(max_examples=50, deadline=None)
@given(
    s=st.builds(
        PacerSettings,
        speed_hz=st.floats(0.2, 2.0),
        path=st.sampled_from(["horizontal", "vertical", "circle", "figure_eight"]),
        size_px=st.integers(8, 300),
        colour=st.sampled_from(["#ffffff", "#5b9bd5"]),
        sweep_percent=st.integers(10, 100),
        limit=st.just("seconds"),
        limit_value=st.floats(1.0, 3600.0),
        sound=st.sampled_from(["off", "tone", "click"]),
        tone_hz=st.floats(150, 1000),
        volume=st.floats(0, 1),
        audio_offset_ms=st.integers(-500, 500),
    )
)
def test_any_valid_settings_round_trip(s: PacerSettings) -> None:
    assert settings_from_dict(json.loads(json.dumps(settings_to_dict(s)))) == s


def test_pacer_settings_are_declared_in_the_settings_file(tmp_path: Path) -> None:
    for key in ("pacer_presets", "pacer_screen", "pacer_viewing_distance_cm"):
        assert key in SETTINGS
    stored = Settings(tmp_path)
    stored.set("pacer_presets", presets_to_json(BUILT_IN))
    assert all_presets(Settings(tmp_path).get("pacer_presets")) == BUILT_IN
    assert stored.get("pacer_viewing_distance_cm") == 60
    with pytest.raises(ValidationError):
        stored.set("pacer_viewing_distance_cm", 5)
