"""A client's chart exported with a password, and printed to a PDF file from the print dialog."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pypdf
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from tests.acceptance.person import Person
from tests.pdf_text import flat
from ui.controller import AppController

PASSWORD = "harbour lantern 42"


def test_export_a_protected_chart_and_print_it_to_a_file(  # type: ignore[no-untyped-def]
    qtbot, person: Person, console: AppController, tmp_path: Path
) -> None:
    person.open_client("Alex")
    chart = tmp_path / "alex-chart.pdf"

    told: list[str] = []

    def acknowledge(box: QWidget) -> None:
        told.append(box.text())  # type: ignore[attr-defined]
        person.click("OK")

    def export(dialog: QWidget) -> None:
        person.type("Export file", str(chart), replace=True)
        person.click("Password protect")
        person.type("PDF password", "short", replace=True)
        person.click("Save")
        assert dialog.isVisible(), "a short password is refused beside its field"
        assert "8 characters" in person.find("Password error", QLabel).text()
        person.type("PDF password", PASSWORD, replace=True)
        person.shot(dialog, "export-chart-dialog")
        person.when_dialog(acknowledge, QMessageBox)
        person.click("Save")

    person.click("Export client chart", then=export)
    qtbot.waitUntil(lambda: bool(told), timeout=20_000)
    assert chart.name in told[0], "the message says where the chart went"
    reader = pypdf.PdfReader(io.BytesIO(chart.read_bytes()))
    assert reader.is_encrypted
    assert reader.decrypt(PASSWORD)
    assert "Alex Rivera" in " ".join(page.extract_text() for page in reader.pages)

    printed = tmp_path / "printed chart.pdf"

    def print_to_file(dialog: QWidget) -> None:
        person.choose("printers", "Print to File (PDF)")
        person.type("filename", str(printed), replace=True)
        person.click("Print")

    person.menu("File", "Print…", then=print_to_file)
    qtbot.waitUntil(lambda: printed.exists() and printed.stat().st_size > 0, timeout=20_000)
    assert "Alex Rivera" in flat(printed.read_bytes())


def test_a_chart_from_the_menu_with_psychotherapy_notes_and_a_suggested_password(  # type: ignore[no-untyped-def]
    qtbot, person: Person, console: AppController, tmp_path: Path
) -> None:
    person.open_client("Zoë")
    told: list[str] = []

    def acknowledge(box: QWidget) -> None:
        told.append(box.text())  # type: ignore[attr-defined]
        person.click("OK")

    def export_to(target: Path, private: bool) -> Callable[[QWidget], None]:
        def choose_file(dialog: QWidget) -> None:
            person.type("fileNameEdit", str(target), replace=True)
            person.press(Qt.Key.Key_Return)

        def export(dialog: QWidget) -> None:
            person.click("Choose export file", then=choose_file)
            assert person.find("Export file").text() == str(target)  # type: ignore[attr-defined]
            if private:
                person.click("Include psychotherapy notes")
            person.when_dialog(acknowledge, QMessageBox)
            person.click("Save")

        return export

    kept_apart = tmp_path / "zoe-chart.pdf"
    person.menu("File", "Export client chart…", then=export_to(kept_apart, private=False))
    qtbot.waitUntil(lambda: len(told) == 1, timeout=20_000)
    assert "slowed my own breathing" not in flat(kept_apart.read_bytes()), "kept apart by default"
    with_notes = tmp_path / "zoe-chart-with-psychotherapy-notes.pdf"
    person.menu("File", "Export client chart…", then=export_to(with_notes, private=True))
    qtbot.waitUntil(lambda: len(told) == 2, timeout=20_000)
    assert "slowed my own breathing" in flat(with_notes.read_bytes())

    suggested: list[str] = []
    protected = tmp_path / "zoe-protected.pdf"

    def suggest(dialog: QWidget) -> None:
        person.type("Export file", str(protected), replace=True)
        person.click("Password protect")
        password = person.find("PDF password")
        first = password.text()  # type: ignore[attr-defined]
        person.click("Suggest a password")
        suggested.append(password.text())  # type: ignore[attr-defined]
        assert len(suggested[0]) >= 8 and suggested[0] != first, "a new one each time"
        person.when_dialog(acknowledge, QMessageBox)
        person.click("Save")

    person.menu("File", "Export client chart…", then=suggest)
    qtbot.waitUntil(lambda: len(told) == 3, timeout=20_000)
    reader = pypdf.PdfReader(io.BytesIO(protected.read_bytes()))
    assert reader.is_encrypted and reader.decrypt(suggested[0])
