"""The caseload: every client, filtered as you type, by status, sorted as chosen."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console.services.bundle import Services
from console.services.changes import Action, Changes, Kind
from console.vocabulary import ClientStatus
from ui.changes import ChangeBridge
from ui.widgets import named, with_clear_button

ID_ROLE = Qt.ItemDataRole.UserRole


def caseload_shows(changes: Changes) -> bool:
    """Whether a change can alter which clients are listed, how, or in what order."""
    if changes.touches(Kind.CLIENT, Kind.PROGRAM, Kind.SESSION, Kind.SCREENING):
        return True
    return changes.touches(Kind.NOTE) and changes.action in (
        Action.CREATED,
        Action.SIGNED,
        Action.DISCARDED,
    )


class ClientListView(QWidget):
    client_selected = Signal(object)  # uuid.UUID

    def __init__(
        self, services: Services, changes: ChangeBridge, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.services = services
        changes.changed.connect(self._on_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        heading = QLabel(self.tr("<b>Caseload</b>"))
        self.filter_text = named(QLineEdit(), "Filter clients", "Type part of a name")
        self.filter_text.setPlaceholderText(self.tr("Filter by name…"))
        with_clear_button(self.filter_text, "Clear filter", "Show every client again")
        self.status = named(QComboBox(), "Client status filter")
        self.status.addItem(self.tr("Active"), ClientStatus.ACTIVE)
        self.status.addItem(self.tr("Archived"), ClientStatus.ARCHIVED)
        self.status.addItem(self.tr("All"), None)
        self.sort = named(QComboBox(), "Sort clients")
        self.sort.addItem(self.tr("By name"), "name")
        self.sort.addItem(self.tr("Recently updated"), "updated")
        self.sort.addItem(self.tr("Newest"), "created")
        self.list = named(QListWidget(), "Client list")
        self.count = QLabel()
        row = QHBoxLayout()
        row.addWidget(self.status)
        row.addWidget(self.sort)
        layout.addWidget(heading)
        layout.addWidget(self.filter_text)
        layout.addLayout(row)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.count)
        self.filter_text.textChanged.connect(self.refresh)
        self.status.currentIndexChanged.connect(self.refresh)
        self.sort.currentIndexChanged.connect(self.refresh)
        self.list.currentItemChanged.connect(self._on_list_current_changed)
        self.refresh()

    def _on_changed(self, changes: Changes) -> None:
        if caseload_shows(changes):
            self.refresh()

    def refresh(self) -> None:
        selected = self.selected_id()
        clients = self.services.clients.list(
            status=self.status.currentData(),
            name_contains=self.filter_text.text(),
            sort=self.sort.currentData(),
        )
        self.list.blockSignals(True)
        self.list.clear()
        for client in clients:
            label = client.display_name
            if client.status is ClientStatus.ARCHIVED:
                label += self.tr("  — archived")
            item = QListWidgetItem(label)
            item.setData(ID_ROLE, client.id)
            self.list.addItem(item)
            if client.id == selected:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        self.count.setText(self.tr("%n client(s)", "", len(clients)))

    def selected_id(self) -> uuid.UUID | None:
        item = self.list.currentItem()
        return item.data(ID_ROLE) if item is not None else None

    def select(self, client_id: uuid.UUID) -> None:
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(ID_ROLE) == client_id:
                self.list.setCurrentItem(item)
                return
        self.status.setCurrentIndex(self.status.findData(None))
        self.filter_text.clear()
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(ID_ROLE) == client_id:
                self.list.setCurrentItem(item)
                return

    def _on_list_current_changed(self, current: QListWidgetItem | None, _previous: object) -> None:
        if current is not None:
            self.client_selected.emit(current.data(ID_ROLE))
