"""Exporting and printing from the console: the same document, no file left behind."""

from __future__ import annotations

import tempfile
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QMessageBox, QWidget

from console.export.service import ExportService
from tests.ui.conftest import save_artifact, when_modal
from ui.controller import AppController
from ui.printing import print_pdf
from ui.records import ExportDialog


def _temp_listing() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).iterdir()}


def test_print_renders_every_page_from_memory(
    qtbot, unlocked: AppController, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    services = unlocked.services
    assert services is not None
    client = services.clients.find("Alex")[0]
    pdf = ExportService(services.vault, services).client_chart(client.id)
    before = _temp_listing()
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printed = tmp_path / "printer-output.pdf"
    printer.setOutputFileName(str(printed))
    assert print_pdf(pdf, printer) == pdf.pages
    assert len(PdfReader(printed).pages) == pdf.pages
    assert _temp_listing() == before, "printing leaves no temporary file"


def test_export_chart_from_the_overview(qtbot, unlocked: AppController, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = unlocked.main_window
    assert window is not None
    target = tmp_path / "alex chart.pdf"

    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, ExportDialog)
        assert dialog.start is not None, "a chart offers a date range"
        dialog.path.setText(str(tmp_path / "missing-folder" / "x.pdf"))
        dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
        assert dialog.isVisible()
        assert "folder" in dialog.errors.text("path")
        dialog.path.setText(str(target))
        dialog.protect.setChecked(True)
        assert len(dialog.password.text()) >= 20, "a long password is suggested"
        save_artifact(dialog, "export-dialog.png")
        dialog.buttons.button(dialog.buttons.StandardButton.Save).click()

    when_modal(fill)
    window.overview.export_button.click()
    qtbot.waitUntil(target.exists, timeout=20_000)
    qtbot.waitUntil(
        lambda: any(
            isinstance(w, QMessageBox) and w.objectName() == "export_done"
            for w in window.findChildren(QMessageBox)
        ),
        timeout=5_000,
    )
    reader = PdfReader(target)
    assert reader.is_encrypted
    actions = [e.action for e in unlocked.services.recent_audit(5)]  # type: ignore[union-attr]
    assert "export" in actions
