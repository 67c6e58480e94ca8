"""The Pacer tab: bilateral stimulation for this session, each set logged to it."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from ui.pacer.panel import PacerPanel
from ui.pacer.run import PacerRun
from ui.session.registry import SessionContext, TabSpec, register_tab, tabs_for


class PacerTab(QWidget):
    def __init__(self, context: SessionContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.run = PacerRun(context.services, context.session_id, parent=self)
        settings = context.settings
        self.run.screen_name = settings.get("pacer_screen") if settings is not None else ""
        self.panel = PacerPanel(
            self.run,
            settings,
            str(context.client_id),
            worksheet_choice={"emdr", "art"} <= {t.key for t in tabs_for(context.session)},
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.panel)

    def flush(self) -> None:
        """The set log is written as each set ends; nothing typed waits here."""

    def shutdown(self) -> None:
        self.panel.shutdown()


register_tab(TabSpec("pacer", "Pacer", 20, PacerTab))
