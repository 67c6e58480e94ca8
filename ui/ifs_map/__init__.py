"""The IFS parts-map editor: used by the session's Parts tab and the client overview."""

from __future__ import annotations

from ui.ifs_map.editor import MapEditor
from ui.ifs_map.window import PartsMapWindow

__all__ = ["MapEditor", "PartsMapWindow"]
