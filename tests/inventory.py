"""The control inventory: which controls the tests' screens showed, and which got real input.

A button no test presses is how the pacer's Stop shipped broken. While the Qt tests run,
an application event filter notes every control on a window at the moment a person could
act on it (the window shown, a mouse press in it) and every control that received a real
mouse, key, wheel or shortcut event. Calling a slot or `QAbstractButton.click()` sends no
such event, so it does not count.

With CONTROL_INVENTORY=check (set by `make test`), the run fails when a control was shown,
never touched, and is not in `tests/acceptance/untouched_controls.txt` with a reason; an
entry there for a control no longer shown fails too, so the file stays reviewed.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QShortcut
from PySide6.QtPrintSupport import QPrintDialog
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QColorDialog,
    QComboBox,
    QDialog,
    QFileDialog,
    QInputDialog,
    QLineEdit,
    QMainWindow,
    QMenu,
    QPlainTextEdit,
    QRadioButton,
    QScrollBar,
    QTabBar,
    QTextEdit,
    QToolBar,
    QWidget,
)

ROOT = Path(__file__).resolve().parent
EXCEPTIONS = ROOT / "acceptance" / "untouched_controls.txt"
REPORT = Path(
    os.environ.get("CONTROL_INVENTORY_REPORT", ROOT / "artifacts" / "control_inventory.txt")
)
CONTROLS = (QAbstractButton, QAbstractSpinBox, QComboBox, QLineEdit, QPlainTextEdit, QTextEdit)
QT_DIALOGS = (QFileDialog, QPrintDialog, QColorDialog, QInputDialog)
INPUT = {
    QEvent.Type.MouseButtonRelease,
    QEvent.Type.MouseButtonDblClick,
    QEvent.Type.KeyPress,
    QEvent.Type.Wheel,
}


MOVING_ON = {Qt.Key.Key_Tab, Qt.Key.Key_Backtab}


def _clean(text: str) -> str:
    return " ".join(text.replace("&&", "\0").replace("&", "").replace("\0", "&").split())


def _label(widget: QWidget) -> str:
    """What a person (or screen reader) calls the control."""
    if widget.accessibleName():
        return _clean(widget.accessibleName())
    if isinstance(widget, QAbstractButton) and widget.text():
        return _clean(widget.text())
    if widget.objectName() and not widget.objectName().startswith("qt_"):
        return widget.objectName()
    return _clean(widget.toolTip()) or "(unnamed)"


def _owner_name(widget: QWidget) -> str:
    """The nearest view of ours holding the control (a pacer panel is the same panel in the
    session tab, the trial window and the floating controls), else its window."""
    parent = widget.parentWidget()
    while parent is not None:
        if type(parent).__module__.startswith("ui."):
            return type(parent).__name__
        parent = parent.parentWidget()
    return type(widget.window()).__name__


def _inside_qt_dialog(widget: QWidget) -> bool:
    """Qt's own file, print, colour and input dialogs: their controls are Qt's, not ours."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QT_DIALOGS):
            return True
        parent = parent.parentWidget()
    return False


def _is_control(widget: QWidget) -> bool:
    if not isinstance(widget, CONTROLS) or isinstance(widget, QScrollBar):
        return False
    if widget.objectName().startswith("qt_") or _inside_qt_dialog(widget):
        return False  # a dock's own title buttons, a standard dialog's innards
    parent = widget.parentWidget()
    if isinstance(widget, QLineEdit) and isinstance(parent, QAbstractSpinBox | QComboBox):
        return False
    if isinstance(parent, QTabBar | QAbstractSpinBox | QScrollBar | QAbstractItemView):
        return False  # a tab bar's scroll arrows, a spin box's parts, a table's corner button
    if parent is not None and parent.objectName().startswith("qt_"):
        return False  # Qt's own innards (calendar navigation, wizard internals)
    text_field = isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit)
    return not (text_field and widget.isReadOnly())


