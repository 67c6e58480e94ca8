"""One open session: a header with the session's facts and a tab per registered tool.

Locking closes the workspace and unlocking opens it again; `snapshot()` and
`restore()` carry where the user was across (the tool in front, scroll
positions, the focused field and its cursor) as ids and numbers only, so
nothing from the records stays in memory once the key is gone.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollBar,
    QTabWidget,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from console.services.clients import DEMO_MARK
from console.vocabulary import LOCATION_LABELS, SESSION_KIND_LABELS
from ui.dates import show_date, show_datetime
from ui.session.registry import SessionContext, SessionTool, Watching, tabs_for
from ui.widgets import named

Position = tuple[int, int]  # (horizontal, vertical) scroll bar values


@dataclass(frozen=True)
class FocusSpot:
    """The focused field, as its place among the tool's widgets (rebuilt the same way)."""

    index: int
    kind: str
    cursor: int


@dataclass(frozen=True)
class WorkspaceSnapshot:
    """Where the user was in one session: ids and positions, no record content."""

    session_id: uuid.UUID
    tool: str
    scrolls: tuple[tuple[str, tuple[Position, ...]], ...] = ()
    focus: FocusSpot | None = None


class SessionWorkspace(QWidget):
    def __init__(self, context: SessionContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services = context.services
        self.session = session = context.session
        self.context = context
        context.open_tab = self.open_tab
        client = services.clients.get(session.client_id)
        layout = QVBoxLayout(self)
        start = show_datetime(session.starts_at)
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
        self.tools: list[SessionTool] = []
        for spec in tabs_for(session):
            widget = spec.factory(self.context)
            assert isinstance(widget, SessionTool), f"the {spec.key} tab has no flush/shutdown"
            self.tab_widgets[spec.key] = widget
            self.tools.append(widget)
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
        """The short name, isolated so a right-to-left name leaves the date in its place, and
        a demo client's mark, so a fictional session is never taken for a real one."""
        client = self.services.clients.get(self.session.client_id)
        when = show_date(self.session.starts_at)
        name = client.preferred_name or client.name.removesuffix(f" {DEMO_MARK}")
        mark = f" {DEMO_MARK}" if client.is_demo else ""
        return f"\u2068{name}\u2069{mark} · {when}"

    def flush(self) -> None:
        """Save what is typed (before export, print, lock, close)."""
        for tool in self.tools:
            tool.flush()

    def shutdown(self) -> None:
        """Closing or locking: save, then let tools stop (the pacer ends its set, hides)."""
        self.flush()
        for tool in self.tools:
            tool.shutdown()

    def watches(self) -> list[tuple[bool, datetime | None]]:
        """Each tool's `watch()`: monitored, and when its next reading is due (see lock_watch)."""
        return [tool.watch() for tool in self.tools if isinstance(tool, Watching)]

    def current_tool(self) -> str:
        current = self.tabs.currentWidget()
        return next((key for key, w in self.tab_widgets.items() if w is current), "")

    def snapshot(self, focused: QWidget | None = None) -> WorkspaceSnapshot:
        """Where the user is, to come back to after a lock; `focused` is the window's focus."""
        key = self.current_tool()
        tool = self.tab_widgets.get(key)
        focus = None
        if tool is not None and focused is not None and tool.isAncestorOf(focused):
            index = tool.findChildren(QWidget).index(focused)
            focus = FocusSpot(index, type(focused).__name__, _cursor(focused))
        scrolls = tuple((k, _positions(w)) for k, w in self.tab_widgets.items())
        return WorkspaceSnapshot(self.session.id, key, scrolls, focus)

    def restore(self, snapshot: WorkspaceSnapshot) -> None:
        """Back to the snapshot's tool and positions; a tool not laid out yet scrolls when it is."""
        self.open_tab(snapshot.tool)
        for key, positions in snapshot.scrolls:
            tool = self.tab_widgets.get(key)
            areas = _scroll_areas(tool) if tool is not None else []
            if len(areas) == len(positions):
                for area, position in zip(areas, positions, strict=True):
                    for bar, value in zip(_bars(area), position, strict=True):
                        if value > 0:
                            _ScrollWhenReady(bar, value)

    def restore_focus(self, snapshot: WorkspaceSnapshot) -> None:
        """Focus the field that had it, cursor where it was (once the workspace is in front)."""
        tool = self.tab_widgets.get(snapshot.tool)
        spot = snapshot.focus
        if tool is None or spot is None:
            return
        widgets = tool.findChildren(QWidget)
        if spot.index < len(widgets) and type(widgets[spot.index]).__name__ == spot.kind:
            widget = widgets[spot.index]
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
            _set_cursor(widget, spot.cursor)


def _scroll_areas(tool: QWidget) -> list[QAbstractScrollArea]:
    """The tool's scrolling parts, leaving out views that scroll themselves (plots)."""
    off = Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    return [
        area
        for area in tool.findChildren(QAbstractScrollArea)
        if not (area.horizontalScrollBarPolicy() == off and area.verticalScrollBarPolicy() == off)
    ]


def _bars(area: QAbstractScrollArea) -> tuple[QScrollBar, QScrollBar]:
    return area.horizontalScrollBar(), area.verticalScrollBar()


def _positions(tool: QWidget) -> tuple[Position, ...]:
    return tuple((h.value(), v.value()) for h, v in map(_bars, _scroll_areas(tool)))


def _cursor(widget: QWidget) -> int:
    if isinstance(widget, QPlainTextEdit | QTextEdit):
        return widget.textCursor().position()
    if isinstance(widget, QLineEdit):
        return widget.cursorPosition()
    return 0


def _set_cursor(widget: QWidget, position: int) -> None:
    if isinstance(widget, QPlainTextEdit | QTextEdit):
        cursor = widget.textCursor()
        cursor.setPosition(min(position, widget.document().characterCount() - 1))
        widget.setTextCursor(cursor)
    elif isinstance(widget, QLineEdit):
        widget.setCursorPosition(position)


class _ScrollWhenReady(QObject):
    """Moves a scroll bar back once its range allows: a tool is laid out only when first shown.

    Gives up if the user scrolls first, so it never pulls the view away from them.
    """

    def __init__(self, bar: QScrollBar, value: int) -> None:
        super().__init__(bar)
        self.bar = bar
        self.value = value
        self.done = False
        bar.rangeChanged.connect(self._on_bar_range_changed)
        bar.actionTriggered.connect(self._finish)
        self._on_bar_range_changed(bar.minimum(), bar.maximum())

    def _on_bar_range_changed(self, _low: int, high: int) -> None:
        if not self.done and high >= self.value:
            self.bar.setValue(self.value)
            self._finish()

    def _finish(self, _action: int = 0) -> None:
        self.done = True
        self.deleteLater()
