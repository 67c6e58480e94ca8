"""About: the versions a support call needs (app, Qt, SQLCipher, Python)."""

from __future__ import annotations

import platform

import PySide6
from PySide6.QtCore import qVersion
from PySide6.QtWidgets import QMessageBox, QWidget

from console import APP_NAME, __version__
from console.vault.database import cipher_version


def versions() -> dict[str, str]:
    return {
        APP_NAME: __version__,
        "Qt": qVersion(),
        "PySide6": PySide6.__version__,
        "SQLCipher": cipher_version(),
        "Python": platform.python_version(),
    }


def show_about(parent: QWidget) -> QMessageBox:
    rows = "".join(f"<tr><td><b>{k}</b></td><td>&nbsp;{v}</td></tr>" for k, v in versions().items())
    box = QMessageBox(parent)
    box.setWindowTitle(parent.tr("About Session Console"))
    box.setText(
        f"<h3>{APP_NAME}</h3><p>Encrypted records and tools for EMDR, ART and IFS sessions."
        f"</p><table>{rows}</table><p>Your records stay on this computer, encrypted.</p>"
    )
    box.setObjectName("about_box")
    box.open()
    return box
