"""Icons for the windows, looked up through the one resource function."""

from __future__ import annotations

from PySide6.QtGui import QIcon

from console.resources import resource_path


def app_icon() -> QIcon:
    return QIcon(str(resource_path("icons/session-console.svg")))
