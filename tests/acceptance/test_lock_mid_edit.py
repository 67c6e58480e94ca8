"""Locking with Ctrl+L while a note is half typed, then unlocking: nothing typed is lost."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPlainTextEdit

from tests.acceptance.person import Person
from tests.conftest import PASSPHRASE
from ui.controller import AppController

WORDS = "Noticed the urge to leave and stayed; breathing slowed"


def test_lock_mid_edit_and_unlock_keeps_every_word(  # type: ignore[no-untyped-def]
    qtbot, person: Person, console: AppController
) -> None:
    services = console.services
    assert services is not None
    person.open_client("Zo")

    person.new_session()
    person.tab("Notes")
    person.click("New note")
    person.type("Subjective", WORDS)
    assert "Unsaved" in person.find("Save status", QLabel).text()
    person.press(Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: console.main_window is None, timeout=5_000)
    assert not person.sees(WORDS), "nothing of the record stays on screen while locked"
    assert console.services is None

    wrong = "not the passphrase"
    person.type("Passphrase", wrong)
    person.press(Qt.Key.Key_Return)
    message = person.find("Unlock message", QLabel)
    qtbot.waitUntil(lambda: bool(message.text()), timeout=10_000)
    person.type("Passphrase", PASSPHRASE, replace=True)
    person.click("Unlock")
    qtbot.waitUntil(lambda: console.main_window is not None, timeout=10_000)
    subjective = person.find("Subjective", QPlainTextEdit)
    assert subjective.toPlainText() == WORDS, "the tab reopens with the words where they were"
    assert console.services is not None
    client = console.services.clients.find("Zo")[0]
    session = console.services.sessions.list_for_client(client.id)[0]
    note = console.services.notes.list_for_session(session.id)[0]
    assert note.sections["subjective"] == WORDS, "the lock saved what was typed"
    person.shot(console.main_window, "unlocked-mid-edit")  # type: ignore[arg-type]
