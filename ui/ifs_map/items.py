"""What the map draws: Self, parts, the lines between them, and the shape swatches of the legend.

Each kind has a shape, a colour and a letter, so colour is never the only
cue. Parts cache their painting (they change rarely); a line recomputes its
path only when one of its two ends moves.
"""

from __future__ import annotations

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
from console.clinical import ifs_style as style

NAME_WIDTH = 140


def _palette(role: QPalette.ColorRole) -> QColor:
    return QApplication.palette().color(role)


def _polygon(points: list[style.Point]) -> QPolygonF:
    return QPolygonF([QPointF(x, y) for x, y in points])


def shape_path(kind: str, r: float) -> QPainterPath:
    """The outline of a kind's shape, centred on the origin (also used for legend swatches)."""
    path = QPainterPath()
    points = style.outline(kind, r)
    rounding = style.shape_of(kind).rounding * r
    if not points:
        path.addEllipse(QPointF(0, 0), r, r)
    elif rounding:
        path.addRoundedRect(_polygon(points).boundingRect(), rounding, rounding)
    else:
        path.addPolygon(_polygon(points))
        path.closeSubpath()
    return path


class SelfItem(QGraphicsItem):
    """Self at the centre: a gold circle sized by the energy reading."""

    def __init__(self) -> None:
        super().__init__()
        self.energy: int | None = None
        self.highlighted = False
        self.radius = style.self_radius(None)
        self.setZValue(0.5)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setToolTip("Self")
        self.edges: list[RelationItem] = []

    def set_energy(self, energy: int | None) -> None:
        self.prepareGeometryChange()
        self.energy = energy
        self.radius = style.self_radius(energy)
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
        stroke = QColor(style.SELF_STROKE)
        painter.setPen(QPen(stroke, 3))
        fill = QColor(c.SELF_COLOUR)
        fill.setAlpha(210)
        painter.setBrush(fill)
        painter.drawEllipse(QPointF(0, 0), self.radius, self.radius)
        painter.setPen(QPen(stroke, 1, Qt.PenStyle.DotLine))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        inner = self.radius - 6
        painter.drawEllipse(QPointF(0, 0), inner, inner)
        font = QFont(painter.font())
        font.setBold(True)
        font.setPointSizeF(12)
        painter.setFont(font)
        painter.setPen(QColor(style.SELF_TEXT))
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
        update = getattr(self.scene(), "update_link", None)
        if update is not None:
            update(event.scenePos())

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        end = getattr(self.scene(), "end_link", None)
        if end is not None:
            end(event.scenePos(), event.screenPos())


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
        self._radius = style.part_radius(part.activation)
        self._path = shape_path(part.kind, self._radius)
        fm = QFontMetrics(QApplication.font())
        self._name = fm.elidedText(part.name, Qt.TextElideMode.ElideRight, NAME_WIDTH)
        self._name_height = fm.height()
        self.handle.setPos(self._radius + 10, -self._radius * 0.6)
        status = c.PART_STATUS_LABELS.get(part.status, part.status)
        kind = c.PART_KIND_LABELS.get(part.kind, part.kind)
        self.setToolTip(f"{part.name}\n{kind} · {status} · activation {part.activation}/10")

    def boundingRect(self) -> QRectF:
        r = self._radius * style.EXTENT + 8
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
        text_colour = _palette(QPalette.ColorRole.WindowText)
        if self.highlighted:
            painter.setPen(QPen(QColor(style.GLOW), 9))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(self._path)
        self._paint_shape(painter, text_colour)
        self._paint_letter(painter)
        if self.part.status == "unburdened":
            self._paint_tick(painter)
        self._paint_name(painter, text_colour)

    def _paint_shape(self, painter: QPainter, text_colour: QColor) -> None:
        selected = self.isSelected()
        pen = QPen(
            _palette(QPalette.ColorRole.Highlight) if selected else text_colour,
            3.5 if selected else 1.6,
        )
        if self.part.status == "emerging":
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        fill = QColor(style.kind_colour(self.part.kind))
        if self.part.status == "unburdened":
            fill = fill.lighter(125)
        painter.setBrush(fill)
        painter.drawPath(self._path)

    def _paint_letter(self, painter: QPainter) -> None:
        shape = style.shape_of(self.part.kind)
        r = self._radius
        font = QFont(painter.font())
        font.setBold(True)
        font.setPointSizeF(max(9.0, r * 0.45) * shape.letter_scale)
        painter.setFont(font)
        painter.setPen(QColor(style.LETTER_COLOUR))
        painter.drawText(
            QRectF(-r, -r + r * shape.letter_shift, 2 * r, 2 * r),
            Qt.AlignmentFlag.AlignCenter,
            style.kind_letter(self.part.kind),
        )

    def _paint_tick(self, painter: QPainter) -> None:
        r = self._radius
        badge = QPointF(r * 0.8, -r * 0.8)
        painter.setPen(QPen(QColor(style.UNBURDENED_MARK), 1.5))
        painter.setBrush(QColor(style.LETTER_COLOUR))
        painter.drawEllipse(badge, 8, 8)
        painter.setPen(QPen(QColor(style.UNBURDENED_MARK), 2.4))
        painter.drawPolyline(
            QPolygonF(
                [badge + QPointF(-4, 0), badge + QPointF(-1, 3.5), badge + QPointF(4.5, -3.5)]
            )
        )

    def _paint_name(self, painter: QPainter, text_colour: QColor) -> None:
        painter.setFont(QApplication.font())
        painter.setPen(QColor(style.DUPLICATE_NAME) if self.duplicate else text_colour)
        top = style.shape_of(self.part.kind).bottom(self._radius) + 6
        painter.drawText(
            QRectF(-NAME_WIDTH / 2 - 4, top, NAME_WIDTH + 8, self._name_height + 2),
            Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
            self._name + (" ⚠" if self.duplicate else ""),
        )


