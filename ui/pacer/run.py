"""One pacer: its settings, the set under way, the client's screen and the sound.

Everything the picture and the sound show is a function of one set time:
the audio device's played-sample clock when sound is on, a monotonic clock
otherwise. Frames only sample it; a late frame never changes the speed.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QScreen

from console.errors import ConsoleError
from console.pacer.audio import AudioRenderer
from console.pacer.clock import SetClock
from console.pacer.motion import Motion
from console.pacer.set_log import FrameStats, SetResult
from console.pacer.settings import PacerSettings
from console.services.bls import BlsSetRecord
from console.services.bundle import Services
from ui.pacer.audio import RATE, AudioOutput
from ui.pacer.stimulus import StimulusWindow

FRAME_MS = 16


def choose_screen(remembered: str) -> QScreen:
    """The remembered screen if present, else one that is not the laptop's, else the laptop's."""
    screens = QGuiApplication.screens()
    primary = QGuiApplication.primaryScreen()
    for screen in screens:
        if screen.name() == remembered:
            return screen
    others = [s for s in screens if s is not primary]
    return others[0] if others else primary


class PacerRun(QObject):
    changed = Signal()  # state, passes or time moved on
    set_finished = Signal(object)  # BlsSetRecord, or SetResult when no session is open
    message = Signal(str)  # something the therapist should know
    screen_offered = Signal(str)  # a screen was plugged in

    def __init__(
        self,
        services: Services | None,
        session_id: uuid.UUID | None,
        clock: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.session_id = session_id
        self.clock = clock
        self.settings = PacerSettings()
        self.motion = Motion(self.settings)
        self.set_clock: SetClock | None = None
        self.started_at: datetime | None = None
        self.stats = FrameStats()
        self.sets_done = (
            len(services.bls_sets.list_for_session(session_id))
            if (services is not None and session_id is not None)
            else 0
        )
        self.audio = AudioOutput(self)
        self._audio_origin = 0
        self.window = StimulusWindow(self.set_time, self._on_painted)
        self.destroyed.connect(self.window.deleteLater)
        self.window.keys = {
            Qt.Key.Key_Space: self.toggle,
            Qt.Key.Key_Escape: self.stop,
            Qt.Key.Key_F: self.hide_stimulus,
        }
        self.window.configure(self.settings, self.motion)
        self.screen_name = ""
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(FRAME_MS)
        self._timer.timeout.connect(self._on_frame)
        app = QGuiApplication.instance()
        if app is not None:
            app.screenRemoved.connect(self._on_screen_removed)  # type: ignore[attr-defined]
            app.screenAdded.connect(self._on_screen_added)  # type: ignore[attr-defined]

    # -- state ------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self.set_clock is not None and self.set_clock.running

    @property
    def paused(self) -> bool:
        return self.set_clock is not None and not self.set_clock.running

    def set_time(self) -> float | None:
        if self.set_clock is None:
            return None
        played = self.audio.played_seconds() if self.running else None
        if played is not None:
            offset = self.settings.audio_offset_ms / 1000
            return max(0.0, self._audio_origin / RATE + played - offset)
        return self.set_clock.set_time(self.clock())

    def passes_done(self) -> int:
        t = self.set_time()
        return 0 if t is None else self.motion.passes_completed(t)

    def apply(self, settings: PacerSettings) -> None:
        """New settings take effect now if idle, or at the next set."""
        self.settings = settings
        if self.set_clock is None:
            self.motion = Motion(settings)
            self.window.configure(settings, self.motion)
        self.changed.emit()

    # -- screens ----------------------------------------------------------
    def show_stimulus(self, screen_name: str = "") -> QScreen:
        screen = choose_screen(screen_name or self.screen_name)
        self.screen_name = screen.name()
        self.window.show_on(screen)
        return screen

    def hide_stimulus(self) -> None:
        self.window.hide()

    def _on_screen_removed(self, screen: QScreen) -> None:
        if screen.name() != self.screen_name or not self.window.isVisible():
            return
        if self.running:
            self.pause()
        primary = QGuiApplication.primaryScreen()
        self.screen_name = primary.name() if primary else ""
        if primary is not None:
            self.window.show_on(primary)
        self.message.emit(
            f"The screen “{screen.name()}” was disconnected: the set is paused and the "
            "pacer moved to this screen."
        )
        self.changed.emit()

    def _on_screen_added(self, screen: QScreen) -> None:
        self.screen_offered.emit(screen.name())

    # -- sets -------------------------------------------------------------
    def start(self) -> None:
        if self.set_clock is not None:
            if self.paused:
                self.resume()
            return
        self.motion = Motion(self.settings)
        self.window.configure(self.settings, self.motion)
        self.stats = FrameStats()
        self.started_at = datetime.now(UTC)
        self.set_clock = SetClock().start(self.clock())
        self._start_audio(0.0)
        self._timer.start()
        self.changed.emit()

    def pause(self) -> None:
        if self.set_clock is None or self.paused:
            return
        shown = self.set_time() or 0.0  # the audio clock's time when sound leads
        self.audio.stop()
        self.set_clock = SetClock(self.clock(), shown, False)
        self.changed.emit()

    def resume(self) -> None:
        if self.set_clock is None or not self.paused:
            return
        self.set_clock = self.set_clock.resume(self.clock())
        self._start_audio(self.set_clock.set_time(self.clock()))
        self.changed.emit()

    def toggle(self) -> None:
        if self.running:
            self.pause()
        else:
            self.start()

    def stop(self, ended_by: str = "stop") -> None:
        if self.set_clock is not None:
            self._finish(ended_by)

    def _start_audio(self, set_time: float) -> None:
        if self.settings.sound == "off":
            return
        renderer = AudioRenderer(self.motion)
        self._audio_origin = round(set_time * RATE)
        origin = self._audio_origin
        if not self.audio.start(lambda n0, n1: renderer.render(origin + n0, origin + n1, RATE)):
            self.message.emit(f"No sound: {self.audio.reason}. The visual pacer still works.")

    def _on_frame(self) -> None:
        t = self.set_time()
        if t is None:
            return
        if self.motion.ended(t):
            self._finish("limit")
            return
        self.window.advance()
        self.changed.emit()

    def _on_painted(self, t: float, error_px: float) -> None:
        if self.running:
            self.stats.add(self.clock(), error_px)

    def _finish(self, ended_by: str) -> None:
        t = self.set_time() or 0.0
        self._timer.stop()
        self.audio.stop()
        passes = self.motion.passes_completed(t)
        result = SetResult(
            started_at=self.started_at or datetime.now(UTC),
            ended_at=datetime.now(UTC),
            speed_hz=self.settings.speed_hz,
            path=self.settings.path,
            profile=self.settings.profile,
            sound=self.settings.sound,
            passes_completed=passes,
            ended_by=ended_by,  # type: ignore[arg-type]
            frames=self.stats.frames,
            frame_p50_ms=self.stats.p50_ms,
            frame_p99_ms=self.stats.p99_ms,
            late_frames=self.stats.late_frames,
            max_position_error_px=self.stats.max_position_error_px,
        )
        self.set_clock = None
        self.window.advance()
        logged: object = result
        if self.services is not None and self.session_id is not None:
            try:
                logged = self.services.bls_sets.log(self.session_id, result)
            except ConsoleError as exc:
                self.message.emit(f"The set could not be saved: {exc.message}")
        self.sets_done += 1
        self.changed.emit()
        self.set_finished.emit(logged)

    def annotate(self, record: BlsSetRecord, sud: int | None, voc: int | None, notes: str) -> None:
        if self.services is not None:
            self.services.bls_sets.annotate(record.id, sud, voc, notes)

    def shutdown(self) -> None:
        """On lock or close: a set under way ends as interrupted; the window and sound go."""
        if self.set_clock is not None:
            self._finish("interruption")
        self.audio.stop()
        self.window.hide()
