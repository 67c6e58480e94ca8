"""Writing the map to an image the user asked for: PNG (rendered at 2x) or SVG, with its legend.

Item caches are switched off while rendering, so an SVG holds vector shapes
and text rather than screen-resolution bitmaps.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPalette
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QApplication, QGraphicsItem

from console.errors import ConsoleError
from ui.ifs_map.legend import legend_size, paint_legend
from ui.ifs_map.scene import MapScene

MARGIN = 40.0


def _layout(scene: MapScene) -> tuple[QRectF, QSize]:
    source = scene.itemsBoundingRect().adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN)
    legend = legend_size(QApplication.font())
    return source, QSize(
        int(source.width() + legend.width() + MARGIN),
        int(max(source.height(), legend.height() + MARGIN)),
    )


def _paint(scene: MapScene, painter: QPainter, source: QRectF, size: QSize) -> None:
    palette = QApplication.palette()
    painter.fillRect(
        QRectF(0, 0, size.width(), size.height()), palette.color(QPalette.ColorRole.Base)
    )
    selected = scene.selectedItems()
    scene.clearSelection()
    cached = [i for i in scene.items() if i.cacheMode() != QGraphicsItem.CacheMode.NoCache]
    for item in cached:
        item.setCacheMode(QGraphicsItem.CacheMode.NoCache)
    legend_width = legend_size(QApplication.font()).width() + MARGIN
    paint_legend(painter, QPointF(MARGIN / 2, MARGIN / 2), palette.color(QPalette.ColorRole.Text))
    scene.render(
        painter,
        QRectF(legend_width, 0, source.width(), source.height()),
        source,
        Qt.AspectRatioMode.KeepAspectRatio,
    )
    for item in cached:
        item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
    for item in selected:
        item.setSelected(True)


def export_map(scene: MapScene, path: Path) -> Path:
    """Write the map to `path` as SVG (by its suffix) or PNG; refuses any other suffix."""
    suffix = path.suffix.lower()
    source, size = _layout(scene)
    if suffix == ".svg":
        generator = QSvgGenerator()
        generator.setFileName(str(path))
        generator.setSize(size)
        generator.setViewBox(QRectF(0, 0, size.width(), size.height()))
        generator.setTitle("Parts map")
        painter = QPainter(generator)
        _paint(scene, painter, source, size)
        painter.end()
    elif suffix == ".png":
        image = QImage(size * 2, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(QColor("white"))
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.scale(2, 2)
        _paint(scene, painter, source, size)
        painter.end()
        if not image.save(str(path)):  # PNG by the suffix checked above
            raise ConsoleError(f"Could not write {path.name}.")
    else:
        raise ConsoleError("Choose a file name ending in .png or .svg.")
    return path
