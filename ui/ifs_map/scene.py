"""The scene: keeps one item per part and per line in step with a `PartsMap`.

`show_map` compares the new map with what is drawn, part by part (parts are
immutable, so an unchanged part is the very same object) and touches only
what differs: an edit on a 200-part map rebuilds one item, not 600.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import QLineF, QObject, QPoint, QPointF, Signal
from PySide6.QtGui import QPalette, QPen
from PySide6.QtWidgets import (
    QApplication,
    QGraphicsLineItem,
    QGraphicsScene,
    QGraphicsSceneMouseEvent,
)

from console.clinical import ifs as c
from ui.ifs_map.items import PartItem, RelationItem, SelfItem


class MapScene(QGraphicsScene):
    parts_moved = Signal(object)  # {part_id: (x, y)}
    link_requested = Signal(object, object, QPoint)  # source id, target id or None (Self), where
    link_refused = Signal(str)
    part_activated = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.BspTreeIndex)
        self.self_item = SelfItem()
        self.addItem(self.self_item)
        self.part_items: dict[uuid.UUID, PartItem] = {}
        self.relation_items: dict[uuid.UUID, RelationItem] = {}
        self.editable = True
        self._link_from: uuid.UUID | None = None
        self._link_line: QGraphicsLineItem | None = None
        self._picked: list[uuid.UUID] = []  # selected parts, in the order they were chosen
        self.selectionChanged.connect(self._remember_order)

    # -- showing a map ---------------------------------------------------------

    def show_map(self, parts_map: c.PartsMap) -> None:
        if self.self_item.energy != parts_map.self_energy:
            self.self_item.set_energy(parts_map.self_energy)
        self._show_parts(parts_map.parts)
        self._show_relations(parts_map.relations)
        dupes = {i for ids in c.duplicate_names(parts_map).values() for i in ids}
        for part_id, item in self.part_items.items():
            item.set_duplicate(part_id in dupes)

    def _show_parts(self, parts: tuple[c.Part, ...]) -> None:
        wanted = {p.id for p in parts}
        for part_id in [i for i in self.part_items if i not in wanted]:
            gone = self.part_items.pop(part_id)
            for edge in list(gone.edges):
                self._drop_relation(edge.relation.id)
            self.removeItem(gone)
        for part in parts:
            item = self.part_items.get(part.id)
            if item is None:
                item = PartItem(part)
                item.set_editable(self.editable)
                self.addItem(item)
                self.part_items[part.id] = item
            elif item.part is not part:
                renamed = item.part.name != part.name
                item.set_part(part)
                if renamed:
                    for edge in item.edges:
                        edge.adjust()

    def _show_relations(self, relations: tuple[c.Relation, ...]) -> None:
        wanted = {r.id for r in relations}
        for rel_id in [i for i in self.relation_items if i not in wanted]:
            self._drop_relation(rel_id)
        for rel in relations:
            edge = self.relation_items.get(rel.id)
            if edge is not None and edge.relation is rel:
                continue
            if edge is not None and (edge.relation.source, edge.relation.target) == (
                rel.source,
                rel.target,
            ):
                edge.set_relation(rel)
                edge.update()
                continue
            if edge is not None:
                self._drop_relation(rel.id)
            source = self.part_items.get(rel.source)
            target = self.self_item if rel.target is None else self.part_items.get(rel.target)
            if source is None or target is None:
                continue
            edge = RelationItem(rel, source, target)
            self.addItem(edge)
            self.relation_items[rel.id] = edge

    def _drop_relation(self, rel_id: uuid.UUID) -> None:
        edge = self.relation_items.pop(rel_id, None)
        if edge is not None:
            edge.detach()
            self.removeItem(edge)

    def set_editable(self, editable: bool) -> None:
        self.editable = editable
        for item in self.part_items.values():
            item.set_editable(editable)

    def highlight(self, part_ids: set[uuid.UUID]) -> None:
        for part_id, item in self.part_items.items():
            item.set_highlighted(part_id in part_ids)

    def selected_part_ids(self) -> list[uuid.UUID]:
        """The selected parts in the order they were chosen: Connect… draws a directed line
        from the first to the second, so "A protects B" is what was clicked, A then B."""
        now = [i.part_id for i in self.selectedItems() if isinstance(i, PartItem)]
        chosen = set(now)
        kept = [p for p in self._picked if p in chosen]
        earlier = set(kept)
        return kept + [p for p in now if p not in earlier]

    def _remember_order(self) -> None:
        self._picked = self.selected_part_ids()

    def selected_relation_ids(self) -> list[uuid.UUID]:
        return [i.relation.id for i in self.selectedItems() if isinstance(i, RelationItem)]

    # -- moving ------------------------------------------------------------------

    def commit_moves(self) -> None:
        """After a drag: announce every part whose position differs from the map's (one edit)."""
        moved = {
            part_id: (item.pos().x(), item.pos().y())
            for part_id, item in self.part_items.items()
            if (item.pos().x(), item.pos().y()) != (item.part.x, item.part.y)
        }
        if moved:
            self.parts_moved.emit(moved)

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if self.editable and self._link_from is None:
            self.commit_moves()

    def mouseDoubleClickEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        item = self.itemAt(event.scenePos(), self.views()[0].transform()) if self.views() else None
        if isinstance(item, PartItem):
            self.part_activated.emit(item.part_id)
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    # -- drawing a line from a handle ---------------------------------------------

    def begin_link(self, part_id: uuid.UUID, where: QPointF) -> None:
        self._link_from = part_id
        start = self.part_items[part_id].pos()
        pen = QPen(QApplication.palette().color(QPalette.ColorRole.Highlight), 2)
        pen.setDashPattern([4, 3])
        self._link_line = self.addLine(QLineF(start, where), pen)
        self._link_line.setZValue(5)

    def update_link(self, where: QPointF) -> None:
        if self._link_line is not None and self._link_from in self.part_items:
            self._link_line.setLine(QLineF(self.part_items[self._link_from].pos(), where))

    def end_link(self, where: QPointF, screen: QPoint) -> None:
        source = self._link_from
        self._link_from = None
        if self._link_line is not None:
            self.removeItem(self._link_line)
            self._link_line = None
        if source is None:
            return
        target = self.node_at(where)
        if target is False:
            self.link_refused.emit("Dropped on empty space: no line drawn.")
        elif target == source:
            self.link_refused.emit("A part cannot be related to itself: no line drawn.")
        else:
            self.link_requested.emit(source, target, screen)

    def node_at(self, where: QPointF) -> uuid.UUID | bool | None:
        """The part id under a point, None for Self, False for empty space."""
        for item in self.items(where):
            if isinstance(item, PartItem):
                return item.part_id
            if isinstance(item, SelfItem):
                return None
        return False
