"""Service rules behind issue 15: discarding a draft note, and how a client's name reads."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from console.errors import ImmutableRecordError, NotFoundError
from console.services import audit
from console.services.changes import Action, Changes, Kind
from console.services.clients import ClientFields, ClientRecord
from console.services.programs import ProgramFields
from console.services.sessions import SessionFields
from models import NoteTemplate, ProgramKind, SessionKind


def _session(services):  # type: ignore[no-untyped-def]
    client = services.clients.create(ClientFields(name="Mara Quill"))
    session = services.sessions.create(
        client.id, SessionFields(starts_at=datetime.now(UTC), kind=SessionKind.EMDR)
    )
    return client, session


def _voids(services) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [
        (e.entity_id, e.detail)
        for e in services.recent_audit(50)
        if e.action == "void" and e.entity_kind == "note"
    ]


def test_a_draft_is_discarded_audited_and_forgotten_by_search(services) -> None:  # type: ignore[no-untyped-def]
    client, session = _session(services)
    program = services.programs.create(
        client.id,
        ProgramFields(ProgramKind.WEEKLY, "Weekly", datetime.now(UTC).date(), goals=("Sleep",)),
    )
    keep = services.notes.create(session.id, NoteTemplate.PROGRESS, {"note": "kept lighthouse"})
    draft = services.notes.create(session.id, NoteTemplate.PROGRESS, {"note": "stray albatross"})
    services.notes.set_goals(draft.id, [program.goals[0].id])
    assert services.search.search("albatross")
    seen: list[Changes] = []
    services.changes.subscribe(seen.append)

    services.notes.discard(draft.id)

    assert [n.id for n in services.notes.list_for_session(session.id)] == [keep.id]
    with pytest.raises(NotFoundError):
        services.notes.get(draft.id)
    assert not services.search.search("albatross")
    assert services.search.search("lighthouse")
    voids = _voids(services)
    assert [v[0] for v in voids] == [str(draft.id)]
    assert "albatross" not in voids[0][1], "what the draft said stays out of the audit trail"
    assert any(
        c.action is Action.DISCARDED and c.touches(Kind.NOTE) and draft.id in c.records
        for c in seen
    )
    with services.vault.session() as db:
        linked = db.execute(
            text("SELECT count(*) FROM note_goals WHERE note_id = :n"), {"n": draft.id.hex}
        ).scalar()
        chain_error = audit.verify_chain(db)[1]
    assert linked == 0
    assert chain_error is None


def test_a_signed_note_is_refused_and_left_as_signed(services) -> None:  # type: ignore[no-untyped-def]
    _, session = _session(services)
    note = services.notes.create(session.id, NoteTemplate.PROGRESS, {"note": "signed words"})
    signed = services.notes.sign(note.id)

    with pytest.raises(ImmutableRecordError, match="addendum"):
        services.notes.discard(signed.id)

    assert services.notes.get(signed.id).is_signed
    assert services.notes.verify_hash(signed.id)
    assert services.search.search("signed words")
    assert _voids(services) == []


def test_discarding_a_note_that_is_not_there_says_so(services) -> None:  # type: ignore[no-untyped-def]
    _, session = _session(services)
    draft = services.notes.create(session.id, NoteTemplate.PROGRESS)
    services.notes.discard(draft.id)
    with pytest.raises(NotFoundError):
        services.notes.discard(draft.id)
    assert len(_voids(services)) == 1


@pytest.mark.parametrize(
    ("name", "preferred", "is_demo", "shown"),
    [
        ("Alex Rivera (demo)", "Alex", True, "Alex Rivera (demo)"),
        ("Zoë Ångström (demo)", "zoe", True, "Zoë Ångström (demo)"),
        ("Dmitri Ivanov (demo)", "Дима", True, "Dmitri Ivanov “Дима” (demo)"),
        ("Renamed Demo", "", True, "Renamed Demo (demo)"),
        ("Amara Osei", "Ama", False, "Amara Osei “Ama”"),
        ("Amara Osei", "Amara", False, "Amara Osei"),
        ("Amara Osei", "Amara Osei", False, "Amara Osei"),
        ("Amara Osei", "  ", False, "Amara Osei"),
        ("Jo Bloggs (demo)", "", False, "Jo Bloggs (demo)"),
    ],
)
def test_display_name_shows_a_different_preferred_name_once(
    name: str, preferred: str, is_demo: bool, shown: str
) -> None:
    record = ClientRecord(name=name, preferred_name=preferred, is_demo=is_demo)
    assert record.display_name == shown
