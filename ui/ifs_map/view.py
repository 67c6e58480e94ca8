"""The map's view: zoom, pan, fit, and the keyboard (Tab between parts, arrows nudge)."""

from __future__ import annotations

import uuid

from PySide6.QtCore import QEvent, QPoint, QRectF, Qt, Signal
from PySide6.QtGui import QKeyEvent, QPainter, QPalette, QWheelEvent
from PySide6.QtWidgets import QGraphicsView, QWidget

from console.clinical import ifs as c
from ui.ifs_map.items import PartItem, RelationItem
from ui.ifs_map.scene import MapScene

ZOOM_STEP = 1.2
MIN_ZOOM, MAX_ZOOM = 0.1, 6.0
NUDGE, BIG_NUDGE = 5.0, 25.0


class MapView(QGraphicsView):
    nudged = Signal(float, float)
    activated = Signal(object)  # part id
    delete_pressed = Signal()
    menu_keyed = Signal(QPoint)  # the menu key (or Shift+F10): where in the viewport to open

    def __init__(self, scene: MapScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self.map_scene = scene
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontSavePainterState)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setBackgroundBrush(self.palette().color(QPalette.ColorRole.Base))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def changeEvent(self, event: QEvent) -> None:
        """A theme change: the new background, lines in the new ink, parts redrawn (their
        pictures are cached)."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.setBackgroundBrush(self.palette().color(QPalette.ColorRole.Base))
            for item in self.map_scene.items():
                if isinstance(item, RelationItem):
                    item.adjust()
                item.update()

    def zoom(self, factor: float) -> None:
        current = self.transform().m11()
        factor = max(MIN_ZOOM / current, min(MAX_ZOOM / current, factor))
        self.scale(factor, factor)

    def fit(self) -> None:
        rect = self.map_scene.itemsBoundingRect().adjusted(-40, -40, 40, 40)
        self.fitInView(
            rect if rect.isValid() else QRectF(-200, -200, 400, 400),
            Qt.AspectRatioMode.KeepAspectRatio,
        )
        if self.transform().m11() > 1.5:
            self.resetTransform()
            self.scale(1.5, 1.5)
            self.centerOn(rect.center())

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.zoom(ZOOM_STEP if event.angleDelta().y() > 0 else 1 / ZOOM_STEP)
            event.accept()
            return
        super().wheelEvent(event)

    def focusNextPrevChild(self, next: bool) -> bool:
        """Tab and Shift+Tab walk the parts (legend order) rather than leaving the map."""
        order = [p.id for p in c.sorted_parts([i.part for i in self.map_scene.part_items.values()])]
        if not order:
            return super().focusNextPrevChild(next)
        selected = self.map_scene.selected_part_ids()
        if selected and selected[0] in order:
            index = (order.index(selected[0]) + (1 if next else -1)) % len(order)
        else:
            index = 0 if next else len(order) - 1
        self.select_part(order[index])
        return True

    def select_part(self, part_id: uuid.UUID) -> None:
        item = self.map_scene.part_items.get(part_id)
        if item is None:
            return
        self.map_scene.clearSelection()
        item.setSelected(True)
        item.setFocus()
        self.ensureVisible(item, 40, 40)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        arrows: dict[int, tuple[int, int]] = {
            Qt.Key.Key_Left: (-1, 0),
            Qt.Key.Key_Right: (1, 0),
            Qt.Key.Key_Up: (0, -1),
            Qt.Key.Key_Down: (0, 1),
        }
        if key in arrows and self.map_scene.selected_part_ids():
            step = BIG_NUDGE if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else NUDGE
            dx, dy = arrows[key]
            self.nudged.emit(dx * step, dy * step)
            event.accept()
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            selected = self.map_scene.selected_part_ids()
            if selected:
                self.activated.emit(selected[0])
                event.accept()
                return
        shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        if key == Qt.Key.Key_Menu or (key == Qt.Key.Key_F10 and shift):
            self.menu_keyed.emit(self._menu_point())
            event.accept()
            return
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.delete_pressed.emit()
            event.accept()
            return
        super().keyPressEvent(event)

    def _menu_point(self) -> QPoint:
        """Where a menu opened from the keyboard goes: by the selected part, else mid-map."""
        selected = self.map_scene.selected_part_ids()
        item = self.map_scene.part_items.get(selected[0]) if selected else None
        if item is not None:
            point = self.mapFromScene(item.pos())
            if self.viewport().rect().contains(point):
                return point
        return self.viewport().rect().center()

    def part_item(self, part_id: uuid.UUID) -> PartItem | None:
        return self.map_scene.part_items.get(part_id)
