"""Built-in presets and the plain-dict form user presets are stored in.

Presets are data, not code, so a clinic can add or override them in the
settings file. Loading is strict: an unknown key is refused rather than
dropped, because a misspelt "sped_hz" silently falling back to the default
speed is worse than an error the therapist can see. Keys left out take the
defaults, so presets saved by an older version still load.
"""

from __future__ import annotations

import json
from dataclasses import asdict, fields
from typing import Any

from console.errors import ValidationError
from console.pacer.settings import PacerSettings

BUILT_IN: dict[str, PacerSettings] = {
    "Classic EMDR": PacerSettings(speed_hz=1.0, limit="passes", limit_value=24),
    "EMDR 2.0": PacerSettings(speed_hz=1.5, limit="passes", limit_value=24),
    "Resource installation": PacerSettings(
        speed_hz=0.5, limit="passes", limit_value=8, ending="ease_to_centre"
    ),
    "ART": PacerSettings(speed_hz=1.0, limit="passes", limit_value=40, protocol="art"),
}

_KEYS = frozenset(f.name for f in fields(PacerSettings))


def settings_to_dict(settings: PacerSettings) -> dict[str, Any]:
    return asdict(settings)


def settings_from_dict(data: Any) -> PacerSettings:
    if not isinstance(data, dict):
        raise ValidationError("preset", "must be a JSON object")
    unknown = sorted(set(data) - _KEYS)
    if unknown:
        raise ValidationError(unknown[0], "is not a pacer setting")
    return PacerSettings(**data)


def presets_to_json(presets: dict[str, PacerSettings]) -> str:
    return json.dumps(
        {name: settings_to_dict(s) for name, s in presets.items()}, indent=2, sort_keys=True
    )


def presets_from_json(text: str) -> dict[str, PacerSettings]:
    """User presets as stored in the `pacer_presets` setting ("" means none)."""
    if not text.strip():
        return {}
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError("pacer_presets", f"is not valid JSON ({exc.msg})") from exc
    if not isinstance(data, dict):
        raise ValidationError("pacer_presets", "must map preset names to settings")
    presets: dict[str, PacerSettings] = {}
    for name, value in data.items():
        if not name.strip():
            raise ValidationError("pacer_presets", "a preset needs a name")
        presets[name] = settings_from_dict(value)
    return presets


def all_presets(user_json: str) -> dict[str, PacerSettings]:
    """Built-ins first, then the clinic's own; a user preset of the same name wins."""
    return {**BUILT_IN, **presets_from_json(user_json)}
