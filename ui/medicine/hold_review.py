"""The prescriber's review that lets a first dose follow a hold-level pre-dose reading."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ui.medicine.common import error_label
from ui.widgets import named


class HoldReviewDialog(QDialog):
    """Who reviewed and why; both are required, and nothing typed is lost on a refusal."""

    def __init__(self, prescriber: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Prescriber review"))
        intro = QLabel(
            self.tr(
                "The latest pre-dose blood pressure is at the hold level. Repeat the reading, "
                "or record the prescriber's review to let the dose go ahead."
            )
        )
        intro.setWordWrap(True)
        self.prescriber_edit = named(QLineEdit(prescriber), "Prescriber")
        self.reason_edit = named(QPlainTextEdit(), "Review reason")
        self.reason_edit.setTabChangesFocus(True)
        self.reason_edit.setMinimumHeight(90)
        self.error = error_label("Review error")
        form = QFormLayout()
        form.addRow(self.tr("&Prescriber"), self.prescriber_edit)
        form.addRow(self.tr("&Reason"), self.reason_edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._on_save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(460, 260)

    def prescriber(self) -> str:
        return self.prescriber_edit.text().strip()

    def reason(self) -> str:
        return self.reason_edit.toPlainText().strip()

    def _on_save(self) -> None:
        if not self.prescriber() or not self.reason():
            self.error.setText(self.tr("Give the prescriber's name and the reason for the review."))
            self.error.setVisible(True)
            return
        self.accept()
