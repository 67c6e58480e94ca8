"""Global search (Ctrl+F): full-text hits with snippets; Enter opens the hit."""

from __future__ import annotations

import html
import uuid

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console.errors import ConsoleError
from console.services.bundle import Services
from console.services.search import SearchHit
from ui.widgets import named, with_clear_button

HIT_ROLE = Qt.ItemDataRole.UserRole
KIND_LABELS = {
    "client": "Client",
    "note": "Note",
    "addendum": "Addendum",
    "emdr_target": "EMDR target",
    "emdr_worksheet": "EMDR worksheet",
    "art_worksheet": "ART worksheet",
    "rescripting": "Rescripting worksheet",
    "ifs_part": "Part",
    "ifs_part_work": "Part in session",
}


class SearchPanel(QWidget):
    hit_opened = Signal(object)  # SearchHit

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        layout = QVBoxLayout(self)
        self.query = named(
            QLineEdit(),
            "Search records",
            "Search clients, notes and addenda, worksheets, EMDR targets and IFS parts",
        )
        self.query.setPlaceholderText(self.tr("Search clients, notes, worksheets, parts…"))
        with_clear_button(self.query, "Clear search")
        self.private = named(
            QCheckBox(self.tr("Include psychotherapy notes")), "Include psychotherapy notes"
        )
        self.results = named(QListWidget(), "Search results")
        self.results.setWordWrap(True)
        self.summary = QLabel()
        layout.addWidget(self.query)
        layout.addWidget(self.private)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.summary)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(200)
        self._debounce.timeout.connect(self.run)
        self.query.textChanged.connect(self._debounce.start)
        self.private.toggled.connect(self.run)
        self.query.returnPressed.connect(self._open_current)
        self.results.itemActivated.connect(self._on_result_activated)
        self.results.currentItemChanged.connect(self._on_results_current_changed)

    def focus(self) -> None:
        self.query.setFocus()
        self.query.selectAll()

    def run(self) -> None:
        self.results.clear()
        text = self.query.text()
        if not text.strip():
            self.summary.clear()
            return
        try:
            hits = self.services.search.search(text, include_private=self.private.isChecked())
        except ConsoleError as exc:
            self.summary.setText(exc.message)
            return
        names: dict[str, str] = {}
        for hit in hits:
            if hit.client_id not in names:
                try:
                    client = self.services.clients.get(uuid.UUID(hit.client_id))
                    names[hit.client_id] = client.display_name
                except ConsoleError:
                    names[hit.client_id] = "?"
            item = QListWidgetItem()
            heading = [f"<b>{html.escape(names[hit.client_id])}</b>", KIND_LABELS.get(hit.kind, "")]
            heading += [html.escape(hit.title)] if hit.title else []
            label = QLabel(" · ".join(heading) + f"<br>{_snippet(hit.snippet)}")
            label.setWordWrap(True)
            label.setContentsMargins(4, 3, 4, 3)
            item.setData(HIT_ROLE, hit)
            item.setSizeHint(label.sizeHint())
            self.results.addItem(item)
            self.results.setItemWidget(item, label)
        self.summary.setText(self.tr("%n result(s)", "", len(hits)))
        if hits:
            self.results.setCurrentRow(0)

    def _on_results_current_changed(self, current: QListWidgetItem | None, *_: object) -> None:
        """The chosen hit's text in the selection's own colour: readable on any theme."""
        chosen = -1 if current is None else self.results.row(current)
        for row in range(self.results.count()):
            label = self.results.itemWidget(self.results.item(row))
            if label is not None:
                label.setForegroundRole(
                    QPalette.ColorRole.HighlightedText
                    if row == chosen
                    else QPalette.ColorRole.WindowText
                )

    def _open_current(self) -> None:
        item = self.results.currentItem()
        if item is not None:
            self._on_result_activated(item)

    def _on_result_activated(self, item: QListWidgetItem) -> None:
        hit: SearchHit = item.data(HIT_ROLE)
        self.hit_opened.emit(hit)


def _snippet(text: str) -> str:
    """Bold the matched terms FTS5 marked with [ ], after escaping everything else."""
    escaped = html.escape(text.replace("\n", " "))
    return escaped.replace("[", "<b>").replace("]", "</b>")
