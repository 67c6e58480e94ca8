"""A person at the keyboard: finds controls by the name a screen reader would read, and acts
on them only through input events, only when they are visible and enabled.

Nothing here calls a slot, sets a value or triggers an action directly. A journey written
with it fails where a person would be stuck: a control that is hidden, disabled, unnamed,
or does nothing when pressed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QMainWindow,
    QMenu,
    QRadioButton,
    QScrollArea,
    QTabBar,
    QWidget,
)

from tests.inventory import _clean, _label
from tests.ui.people import visible_texts

W = TypeVar("W", bound=QWidget)
LEFT = Qt.MouseButton.LeftButton
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts" / "acceptance"


class Stuck(AssertionError):
    """What a person would say: the control is not there, not usable, or not unique."""


class Person:
    def __init__(self, qtbot) -> None:  # type: ignore[no-untyped-def]
        self.qtbot = qtbot

    def reachable_windows(self) -> list[QWidget]:
        """Under a modal dialog only the dialog takes input; otherwise every visible window."""
        modal = QApplication.activeModalWidget()
        if modal is not None:
            return [modal]
        active = QApplication.activeWindow()
        windows = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
        windows.sort(key=lambda w: w is not active)
        return [w for w in windows if not isinstance(w, QMenu)]

    def find(  # type: ignore[assignment]
        self,
        name: str,
        kind: type[W] = QWidget,
        within: QWidget | None = None,
        enabled: bool = True,
    ) -> W:
        windows = [within] if within is not None else self.reachable_windows()
        for window in windows:
            found = [
                w
                for w in [window, *window.findChildren(kind)]
                if isinstance(w, kind) and w.isVisible() and _label(w) == name
            ]
            if len(found) > 1:
                raise Stuck(f"{len(found)} visible controls are called {name!r}")
            if found:
                widget = found[0]
                if enabled and not widget.isEnabled():
                    raise Stuck(f"{name!r} is shown but disabled")
                return widget
        seen = sorted(
            {_label(w) for win in windows for w in win.findChildren(kind) if w.isVisible()}
        )
        raise Stuck(f"no visible {kind.__name__} called {name!r}; visible: {seen}")

    def reveal(self, widget: QWidget) -> None:
        """Scroll the page so the control is in view, as a person would with the wheel."""
        parent = widget.parentWidget()
        while parent is not None:
            if isinstance(parent, QScrollArea):
                parent.ensureWidgetVisible(widget)
            parent = parent.parentWidget()

    def click(
        self,
        name: str,
        kind: type[QWidget] = QAbstractButton,
        then: Callable[[QWidget], None] | None = None,
        within: QWidget | None = None,
    ) -> QWidget:
        """Press a control; `then` acts on the dialog the press opens (it runs its own loop)."""
        widget = self.find(name, kind, within)
        self.reveal(widget)
        if then is not None:
            self.when_dialog(then)
        self.qtbot.mouseClick(widget, LEFT, pos=_aim(widget))
        return widget

    def double_click(self, widget: QWidget, pos: QPoint | None = None) -> None:
        self.qtbot.mouseDClick(widget, LEFT, pos=pos or widget.rect().center())

    def type(self, name: str, text: str, replace: bool = False) -> QWidget:
        """Click into a field and type, as a person does (replace selects what was there)."""
        widget = self.find(name)
        self.reveal(widget)
        self.qtbot.mouseClick(widget, LEFT, pos=widget.rect().center())
        focus = QApplication.focusWidget()
        if focus is None:
            raise Stuck(f"clicking {name!r} gave nothing the keyboard focus")
        if replace:
            self.qtbot.keyClick(focus, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        self.qtbot.keyClicks(focus, text)
        return widget

    def press(
        self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
    ) -> None:
        focus = QApplication.focusWidget()
        if focus is None:
            raise Stuck("nothing has the keyboard focus")
        self.qtbot.keyClick(focus, key, modifier)

    def keys(self, text: str) -> None:
        focus = QApplication.focusWidget()
        if focus is None:
            raise Stuck("nothing has the keyboard focus")
        self.qtbot.keyClicks(focus, text)

    def menu(
        self,
        *path: str,
        window: QMainWindow | None = None,
        then: Callable[[QWidget], None] | None = None,
    ) -> None:
        """Open a menu by its title in the menu bar and click through to the item."""
        host = window or next(w for w in self.reachable_windows() if isinstance(w, QMainWindow))
        bar = host.menuBar()
        action = _action(bar.actions(), path[0])
        self.qtbot.mouseClick(bar, LEFT, pos=bar.actionGeometry(action).center())
        menu = action.menu()
        assert isinstance(menu, QMenu)
        self.qtbot.waitUntil(menu.isVisible, timeout=2_000)
        for step in path[1:-1]:
            item = _action(menu.actions(), step)
            self.qtbot.mouseClick(menu, LEFT, pos=menu.actionGeometry(item).center())
            submenu = item.menu()
            assert isinstance(submenu, QMenu)
            self.qtbot.waitUntil(submenu.isVisible, timeout=2_000)
            menu = submenu
        item = _action(menu.actions(), path[-1])
        if not item.isEnabled():
            raise Stuck(f"menu item {path[-1]!r} is disabled")
        if then is not None:
            self.when_dialog(then)
        self.qtbot.mouseClick(menu, LEFT, pos=menu.actionGeometry(item).center())

    def choose(self, name: str, item: str) -> None:
        """Open a drop-down by mouse and click the item with that text."""
        combo = self.find(name, QComboBox)
        self.reveal(combo)
        self.qtbot.mouseClick(combo, LEFT, pos=combo.rect().center())
        view = combo.view()
        self.qtbot.waitUntil(view.isVisible, timeout=2_000)
        row = combo.findText(item)
        if row < 0:
            offered = [combo.itemText(i) for i in range(combo.count())]
            raise Stuck(f"{name!r} offers no {item!r}: {offered}")
        self._click_row(view, row)
        self.qtbot.waitUntil(lambda: not view.isVisible(), timeout=2_000)
        if combo.currentText() != item:
            raise Stuck(f"clicking {item!r} in {name!r} left {combo.currentText()!r}")

    def _click_row(self, view: QAbstractItemView, row: int) -> None:
        index = view.model().index(row, 0, view.rootIndex())
        view.scrollTo(index)
        self.qtbot.mouseClick(view.viewport(), LEFT, pos=view.visualRect(index).center())

    def tab(self, text: str, within: QWidget | None = None) -> None:
        """Click a tab by its title."""
        for window in [within] if within is not None else self.reachable_windows():
            for bar in window.findChildren(QTabBar):
                if not bar.isVisible():
                    continue
                for i in range(bar.count()):
                    if _clean(bar.tabText(i)) == text:
                        self.qtbot.mouseClick(bar, LEFT, pos=bar.tabRect(i).center())
                        return
        raise Stuck(f"no visible tab called {text!r}")

    def when_dialog(self, act: Callable[[QWidget], None]) -> None:
        """Act on the next dialog that opens over what is modal now."""
        before = QApplication.activeModalWidget()

        def attempt() -> None:
            modal = QApplication.activeModalWidget()
            if modal is None or modal is before or not modal.isVisible():
                QTimer.singleShot(20, attempt)
                return
            act(modal)

        QTimer.singleShot(0, attempt)

    def sees(self, text: str) -> bool:
        return text in visible_texts()

    def shot(self, widget: QWidget, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        assert widget.grab().save(str(path))
        return path


def _aim(widget: QWidget) -> QPoint:
    """Where a person clicks: a check box on its box, anything else in its middle."""
    if isinstance(widget, QCheckBox | QRadioButton):
        return QPoint(min(8, widget.width() // 2), widget.height() // 2)
    return widget.rect().center()


def _action(actions, text: str):  # type: ignore[no-untyped-def]
    for action in actions:
        if _clean(action.text()) == text and action.isVisible():
            return action
    raise Stuck(f"no menu item {text!r}: {[_clean(a.text()) for a in actions if a.text()]}")
