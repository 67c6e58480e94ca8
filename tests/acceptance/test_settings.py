"""Settings → Appearance: the dark theme chosen by a therapist, worn at once, and undone."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from tests.acceptance.person import Person
from ui.controller import AppController
from ui.theme import apply_theme


@pytest.fixture
def restored_style(qapp: QApplication) -> Iterator[None]:
    style, palette = qapp.style().name(), qapp.palette()
    yield
    apply_theme(qapp, "system")
    qapp.setStyle(style)
    qapp.setPalette(palette)


def test_dark_theme_chosen_in_settings_and_back(  # type: ignore[no-untyped-def]
    qtbot, person: Person, console: AppController, restored_style: None
) -> None:
    window = console.main_window
    assert window is not None

    def dark(dialog: QWidget) -> None:
        person.choose("Theme", "Dark")
        person.click("Save")

    person.menu("File", "Settings…", then=dark)
    qtbot.waitUntil(lambda: window.palette().window().color().lightness() < 80, timeout=3_000)
    assert console.settings.get("theme") == "dark"
    person.shot(window, "settings-dark-theme")
    assert isinstance(person.find("Client name heading", QLabel), QLabel)

    def system(dialog: QWidget) -> None:
        person.choose("Theme", "System (follow the computer)")
        person.click("Save")

    person.menu("File", "Settings…", then=system)
    qtbot.waitUntil(lambda: console.settings.get("theme") == "system", timeout=3_000)


SPINS = {
    "Lock after idle minutes": ("25", "idle_timeout_min", 25),
    "Hours between backups": ("12", "backup_interval_hours", 12),
    "Backups to keep": ("40", "backup_keep", 40),
    "Least observation after the last dose": ("90", "discharge_min_observation_min", 90),
    "Consent valid for": ("6", "consent_valid_months", 6),
}
LINES = {
    "Required blood pressures": ("pre, 30, end", "blood_pressure_points", "pre, 30, end"),
    "Safety-plan document": (
        "https://clinic.example/safety-plan",
        "safety_plan_document",
        "https://clinic.example/safety-plan",
    ),
}


def test_every_setting_typed_is_kept_and_shown_again(  # type: ignore[no-untyped-def]
    qtbot, person: Person, console: AppController, tmp_path
) -> None:
    backups = tmp_path / "clinic backups"
    backups.mkdir()

    def change(dialog: QWidget) -> None:
        for name, (typed, _key, _value) in {**SPINS, **LINES}.items():
            person.type(name, typed, replace=True)
            person.press(Qt.Key.Key_Tab)
        person.type("Backup folder", str(backups), replace=True)
        person.choose("Default note template", "SOAP note")
        person.click("PDF password default")
        person.type("Vitals schedule", "0, 15, banana", replace=True)
        person.type("Hold dose: systolic ≥", "175", replace=True)
        person.type("Clinic phone", "+44 20 7946 0001", replace=True)
        person.click("Save")
        assert dialog.isVisible(), "a schedule that is not minutes is refused"
        message = person.find("Vitals schedule (min) error", QLabel)
        assert message.isVisible() and message.text(), "said beside the field"
        assert person.find("Lock after idle minutes").text().startswith("25"), "kept as typed"
        person.type("Vitals schedule", "0, 15, 30, 60", replace=True)
        person.shot(dialog, "settings-typed")
        person.click("Save")

    person.menu("File", "Settings…", then=change)
    settings = console.settings
    qtbot.waitUntil(lambda: settings.get("idle_timeout_min") == 25, timeout=3_000)
    for _name, (_typed, key, value) in {**SPINS, **LINES}.items():
        assert settings.get(key) == value, key
    assert settings.get("backup_dir") == str(backups)
    assert settings.get("vitals_schedule") == "0, 15, 30, 60"
    assert settings.get("pdf_password_default") is True
    assert '"hold_systolic": 175' in settings.get("vitals_thresholds")
    assert console.services is not None
    assert console.services.clinician.get().clinic_phone == "+44 20 7946 0001"

    def shown_again(dialog: QWidget) -> None:
        assert person.find("Backups to keep").text() == "40"  # type: ignore[attr-defined]
        assert person.find("Consent valid for").text().startswith("6")  # type: ignore[attr-defined]
        person.click("Cancel")

    person.menu("File", "Settings…", then=shown_again)
