"""The course over dates: sessions by kind, and the approaches used in each, as rows.

Planned sessions are hollow, done ones filled, missed ones crossed, cancelled
ones a hollow diamond; the legend says so in words. The x axis is epoch
seconds (pg.DateAxisItem), the same as the measures chart, so the two can be
linked and zoom and pan together.
"""

from __future__ import annotations

import uuid

import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from console.services.bundle import Services
from console.services.course import MODALITY_LABELS, CourseEntry
from console.vocabulary import (
    ATTENDANCE_LABELS,
    SESSION_KIND_LABELS,
    SessionAttendance,
    SessionKind,
)
from ui.dates import show_datetime
from ui.plot_palette import paint_plot, release_plot
from ui.widgets import named

# Rows from the top: the session itself, then the approaches used in it.
ROWS: tuple[tuple[str, str], ...] = (
    ("medicine", "Medicine"),
    ("integration", "Integration"),
    ("other", "Other sessions"),
    ("emdr", MODALITY_LABELS["emdr"]),
    ("art", MODALITY_LABELS["art"]),
    ("rescripting", MODALITY_LABELS["rescripting"]),
    ("ifs", MODALITY_LABELS["ifs"]),
)
ROW_Y = {key: float(len(ROWS) - 1 - n) for n, (key, _label) in enumerate(ROWS)}
ROW_COLOURS = {
    "medicine": "#8a4f9e",
    "integration": "#2e7d9a",
    "other": "#7a7a7a",
    "emdr": "#c0622b",
    "art": "#3f8f4f",
    "rescripting": "#b0843a",
    "ifs": "#4a5fc1",
}
LEFT_AXIS_WIDTH = 96  # shared with the measures chart so the two plots line up


def _row(kind: SessionKind) -> str:
    if kind is SessionKind.MEDICINE:
        return "medicine"
    if kind is SessionKind.INTEGRATION:
        return "integration"
    return "other"


class CourseTimeline(QWidget):
    session_opened = Signal(object)  # session id

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.client_id: uuid.UUID | None = None
        self.entries: list[CourseEntry] = []
        self.session_spots = 0
        self.modality_spots = 0
        self.plot = pg.PlotWidget(axisItems={"bottom": pg.DateAxisItem()})
        self.plot.setAccessibleName("Course timeline")
        self.plot.setAccessibleDescription(
            "Sessions over time by kind, and the approaches used in each; "
            "hollow planned, filled done, crossed missed"
        )
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=True, y=False)
        self.plot.hideButtons()
        self.plot.showGrid(x=True, alpha=0.12)
        self.plot.setMinimumHeight(150)
        self.plot.setMaximumHeight(200)
        self._apply_palette()
        left = self.plot.getAxis("left")
        left.setTicks([[(ROW_Y[key], label) for key, label in ROWS]])
        left.setWidth(LEFT_AXIS_WIDTH)
        self.plot.setYRange(-0.6, len(ROWS) - 0.4, padding=0)
        self.points = pg.ScatterPlotItem(
            hoverable=True, tip=lambda x, y, data: str(data[1]) if data else ""
        )
        self.points.sigClicked.connect(self._on_points_clicked)
        self.plot.addItem(self.points)
        self.summary = named(QLabel(), "Course summary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setToolTip(self.tr("Click a marker to open its session"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.summary)

    def _apply_palette(self) -> None:
        paint_plot(self.plot, self.palette())

    def changeEvent(self, event: QEvent) -> None:
        """A theme change repaints with the new palette's colours (see MeasuresChart)."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self.plot.plotItem is not None:
            self._apply_palette()
            self.redraw()

    def release(self) -> None:
        release_plot(self.plot)

    def link_x(self, other: pg.PlotWidget) -> None:
        """Zoom and pan together with another date plot (both in epoch seconds)."""
        if self.plot.plotItem is None:
            return
        self.plot.setXLink(other)
        other.getAxis("left").setWidth(LEFT_AXIS_WIDTH)

    def show_client(self, client_id: uuid.UUID | None) -> None:
        self.client_id = client_id
        self.entries = self.services.course.timeline(client_id) if client_id else []
        self.redraw()

    def redraw(self) -> None:
        if self.plot.plotItem is None:  # released: the window is closing
            return
        text = self.palette().text().color()
        base = self.palette().base().color()
        spots: list[dict[str, object]] = []
        self.session_spots = 0
        self.modality_spots = 0
        for entry in self.entries:
            s = entry.session
            x = s.starts_at.timestamp()
            tip = (
                f"{show_datetime(s.starts_at)} — {s.title or SESSION_KIND_LABELS[s.kind]} "
                f"({ATTENDANCE_LABELS[s.attendance].lower()})"
            )
            if entry.modalities:
                tip += " · " + ", ".join(MODALITY_LABELS[k] for k in entry.modalities)
            row = _row(s.kind)
            spots.append(self._spot(x, row, s.attendance, 13, (s.id, tip), text, base))
            self.session_spots += 1
            for key in entry.modalities:
                if key == "medicine":
                    continue
                spots.append(self._spot(x, key, s.attendance, 9, (s.id, tip), text, base))
                self.modality_spots += 1
        self.points.setData(spots=spots)
        if self.entries:
            xs = [e.session.starts_at.timestamp() for e in self.entries]
            pad = max(86_400.0, (max(xs) - min(xs)) * 0.03)
            self.plot.setXRange(min(xs) - pad, max(xs) + pad, padding=0)
            tally = self.services.course.tally(self.entries)
            self.summary.setText(f"{tally.summary}  (● done  ○ planned  ✕ missed  ◇ cancelled)")
        else:
            self.summary.setText(self.tr("No sessions yet."))

    @staticmethod
    def _spot(
        x: float,
        row: str,
        attendance: SessionAttendance,
        size: int,
        data: tuple[uuid.UUID, str],
        text: QColor,
        base: QColor,
    ) -> dict[str, object]:
        colour = QColor(ROW_COLOURS[row])
        pen = pg.mkPen(colour, width=2)
        if attendance is SessionAttendance.DONE:
            symbol, brush = "o", pg.mkBrush(colour)
        elif attendance is SessionAttendance.MISSED:
            symbol, brush, pen = "x", pg.mkBrush(colour), pg.mkPen(text, width=1)
        elif attendance is SessionAttendance.CANCELLED:
            symbol, brush = "d", pg.mkBrush(base)
            pen = pg.mkPen(colour, width=1.5, style=Qt.PenStyle.DotLine)
        else:
            symbol, brush = "o", pg.mkBrush(base)
        return {
            "pos": (x, ROW_Y[row]),
            "symbol": symbol,
            "brush": brush,
            "pen": pen,
            "size": size + (3 if symbol == "x" else 0),
            "data": data,
        }

    def _on_points_clicked(self, _item: object, points: object, _event: object) -> None:
        chosen: object | None = None
        for point in points:  # type: ignore[attr-defined]  # pyqtgraph hands an untyped array
            data = point.data()
            if data:
                chosen = data[0]
                break
        if chosen is not None:
            self.session_opened.emit(chosen)
