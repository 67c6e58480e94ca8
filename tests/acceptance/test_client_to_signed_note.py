"""A new client, a session, a note written, signed and corrected by an addendum, exported."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QCalendarWidget,
    QLabel,
    QLineEdit,
    QListWidget,
    QTableWidget,
    QWidget,
)

from tests.acceptance.person import Person
from ui.controller import AppController
from ui.dates import show_date

SOAP = {
    "Objective": "Calm, good eye contact, SUD 3 for the bridge.",
    "Assessment": "Sleep improving with the calm-place resource.",
    "Plan": "Reprocess the bridge memory next week — «ça va», Zoë said.",
}


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
        person.type("Date of birth", "19880314")
        person.press(Qt.Key.Key_Tab)
        dob = person.find("Date of birth", QLineEdit)
        assert "Not recorded" not in dob.text() and "1988" in dob.text()
        person.click("Date of birth calendar")
        calendar = next(
            c
            for c in QApplication.topLevelWidgets()
            if c.isVisible() and c.findChild(QCalendarWidget) is not None
        )
        shown = calendar.findChild(QCalendarWidget)
        assert (shown.yearShown(), shown.monthShown()) == (1988, 3), "opens at the date typed"
        person.press(Qt.Key.Key_Escape)
        person.click("Add diagnosis")
        person.keys("f41.1")
        person.press(Qt.Key.Key_Tab)
        person.keys("Generalised anxiety disorder")
        person.press(Qt.Key.Key_Return)
        person.click("Add diagnosis")
        person.keys("F43.10, F41.1")
        person.press(Qt.Key.Key_Return)
        person.click("Save")
        assert (
            dialog.isVisible()
            and "give each its own row" in person.find("Diagnoses error", QLabel).text()
        )
        table = person.find("Diagnoses", QTableWidget)
        cell = table.visualItemRect(table.item(1, 0))
        person.double_click(table.viewport(), cell.center())
        person.press(Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        person.keys("F43.10")
        person.press(Qt.Key.Key_Tab)
        person.keys("Post-traumatic stress disorder")
        person.press(Qt.Key.Key_Return)
        person.shot(dialog, "new-client-dialog")
        person.click("Save")

    person.menu("File", "New client…", then=new_client)
    qtbot.waitUntil(lambda: person.sees("Iris Papadopoulou"), timeout=3_000)
    client = services.clients.find("Papadopoulou")[0]
    assert person.find("Client name heading", QLabel).text() == "Iris Papadopoulou", (
        "a preferred name that is the first name is not shown twice"
    )
    stored = services.clients.get(client.id)
    assert stored.date_of_birth == date(1988, 3, 14)
    assert [(d.code, d.primary) for d in stored.diagnoses] == [("F41.1", True), ("F43.10", False)]
    person.expect(show_date(date(1988, 3, 14)))  # the overview shows the date as typed
    person.expect("F41.1 Generalised anxiety disorder (primary)")

    person.new_session()
    qtbot.waitUntil(lambda: person.sees("Notes in this session"), timeout=3_000)
    person.tab("Notes")
    person.choose("Note template", "SOAP note")
    notes_list = person.find("Notes in this session", QListWidget)
    new_note = person.find("New note")
    person.double_click(new_note)
    qtbot.waitUntil(lambda: notes_list.count() >= 1, timeout=3_000)
    assert notes_list.count() == 1, "a double click makes one draft, not two"
    person.wait_past_double_click()
    person.click("New note")
    qtbot.waitUntil(lambda: notes_list.count() == 2, timeout=3_000)
    person.type("Subjective", "Started in the wrong note")
    person.click("Discard draft", then=lambda box: person.click("Yes"))
    qtbot.waitUntil(lambda: notes_list.count() == 1, timeout=3_000)
    person.pick("Notes in this session", "SOAP note")

    person.type("Subjective", "Slept through the night for the first time in months.")
    status = person.find("Save status", QLabel)
    assert "Unsaved" in status.text()
    qtbot.waitUntil(lambda: status.text().startswith("Saved"), timeout=6_000)
    note = services.notes.list_for_session(services.sessions.list_for_client(client.id)[0].id)[0]
    assert services.notes.get(note.id).sections["subjective"].startswith("Slept through")
    for section, words in SOAP.items():
        person.type(section, words)
    person.press(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    saved = services.notes.get(note.id).sections
    assert [saved[s.lower()] for s in SOAP] == list(SOAP.values()), "Ctrl+S saves there and then"
    assert status.text().startswith("Saved")

    def confirm_sign(box: QWidget) -> None:
        assert "Dr Maya Chen" in box.text()  # type: ignore[attr-defined]
        person.click("Sign")

    person.click("Sign note", then=confirm_sign)
    qtbot.waitUntil(lambda: services.notes.get(note.id).is_signed, timeout=3_000)
    assert person.find("Subjective").isReadOnly()
    discard = person.find("Discard draft", enabled=False) if person.sees("Discard draft") else None
    assert discard is None or not discard.isEnabled(), "a signed note is never discarded"

    def write_addendum(text: str, button: str) -> Callable[[QWidget], None]:
        def write(dialog: QWidget) -> None:
            person.type("Addendum text", text)
            person.click(button)

        return write

    person.click("Add addendum", then=write_addendum("Never mind", "Cancel"))
    assert not services.notes.get(note.id).addenda, "Cancel keeps no addendum"
    person.click("Add addendum", then=write_addendum("Phoned: sleep holding.", "Save"))
    qtbot.waitUntil(lambda: len(services.notes.get(note.id).addenda) == 1, timeout=3_000)
    draft = services.notes.get(note.id).addenda[0]
    assert draft.text == "Phoned: sleep holding." and not draft.is_signed, "Save keeps it unsigned"

    def reword(dialog: QWidget) -> None:
        person.type("Addendum text", "Phoned: sleep holding, seven hours.", replace=True)
        person.click("Save")

    person.click("Edit addendum", then=reword)
    qtbot.waitUntil(
        lambda: (
            services.notes.get(note.id).addenda[0].text == "Phoned: sleep holding, seven hours."
        ),
        timeout=3_000,
    )
    assert not services.notes.get(note.id).addenda[0].is_signed
    person.click("Sign addendum", then=lambda box: person.click("No"))
    assert not services.notes.get(note.id).addenda[0].is_signed, "No leaves it unsigned"
    person.click("Sign addendum", then=lambda box: person.click("Yes"))
    qtbot.waitUntil(lambda: services.notes.get(note.id).addenda[0].is_signed, timeout=3_000)
    assert not person.sees("Edit…"), "a signed addendum is not edited"
    person.click(
        "Add addendum", then=write_addendum("Correction: two nights, not one.", "Save and sign")
    )
    qtbot.waitUntil(lambda: len(services.notes.get(note.id).addenda) == 2, timeout=3_000)
    addendum = services.notes.get(note.id).addenda[-1]
    assert addendum.is_signed and addendum.text == "Correction: two nights, not one."
    person.shot(console.main_window, "signed-note-with-addendum")  # type: ignore[arg-type]

    text = person.export_session_record(tmp_path / "iris-session.pdf")
    assert "Iris Papadopoulou" in text
    assert "Slept through the night" in text
    assert "Correction: two nights, not one." in text
    assert "Phoned: sleep holding, seven hours." in text
    for words in SOAP.values():
        assert words in text
    assert "Started in the wrong note" not in text, "a discarded draft is not in the record"
    assert "F43.10" in text and "Post-traumatic stress disorder" in text
