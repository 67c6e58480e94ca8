"""`session-console pacer`: the stimulus full screen with no vault and nothing recorded.

For trying settings with a new client, for a training day, and for measuring
what reaches the screen and the speaker from outside the process. The set
starts as soon as the window is up; Esc (or the set's end) closes it.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from console.pacer.audio import TONE_S
from console.pacer.set_log import SetResult
from console.pacer.settings import PacerSettings
from ui.pacer.audio import BUFFER_S
from ui.pacer.run import PacerRun

REST_BEFORE_START_MS = 300


def run(settings: PacerSettings, screen_name: str) -> int:
    app = QApplication.instance() or QApplication([sys.argv[0]])
    names = [s.name() for s in QGuiApplication.screens()]
    if screen_name and screen_name not in names:
        print(
            f"session-console: no screen is called “{screen_name}” (screens: {', '.join(names)})",
            file=sys.stderr,
        )
        return 2
    pacer = PacerRun(None, None)
    pacer.apply(settings)
    pacer.screen_name = screen_name
    pacer.message.connect(lambda text: print(text, file=sys.stderr))
    outcome: list[SetResult] = []

    def finished(result: object) -> None:
        if isinstance(result, SetResult):
            outcome.append(result)
        # At its end the set's last tone is still queued at the sound device: let it play.
        tail_ms = round((BUFFER_S + TONE_S) * 1000) + 100 if settings.sound != "off" else 0
        QTimer.singleShot(tail_ms if outcome and outcome[0].ended_by == "limit" else 0, app.quit)

    pacer.set_finished.connect(finished)
    screen = QGuiApplication.screens()[names.index(screen_name)] if screen_name else None
    shown = pacer.show_stimulus(screen.name() if screen else "")
    pacer.window.show_on(shown, activate=True)  # the keyboard goes to the pacer: Esc ends it

    def start_once_shown() -> None:
        """The dot appears where the set starts and rests a beat before it moves, however
        slow the display is to map the window: no first frame already under way."""
        handle = pacer.window.windowHandle()
        if handle is None or not handle.isExposed():
            QTimer.singleShot(10, start_once_shown)
            return
        pacer.window.present(None)
        QTimer.singleShot(REST_BEFORE_START_MS, pacer.start)

    QTimer.singleShot(0, start_once_shown)
    app.exec()
    pacer.shutdown()
    if outcome:
        result = outcome[0]
        seconds = (result.ended_at - result.started_at).total_seconds()
        how = "at its end" if result.ended_by == "limit" else "by Esc"
        print(f"Pacer: {result.passes_completed} passes in {seconds:.1f} s, ended {how}.")
    return 0
