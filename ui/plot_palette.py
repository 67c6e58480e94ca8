"""One way every pyqtgraph plot takes its colours from the Qt palette.

pyqtgraph keeps the pens it was given, so a plot drawn once stays in the old theme's
colours; each plot calls this when built and again on a palette change.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QPalette


def paint_plot(plot: pg.PlotWidget, palette: QPalette) -> None:
    """Background, axis text and axis lines from the palette: readable light and dark."""
    plot.setBackground(palette.base().color())
    for side in ("left", "bottom"):
        plot.getAxis(side).setTextPen(palette.text().color())
        plot.getAxis(side).setPen(palette.mid().color())
    legend = plot.plotItem.legend
    if legend is not None:
        legend.setLabelTextColor(palette.text().color())


def release_plot(plot: pg.PlotWidget) -> None:
    """Tear the plot down before its window goes: pyqtgraph's scene must be cleared first, or
    the garbage collector may later free its items in an order that crashes Qt. Closing and
    then locking both tear down, so a plot already torn down is left alone."""
    if plot.plotItem is not None:
        plot.close()
