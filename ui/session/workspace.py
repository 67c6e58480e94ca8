"""One open session: a header with the session's facts and a tab per registered tool."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from console.services.bundle import Services
from console.services.sessions import SessionRecord
from console.vocabulary import LOCATION_LABELS, SESSION_KIND_LABELS
from ui.session.registry import SessionContext, tabs_for
from ui.widgets import named


class SessionWorkspace(QWidget):
    def __init__(
        self,
        services: Services,
        session: SessionRecord,
        extras: dict[str, object] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.session = session
        self.context = SessionContext(services, session, dict(extras or {}))
        self.context.extras["open_tab"] = self.open_tab
        client = services.clients.get(session.client_id)
        layout = QVBoxLayout(self)
        start = session.starts_at.astimezone().strftime("%a %d %b %Y, %H:%M")
        header = named(QLabel(), "Session heading")
        header.setText(
            f"{client.display_name} — {SESSION_KIND_LABELS[session.kind]}, {start}, "
            f"{session.duration_min} min, {LOCATION_LABELS[session.location]}"
        )
        font = header.font()
        font.setBold(True)
        header.setFont(font)
        self.tabs = named(QTabWidget(), "Session tools")
        self.tab_widgets: dict[str, QWidget] = {}
        for spec in tabs_for(session):
            widget = spec.factory(self.context)
            self.tab_widgets[spec.key] = widget
            self.tabs.addTab(widget, spec.title)
        layout.addWidget(header)
        layout.addWidget(self.tabs, 1)

    def open_tab(self, key: str) -> QWidget | None:
        """Bring a sibling tool forward (the ART steps hand over to the pacer this way)."""
        widget = self.tab_widgets.get(key)
        if widget is not None:
            self.tabs.setCurrentWidget(widget)
        return widget

    def title(self) -> str:
        client = self.services.clients.get(self.session.client_id)
        when = self.session.starts_at.astimezone().strftime("%d %b")
        return f"{client.preferred_name or client.name} · {when}"

    def flush(self) -> None:
        """Save what is typed (before export, print, lock, close)."""
        for widget in self.tab_widgets.values():
            flush = getattr(widget, "flush", None)
            if callable(flush):
                flush()

    def shutdown(self) -> None:
        """Closing or locking: save, then let tools stop (the pacer ends its set, hides)."""
        self.flush()
        for widget in self.tab_widgets.values():
            shutdown = getattr(widget, "shutdown", None)
            if callable(shutdown):
                shutdown()
