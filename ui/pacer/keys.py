"""One rule for the pacer's keys in every window: an unmodified key the focus did not use."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent


def run_pacer_key(keys: dict[int, Callable[[], None]], event: QKeyEvent) -> bool:
    """Do the pacer's action for this key press; False when the key is not the pacer's."""
    action = keys.get(event.key())
    if action is None or event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
        return False
    action()
    return True
