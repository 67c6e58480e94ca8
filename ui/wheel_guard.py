"""A turned wheel changes a field only when the user has put the focus in it.

Otherwise scrolling a form past a dose, a total, a rating or a speed would
change the number under the pointer without anyone meaning it (and the
autosave would keep it). One filter on the application covers every form: a
wheel over a spin box, combo box or slider that does not have the keyboard
focus scrolls the page instead, and those controls take focus by click or Tab
only, never by the wheel (`Qt.StrongFocus`), so a wheel cannot focus them and
then step them.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QScrollBar,
    QWidget,
)

_GUARDED = (QAbstractSpinBox, QComboBox, QAbstractSlider)


def _is_guarded(widget: QWidget) -> bool:
    return isinstance(widget, _GUARDED) and not isinstance(widget, QScrollBar)


def _guarded_control(widget: QWidget) -> QWidget | None:
    """The control a wheel over `widget` would step: itself, or the box its line edit is in."""
    if _is_guarded(widget):
        return widget
    parent = widget.parentWidget()
    if parent is not None and not widget.isWindow() and _is_guarded(parent):
        return parent
    return None


def _scrollable_ancestor(widget: QWidget, vertical: bool) -> QAbstractScrollArea | None:
    """The nearest enclosing scroll area that can still move in the wheel's direction."""
    ancestor = widget.parentWidget()
    while ancestor is not None:
        if isinstance(ancestor, QAbstractScrollArea):
            bar = ancestor.verticalScrollBar() if vertical else ancestor.horizontalScrollBar()
            if bar.maximum() > bar.minimum():
                return ancestor
        if ancestor.isWindow():
            return None
        ancestor = ancestor.parentWidget()
    return None


def _scroll_page(control: QWidget, event: QWheelEvent) -> None:
    """Give the wheel to the page around `control`, as if it had turned over the background."""
    delta = event.angleDelta()
    area = _scrollable_ancestor(control, abs(delta.y()) >= abs(delta.x()))
    if area is None:
        return
    viewport = area.viewport()
    inside = QPointF(viewport.mapFromGlobal(event.globalPosition().toPoint()))
    forwarded = QWheelEvent(
        inside,
        event.globalPosition(),
        event.pixelDelta(),
        delta,
        event.buttons(),
        event.modifiers(),
        event.phase(),
        event.inverted(),
        event.source(),
        event.pointingDevice(),
    )
    QCoreApplication.sendEvent(viewport, forwarded)


class _WheelGuard(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not isinstance(watched, QWidget):
            return False
        kind = event.type()
        if kind == QEvent.Type.Polish and _is_guarded(watched):
            if watched.focusPolicy() == Qt.FocusPolicy.WheelFocus:
                watched.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        elif kind == QEvent.Type.Wheel and isinstance(event, QWheelEvent):
            control = _guarded_control(watched)
            if control is not None and not control.hasFocus():
                _scroll_page(control, event)
                return True
        return False


_GUARD = _WheelGuard()


def install_wheel_guard(app: QApplication) -> None:
    """Guard every spin box, combo box and slider of `app`, now and to come (idempotent)."""
    app.installEventFilter(_GUARD)
    for widget in app.allWidgets():
        if _is_guarded(widget) and widget.focusPolicy() == Qt.FocusPolicy.WheelFocus:
            widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
