"""Small form pieces the worksheet tabs share: ratings that may be unset, text that may be long."""

from __future__ import annotations

from PySide6.QtWidgets import QPlainTextEdit, QSpinBox

from ui.rating_box import RatingBox
from ui.widgets import named


def rating(name: str, lo: int, hi: int) -> RatingBox:
    """A SUD/VOC box whose lowest position means "not rated" (shown as a dash)."""
    return named(RatingBox(lo, hi), name)


def read_rating(box: QSpinBox) -> int | None:
    return None if box.value() == box.minimum() else box.value()


def write_rating(box: QSpinBox, value: int | None) -> None:
    box.setValue(box.minimum() if value is None else value)


def notes(name: str, height: int = 60) -> QPlainTextEdit:
    edit = named(QPlainTextEdit(), name)
    edit.setTabChangesFocus(True)
    edit.setMinimumHeight(height)
    return edit
