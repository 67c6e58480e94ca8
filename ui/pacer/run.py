"""One pacer: its settings, the set under way, the client's screen and the sound.

Everything the picture and the sound show is a function of one set time, on
the monotonic clock. With sound the set's first sample goes to the device once
it is really playing (a newly opened device reports nothing for a second or
two), and the picture starts when that sample will be heard; after that the
sound is watched and skips ahead if it falls behind (`console.pacer.sync`).
Frames are drawn on a grid at the client screen's refresh rate, or on the
display's own refresh where the platform paces update requests, each at the
position for the moment it is drawn.

While a link to the client's own device is shared (`ui/pacer/sharing.py`),
`lead_s` is above zero: a start, resume, pause or stop then takes effect that
far ahead, and `shown` announces what the stimulus shows from which instant,
so the client's page switches at the same moment as this window.
"""

from __future__ import annotations

import time
import uuid
import weakref
from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QScreen

from console.errors import ConsoleError
from console.pacer.audio import AudioRenderer
from console.pacer.clock import SetClock
from console.pacer.controls import next_sound, nudged_speed, with_path_number
from console.pacer.frames import next_frame_delay, refresh_period
from console.pacer.motion import Motion
from console.pacer.set_log import EndedBy, FrameStats, SetResult
from console.pacer.settings import PacerSettings
from console.pacer.sync import SoundWatch
from console.services.bls import BlsSetRecord
from console.services.bundle import Services
from ui.pacer.audio import RATE, AudioOutput
from ui.pacer.stimulus import StimulusWindow

# Where a window's update requests are paced by the display's vertical refresh.
REFRESH_PLATFORMS = frozenset({"wayland", "cocoa"})
# An open, silent sound device costs a little CPU; after this long with no set it is closed.
SOUND_IDLE_CLOSE_S = 300
# How long a set waits for a sound device that does not start before running without it.
SOUND_START_WAIT_S = 3.0


def choose_screen(remembered: str) -> QScreen:
    """The remembered screen if present, else one that is not the laptop's, else the laptop's."""
    screens = QGuiApplication.screens()
    primary = QGuiApplication.primaryScreen()
    for screen in screens:
        if screen.name() == remembered:
            return screen
    others = [s for s in screens if s is not primary]
    return others[0] if others else primary


class _SoundSync:
    """Where the sound of the current stream is, and when the picture starts with it."""

    def __init__(self, origin: float, started_wall: float) -> None:
        self.origin = origin  # set time of the stream's first frame
        self.started_wall = started_wall
        self.begin: int | None = None  # device frame of that first frame
        self.heard_from: float | None = None  # wall time that first frame is heard
        self.watch = SoundWatch()
        self._last_frames: int | None = None
        self._advances = 0

    def at(self, wall: float) -> float:
        """The picture's set time: wall time from when the sound is heard, held before."""
        if self.heard_from is None:
            return self.origin
        return self.origin + max(0.0, wall - self.heard_from)


