"""The one registration point for session workspace tabs.

Each tab lives in its own module under `ui/session/tabs/` and registers
itself on import; the workspace imports every module there, so a new tab
(EMDR, ART, IFS, medicine, measures) arrives without editing any other.
Every tab is a `SessionTool`: `flush()` saves what is typed (before export,
print, lock, close) and `shutdown()` stops what runs (on close and lock).
A tab may also be `Watching` (`watch()` gives `(monitored, next reading due
at)`, read at lock for the lock screen's reminder; see `ui/lock_watch.py`)
or `ShowsRecords` (`show_record(id)` brings a target or part forward: a
search hit).
"""

from __future__ import annotations

import importlib
import pkgutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable

from PySide6.QtWidgets import QWidget

from console.config import Settings
from console.services.bundle import Services
from console.services.sessions import SessionRecord
from console.vocabulary import NoteTemplate
from ui.changes import ChangeBridge


def _no_tab(_key: str) -> QWidget | None:
    return None


@dataclass
class SessionContext:
    """What a tab needs: the services, the session, the window's change bridge.

    `clock` (aware wall time) is given to tools that keep time when a test
    or the demo drives the clock; `open_tab` brings a sibling tool forward.
    """

    services: Services
    session: SessionRecord
    changes: ChangeBridge
    settings: Settings | None = None
    clock: Callable[[], datetime] | None = None
    default_template: NoteTemplate = NoteTemplate.SOAP
    open_tab: Callable[[str], QWidget | None] = _no_tab

    @property
    def session_id(self) -> uuid.UUID:
        return self.session.id

    @property
    def client_id(self) -> uuid.UUID:
        return self.session.client_id


@runtime_checkable
class SessionTool(Protocol):
    def flush(self) -> None:
        """Save what is typed now, on the GUI thread."""

    def shutdown(self) -> None:
        """Stop what runs (timers, sets, plots); the tab is about to go."""


@runtime_checkable
class Watching(Protocol):
    def watch(self) -> tuple[bool, datetime | None]:
        """Whether the client is monitored, and when the next reading is due."""


@runtime_checkable
class ShowsRecords(Protocol):
    def show_record(self, record_id: uuid.UUID) -> None:
        """Bring a record (a target, a part) forward: a search hit."""


@dataclass(frozen=True)
class TabSpec:
    key: str
    title: str
    order: int
    factory: Callable[[SessionContext], QWidget]
    applies: Callable[[SessionRecord], bool] = lambda _session: True


_TABS: dict[str, TabSpec] = {}


def register_tab(spec: TabSpec) -> None:
    _TABS[spec.key] = spec


def tabs_for(session: SessionRecord) -> list[TabSpec]:
    _load_tab_modules()
    return sorted((t for t in _TABS.values() if t.applies(session)), key=lambda t: t.order)


def _load_tab_modules() -> None:
    from ui.session import tabs

    for module in pkgutil.iter_modules(tabs.__path__):
        importlib.import_module(f"{tabs.__name__}.{module.name}")
