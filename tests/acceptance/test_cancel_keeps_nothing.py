"""Cancel, in every dialog a therapist opens by mistake, stores nothing and changes nothing."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QPushButton, QWidget

from tests.acceptance.person import Person
from ui.controller import AppController


def test_cancel_in_each_dialog_stores_nothing(  # type: ignore[no-untyped-def]
    qtbot, person: Person, console: AppController, tmp_path: Path
) -> None:
    services = console.services
    assert services is not None
    clients_before = len(services.clients.list())

    def cancel_client(dialog: QWidget) -> None:
        person.type("Client name", "Never saved")
        person.type("Phone", "0123")
        person.click("Cancel")

    person.menu("File", "New client…", then=cancel_client)
    assert len(services.clients.list()) == clients_before
    assert not services.clients.find("Never saved")

    person.open_client("Alex")
    alex = services.clients.find("Alex")[0]
    sessions_before = len(services.sessions.list_for_client(alex.id))

    def cancel_edit(dialog: QWidget) -> None:
        person.type("Client name", "Changed by mistake", replace=True)
        person.click("Cancel")

    person.click("Edit client", then=cancel_edit)
    assert services.clients.get(alex.id).name == alex.name

    person.click("New session", QPushButton, then=lambda d: person.click("Cancel"))
    assert len(services.sessions.list_for_client(alex.id)) == sessions_before

    def cancel_program(dialog: QWidget) -> None:
        person.click("Cancel")

    programs_before = len(services.programs.list_for_client(alex.id))
    person.click("New program", then=cancel_program)
    assert len(services.programs.list_for_client(alex.id)) == programs_before

    chart = tmp_path / "never.pdf"

    def cancel_export(dialog: QWidget) -> None:
        person.type("Export file", str(chart), replace=True)
        person.click("Cancel")

    person.click("Export client chart", then=cancel_export)
    assert not chart.exists()

    def emdr_session(dialog: QWidget) -> None:
        person.choose("Session type", "EMDR")
        person.click("Save")

    person.click("New session", QPushButton, then=emdr_session)
    person.tab("EMDR")
    targets_before = len(services.emdr.list_targets(alex.id))

    def cancel_target(dialog: QWidget) -> None:
        person.type("Title", "Not this one")
        person.click("Cancel")

    person.click("New target", then=cancel_target)
    assert len(services.emdr.list_targets(alex.id)) == targets_before
