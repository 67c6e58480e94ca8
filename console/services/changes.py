"""One change signal: after a mutation, the service layer says what changed.

Views subscribe and decide for themselves whether to refresh (the Anki
pattern), so no service knows about any view.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Change:
    kind: str
    id: str
    action: str


Listener = Callable[[Change], None]


class ChangeBus:
    def __init__(self) -> None:
        self._listeners: list[Listener] = []

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def emit(self, kind: str, record_id: object, action: str) -> None:
        change = Change(kind, str(record_id), action)
        for listener in list(self._listeners):
            listener(change)
