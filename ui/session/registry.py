"""The one registration point for session workspace tabs.

Each tab lives in its own module under `ui/session/tabs/` and registers
itself on import; the workspace imports every module there, so a new tab
(EMDR, ART, IFS, medicine, measures) arrives without editing any other.
A tab may define `flush()` (save what is typed: before export, print, lock,
close), `shutdown()` (stop what runs: on close and lock), `watch()`
(`(monitored, next reading due at)`, read at lock for the lock screen's
reminder; see `ui/lock_watch.py`) and `show_record(id)` (bring a target or
part forward: a search hit).
"""

from __future__ import annotations

import importlib
import pkgutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtWidgets import QWidget

from console.services.bundle import Services
from console.services.sessions import SessionRecord


@dataclass
class SessionContext:
    """What a tab needs: the services and the session it belongs to."""

    services: Services
    session: SessionRecord
    extras: dict[str, object] = field(default_factory=dict)

    @property
    def session_id(self) -> uuid.UUID:
        return self.session.id

    @property
    def client_id(self) -> uuid.UUID:
        return self.session.client_id


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
