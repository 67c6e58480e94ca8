"""The parts-map editor: the map, its undo stack, the side panel, history and autosave.

The editor holds the current `PartsMap`. Every edit is a `MapCommand` that
swaps it for a new map; the scene then redraws only what differs. Saving is
debounced and runs off the GUI thread; `flush()` saves at once (before lock,
close or export).
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable, Hashable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import (
    QAction,
    QCursor,
    QHideEvent,
    QKeySequence,
    QShowEvent,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QScrollArea,
    QSlider,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from console.clinical import ifs as c
from console.errors import ConsoleError, ValidationError
from console.services.bundle import Services
from console.services.changes import Initiator
from console.services.ifs import PartWorkFields, SessionMapRecord
from ui.autosave import Autosaver, SaveState, saved_words, state_words, vault_writes
from ui.dates import show_date
from ui.ifs_map.add_part import AddPartDialog
from ui.ifs_map.commands import MapCommand, WorkCommand
from ui.ifs_map.detail import PartDetail
from ui.ifs_map.export import export_map
from ui.ifs_map.items import PartItem, RelationItem
from ui.ifs_map.legend import LegendWidget
from ui.ifs_map.scene import MapScene
from ui.ifs_map.view import MapView
from ui.widgets import named, report

AUTOSAVE_MS = 1500
_Draft = tuple[c.PartsMap, dict[uuid.UUID, PartWorkFields]]
BANNER_STYLE = "background: #8a5a00; color: white; padding: 4px 8px; border-radius: 3px;"


class MapEditor(QWidget):
    def __init__(
        self,
        services: Services,
        client_id: uuid.UUID,
        session_id: uuid.UUID | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ifs = services.ifs
        self.client_id, self.session_id = client_id, session_id
        self.map = self.ifs.load(client_id, session_id)
        self._saved_map = self.map
        self._pending_work: dict[uuid.UUID, PartWorkFields] = {}
        self._closed = False
        self.autosave: Autosaver[_Draft, _Draft] = Autosaver(
            self._draft,
            self._save_draft,
            self._on_saved,
            AUTOSAVE_MS,
            initiator=Initiator("parts map"),
            exclusive=lambda: vault_writes(services),
            on_error=self._on_save_failed,
            on_state=self._on_save_state,
            parent=self,
        )
        self._history: list[SessionMapRecord] = []
        self.read_only = False
        self.add_dialog: AddPartDialog | None = None
        self.link_menu: QMenu | None = None
        self.undo_stack = QUndoStack(self)

        self.scene = MapScene(self)
        self.view = named(MapView(self.scene), "Parts map")
        self.view.setAccessibleDescription(
            self.tr(
                "Tab moves between parts, arrows nudge, Enter opens, Delete removes, "
                "the menu key lists the map's commands"
            )
        )
        self.detail = PartDetail(session_id is not None)
        self._build(session_id is not None)

        self.scene.parts_moved.connect(self._on_scene_parts_moved)
        self.scene.link_requested.connect(self._on_scene_link_requested)
        self.scene.link_refused.connect(self.say)
        self.scene.part_activated.connect(self.open_part)
        self.scene.selectionChanged.connect(self._on_scene_selection_changed)
        self.view.nudged.connect(self.nudge)
        self.view.activated.connect(self.open_part)
        self.view.delete_pressed.connect(self.delete_selected)
        self.view.menu_keyed.connect(self._show_map_menu)
        self.detail.field_edited.connect(self._on_detail_field_edited)
        self.detail.work_edited.connect(self._on_detail_work_edited)
        self.detail.unburden_requested.connect(self.mark_unburdened)

        self.scene.show_map(self.map)
        self._show_self()
        self.tidy_offer.setVisible(c.unplaced(self.map))
        self.reload_history()
        QTimer.singleShot(0, self.view.fit)

    # -- building -------------------------------------------------------------------

    def _action(
        self,
        text: str,
        name: str,
        slot: Callable[[], object],
        keys: str | list[QKeySequence] | None = None,
    ) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        if keys is not None:
            action.setShortcuts(keys if isinstance(keys, list) else [QKeySequence(keys)])
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def _build(self, in_session: bool) -> None:
        self._build_actions()
        toolbar = self._build_toolbar()
        left = self._build_canvas(toolbar)
        side = self._build_side(in_session)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 0)
        splitter.setSizes([900, 360])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

    def _build_actions(self) -> None:
        """Actions live on the editor so their shortcuts work wherever focus sits inside it."""
        self.undo_action = self._action(
            self.tr("Undo"),
            "undo",
            self.undo_stack.undo,
            [QKeySequence(QKeySequence.StandardKey.Undo)],
        )
        self.redo_action = self._action(
            self.tr("Redo"),
            "redo",
            self.undo_stack.redo,
            [QKeySequence(QKeySequence.StandardKey.Redo), QKeySequence("Ctrl+Shift+Z")],
        )
        self.undo_action.setEnabled(False)
        self.redo_action.setEnabled(False)
        self.undo_stack.canUndoChanged.connect(self._on_undo_stack_changed)
        self.undo_stack.canRedoChanged.connect(self._on_undo_stack_changed)
        self.add_action = self._action(self.tr("Add part…"), "add_part", self.ask_new_part, "Ins")
        self.add_action.setToolTip(self.tr("Add a part (Insert)"))
        self.connect_action = self._action(self.tr("Connect…"), "connect_parts", self.ask_connect)
        self.delete_action = self._action(self.tr("Delete"), "delete", self.delete_selected)
        self.tidy_action = self._action(self.tr("Tidy"), "tidy_layout", self.tidy)
        self.tidy_action.setToolTip(self.tr("Tidy layout: each kind in its place around Self"))
        self.fit_action = self._action(self.tr("Fit"), "fit", self.view.fit, "Ctrl+0")
        self.zoom_in_action = self._action(
            self.tr("Zoom +"),
            "zoom_in",
            lambda: self.view.zoom(1.2),
            [QKeySequence(QKeySequence.StandardKey.ZoomIn), QKeySequence("Ctrl+=")],
        )
        self.zoom_out_action = self._action(
            self.tr("Zoom −"),
            "zoom_out",
            lambda: self.view.zoom(1 / 1.2),
            [QKeySequence(QKeySequence.StandardKey.ZoomOut)],
        )
        self.export_action = self._action(self.tr("Export…"), "export_image", self.ask_export)
        self.export_action.setToolTip(self.tr("Export image (PNG or SVG)…"))

    def _build_toolbar(self) -> QToolBar:
        toolbar = named(QToolBar(), "Parts map tools")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        # The same commands on the map's own menu: the toolbar's buttons take no keyboard
        # focus, so the menu key (or a right-click) is how Connect…, Tidy and Export… are
        # reached without a mouse on the toolbar.
        self.map_menu = named(QMenu(self), "Map commands")
        for action in (
            self.add_action,
            self.connect_action,
            self.delete_action,
            None,
            self.undo_action,
            self.redo_action,
            None,
            self.tidy_action,
            self.fit_action,
            self.zoom_in_action,
            self.zoom_out_action,
            None,
            self.export_action,
        ):
            if action is None:
                toolbar.addSeparator()
                self.map_menu.addSeparator()
            else:
                toolbar.addAction(action)
                self.map_menu.addAction(action)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._on_map_menu_requested)
        return toolbar

    def _build_canvas(self, toolbar: QToolBar) -> QWidget:
        self._build_notices()
        history_row = self._build_history()
        status_row = self._build_status()
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(toolbar)
        left_layout.addWidget(self.banner)
        left_layout.addWidget(self.tidy_offer)
        left_layout.addWidget(self.view, 1)
        left_layout.addLayout(history_row)
        left_layout.addWidget(self.history_ends)
        left_layout.addLayout(status_row)
        return left

    def _build_notices(self) -> None:
        """Hidden until needed: the past-map banner and the offer to place unplaced parts."""
        self.banner = named(QLabel(), "History banner")
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner.setWordWrap(True)
        self.banner.setVisible(False)
        self.tidy_offer = QWidget()
        offer = QHBoxLayout(self.tidy_offer)
        offer.setContentsMargins(0, 0, 0, 0)
        offer.addWidget(QLabel(self.tr("These parts have no places on the map yet.")))
        self.tidy_now = named(QPushButton(self.tr("Tidy them around Self")), "Tidy now")
        self.tidy_now.clicked.connect(self.tidy)
        offer.addWidget(self.tidy_now)
        offer.addStretch(1)

    def _build_history(self) -> QHBoxLayout:
        history_row = QHBoxLayout()
        self.history_slider = named(
            QSlider(Qt.Orientation.Horizontal),
            "Map history",
            self.tr("Show the map as it was at an earlier session"),
        )
        self.history_slider.setPageStep(1)
        self.history_slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.history_label = named(QLabel(self.tr("Now")), "History position")
        self.history_label.setMinimumWidth(180)
        self.history_ends = named(QLabel(), "History range")
        history_row.addWidget(QLabel(self.tr("History:")))
        history_row.addWidget(self.history_slider, 1)
        history_row.addWidget(self.history_label)
        self.history_slider.valueChanged.connect(self.show_history)
        return history_row

    def _build_status(self) -> QHBoxLayout:
        self.status_line = named(QLabel(), "Map status")
        self.status_line.setWordWrap(True)
        self.save_status = named(QLabel(), "Save status")
        self.save_status.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        status_row = QHBoxLayout()
        status_row.addWidget(self.status_line, 1)
        status_row.addWidget(self.save_status)
        return status_row

    def _build_side(self, in_session: bool) -> QTabWidget:
        self.side = named(QTabWidget(), "Map side panel")
        detail_scroll = QScrollArea()
        detail_scroll.setWidgetResizable(True)
        detail_scroll.setWidget(self.detail)
        self.side.addTab(detail_scroll, self.tr("Part"))
        self.side.addTab(self._self_panel(in_session), self.tr("Self && legend"))
        self.side.setMinimumWidth(330)
        return self.side

    def _self_panel(self, in_session: bool) -> QWidget:
        panel = QWidget()
        layout = QVBoxLayout(panel)
        self_box = QGroupBox(self.tr("Self"))
        form = QVBoxLayout(self_box)
        energy_row = QHBoxLayout()
        self.energy = named(
            QSpinBox(), "Self energy", self.tr("How much Self energy is present, 0–10")
        )
        self.energy.setRange(c.SELF_ENERGY_MIN - 1, c.SELF_ENERGY_MAX)
        self.energy.setSpecialValueText(self.tr("not rated"))
        # A mnemonic needs a buddy, else QLabel prints the "&"; Alt+E is the Edit menu.
        energy_label = QLabel(self.tr("Self e&nergy (0–10)"))
        energy_label.setBuddy(self.energy)
        energy_row.addWidget(energy_label)
        energy_row.addWidget(self.energy)
        form.addLayout(energy_row)
        grid = QGridLayout()
        self.cs: dict[str, QCheckBox] = {}
        for i, (key, label) in enumerate(c.EIGHT_CS):
            box = named(QCheckBox(label), f"Self {label}")
            box.toggled.connect(self._on_cs_toggled)
            grid.addWidget(box, i // 2, i % 2)
            self.cs[key] = box
        form.addLayout(grid)
        self.self_note = QLabel(
            self.tr("Self energy and the eight C's are read in a session.")
            if not in_session
            else ""
        )
        self.self_note.setWordWrap(True)
        self.self_note.setVisible(not in_session)
        form.addWidget(self.self_note)
        self.self_box = self_box
        self.self_box.setEnabled(in_session)
        self.energy.valueChanged.connect(self._on_energy_changed)
        layout.addWidget(self_box)

        self.line_box = QGroupBox(self.tr("Selected line"))
        line_form = QFormLayout(self.line_box)
        self.line_text = named(QLabel(self.tr("Select a line to see it here.")), "Selected line")
        self.line_text.setWordWrap(True)
        self.strength = named(QSpinBox(), "Polarisation strength", self.tr("0–10, drawn as width"))
        self.strength.setRange(c.STRENGTH_MIN, c.STRENGTH_MAX)
        self.strength.setEnabled(False)
        self.strength.valueChanged.connect(self._on_strength_changed)
        line_form.addRow(self.line_text)
        line_form.addRow(self.tr("&Strength"), self.strength)
        layout.addWidget(self.line_box)
        legend_box = QGroupBox(self.tr("Legend"))
        legend_layout = QVBoxLayout(legend_box)
        legend_layout.addWidget(LegendWidget())
        layout.addWidget(legend_box)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(panel)
        return scroll

    # -- the map state --------------------------------------------------------------

    def apply(self, parts_map: c.PartsMap) -> None:
        """Show a map state (from an edit, an undo or a redo) and schedule its save."""
        self.map = parts_map
        self.scene.show_map(parts_map)
        self._show_self()
        self._show_detail()
        self._show_line()
        self.tidy_offer.setVisible(c.unplaced(parts_map))
        self._warn_duplicates()
        self.autosave.touched()

    def push(self, text: str, new: c.PartsMap, merge: tuple[str, Hashable] | None = None) -> bool:
        if self.read_only or new == self.map:
            return False
        self.undo_stack.push(MapCommand(text, self.map, new, self.apply, merge))
        return True

    def _on_undo_stack_changed(self) -> None:
        editable = not self.read_only
        self.undo_action.setEnabled(editable and self.undo_stack.canUndo())
        self.redo_action.setEnabled(editable and self.undo_stack.canRedo())
        self.undo_action.setToolTip(self.tr("Undo %1").replace("%1", self.undo_stack.undoText()))
        self.redo_action.setToolTip(self.tr("Redo %1").replace("%1", self.undo_stack.redoText()))

    def _on_map_menu_requested(self, where: QPoint) -> None:
        """The map's menu where it was asked for; a part or line right-clicked that is not
        selected becomes the selection, so Delete or Connect… acts on what was clicked."""
        item = self.view.itemAt(where)
        while item is not None and not isinstance(item, PartItem | RelationItem):
            item = item.parentItem()
        if item is not None and not item.isSelected():
            self.scene.clearSelection()
            item.setSelected(True)
        self._show_map_menu(where)

    def _show_map_menu(self, where: QPoint) -> None:
        """The map's commands at a point of the view (the menu key keeps the selection)."""
        self.map_menu.popup(self.view.viewport().mapToGlobal(where))

    def say(self, text: str) -> None:
        self.status_line.setText(text)

    def _warn_duplicates(self) -> None:
        dupes = c.duplicate_names(self.map)
        if dupes:
            found = [(self.map.part(ids[0]), len(ids)) for ids in dupes.values()]
            names = ", ".join(f"“{p.name}” ×{n}" for p, n in found if p is not None)
            self.say(self.tr("Same name on more than one part (allowed, marked ⚠): ") + names)
        elif self.status_line.text().startswith(self.tr("Same name")):
            self.say("")

    # -- edits ----------------------------------------------------------------------

    def ask_new_part(self) -> None:
        if self.read_only:
            return
        dialog = AddPartDialog(self)
        dialog.accepted.connect(
            lambda: self.add_part(dialog.name.text(), dialog.kind.currentData())
        )
        dialog.finished.connect(dialog.deleteLater)
        self.add_dialog = dialog
        dialog.open()

    def add_part(self, name: str, kind: str) -> c.Part | None:
        """Place a new part at its kind's free spot; an empty name is refused, a twin warned."""
        x, y = c.free_spot(self.map, kind)
        try:
            part = c.check_part(c.Part(uuid.uuid4(), name, kind, x=x, y=y))
        except ValidationError as exc:
            self.say(exc.message)
            return None
        self.push(self.tr("Add %1").replace("%1", part.name), self.map.with_part(part))
        self.view.select_part(part.id)
        return part

    def connect_parts(
        self, source: uuid.UUID, target: uuid.UUID | None, kind: str
    ) -> c.Relation | None:
        try:
            relation = c.check_relation(self.map, c.Relation(uuid.uuid4(), kind, source, target))
        except ValidationError as exc:
            self.say(exc.message)
            return None
        self.push(self.tr("Connect"), self.map.with_relation(relation))
        self.say(" ".join(c.relation_text(relation, c.part_names(self.map.parts))))
        return relation

    def ask_connect(self) -> None:
        """The keyboard path: two selected parts (or one, to Self) and a menu of kinds."""
        selected = self.scene.selected_part_ids()
        if len(selected) == 2:
            self._offer_kinds(selected[0], selected[1], QCursor.pos())
        elif len(selected) == 1:
            self._offer_kinds(selected[0], None, QCursor.pos())
        else:
            self.say(self.tr("Select two parts (Ctrl+click), or one to connect it to Self."))

    def _on_scene_link_requested(
        self, source: uuid.UUID, target: uuid.UUID | None, where: QPoint
    ) -> None:
        self._offer_kinds(source, target, where)

    def _offer_kinds(self, source: uuid.UUID, target: uuid.UUID | None, where: QPoint) -> None:
        kinds = c.relation_kinds_for(self.map, source, target)
        if not kinds:
            self.say(self.tr("No kind of line fits these two."))
            return
        menu = named(QMenu(self), "Relationship kind")
        for kind in kinds:
            action = menu.addAction(c.RELATION_LABELS[kind])
            action.setObjectName(kind)
            action.triggered.connect(lambda _=False, k=kind: self.connect_parts(source, target, k))
        menu.aboutToHide.connect(menu.deleteLater)
        self.link_menu = menu
        menu.popup(where)

    def delete_selected(self) -> None:
        parts = self.scene.selected_part_ids()
        relations = self.scene.selected_relation_ids()
        if self.read_only or not (parts or relations):
            return
        new = self.map
        for rel_id in relations:
            new = new.without_relation(rel_id)
        for part_id in parts:
            new = new.without_part(part_id)
        what = self.tr("Delete %n part(s)", "", len(parts)) if parts else self.tr("Delete line")
        self.push(what, new)
        self.say(what + self.tr(" — Ctrl+Z brings it back."))

    def _on_scene_parts_moved(self, positions: dict[uuid.UUID, tuple[float, float]]) -> None:
        moved = {k: v for k, v in positions.items() if self.map.part(k) is not None}
        if moved and not self.push(self.tr("Move"), self.map.moved(moved)):
            self.scene.show_map(self.map)

    def nudge(self, dx: float, dy: float) -> None:
        ids = tuple(sorted(self.scene.selected_part_ids(), key=str))
        positions = {}
        for part_id in ids:
            part = self.map.part(part_id)
            if part is not None:
                positions[part_id] = (part.x + dx, part.y + dy)
        if positions:
            self.push(self.tr("Nudge"), self.map.moved(positions), ("nudge", ids))

    def tidy(self) -> None:
        self.push(self.tr("Tidy layout"), c.tidy_layout(self.map))
        self.view.fit()

    def mark_unburdened(self, part_id: uuid.UUID) -> None:
        part = self.map.part(part_id)
        if part is not None:
            self.push(
                self.tr("Mark unburdened"), self.map.with_part(replace(part, status="unburdened"))
            )

    def _on_detail_field_edited(self, part_id: uuid.UUID, key: str, value: object) -> None:
        part = self.map.part(part_id)
        if part is None:
            return
        try:
            edited: dict[str, Any] = {key: value}  # a field named by the detail panel
            new_part = c.check_part(replace(part, **edited))
        except ValidationError as exc:
            self.say(exc.message)
            return
        new = self.map.with_part(new_part)
        if key == "kind":
            dropped = 0
            for rel in new.relations_of(part_id):
                try:
                    c.check_relation(new, rel)
                except ValidationError:
                    new = new.without_relation(rel.id)
                    dropped += 1
            if dropped:
                self.say(
                    self.tr("%n line(s) no longer fit this kind and were removed.", "", dropped)
                )
        label = dict(c.PART_TEXT_FIELDS).get(key, key)
        merge = ("field", (part_id, key)) if key not in ("kind", "status") else None
        self.push(self.tr("Edit %1").replace("%1", label.lower()), new, merge)

    def _on_detail_work_edited(self, part_id: uuid.UUID, fields: PartWorkFields) -> None:
        """Six F's and unburdening edits go through the undo stack too."""
        if self.session_id is None or self.read_only:
            return
        before = self._pending_work.get(part_id) or self._load_work(part_id)
        if before == fields:
            return
        name = self.map.part(part_id)
        text = self.tr("Edit work with %1").replace("%1", name.name if name else "")
        self.undo_stack.push(
            WorkCommand(text, part_id, before, fields, self.apply_work, before.typed_in(fields))
        )

    def apply_work(self, part_id: uuid.UUID, fields: PartWorkFields) -> None:
        """Show a part's work (from an edit, an undo or a redo) and schedule its save."""
        self._pending_work[part_id] = fields
        if self.detail.part_id != part_id and self.map.part(part_id) is not None:
            self.view.select_part(part_id)
        if self.detail.part_id == part_id:
            self.detail.show_work(fields)
        self.autosave.touched()

    def _on_energy_changed(self, value: int) -> None:
        energy = None if value < c.SELF_ENERGY_MIN else value
        if energy != self.map.self_energy:
            self.push(
                self.tr("Self energy"), replace(self.map, self_energy=energy), ("self", "energy")
            )

    def _on_cs_toggled(self) -> None:
        cs = tuple(k for k, box in self.cs.items() if box.isChecked())
        if cs != self.map.self_cs:
            self.push(self.tr("Self qualities"), replace(self.map, self_cs=cs))

    def _on_strength_changed(self, value: int) -> None:
        ids = self.scene.selected_relation_ids()
        rel = next((r for r in self.map.relations if ids and r.id == ids[0]), None)
        if rel is not None and rel.kind == "polarised" and rel.strength != value:
            self.push(
                self.tr("Strength"),
                self.map.with_relation(replace(rel, strength=value)),
                ("strength", rel.id),
            )

    # -- panels -----------------------------------------------------------------------

    def open_part(self, part_id: uuid.UUID) -> None:
        """Double-click or Enter: show the part in the detail panel, ready to type."""
        self.view.select_part(part_id)
        self.side.setCurrentIndex(0)
        self._show_detail()
        if not self.read_only:
            self.detail.name.setFocus()

    def _selected_part(self) -> c.Part | None:
        ids = self.scene.selected_part_ids()
        return self.map_shown().part(ids[0]) if len(ids) == 1 else None

    def map_shown(self) -> c.PartsMap:
        index = self.history_slider.value()
        if 0 <= index < len(self._history):
            return self._history[index].map
        return self.map

    def _show_detail(self) -> None:
        part = self._selected_part()
        work = None
        if part is not None and part.id != self.detail.part_id:
            work = self._pending_work.get(part.id) or self._load_work(part.id)
        self.detail.show_part(part, work, editable=not self.read_only)

    def _load_work(self, part_id: uuid.UUID) -> PartWorkFields:
        if self.session_id is None or self.map_shown() is not self.map:
            return PartWorkFields()
        try:
            record = self.ifs.part_work(self.session_id, part_id)
        except ConsoleError:
            return PartWorkFields()
        return PartWorkFields() if record is None else record.fields

    def _show_self(self) -> None:
        shown = self.map_shown()
        for widget in (self.energy, *self.cs.values()):
            widget.blockSignals(True)
        self.energy.setValue(
            c.SELF_ENERGY_MIN - 1 if shown.self_energy is None else shown.self_energy
        )
        for key, box in self.cs.items():
            box.setChecked(key in shown.self_cs)
        for widget in (self.energy, *self.cs.values()):
            widget.blockSignals(False)

    def _show_line(self) -> None:
        ids = self.scene.selected_relation_ids()
        rel = next((r for r in self.map_shown().relations if ids and r.id == ids[0]), None)
        self.strength.blockSignals(True)
        if rel is None:
            self.line_text.setText(self.tr("Select a line to see it here."))
            self.strength.setEnabled(False)
        else:
            self.line_text.setText(" ".join(c.relation_text(rel, c.part_names(self.map.parts))))
            self.strength.setEnabled(rel.kind == "polarised" and not self.read_only)
            self.strength.setValue(rel.strength or 0)
        self.strength.blockSignals(False)

    def _on_scene_selection_changed(self) -> None:
        self._show_detail()
        self._show_line()
        if self.scene.selected_relation_ids() and not self.scene.selected_part_ids():
            self.side.setCurrentIndex(1)

    # -- history --------------------------------------------------------------------

    def reload_history(self) -> None:
        self._history = self.ifs.history(self.client_id)
        slider = self.history_slider
        slider.blockSignals(True)
        slider.setRange(0, len(self._history))
        slider.setValue(len(self._history))
        slider.blockSignals(False)
        slider.setEnabled(bool(self._history))
        if self._history:
            first, last = self._history[0], self._history[-1]
            self.history_ends.setText(
                self.tr("%n session snapshot(s): ", "", len(self._history))
                + f"{show_date(first.starts_at)} … {show_date(last.starts_at)} · Now"
            )
        else:
            self.history_ends.setText(self.tr("No session snapshots yet."))

    def show_history(self, index: int) -> None:
        """Show the map as at an earlier session, read only, with what is new since highlighted."""
        with contextlib.suppress(ConsoleError):  # said in the status line; retried later
            self.flush()
        at_now = index >= len(self._history)
        self.read_only = not at_now
        self.scene.set_editable(at_now)
        for action in (
            self.add_action,
            self.connect_action,
            self.delete_action,
            self.tidy_action,
            self.undo_action,
            self.redo_action,
        ):
            action.setEnabled(at_now)
        if at_now:
            self._on_undo_stack_changed()
        self.self_box.setEnabled(at_now and self.session_id is not None)
        shown = self.map_shown()
        self.scene.clearSelection()
        self.scene.show_map(shown)
        self.view.fit()
        if at_now:
            self.history_label.setText(self.tr("Now"))
            self.banner.setVisible(False)
            self.scene.highlight(set())
        else:
            record = self._history[index]
            before = self._history[index - 1] if index > 0 else None
            day = show_date(record.starts_at)
            self.history_label.setText(day)
            diff = c.changes(before.map if before else None, shown)
            self.scene.highlight(set(diff.added) | set(diff.unburdened))
            summary = (
                c.changes_summary(before.map, shown, show_date(before.starts_at))
                if before
                else self.tr("The first map kept in a session.")
            )
            self.banner.setText(self.tr("Map as at %1 — read only. ").replace("%1", day) + summary)
            self.banner.setVisible(True)
        self._show_self()
        self._show_detail()

    # -- saving -----------------------------------------------------------------------

    def _dirty(self) -> bool:
        return self.map is not self._saved_map or bool(self._pending_work)

    def _draft(self) -> _Draft:
        return self.map, dict(self._pending_work)

    def _save_draft(self, draft: _Draft) -> _Draft:
        parts_map, work = draft
        if parts_map is not self._saved_map:
            self.ifs.save(self.client_id, parts_map, self.session_id)
        for part_id, fields in work.items():
            if self.session_id is not None and parts_map.part(part_id) is not None:
                self.ifs.save_part_work(self.session_id, part_id, fields)
        return draft

    def _on_saved(self, draft: _Draft) -> None:
        parts_map, work = draft
        self._saved_map = parts_map
        for part_id, fields in work.items():
            if self._pending_work.get(part_id) == fields:
                del self._pending_work[part_id]
        self.save_status.setText(saved_words(datetime.now().astimezone()))
        known = any(r.session_id == self.session_id for r in self._history)
        if self.session_id is not None and not known and not self.read_only:
            self.reload_history()

    def _on_save_state(self, state: SaveState) -> None:
        if state is not SaveState.SAVED:
            self.save_status.setText(state_words(state))

    def _on_save_failed(self, error: BaseException) -> None:
        message = error.message if isinstance(error, ConsoleError) else type(error).__name__
        self.say(self.tr("Not saved: ") + message)

    def flush(self) -> None:
        """Save now, on this thread (before lock, close, export or history)."""
        try:
            self.autosave.flush()
        except ConsoleError as exc:
            self.say(self.tr("Not saved: ") + exc.message)
            raise

    def hideEvent(self, event: QHideEvent) -> None:
        """Another tab or window takes over: save, so it opens what is typed here."""
        if not self._closed:
            with contextlib.suppress(ConsoleError):  # said in the status line
                self.flush()
        super().hideEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        """Coming back: take in what another session's editor saved meanwhile."""
        super().showEvent(event)
        if self._closed or self._dirty() or self.autosave.pending or self.read_only:
            return
        stored = self.ifs.load(self.client_id, self.session_id)
        if stored != self.map:
            self.undo_stack.clear()
            self.map = self._saved_map = stored
            self.scene.show_map(stored)
            self._show_self()
            self._show_detail()
            self.reload_history()

    def shutdown(self) -> None:
        """Save, then ignore any background save still to report (the widgets may be gone)."""
        self.flush()
        self.autosave.stop()
        self._closed = True

    # -- export -----------------------------------------------------------------------

    def ask_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Export parts map"),
            "parts-map.png",
            self.tr("PNG image (*.png);;SVG drawing (*.svg)"),
        )
        if not path:
            return
        try:
            export_map(self.scene, Path(path))
        except ConsoleError as exc:
            report(self, self.tr("Export image"), exc)
            return
        self.say(self.tr("Exported to %1").replace("%1", path))
