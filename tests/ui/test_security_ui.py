"""What the console does for safety that a user would notice: clipboard, recovery, crashes."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

from console.vault import Vault
from tests.conftest import PASSPHRASE, TEST_KDF
from tests.ui.conftest import when_modal
from ui.app import crash_report
from ui.controller import AppController
from ui.unlock.unlock_window import NewPassphraseDialog


def test_lock_clears_what_the_app_put_on_the_clipboard(qtbot, unlocked: AppController) -> None:
    window = unlocked.main_window
    assert window is not None
    name_label = window.overview.title
    QApplication.clipboard().setText(name_label.text())
    assert QApplication.clipboard().text() == name_label.text()
    unlocked.lock("test")
    assert QApplication.clipboard().text() == ""


def test_recovery_code_forces_a_new_passphrase(qtbot, tmp_path: Path) -> None:
    directory = tmp_path / "vault"
    vault, code = Vault.create(directory, PASSPHRASE, "Dr Recovery", kdf=TEST_KDF)
    vault.lock()
    controller = AppController(directory, kdf=TEST_KDF)
    controller.start()
    gate = controller.gate
    gate.recovery_button.click()  # type: ignore[union-attr]
    assert gate.secret.accessibleName() == "Recovery code"  # type: ignore[union-attr]
    new_passphrase = "a brand new passphrase after recovery"

    def choose(dialog: QWidget) -> None:
        assert isinstance(dialog, NewPassphraseDialog)
        dialog.reject()
        assert dialog.isVisible(), "closing without a new passphrase is not allowed"
        dialog.passphrase.setText(new_passphrase)
        dialog.confirm.setText(new_passphrase)
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()

    when_modal(choose)
    gate.secret.setText(code.lower().replace("-", " "))  # type: ignore[union-attr]
    gate.unlock_button.click()  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: controller.main_window is not None, timeout=10_000)
    controller.lock("test")
    check = Vault(directory)
    check.unlock_with_passphrase(new_passphrase)
    check.lock()
    controller.gate.close()  # type: ignore[union-attr]


def test_crash_report_names_places_not_values(tmp_path: Path) -> None:
    secret = "Client Zoë told me about the lake"
    try:
        raise ValueError(secret)
    except ValueError:
        kind, _, tb = sys.exc_info()
        assert kind is not None
        path = crash_report(tmp_path, kind, tb)
    text = path.read_text(encoding="utf-8")
    assert "ValueError" in text
    assert "test_security_ui.py" in text
    assert secret not in text and "Zoë" not in text
