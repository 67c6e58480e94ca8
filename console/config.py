"""Settings, declared once, and where data lives.

Settings hold no client data and no secrets (those live in the vault or the
OS keychain), so a plain JSON file in the data folder is enough. Each setting
is declared once with its type, default, range and description; the UI and
the CLI read the same registry.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs

from console import APP_ID, ORGANISATION
from console.clinical.medicine_safety import MedicinePolicy, policy_from_settings
from console.errors import ValidationError

DATA_DIR_ENV = "SESSION_CONSOLE_DATA_DIR"


def default_data_dir() -> Path:
    """The platform's per-user data folder (never next to the executable)."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override)
    return Path(platformdirs.user_data_dir(APP_ID, ORGANISATION))


@dataclass(frozen=True)
class Setting:
    key: str
    type: type
    default: Any
    description: str
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple[str, ...] | None = None

    def check(self, value: Any) -> Any:
        if self.type is int and isinstance(value, bool):
            raise ValidationError(self.key, "must be a whole number")
        if not isinstance(value, self.type):
            raise ValidationError(self.key, f"must be of type {self.type.__name__}")
        if self.minimum is not None and isinstance(value, int) and value < self.minimum:
            raise ValidationError(self.key, f"must be at least {self.minimum}")
        if self.maximum is not None and isinstance(value, int) and value > self.maximum:
            raise ValidationError(self.key, f"must be at most {self.maximum}")
        if self.choices is not None and value not in self.choices:
            raise ValidationError(self.key, f"must be one of {', '.join(self.choices)}")
        return value


SETTINGS: dict[str, Setting] = {
    s.key: s
    for s in (
        Setting("idle_timeout_min", int, 10, "Lock after this many idle minutes", 1, 240),
        Setting(
            "backup_dir", str, "", "Folder for scheduled backups (empty: inside the data folder)"
        ),
        Setting("backup_keep", int, 10, "How many automatic backups to keep", 1, 500),
        Setting("backup_interval_hours", int, 24, "Hours between scheduled backups", 1, 24 * 30),
        Setting(
            "default_note_template",
            str,
            "soap",
            "Template for a new note",
            choices=("soap", "dap", "birp", "progress", "intake", "psychotherapy"),
        ),
        Setting("pdf_password_default", bool, False, "Offer a password for every PDF export"),
        Setting(
            "theme",
            str,
            "system",
            "Colours: the system's, or always light or dark (read before unlocking)",
            choices=("system", "light", "dark"),
        ),
        Setting("window_geometry", str, "", "Main window position and size (Qt, base64)"),
        Setting("window_splitter", str, "", "Caseload/workspace split (Qt, base64)"),
        Setting("pacer_client_defaults", str, "", "Per-client pacer settings (JSON, by record id)"),
        Setting("last_backup_at", str, "", "When the last scheduled backup was made (UTC ISO)"),
        Setting("pacer_presets", str, "", "The clinic's own pacer presets (JSON; empty: none)"),
        Setting("pacer_screen", str, "", "Screen the stimulus is shown on (empty: the second)"),
        Setting(
            "remote_broker",
            str,
            "",
            "The clinic's broker for pacer links to a client's own device "
            "(wss://host:port; empty: sharing is off)",
        ),
        Setting(
            "remote_broker_user",
            str,
            "",
            "The console's account on that broker (its password is in the OS keychain; "
            "empty: none)",
        ),
        Setting(
            "remote_link_max_hours",
            int,
            3,
            "Hours a pacer link to a client's device lasts at most (it also ends with the session)",
            1,
            24,
        ),
        Setting(
            "remote_picture_delay_ms",
            int,
            -1,
            "Milliseconds from the client page drawing a frame to the client's screen showing "
            "it, where measured for a device such as the clinic's tablet (-1: one refresh, as a "
            "display with vertical sync shows it)",
            -1,
            250,
        ),
        Setting(
            "pacer_viewing_distance_cm",
            int,
            60,
            "Client's distance from the stimulus screen, for gaze speed in degrees",
            20,
            300,
        ),
        Setting(
            "vitals_schedule",
            str,
            "0, 15, 30, 45, 60, 90, 120",
            "Minutes after the dose at which a vitals reading is due (medicine sessions)",
        ),
        Setting(
            "blood_pressure_points",
            str,
            "pre, 40, end",
            "When blood pressure must be taken: pre (before dosing), minutes after the dose, "
            "end (before discharge)",
        ),
        Setting(
            "discharge_min_observation_min",
            int,
            120,
            "Least observation after the last dose before a client is ready for discharge",
            0,
            8 * 60,
        ),
        Setting(
            "consent_valid_months",
            int,
            12,
            "Months an informed consent stays current before it needs renewing",
            1,
            120,
        ),
        Setting(
            "safety_plan_document",
            str,
            "",
            "The clinic's safety-plan document (a file or web address) offered when a "
            "measure flags risk",
        ),
        Setting(
            "vitals_thresholds",
            str,
            "",
            "Vital-sign flag thresholds (JSON of threshold: value; empty: the defaults)",
        ),
    )
}


class Settings:
    """The settings file in the data folder; unknown keys are kept, bad values ignored."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / "settings.json"
        self._values: dict[str, Any] = {}
        try:
            loaded = json.loads(self.path.read_text(encoding="utf-8"))
            if isinstance(loaded, dict):
                self._values = loaded
        except (OSError, ValueError):
            self._values = {}

    def get(self, key: str) -> Any:
        setting = SETTINGS[key]
        value = self._values.get(key, setting.default)
        try:
            return setting.check(value)
        except ValidationError:
            return setting.default

    def set(self, key: str, value: Any) -> None:
        self._values[key] = SETTINGS[key].check(value)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(self._values, indent=2, sort_keys=True), encoding="utf-8")
        os.replace(tmp, self.path)


POLICY_SETTINGS = (
    "vitals_thresholds",
    "vitals_schedule",
    "blood_pressure_points",
    "discharge_min_observation_min",
    "consent_valid_months",
)


def medicine_policy(settings: Settings) -> MedicinePolicy:
    """The clinic's medicine rules from its settings (defaults for anything unreadable)."""
    return policy_from_settings({key: settings.get(key) for key in POLICY_SETTINGS})
