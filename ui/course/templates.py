"""The clinic's program templates: a list on the left, the chosen one's steps on the right."""

from __future__ import annotations

import re
import uuid

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console.clinical import course as c
from console.errors import ConsoleError, ValidationError
from console.services.bundle import Services
from console.services.changes import Action, Changes, Initiator, Kind, initiated_by
from console.services.course import TemplateRecord
from ui.changes import ChangeBridge
from ui.widgets import FieldErrors, named

ID_ROLE = Qt.ItemDataRole.UserRole
KIND_LABELS = {kind: kind.capitalize() for kind in c.STEP_KINDS}
COURSE_KIND_LABELS = {kind: kind.capitalize() for kind in c.COURSE_KINDS}
_STEP_FIELD = re.compile(r"^Step (\d+)$")


class _Errors(FieldErrors):
    """ "Step 3: …" from the rules shows by the steps table."""

    def show(self, error: ValidationError) -> bool:
        if _STEP_FIELD.match(error.field):
            error = ValidationError("Steps", f"{error.field.lower()}: {error.reason}")
        return super().show(error)


class TemplateEditor(QDialog):
    def __init__(
        self, services: Services, changes: ChangeBridge, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Program templates"))
        self.services = services
        self._token = Initiator("template editor")
        self.current_id: uuid.UUID | None = None
        self.errors = _Errors()
        columns = QHBoxLayout()
        columns.addLayout(self._build_list(), 2)
        columns.addLayout(self._build_form(), 5)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addWidget(close)

        self.list.currentItemChanged.connect(self._on_list_current_changed)
        self.new_button.clicked.connect(self.new_template)
        self.archive_button.clicked.connect(self.archive)
        self.add_step_button.clicked.connect(lambda: self.add_step())
        self.remove_step_button.clicked.connect(self.remove_step)
        self.save_button.clicked.connect(self.save)
        changes.changed.connect(self._on_changed)
        self.reload()
        self.resize(1000, 620)

    def _build_list(self) -> QVBoxLayout:
        self.list = named(QListWidget(), "Templates", "The clinic's program templates")
        self.list.setWordWrap(True)
        self.list.setSpacing(4)
        self.new_button = named(QPushButton(self.tr("&New")), "New template")
        self.archive_button = named(
            QPushButton(self.tr("&Archive")),
            "Archive template",
            "Archived templates are no longer offered; programs laid out from them keep them",
        )
        left = QVBoxLayout()
        left.addWidget(self.list, 1)
        row = QHBoxLayout()
        row.addWidget(self.new_button)
        row.addWidget(self.archive_button)
        left.addLayout(row)
        return left

    def _build_form(self) -> QVBoxLayout:
        """The template's name, kind and steps, and its Save button."""
        host = QWidget()
        form = QFormLayout(host)
        self.name = self.errors.add_row(
            form, self.tr("&Name *"), "Template name", named(QLineEdit(), "Template name")
        )
        self.kind = named(QComboBox(), "Course kind")
        for key, label in COURSE_KIND_LABELS.items():
            self.kind.addItem(label, key)
        self.errors.add_row(form, self.tr("&Kind"), "Course kind", self.kind)
        self.steps = named(
            QTableWidget(0, 3), "Template steps", "Day from the course's first day, kind, title"
        )
        self.steps.setHorizontalHeaderLabels([self.tr("Day"), self.tr("Kind"), self.tr("Title")])
        header = self.steps.horizontalHeader()
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.steps.setColumnWidth(0, 90)
        self.steps.setColumnWidth(1, 140)
        self.steps.setMinimumHeight(260)
        self.steps.setTabKeyNavigation(False)
        self.errors.add_row(form, self.tr("&Steps"), "Steps", self.steps)
        step_buttons = QHBoxLayout()
        self.add_step_button = named(QPushButton(self.tr("Add s&tep")), "Add step")
        self.remove_step_button = named(QPushButton(self.tr("&Remove step")), "Remove step")
        step_buttons.addWidget(self.add_step_button)
        step_buttons.addWidget(self.remove_step_button)
        step_buttons.addStretch(1)
        form.addRow("", _wrap(step_buttons))
        self.summary = named(QLabel(), "Template summary")
        self.summary.setWordWrap(True)
        form.addRow("", self.summary)
        self.general = named(QLabel(), "Template error")
        self.general.setWordWrap(True)
        self.general.setVisible(False)
        self.save_button = named(QPushButton(self.tr("&Save template")), "Save template")
        self.save_button.setDefault(True)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(host)
        right = QVBoxLayout()
        right.addWidget(scroll, 1)
        right.addWidget(self.general)
        save_row = QHBoxLayout()
        save_row.addStretch(1)
        save_row.addWidget(self.save_button)
        right.addLayout(save_row)
        return right

    # -- list -------------------------------------------------------------------------

    def _on_changed(self, changes: Changes) -> None:
        """Show the saved template after this editor's own save, else keep the one shown."""
        if not changes.touches(Kind.PROGRAM_TEMPLATE):
            return
        own = changes.initiator is self._token and changes.action is Action.CREATED
        self.reload(next(iter(changes.records)) if own else self.current_id)

    def reload(self, select: uuid.UUID | None = None) -> None:
        self.records = {r.id: r for r in self.services.course.templates()}
        self.list.blockSignals(True)
        self.list.clear()
        for record in self.records.values():
            item = QListWidgetItem(f"{record.name}\n{record.template.summary}")
            item.setData(ID_ROLE, record.id)
            self.list.addItem(item)
        self.list.blockSignals(False)
        target = select if select in self.records else next(iter(self.records), None)
        for row in range(self.list.count()):
            if self.list.item(row).data(ID_ROLE) == target:
                self.list.setCurrentRow(row)
                break
        else:
            self.new_template()
        self.archive_button.setEnabled(self.current_id is not None)

    def _on_list_current_changed(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        record = self.records.get(item.data(ID_ROLE))
        if record is not None:
            self.show_template(record)

    def show_template(self, record: TemplateRecord | None) -> None:
        self.errors.clear()
        self.general.setVisible(False)
        self.current_id = record.id if record else None
        template = record.template if record else c.Template("", "intensive", ())
        self.name.setText(template.name)
        self.kind.setCurrentIndex(max(0, self.kind.findData(template.kind)))
        self.steps.setRowCount(0)
        for step in template.steps:
            self.add_step(step)
        self.summary.setText(template.summary if template.steps else "")
        self.archive_button.setEnabled(record is not None)

    def new_template(self) -> None:
        self.list.clearSelection()
        self.show_template(None)
        self.name.setFocus()

    # -- steps -----------------------------------------------------------------------

    def add_step(self, step: c.Step | None = None) -> int:
        if step is None:
            last = self._step(self.steps.rowCount() - 1) if self.steps.rowCount() else None
            step = c.Step(last.day + 7 if last else 0, last.kind if last else "integration", "")
        row = self.steps.rowCount()
        self.steps.insertRow(row)
        day = named(QSpinBox(), f"Step {row + 1} day")
        day.setRange(0, c.MAX_DAY)
        day.setValue(step.day)
        kind = named(QComboBox(), f"Step {row + 1} kind")
        for key, label in KIND_LABELS.items():
            kind.addItem(label, key)
        kind.setCurrentIndex(max(0, kind.findData(step.kind)))
        self.steps.setCellWidget(row, 0, day)
        self.steps.setCellWidget(row, 1, kind)
        self.steps.setItem(row, 2, QTableWidgetItem(step.title))
        self.steps.setCurrentCell(row, 2)
        return row

    def remove_step(self) -> None:
        row = self.steps.currentRow()
        if row >= 0:
            self.steps.removeRow(row)

    def _step(self, row: int) -> c.Step:
        day = self.steps.cellWidget(row, 0)
        kind = self.steps.cellWidget(row, 1)
        title = self.steps.item(row, 2)
        assert isinstance(day, QSpinBox) and isinstance(kind, QComboBox)
        return c.Step(day.value(), str(kind.currentData()), title.text() if title else "")

    def template(self) -> c.Template:
        steps = tuple(self._step(row) for row in range(self.steps.rowCount()))
        return c.Template(self.name.text(), str(self.kind.currentData()), steps)

    # -- saving ------------------------------------------------------------------------

    def save(self) -> TemplateRecord | None:
        self.errors.clear()
        self.general.setVisible(False)
        try:
            with initiated_by(self._token):
                record = self.services.course.save_template(self.template(), self.current_id)
        except ValidationError as exc:
            if not self.errors.show(exc):
                self._general(exc.message)
            return None
        except ConsoleError as exc:
            self._general(exc.message)
            return None
        return record

    def archive(self) -> None:
        if self.current_id is None:
            return
        try:
            self.services.course.remove_template(self.current_id)
        except ConsoleError as exc:
            self._general(exc.message)

    def _general(self, text: str) -> None:
        self.general.setText(text)
        self.general.setVisible(True)


def _wrap(layout: QHBoxLayout) -> QWidget:
    host = QWidget()
    layout.setContentsMargins(0, 0, 0, 0)
    host.setLayout(layout)
    return host
