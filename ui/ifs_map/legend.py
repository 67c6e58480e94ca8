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
from ui.ifs_map.items import PART_KIND_LETTERS, relation_pen, shape_path, zigzag

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
            painter.setPen(QPen(QColor(c.SELF_COLOUR).darker(150), 2))
            painter.setBrush(QColor(c.SELF_COLOUR))
            painter.drawEllipse(centre, 8, 8)
        elif what == "part":
            painter.setPen(QPen(text, 1))
            painter.setBrush(QColor(c.PART_KIND_COLOURS[key]))
            painter.drawPath(shape_path(key, 8).translated(centre))
            font = QFont(painter.font())
            font.setBold(True)
            font.setPointSizeF(7)
            painter.save()
            painter.setFont(font)
            painter.setPen(QColor("white"))
            painter.drawText(
                QRectF(centre.x() - 8, centre.y() - 8, 16, 16),
                Qt.AlignmentFlag.AlignCenter,
                PART_KIND_LETTERS[key],
            )
            painter.restore()
        else:
            pen = relation_pen(key, 5)
            pen.setWidthF(min(pen.widthF(), 4.0))
            painter.setPen(pen)
            start, end = centre - QPointF(14, 0), centre + QPointF(14, 0)
            painter.drawPath(zigzag(start, end, 3, 6) if key == "polarised" else _line(start, end))
            if key in c.DIRECTED:
                painter.setBrush(pen.color())
                painter.setPen(QPen(pen.color(), 1))
                painter.drawPolygon([end, end + QPointF(-7, -4), end + QPointF(-7, 4)])
        painter.setPen(text)
        painter.drawText(
            QRectF(origin.x() + 40, y - ROW / 2, 400, ROW),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
            label,
        )
        y += ROW
    painter.restore()


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