def _stable_label(widget: QWidget) -> str:
    """The name a control keeps from run to run: its object name where we gave it one (an
    accessible name may carry data, like a badge's state or a chip's date)."""
    name = widget.objectName()
    if name and not name.startswith("qt_") and not isinstance(widget, QRadioButton):
        return name
    return _label(widget)


def control_key(widget: QWidget) -> str:
    """One key per control a person thinks of as one: a set of radio buttons named
    "Question: answer" is one question, answered by clicking any of its answers."""
    label = _stable_label(widget)
    if isinstance(widget, QRadioButton) and ": " in label:
        return f"{_owner_name(widget)} / choice: {label.rsplit(': ', 1)[0]}"
    return f"{_owner_name(widget)} / {type(widget).__name__}: {label}"


def action_key(action: QAction, window: QWidget) -> str:
    return f"{type(window).__name__} / action: {_clean(action.text()) or action.objectName()}"


def shortcut_key(shortcut: QShortcut) -> str:
    parent = shortcut.parent()
    window = parent.window() if isinstance(parent, QWidget) else None
    owner = type(window).__name__ if window is not None else "?"
    return f"{owner} / shortcut: {shortcut.key().toString()}"


def _control_for(widget: QWidget | None) -> QWidget | None:
    while widget is not None:
        if isinstance(widget, QAbstractSlider) and not isinstance(widget, QScrollBar):
            return None
        if _is_control(widget):
            return widget
        if isinstance(widget, QAbstractScrollArea) or widget.isWindow():
            return None
        widget = widget.parentWidget()
    return None


def _menu_actions(menu: QMenu) -> list[QAction]:
    found: list[QAction] = []
    for action in menu.actions():
        if action.isSeparator() or not action.isVisible():
            continue
        submenu = action.menu()
        if isinstance(submenu, QMenu):
            found += _menu_actions(submenu)
        elif action.isEnabled():
            found.append(action)
    return found


