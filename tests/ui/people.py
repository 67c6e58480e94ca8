"""What a person does and sees, shared by the UI tests: keys, the wheel, text on screen."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)


def type_keys(qtbot, *keys: Qt.Key | str) -> None:  # type: ignore[no-untyped-def]
    """Keys go where a person's would: to whatever has the focus."""
    for key in keys:
        focused = QApplication.focusWidget()
        assert focused is not None, "nothing has the keyboard focus"
        if isinstance(key, str):
            qtbot.keyClicks(focused, key)
        else:
            qtbot.keyClick(focused, key)


def turn_wheel(over: QWidget, notches: int) -> None:
    """Turn the wheel with the pointer held over the middle of `over` (negative: down).

    QTest hands the wheel to the window system's queue, so Qt delivers it as it does a
    real one, focus by wheel and the walk up the parents included."""
    window = over.window()
    handle = window.windowHandle()
    assert handle is not None, "the window is not shown"
    centre = over.mapTo(window, over.rect().center())
    first = window.childAt(centre)
    assert first is not None and (first is over or over.isAncestorOf(first)), "not in view"
    for _ in range(abs(notches)):
        QTest.wheelEvent(handle, QPointF(centre), QPoint(0, 120 if notches > 0 else -120))


def choose_from_menu(qtbot, window: QMainWindow, menu_text: str, item_text: str) -> None:  # type: ignore[no-untyped-def]
    """Click a menu in the window's menu bar, then one of its items, as a person does."""
    bar = window.menuBar()
    entry = next(a for a in bar.actions() if a.text() == menu_text)
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.actionGeometry(entry).center())
    menu = entry.menu()
    qtbot.waitUntil(menu.isVisible, timeout=2_000)
    item = next(a for a in menu.actions() if a.text() == item_text)
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(item).center())


def visible_texts() -> str:
    """Everything a person (or a screen reader) could read on any visible window."""
    parts: list[str] = []
    for top in QApplication.topLevelWidgets():
        if not top.isVisible():
            continue
        parts.append(top.windowTitle())
        for widget in [top, *top.findChildren(QWidget)]:
            if not widget.isVisible():
                continue
            parts += [widget.accessibleName(), widget.accessibleDescription(), widget.toolTip()]
            if isinstance(widget, QLabel | QLineEdit | QAbstractButton):
                parts.append(widget.text())
            elif isinstance(widget, QPlainTextEdit | QTextEdit):
                parts.append(widget.toPlainText())
            elif isinstance(widget, QComboBox):
                parts.append(widget.currentText())
            elif isinstance(widget, QGroupBox):
                parts.append(widget.title())
            elif isinstance(widget, QTabBar):
                parts += [widget.tabText(i) for i in range(widget.count())]
    return "\n".join(parts)


def dark_palette() -> QPalette:
    """A dark system palette, as a clinic laptop in dark mode gives the app."""
    dark = QPalette()
    for role, colour in (
        (QPalette.ColorRole.Window, "#202124"),
        (QPalette.ColorRole.WindowText, "#e8eaed"),
        (QPalette.ColorRole.Base, "#17181a"),
        (QPalette.ColorRole.Text, "#e8eaed"),
        (QPalette.ColorRole.Button, "#303134"),
        (QPalette.ColorRole.ButtonText, "#e8eaed"),
        (QPalette.ColorRole.PlaceholderText, "#9aa0a6"),
        (QPalette.ColorRole.Mid, "#5f6368"),
        (QPalette.ColorRole.Highlight, "#8ab4f8"),
        (QPalette.ColorRole.HighlightedText, "#202124"),
    ):
        dark.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.ButtonText, QPalette.ColorRole.Text):
        dark.setColor(QPalette.ColorGroup.Disabled, role, QColor("#6f7378"))
    return dark
