"""The legend: each kind's shape, colour and letter, and each line style (screen and export)."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QApplication, QWidget

from console.clinical import ifs as c
from console.clinical import ifs_style as style
from ui.ifs_map.items import arrow_polygon, relation_pen, shape_path, zigzag

ROW = 22.0


def legend_rows() -> list[tuple[str, str, str]]:
    """("part"|"line"|"self", key, label) in reading order."""
    rows = [("self", "self", "Self")]
    rows += [("part", k, c.PART_KIND_LABELS[k]) for k in c.PART_KINDS]
    rows += [("line", k, c.RELATION_LABELS[k]) for k in c.RELATION_KINDS]
    return rows


def legend_size(font: QFont) -> QSize:
    width = QFontMetrics(font).horizontalAdvance("Trailhead (trigger)  ") + 56
    return QSize(int(width), int(ROW * len(legend_rows()) + 8))


def paint_legend(painter: QPainter, origin: QPointF, text: QColor) -> None:
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    y = origin.y() + ROW / 2 + 4
    for what, key, label in legend_rows():
        centre = QPointF(origin.x() + 18, y)
        if what == "self":
            _self_swatch(painter, centre)
        elif what == "part":
            _part_swatch(painter, centre, key, text)
        else:
            _line_swatch(painter, centre, key)
        painter.setPen(text)
        painter.drawText(
            QRectF(origin.x() + 40, y - ROW / 2, 400, ROW),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
            label,
        )
        y += ROW
    painter.restore()


def _self_swatch(painter: QPainter, centre: QPointF) -> None:
    painter.setPen(QPen(QColor(style.SELF_STROKE), 2))
    painter.setBrush(QColor(c.SELF_COLOUR))
    painter.drawEllipse(centre, 8, 8)


def _part_swatch(painter: QPainter, centre: QPointF, kind: str, text: QColor) -> None:
    painter.setPen(QPen(text, 1))
    painter.setBrush(QColor(style.kind_colour(kind)))
    painter.drawPath(shape_path(kind, 8).translated(centre))
    shape = style.shape_of(kind)
    font = QFont(painter.font())
    font.setBold(True)
    font.setPointSizeF(7 * shape.letter_scale)
    painter.save()
    painter.setFont(font)
    painter.setPen(QColor(style.LETTER_COLOUR))
    painter.drawText(
        QRectF(centre.x() - 8, centre.y() - 8 + 8 * shape.letter_shift, 16, 16),
        Qt.AlignmentFlag.AlignCenter,
        style.kind_letter(kind),
    )
    painter.restore()


def _line_swatch(painter: QPainter, centre: QPointF, kind: str) -> None:
    pen = relation_pen(kind, style.LEGEND_STRENGTH)
    pen.setWidthF(min(pen.widthF(), 4.0))
    painter.setPen(pen)
    start, end = centre - QPointF(14, 0), centre + QPointF(14, 0)
    line = style.line_style(kind)
    painter.drawPath(zigzag(start, end, 3, 6) if line.zigzag else _line(start, end))
    if kind in c.DIRECTED:
        painter.setBrush(pen.color())
        painter.setPen(QPen(pen.color(), 1))
        painter.drawPolygon(arrow_polygon(end, start, 8.0))


def _line(start: QPointF, end: QPointF) -> QPainterPath:
    path = QPainterPath(start)
    path.lineTo(end)
    return path


class LegendWidget(QWidget):
    """The legend beside the map (read by screen readers as a list of kinds and line styles)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Legend")
        self.setObjectName("legend")
        self.setAccessibleDescription("; ".join(label for _, _, label in legend_rows()))
        self.setMinimumSize(legend_size(QApplication.font()))

    def sizeHint(self) -> QSize:
        return legend_size(self.font())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        paint_legend(painter, QPointF(0, 0), self.palette().color(QPalette.ColorRole.WindowText))
        painter.end()
