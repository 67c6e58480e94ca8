"""Settings → Security as a clinician uses it: new passphrase with every key replaced,
a new recovery code, each shown once and then checked against the files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QCheckBox, QLabel, QLineEdit, QPushButton, QWidget

from console.errors import VaultCorruptError, WrongSecretError
from console.vault import Vault
from tests.conftest import PASSPHRASE
from ui.controller import AppController
from ui.security_dialogs import (
    ChangePassphraseDialog,
    NewRecoveryCodeDialog,
    RecoveryCodeDialog,
    RotateKeysDialog,
)
from ui.settings_dialog import SettingsDialog

NEW = "a completely new clinic passphrase"
LEFT = Qt.MouseButton.LeftButton


def _named(root: QWidget, kind: type, name: str):  # type: ignore[no-untyped-def]
    found = [w for w in root.findChildren(kind) if w.accessibleName() == name and w.isVisible()]
    assert len(found) == 1, (name, found)
    return found[0]


def when_dialog(kind: type, action: Callable[[QWidget], None]) -> None:
    """Act once a modal dialog of `kind` is the active one (dialogs run their own loop)."""

    def attempt() -> None:
        modal = QApplication.activeModalWidget()
        if not isinstance(modal, kind):
            QTimer.singleShot(20, attempt)
            return
        action(modal)

    QTimer.singleShot(0, attempt)


def _keep_code(shown: list[str], copy: bool = False) -> Callable[[QWidget], None]:
    def keep(dialog: QWidget) -> None:
        shown.append(_named(dialog, QLabel, "New recovery code").text())
        if copy:
            qtbot_click(_named(dialog, QPushButton, "Copy recovery code"))
            assert QApplication.clipboard().text() == shown[-1]
        close = dialog.buttons.button(dialog.buttons.StandardButton.Close)  # type: ignore[attr-defined]
        assert not close.isEnabled(), "the code cannot be dismissed unseen"
        tick = _named(dialog, QCheckBox, "Recovery code written down")
        tick.click()
        assert close.isEnabled()
        close.click()

    return keep


def qtbot_click(button: QPushButton) -> None:
    from PySide6.QtTest import QTest

    QTest.mouseClick(button, LEFT)


def _settings(unlocked: AppController, qtbot) -> SettingsDialog:  # type: ignore[no-untyped-def]
    assert unlocked.services is not None
    dialog = SettingsDialog(unlocked.services, unlocked.settings)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_change_passphrase_and_replace_every_key_from_settings(
    qtbot, unlocked: AppController, demo_vault_dir: Path, tmp_path: Path
) -> None:
    old_header = (demo_vault_dir / "vault.json").read_text()
    settings = _settings(unlocked, qtbot)
    shown: list[str] = []

    def fill(dialog: QWidget) -> None:
        ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)  # type: ignore[attr-defined]
        for name, text in (
            ("Current passphrase", PASSPHRASE),
            ("New passphrase", NEW),
            ("Confirm new passphrase", NEW + "x"),
        ):
            field = _named(dialog, QLineEdit, name)
            qtbot.mouseClick(field, LEFT)
            qtbot.keyClicks(field, text)
        assert not ok.isEnabled()
        assert "differ" in _named(dialog, QLabel, "Security hint").text()
        qtbot.keyClick(_named(dialog, QLineEdit, "Confirm new passphrase"), Qt.Key.Key_Backspace)
        qtbot.mouseClick(_named(dialog, QCheckBox, "Also replace every key"), LEFT)
        assert ok.isEnabled()
        when_dialog(RecoveryCodeDialog, _keep_code(shown))
        qtbot.mouseClick(ok, LEFT)

    when_dialog(ChangePassphraseDialog, fill)
    qtbot.mouseClick(_named(settings, QPushButton, "Change passphrase"), LEFT)
    qtbot.waitUntil(lambda: bool(shown), timeout=20_000)
    settings.reject()
    unlocked.lock("test")

    vault = Vault(demo_vault_dir)
    with pytest.raises(WrongSecretError):
        vault.unlock_with_passphrase(PASSPHRASE)
    vault.unlock_with_passphrase(NEW)
    vault.lock()
    recovered = Vault(demo_vault_dir)
    recovered.unlock_with_recovery(shown[0])
    recovered.lock()
    (demo_vault_dir / "vault.json").write_text(old_header)
    with pytest.raises(VaultCorruptError):
        Vault(demo_vault_dir).unlock_with_passphrase(PASSPHRASE)


def test_a_new_recovery_code_from_settings_opens_the_vault(
    qtbot, unlocked: AppController, demo_vault_dir: Path
) -> None:
    settings = _settings(unlocked, qtbot)
    shown: list[str] = []

    def fill(dialog: QWidget) -> None:
        field = _named(dialog, QLineEdit, "Current passphrase")
        qtbot.mouseClick(field, LEFT)
        qtbot.keyClicks(field, PASSPHRASE)
        when_dialog(RecoveryCodeDialog, _keep_code(shown))
        qtbot.keyClick(field, Qt.Key.Key_Return)

    when_dialog(NewRecoveryCodeDialog, fill)
    qtbot.mouseClick(_named(settings, QPushButton, "New recovery code"), LEFT)
    qtbot.waitUntil(lambda: bool(shown), timeout=20_000)
    settings.reject()
    unlocked.lock("test")
    opened = Vault(demo_vault_dir)
    opened.unlock_with_recovery(shown[0])
    opened.lock()


HOLDER = """
import sys
from pathlib import Path
from console.vault import Vault
vault = Vault(Path(sys.argv[1]))
vault.unlock_with_passphrase(sys.argv[2])
print("open", flush=True)
sys.stdin.read()
"""


def test_the_unlock_window_says_when_the_vault_is_open_elsewhere(
    qtbot, demo_vault_dir: Path
) -> None:
    from tests.processes import spawn

    holder = spawn(HOLDER, str(demo_vault_dir), PASSPHRASE, stdin=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "open\n"
        controller = AppController(demo_vault_dir)
        controller.start()
        gate = controller.gate
        assert gate is not None
        field = _named(gate, QLineEdit, "Passphrase")
        qtbot.mouseClick(field, LEFT)
        qtbot.keyClicks(field, PASSPHRASE)
        qtbot.mouseClick(_named(gate, QPushButton, "Unlock"), LEFT)
        message = _named(gate, QLabel, "Unlock message")
        qtbot.waitUntil(lambda: "another Session Console" in message.text(), timeout=15_000)
        assert message.height() >= message.heightForWidth(message.width())
        assert controller.main_window is None
        gate.close()
    finally:
        holder.kill()
        holder.wait(timeout=30)


def test_replace_every_key_from_settings_retires_the_old_vault_json(
    qtbot, unlocked: AppController, demo_vault_dir: Path
) -> None:
    old_header = (demo_vault_dir / "vault.json").read_text()
    settings = _settings(unlocked, qtbot)
    shown: list[str] = []

    def fill(dialog: QWidget) -> None:
        field = _named(dialog, QLineEdit, "Current passphrase")
        qtbot.mouseClick(field, LEFT)
        qtbot.keyClicks(field, PASSPHRASE)
        when_dialog(RecoveryCodeDialog, _keep_code(shown, copy=True))
        ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)  # type: ignore[attr-defined]
        qtbot.mouseClick(ok, LEFT)

    when_dialog(RotateKeysDialog, fill)
    qtbot.mouseClick(_named(settings, QPushButton, "Replace every key"), LEFT)
    qtbot.waitUntil(lambda: bool(shown), timeout=20_000)
    settings.reject()
    unlocked.lock("test")
    assert QApplication.clipboard().text() == "", "lock clears the copied code"
    reopened = Vault(demo_vault_dir)
    reopened.unlock_with_passphrase(PASSPHRASE)
    reopened.lock()
    (demo_vault_dir / "vault.json").write_text(old_header)
    with pytest.raises(VaultCorruptError):
        Vault(demo_vault_dir).unlock_with_passphrase(PASSPHRASE)
