"""Export and print records: choose what and where, render in the background, say what happened."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QWidget,
)

from console.config import Settings
from console.services.bundle import Services
from console.vault import Vault
from ui.clients.dialogs import ValidatingDialog, date_row, read_date
from ui.date_field import DateField
from ui.printing import print_pdf
from ui.widgets import named, report
from ui.workers import run_task

if TYPE_CHECKING:
    from console.export.document import RenderedPdf
    from console.export.service import ExportService


class ExportDialog(ValidatingDialog):
    """Where to, which dates (charts), psychotherapy notes or not, and an optional password."""

    def __init__(
        self,
        title: str,
        suggested: Path,
        chart: bool,
        offer_password: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(title, parent)
        host = QWidget()
        form = QFormLayout(host)
        self._add_file_row(form, suggested)
        self.start: DateField | None = None
        self.end: DateField | None = None
        if chart:
            self._add_date_rows(form)
        self.psychotherapy = named(
            QCheckBox(self.tr("Include psychotherapy notes (kept apart by default)")),
            "Include psychotherapy notes",
        )
        form.addRow("", self.psychotherapy)
        self._add_password_rows(form, offer_password)
        self.finish_layout(host)
        self.resize(560, 300)

    def _add_file_row(self, form: QFormLayout, suggested: Path) -> None:
        row = QHBoxLayout()
        self.path = named(QLineEdit(str(suggested)), "Export file")
        browse = named(QPushButton(self.tr("&Browse…")), "Choose export file")
        browse.clicked.connect(self._on_browse_clicked)
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        holder = QWidget()
        row.setContentsMargins(0, 0, 0, 0)
        holder.setLayout(row)
        self.errors.add_row(form, self.tr("&File"), "path", holder)

    def _add_date_rows(self, form: QFormLayout) -> None:
        """Only a chart spans dates; a session record is one day."""
        self.start = date_row(
            self.errors,
            form,
            self.tr("F&rom"),
            "start",
            DateField("From date", empty_text=self.tr("From the first session")),
        )
        self.end = date_row(
            self.errors,
            form,
            self.tr("&To"),
            "end",
            DateField("To date", empty_text=self.tr("To the latest session")),
        )

    def _add_password_rows(self, form: QFormLayout, offer_password: bool) -> None:
        self.protect = named(QCheckBox(self.tr("Protect with a &password")), "Password protect")
        self.password = named(QLineEdit(), "PDF password")
        self.password.setEnabled(False)
        suggest = named(QPushButton(self.tr("&Suggest")), "Suggest a password")
        suggest.clicked.connect(lambda: self.password.setText(_suggested_password()))
        prow = QHBoxLayout()
        prow.setContentsMargins(0, 0, 0, 0)
        prow.addWidget(self.password, 1)
        prow.addWidget(suggest)
        pholder = QWidget()
        pholder.setLayout(prow)
        form.addRow("", self.protect)
        self.errors.add_row(form, self.tr("Pass&word"), "password", pholder)
        self.protect.toggled.connect(self.password.setEnabled)
        self.protect.toggled.connect(
            lambda on: (
                self.password.setText(_suggested_password())
                if on and not self.password.text()
                else None
            )
        )
        self.protect.setChecked(offer_password)

    def _on_browse_clicked(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export as PDF"), self.path.text(), self.tr("PDF files (*.pdf)")
        )
        if chosen:
            self.path.setText(chosen if chosen.lower().endswith(".pdf") else chosen + ".pdf")

    def save(self) -> Path:
        from console.errors import ValidationError

        text = self.path.text().strip()
        if not text:
            raise ValidationError("path", "choose where to save the PDF")
        target = Path(text).expanduser()
        if not target.parent.is_dir():
            raise ValidationError("path", "that folder does not exist")
        if self.protect.isChecked() and len(self.password.text()) < 8:
            raise ValidationError("password", "use at least 8 characters")
        if self.start is not None and self.end is not None:
            start, end = read_date(self.start, "start"), read_date(self.end, "end")
            if start and end and end < start:
                raise ValidationError("end", "cannot be before the start date")
        return target

    def target(self) -> Path:
        """Where the accepted dialog's Save said to write."""
        if not isinstance(self.result_record, Path):
            raise RuntimeError("no export target before the dialog is accepted")
        return self.result_record

    def range(self) -> tuple[date | None, date | None]:
        if self.start is None or self.end is None:
            return None, None
        return read_date(self.start, "start"), read_date(self.end, "end")


def _busy(parent: QWidget, text: str) -> QProgressDialog:
    progress = QProgressDialog(text, "", 0, 0, parent)
    progress.setCancelButton(None)
    progress.setMinimumDuration(300)
    progress.setWindowTitle(parent.tr("Please wait"))
    progress.setObjectName("records_progress")
    return progress


def _safe_stem(text: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in text).strip("-") or "record"


def _suggested_password() -> str:
    from console.export.encryption import suggest_password

    return suggest_password()


