"""Adverse events: kind (or other, described), time, severity, action and medication, outcome."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console.clinical import medicine as m
from console.services.medicine import Event, EventFields
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

COLUMNS = ("Time", "Event", "Severity", "Action / medication", "Outcome")


class EventsPanel(RemovableRows, QGroupBox):
    add_requested = Signal()
    remove_requested = Signal(object)  # event id

    def __init__(self, now: Clock, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Adverse events"), parent)
        self.now = now
        form = self._build_form()
        bottom = self._build_table()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self.follow_clock()
        self._connect()

    def _build_form(self) -> QFormLayout:
        form = QFormLayout()
        self.kind = named(QComboBox(), "Adverse event kind")
        for item in m.ADVERSE_EVENT_KINDS:
            self.kind.addItem(item.label, item.key)
        self.description = named(QLineEdit(), "Adverse event description")
        self.description.setPlaceholderText(self.tr("Describe it (required for Other)"))
        kind_row = QHBoxLayout()
        kind_row.addWidget(self.kind)
        kind_row.addWidget(self.description, 1)
        form.addRow(self.tr("E&vent"), kind_row)
        self.occurred_at = time_edit("Adverse event time")
        self.now_button = named(QPushButton(self.tr("Now")), "Adverse event time now")
        self.now_button.setAutoDefault(False)
        self.severity = named(QComboBox(), "Severity")
        for key in m.SEVERITIES:
            self.severity.addItem(m.SEVERITY_LABELS[key], key)
        time_row = QHBoxLayout()
        time_row.addWidget(self.occurred_at, 1)
        time_row.addWidget(self.now_button)
        form.addRow(self.tr("Ti&me"), time_row)
        form.addRow(self.tr("Se&verity"), self.severity)
        self.action = named(QLineEdit(), "Action taken")
        self.action.setPlaceholderText(self.tr("e.g. reassurance, dose paused"))
        self.medication = named(QLineEdit(), "Medication given")
        self.medication.setPlaceholderText(self.tr("e.g. ondansetron 4 mg"))
        form.addRow(self.tr("Action ta&ken"), self.action)
        form.addRow(self.tr("Medication &given"), self.medication)
        self.outcome = named(QComboBox(), "Outcome")
        for item in m.OUTCOMES:
            self.outcome.addItem(item.label, item.key)
        self.add_button = named(QPushButton(self.tr("Add &event")), "Add adverse event")
        self.add_button.setAutoDefault(False)
        out_row = QHBoxLayout()
        out_row.addWidget(self.outcome, 1)
        out_row.addWidget(self.add_button)
        form.addRow(self.tr("O&utcome"), out_row)
        return form

    def _build_table(self) -> QHBoxLayout:
        """Returns the row beneath the table, so `__init__` lays the panel out in one place."""
        self.error = error_label("Adverse event error")
        self.table = named(QTableWidget(0, len(COLUMNS)), "Adverse events")
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        for column in (0, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        for column in (1, 3, 4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(90)
        self.table.setMaximumHeight(180)
        self.remove_button = named(QPushButton(self.tr("Remove eve&nt…")), "Remove adverse event")
        self.remove_button.setAutoDefault(False)
        self.remove_button.setEnabled(False)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.remove_button)
        return bottom

    def _connect(self) -> None:
        """Enter in any text line adds the event, as the button does."""
        self.add_button.clicked.connect(self.add_requested)
        for line in (self.description, self.action, self.medication):
            line.returnPressed.connect(self.add_requested)
        self.now_button.clicked.connect(self.follow_clock)
        self.table.itemSelectionChanged.connect(
            lambda: self.remove_button.setEnabled(self.selected_id() is not None)
        )
        self.remove_button.clicked.connect(self._on_remove_clicked)

    def follow_clock(self) -> None:
        self.occurred_at.setDateTime(to_qt(self.now()))

    def fields(self) -> EventFields:
        return EventFields(
            kind=self.kind.currentData(),
            occurred_at=from_qt(self.occurred_at.dateTime()),
            severity=self.severity.currentData(),
            outcome=self.outcome.currentData(),
            description=self.description.text(),
            action=self.action.text(),
            medication_given=self.medication.text(),
        )

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))

    def clear_entry(self) -> None:
        self.kind.setCurrentIndex(0)
        for line in (self.description, self.action, self.medication):
            line.clear()
        self.severity.setCurrentIndex(0)
        self.outcome.setCurrentIndex(0)
        self.show_error("")
        self.follow_clock()

    def show_events(self, events: Sequence[Event]) -> None:
        self.table.setRowCount(0)
        for event in events:
            row = self.table.rowCount()
            self.table.insertRow(row)
            what = m.ADVERSE_EVENT_LABELS[event.kind]
            if event.description:
                what += f": {event.description}"
            action = "; ".join(x for x in (event.action, event.medication_given) if x) or "—"
            cells = (
                show_time(event.occurred_at),
                what,
                event.severity.capitalize(),
                action,
                m.OUTCOME_LABELS[event.outcome],
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(ID_ROLE, event.id)
                item.setToolTip(text)
                self.table.setItem(row, column, item)
        self.table.resizeRowsToContents()
        self.remove_button.setEnabled(self.selected_id() is not None)
