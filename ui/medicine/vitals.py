"""The vitals timeline: an entry row (Enter adds), the reminder line, the table of readings.

Each reading may carry a sedation score (0-5, MOAA/S-like, "not rated" by default).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from PySide6.QtCore import QCoreApplication, QRegularExpression, Signal
from PySide6.QtGui import QColor, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console.clinical import medicine as m
from console.clinical import medicine_safety as safety
from console.services.medicine import Reading, ReadingFields
from ui.dates import show_time
from ui.medicine.common import (
    ID_ROLE,
    Clock,
    RemovableRows,
    error_label,
    from_qt,
    time_edit,
    to_qt,
)
from ui.widgets import named

FLAG_TINT = QColor(255, 179, 0, 70)  # translucent amber: reads on light and dark; text says it too
COLUMNS = ("Time", "Since dose", "BP", "HR", "SpO2", "RR", "Flags", "Sedation")
FLAGS_COLUMN, SEDATION_COLUMN = 6, 7


def _number_field(name: str, placeholder: str, width: int = 52) -> QLineEdit:
    field = named(QLineEdit(), name)
    field.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d{0,3}")))
    field.setPlaceholderText(placeholder)
    field.setMaximumWidth(width + 20)
    field.setMinimumWidth(width)
    return field


def _int(field: QLineEdit) -> int | None:
    text = field.text().strip()
    return int(text) if text else None


def sedation_box() -> QComboBox:
    """The 0-5 responsiveness score, "not rated" unless someone chose a score."""
    box = named(QComboBox(), "Sedation")
    box.addItem(QCoreApplication.translate("VitalsPanel", "not rated"), None)
    for score, label in safety.SEDATION_LEVELS:
        box.addItem(f"{score} · {label}", score)
    box.setMinimumContentsLength(14)
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    box.view().setMinimumWidth(box.view().sizeHintForColumn(0) + 24)
    return box


def sedation_text(score: int | None) -> str:
    """The score as data; below the alert line the text says so too, not only the tint."""
    if score is None:
        return "—"
    return f"⚠ {score}" if score < safety.SEDATION_ALERT_BELOW else str(score)


class VitalsPanel(RemovableRows, QGroupBox):
    add_requested = Signal()
    remove_requested = Signal(object)  # reading id

    def __init__(self, now: Clock, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Vitals"), parent)
        self.now = now
        self.time_touched = False
        self._build_fields(now)
        grid = self._build_grid()
        actions = self._build_actions()
        bottom = self._build_table()
        layout = QVBoxLayout(self)
        layout.addWidget(self.reminder)
        layout.addLayout(grid)
        layout.addLayout(actions)
        layout.addWidget(self.error)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self._connect()
        self._set_tab_order()

    def _build_fields(self, now: Clock) -> None:
        self.reminder = named(QLabel(), "Reading reminder")
        font = self.reminder.font()
        font.setBold(True)
        self.reminder.setFont(font)
        self.reminder.setWordWrap(True)
        self.systolic = _number_field("Systolic", "mmHg")
        self.diastolic = _number_field("Diastolic", "mmHg")
        self.heart_rate = _number_field("Heart rate", "/min")
        self.spo2 = _number_field("SpO2", "%")
        self.respiratory_rate = _number_field("Respiratory rate", "opt.")
        self.sedation = sedation_box()
        self.taken_at = time_edit("Reading time")
        self.taken_at.setDateTime(to_qt(now()))
        self.now_button = named(QPushButton(self.tr("Now")), "Reading time now")
        self.now_button.setAutoDefault(False)
        self.baseline = named(QCheckBox(self.tr("&Baseline (before dose)")), "Baseline reading")
        self.add_button = named(QPushButton(self.tr("&Add reading")), "Add reading")
        self.add_button.setAutoDefault(False)

    def _build_grid(self) -> QGridLayout:
        """Labels above their fields, so the row of numbers stays narrow."""
        grid = QGridLayout()
        grid.setHorizontalSpacing(6)
        for column, (text, field) in enumerate(
            (
                (self.tr("&Sys"), self.systolic),
                (self.tr("D&ia"), self.diastolic),
                (self.tr("&HR"), self.heart_rate),
                (self.tr("S&pO2"), self.spo2),
                (self.tr("&RR"), self.respiratory_rate),
            )
        ):
            label = QLabel(text)
            label.setBuddy(field)
            grid.addWidget(label, 0, column)
            grid.addWidget(field, 1, column)
        sedation_label = QLabel(self.tr("Sedatio&n (0–5)"))
        sedation_label.setBuddy(self.sedation)
        grid.addWidget(sedation_label, 0, 5)
        grid.addWidget(self.sedation, 1, 5)
        grid.setColumnStretch(5, 1)
        return grid

    def _build_actions(self) -> QHBoxLayout:
        actions = QHBoxLayout()
        taken = QLabel(self.tr("&Taken at"))
        taken.setBuddy(self.taken_at)
        actions.addWidget(taken)
        actions.addWidget(self.taken_at)
        actions.addWidget(self.now_button)
        actions.addWidget(self.baseline)
        actions.addStretch(1)
        actions.addWidget(self.add_button)
        return actions

    def _build_table(self) -> QHBoxLayout:
        """Returns the row beneath the table, so `__init__` lays the panel out in one place."""
        self.error = error_label("Reading error")
        self.table = named(QTableWidget(0, len(COLUMNS)), "Vitals readings")
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        for column in range(len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(FLAGS_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.moveSection(SEDATION_COLUMN, FLAGS_COLUMN)  # shown before Flags, which stays 6
        self.table.setMinimumHeight(96)
        self.table.setMaximumHeight(126)
        self.remove_button = named(QPushButton(self.tr("Remo&ve reading…")), "Remove reading")
        self.remove_button.setAutoDefault(False)
        self.remove_button.setEnabled(False)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.remove_button)
        return bottom

    def _connect(self) -> None:
        """Enter in any number field adds the reading, as the button does."""
        for field in self.entry_fields():
            field.returnPressed.connect(self.add_requested)
        self.add_button.clicked.connect(self.add_requested)
        self.now_button.clicked.connect(self._on_now_clicked)
        self.taken_at.dateTimeChanged.connect(self._on_time_edited)
        self.table.itemSelectionChanged.connect(
            lambda: self.remove_button.setEnabled(self.selected_id() is not None)
        )
        self.remove_button.clicked.connect(self._on_remove_clicked)

    def _set_tab_order(self) -> None:
        """The entry row in reading order, whatever order the layouts adopted the widgets."""
        QWidget.setTabOrder(self.systolic, self.diastolic)
        QWidget.setTabOrder(self.diastolic, self.heart_rate)
        QWidget.setTabOrder(self.heart_rate, self.spo2)
        QWidget.setTabOrder(self.spo2, self.respiratory_rate)
        QWidget.setTabOrder(self.respiratory_rate, self.sedation)
        QWidget.setTabOrder(self.sedation, self.taken_at.time)
        QWidget.setTabOrder(self.taken_at.time, self.taken_at.date)
        QWidget.setTabOrder(self.taken_at.date, self.now_button)
        QWidget.setTabOrder(self.now_button, self.baseline)
        QWidget.setTabOrder(self.baseline, self.add_button)

    def entry_fields(self) -> tuple[QLineEdit, ...]:
        return (self.systolic, self.diastolic, self.heart_rate, self.spo2, self.respiratory_rate)

    # -- the entry row ----------------------------------------------------
    def _on_now_clicked(self) -> None:
        self.follow_clock()

    def _on_time_edited(self) -> None:
        if not self._setting_time:
            self.time_touched = True

    _setting_time = False

    def follow_clock(self) -> None:
        """Show the clock's time, and take "now" when the reading is added."""
        self._setting_time = True
        self.taken_at.setDateTime(to_qt(self.now()))
        self._setting_time = False
        self.time_touched = False

    def reading_time(self) -> datetime:
        return from_qt(self.taken_at.dateTime()) if self.time_touched else self.now()

    def fields(self) -> ReadingFields:
        """What is typed, validated (naming the first wrong field); raises ValidationError."""
        vitals = m.validate_vitals(
            _int(self.systolic),
            _int(self.diastolic),
            _int(self.heart_rate),
            _int(self.spo2),
            _int(self.respiratory_rate),
        )
        return ReadingFields(
            taken_at=self.reading_time(),
            pre_dose=self.baseline.isChecked(),
            sedation=self.sedation.currentData(),
            systolic=round(vitals.systolic),
            diastolic=round(vitals.diastolic),
            heart_rate=round(vitals.heart_rate),
            spo2=round(vitals.spo2),
            respiratory_rate=None
            if vitals.respiratory_rate is None
            else round(vitals.respiratory_rate),
        )

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))

    def clear_entry(self) -> None:
        for field in self.entry_fields():
            field.clear()
        self.sedation.setCurrentIndex(0)
        self.baseline.setChecked(False)
        self.show_error("")
        self.follow_clock()
        self.systolic.setFocus()

    # -- the table --------------------------------------------------------
    def show_readings(self, readings: Sequence[Reading]) -> None:
        self.table.setRowCount(0)
        for reading in readings:
            row = self.table.rowCount()
            self.table.insertRow(row)
            since = (
                self.tr("baseline")
                if reading.pre_dose
                else ("—" if reading.minutes is None else f"{reading.minutes:.0f} min")
            )
            cells = (
                show_time(reading.taken_at),
                since,
                f"{reading.systolic}/{reading.diastolic}",
                str(reading.heart_rate),
                f"{reading.spo2} %",
                "—" if reading.respiratory_rate is None else str(reading.respiratory_rate),
                "; ".join(f"⚠ {f.message}" for f in reading.flags) or "—",
                sedation_text(reading.sedation),
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(ID_ROLE, reading.id)
                if reading.flags:
                    item.setBackground(FLAG_TINT)
                    item.setToolTip("; ".join(f.message for f in reading.flags))
                self.table.setItem(row, column, item)
            self._show_sedation(row, reading.sedation)
        self.table.resizeRowsToContents()
        self.remove_button.setEnabled(self.selected_id() is not None)

    def _show_sedation(self, row: int, score: int | None) -> None:
        item = self.table.item(row, SEDATION_COLUMN)
        if score is None or item is None:
            return
        item.setToolTip(f"{score}: {safety.SEDATION_LABELS[score]}")
        if score < safety.SEDATION_ALERT_BELOW:
            item.setBackground(FLAG_TINT)

    def show_reminder(self, state: m.ReminderState | None) -> None:
        self.reminder.setText(m.reminder_words(state, show_time))
