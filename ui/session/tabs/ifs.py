"""The Parts tab: the client's IFS parts map, with this session's six F's and Self reading."""

from __future__ import annotations

import uuid

from PySide6.QtWidgets import QVBoxLayout, QWidget

from console.clinical.ifs import MAP_SESSION_KINDS
from ui.ifs_map import MapEditor
from ui.session.registry import SessionContext, TabSpec, register_tab


class IfsTab(QWidget):
    def __init__(self, context: SessionContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = MapEditor(context.services, context.client_id, context.session_id)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.editor)

    def show_record(self, part_id: uuid.UUID) -> None:
        """A search hit: the part selected on the map, its detail ready to read."""
        self.editor.open_part(part_id)

    def flush(self) -> None:
        self.editor.flush()

    def shutdown(self) -> None:
        self.editor.shutdown()


register_tab(
    TabSpec(
        "ifs",
        "Parts",
        60,
        IfsTab,
        lambda s: s.kind in MAP_SESSION_KINDS,
    )
)
