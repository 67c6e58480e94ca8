"""Bridges the service layer's change bus to a Qt signal delivered on the GUI thread."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from console.services.changes import Change, ChangeBus


class QtChanges(QObject):
    changed = Signal(str, str, str)  # kind, id, action

    def __init__(self, bus: ChangeBus, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._relay = _Relay(self)
        self._relay.raw.connect(self.changed)
        self._unsubscribe = bus.subscribe(self._relay.forward)

    def detach(self) -> None:
        self._unsubscribe()


class _Relay(QObject):
    raw = Signal(str, str, str)

    def forward(self, change: Change) -> None:
        self.raw.emit(change.kind, change.id, change.action)
