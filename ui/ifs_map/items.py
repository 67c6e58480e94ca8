"""What the map draws: Self, parts, the lines between them, and the shape swatches of the legend.

Each kind has a shape, a colour and a letter, so colour is never the only
cue. Parts cache their painting (they change rarely); a line recomputes its
path only when one of its two ends moves.
"""

from __future__ import annotations

import math
import uuid

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPalette,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import (
    QApplication,
    QGraphicsItem,
    QGraphicsSceneMouseEvent,
    QStyleOptionGraphicsItem,
    QWidget,
)

from console.clinical import ifs as c

PART_KIND_LETTERS: dict[str, str] = {
    "manager": "M",
    "firefighter": "F",
    "exile": "E",
    "unknown": "?",
    "trailhead": "T",
}
POLARISED_COLOUR = "#d0453a"
NAME_WIDTH = 140
GLOW = "#f5c400"


def _palette(role: QPalette.ColorRole) -> QColor:
    return QApplication.palette().color(role)


def part_radius(activation: int) -> float:
    """Activation 0–10 shown as size: 20 to 44 scene units."""
    return 20.0 + 2.4 * max(c.ACTIVATION_MIN, min(c.ACTIVATION_MAX, activation))


def self_radius(energy: int | None) -> float:
    """Self energy 0–10 shown as size; an unread Self is drawn mid-sized."""
    return 26.0 + 3.0 * (5 if energy is None else energy)


def shape_path(kind: str, r: float) -> QPainterPath:
    """The outline of a kind's shape, centred on the origin (also used for legend swatches)."""
    path = QPainterPath()
    shape = c.PART_KIND_SHAPES.get(kind, "diamond")
    if shape == "circle":
        path.addEllipse(QPointF(0, 0), r, r)
    elif shape == "square":
        side = r * 0.9
        path.addRoundedRect(QRectF(-side, -side, 2 * side, 2 * side), 4, 4)
    else:
        corners = {"triangle": 3, "diamond": 4, "hexagon": 6}[shape]
        start = {"triangle": -90.0, "diamond": -90.0, "hexagon": 0.0}[shape]
        scale = 1.25 if shape == "triangle" else 1.05
        points = [
            QPointF(
                r * scale * math.cos(math.radians(start + i * 360 / corners)),
                r * scale * math.sin(math.radians(start + i * 360 / corners))
                + (r * 0.2 if shape == "triangle" else 0.0),
            )
            for i in range(corners)
        ]
        path.addPolygon(QPolygonF(points))
        path.closeSubpath()
    return path


class SelfItem(QGraphicsItem):
    """Self at the centre: a gold circle sized by the energy reading."""

    def __init__(self) -> None:
        super().__init__()
        self.energy: int | None = None
        self.highlighted = False
        self.radius = self_radius(None)
        self.setZValue(0.5)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setToolTip("Self")
        self.edges: list[RelationItem] = []

    def set_energy(self, energy: int | None) -> None:
        self.prepareGeometryChange()
        self.energy = energy
        self.radius = self_radius(energy)
        self.setToolTip("Self" + ("" if energy is None else f" — energy {energy}/10"))
        for edge in self.edges:
            edge.adjust()
        self.update()

    def boundingRect(self) -> QRectF:
        r = self.radius + 4
        return QRectF(-r, -r, 2 * r, 2 * r)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        gold = QColor(c.SELF_COLOUR)
        painter.setPen(QPen(gold.darker(150), 3))
        fill = QColor(gold)
        fill.setAlpha(210)
        painter.setBrush(fill)
        painter.drawEllipse(QPointF(0, 0), self.radius, self.radius)
        painter.setPen(QPen(gold.darker(150), 1, Qt.PenStyle.DotLine))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        inner = self.radius - 6
        painter.drawEllipse(QPointF(0, 0), inner, inner)
        font = QFont(painter.font())
        font.setBold(True)
        font.setPointSizeF(12)
        painter.setFont(font)
        painter.setPen(QColor("#1c1c1c"))
        label = "Self" if self.energy is None else f"Self\n{self.energy}/10"
        painter.drawText(self.boundingRect(), Qt.AlignmentFlag.AlignCenter, label)


