"""The one bridge from the service layer's change bus to the GUI thread.

One `ChangeBridge` per window is made on the GUI thread; writes announce
their `Changes` on whichever thread committed them, and Qt queues the
signal to the views. Each view subscribes to `changed` and refreshes only
what it shows, skipping what it initiated itself.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from console.services.changes import ChangeBus, Changes


class ChangeBridge(QObject):
    changed = Signal(object)  # Changes

    def __init__(self, bus: ChangeBus, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._relay = _Relay(self)
        self._relay.raw.connect(self.changed)
        self._unsubscribe = bus.subscribe(self._relay.forward)

    def detach(self) -> None:
        self._unsubscribe()

    def follow(self, slot: Callable[[Changes], None]) -> Callable[[], None]:
        """Deliver changes to `slot` until the returned call; calling it twice is harmless,
        since a tool's shutdown runs on close and again on lock or quit."""
        self.changed.connect(slot)
        following = [True]

        def unfollow() -> None:
            if following:
                following.clear()
                self.changed.disconnect(slot)

        return unfollow


class _Relay(QObject):
    raw = Signal(object)

    def forward(self, changes: Changes) -> None:
        self.raw.emit(changes)
