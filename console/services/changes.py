"""One change announcement: after a write commits, the service layer says what changed.

Views subscribe and decide for themselves whether to refresh (Anki's
operations and change hook), so no service knows about any view. A write
that changed nothing announces nothing, so a typing therapist's autosave
of unchanged text costs no view a redraw.

A view that starts a write marks itself with `initiated_by(token)`; the
announcement carries the token, so the view can skip the refresh of what
it already shows. The token is a plain object, never a widget: a change
may be built on a worker thread, and a Qt object must not be freed there.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


class Kind(enum.StrEnum):
    """What sort of record a write touched."""

    CLIENT = "client"
    DIAGNOSES = "diagnoses"
    CLINICIAN = "clinician"
    PROGRAM = "program"
    PROGRAM_TEMPLATE = "program_template"
    SESSION = "session"
    NOTE = "note"
    MEASURE = "measure"
    SCREENING = "screening"
    BLS_SET = "bls_set"
    EMDR_TARGET = "emdr_target"
    EMDR_SESSION_WORK = "emdr_session_work"
    ART_WORKSHEET = "art_worksheet"
    RESCRIPTING_WORKSHEET = "rescripting_worksheet"
    IFS_MAP = "ifs_map"
    IFS_PART_WORK = "ifs_part_work"
    MEDICINE_SESSION = "medicine_session"
    VITAL_READING = "vital_reading"
    ADVERSE_EVENT = "adverse_event"


class Action(enum.StrEnum):
    """What happened to it; `TEXT_SAVED` is an autosave of words no list shows."""

    CREATED = "created"
    UPDATED = "updated"
    TEXT_SAVED = "text_saved"
    SIGNED = "signed"
    ADDENDUM = "addendum"
    VOIDED = "voided"
    DISCARDED = "discarded"
    DELETED = "deleted"


class Initiator:
    """A view's mark on the writes it starts; named only for debugging."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"Initiator({self.name!r})"


_initiator: ContextVar[Initiator | None] = ContextVar("initiator", default=None)


@contextmanager
def initiated_by(who: Initiator) -> Iterator[None]:
    """Writes started in this block (and tasks submitted from it) carry `who`."""
    token = _initiator.set(who)
    try:
        yield
    finally:
        _initiator.reset(token)


def current_initiator() -> Initiator | None:
    return _initiator.get()


@dataclass(frozen=True)
class Changes:
    """One committed write: its action, the kinds and ids it touched, who started it."""

    action: Action
    kinds: frozenset[Kind]
    records: frozenset[uuid.UUID]
    clients: frozenset[uuid.UUID]
    sessions: frozenset[uuid.UUID]
    initiator: Initiator | None = None

    @property
    def changed(self) -> bool:
        return bool(self.kinds)

    def touches(self, *kinds: Kind) -> bool:
        return not self.kinds.isdisjoint(kinds)

    def for_client(self, client_id: uuid.UUID | None) -> bool:
        return client_id is not None and client_id in self.clients

    def for_session(self, session_id: uuid.UUID | None) -> bool:
        return session_id is not None and session_id in self.sessions


NOTHING = Changes(Action.UPDATED, frozenset(), frozenset(), frozenset(), frozenset())

Listener = Callable[[Changes], None]


class ChangeBus:
    def __init__(self) -> None:
        self._listeners: list[Listener] = []

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def emit(self, changes: Changes) -> None:
        """Tell every listener about a committed write; a write that changed nothing is silent."""
        if not changes.changed:
            return
        for listener in list(self._listeners):
            listener(changes)
