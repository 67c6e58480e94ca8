"""The questionnaire as the client sees it, filling the clinician's screen.

"Client, on this screen" means the laptop is turned to the client: this
window covers the console (the caseload, other records, earlier scores) and
shows the questions only. No score, band or risk flag appears here; they wait
for the clinician, who gets the screen back when the client presses Done.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from console.clinical import measures as m
from console.errors import ConsoleError
from console.services.measures import MeasureRecord
from ui.measures.form import MeasureForm
from ui.widgets import named, report

Submit = Callable[[list[int | None]], MeasureRecord]


class ClientMeasureWindow(QWidget):
    """One measure for the client; `handed_back` carries the saved record (None: nothing saved)."""

    handed_back = Signal(object)

    def __init__(self, measure: m.Measure, submit: Submit, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.submit = submit
        self.setWindowTitle(measure.name)
        named(self, "Client questionnaire")
        font = self.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        self.setFont(font)
        self.form = MeasureForm()
        self.form.set_measure(measure)
        note = QLabel(
            self.tr(
                "Choose the answer that fits you best for each question. When you have "
                "finished, press Done to hand the screen back to your clinician."
            )
        )
        note.setWordWrap(True)
        self.done = named(
            QPushButton(self.tr("&Done — hand back to my clinician")), "Done, hand back"
        )
        self.done.setAutoDefault(False)
        bottom = QHBoxLayout()
        bottom.addWidget(note, 1)
        bottom.addWidget(self.done)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 32, 48, 32)
        layout.addWidget(self.form, 1)
        layout.addLayout(bottom)
        self.done.clicked.connect(self._on_done_clicked)

    def show_on(self, screen_of: QWidget) -> None:
        """Fill the screen the console is on (the one turned to the client)."""
        screen = screen_of.screen()
        if screen is not None:
            self.setScreen(screen)
            self.setGeometry(screen.geometry())
        self.showFullScreen()  # a new window: shown on top
        self.activateWindow()
        first = self.form.first_button()
        (first or self.done).setFocus()

    def visible_text(self) -> list[str]:
        """Every label and button text the client can see (what the tests check)."""
        return [
            widget.text()
            for widget in self.findChildren(QWidget)
            if isinstance(widget, QLabel | QAbstractButton) and widget.isVisibleTo(self)
        ]

    def _on_done_clicked(self) -> None:
        answers = self.form.answers()
        missing = self.form.unanswered()
        if missing == len(answers):
            question = self.tr("Nothing is answered yet. Hand the screen back without saving?")
        elif missing:
            question = self.tr(
                "%n question(s) not answered. Hand the screen back anyway?", "", missing
            )
        else:
            question = ""
        if question:
            sure = QMessageBox.question(
                self,
                self.tr("Hand back"),
                question,
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if sure != QMessageBox.StandardButton.Yes:
                return
        record = None
        if missing < len(answers):
            try:
                record = self.submit(answers)
            except ConsoleError as exc:
                report(self, self.tr("Hand back"), exc)
                return
        self.close()
        self.handed_back.emit(record)