class ControlInventory(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.shown: dict[str, str] = {}
        self.touched: set[str] = set()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Shortcut:
            if isinstance(watched, QAction):
                self._touch_action(watched)
            elif isinstance(watched, QShortcut):
                self.touched.add(shortcut_key(watched))
        elif isinstance(watched, QWidget):
            if kind == QEvent.Type.Show and watched.isWindow() and _ours(watched):
                self.look(watched)  # its children are shown before the window's Show event
            elif kind == QEvent.Type.MouseButtonPress and _ours(watched.window()):
                self.look(watched.window())
            elif kind in INPUT:
                self._record_input(watched, event)
        return False

    def _record_input(self, widget: QWidget, event: QEvent) -> None:
        if event.type() == QEvent.Type.KeyPress and event.key() in MOVING_ON:  # type: ignore[attr-defined]
            return  # Tab past a control is not using it
        if isinstance(widget, QMenu):
            if kind_is_release(event):
                action = widget.actionAt(event.position().toPoint())  # type: ignore[attr-defined]
            else:
                action = widget.activeAction()
            if action is not None:
                self._touch_action(action)
            return
        control = _control_for(widget)
        if control is not None:
            self.touched.add(control_key(control))

    def _touch_action(self, action: QAction) -> None:
        window = _owning_window(action)
        if window is not None:
            self.touched.add(action_key(action, window))

    def look(self, window: QWidget) -> None:
        """Note every control a person could use on this window now."""
        if isinstance(window, QMenu):
            return
        test = os.environ.get("PYTEST_CURRENT_TEST", "").split(" ")[0]
        for widget in [window, *window.findChildren(QWidget)]:
            if widget.isVisible() and widget.isEnabled() and _is_control(widget):
                self.shown.setdefault(control_key(widget), test)
        if isinstance(window, QMainWindow):
            for action in window.menuBar().actions():
                submenu = action.menu()
                if isinstance(submenu, QMenu) and action.isVisible():
                    for item in _menu_actions(submenu):
                        self.shown.setdefault(action_key(item, window), test)
            for bar in window.findChildren(QToolBar):
                if bar.isVisible():
                    for item in bar.actions():
                        if item.isVisible() and item.isEnabled() and not item.isSeparator():
                            self.shown.setdefault(action_key(item, window), test)
        for shortcut in window.findChildren(QShortcut):
            parent = shortcut.parent()
            if isinstance(parent, QT_DIALOGS) or (
                isinstance(parent, QWidget) and _inside_qt_dialog(parent)
            ):
                continue
            if shortcut.isEnabled() and not shortcut.key().isEmpty():
                self.shown.setdefault(shortcut_key(shortcut), test)

    def missing(self, excepted: set[str]) -> list[str]:
        return sorted(key for key in self.shown if key not in self.touched | excepted)


def _ours(window: QWidget) -> bool:
    """A window a person works in: ours, or a standard dialog we open. Qt's own pop-ups
    (tool tips, combo lists) are left alone; no reference to one outlives its event."""
    return type(window).__module__.startswith("ui.") or isinstance(window, QDialog | QMainWindow)


def kind_is_release(event: QEvent) -> bool:
    return event.type() in (QEvent.Type.MouseButtonRelease, QEvent.Type.MouseButtonDblClick)


def _owning_window(action: QAction) -> QWidget | None:
    for widget in action.associatedObjects():
        if isinstance(widget, QMenu):
            top = widget
            while isinstance(top, QMenu):
                parent = top.parentWidget()
                if parent is None or not isinstance(parent, QMenu):
                    break
                top = parent
            host = top.parentWidget()
            if host is not None:
                return host.window()
        elif isinstance(widget, QWidget):
            return widget.window()
    parent = action.parent()
    return parent.window() if isinstance(parent, QWidget) else None


def read_exceptions(path: Path = EXCEPTIONS) -> dict[str, str]:
    """Each line: the control's key, a tab, and why no test touches it."""
    entries: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        key, _, reason = line.partition("\t")
        if not reason.strip():
            raise ValueError(f"{path.name}: no reason given for {key!r}")
        entries[key.strip()] = reason.strip()
    return entries


INVENTORY = ControlInventory()
_installed: list[QApplication] = []


@pytest.fixture(autouse=True)
def _control_inventory(request: pytest.FixtureRequest) -> None:
    if "qtbot" not in request.fixturenames and "qapp" not in request.fixturenames:
        return
    app = request.getfixturevalue("qapp")
    if app not in _installed:
        app.installEventFilter(INVENTORY)
        _installed.append(app)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if not INVENTORY.shown:
        return
    excepted = read_exceptions()
    missing = INVENTORY.missing(set(excepted))
    stale = sorted(key for key in excepted if key not in INVENTORY.shown)
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    lines = [f"{key}\tfirst shown by {test}" for key, test in sorted(INVENTORY.shown.items())]
    REPORT.write_text(
        "# shown controls (touched ones marked *)\n"
        + "\n".join(("* " if k.split("\t")[0] in INVENTORY.touched else "  ") + k for k in lines)
        + "\n\n# untouched and not excepted\n"
        + "\n".join(f"{key}\t{INVENTORY.shown[key]}" for key in missing)
        + "\n\n# exceptions no longer shown\n"
        + "\n".join(stale)
        + "\n",
        encoding="utf-8",
    )
    if os.environ.get("CONTROL_INVENTORY") != "check" or exitstatus != 0:
        return
    if missing or stale:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line("")
            reporter.write_line(
                f"control inventory: {len(missing)} shown control(s) no test touched, "
                f"{len(stale)} stale exception(s); see {REPORT}",
                red=True,
            )
            for key in missing:
                reporter.write_line(f"  untouched: {key}  (shown by {INVENTORY.shown[key]})")
            for key in stale:
                reporter.write_line(f"  stale exception: {key}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
