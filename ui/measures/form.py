"""One questionnaire as radio buttons (or a clinician's total), shared by both views.

The same form serves the clinician in the Measures tab and the client on
their own screen, so what the client answers is exactly what gets scored.
It shows questions only: scores and flags are the caller's to show, or not.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QLabel,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from console.clinical import measures as m
from ui.widgets import named


class MeasureForm(QWidget):
    """Title, instructions and items of one measure; `changed` fires on every answer."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.measure: m.Measure | None = None
        self.groups: list[QButtonGroup] = []
        self.total: QSpinBox | None = None
        self.title = named(QLabel(), "Measure title")
        self.title.setWordWrap(True)
        self.host = QWidget()
        self.grid = QGridLayout(self.host)
        self.scroll_area = QScrollArea()  # not `scroll`: that is QWidget.scroll()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setWidget(self.host)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.scroll_area, 1)

    def set_measure(self, measure: m.Measure) -> None:
        """Lay out the measure's items afresh, every answer cleared."""
        while self.grid.count():
            cell = self.grid.takeAt(0)
            widget = cell.widget() if cell is not None else None
            if widget is not None:
                widget.hide()  # at once: deletion waits for the event loop
                widget.deleteLater()
        self.groups.clear()
        self.total = None
        self.measure = measure
        self.title.setText(f"<b>{measure.title}</b><br>{measure.instructions}")
        if measure.total_only:
            self.total = named(QSpinBox(), f"{measure.name} total")
            self.total.setRange(measure.lo, measure.hi)
            self.grid.addWidget(
                QLabel(
                    self.tr("Total (%1–%2), entered by the clinician")
                    .replace("%1", str(measure.lo))
                    .replace("%2", str(measure.hi))
                ),
                0,
                0,
            )
            self.grid.addWidget(self.total, 0, 1)
            self.total.valueChanged.connect(lambda _v: self.changed.emit())
        for row, item in enumerate(measure.items):
            text = QLabel(f"{item.number}. {item.text}")
            text.setWordWrap(True)
            self.grid.addWidget(text, row * 2, 0, 1, 6)
            group = QButtonGroup(self)
            group.setExclusive(True)
            for column, option in enumerate(measure.item_options(item)):
                button = named(QRadioButton(option.label), f"Item {item.number}: {option.label}")
                group.addButton(button, option.value)
                self.grid.addWidget(button, row * 2 + 1, column)
            group.idToggled.connect(lambda *_: self.changed.emit())
            self.groups.append(group)
        self.changed.emit()

    def answers(self) -> list[int | None]:
        return [g.checkedId() if g.checkedId() >= 0 else None for g in self.groups]

    def unanswered(self) -> int:
        return sum(1 for a in self.answers() if a is None)

    def first_button(self) -> QRadioButton | None:
        """Where the keyboard starts: the first answer of the first item."""
        if not self.groups:
            return None
        button = self.groups[0].buttons()[0]
        return button if isinstance(button, QRadioButton) else None
