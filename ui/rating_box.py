"""A SUD/VOC box that takes a typed digit at once and submits on Enter.

A plain QSpinBox showing its special "not rated" text refuses a typed digit
(the text would become "—5"), so a therapist types a rating and nothing
happens. A wheel over it without focus scrolls the page (`ui.wheel_guard`).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import QSpinBox


class RatingBox(QSpinBox):
    """Its lowest position means "not rated" and shows a dash."""

    submitted = Signal()  # Enter pressed in the box

    def __init__(self, lo: int, hi: int) -> None:
        super().__init__()
        self.setRange(lo - 1, hi)
        self.setSpecialValueText("—")
        self.setValue(lo - 1)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def rating(self) -> int | None:
        return None if self.value() == self.minimum() else self.value()

    def set_rating(self, value: int | None) -> None:
        self.setValue(self.minimum() if value is None else value)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.selectAll()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.text().isdigit() and self.value() == self.minimum():
            self.selectAll()
        super().keyPressEvent(event)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.submitted.emit()
