"""One way every pyqtgraph plot takes its colours from the Qt palette.

pyqtgraph keeps the pens it was given, so a plot drawn once stays in the old theme's
colours; each plot calls this when built and again on a palette change.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QPalette
from shiboken6 import Shiboken


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
    """Tear the plot down before its window goes, and delete its view box now.

    pyqtgraph's `close` takes the view box (with the legend and its labels) out of the
    scene, so clearing the scene no longer deletes it: it would wait for the garbage
    collector, which clears the items' attributes before Qt deletes them, and Qt then
    asks a half-cleared label for its size. Deleting the box while every wrapper is
    whole lets Qt take its children down in its own order. Closing and then locking both
    tear down, so a plot already torn down is left alone."""
    item = plot.plotItem
    if item is None:
        return
    view = item.vb
    plot.close()
    if view is not None and Shiboken.isValid(view):
        Shiboken.delete(view)
