"""Undo commands: each swaps the editor's whole map for another (maps are immutable).

Nudges with the arrow keys and typing in one field of one part merge into a
single step, so Ctrl+Z undoes "moved Worrier" or "edited its fears", not
each keystroke.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Hashable

from PySide6.QtGui import QUndoCommand

from console.clinical import ifs as c
from console.services.ifs import PartWorkFields

_MERGE_IDS: dict[str, int] = {"nudge": 1, "field": 2, "self": 3, "strength": 4}
WORK_MERGE_ID = 5


class MapCommand(QUndoCommand):
    """One edit: the map before and after; `apply` shows a map in the editor."""

    def __init__(
        self,
        text: str,
        before: c.PartsMap,
        after: c.PartsMap,
        apply: Callable[[c.PartsMap], None],
        merge: tuple[str, Hashable] | None = None,
    ) -> None:
        super().__init__(text)
        self.before, self.after = before, after
        self._apply = apply
        self.merge_key = merge

    def id(self) -> int:
        return -1 if self.merge_key is None else _MERGE_IDS[self.merge_key[0]]

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, MapCommand) or other.merge_key != self.merge_key:
            return False
        self.after = other.after
        return True

    def redo(self) -> None:
        self._apply(self.after)

    def undo(self) -> None:
        self._apply(self.before)


class WorkCommand(QUndoCommand):
    """A part's six F's or unburdening in this session, before and after.

    Typing in one note merges into one step, as typing in a part's field does.
    """

    def __init__(
        self,
        text: str,
        part_id: uuid.UUID,
        before: PartWorkFields,
        after: PartWorkFields,
        apply: Callable[[uuid.UUID, PartWorkFields], None],
        merge: Hashable | None = None,
    ) -> None:
        super().__init__(text)
        self.part_id, self.before, self.after = part_id, before, after
        self._apply = apply
        self.merge_key = merge

    def id(self) -> int:
        return -1 if self.merge_key is None else WORK_MERGE_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, WorkCommand) or other.merge_key != self.merge_key:
            return False
        if other.part_id != self.part_id:
            return False
        self.after = other.after
        return True

    def redo(self) -> None:
        self._apply(self.part_id, self.after)

    def undo(self) -> None:
        self._apply(self.part_id, self.before)