class RecordsActions:
    """What the File menu's Export and Print do, for one unlocked vault."""

    def __init__(self, services: Services, settings: Settings) -> None:
        self.services = services
        self.settings = settings
        self._export: ExportService | None = None
        self.last_written: Path | None = None

    @property
    def export(self) -> ExportService:
        """Built on first use: reportlab is not needed until something is exported."""
        if self._export is None:
            from console.export.service import ExportService

            self._export = ExportService(self.services.vault, self.services)
        return self._export

    def _ask(self, parent: QWidget, title: str, stem: str, chart: bool) -> ExportDialog | None:
        folder = Path.home() / "Documents"
        suggested = (folder if folder.is_dir() else Path.home()) / f"{_safe_stem(stem)}.pdf"
        dialog = ExportDialog(
            title, suggested, chart, self.settings.get("pdf_password_default"), parent
        )
        return dialog if dialog.exec() == QDialog.DialogCode.Accepted else None

    def export_session(self, parent: QWidget, session_id: uuid.UUID) -> None:
        session = self.services.sessions.get(session_id)
        stem = f"session-{session.starts_at.astimezone():%Y-%m-%d}-{session.kind.value}"
        dialog = self._ask(parent, parent.tr("Export session record"), stem, chart=False)
        if dialog is None:
            return
        target, password = dialog.target(), self._password(dialog)
        include = dialog.psychotherapy.isChecked()
        self._run(
            parent,
            lambda: self.export.export_session(session_id, target, password, include),
            target,
        )

    def export_chart(self, parent: QWidget, client_id: uuid.UUID) -> None:
        dialog = self._ask(parent, parent.tr("Export client chart"), "client-chart", chart=True)
        if dialog is None:
            return
        target, password = dialog.target(), self._password(dialog)
        start, end = dialog.range()
        include = dialog.psychotherapy.isChecked()
        self._run(
            parent,
            lambda: self.export.export_client(client_id, target, start, end, include, password),
            target,
        )

    @staticmethod
    def _password(dialog: ExportDialog) -> str | None:
        return dialog.password.text() if dialog.protect.isChecked() else None

    def _run(self, parent: QWidget, work: Callable[[], int], target: Path) -> None:
        progress = _busy(parent, parent.tr("Preparing the PDF…"))

        def done(pages: int) -> None:
            progress.close()
            self.last_written = target
            box = QMessageBox(
                QMessageBox.Icon.Information,
                parent.tr("Exported"),
                parent.tr("Saved %n page(s) to %1.", "", pages).replace("%1", str(target)),
                QMessageBox.StandardButton.Ok,
                parent,
            )
            open_button = box.addButton(
                parent.tr("&Open the PDF"), QMessageBox.ButtonRole.ActionRole
            )
            box.setObjectName("export_done")
            box.buttonClicked.connect(
                lambda button: (
                    QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))
                    if button is open_button
                    else None
                )
            )
            box.open()

        def failed(error: BaseException) -> None:
            progress.close()
            report(parent, parent.tr("Export"), error)

        run_task(work, done, failed)

    def print_current(
        self, parent: QWidget, session_id: uuid.UUID | None, client_id: uuid.UUID | None
    ) -> None:
        """Print the open session's record, or else the selected client's chart."""
        if session_id is not None:
            render = lambda: self.export.session_record(session_id)  # noqa: E731
        elif client_id is not None:
            render = lambda: self.export.client_chart(client_id)  # noqa: E731
        else:
            QMessageBox.information(
                parent, parent.tr("Print"), parent.tr("Open a session or choose a client to print.")
            )
            return
        progress = _busy(parent, parent.tr("Preparing the record for printing…"))

        def ready(pdf: RenderedPdf) -> None:
            progress.close()
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            dialog = QPrintDialog(printer, parent)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            try:
                print_pdf(pdf, printer)
            except RuntimeError as exc:
                report(parent, parent.tr("Print"), exc)
                return
            self.export.record_print(pdf)

        def failed(error: BaseException) -> None:
            progress.close()
            report(parent, parent.tr("Print"), error)

        run_task(render, ready, failed)


def print_emergency_sheet(parent: QWidget | None, code: str, vault: Vault) -> None:
    """From the set-up wizard: print the sheet, or save it as a PDF if no printer is at hand.

    Rendering checks the code with a key derivation (~0.4 s), so it runs in the
    background; the print and save dialogs follow on the GUI thread.
    """
    from console.export.service import ExportService

    export = ExportService(vault, Services(vault))

    def rendered(pdf: RenderedPdf) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, parent)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            print_pdf(pdf, printer)
            export.record_print(pdf)
            return
        path, _ = QFileDialog.getSaveFileName(
            parent,
            "Save the emergency-access sheet as PDF",
            str(Path.home() / "session-console-emergency-access.pdf"),
            "PDF files (*.pdf)",
        )
        if path:
            run_task(lambda: export.export_emergency_sheet(code, path), None, failed)

    def failed(error: BaseException) -> None:
        report(parent, "Emergency-access sheet", error)

    run_task(lambda: export.emergency_sheet(code), rendered, failed)
