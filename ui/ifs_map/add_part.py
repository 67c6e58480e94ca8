"""The small dialog that names a new part: the client's words are required, the kind is offered."""

from __future__ import annotations

import uuid

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from console.clinical import ifs as c
from console.errors import ValidationError
from ui.widgets import named


class AddPartDialog(QDialog):
    """Name (required) and kind of a new part."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Add part"))
        form = QFormLayout(self)
        self.name = named(QLineEdit(), "New part name", self.tr("In the client's words"))
        self.kind = named(QComboBox(), "New part kind")
        for key in c.PART_KINDS:
            self.kind.addItem(c.PART_KIND_LABELS[key], key)
        self.kind.setCurrentIndex(self.kind.findData("unknown"))
        self.error = named(QLabel(), "New part error")
        self.error.setStyleSheet("color: white; background: #b3261e; padding: 2px 6px;")
        self.error.setVisible(False)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._on_accepted)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.tr("&Name *"), self.name)
        form.addRow("", self.error)
        form.addRow(self.tr("&Kind"), self.kind)
        form.addRow(self.buttons)

    def _on_accepted(self) -> None:
        try:
            c.check_part(c.Part(uuid.uuid4(), self.name.text(), self.kind.currentData()))
        except ValidationError as exc:
            self.error.setText(exc.reason[:1].upper() + exc.reason[1:] + ".")
            self.error.setVisible(True)
            self.name.setFocus()
            return
        self.accept()
