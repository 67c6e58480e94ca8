"""What the client sees: the moving stimulus on a plain background, nothing else.

No client data ever reaches this window. It paints only the area the
stimulus left and entered, and asks the run for the set time at the moment
of each paint, so a late frame never changes the speed.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QKeyEvent, QPainter, QPaintEvent, QScreen
from PySide6.QtWidgets import QWidget

from console.pacer.light_bar import LightBar
from console.pacer.motion import Motion
from console.pacer.settings import PacerSettings


class StimulusView(QWidget):
    """Draws the stimulus for set time `time_source()`; used full-screen and as the miniature."""

    def __init__(
        self,
        time_source: Callable[[], float | None],
        on_painted: Callable[[float, float], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.time_source = time_source
        self.on_painted = on_painted
        self.settings = PacerSettings()
        self.motion = Motion(self.settings)
        self.light_bar = LightBar(self.motion)
        self._last_rect = QRect()
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setAccessibleName("Stimulus")

    def configure(self, settings: PacerSettings, motion: Motion) -> None:
        self.settings, self.motion = settings, motion
        self.light_bar = LightBar(motion)
        self.update()

    def scale(self) -> float:
        return 1.0

    def centre_of(self, t: float | None) -> QPointF:
        """Pixel centre of the stimulus at set time t (rest at centre when idle)."""
        x, y = self.motion.position(t) if t is not None else (0.0, 0.0)
        size = self.settings.size_px * self.scale()
        reach_x = max(0.0, self.width() * self.settings.sweep_percent / 200 - size / 2)
        reach_y = max(0.0, self.height() * self.settings.sweep_percent / 200 - size / 2)
        return QPointF(self.width() / 2 + x * reach_x, self.height() / 2 - y * reach_y)

    def _stimulus_rect(self, centre: QPointF) -> QRect:
        size = self.settings.size_px * self.scale()
        if self.settings.shape == "vertical_bar":
            return QRectF(centre.x() - size / 4, 0, size / 2, self.height()).toAlignedRect()
        if self.settings.shape == "light_bar":
            return self.rect()
        return QRectF(centre.x() - size / 2, centre.y() - size / 2, size, size).toAlignedRect()

    def advance(self) -> None:
        """Repaint where the stimulus was and where it is now: only what changes."""
        rect = self._stimulus_rect(self.centre_of(self.time_source())).adjusted(-2, -2, 2, 2)
        self.update(rect.united(self._last_rect))
        self._last_rect = rect

    def paintEvent(self, event: QPaintEvent) -> None:
        t = self.time_source()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(event.rect(), QColor(self.settings.background))
        colour = QColor(self.settings.colour)
        centre = self.centre_of(t)
        drawn = QPointF(round(centre.x()), round(centre.y()))
        size = self.settings.size_px * self.scale()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        shape = self.settings.shape
        if shape == "light_bar":
            self._paint_light_bar(painter, t, size)
        elif shape == "square":
            painter.drawRect(QRectF(drawn.x() - size / 2, drawn.y() - size / 2, size, size))
        elif shape == "vertical_bar":
            painter.drawRect(QRectF(drawn.x() - size / 4, 0, size / 2, self.height()))
        else:
            painter.drawEllipse(drawn, size / 2, size / 2)
        painter.end()
        if self.on_painted is not None and t is not None:
            error = ((drawn.x() - centre.x()) ** 2 + (drawn.y() - centre.y()) ** 2) ** 0.5
            self.on_painted(t, error)

    def _paint_light_bar(self, painter: QPainter, t: float | None, size: float) -> None:
        leds = self.light_bar.leds
        lit = self.light_bar.lit(t) if t is not None else -1
        span = self.width() * self.settings.sweep_percent / 100
        step = span / leds
        left = (self.width() - span) / 2
        dim = QColor(self.settings.colour)
        dim.setAlpha(40)
        for i in range(leds):
            painter.setBrush(QColor(self.settings.colour) if i == lit else dim)
            painter.drawRoundedRect(
                QRectF(
                    left + i * step + step * 0.15, self.height() / 2 - size / 2, step * 0.7, size
                ),
                4,
                4,
            )


class StimulusWindow(StimulusView):
    """Chrome-free, full screen on the screen that faces the client."""

    def __init__(
        self,
        time_source: Callable[[], float | None],
        on_painted: Callable[[float, float], None] | None = None,
    ) -> None:
        super().__init__(time_source, on_painted)
        self.setWindowFlags(Qt.WindowType.FramelessWindowHint | Qt.WindowType.Window)
        self.setWindowTitle("Pacer")
        self.setCursor(Qt.CursorShape.BlankCursor)
        self.keys: dict[int, Callable[[], None]] = {}

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Single-screen mode: the pacer fills the laptop and the keyboard runs it."""
        action = self.keys.get(event.key())
        if action is None:
            super().keyPressEvent(event)
        else:
            action()

    def show_on(self, screen: QScreen) -> None:
        self.setScreen(screen)
        self.setGeometry(screen.geometry())
        self.showFullScreen()


class MiniatureView(StimulusView):
    """The therapist's live miniature: the same drawing, scaled to fit the panel."""

    def __init__(self, time_source: Callable[[], float | None], parent: QWidget | None = None):
        super().__init__(time_source, None, parent)
        self.setMinimumSize(240, 135)
        self.setAccessibleName("Pacer preview")

    def scale(self) -> float:
        return max(0.1, self.width() / 1920)
