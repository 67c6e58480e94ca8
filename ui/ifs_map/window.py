"""The parts map in a window of its own, opened from the client overview (no session)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from console.errors import ConsoleError
from console.services.bundle import Services
from console.services.clients import ClientRecord
from ui.ifs_map.editor import MapEditor
from ui.widgets import report


class PartsMapWindow(QWidget):
    """The editor in a window of its own (from the client overview): saves when it closes.

    A top-level window owned by the main window, so locking (which closes
    every visible window) closes it and its `closeEvent` saves first.
    """

    def __init__(self, services: Services, client: ClientRecord, owner: QWidget) -> None:
        super().__init__(owner, Qt.WindowType.Window)
        self.client_id = client.id
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(self.tr("Parts map — %1").replace("%1", client.display_name))
        self.editor = MapEditor(services, client.id)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.editor)
        self.resize(1200, 700)

    def closeEvent(self, event: QCloseEvent) -> None:
        try:
            self.editor.shutdown()
        except ConsoleError as exc:
            report(self, self.tr("Parts map"), exc)
            event.ignore()
            return
        event.accept()
