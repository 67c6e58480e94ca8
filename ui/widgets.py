"""Small helpers every view uses: accessible names, inline field errors, messages."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import Qt, SignalInstance
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QMessageBox, QToolButton, QWidget

from console.errors import ConsoleError, ValidationError

W = TypeVar("W", bound=QWidget)


def named(widget: W, name: str, description: str = "") -> W:
    """Object name for tests, accessible name for screen readers, tooltip for everyone."""
    widget.setObjectName(name.replace(" ", "_").lower())
    widget.setAccessibleName(name)
    if description:
        widget.setAccessibleDescription(description)
        widget.setToolTip(description)
    return widget


def with_clear_button(edit: QLineEdit, name: str, description: str = "") -> QLineEdit:
    """The field's own clear button, named: Qt leaves it without a name a screen reader
    could read."""
    edit.setClearButtonEnabled(True)
    action = edit.findChild(QAction, "_q_qlineeditclearaction")
    if action is not None:
        action.setText(name)
        action.setToolTip(name)
    for button in edit.findChildren(QToolButton):
        if button.defaultAction() is action:
            named(button, name, description)
    return edit


# White on the fixed red: a dark theme's highlighted text can be dark too.
ERROR_STYLE = "color: white; background: #b3261e; border-radius: 3px; padding: 2px 6px;"


class FieldErrors:
    """Messages shown next to the field they are about, never in a pop-up."""

    def __init__(self) -> None:
        self._labels: dict[str, QLabel] = {}

    def add_row(self, form: QFormLayout, label: str, field: str, widget: W) -> W:
        """Returns the widget as passed, so `self.x = errors.add_row(..., QLineEdit())`
        keeps its own type for the checker."""
        error = QLabel()
        error.setObjectName(f"error_{field}")
        error.setWordWrap(True)
        error.setVisible(False)
        error.setAccessibleName(f"{label} error")
        error.setStyleSheet(ERROR_STYLE)
        form.addRow(label, widget)
        form.addRow("", error)
        self._labels[field] = error
        return widget

    def clear(self) -> None:
        for label in self._labels.values():
            label.clear()
            label.setVisible(False)

    def show(self, error: ValidationError) -> bool:
        """Show the error beside its field; False when no field here matches."""
        return self._say(error.field, error.reason)

    def follow(self, field: str, problem_changed: SignalInstance) -> None:
        """Show a field's own objection (a typed date it cannot read) as soon as it has one,
        not only at Save; an empty reason takes the message away."""
        problem_changed.connect(lambda reason: self._say(field, reason))

    def _say(self, field: str, reason: str) -> bool:
        label = self._labels.get(field)
        if label is None:
            return False
        label.setText(reason[:1].upper() + reason[1:] + "." if reason else "")
        label.setVisible(bool(reason))
        return True

    def text(self, field: str) -> str:
        label = self._labels.get(field)
        return label.text() if label is not None and label.isVisible() else ""


def report(parent: QWidget | None, title: str, error: BaseException) -> None:
    """Tell the user what went wrong, in words; a bug shows no values."""
    if isinstance(error, ConsoleError):
        text = error.message[:1].upper() + error.message[1:]
    else:
        text = (
            "Something unexpected went wrong. Nothing that was already saved is lost. "
            f"({type(error).__name__})"
        )
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.open()
