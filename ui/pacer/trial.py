"""The pacer without a session: for trying settings with a new client or at a training day.

Nothing is recorded: with no session open there is nothing to log a set to,
and the window says so rather than offering SUD fields that go nowhere.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from console.config import Settings
from ui.pacer.panel import PacerPanel
from ui.pacer.run import PacerRun
from ui.widgets import named


class TrialPacerWindow(QWidget):
    def __init__(self, settings: Settings | None, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle(self.tr("Try the pacer"))
        self.run = PacerRun(None, None, parent=self)
        if settings is not None:
            self.run.screen_name = settings.get("pacer_screen")
        note = named(
            QLabel(
                self.tr(
                    "Trying the pacer: sets are not recorded. Open a session to log sets "
                    "with SUD and VOC."
                )
            ),
            "Trial pacer note",
        )
        note.setWordWrap(True)
        self.panel = PacerPanel(self.run, settings, None)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.panel)
        self.resize(1100, 640)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.panel.shutdown()
        super().closeEvent(event)
