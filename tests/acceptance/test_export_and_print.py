"""A client's chart exported with a password, and printed to a PDF file from the print dialog."""

from __future__ import annotations

import io
from pathlib import Path

import pypdf
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
