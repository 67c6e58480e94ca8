"""Vitals against minutes since dose, thresholds as dashed lines; told apart without colour."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QVBoxLayout, QWidget

from console.clinical import medicine as m
from console.services.medicine import Reading
from ui.plot_palette import release_plot

# Each series differs in line style and symbol as well as colour (colour-blind readers,
# greyscale prints): the legend shows both.
SERIES: tuple[tuple[str, str, str, Qt.PenStyle, str], ...] = (
    ("systolic", "Systolic", "#d0473b", Qt.PenStyle.SolidLine, "o"),
    ("diastolic", "Diastolic", "#3f7fd0", Qt.PenStyle.DashLine, "t"),
    ("heart_rate", "Heart rate", "#2f9e57", Qt.PenStyle.DotLine, "s"),
    ("spo2", "SpO2", "#9a5fc2", Qt.PenStyle.DashDotLine, "d"),
)
THRESHOLD_COLOUR = "#b07a00"


def minutes_from(reading: Reading, dose_at: datetime | None) -> float | None:
    """Minutes since dose for the plot; a baseline sits left of 0."""
    if dose_at is None:
        return None
    return (reading.taken_at - dose_at).total_seconds() / 60


class VitalsPlot(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot = pg.PlotWidget()
        self.plot.setAccessibleName("Vitals plot")
        self.plot.setAccessibleDescription(
            "Systolic, diastolic, heart rate and SpO2 against minutes since dose"
        )
        self.plot.setMenuEnabled(False)
        self.plot.setMinimumHeight(220)
        self.plot.setMaximumHeight(250)
        self.plot.showGrid(x=True, y=True, alpha=0.15)
        self.legend = self.plot.addLegend(offset=(8, 4), colCount=4)
        self._apply_palette()
        self.lines: dict[str, pg.PlotDataItem] = {}
        self.thresholds: list[pg.InfiniteLine] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot)
        self.show_readings((), None, m.DEFAULT_THRESHOLDS)

    def _apply_palette(self) -> None:
        """Background, axes and legend text from the palette: readable in light and dark."""
        text = self.palette().text().color()
        self.plot.setBackground(self.palette().base().color())
        for axis in ("left", "bottom"):
            self.plot.getAxis(axis).setTextPen(text)
            self.plot.getAxis(axis).setPen(self.palette().mid().color())
        self.plot.setLabel("bottom", "Minutes since dose", color=text.name())
        self.plot.setLabel("left", "mmHg · /min · %", color=text.name())
        self.legend.setLabelTextColor(text)
        for _sample, label in self.legend.items:  # existing labels keep their colour otherwise
            label.setText(label.text, color=text)
        self.legend.setBrush(pg.mkBrush(QColor(self.palette().base().color())))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self.plot.plotItem is not None:
            self._apply_palette()

    def release(self) -> None:
        release_plot(self.plot)

    def show_readings(
        self, readings: Sequence[Reading], dose_at: datetime | None, thresholds: m.Thresholds
    ) -> None:
        if self.plot.plotItem is None:  # released: the window is closing
            return
        self.plot.clear()
        self.lines.clear()
        self.thresholds.clear()
        points = [(minutes_from(r, dose_at), r) for r in readings]
        shown = [(x, r) for x, r in points if x is not None]
        xs = [x for x, _ in shown]
        for key, label, colour, style, symbol in SERIES:
            ys = [float(getattr(r, key)) for _, r in shown]
            self.lines[key] = self.plot.plot(
                xs,
                ys,
                name=label,
                pen=pg.mkPen(colour, width=2, style=style),
                symbol=symbol,
                symbolSize=8,
                symbolBrush=pg.mkBrush(colour),
                symbolPen=pg.mkPen(colour),
            )
        t = thresholds
        for value, text, where in (
            (t.alert_systolic_high, f"Systolic ≥ {t.alert_systolic_high:g}", 0.98),
            (t.alert_diastolic_high, f"Diastolic ≥ {t.alert_diastolic_high:g}", 0.98),
            (t.alert_heart_rate_high, f"HR ≥ {t.alert_heart_rate_high:g}", 0.98),
            (t.alert_spo2_low, f"SpO2 ≤ {t.alert_spo2_low:g}", 0.98),
            (t.alert_systolic_low, f"Systolic ≤ {t.alert_systolic_low:g}", 0.75),
        ):
            line = pg.InfiniteLine(
                pos=value,
                angle=0,
                movable=False,
                pen=pg.mkPen(THRESHOLD_COLOUR, width=1, style=Qt.PenStyle.DashLine),
                label=text,
                labelOpts={
                    "position": where,
                    "color": THRESHOLD_COLOUR,
                    "anchors": [(1, 1), (1, 1)],
                },
            )
            self.plot.addItem(line)
            self.thresholds.append(line)
        if dose_at is not None:
            dose = pg.InfiniteLine(
                pos=0,
                angle=90,
                movable=False,
                pen=pg.mkPen(self.palette().text().color(), width=1, style=Qt.PenStyle.DotLine),
                label="Dose",
                labelOpts={"position": 0.06, "color": self.palette().text().color()},
            )
            self.plot.addItem(dose)
        right = max([120.0, *xs]) if xs else 120.0
        left = min([0.0, *xs]) if xs else 0.0
        self.plot.setXRange(left - 5, right + 5, padding=0)
        values = [float(getattr(r, key)) for _, r in shown for key, *_ in SERIES]
        self.plot.setYRange(min([40.0, *values]), max([200.0, *values]) + 30, padding=0.02)