class HandleItem(QGraphicsItem):
    """The small knob on a selected part: drag it onto another part (or Self) to connect."""

    SIZE = 7.0

    def __init__(self, parent: PartItem) -> None:
        super().__init__(parent)
        self.part_item = parent
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setToolTip("Drag to another part or to Self to connect")
        self.setVisible(False)

    def boundingRect(self) -> QRectF:
        s = self.SIZE + 1
        return QRectF(-s, -s, 2 * s, 2 * s)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(_palette(QPalette.ColorRole.Base), 2))
        painter.setBrush(_palette(QPalette.ColorRole.Highlight))
        painter.drawEllipse(QPointF(0, 0), self.SIZE, self.SIZE)

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            event.ignore()
            return
        link = getattr(self.scene(), "begin_link", None)
        if link is not None:
            link(self.part_item.part_id, event.scenePos())
        event.accept()

    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        self.scene().update_link(event.scenePos())  # type: ignore[attr-defined]

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        self.scene().end_link(event.scenePos(), event.screenPos())  # type: ignore[attr-defined]


class PartItem(QGraphicsItem):
    """One part: shape and colour by kind, its letter, size by activation, status by outline."""

    def __init__(self, part: c.Part) -> None:
        super().__init__()
        self.part = part
        self.part_id: uuid.UUID = part.id
        self.edges: list[RelationItem] = []
        self.highlighted = False
        self.duplicate = False
        self.setFlags(
            QGraphicsItem.GraphicsItemFlag.ItemIsMovable
            | QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
            | QGraphicsItem.GraphicsItemFlag.ItemIsFocusable
            | QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges
        )
        self.setZValue(1.0)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.handle = HandleItem(self)
        self._apply(part)
        self.setPos(part.x, part.y)

    @property
    def radius(self) -> float:
        return self._radius

    def set_part(self, part: c.Part) -> None:
        """Show a new state of the part (after an edit, undo or redo)."""
        self.prepareGeometryChange()
        self._apply(part)
        if self.pos() != QPointF(part.x, part.y):
            self.setPos(part.x, part.y)
        for edge in self.edges:
            edge.adjust()
        self.update()

    def _apply(self, part: c.Part) -> None:
        self.part = part
        self._radius = part_radius(part.activation)
        self._path = shape_path(part.kind, self._radius)
        fm = QFontMetrics(QApplication.font())
        self._name = fm.elidedText(part.name, Qt.TextElideMode.ElideRight, NAME_WIDTH)
        self._name_height = fm.height()
        self.handle.setPos(self._radius + 10, -self._radius * 0.6)
        status = c.PART_STATUS_LABELS.get(part.status, part.status)
        kind = c.PART_KIND_LABELS.get(part.kind, part.kind)
        self.setToolTip(f"{part.name}\n{kind} · {status} · activation {part.activation}/10")

    def boundingRect(self) -> QRectF:
        r = self._radius * 1.3 + 8
        half = max(r, NAME_WIDTH / 2 + 4)
        return QRectF(-half, -r, 2 * half, 2 * r + self._name_height + 6)

    def shape(self) -> QPainterPath:
        return self._path

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value: object) -> object:
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionHasChanged:
            for edge in self.edges:
                edge.adjust()
        elif change == QGraphicsItem.GraphicsItemChange.ItemSelectedHasChanged:
            movable = bool(self.flags() & QGraphicsItem.GraphicsItemFlag.ItemIsMovable)
            self.handle.setVisible(bool(value) and movable)
        return super().itemChange(change, value)

    def set_editable(self, editable: bool) -> None:
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsMovable, editable)
        self.handle.setVisible(editable and self.isSelected())

    def set_highlighted(self, on: bool) -> None:
        if on != self.highlighted:
            self.highlighted = on
            self.update()

    def set_duplicate(self, on: bool) -> None:
        if on != self.duplicate:
            self.duplicate = on
            self.update()

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        part = self.part
        if self.highlighted:
            painter.setPen(QPen(QColor(GLOW), 9))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(self._path)
        text_colour = _palette(QPalette.ColorRole.WindowText)
        selected = self.isSelected()
        pen = QPen(
            _palette(QPalette.ColorRole.Highlight) if selected else text_colour,
            3.5 if selected else 1.6,
        )
        if part.status == "emerging":
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        fill = QColor(c.PART_KIND_COLOURS.get(part.kind, "#7a8088"))
        if part.status == "unburdened":
            fill = fill.lighter(125)
        painter.setBrush(fill)
        painter.drawPath(self._path)
        font = QFont(painter.font())
        font.setBold(True)
        font.setPointSizeF(max(9.0, self._radius * 0.45))
        painter.setFont(font)
        painter.setPen(QColor("white"))
        r = self._radius
        painter.drawText(
            QRectF(-r, -r, 2 * r, 2 * r),
            Qt.AlignmentFlag.AlignCenter,
            PART_KIND_LETTERS.get(part.kind, "?"),
        )
        if part.status == "unburdened":
            badge = QPointF(r * 0.8, -r * 0.8)
            painter.setPen(QPen(QColor("#1e7b34"), 1.5))
            painter.setBrush(QColor("white"))
            painter.drawEllipse(badge, 8, 8)
            tick = QPen(QColor("#1e7b34"), 2.4)
            painter.setPen(tick)
            painter.drawPolyline(
                QPolygonF(
                    [badge + QPointF(-4, 0), badge + QPointF(-1, 3.5), badge + QPointF(4.5, -3.5)]
                )
            )
        painter.setFont(QApplication.font())
        painter.setPen(QColor("#b3261e") if self.duplicate else text_colour)
        top = r * (1.3 if c.PART_KIND_SHAPES.get(part.kind) == "triangle" else 1.1) + 4
        painter.drawText(
            QRectF(-NAME_WIDTH / 2 - 4, top, NAME_WIDTH + 8, self._name_height + 2),
            Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
            self._name + (" ⚠" if self.duplicate else ""),
        )


