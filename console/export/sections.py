"""Where later features add their part to the printed records, without editing the renderers.

Two documents are built from ordered lists of section builders:

- **session** sections print inside the record of one session: in the
  session record, and again under each session of the client chart. A
  builder gets a `SessionPart` and returns flowables (or an empty list when it
  has nothing for that session).
- **chart** sections are the parts of the client chart, in order. A builder
  gets a `ChartPart`.

To add one (EMDR sets, an ART worksheet, measures charts, an IFS map,
medicine sessions…), write a module that calls `register_section` at import
time, and import that module in `_load_builtin_sections` below (a static
import, so the installer's bundler sees it)::

    from console.export.sections import SessionPart, register_section

    def emdr_sets(part: SessionPart) -> list[Flowable]:
        sets = part.services.emdr.sets_for_session(part.session.id)
        return [...] if sets else []

    register_section("session", "emdr", emdr_sets, order=300)

`order` places the section: lower prints first. Built-in orders, with gaps
left on purpose: session "bls_sets" 300, "medicine" 310, "emdr_worksheet" 320,
"art_worksheet" 340, "rescripting_worksheet" 360, "ifs_map" 380, "measures" 390,
"notes" 500;
chart "client" 100, "screening" 150, "programs" 200, "course" 250, "overview" 300,
"measures" 400, "emdr_targets" 450, "ifs_map" 460, "sessions" 500,
"psychotherapy" 900 (always last: it is kept apart).
Builders must print only what their part allows: a `SessionPart` says whether
psychotherapy notes were chosen (`include_psychotherapy`), and a builder
must never print private content otherwise.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Literal, overload

from reportlab.platypus import Flowable

from console.services.bundle import Services
from console.services.clients import ClientRecord
from console.services.notes import NoteRecord
from console.services.programs import GoalRecord, ProgramRecord
from console.services.sessions import SessionRecord

if TYPE_CHECKING:
    from console.export.document import DocumentRenderer

DocumentKind = Literal["session", "chart"]


@dataclass(frozen=True)
class SessionPart:
    """What a session section may print: one session, its notes, and the services to ask more."""

    renderer: DocumentRenderer
    services: Services
    client: ClientRecord
    session: SessionRecord
    notes: tuple[NoteRecord, ...]  # psychotherapy notes only if chosen
    program: ProgramRecord | None
    goals: dict[uuid.UUID, GoalRecord]
    include_psychotherapy: bool
    in_chart: bool  # inside the client chart (be brief) rather than a record of its own


@dataclass(frozen=True)
class ChartPart:
    """What a chart section may print: the client, the range, and its sessions in it."""

    renderer: DocumentRenderer
    services: Services
    client: ClientRecord
    programs: tuple[ProgramRecord, ...]
    sessions: tuple[SessionRecord, ...]  # in range, oldest first
    notes: dict[uuid.UUID, tuple[NoteRecord, ...]]  # by session id; never psychotherapy notes
    psychotherapy_notes: tuple[NoteRecord, ...]  # empty unless chosen
    start: date | None
    end: date | None
    include_psychotherapy: bool
    goals: dict[uuid.UUID, GoalRecord] = field(default_factory=dict)


SessionBuilder = Callable[[SessionPart], list[Flowable]]
ChartBuilder = Callable[[ChartPart], list[Flowable]]


@dataclass(frozen=True)
class Section:
    document: DocumentKind
    key: str
    order: int
    build: Callable[..., list[Flowable]]


_sections: dict[tuple[DocumentKind, str], Section] = {}
_lock = threading.Lock()
_load_lock = threading.Lock()
_loaded = False


@overload
def register_section(
    document: Literal["session"], key: str, builder: SessionBuilder, *, order: int
) -> None: ...
@overload
def register_section(
    document: Literal["chart"], key: str, builder: ChartBuilder, *, order: int
) -> None: ...
def register_section(
    document: DocumentKind, key: str, builder: Callable[..., list[Flowable]], *, order: int
) -> None:
    """Add a section; a key registered twice is a bug (two modules printing one thing)."""
    if document not in ("session", "chart"):
        raise ValueError(f"unknown document {document!r}: 'session' or 'chart'")
    with _lock:
        if (document, key) in _sections:
            raise ValueError(f"a {document} section named {key!r} is already registered")
        _sections[(document, key)] = Section(document, key, order, builder)


def unregister_section(document: DocumentKind, key: str) -> None:
    """Remove a section (tests; a feature switched off)."""
    with _lock:
        _sections.pop((document, key), None)


def _load_builtin_sections() -> None:
    """Import the modules that register sections (add new ones here)."""
    global _loaded
    with _load_lock:
        if _loaded:
            return
        from console.export import (  # noqa: F401  (they register on import)
            chart_sections,
            ifs_section,
            measures_section,
            medicine_section,
            notes,
            set_log_section,
            worksheet_sections,
        )

        _loaded = True


def session_sections() -> list[SessionBuilder]:
    _load_builtin_sections()
    with _lock:
        found = [s for s in _sections.values() if s.document == "session"]
    return [s.build for s in sorted(found, key=lambda s: (s.order, s.key))]


def chart_sections() -> list[ChartBuilder]:
    _load_builtin_sections()
    with _lock:
        found = [s for s in _sections.values() if s.document == "chart"]
    return [s.build for s in sorted(found, key=lambda s: (s.order, s.key))]
