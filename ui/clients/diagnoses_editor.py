"""A client's diagnoses in the client dialog: one row each, ICD-10 code and label, one primary.

Rows are numbered as the service's messages number them ("Diagnosis 2: …").
Tab leaves the table unless a cell is being edited, when it moves to the next
cell, so the table never traps the keyboard; arrows move between cells and
typing (or F2) edits. Space ticks the primary box.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console.services.clients import DiagnosisFields
from ui.widgets import named

CODE, LABEL, PRIMARY = range(3)
VISIBLE_ROWS = 3  # most clients have one to three; more scroll


class _CellDelegate(QStyledItemDelegate):
    """Names each cell editor for screen readers, with the row it is in."""

    def createEditor(
        self,
        parent: QWidget,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> QWidget:
        editor = super().createEditor(parent, option, index)
        number = index.row() + 1
        if isinstance(editor, QLineEdit):
            if index.column() == CODE:
                named(editor, f"Diagnosis {number} code", "ICD-10 code, for example F41.1")
                editor.setPlaceholderText("F41.1")
            else:
                named(editor, f"Diagnosis {number} label", "The diagnosis in words")
        return editor

    def setModelData(
        self,
        editor: QWidget,
        model: QAbstractItemModel,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        if isinstance(editor, QLineEdit):
            typed = editor.text().strip()
            model.setData(index, typed.upper() if index.column() == CODE else typed)
        else:
            super().setModelData(editor, model, index)


class DiagnosesEditor(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = self._make_table()
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self.setFocusProxy(self.table)

        self.add_button = named(QPushButton(self.tr("&Add diagnosis")), "Add diagnosis")
        self.remove_button = named(
            QPushButton(self.tr("Remo&ve diagnosis")),
            "Remove diagnosis",
            "Removes the diagnosis in the selected row",
        )
        self.add_button.setAutoDefault(False)
        self.remove_button.setAutoDefault(False)
        self.add_button.clicked.connect(self._on_add_clicked)
        self.remove_button.clicked.connect(self._on_remove_clicked)
        self.table.itemChanged.connect(self._on_table_item_changed)
        self.table.currentCellChanged.connect(lambda *_: self._update_buttons())

        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self._update_buttons()

    def _make_table(self) -> QTableWidget:
        """Edits by cell with the keyboard; Tab leaves the table instead of walking its cells."""
        table = named(
            QTableWidget(0, 3),
            "Diagnoses",
            "One row per diagnosis: ICD-10 code, label, and which one is primary",
        )
        table.setHorizontalHeaderLabels([self.tr("Code"), self.tr("Label"), self.tr("Primary")])
        table.setItemDelegate(_CellDelegate(table))
        table.setTabKeyNavigation(False)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.SelectedClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        table.setWordWrap(False)
        header = table.horizontalHeader()
        header.setSectionResizeMode(CODE, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(LABEL, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(PRIMARY, QHeaderView.ResizeMode.ResizeToContents)
        table.setColumnWidth(CODE, 96)
        rows = table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 10)
        # At least three rows; a dialog with room to spare gives it to this table, not to gaps.
        table.setMinimumHeight(
            header.sizeHint().height() + VISIBLE_ROWS * rows.defaultSectionSize() + 4
        )
        table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        return table

    # -- data ----------------------------------------------------------------
    def set_diagnoses(self, diagnoses: Sequence[DiagnosisFields]) -> None:
        self.table.setRowCount(0)
        for diagnosis in diagnoses:
            self._append(diagnosis)
        self._update_buttons()

    def diagnoses(self) -> tuple[DiagnosisFields, ...]:
        """Every row as typed, blank ones too, so the service can say which row is wrong."""
        return tuple(
            DiagnosisFields(
                code=self._text(row, CODE),
                label=self._text(row, LABEL),
                primary=self._primary_item(row).checkState() == Qt.CheckState.Checked,
            )
            for row in range(self.table.rowCount())
        )

    # -- handlers --------------------------------------------------------------
    def _on_add_clicked(self) -> None:
        none_primary = not any(d.primary for d in self.diagnoses())
        row = self._append(DiagnosisFields(primary=none_primary))
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        self.table.setCurrentCell(row, CODE)
        cell = self.table.item(row, CODE)
        if cell is not None:  # `_append` filled the row; None only narrows the type
            self.table.editItem(cell)

    def _on_remove_clicked(self) -> None:
        row = self.table.currentRow()
        if row < 0:
            return
        self.table.removeRow(row)
        if self.table.rowCount():
            self.table.setCurrentCell(min(row, self.table.rowCount() - 1), CODE)
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.add_button.setFocus(Qt.FocusReason.OtherFocusReason)
        self._update_buttons()

    def _on_table_item_changed(self, item: QTableWidgetItem) -> None:
        if item.column() == PRIMARY and item.checkState() == Qt.CheckState.Checked:
            self.table.blockSignals(True)
            for row in range(self.table.rowCount()):
                if row != item.row():
                    self._primary_item(row).setCheckState(Qt.CheckState.Unchecked)
            self.table.blockSignals(False)

    # -- helpers -------------------------------------------------------------
    def _append(self, diagnosis: DiagnosisFields) -> int:
        row = self.table.rowCount()
        self.table.blockSignals(True)
        self.table.insertRow(row)
        self.table.setItem(row, CODE, QTableWidgetItem(diagnosis.code))
        self.table.setItem(row, LABEL, QTableWidgetItem(diagnosis.label))
        primary = QTableWidgetItem()
        primary.setData(Qt.ItemDataRole.AccessibleTextRole, self.tr("Primary diagnosis"))
        primary.setFlags(
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsUserCheckable
        )
        primary.setCheckState(
            Qt.CheckState.Checked if diagnosis.primary else Qt.CheckState.Unchecked
        )
        primary.setToolTip(self.tr("The primary diagnosis (only one); Space ticks it"))
        self.table.setItem(row, PRIMARY, primary)
        self.table.blockSignals(False)
        return row

    def _primary_item(self, row: int) -> QTableWidgetItem:
        item = self.table.item(row, PRIMARY)
        assert item is not None
        return item

    def _text(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text() if item is not None else ""

    def _update_buttons(self) -> None:
        self.remove_button.setEnabled(self.table.currentRow() >= 0)
