"""The lock screen keeps watch over a monitored medicine session: a time, then a chime.

Locking forgets the key, so the lock screen may show nothing from the
records. Before the key goes, each monitored session (dosed, not yet
discharged) gives the time its next vitals reading is due; the earliest of
those times is all the lock screen keeps. It shows that time, and when the
time comes it says "due now" and chimes once, so a clinician who stepped away
comes back for the reading. A time names no one, so it may outlive the key.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QTimer
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from ui.chime import Chime
from ui.dates import show_time
from ui.widgets import named

TICK_MS = 1000
CALM = "border: 1px solid palette(mid); border-radius: 6px; padding: 10px;"
DUE = "background: #8a5a00; color: white; border-radius: 6px; padding: 10px; font-weight: bold;"


@dataclass(frozen=True)
class LockWatch:
    """What survives the lock: whether a session is monitored and its next reading's time."""

    monitoring: bool = False
    due_at: datetime | None = None

    @classmethod
    def of(cls, watches: Iterable[tuple[bool, datetime | None]]) -> LockWatch:
        """The earliest reading due among the monitored sessions (each a view's `watch()`)."""
        monitored = [due for monitoring, due in watches if monitoring]
        times = [due for due in monitored if due is not None]
        return cls(bool(monitored), min(times) if times else None)

    def is_due(self, now: datetime) -> bool:
        return self.due_at is not None and now >= self.due_at


class LockReminder(QLabel):
    """The reminder line; checks the clock each second, chimes once when the reading is due."""

    def __init__(
        self,
        watch: LockWatch,
        clock: Callable[[], datetime],
        chime: Chime | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        named(self, "Vitals reminder")
        self.watch = watch
        self.clock = clock
        self.chime = chime or Chime(self)
        self.chimes = 0
        self.is_due = False
        self.setWordWrap(True)
        font = self.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        self.setFont(font)
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        due_at = self.watch.due_at
        due = self.watch.is_due(self.clock())
        if due_at is None:
            self.setText(self.tr("No further vitals reading is scheduled"))
        else:
            at = show_time(due_at)
            text = (
                self.tr("Vitals reading due now (due at %1)")
                if due
                else self.tr("Next vitals reading due at %1")
            )
            self.setText(text.replace("%1", at))
        self.setStyleSheet(DUE if due else CALM)
        if due and not self.is_due:
            self.chimes += 1
            self.chime.play()
            QApplication.alert(self.window())
        self.is_due = due

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()
        self._timer.start()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._timer.stop()