def relation_pen(kind: str, strength: int | None) -> QPen:
    """The line style of a relationship kind (shared with the legend)."""
    text = _palette(QPalette.ColorRole.WindowText)
    pen = QPen(text, 2.0)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    if kind == "polarised":
        pen.setColor(QColor(POLARISED_COLOUR))
        pen.setWidthF(1.0 + 0.6 * (c.DEFAULT_POLARITY if strength is None else strength))
    elif kind == "allied":
        pen.setColor(QColor("#2f9e6e"))
        pen.setStyle(Qt.PenStyle.DotLine)
        pen.setWidthF(2.6)
    elif kind == "exiled_by":
        pen.setStyle(Qt.PenStyle.DashLine)
    elif kind == "blended":
        pen.setColor(QColor(c.SELF_COLOUR).darker(130))
        pen.setStyle(Qt.PenStyle.DashDotLine)
        pen.setWidthF(2.4)
    elif kind == "leads_to":
        pen.setWidthF(1.0)
    return pen


def _arrow(tip: QPointF, towards: QPointF, size: float) -> QPolygonF:
    line = QLineF(tip, towards)
    angle = math.radians(-line.angle())
    left = tip + QPointF(math.cos(angle + 0.45) * size, math.sin(angle + 0.45) * size)
    right = tip + QPointF(math.cos(angle - 0.45) * size, math.sin(angle - 0.45) * size)
    return QPolygonF([tip, left, right])


