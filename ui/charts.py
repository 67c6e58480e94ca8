"""Measures over time: severity bands shaded, medicine sessions marked, values on hover."""

from __future__ import annotations

import html
import uuid
from datetime import UTC, date, datetime, time

import pyqtgraph as pg
from PySide6.QtCore import QDate, QEvent, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from console.clinical.measures import MEASURES, Measure
from console.services.bundle import Services
from console.services.measures import MeasureRecord
from console.vocabulary import SessionKind
from ui.date_field import SectionEdit
from ui.dates import date_format, from_qdate, show_date
from ui.plot_palette import paint_plot, release_plot
from ui.widgets import named

# Green → purple as severity rises; translucent so they read on light and dark.
BAND_TINTS = ((76, 175, 80), (255, 193, 7), (255, 152, 0), (244, 67, 54), (156, 39, 176))


def _stamp(moment: datetime) -> float:
    return moment.timestamp()


class MeasuresChart(QWidget):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.client_id: uuid.UUID | None = None
        self.measure = named(QComboBox(), "Chart measure")
        self.start = SectionEdit("Chart from", date_format())
        self.end = SectionEdit("Chart to", date_format())
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
        top = QHBoxLayout()
        top.addWidget(self.measure, 1)
        top.addWidget(QLabel(self.tr("from")))
        top.addWidget(self.start)
        top.addWidget(QLabel(self.tr("to")))
        top.addWidget(self.end)
        self.plot = pg.PlotWidget(axisItems={"bottom": pg.DateAxisItem()})
        self.plot.setAccessibleName("Measures chart")
        self.plot.setMenuEnabled(False)
        self.plot.showGrid(y=True, alpha=0.15)
        self.plot.setMinimumHeight(220)
        self._apply_palette()
        self.summary = named(QLabel(), "Measure change")
        self.summary.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.summary)
        self.measure.currentIndexChanged.connect(self.redraw)
        self.start.dateChanged.connect(self.redraw)
        self.end.dateChanged.connect(self.redraw)

    def _apply_palette(self) -> None:
        paint_plot(self.plot, self.palette())

    def changeEvent(self, event: QEvent) -> None:
        """A theme change repaints with the new palette's colours, not the ones kept."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self.plot.plotItem is not None:
            self._apply_palette()
            self.redraw()

    def release(self) -> None:
        release_plot(self.plot)

    def show_client(self, client_id: uuid.UUID | None) -> None:
        self.client_id = client_id
        self.measure.blockSignals(True)
        self.measure.clear()
        first: datetime | None = None
        if client_id is not None:
            for key, measure in MEASURES.items():
                records = self.services.measures.list_for_client(client_id, measure_key=key)
                if any(r.complete for r in records):
                    self.measure.addItem(measure.name, key)
                    first = min(
                        [first, records[0].answered_at] if first else [records[0].answered_at]
                    )
        self.measure.blockSignals(False)
        today = QDate.currentDate()
        for edit, value in (
            (self.start, first.date() if first else date.today()),
            (self.end, date.today()),
        ):
            edit.blockSignals(True)
            edit.setDate(QDate(value.year, value.month, value.day) if edit is self.start else today)
            edit.blockSignals(False)
        self.redraw()

    def redraw(self) -> None:
        if self.plot.plotItem is None:  # released: the window is closing
            return
        self.plot.clear()
        key = self.measure.currentData()
        if self.client_id is None or key is None:
            self.summary.setText(self.tr("No measures yet."))
            return
        measure = MEASURES[key]
        lo = datetime.combine(from_qdate(self.start.date()), time.min, tzinfo=UTC).astimezone()
        hi = datetime.combine(from_qdate(self.end.date()), time.max, tzinfo=UTC).astimezone()
        records = [
            r
            for r in self.services.measures.list_for_client(self.client_id, measure_key=key)
            if r.complete and r.total is not None and lo <= r.answered_at <= hi
        ]
        self._draw_bands(measure, _stamp(lo))
        self._draw_medicine_sessions(self.client_id, lo, hi)
        xs = self._draw_totals(records)
        self.plot.setYRange(measure.lo, measure.hi, padding=0.05)
        self.plot.setXRange(min([_stamp(lo), *xs]), max([_stamp(hi), *xs]), padding=0.03)
        self.plot.setLabel("left", measure.name)
        self._show_summary(self.client_id, measure)

    def _draw_bands(self, measure: Measure, left: float) -> None:
        """Severity bands behind the line, so a total reads as mild or severe at a glance."""
        for index, band in enumerate(measure.bands):
            region = pg.LinearRegionItem(
                (band.lo, band.hi + 1 if band.hi < measure.hi else band.hi),
                orientation="horizontal",
                movable=False,
                brush=pg.mkBrush(QColor(*BAND_TINTS[index % len(BAND_TINTS)], 50)),
                pen=pg.mkPen(None),
            )
            region.setZValue(-10)
            self.plot.addItem(region)
            label = pg.TextItem(band.label, anchor=(0, 1), color=self.palette().text().color())
            label.setPos(left, band.lo)
            self.plot.addItem(label)

    def _draw_medicine_sessions(self, client_id: uuid.UUID, lo: datetime, hi: datetime) -> None:
        """A marker per medicine session, to read a change in totals against a dose."""
        for session in self.services.sessions.list_for_client(client_id):
            if session.kind is SessionKind.MEDICINE and lo <= session.starts_at <= hi:
                line = pg.InfiniteLine(
                    pos=_stamp(session.starts_at),
                    angle=90,
                    pen=pg.mkPen("#8a4f9e", width=1.5, style=Qt.PenStyle.DashLine),
                    label="Rx",
                    labelOpts={"position": 0.95, "color": "#8a4f9e"},
                )
                self.plot.addItem(line)

    def _draw_totals(self, records: list[MeasureRecord]) -> list[float]:
        """The line and its hoverable points; returns their x positions for the range."""
        xs = [_stamp(r.answered_at) for r in records]
        ys = [r.total for r in records]
        colour = self.palette().highlight().color()
        self.plot.plot(xs, ys, pen=pg.mkPen(colour, width=2))
        tips = [f"{show_date(r.answered_at)}: {r.total} ({r.band})" for r in records]
        scatter = pg.ScatterPlotItem(
            xs,
            ys,
            size=9,
            brush=pg.mkBrush(colour),
            hoverable=True,
            tip=lambda x, y, data: str(data),
            data=tips,
        )
        self.plot.addItem(scatter)
        self.points = scatter
        return xs

    def _show_summary(self, client_id: uuid.UUID, measure: Measure) -> None:
        summary = self.services.measures.summary(client_id, measure.key)
        if summary.baseline is not None and summary.latest is not None and summary.count > 1:
            change = summary.change or "—"
            self.summary.setText(
                f"<b>{html.escape(measure.name)}</b>: baseline {summary.baseline.total}, latest "
                f"{summary.latest.total} — <b>{html.escape(change)}</b> "
                f"(reliable change {measure.reliable_change} points)"
            )
        else:
            self.summary.setText(self.tr("One measurement so far: change needs two."))
