"""Qt's own chatter on stderr, minus known harmless platform noise.

Installed before Qt Multimedia loads, which reports the optional libraries it
probed: the pacer tells the therapist in words when there is no sound.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

_NOISE = ("propagateSizeHints", "pa_context_connect", "No QtMultimedia backends found")


def _on_qt_message(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    category = context.category or ""
    if any(noise in message for noise in _NOISE) or category.startswith("qt.multimedia"):
        return
    print(message, file=sys.stderr)


def quiet_qt_messages() -> None:
    qInstallMessageHandler(_on_qt_message)