def zigzag_points(
    start: QPointF, end: QPointF, amplitude: float = 5.0, step: float = 12.0
) -> QPolygonF:
    """The polarised line: a zigzag, so it reads as tension even without its colour."""
    points = [start]
    line = QLineF(start, end)
    length = line.length()
    if length >= step * 2:
        unit = QPointF(line.dx() / length, line.dy() / length)
        normal = QPointF(-unit.y(), unit.x())
        count = int(length // step)
        for i in range(1, count):
            side = amplitude if i % 2 else -amplitude
            points.append(start + unit * (i * length / count) + normal * side)
    points.append(end)
    return QPolygonF(points)


def zigzag(
    start: QPointF, end: QPointF, amplitude: float = 5.0, step: float = 12.0
) -> QPainterPath:
    path = QPainterPath()
    path.addPolygon(zigzag_points(start, end, amplitude, step))
    return path


class RelationItem(QGraphicsItem):
    """A line between two parts, or a part and Self; its style says its kind."""

    def __init__(self, relation: c.Relation, source: PartItem, target: PartItem | SelfItem):
        super().__init__()
        self.relation = relation
        self.source = source
        self.target = target
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setZValue(0.0)
        source.edges.append(self)
        target.edges.append(self)
        self._path = QPainterPath()
        self._arrows: list[QPolygonF] = []
        self._shape = QPainterPath()
        self._rect = QRectF()
        self._points = QPolygonF()
        self._pen = QPen()
        self._arrow_pen = QPen()
        self.adjust()

    def detach(self) -> None:
        for end in (self.source, self.target):
            if self in end.edges:
                end.edges.remove(self)

    def set_relation(self, relation: c.Relation) -> None:
        self.relation = relation
        self.adjust()

    def adjust(self) -> None:
        """Recompute the path from the two ends' current positions."""
        a, b = self.source.pos(), self.target.pos()
        line = QLineF(a, b)
        length = line.length()
        self.prepareGeometryChange()
        if length < 1:
            self._path = QPainterPath()
            self._points = QPolygonF()
            self._arrows = []
            self._rect = QRectF()
            self._shape = QPainterPath()
            return
        unit = QPointF(line.dx() / length, line.dy() / length)
        start = a + unit * (self.source.radius + 3)
        end = b - unit * (self.target.radius + 3)
        kind = self.relation.kind
        # Drawn as a line or a polyline, far cheaper than a path: a drag repaints many.
        self._points = zigzag_points(start, end) if kind == "polarised" else QPolygonF([start, end])
        self._path = QPainterPath()
        self._path.addPolygon(self._points)
        self._pen = relation_pen(kind, self.relation.strength)
        self._arrow_pen = QPen(self._pen.color(), 1)
        size = 9.0 if kind == "leads_to" else 13.0
        self._arrows = [_arrow(end, start, size)] if kind in c.DIRECTED else []
        stroker = QPainterPathStroker()
        stroker.setWidth(12)
        self._shape = stroker.createStroke(self._line(start, end))
        self._rect = self._shape.boundingRect().adjusted(-10, -10, 10, 10)
        names = {self.source.part_id: self.source.part.name}
        if isinstance(self.target, PartItem):
            names[self.target.part_id] = self.target.part.name
        self.setToolTip(" ".join(c.relation_text(self.relation, names)))

    @staticmethod
    def _line(start: QPointF, end: QPointF) -> QPainterPath:
        path = QPainterPath(start)
        path.lineTo(end)
        return path

    def boundingRect(self) -> QRectF:
        return self._rect

    def shape(self) -> QPainterPath:
        return self._shape

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        pen = self._pen
        if self.isSelected():
            halo = QPen(_palette(QPalette.ColorRole.Highlight), pen.widthF() + 6)
            halo.setCapStyle(Qt.PenCapStyle.RoundCap)
            painter.setPen(halo)
            painter.drawPath(self._path)
        painter.setPen(pen)
        if self._points.size() == 2:
            painter.drawLine(self._points[0], self._points[1])
        else:
            painter.drawPolyline(self._points)
        if self._arrows:
            painter.setPen(self._arrow_pen)
            painter.setBrush(pen.color())
            for arrow in self._arrows:
                painter.drawPolygon(arrow)
