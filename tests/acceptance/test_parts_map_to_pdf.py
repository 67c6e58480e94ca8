"""A part added to the client's map in an IFS session, described, and found in the PDF."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from tests.acceptance.person import Person
from ui.controller import AppController


def test_a_parts_map_edit_reaches_the_session_pdf(  # type: ignore[no-untyped-def]
    qtbot, person: Person, console: AppController, tmp_path: Path
) -> None:
    services = console.services
    assert services is not None
    person.open_client("Zo")

    person.new_session("IFS")
    person.tab("Parts")
    session = services.sessions.list_for_client(services.clients.find("Zo")[0].id)[0]

    def add_part(dialog: QWidget) -> None:
        person.click("OK")
        assert person.find("New part error", QLabel).isVisible(), "a part needs a name"
        person.type("New part name", "The Night Watch")
        person.choose("New part kind", "Manager")
        person.click("OK")

    person.click("Add part", then=add_part)
    heading = person.find("Part heading", QLabel)
    qtbot.waitUntil(lambda: "The Night Watch" in heading.text(), timeout=3_000)
    person.type("Activation", "7", replace=True)
    person.click("Six F Find")
    person.type("Find note", "Tight jaw")
    person.press(Qt.Key.Key_Return)
    person.keys("and shoulders up")
    person.tab("Self & legend")
    assert person.sees("Self energy") and not person.sees("&energy"), "no stray ampersand"
    person.tab("Part")
    save_status = person.find("Save status", QLabel, within=person.find("Parts map tools").window())
    qtbot.waitUntil(lambda: save_status.text().startswith("Saved"), timeout=6_000)
    person.shot(console.main_window, "parts-map-edit")  # type: ignore[arg-type]

    text = person.export_session_record(tmp_path / "zoe-ifs.pdf")
    assert "The Night Watch" in text
    work = [w for w in services.ifs.session_work(session.id) if w.part_name == "The Night Watch"]
    assert work and dict(work[0].six_fs_notes)["find"] == "Tight jaw\nand shoulders up"
