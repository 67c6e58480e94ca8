"""What the client sees: the moving stimulus on a plain background, nothing else.

No client data ever reaches this window. Each frame is presented for one set
time: the area repainted (where the stimulus was last drawn, and where it is
now) and the drawing inside it come from that same time, so the stimulus is
never clipped and never left behind, and it is drawn at once rather than when
the event loop gets round to it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QPainter, QPaintEvent, QScreen
from PySide6.QtWidgets import QApplication, QWidget

from console.pacer.light_bar import LightBar
from console.pacer.motion import Motion
from console.pacer.settings import PacerSettings
from ui.pacer.keys import run_pacer_key

# Antialiasing reaches a pixel beyond the shape; repaint a little more than that.
MARGIN_PX = 3


class StimulusView(QWidget):
    """Draws the stimulus at the time of the last `present`; full screen and as the miniature."""

    def __init__(
        self,
        on_painted: Callable[[float, float], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.on_painted = on_painted
        self.settings = PacerSettings()
        self.motion = Motion(self.settings)
        self.light_bar = LightBar(self.motion)
        self.frame_time: float | None = None
        self._painted = QRect()  # where the stimulus was last drawn
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setAccessibleName("Stimulus")

    def configure(self, settings: PacerSettings, motion: Motion) -> None:
        """New settings: the stimulus waits where the next set starts."""
        self.settings, self.motion = settings, motion
        self.light_bar = LightBar(motion)
        self.frame_time = None
        self.update()

    def scale(self) -> float:
        return 1.0

    def centre_of(self, t: float | None) -> QPointF:
        """Pixel centre of the stimulus at set time t; with no set, where the next one starts.

        Waiting at the start position means the first frame of a set does not
        jump across the screen.
        """
        x, y = self.motion.position(0.0 if t is None else t)
        size = self.settings.size_px * self.scale()
        reach_x = max(0.0, self.width() * self.settings.sweep_percent / 200 - size / 2)
        reach_y = max(0.0, self.height() * self.settings.sweep_percent / 200 - size / 2)
        return QPointF(self.width() / 2 + x * reach_x, self.height() / 2 - y * reach_y)

    def stimulus_rect(self, t: float | None) -> QRect:
        """The pixels the stimulus covers at set time t, with the antialiasing margin."""
        centre = self.centre_of(t)
        size = self.settings.size_px * self.scale()
        if self.settings.shape == "vertical_bar":
            area = QRectF(round(centre.x()) - size / 4, 0, size / 2, self.height())
        elif self.settings.shape == "light_bar":
            return self.rect()
        else:
            area = QRectF(round(centre.x()) - size / 2, round(centre.y()) - size / 2, size, size)
        return area.toAlignedRect().adjusted(-MARGIN_PX, -MARGIN_PX, MARGIN_PX, MARGIN_PX)

    def present(self, t: float | None) -> None:
        """Show the stimulus at set time t now: erase where it was, draw where it is."""
        self.frame_time = t
        area = self.stimulus_rect(t).united(self._painted)
        if self.isVisible():
            self.repaint(area)

    def paintEvent(self, event: QPaintEvent) -> None:
        t = self.frame_time
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
        self._painted = self.stimulus_rect(t)
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

    window_shown = Signal()  # it has a native window now, whose refresh can pace frames

    def __init__(self, on_painted: Callable[[float, float], None] | None = None) -> None:
        super().__init__(on_painted)
        self.setWindowFlags(Qt.WindowType.FramelessWindowHint | Qt.WindowType.Window)
        self.setWindowTitle("Pacer")
        self.setCursor(Qt.CursorShape.BlankCursor)
        self.keys: dict[int, Callable[[], None]] = {}
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """The client's window answers every pacer key, for single-screen mode."""
        if not run_pacer_key(self.keys, event):
            super().keyPressEvent(event)

    def show_on(self, screen: QScreen, activate: bool) -> None:
        """Full screen there; it takes the keyboard only when it covers the therapist's screen."""
        therapists = QApplication.activeWindow()
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, not activate)
        self.setScreen(screen)
        self.setGeometry(screen.geometry())
        self.showFullScreen()
        self.window_shown.emit()
        if activate:
            self.activateWindow()
        elif therapists is not None and therapists is not self:
            therapists.activateWindow()


class MiniatureView(StimulusView):
    """The therapist's live miniature: the same drawing, scaled to fit the panel."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(None, parent)
        self.setMinimumSize(240, 135)
        self.setAccessibleName("Pacer preview")
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)

    def scale(self) -> float:
        return max(0.1, self.width() / 1920)
