"""Small pieces the medicine view shares: times to and from Qt, typed times, an optional time."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TypeVar

from PySide6.QtCore import QDateTime, Qt, QTime, Signal, SignalInstance
from PySide6.QtWidgets import (
    QCheckBox,
    QDateTimeEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ui.date_field import SectionEdit
from ui.dates import date_format, time_format
from ui.widgets import FieldErrors, named

Clock = Callable[[], datetime]
ID_ROLE = Qt.ItemDataRole.UserRole
W = TypeVar("W", bound=QWidget)


def system_clock() -> datetime:
    return datetime.now(UTC).astimezone()


def to_qt(moment: datetime) -> QDateTime:
    return QDateTime.fromMSecsSinceEpoch(round(moment.timestamp() * 1000))


def from_qt(value: QDateTime) -> datetime:
    return datetime.fromtimestamp(value.toMSecsSinceEpoch() / 1000, tz=UTC).astimezone()


class DateTimeField(QWidget):
    """A time and its date, typed in two edits in the user's locale (the time first).

    It offers QDateTimeEdit's `dateTime()`, `setDateTime()` and `dateTimeChanged`,
    so it stands where one stood.
    """

    dateTimeChanged = Signal(QDateTime)

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.time = SectionEdit(name, time_format())
        self.date = SectionEdit(f"{name} date", date_format())
        self.date.setCalendarPopup(True)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        row.addWidget(self.time)
        row.addWidget(self.date)
        row.addStretch(1)
        self.setFocusProxy(self.time)
        QWidget.setTabOrder(self.time, self.date)
        self.time.timeChanged.connect(self._on_part_changed)
        self.date.dateChanged.connect(self._on_part_changed)

    def dateTime(self) -> QDateTime:
        return QDateTime(self.date.date(), self.time.time())

    def setDateTime(self, value: QDateTime) -> None:
        before = self.dateTime()
        local = value.toLocalTime()
        for edit in (self.time, self.date):
            edit.blockSignals(True)
        self.time.setTime(self._shown(local.time()))
        self.date.setDate(local.date())
        for edit in (self.time, self.date):
            edit.blockSignals(False)
        if self.dateTime() != before:
            self.dateTimeChanged.emit(self.dateTime())

    def _shown(self, time: QTime) -> QTime:
        """The time to the precision on screen: a typed 14:30 is 14:30:00, not 14:30:36."""
        if self.time.displayedSections() & QDateTimeEdit.Section.SecondSection:
            return QTime(time.hour(), time.minute(), time.second())
        return QTime(time.hour(), time.minute())

    def _on_part_changed(self) -> None:
        self.dateTimeChanged.emit(self.dateTime())


def time_edit(name: str) -> DateTimeField:
    """A moment to type: its time (named `name`) and its date, in the user's locale."""
    return DateTimeField(name)


class TimeField(QWidget):
    """A time that may be unset: a check box, and below it the time, the date and "Now".

    `value()` is None while unchecked; "Now" checks it and sets the clock's time.
    Two lines, so the time and date keep their width in a narrow form column.
    """

    changed = Signal()

    def __init__(self, name: str, check_text: str, now: Clock, parent: QWidget | None = None):
        super().__init__(parent)
        self.now = now
        self.check = named(QCheckBox(check_text), f"{name} recorded")
        self.edit = time_edit(name)
        self.now_button = named(QToolButton(), f"{name} now")
        self.now_button.setText(self.tr("Now"))
        moment = QHBoxLayout()
        moment.addWidget(self.edit, 1)
        moment.addWidget(self.now_button)
        lines = QVBoxLayout(self)
        lines.setContentsMargins(0, 0, 0, 0)
        lines.setSpacing(2)
        lines.addWidget(self.check)
        lines.addLayout(moment)
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
