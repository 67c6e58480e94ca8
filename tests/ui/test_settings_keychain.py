"""Settings → Remember the vault on this computer, ticked and unticked by mouse."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QDialogButtonBox, QWidget

from tests.ui.conftest import when_modal
from tests.ui.people import choose_from_menu
from ui.controller import AppController
from ui.settings_dialog import SettingsDialog

LEFT = Qt.MouseButton.LeftButton


def _toggle_remember(qtbot, unlocked: AppController) -> None:  # type: ignore[no-untyped-def]
    window = unlocked.main_window
    assert window is not None

    def in_dialog(dialog: QWidget) -> None:
        assert isinstance(dialog, SettingsDialog)
        (box,) = [
            w
            for w in dialog.findChildren(QCheckBox)
            if w.accessibleName() == "Remember on this computer" and w.isVisible()
        ]
        assert box.isEnabled(), "a keychain is there to use"
        qtbot.mouseClick(box, LEFT, pos=box.rect().center())
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), LEFT)

    when_modal(in_dialog)
    choose_from_menu(qtbot, window, "&File", "Se&ttings…")
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None, timeout=5_000)


def test_remembering_on_this_computer_stores_a_key_and_forgetting_removes_it(
    qtbot, unlocked: AppController, memory_keyring
) -> None:  # type: ignore[no-untyped-def]
    vault = unlocked.vault
    assert not vault.keychain_enabled
    stored_before = set(memory_keyring.store)

    _toggle_remember(qtbot, unlocked)
    assert vault.keychain_enabled
    assert len(set(memory_keyring.store) - stored_before) == 1, "one key in the OS keychain"

    _toggle_remember(qtbot, unlocked)
    assert not vault.keychain_enabled
    assert set(memory_keyring.store) == stored_before, "and it is gone again"
