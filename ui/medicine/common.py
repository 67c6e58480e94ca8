"""Small pieces the medicine view shares: times to and from Qt, an optional time field."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TypeVar

from PySide6.QtCore import QDateTime, Qt, Signal, SignalInstance
from PySide6.QtWidgets import (
    QCheckBox,
    QDateTimeEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QWidget,
)

from ui.widgets import FieldErrors, named

Clock = Callable[[], datetime]
ID_ROLE = Qt.ItemDataRole.UserRole
W = TypeVar("W", bound=QWidget)
TIME_FORMAT = "dd MMM yyyy HH:mm"


def system_clock() -> datetime:
    return datetime.now(UTC).astimezone()


def to_qt(moment: datetime) -> QDateTime:
    return QDateTime.fromMSecsSinceEpoch(round(moment.timestamp() * 1000))


def from_qt(value: QDateTime) -> datetime:
    return datetime.fromtimestamp(value.toMSecsSinceEpoch() / 1000, tz=UTC).astimezone()


def local_hm(moment: datetime) -> str:
    return moment.astimezone().strftime("%H:%M")


def time_edit(name: str) -> QDateTimeEdit:
    edit = named(QDateTimeEdit(), name)
    edit.setDisplayFormat(TIME_FORMAT)
    edit.setCalendarPopup(True)
    return edit


class TimeField(QWidget):
    """A time that may be unset: a check box, a date-time edit and a "Now" button.

    `value()` is None while unchecked; "Now" checks it and sets the clock's time.
    """

    changed = Signal()

    def __init__(self, name: str, check_text: str, now: Clock, parent: QWidget | None = None):
        super().__init__(parent)
        self.now = now
        self.check = named(QCheckBox(check_text), f"{name} recorded")
        self.edit = time_edit(name)
        self.now_button = named(QPushButton(self.tr("Now")), f"{name} now")
        self.now_button.setAutoDefault(False)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.check)
        row.addWidget(self.edit, 1)
        row.addWidget(self.now_button)
        self.edit.setDateTime(to_qt(now()))
        self.edit.setEnabled(False)
        self.check.toggled.connect(self._on_check_toggled)
        self.edit.dateTimeChanged.connect(lambda _v: self.changed.emit())
        self.now_button.clicked.connect(self._on_now_clicked)

    def _on_check_toggled(self, checked: bool) -> None:
        self.edit.setEnabled(checked)
        self.changed.emit()

    def _on_now_clicked(self) -> None:
        self.blockSignals(True)
        self.edit.setDateTime(to_qt(self.now()))
        self.check.setChecked(True)
        self.blockSignals(False)
        self.changed.emit()

    def value(self) -> datetime | None:
        return from_qt(self.edit.dateTime()) if self.check.isChecked() else None

    def set_value(self, moment: datetime | None) -> None:
        self.blockSignals(True)
        self.check.setChecked(moment is not None)
        self.edit.setEnabled(moment is not None)
        self.edit.setDateTime(to_qt(moment if moment is not None else self.now()))
        self.blockSignals(False)


def error_label(name: str) -> QLabel:
    """A message beside what it is about, hidden until there is one (never a pop-up)."""
    label = named(QLabel(), name)
    label.setWordWrap(True)
    label.setVisible(False)
    label.setStyleSheet("color: white; background: #b3261e; border-radius: 3px; padding: 3px 6px;")
    return label


def row(errors: FieldErrors, form: QFormLayout, label: str, field: str, widget: W) -> W:
    """`FieldErrors.add_row` that keeps the widget's own type."""
    errors.add_row(form, label, field, widget)
    return widget


class RemovableRows:
    """A table of records, each row carrying its record's id, with a "Remove…" button.

    Mixed into the vitals and adverse-event panels, which define `table`,
    `remove_button` and the `remove_requested` signal.
    """

    table: QTableWidget
    remove_button: QPushButton
    remove_requested: SignalInstance

    def selected_id(self) -> uuid.UUID | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.table.item(rows[0].row(), 0)
        return None if item is None else item.data(ID_ROLE)

    def _on_remove_clicked(self) -> None:
        record_id = self.selected_id()
        if record_id is not None:
            self.remove_requested.emit(record_id)
