"""The Pacer tab: bilateral stimulation for this session, each set logged to it."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from ui.pacer.panel import PacerPanel
from ui.pacer.run import PacerRun
from ui.session.registry import SessionContext, TabSpec, register_tab


class PacerTab(QWidget):
    def __init__(self, context: SessionContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.run = PacerRun(context.services, context.session_id, parent=self)
        self.run.screen_name = str(context.extras.get("pacer_screen", ""))
        self.panel = PacerPanel(self.run, str(context.extras.get("pacer_presets", "")))
        layout = QVBoxLayout(self)
        layout.addWidget(self.panel)

    def shutdown(self) -> None:
        self.panel.shutdown()


register_tab(TabSpec("pacer", "Pacer", 20, PacerTab))
