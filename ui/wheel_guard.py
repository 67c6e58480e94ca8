"""A turned wheel changes a field only when the user has put the focus in it.

Otherwise scrolling a form past a speed, size or rating box would change the
number under the pointer without anyone meaning it; the page scrolls instead.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtWidgets import QWidget


class _WheelGuard(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.Wheel
            and isinstance(watched, QWidget)
            and not watched.hasFocus()
        ):
            parent = watched.parentWidget()
            if parent is not None:
                QCoreApplication.sendEvent(parent, event)
            return True
        return False


_GUARD = _WheelGuard()


def guard_wheel(*widgets: QWidget) -> None:
    for widget in widgets:
        widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        widget.installEventFilter(_GUARD)
