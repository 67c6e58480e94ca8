"""The one write path: each write announced once, an unchanged save silent, writers serialised."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime

from console.services import audit
from console.services.bundle import Services
from console.services.changes import Action, Changes, Initiator, Kind, initiated_by
from console.services.clients import ClientFields
from console.services.measures import MeasureRecord
from console.services.sessions import SessionFields
from console.vault import Vault
from models import NoteTemplate, SessionKind
from tests.conftest import PASSPHRASE


def _session(services: Services) -> tuple[uuid.UUID, uuid.UUID]:
    client = services.clients.create(ClientFields(name="Operations Client"))
    session = services.sessions.create(
        client.id, SessionFields(starts_at=datetime.now(UTC), kind=SessionKind.EMDR)
    )
    return client.id, session.id


def _heard(services: Services) -> list[Changes]:
    seen: list[Changes] = []
    services.changes.subscribe(seen.append)
    return seen


def _gad7(services: Services, client_id: uuid.UUID, session_id: uuid.UUID) -> MeasureRecord:
    return services.measures.record(
        client_id, "gad7", [1] * 7, None, datetime.now(UTC), session_id=session_id
    )


def test_a_write_is_announced_once_with_its_ids_and_initiator(services: Services) -> None:
    client_id, session_id = _session(services)
    seen = _heard(services)
    view = Initiator("measures tab")

    with initiated_by(view):
        record = _gad7(services, client_id, session_id)

    (change,) = seen
    assert change.kinds == {Kind.MEASURE} and change.action is Action.CREATED
    assert change.records == {record.id}
    assert change.for_client(client_id) and change.for_session(session_id)
    assert change.initiator is view


def test_a_note_announces_its_client_and_session(services: Services) -> None:
    client_id, session_id = _session(services)
    seen = _heard(services)

    note = services.notes.create(session_id, NoteTemplate.PROGRESS, {"note": "First words."})
    services.notes.save_draft(note.id, {"note": "Second words."})

    assert [c.action for c in seen] == [Action.CREATED, Action.TEXT_SAVED]
    assert all(c.records == {note.id} and c.for_client(client_id) for c in seen)
    assert all(c.for_session(session_id) and c.initiator is None for c in seen)


def test_an_unchanged_draft_neither_announces_nor_audits(services: Services) -> None:
    _, session_id = _session(services)
    note = services.notes.create(session_id, NoteTemplate.PROGRESS, {"note": "Kept as typed."})
    before = len(services.recent_audit(1000))
    seen = _heard(services)

    again = services.notes.save_draft(note.id, {"note": "Kept as typed."})

    assert seen == []
    assert len(services.recent_audit(1000)) == before
    assert again.sections == note.sections


def test_two_threads_writing_at_once_both_commit_and_the_chain_verifies(
    services: Services, vault: Vault
) -> None:
    _, session_id = _session(services)
    start = threading.Barrier(2)
    failures: list[BaseException] = []

    def write(n: int) -> None:
        try:
            start.wait()
            for i in range(5):
                services.notes.create(session_id, NoteTemplate.PROGRESS, {"note": f"{n}/{i}"})
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert failures == []
    assert len(services.notes.list_for_session(session_id)) == 10
    with vault.session() as db:
        _count, problem = audit.verify_chain(db)
    assert problem is None
    assert services.verify().sound


def test_the_command_line_waits_while_a_write_is_open(vault: Vault) -> None:
    """`session-console` builds its own Services on the vault: the same writer lock holds it."""
    window, command_line = Services(vault), Services(vault)
    done = threading.Event()

    def cli_write() -> None:
        command_line.clients.create(ClientFields(name="From the command line"))
        done.set()

    with vault.session(write=True):
        thread = threading.Thread(target=cli_write)
        thread.start()
        assert not done.wait(0.5), "a second writer ran inside an open write"
    thread.join(30)
    assert done.is_set()
    assert [c.name for c in window.clients.list()] == ["From the command line"]
    assert window.verify().sound


def test_no_write_slips_in_between_the_lock_event_and_closing_the_database(
    services: Services, vault: Vault
) -> None:
    """A background save queued as the therapist locks must not land after "lock"."""
    outcome: list[object] = []
    tried = threading.Event()
    remember_head = vault._remember_head

    def late_save() -> None:
        try:
            outcome.append(services.clients.create(ClientFields(name="Queued before the lock")))
        except BaseException as exc:
            outcome.append(exc)
        tried.set()

    def with_a_save_in_between() -> None:
        threading.Thread(target=late_save).start()
        tried.wait(0.5)
        remember_head()

    vault._remember_head = with_a_save_in_between  # type: ignore[method-assign]
    try:
        vault.lock("manual")
    finally:
        del vault._remember_head
    assert tried.wait(30)

    assert [type(o).__name__ for o in outcome] == ["VaultError"]
    vault.unlock_with_passphrase(PASSPHRASE)
    newest_first = [(e.action, e.entity_kind) for e in services.recent_audit(2)]
    assert newest_first == [("unlock", "vault"), ("lock", "vault")]
    assert services.verify().sound