class PacerRun(QObject):
    changed = Signal()  # state, passes, settings or time moved on
    set_finished = Signal(object)  # BlsSetRecord, or SetResult when no session is open
    message = Signal(str)  # something the therapist should know
    screen_offered = Signal(str)  # a screen was plugged in
    screens_changed = Signal()
    # (monotonic instant, settings, SetClock or None): what the stimulus shows from then on;
    # None waits where the next set starts, a clock that is not running rests at its set time.
    shown = Signal(float, object, object)

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
        self.lead_s = 0.0  # how far ahead a change is scheduled (a link is shared)
        # What the set log says about a client's own device the set also ran on ("" if none).
        self.remote_summary: weakref.WeakMethod[Callable[[], str]] | None = None
        self._deferred = QTimer(self)
        self._deferred.setSingleShot(True)
        self._deferred.setTimerType(Qt.TimerType.PreciseTimer)
        self._deferred_action: Callable[[], None] | None = None
        self._deferred.timeout.connect(self._run_deferred)
        self.sound: _SoundSync | None = None
        self.started_at: datetime | None = None
        self.stats = FrameStats()
        self.sets_done = (
            len(services.bls_sets.list_for_session(session_id))
            if (services is not None and session_id is not None)
            else 0
        )
        self.audio = AudioOutput(self)
        self.window = StimulusWindow(self._on_painted)
        self.destroyed.connect(self.window.deleteLater)
        self.window.keys = self.key_actions()
        self.window.configure(self.settings, self.motion)
        self.screen_name = ""  # the therapist's choice; "" lets the pacer pick
        self.shown_on = ""  # the screen the stimulus is showing on now
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_frame)
        self._grid_start = 0.0
        self._sound_idle = QTimer(self)
        self._sound_idle.setSingleShot(True)
        self._sound_idle.setInterval(SOUND_IDLE_CLOSE_S * 1000)
        self._sound_idle.timeout.connect(self._close_idle_sound)
        self.frames_from_refresh = QGuiApplication.platformName() in REFRESH_PLATFORMS
        self.window.window_shown.connect(self._watch_refresh)
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.screenRemoved.connect(self._on_screen_removed)
            app.screenAdded.connect(self._on_screen_added)

    def _watch_refresh(self) -> None:
        handle = self.window.windowHandle()
        if handle is not None:
            handle.removeEventFilter(self)
            handle.installEventFilter(self)

    def key_actions(self) -> dict[int, Callable[[], None]]:
        """The keys every pacer window answers, wherever the focus is in it."""
        keys: dict[int, Callable[[], None]] = {
            Qt.Key.Key_Space: self.toggle,
            Qt.Key.Key_Escape: self.stop,
            Qt.Key.Key_F: self.toggle_stimulus,
            Qt.Key.Key_Up: lambda: self.apply(nudged_speed(self.settings, 1)),
            Qt.Key.Key_Down: lambda: self.apply(nudged_speed(self.settings, -1)),
            Qt.Key.Key_S: lambda: self.apply(next_sound(self.settings)),
        }
        for number in range(1, 7):
            key = Qt.Key(Qt.Key.Key_0.value + number)
            keys[key] = self._path_key(number)
        return keys

    def _path_key(self, number: int) -> Callable[[], None]:
        return lambda: self.apply(with_path_number(self.settings, number))

    # -- state ------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self.set_clock is not None and self.set_clock.running

    @property
    def paused(self) -> bool:
        return self.set_clock is not None and not self.set_clock.running

    @property
    def waiting_for_sound(self) -> bool:
        return self.running and self.sound is not None and self.sound.heard_from is None

    def set_time(self) -> float | None:
        if self.set_clock is None:
            return None
        return self._set_time_at(self.clock())

    def passes_done(self) -> int:
        t = self.set_time()
        return 0 if t is None else self.motion.passes_completed(t)

    def sound_offset_ms(self) -> float | None:
        """How far behind the picture the device reports the sound, averaged (a diagnostic)."""
        if self.sound is None or self.sound.heard_from is None:
            return None
        return self.sound.watch.behind_s * 1000

    def apply(self, settings: PacerSettings) -> None:
        """New settings take effect at the next set, or, between sets, `lead_s` from now:
        while a link is shared the client's page switches at that same instant."""
        self.settings = settings
        if self.set_clock is None:
            at = self.clock() + self.lead_s
            motion = Motion(settings)
            self.shown.emit(at, settings, None)
            self._defer(at, lambda: self._show_settings(settings, motion))
            if settings.sound == "off":
                self.audio.stop()
            else:
                self.audio.warm()
                self._sound_idle.start()
        self.changed.emit()

    def _show_settings(self, settings: PacerSettings, motion: Motion) -> None:
        self.motion = motion
        self.window.configure(settings, motion)

    # -- screens ----------------------------------------------------------
    def show_stimulus(self, screen_name: str = "") -> QScreen:
        screen = choose_screen(screen_name or self.screen_name)
        self.window.show_on(screen, activate=screen is QGuiApplication.primaryScreen())
        self.shown_on = screen.name()
        self.changed.emit()
        return screen

    def hide_stimulus(self) -> None:
        self.window.hide()
        self.changed.emit()

    def toggle_stimulus(self) -> None:
        if self.window.isVisible():
            self.hide_stimulus()
        else:
            self.show_stimulus()

    def choose(self, screen_name: str) -> None:
        """The therapist picked the screen that faces the client ("" for automatic)."""
        self.screen_name = screen_name
        if self.window.isVisible():
            self.show_stimulus()

    def _on_screen_removed(self, screen: QScreen) -> None:
        self.screens_changed.emit()
        if not self.window.isVisible() or screen.name() != self.shown_on:
            return
        if self.running:
            self.pause()
        primary = QGuiApplication.primaryScreen()
        if primary is not None and primary is not screen:
            self.window.show_on(primary, activate=True)
            self.shown_on = primary.name()
        self.message.emit(
            f"The screen “{screen.name()}” was disconnected: the set is paused and the "
            "pacer moved to this screen."
        )
        self.changed.emit()

    def _on_screen_added(self, screen: QScreen) -> None:
        self.screens_changed.emit()
        self.screen_offered.emit(screen.name())

    # -- sets -------------------------------------------------------------
    def start(self) -> None:
        if self.set_clock is not None:
            if self.paused:
                self.resume()
            return
        self._deferred.stop()  # settings still to switch between sets are shown from now
        self._deferred_action = None
        self.motion = Motion(self.settings)
        self.window.configure(self.settings, self.motion)
        self.stats = FrameStats()
        self.started_at = datetime.now(UTC)
        now = self.clock()
        self.set_clock = SetClock().start(now + self.lead_s)
        self._start_audio(0.0)
        self._announce_running(now)
        self._start_frames()
        self.changed.emit()

    def pause(self) -> None:
        if self.set_clock is None or self.paused or self._deferred_action is not None:
            return
        at = self.clock() + self.lead_s
        shown = self._set_time_at(at)
        self._announce(at, SetClock(at, shown, False))
        self._defer(at, lambda: self._pause_at(at, shown))

    def _pause_at(self, at: float, shown: float) -> None:
        self.audio.silence()
        self.sound = None
        self.set_clock = SetClock(at, shown, False)
        self.changed.emit()

    def resume(self) -> None:
        if self.set_clock is None or not self.paused:
            return
        now = self.clock()
        self.set_clock = self.set_clock.resume(now + self.lead_s)
        self._start_audio(self.set_clock.anchor_set)
        self._announce_running(now)
        self._start_frames()
        self.changed.emit()

    def toggle(self) -> None:
        if self.running:
            self.pause()
        else:
            self.start()

    def stop(self) -> None:
        """Stop the set under way; it is logged as stopped by the therapist."""
        if self.set_clock is None:
            return
        self._deferred.stop()
        self._deferred_action = None
        if self.paused:
            self._finish("stop")
            return
        at = self.clock() + self.lead_s
        shown = self._set_time_at(at)
        self._announce(at, SetClock(at, shown, False))
        self._defer(at, lambda: self._finish("stop", shown))

    # -- what the client's own device is told ------------------------------
    def _set_time_at(self, at: float) -> float:
        """The set time the stimulus shows at instant `at` (now or a little ahead); a start
        scheduled ahead holds the stimulus where the set begins until its instant."""
        clock = self.set_clock
        if clock is None:
            return 0.0
        if not clock.running or (clock.anchor_wall is not None and at < clock.anchor_wall):
            return clock.anchor_set
        if self.sound is not None:
            return self.sound.at(at)
        return clock.set_time(at)

    def _remote_summary(self) -> str:
        summary = self.remote_summary() if self.remote_summary is not None else None
        return summary() if summary is not None else ""

    def _announce(self, at: float, clock: SetClock | None) -> None:
        self.shown.emit(at, self.motion.settings, clock)

    def _announce_running(self, now: float) -> None:
        """Without sound the set runs from its clock; with sound it is held until heard."""
        if self.set_clock is None:
            return
        if self.sound is None:
            self._announce(now, self.set_clock)
        else:
            self._announce(now, SetClock(now, self.sound.origin, False))

    def _defer(self, at: float, action: Callable[[], None]) -> None:
        if at <= self.clock():
            action()
            return
        self._deferred_action = action
        self._deferred.start(max(0, round((at - self.clock()) * 1000)))

    def _run_deferred(self) -> None:
        action, self._deferred_action = self._deferred_action, None
        if action is not None:
            action()

    def announce(self) -> None:
        """Say again what the stimulus shows now (a link was just shared)."""
        now = self.clock()
        if self.set_clock is None:
            self._announce(now, None)
        elif self.running:
            if self.sound is not None and self.sound.heard_from is not None:
                self._announce(now, SetClock(self.sound.heard_from, self.sound.origin, True))
            else:
                self._announce_running(now)
        else:
            self._announce(now, self.set_clock)

    def _close_idle_sound(self) -> None:
        if self.set_clock is None:
            self.audio.stop()

    def _start_audio(self, set_time: float) -> None:
        self.sound = None
        if self.settings.sound == "off":
            self.audio.stop()
            return
        renderer = AudioRenderer(self.motion)
        origin = round(set_time * RATE)
        if self.audio.start(lambda n0, n1: renderer.render(origin + n0, origin + n1, RATE)):
            self.sound = _SoundSync(origin / RATE, self.clock())
        else:
            self.message.emit(f"No sound: {self.audio.reason}. The visual pacer still works.")

    def _follow_sound(self, now: float) -> None:
        """Begin the set's sound once the device plays, then keep it with the picture."""
        sound, stream = self.sound, self.audio.stream
        frames = self.audio.device_frames()
        if sound is None or stream is None or frames is None:
            return
        offset = self.settings.audio_offset_ms / 1000
        if sound.begin is None:
            if sound._last_frames is not None and frames > sound._last_frames:
                sound._advances += 1
            sound._last_frames = frames
            if sound._advances >= 2 or now - sound.started_wall > SOUND_START_WAIT_S:
                sound.begin = stream.start_now()
                queued = max(0, stream.handed - frames) / RATE
                sound.heard_from = now + queued + offset
                self._announce(now, SetClock(sound.heard_from, sound.origin, True))
                # Frames fall on whole periods of set time, as without sound: one at each turn.
                self._grid_start = sound.heard_from
            return
        if sound.heard_from is None or now < sound.heard_from or frames <= sound.begin:
            return
        heard = sound.origin + (frames - sound.begin + stream.dropped) / RATE - offset
        skip = sound.watch.observe(now, heard, sound.at(now))
        if skip is not None:
            stream.skip(skip)

    @property
    def refresh_signal(self) -> bool:
        """Frames come from the display's refresh (Wayland frame callbacks, macOS display link)."""
        return self.frames_from_refresh and self.window.isVisible()

    def _start_frames(self) -> None:
        self._grid_start = self.clock()
        self._timer.start(0)

    def _next_frame(self) -> None:
        if self.refresh_signal:
            handle = self.window.windowHandle()
            if handle is not None:
                handle.requestUpdate()
                return
        delay = next_frame_delay(self._grid_start, self.frame_period(), self.clock())
        self._timer.start(round(delay * 1000))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The platform's UpdateRequest on the client window is the refresh: draw a frame."""
        if event.type() == QEvent.Type.UpdateRequest and self.refresh_signal:
            self._on_frame()
        return False

    def frame_period(self) -> float:
        screen = self.window.screen() if self.window.isVisible() else None
        return refresh_period(screen.refreshRate() if screen else 0.0)

    def _on_frame(self) -> None:
        if not self.running:
            return
        now = self.clock()
        if self.sound is not None:
            self._follow_sound(now)
        t = self.set_time()
        if t is None:
            return
        if self.motion.ended(t):
            self._finish("limit")
            return
        self.window.present(t)
        self.changed.emit()
        self._next_frame()

    def _on_painted(self, t: float, error_px: float) -> None:
        if self.running:
            self.stats.add(self.clock(), error_px)

    def _finish(self, ended_by: EndedBy, at_set_time: float | None = None) -> None:
        t = at_set_time if at_set_time is not None else (self.set_time() or 0.0)
        self._timer.stop()
        self._deferred.stop()
        self._deferred_action = None
        if ended_by != "limit":
            self.audio.silence()  # at the limit the stream plays out its last tone, then silence
        if self.settings.sound != "off":
            self._sound_idle.start()
        self.sound = None
        passes = self.motion.passes_completed(t)
        result = SetResult(
            started_at=self.started_at or datetime.now(UTC),
            ended_at=datetime.now(UTC),
            speed_hz=self.settings.speed_hz,
            path=self.settings.path,
            profile=self.settings.profile,
            sound=self.settings.sound,
            passes_completed=passes,
            ended_by=ended_by,
            frames=self.stats.frames,
            frame_p50_ms=self.stats.p50_ms,
            frame_p99_ms=self.stats.p99_ms,
            late_frames=self.stats.late_frames,
            max_position_error_px=self.stats.max_position_error_px,
            protocol=self.settings.protocol,
            remote=self._remote_summary(),
        )
        self.set_clock = None
        if self.settings != self.motion.settings:
            self.motion = Motion(self.settings)
            self.window.configure(self.settings, self.motion)
            self._announce(self.clock(), None)
        else:
            self.window.present(t)  # the stimulus rests where the set left it
            if ended_by != "stop":  # a stop was announced for its instant already
                self._announce(self.clock(), SetClock(self.clock(), t, False))
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