def relation_pen(kind: str, strength: int | None) -> QPen:
    """The line style of a relationship kind (shared with the legend)."""
    line = style.line_style(kind)
    colour = _palette(QPalette.ColorRole.WindowText) if line.colour is None else QColor(line.colour)
    pen = QPen(colour, line.width_for(strength))
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    if line.dash:
        pen.setDashPattern(list(line.dash))
    return pen


def arrow_polygon(tip: QPointF, towards: QPointF, size: float) -> QPolygonF:
    """An arrowhead at `tip` for a line coming from `towards`."""
    line = QLineF(towards, tip)
    length = max(line.length(), 1e-9)
    return _polygon(
        style.arrowhead((tip.x(), tip.y()), line.dx() / length, line.dy() / length, size)
    )


def zigzag_points(
    start: QPointF,
    end: QPointF,
    amplitude: float = style.ZIGZAG_AMPLITUDE,
    step: float = style.ZIGZAG_STEP,
) -> QPolygonF:
    """The polarised line as a polyline."""
    return _polygon(style.zigzag((start.x(), start.y()), (end.x(), end.y()), amplitude, step))


def zigzag(
    start: QPointF,
    end: QPointF,
    amplitude: float = style.ZIGZAG_AMPLITUDE,
    step: float = style.ZIGZAG_STEP,
) -> QPainterPath:
    path = QPainterPath()
    path.addPolygon(zigzag_points(start, end, amplitude, step))
    return path


def _edge(item: PartItem | SelfItem, dx: float, dy: float) -> float:
    """Where a line meets an end's outline, from its centre along (dx, dy)."""
    if isinstance(item, PartItem):
        return style.shape_of(item.part.kind).edge(item.radius, dx, dy)
    return item.radius


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
        start = a + unit * (_edge(self.source, unit.x(), unit.y()) + 3)
        end = b - unit * (_edge(self.target, -unit.x(), -unit.y()) + 3)
        kind = self.relation.kind
        line_style = style.line_style(kind)
        # Drawn as a line or a polyline, far cheaper than a path: a drag repaints many.
        self._points = zigzag_points(start, end) if line_style.zigzag else QPolygonF([start, end])
        self._path = QPainterPath()
        self._path.addPolygon(self._points)
        self._pen = relation_pen(kind, self.relation.strength)
        self._arrow_pen = QPen(self._pen.color(), 1)
        directed = kind in c.DIRECTED
        self._arrows = [arrow_polygon(end, start, line_style.arrow)] if directed else []
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
            painter.drawLine(self._points.first(), self._points.last())
        else:
            painter.drawPolyline(self._points)
        if self._arrows:
            painter.setPen(self._arrow_pen)
            painter.setBrush(pen.color())
            for arrow in self._arrows:
                painter.drawPolygon(arrow)
