"""The main window's own controls: the toolbar, View, Help and File → Quit, each doing what
its name says."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QListWidget, QToolButton, QWidget

from console import __version__
from tests.acceptance.person import Person
from ui.controller import AppController


def test_toolbar_and_menus_start_a_session_run_the_pacer_and_find_a_client(  # type: ignore[no-untyped-def]
    qtbot, person: Person, console: AppController
) -> None:
    services = console.services
    window = console.main_window
    assert services is not None and window is not None
    person.open_client("Noor")
    client = services.clients.find("Noor")[0]
    before = len(services.sessions.list_for_client(client.id))

    person.menu("File", "New session…", then=lambda dialog: person.click("Cancel"))
    assert len(services.sessions.list_for_client(client.id)) == before, "Cancel adds nothing"

    person.click("New session", QToolButton, then=lambda dialog: person.click("Save"))
    qtbot.waitUntil(lambda: person.sees("Session tools"), timeout=3_000)
    assert len(services.sessions.list_for_client(client.id)) == before + 1

    person.click("Pacer start/pause", QToolButton)
    status = person.find("Set status", QLabel)
    qtbot.waitUntil(lambda: "Running" in status.text(), timeout=5_000)
    person.press(Qt.Key.Key_Space, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "Paused" in status.text(), timeout=5_000)
    person.click("Stop set")
    qtbot.waitUntil(lambda: "Running" not in status.text(), timeout=5_000)

    person.menu("View", "Caseload")
    caseload = person.find("Client list", QListWidget)
    assert QApplication.focusWidget() is person.find("Filter clients")
    person.keys("Zo")
    qtbot.waitUntil(
        lambda: (
            [caseload.item(r).text() for r in range(caseload.count())] == ["Zoë Ångström (demo)"]
        ),
        timeout=3_000,
    )

    shown: list[str] = []

    def about(box: QWidget) -> None:
        shown.append(box.text())  # type: ignore[attr-defined]
        person.shot(box, "about")
        person.click("OK")

    person.menu("Help", "About Session Console", then=about)
    qtbot.waitUntil(lambda: bool(shown), timeout=3_000)
    assert __version__ in shown[0] and "SQLCipher" in shown[0]


def test_quit_keeps_the_words_just_typed(  # type: ignore[no-untyped-def]
    qtbot, person: Person, console: AppController
) -> None:
    services = console.services
    window = console.main_window
    assert services is not None and window is not None
    person.open_client("Alex")
    person.new_session()
    person.tab("Notes")
    person.click("New note")
    person.type("Subjective", "Typed a second before quitting")
    person.menu("File", "Quit")
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5_000)
    client = services.clients.find("Alex")[0]
    session = services.sessions.list_for_client(client.id)[0]
    note = services.notes.list_for_session(session.id)[0]
    assert services.notes.get(note.id).sections["subjective"] == "Typed a second before quitting"
