"""Settings → Appearance: the dark theme chosen by a therapist, worn at once, and undone."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from console.vault import Vault
from tests.acceptance.person import Person
from tests.conftest import PASSPHRASE
from ui.controller import AppController
from ui.security_dialogs import RecoveryCodeDialog
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


NEW_PASSPHRASE = "a completely new clinic passphrase"
SPINS = {
    "Lock after idle minutes": ("25", "idle_timeout_min", 25),
    "Hours between backups": ("12", "backup_interval_hours", 12),
    "Backups to keep": ("40", "backup_keep", 40),
    "Least observation after the last dose": ("90", "discharge_min_observation_min", 90),
    "Consent valid for": ("6", "consent_valid_months", 6),
}
THRESHOLDS = {
    "Hold dose: diastolic ≥": ("105", "hold_diastolic", 105),
    "Alert after dose: systolic ≥": ("150", "alert_systolic_high", 150),
    "Alert after dose: diastolic ≥": ("95", "alert_diastolic_high", 95),
    "Alert: systolic ≤": ("95", "alert_systolic_low", 95),
    "Alert: heart rate ≥": ("115", "alert_heart_rate_high", 115),
    "Alert: heart rate ≤": ("55", "alert_heart_rate_low", 55),
    "Alert: SpO2 ≤": ("93", "alert_spo2_low", 93),
    "Alert: respiratory rate ≤": ("9", "alert_respiratory_rate_low", 9),
    "Alert: respiratory rate ≥": ("22", "alert_respiratory_rate_high", 22),
}
LETTERHEAD = {
    "Clinician name": "Dr Maya Chen-Okafor",
    "Credentials": "DClinPsy, EMDR Europe Consultant",
    "Licence number": "PYL-04417",
    "Clinic name": "Harbour Integration Clinic",
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

    def choose_folder(dialog: QWidget) -> None:
        person.type("fileNameEdit", str(backups), replace=True)
        person.press(Qt.Key.Key_Return)

    def change(dialog: QWidget) -> None:
        for name, (typed, _key, _value) in {**SPINS, **LINES}.items():
            person.type(name, typed, replace=True)
            person.press(Qt.Key.Key_Tab)
        for name, (typed, _key, _value) in THRESHOLDS.items():
            person.type(name, typed, replace=True)
        for name, typed in LETTERHEAD.items():
            person.type(name, typed, replace=True)
        person.type("Clinic address", "4 Quay Street", replace=True)
        person.press(Qt.Key.Key_Return)
        person.keys("Bristol BS1 4DJ")
        person.type("Backup folder", "clinic backups", replace=True)
        person.click("Choose backup folder", then=choose_folder)
        assert person.find("Backup folder").text() == str(backups)  # type: ignore[attr-defined]
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
    thresholds = json.loads(settings.get("vitals_thresholds"))
    assert thresholds["hold_systolic"] == 175
    for _name, (_typed, key, value) in THRESHOLDS.items():
        assert thresholds[key] == value, key
    assert console.services is not None
    profile = console.services.clinician.get()
    assert profile.clinic_phone == "+44 20 7946 0001"
    assert (profile.name, profile.credentials, profile.licence_number, profile.clinic_name) == (
        tuple(LETTERHEAD.values())
    )
    assert profile.clinic_address == "4 Quay Street\nBristol BS1 4DJ"

    def shown_again(dialog: QWidget) -> None:
        assert person.find("Backups to keep").text() == "40"  # type: ignore[attr-defined]
        assert person.find("Consent valid for").text().startswith("6")  # type: ignore[attr-defined]
        person.click("Cancel")

    person.menu("File", "Settings…", then=shown_again)


def test_security_dialogs_cancelled_change_nothing_and_a_new_code_is_kept(  # type: ignore[no-untyped-def]
    qtbot, person: Person, console: AppController, demo_vault_dir: Path
) -> None:
    header = demo_vault_dir / "vault.json"
    before = header.read_bytes()

    def cancel_after_typing(button: str, *fields: str) -> Callable[[QWidget], None]:
        def act(dialog: QWidget) -> None:
            for field in fields:
                person.type(field, NEW_PASSPHRASE)
            person.click("Cancel")

        def open_it(settings: QWidget) -> None:
            person.click(button, then=act)
            assert header.read_bytes() == before, f"{button}: Cancel changed the vault's keys"
            person.click("Cancel")

        return open_it

    for button, fields in (
        ("Change passphrase", ("Current passphrase", "New passphrase", "Confirm new passphrase")),
        ("Replace every key", ("Current passphrase",)),
        ("New recovery code", ("Current passphrase",)),
    ):
        person.menu("File", "Settings…", then=cancel_after_typing(button, *fields))
    assert header.read_bytes() == before

    shown: list[str] = []

    def keep_code(dialog: QWidget) -> None:
        shown.append(person.find("New recovery code", QLabel).text())
        close = person.find("Close", enabled=False)
        assert not close.isEnabled(), "the code cannot be dismissed unseen"
        person.press(Qt.Key.Key_Escape)
        assert dialog.isVisible(), "Escape does not lose the code"
        person.click("Recovery code written down")
        person.click("Close")

    def new_code(dialog: QWidget) -> None:
        person.type("Current passphrase", PASSPHRASE)
        person.when_dialog(keep_code, RecoveryCodeDialog)
        person.click("OK")

    def from_settings(settings: QWidget) -> None:
        person.click("New recovery code", then=new_code)
        qtbot.waitUntil(lambda: bool(shown), timeout=15_000)
        person.click("Cancel")

    person.menu("File", "Settings…", then=from_settings)
    assert header.read_bytes() != before
    console.lock("test")
    reopened = Vault(demo_vault_dir)
    reopened.unlock_with_recovery(shown[0])
    reopened.lock()
