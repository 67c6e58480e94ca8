"""The Pacer tab: bilateral stimulation for this session, each set logged to it."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from console.config import Settings
from ui.pacer.panel import PacerPanel
from ui.pacer.run import PacerRun
from ui.session.registry import SessionContext, TabSpec, register_tab, tabs_for


class PacerTab(QWidget):
    def __init__(self, context: SessionContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.run = PacerRun(context.services, context.session_id, parent=self)
        settings = context.extras.get("settings")
        self.run.screen_name = (
            settings.get("pacer_screen") if isinstance(settings, Settings) else ""
        )
        self.panel = PacerPanel(
            self.run,
            settings if isinstance(settings, Settings) else None,
            str(context.client_id),
            worksheet_choice={"emdr", "art"} <= {t.key for t in tabs_for(context.session)},
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.panel)

    def shutdown(self) -> None:
        self.panel.shutdown()


register_tab(TabSpec("pacer", "Pacer", 20, PacerTab))
