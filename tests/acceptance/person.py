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

from PySide6.QtCore import QElapsedTimer, QEvent, QPoint, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QLabel,
    QListWidget,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QTabBar,
    QWidget,
)

from tests.inventory import _clean, _label
from tests.pdf_text import flat
from tests.ui.people import visible_texts
from ui.theme import apply_theme

W = TypeVar("W", bound=QWidget)
LEFT = Qt.MouseButton.LeftButton
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts" / "acceptance"


class Stuck(AssertionError):
    """What a person would say: the control is not there, not usable, or not unique."""


class Person:
    def __init__(self, qtbot) -> None:  # type: ignore[no-untyped-def]
        self.qtbot = qtbot
        self._failed: list[BaseException] = []

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
        """The control as soon as it is on screen (a new widget shows on the next event-loop
        turn), or Stuck with what is visible instead."""
        found: list[W] = []
        settle()

        def look() -> bool:
            try:
                found.append(self._find_now(name, kind, within, enabled))
            except Stuck:
                return False
            return True

        try:
            self.qtbot.waitUntil(look, timeout=2_000)
        except Exception:
            return self._find_now(name, kind, within, enabled)
        return found[-1]

    def _find_now(self, name: str, kind: type[W], within: QWidget | None, enabled: bool) -> W:
        windows = [within] if within is not None else self.reachable_windows()
        for window in windows:
            found = [
                w
                for w in [window, *window.findChildren(kind)]
                if isinstance(w, kind) and w.isVisible() and _label(w) == name
            ]
            if len(found) > 1:
                where = [f"{type(w).__name__} in {type(w.parentWidget()).__name__}" for w in found]
                raise Stuck(f"{len(found)} visible controls are called {name!r}: {where}")
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
        """Bring the control's window forward and scroll the page so the control is in view,
        as a window manager and a person's wheel would (the test platform has no window
        manager, so a window a pop-up closed over stays inactive without this)."""
        window = widget.window()
        if QApplication.activeWindow() is not window and QApplication.activePopupWidget() is None:
            window.activateWindow()
            self.qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2_000)
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
        self._raise_from_dialog()
        return widget

    def double_click(self, widget: QWidget, pos: QPoint | None = None) -> None:
        """What the window system delivers: press, release, a double-click press, release
        (QTest's mouseDClick alone sends only the third)."""
        where = pos or _aim(widget)
        self.qtbot.mouseClick(widget, LEFT, pos=where)
        self.qtbot.mouseDClick(widget, LEFT, pos=where)
        self.qtbot.mouseRelease(widget, LEFT, pos=where)

    def wait_past_double_click(self) -> None:
        """A person's next click comes after a pause, not as the second half of a double one."""
        timer = QElapsedTimer()
        timer.start()
        self.qtbot.waitUntil(
            lambda: timer.elapsed() > QApplication.doubleClickInterval(), timeout=5_000
        )

    def type(self, name: str, text: str, replace: bool = False) -> QWidget:
        """Click into a field and type, as a person does (replace selects what was there)."""
        widget = self.find(name)
        self.reveal(widget)
        target = widget.viewport() if isinstance(widget, QAbstractScrollArea) else widget
        self.qtbot.mouseClick(target, LEFT, pos=target.rect().center())
        focus = QApplication.focusWidget()
        if focus is None or (focus is not widget and not widget.isAncestorOf(focus)):
            raise Stuck(f"clicking {name!r} left the keyboard focus on {focus!r}")
        if replace:
            self.qtbot.keyClick(focus, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        key_in(focus, text)
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
        key_in(focus, text)

    def menu(
        self,
        *path: str,
        window: QMainWindow | None = None,
        then: Callable[[QWidget], None] | None = None,
    ) -> None:
        """Open a menu by its title in the menu bar and click through to the item."""
        if window is None:  # a person waits for a progress dialog to finish first
            self.qtbot.waitUntil(
                lambda: any(isinstance(w, QMainWindow) for w in self.reachable_windows()),
                timeout=10_000,
            )
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
        self._raise_from_dialog()

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
        # A release within the double-click interval of the pop-up opening is ignored by
        # Qt (a press-drag-release gesture), so the item is chosen with the keys.
        self.qtbot.keyClick(view, Qt.Key.Key_Home)
        for _ in range(row):
            self.qtbot.keyClick(view, Qt.Key.Key_Down)
        self.qtbot.keyClick(view, Qt.Key.Key_Return)
        self.qtbot.waitUntil(lambda: not view.isVisible(), timeout=2_000)
        if combo.currentText() != item:
            raise Stuck(f"clicking {item!r} in {name!r} left {combo.currentText()!r}")

    def pick(self, list_name: str, contains: str) -> None:
        """Click the first row of a list whose text holds these words."""
        view = self.find(list_name, QListWidget)
        for row in range(view.count()):
            item = view.item(row)
            if contains in item.text():
                self.reveal(view)
                view.scrollToItem(item)
                self.qtbot.mouseClick(view.viewport(), LEFT, pos=view.visualItemRect(item).center())
                return
        raise Stuck(f"{list_name!r} has no row with {contains!r}")

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

    def when_dialog(self, act: Callable[[QWidget], None], kind: type[QWidget] = QWidget) -> None:
        """Act on the next dialog of this kind that opens over what is modal now."""
        before = QApplication.activeModalWidget()

        def attempt() -> None:
            modal = QApplication.activeModalWidget()
            if (
                modal is None
                or modal is before
                or not modal.isVisible()
                or not isinstance(modal, kind)
            ):
                QTimer.singleShot(20, attempt)
                return
            try:
                act(modal)
            except BaseException as failure:
                self._failed.append(failure)
                for window in QApplication.topLevelWidgets():
                    if isinstance(window, QDialog) and window.isVisible():
                        window.reject()  # so the press that opened it returns and fails

        QTimer.singleShot(0, attempt)

    def _raise_from_dialog(self) -> None:
        if self._failed:
            raise self._failed.pop(0)

    def open_client(self, typed: str) -> None:
        """Click the caseload and type the start of a name, as a person jumps to a client."""
        self.click("Client list", QListWidget)
        self.keys(typed)
        heading = self.find("Client name heading", QLabel)
        self.qtbot.waitUntil(lambda: heading.text().startswith(typed), timeout=3_000)

    def new_session(self, kind: str | None = None) -> None:
        """The overview's New session button, the type chosen (or the default), Save."""

        def fill(dialog: QWidget) -> None:
            if kind is not None:
                self.choose("Session type", kind)
            self.click("Save")

        self.click("New session", QPushButton, then=fill)
        self.qtbot.waitUntil(lambda: self.sees("Session tools"), timeout=3_000)

    def export_session_record(self, target: Path) -> str:
        """File → Export session record… to this file, OK on the message that follows; the
        PDF's text, for the journey to check what the record says."""
        return self._export(
            lambda then: self.menu("File", "Export session record…", then=then), target
        )

    def export_client_chart(self, target: Path, fill: Callable[[], None] | None = None) -> str:
        """The overview's Export client chart… to this file, `fill` setting the rest (a date
        range) before Save; the PDF's text."""
        return self._export(lambda then: self.click("Export client chart", then=then), target, fill)

    def _export(
        self,
        open_dialog: Callable[[Callable[[QWidget], None]], object],
        target: Path,
        fill: Callable[[], None] | None = None,
    ) -> str:
        told: list[str] = []

        def acknowledge(box: QWidget) -> None:
            told.append(box.text())  # type: ignore[attr-defined]
            self.click("OK")

        def export(dialog: QWidget) -> None:
            self.type("Export file", str(target), replace=True)
            if fill is not None:
                fill()
            self.when_dialog(acknowledge, QMessageBox)
            self.click("Save")

        open_dialog(export)
        self.qtbot.waitUntil(lambda: bool(told), timeout=30_000)
        assert target.name in told[0], f"the message says where the record went: {told[0]!r}"
        return flat(target.read_bytes())

    def expect(self, text: str, timeout: int = 3_000) -> None:
        """Wait for these words on screen (a new widget shows on the next event-loop turn)."""
        self.qtbot.waitUntil(lambda: self.sees(text), timeout=timeout)

    def sees(self, text: str) -> bool:
        """On screen as a person reads it: a label's mnemonic "&" shows as an underline."""
        settle()
        shown = visible_texts()
        return text in shown or text in "\n".join(_clean(line) for line in shown.splitlines())

    def shot(self, widget: QWidget, name: str) -> Path:
        """The screen as it is, and again in a dark palette, for looking at before release."""
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        assert widget.grab().save(str(path))
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        style, palette = app.style().name(), app.palette()
        apply_theme(app, "dark")  # the app's own dark theme, as Settings applies it
        try:
            self.qtbot.waitUntil(
                lambda: widget.palette().window().color().lightness() < 80, timeout=2_000
            )
            settle()
            assert widget.grab().save(str(ARTIFACTS / f"{name}-dark.png"))
        finally:
            apply_theme(app, "system")
            app.setStyle(style)
            app.setPalette(palette)
        return path


def key_in(widget: QWidget, text: str) -> None:
    """Each character as a key press with its text. QTest knows keys only for ASCII (any other
    character aborts the process), so the rest arrive as an input method delivers them: a key
    event carrying the character."""
    for char in text:
        if char.isascii() and char != "\n":
            QTest.keyClick(widget, char)
        elif char == "\n":
            QTest.keyClick(widget, Qt.Key.Key_Return)
        else:
            QTest.sendKeyEvent(
                QTest.KeyAction.Click,
                widget,
                Qt.Key.Key_unknown,
                char,
                Qt.KeyboardModifier.NoModifier,
            )


def settle() -> None:
    """Let the screen catch up before a person looks: pending paints and shows run, and
    widgets already closed are gone (a person never sees a frame in between)."""
    QApplication.processEvents()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QApplication.processEvents()


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
