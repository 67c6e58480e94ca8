"""A new client, a session, a note written, signed and corrected by an addendum, exported."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QLabel, QListWidget, QPushButton, QWidget

from tests.acceptance.person import Person
from ui.controller import AppController


def test_new_client_to_a_signed_note_with_addendum(  # type: ignore[no-untyped-def]
    qtbot, person: Person, console: AppController, tmp_path: Path
) -> None:
    services = console.services
    assert services is not None

    def new_client(dialog: QWidget) -> None:
        person.type("Client name", "Iris Papadopoulou")
        person.type("Preferred name", "Iris")
        person.type("Email", "not-an-email")
        person.click("Save")
        assert dialog.isVisible(), "a refused value keeps the dialog open"
        assert "email" in person.find("Email error", QLabel).text().lower()
        assert person.find("Client name").text() == "Iris Papadopoulou", "nothing typed is lost"
        person.type("Email", "iris@example.org", replace=True)
        person.shot(dialog, "new-client-dialog")
        person.click("Save")

    person.menu("File", "New client…", then=new_client)
    qtbot.waitUntil(lambda: person.sees("Iris Papadopoulou"), timeout=3_000)
    client = services.clients.find("Papadopoulou")[0]
    assert person.find("Client name heading", QLabel).text() == "Iris Papadopoulou"

    def new_session(dialog: QWidget) -> None:
        assert isinstance(dialog, QDialog)
        person.click("Save")

    person.click("New session", QPushButton, then=new_session)
    qtbot.waitUntil(lambda: person.sees("Notes in this session"), timeout=3_000)
    person.tab("Notes")
    person.choose("Note template", "SOAP note")
    notes_list = person.find("Notes in this session", QListWidget)
    new_note = person.find("New note")
    person.double_click(new_note)
    qtbot.waitUntil(lambda: notes_list.count() >= 1, timeout=3_000)
    assert notes_list.count() == 1, "a double click makes one draft, not two"

    person.type("Subjective", "Slept through the night for the first time in months.")
    status = person.find("Save status", QLabel)
    qtbot.waitUntil(lambda: status.text().startswith("Saved"), timeout=6_000)
    note = services.notes.list_for_session(services.sessions.list_for_client(client.id)[0].id)[0]
    assert services.notes.get(note.id).sections["subjective"].startswith("Slept through")

    def confirm_sign(box: QWidget) -> None:
        assert "Dr Maya Chen" in box.text()  # type: ignore[attr-defined]
        person.click("Sign")

    person.click("Sign note", then=confirm_sign)
    qtbot.waitUntil(lambda: services.notes.get(note.id).is_signed, timeout=3_000)
    assert person.find("Subjective").isReadOnly()
    discard = person.find("Discard draft", enabled=False) if person.sees("Discard draft") else None
    assert discard is None or not discard.isEnabled(), "a signed note is never discarded"

    def write_addendum(dialog: QWidget) -> None:
        person.type("Addendum text", "Correction: two nights, not one.")
        person.click("Save and sign")

    person.click("Add addendum", then=write_addendum)
    qtbot.waitUntil(lambda: bool(services.notes.get(note.id).addenda), timeout=3_000)
    addendum = services.notes.get(note.id).addenda[0]
    assert addendum.is_signed and addendum.text == "Correction: two nights, not one."
    person.shot(console.main_window, "signed-note-with-addendum")  # type: ignore[arg-type]

    text = person.export_session_record(tmp_path / "iris-session.pdf")
    assert "Iris Papadopoulou" in text
    assert "Slept through the night" in text
    assert "Correction: two nights, not one." in text
