"""A backup made from the File menu, a client added after it, and the backup restored."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from console.vault.backup import list_backups
from tests.acceptance.person import Person
from tests.conftest import PASSPHRASE
from ui.controller import AppController


def test_back_up_then_restore_from_the_file_menu(  # type: ignore[no-untyped-def]
    qtbot, person: Person, console: AppController
) -> None:
    window = console.main_window
    assert window is not None
    person.menu("File", "Back up now")
    qtbot.waitUntil(
        lambda: "Backup written and verified" in window.statusBar().currentMessage(),
        timeout=20_000,
    )
    backup_dir = console._backup_dir()
    backups = list_backups(backup_dir)
    assert len(backups) == 1

    def new_client(dialog: QWidget) -> None:
        person.type("Client name", "Written after the backup")
        person.click("Save")

    person.menu("File", "New client…", then=new_client)
    qtbot.waitUntil(lambda: person.sees("Written after the backup"), timeout=3_000)

    def confirm(box: QWidget) -> None:
        assert "kept in a folder beside it" in box.text()  # type: ignore[attr-defined]
        person.click("Yes")

    def passphrase(dialog: QWidget) -> None:
        person.keys(PASSPHRASE)
        person.when_dialog(confirm)
        person.press(Qt.Key.Key_Return)

    def choose_file(dialog: QWidget) -> None:
        person.type("fileNameEdit", backups[0].name)
        person.when_dialog(passphrase)
        person.press(Qt.Key.Key_Return)

    person.menu("File", "Restore from backup…", then=choose_file)
    qtbot.waitUntil(
        lambda: console.main_window is not None and console.services is not None, timeout=30_000
    )
    assert console.services is not None
    assert not console.services.clients.find("Written after the backup")
    assert console.services.clients.find("Alex"), "the backup's records are back"
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None, timeout=5_000)
    assert not person.sees("Written after the backup")
    person.shot(console.main_window, "restored")  # type: ignore[arg-type]
    assert isinstance(person.find("Client name heading", QLabel), QLabel)
