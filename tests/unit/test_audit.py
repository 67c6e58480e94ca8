"""The audit trail: one event per action, never any content, tamper-evident.

See docs/security.md 12, 13.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from console.errors import WrongSecretError
from console.services import audit
from console.services.audit import AuditEntry
from console.services.clients import ClientFields, DiagnosisFields
from console.services.programs import ProgramFields
from console.services.sessions import SessionFields
from models import NoteTemplate, ProgramKind, SessionKind
from tests.conftest import PASSPHRASE

MARKER = "Quokkamarrow"  # appears in every piece of record content written below


def _last_seq(services) -> int:  # type: ignore[no-untyped-def]
    latest = services.recent_audit(1)
    return latest[0].seq if latest else 0


def _new_events(services, since: int) -> list[AuditEntry]:  # type: ignore[no-untyped-def]
    return sorted((e for e in services.recent_audit(10_000) if e.seq > since), key=lambda e: e.seq)


def _exactly_one(services, action: Callable[[], object]) -> tuple[AuditEntry, object]:  # type: ignore[no-untyped-def]
    before = _last_seq(services)
    result = action()
    events = _new_events(services, before)
    assert len(events) == 1, [(e.action, e.entity_kind) for e in events]
    return events[0], result


def _what(event: AuditEntry) -> tuple[str, str, str]:
    return event.action, event.entity_kind, event.entity_id


def _populated(services):  # type: ignore[no-untyped-def]
    """A client with a session and a signed note, built through the services."""
    client = services.clients.create(ClientFields(name="Ira Fenwick"))
    session = services.sessions.create(
        client.id, SessionFields(starts_at=datetime.now(UTC), kind=SessionKind.IFS)
    )
    note = services.notes.create(session.id, NoteTemplate.PROGRESS, {"note": "parts work"})
    services.notes.sign(note.id)
    services.notes.add_addendum(note.id, "addendum text")
    return client, note


def test_each_action_writes_one_event_without_content(services, vault, tmp_path: Path) -> None:
    seen: list[AuditEntry] = []

    event, client = _exactly_one(
        services,
        lambda: services.clients.create(
            ClientFields(
                name=f"{MARKER} Lind",
                preferred_name=f"{MARKER}y",
                email=f"{MARKER.lower()}@example.org",
                presenting_concerns=f"panic on trains {MARKER}",
                treatment_history=f"{MARKER} history",
                diagnoses=(DiagnosisFields("F41.0"),),
            )
        ),
    )
    assert _what(event) == ("create", "client", str(client.id))
    seen.append(event)

    event, _ = _exactly_one(
        services,
        lambda: services.clients.update(
            client.id,
            ClientFields(
                name=f"{MARKER} Lindqvist", diagnoses=(DiagnosisFields("", f"{MARKER} diagnosis"),)
            ),
        ),
    )
    assert _what(event) == ("update", "client", str(client.id))
    seen.append(event)

    event, program = _exactly_one(
        services,
        lambda: services.programs.create(
            client.id,
            ProgramFields(
                ProgramKind.INTENSIVE,
                f"{MARKER} intensive",
                datetime.now(UTC).date(),
                description=f"{MARKER} plan",
                goals=(f"{MARKER} goal",),
            ),
        ),
    )
    assert (event.action, event.entity_kind) == ("create", "program")
    seen.append(event)

    event, session = _exactly_one(
        services,
        lambda: services.sessions.create(
            client.id,
            SessionFields(
                starts_at=datetime.now(UTC),
                kind=SessionKind.EMDR,
                program_id=program.id,
                title=f"{MARKER} session",
            ),
        ),
    )
    assert _what(event) == (
        "create",
        "session",
        str(session.id),
    )
    seen.append(event)

    event, note = _exactly_one(
        services,
        lambda: services.notes.create(
            session.id, NoteTemplate.SOAP, {"subjective": f"{MARKER} said"}
        ),
    )
    assert _what(event) == ("create", "note", str(note.id))
    seen.append(event)

    event, _ = _exactly_one(
        services,
        lambda: services.notes.save_draft(
            note.id, {"subjective": f"{MARKER} said more", "plan": f"{MARKER} plan"}
        ),
    )
    assert _what(event) == ("update", "note", str(note.id))
    seen.append(event)

    event, _ = _exactly_one(services, lambda: services.notes.sign(note.id))
    assert _what(event) == ("sign", "note", str(note.id))
    seen.append(event)

    event, addendum = _exactly_one(
        services, lambda: services.notes.add_addendum(note.id, f"{MARKER} correction")
    )
    assert (event.action, event.entity_id) == ("addendum", str(note.id))
    seen.append(event)

    event, _ = _exactly_one(services, lambda: services.notes.sign_addendum(addendum.id))
    assert _what(event) == (
        "sign",
        "addendum",
        str(addendum.id),
    )
    seen.append(event)

    event, _ = _exactly_one(services, lambda: services.clients.archive(client.id))
    assert _what(event) == (
        "archive",
        "client",
        str(client.id),
    )
    seen.append(event)

    event, info = _exactly_one(services, lambda: vault.backup(tmp_path / "backups"))
    assert (event.action, event.entity_kind) == ("backup", "vault")
    assert info.path.exists()
    seen.append(event)

    before = _last_seq(services)
    vault.lock()
    assert not vault.is_unlocked
    vault.unlock_with_passphrase(PASSPHRASE)
    events = _new_events(services, before)
    assert [(e.action, e.entity_kind) for e in events] == [("lock", "vault"), ("unlock", "vault")]
    seen.extend(events)

    assert len({e.seq for e in seen}) == len(seen)
    assert all(e.actor == "Dr Ada Test" for e in seen)

    # No record content in any column of any event, as stored.
    with vault.session() as db:
        rows = db.execute(text("SELECT * FROM audit_events")).mappings().all()
    assert len(rows) >= len(seen)
    for row in rows:
        for column, value in row.items():
            assert MARKER.casefold() not in str(value).casefold(), (column, row["seq"])
    # The audit chain over all of it is intact.
    report = services.verify()
    assert report.sound, report.problems
    assert report.audit_events == len(rows)


def test_failed_unlock_is_recorded_at_the_next_unlock(vault, services) -> None:
    vault.lock()
    with pytest.raises(WrongSecretError):
        vault.unlock_with_passphrase("not the passphrase at all")
    vault.unlock_with_passphrase(PASSPHRASE)
    actions = [e.action for e in reversed(services.recent_audit(3))]
    assert actions == ["lock", "unlock_failed", "unlock"]
    assert services.verify().sound


def test_verify_chain_ok_on_fresh_and_busy_vault(services, vault) -> None:
    with vault.session() as db:
        count, problem = audit.verify_chain(db)
    assert problem is None
    assert count >= 3  # vault created, clinician created, unlocked
    _populated(services)
    with vault.session() as db:
        later, problem = audit.verify_chain(db)
    assert problem is None
    assert later == count + 5


def test_unknown_audit_action_is_refused(vault) -> None:
    with pytest.raises(ValueError), vault.session() as db:
        audit.append(db, "someone", "read_everything")


# -- tampering -----------------------------------------------------------------


def _seq_of(services, action: str, entity_kind: str) -> int:  # type: ignore[no-untyped-def]
    return next(
        e.seq
        for e in services.recent_audit(1000)
        if e.action == action and e.entity_kind == entity_kind
    )


@pytest.mark.parametrize(
    ("column", "value"), [("detail", "nothing to see"), ("actor", "Mallory"), ("action", "lock")]
)
def test_edited_event_breaks_verify_naming_its_seq(
    services, vault, column: str, value: str
) -> None:
    _populated(services)
    assert services.verify().sound
    target = _seq_of(services, "create", "session")
    last = _last_seq(services)
    assert 1 < target < last

    with vault.session() as db:
        db.execute(text("DROP TRIGGER audit_no_update"))
        changed = db.execute(
            text(f"UPDATE audit_events SET {column} = :v WHERE seq = :seq"),
            {"v": value, "seq": target},
        ).rowcount
    assert changed == 1

    report = services.verify()
    assert not report.sound
    assert report.problems[0].startswith(f"audit event {target} "), report.problems
    assert report.problems[1:] == ("the protective trigger audit_no_update is missing",)


def test_verify_names_the_first_of_several_edits(services, vault) -> None:
    _populated(services)
    first = _seq_of(services, "create", "client")
    later = _seq_of(services, "sign", "note")
    assert first < later
    with vault.session() as db:
        db.execute(text("DROP TRIGGER audit_no_update"))
        db.execute(
            text("UPDATE audit_events SET detail = 'x' WHERE seq IN (:a, :b)"),
            {"a": first, "b": later},
        )
    report = services.verify()
    assert report.problems[0].startswith(f"audit event {first} "), report.problems


def test_deleted_middle_event_is_detected(services, vault) -> None:
    _populated(services)
    target = _seq_of(services, "create", "note")
    assert 1 < target < _last_seq(services)
    with vault.session() as db:
        db.execute(text("DROP TRIGGER audit_no_delete"))
        db.execute(text("DELETE FROM audit_events WHERE seq = :seq"), {"seq": target})

    report = services.verify()
    assert not report.sound
    assert report.problems[0].startswith(f"audit event {target} is missing"), report.problems


def test_reordered_events_are_detected(services, vault) -> None:
    """Swapping two events' hashes (a re-ordering of history) breaks the chain there."""
    _populated(services)
    a = _seq_of(services, "create", "client")
    with vault.session() as db:
        db.execute(text("DROP TRIGGER audit_no_update"))
        db.execute(
            text(
                "UPDATE audit_events SET hash = (SELECT hash FROM audit_events WHERE seq = :b) "
                "WHERE seq = :a"
            ),
            {"a": a, "b": a + 1},
        )
    report = services.verify()
    assert not report.sound
    assert report.problems[0].startswith(f"audit event {a} "), report.problems


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_events SET detail = 'rewritten' WHERE seq = 2",
        "UPDATE audit_events SET actor = 'Mallory'",
        "DELETE FROM audit_events WHERE seq = 2",
        "DELETE FROM audit_events",
    ],
)
def test_triggers_block_update_and_delete_of_audit_events(services, vault, statement: str) -> None:
    _populated(services)
    before = services.recent_audit(1000)
    with pytest.raises(DatabaseError, match="immutable"), vault.session() as db:
        db.execute(text(statement))
    assert services.recent_audit(1000) == before
    assert services.verify().sound
