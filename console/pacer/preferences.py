"""The therapist's own pacer presets and per-client defaults, kept in the settings file.

Both are JSON in a string setting. A client default that no longer reads
(hand-edited, or from a version with other settings) is treated as absent
rather than blocking the pacer; the presets are read strictly (see
`console.pacer.presets`), so a misspelt preset is reported, not dropped.
"""

from __future__ import annotations

import json

from console.config import Settings
from console.errors import ValidationError
from console.pacer.presets import (
    all_presets,
    presets_from_json,
    presets_to_json,
    settings_from_dict,
    settings_to_dict,
)
from console.pacer.settings import PacerSettings

CLIENT_DEFAULTS = "pacer_client_defaults"
PRESETS = "pacer_presets"


class PacerPreferences:
    """Presets and client defaults over one `Settings`; clients are keyed by record id."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def client_default(self, client_id: str) -> PacerSettings | None:
        stored = self._client_defaults().get(client_id)
        if stored is None:
            return None
        try:
            return settings_from_dict(stored)
        except ValidationError:
            return None

    def set_client_default(self, client_id: str, settings: PacerSettings | None) -> None:
        """Remember `settings` for the client, or forget its default (None)."""
        defaults = self._client_defaults()
        if settings is None:
            defaults.pop(client_id, None)
        else:
            defaults[client_id] = settings_to_dict(settings)
        self.settings.set(CLIENT_DEFAULTS, json.dumps(defaults))

    def presets(self) -> dict[str, PacerSettings]:
        """Built-in presets, then the therapist's own (which win on a shared name)."""
        return all_presets(self.settings.get(PRESETS))

    def save_preset(self, name: str, settings: PacerSettings) -> str:
        """Save under the name, trimmed; returns the name used."""
        name = name.strip()
        if not name:
            raise ValidationError("preset", "a preset needs a name")
        user = presets_from_json(self.settings.get(PRESETS))
        user[name] = settings
        self.settings.set(PRESETS, presets_to_json(user))
        return name

    def _client_defaults(self) -> dict[str, object]:
        try:
            data = json.loads(self.settings.get(CLIENT_DEFAULTS) or "{}")
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}
