"""Automatic logoff (HIPAA 164.312(a)(2)(iii)): lock after a stretch without input.

An application-wide event filter notes every key press, click and wheel turn;
a timer compares the time since with the setting. The clock is injectable so
tests move time instead of waiting.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

_ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}


class IdleWatcher(QObject):
    idle = Signal()

    def __init__(
        self,
        timeout_s: float,
        clock: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.timeout_s = timeout_s
        self.clock = clock
        self._last = clock()
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self.check)
        self._running = False

    def start(self) -> None:
        self._last = self.clock()
        app = QApplication.instance()
        if app is not None and not self._running:
            app.installEventFilter(self)
        self._running = True
        self._timer.start()

    def stop(self) -> None:
        app = QApplication.instance()
        if app is not None and self._running:
            app.removeEventFilter(self)
        self._running = False
        self._timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY:
            self._last = self.clock()
        return False

    def check(self) -> None:
        if self._running and self.clock() - self._last >= self.timeout_s:
            self.stop()
            self.idle.emit()
