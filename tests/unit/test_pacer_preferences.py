"""Pacer presets and per-client defaults as kept in the settings file."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import get_args

import pytest

from console.config import Settings
from console.errors import ValidationError
from console.pacer import vocabulary
from console.pacer.preferences import CLIENT_DEFAULTS, PRESETS, PacerPreferences
from console.pacer.presets import BUILT_IN
from console.pacer.settings import Ending, Limit, PacerSettings, Protocol, Shape, Sound, SoundAt
from console.pacer.settings import Path as PathKind

WARM = replace(PacerSettings(), speed_hz=0.8, colour="#ffaa00", path="circle")


def test_client_default_round_trip_and_removal(tmp_path: Path) -> None:
    prefs = PacerPreferences(Settings(tmp_path))
    assert prefs.client_default("a") is None
    prefs.set_client_default("a", WARM)
    prefs.set_client_default("b", PacerSettings())
    reread = PacerPreferences(Settings(tmp_path))
    assert reread.client_default("a") == WARM
    reread.set_client_default("a", None)
    reread.set_client_default("never set", None)
    assert reread.client_default("a") is None
    assert reread.client_default("b") == PacerSettings()


@pytest.mark.parametrize("stored", ["{not json", "[1, 2]", '"text"', '{"a": {"sped_hz": 1}}'])
def test_a_bad_client_default_reads_as_none(tmp_path: Path, stored: str) -> None:
    settings = Settings(tmp_path)
    settings.set(CLIENT_DEFAULTS, stored)
    prefs = PacerPreferences(settings)
    assert prefs.client_default("a") is None
    prefs.set_client_default("b", WARM)  # a broken store is replaced, not a crash
    assert prefs.client_default("b") == WARM


def test_presets_round_trip(tmp_path: Path) -> None:
    prefs = PacerPreferences(Settings(tmp_path))
    assert prefs.presets() == BUILT_IN
    assert prefs.save_preset("  Warm  ", WARM) == "Warm"
    prefs.save_preset("Classic EMDR", WARM)
    presets = PacerPreferences(Settings(tmp_path)).presets()
    assert presets["Warm"] == WARM and presets["Classic EMDR"] == WARM
    assert list(presets)[: len(BUILT_IN)] == list(BUILT_IN)
    with pytest.raises(ValidationError):
        prefs.save_preset("   ", WARM)


def test_bad_preset_json_is_reported(tmp_path: Path) -> None:
    settings = Settings(tmp_path)
    settings.set(PRESETS, "{oops")
    with pytest.raises(ValidationError):
        PacerPreferences(settings).presets()


@pytest.mark.parametrize(
    ("choices", "kind"),
    [
        (vocabulary.PATHS, PathKind),
        (vocabulary.SOUNDS, Sound),
        (vocabulary.SHAPES, Shape),
        (vocabulary.LIMITS, Limit),
        (vocabulary.ENDINGS, Ending),
        (vocabulary.SOUND_AT, SoundAt),
        (vocabulary.PROTOCOLS, Protocol),
    ],
)
def test_vocabulary_names_every_choice_settings_accept(
    choices: vocabulary.Choices, kind: object
) -> None:
    assert [key for key, _ in choices] == list(get_args(kind))
    assert all(label.strip() for _, label in choices)
