"""Session notes: templates, autosave, signing, immutability and addenda.

See docs/security.md 12, 14.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from console.clinical.note_templates import TEMPLATES, template
from console.errors import ImmutableRecordError, ValidationError
from console.services.clients import ClientFields
from console.services.notes import note_hash
from console.services.programs import ProgramFields
from console.services.sessions import SessionFields
from models import NoteStatus, NoteTemplate, ProgramKind, SessionKind

HEX64 = re.compile(r"^[0-9a-f]{64}$")


def _client_session(services, name: str = "Mara Quill", when: datetime | None = None):  # type: ignore[no-untyped-def]
    client = services.clients.create(ClientFields(name=name))
    session = services.sessions.create(
        client.id,
        SessionFields(starts_at=when or datetime.now(UTC), kind=SessionKind.EMDR),
    )
    return client, session


def _filled(kind: NoteTemplate, word: str) -> dict[str, str]:
    return {key: f"{word} {key} text" for key in template(kind).section_keys()}


def _signed_note(services, word: str = "lantern"):  # type: ignore[no-untyped-def]
    _, session = _client_session(services)
    note = services.notes.create(session.id, NoteTemplate.SOAP, _filled(NoteTemplate.SOAP, word))
    return services.notes.sign(note.id)


def _id(value: uuid.UUID) -> str:
    """How a UUID is stored in the vault's SQLite tables (32 hex digits)."""
    return value.hex


# -- creating and autosaving -------------------------------------------------


@pytest.mark.parametrize("kind", list(NoteTemplate))
def test_create_note_from_every_template(services, kind: NoteTemplate) -> None:
    _, session = _client_session(services)
    sections = _filled(kind, "harbour")
    note = services.notes.create(session.id, kind, sections)

    again = services.notes.get(note.id)
    assert again.template is kind
    assert again.sections == sections
    assert set(again.sections) == set(TEMPLATES[kind].section_keys())
    assert again.status is NoteStatus.DRAFT
    assert again.session_id == session.id
    assert again.content_hash == ""
    assert again.is_psychotherapy is (kind is NoteTemplate.PSYCHOTHERAPY)


def test_create_from_template_value_string_and_with_no_sections(services) -> None:
    _, session = _client_session(services)
    note = services.notes.create(session.id, "birp")
    assert note.template is NoteTemplate.BIRP
    assert note.sections == {k: "" for k in template(NoteTemplate.BIRP).section_keys()}


def test_unknown_template_is_refused(services) -> None:
    _, session = _client_session(services)
    with pytest.raises(ValidationError) as err:
        services.notes.create(session.id, "haiku")
    assert err.value.field == "template"
    assert services.notes.list_for_session(session.id) == []


def test_autosave_draft_changes_content(services) -> None:
    _, session = _client_session(services)
    note = services.notes.create(session.id, NoteTemplate.DAP, {"data": "first words"})
    first_update = note.updated_at

    saved = services.notes.save_draft(
        note.id, {"data": "second words", "assessment": "calmer", "plan": "repeat"}
    )
    assert saved.sections == {"data": "second words", "assessment": "calmer", "plan": "repeat"}
    assert saved.updated_at > first_update
    reloaded = services.notes.get(note.id)
    assert reloaded.sections == saved.sections
    assert reloaded.status is NoteStatus.DRAFT


def test_autosave_with_unchanged_content_writes_nothing(services) -> None:
    _, session = _client_session(services)
    note = services.notes.create(session.id, NoteTemplate.PROGRESS, {"note": "steady"})
    before = len(services.recent_audit(1000))
    services.notes.save_draft(note.id, {"note": "steady"})
    assert len(services.recent_audit(1000)) == before
    assert services.notes.get(note.id).updated_at == note.updated_at


def test_several_notes_per_session_and_per_day(services) -> None:
    morning = datetime.now(UTC).replace(hour=8, minute=0, second=0, microsecond=0)
    client, first = _client_session(services, when=morning)
    second = services.sessions.create(
        client.id, SessionFields(starts_at=morning + timedelta(hours=4), kind=SessionKind.ART)
    )
    a = services.notes.create(first.id, NoteTemplate.SOAP, {"subjective": "one"})
    b = services.notes.create(first.id, NoteTemplate.PROGRESS, {"note": "two"})
    c = services.notes.create(first.id, NoteTemplate.PROGRESS, {"note": "three"})
    d = services.notes.create(second.id, NoteTemplate.BIRP, {"behaviour": "four"})

    assert [n.id for n in services.notes.list_for_session(first.id)] == [a.id, b.id, c.id]
    assert [n.id for n in services.notes.list_for_client(client.id)] == [a.id, b.id, c.id, d.id]
    assert services.sessions.get(first.id).note_count == 3


# -- signing -----------------------------------------------------------------


def test_sign_stores_sha256_that_verify_hash_confirms(services) -> None:
    _, session = _client_session(services)
    sections = _filled(NoteTemplate.INTAKE, "meadow")
    note = services.notes.create(session.id, NoteTemplate.INTAKE, sections)
    signed = services.notes.sign(note.id)

    assert signed.is_signed
    assert HEX64.match(signed.content_hash)
    assert signed.signer_name == "Dr Ada Test"
    assert signed.signed_at is not None
    assert services.notes.verify_hash(note.id) is True
    # Anyone can recompute it from the printed content.
    assert signed.content_hash == note_hash(
        note.id, NoteTemplate.INTAKE, sections, "Dr Ada Test", signed.signed_at
    )
    # The hash depends on the content: one changed character gives another hash.
    changed = dict(sections, plan=sections["plan"] + ".")
    assert signed.content_hash != note_hash(
        note.id, NoteTemplate.INTAKE, changed, "Dr Ada Test", signed.signed_at
    )


def test_draft_has_no_verifiable_hash(services) -> None:
    _, session = _client_session(services)
    note = services.notes.create(session.id, NoteTemplate.PROGRESS, {"note": "draft"})
    assert services.notes.verify_hash(note.id) is False


def test_signed_note_refuses_every_change_through_the_service(services) -> None:
    signed = _signed_note(services)
    program = services.programs.create(
        signed.client_id,
        ProgramFields(ProgramKind.WEEKLY, "Weekly", datetime.now(UTC).date(), goals=("Sleep",)),
    )

    with pytest.raises(ImmutableRecordError):
        services.notes.save_draft(signed.id, {"subjective": "rewritten"})
    with pytest.raises(ImmutableRecordError):
        services.notes.set_goals(signed.id, [program.goals[0].id])
    with pytest.raises(ImmutableRecordError):
        services.notes.sign(signed.id)

    after = services.notes.get(signed.id)
    assert after.sections == signed.sections
    assert after.goal_ids == ()
    assert after.signed_at == signed.signed_at
    assert after.content_hash == signed.content_hash
    assert services.notes.verify_hash(signed.id) is True


def test_database_trigger_refuses_raw_update_of_signed_note(services, vault) -> None:
    signed = _signed_note(services)
    with pytest.raises(DatabaseError, match="immutable"), vault.session() as db:
        db.execute(
            text("UPDATE notes SET sections = :s WHERE id = :id"),
            {"s": '{"subjective": "forged"}', "id": _id(signed.id)},
        )
    with pytest.raises(DatabaseError, match="immutable"), vault.session() as db:
        db.execute(text("UPDATE notes SET status = 'draft' WHERE id = :id"), {"id": _id(signed.id)})
    after = services.notes.get(signed.id)
    assert after.sections == signed.sections
    assert after.is_signed
    assert services.notes.verify_hash(signed.id) is True


def test_database_trigger_refuses_raw_delete_of_signed_note(services, vault) -> None:
    signed = _signed_note(services)
    with pytest.raises(DatabaseError, match="immutable"), vault.session() as db:
        db.execute(text("DELETE FROM notes WHERE id = :id"), {"id": _id(signed.id)})
    assert services.notes.get(signed.id).content_hash == signed.content_hash


def test_trigger_leaves_drafts_editable(services, vault) -> None:
    """The refusal above is about signing: the same raw UPDATE works on a draft."""
    _, session = _client_session(services)
    draft = services.notes.create(session.id, NoteTemplate.PROGRESS, {"note": "before"})
    with vault.session() as db:
        db.execute(
            text("UPDATE notes SET sections = :s WHERE id = :id"),
            {"s": '{"note": "after"}', "id": _id(draft.id)},
        )
    assert services.notes.get(draft.id).sections == {"note": "after"}


def test_tampered_signed_note_fails_verify_hash(services, vault) -> None:
    signed = _signed_note(services)
    with vault.session() as db:
        db.execute(text("DROP TRIGGER notes_signed_no_update"))
        db.execute(
            text("UPDATE notes SET sections = :s WHERE id = :id"),
            {
                "s": '{"subjective": "forged", "objective": "", "assessment": "", "plan": ""}',
                "id": _id(signed.id),
            },
        )
    assert services.notes.get(signed.id).sections["subjective"] == "forged"
    assert services.notes.verify_hash(signed.id) is False


def test_verify_names_a_signed_note_edited_with_raw_sql(services, vault) -> None:
    signed = _signed_note(services)
    with vault.session() as db:
        db.execute(text("DROP TRIGGER notes_signed_no_update"))
        db.execute(
            text("UPDATE notes SET sections = :s WHERE id = :id"),
            {
                "s": '{"subjective": "forged", "objective": "", "assessment": "", "plan": ""}',
                "id": _id(signed.id),
            },
        )
    report = services.verify()
    assert not report.sound
    assert any(str(signed.id) in p or signed.id.hex in p for p in report.problems)


@pytest.mark.parametrize(
    "sections", [{}, {"subjective": "", "plan": ""}, {"subjective": "  \n\t ", "plan": " "}]
)
def test_empty_note_cannot_be_signed(services, sections: dict[str, str]) -> None:
    _, session = _client_session(services)
    note = services.notes.create(session.id, NoteTemplate.SOAP, sections)
    with pytest.raises(ValidationError) as err:
        services.notes.sign(note.id)
    assert err.value.field == "note"
    after = services.notes.get(note.id)
    assert after.status is NoteStatus.DRAFT
    assert after.content_hash == ""


def test_unknown_section_name_is_refused_with_that_field(services) -> None:
    _, session = _client_session(services)
    with pytest.raises(ValidationError) as err:
        services.notes.create(session.id, NoteTemplate.DAP, {"data": "x", "mood": "low"})
    assert err.value.field == "mood"
    assert services.notes.list_for_session(session.id) == []

    note = services.notes.create(session.id, NoteTemplate.DAP, {"data": "kept"})
    with pytest.raises(ValidationError) as err:
        services.notes.save_draft(note.id, {"data": "changed", "subjective": "SOAP key"})
    assert err.value.field == "subjective"
    assert services.notes.get(note.id).sections["data"] == "kept"


def test_section_with_nul_character_is_refused(services) -> None:
    _, session = _client_session(services)
    note = services.notes.create(session.id, NoteTemplate.PROGRESS, {"note": "clean"})
    with pytest.raises(ValidationError) as err:
        services.notes.save_draft(note.id, {"note": "bad\x00byte"})
    assert err.value.field == "note"
    assert services.notes.get(note.id).sections == {"note": "clean"}


# -- goals -------------------------------------------------------------------


def test_note_references_goals_of_the_clients_program(services) -> None:
    client, session = _client_session(services)
    program = services.programs.create(
        client.id,
        ProgramFields(
            ProgramKind.INTENSIVE, "Intensive", datetime.now(UTC).date(), goals=("A", "B", "C")
        ),
    )
    note = services.notes.create(session.id, NoteTemplate.PROGRESS, {"note": "worked on A, C"})
    chosen = [program.goals[0].id, program.goals[2].id]
    updated = services.notes.set_goals(note.id, chosen)
    assert set(updated.goal_ids) == set(chosen)
    assert set(services.notes.get(note.id).goal_ids) == set(chosen)


def test_note_refuses_goal_of_another_client(services) -> None:
    _, session = _client_session(services, "Client One")
    other = services.clients.create(ClientFields(name="Client Two"))
    program = services.programs.create(
        other.id,
        ProgramFields(ProgramKind.WEEKLY, "Other's", datetime.now(UTC).date(), goals=("Theirs",)),
    )
    note = services.notes.create(session.id, NoteTemplate.PROGRESS, {"note": "mine"})
    with pytest.raises(ValidationError):
        services.notes.set_goals(note.id, [program.goals[0].id])
    assert services.notes.get(note.id).goal_ids == ()


# -- addenda -----------------------------------------------------------------


def test_addendum_only_after_signing(services) -> None:
    _, session = _client_session(services)
    note = services.notes.create(session.id, NoteTemplate.PROGRESS, {"note": "draft"})
    with pytest.raises(ValidationError) as err:
        services.notes.add_addendum(note.id, "too early")
    assert err.value.field == "addendum"
    assert services.notes.get(note.id).addenda == ()


def test_empty_addendum_is_refused(services) -> None:
    signed = _signed_note(services)
    with pytest.raises(ValidationError) as err:
        services.notes.add_addendum(signed.id, "   ")
    assert err.value.field == "addendum"
    assert services.notes.get(signed.id).addenda == ()


def test_any_number_of_addenda_each_signable_then_immutable(services, vault) -> None:
    signed = _signed_note(services)
    texts = [f"correction number {i}" for i in range(4)]
    made = [services.notes.add_addendum(signed.id, t) for t in texts]

    assert all(not a.is_signed and a.author_name == "Dr Ada Test" for a in made)
    edited = services.notes.save_addendum(made[0].id, "correction number 0, reworded")
    assert edited.text == "correction number 0, reworded"

    signed_addenda = [services.notes.sign_addendum(a.id) for a in made]
    for a in signed_addenda:
        assert a.is_signed
        assert HEX64.match(a.content_hash)
        assert a.signed_at is not None
    assert len({a.content_hash for a in signed_addenda}) == len(made)

    for a in signed_addenda:
        with pytest.raises(ImmutableRecordError):
            services.notes.save_addendum(a.id, "rewritten")
        with pytest.raises(ImmutableRecordError):
            services.notes.sign_addendum(a.id)
    with pytest.raises(DatabaseError, match="immutable"), vault.session() as db:
        db.execute(
            text("UPDATE addenda SET text = 'forged' WHERE id = :id"),
            {"id": _id(signed_addenda[1].id)},
        )
    with pytest.raises(DatabaseError, match="immutable"), vault.session() as db:
        db.execute(text("DELETE FROM addenda WHERE id = :id"), {"id": _id(signed_addenda[2].id)})

    # More addenda may follow signed ones; the note itself never changed.
    extra = services.notes.add_addendum(signed.id, "a later thought")
    note = services.notes.get(signed.id)
    assert [a.text for a in note.addenda] == [
        "correction number 0, reworded",
        *texts[1:],
        "a later thought",
    ]
    assert note.addenda[-1].id == extra.id
    assert not note.addenda[-1].is_signed
    assert note.sections == signed.sections
    assert services.notes.verify_hash(signed.id) is True


# -- psychotherapy notes (45 CFR 164.501) -------------------------------------


def test_psychotherapy_notes_kept_apart_from_chart_and_search(services) -> None:
    client, session = _client_session(services)
    chart = services.notes.create(session.id, NoteTemplate.SOAP, {"subjective": "zephyrchart"})
    private = services.notes.create(
        session.id, NoteTemplate.PSYCHOTHERAPY, {"process": "zephyrprivate musings"}
    )

    listed = services.notes.list_for_client(client.id)
    assert [n.id for n in listed] == [chart.id]
    everything = services.notes.list_for_client(client.id, include_psychotherapy=True)
    assert {n.id for n in everything} == {chart.id, private.id}

    assert services.search.search("zephyrprivate") == []
    assert [h.record_id for h in services.search.search("zephyr")] == [str(chart.id)]
    asked = services.search.search("zephyrprivate", include_private=True)
    assert [h.record_id for h in asked] == [str(private.id)]
    assert asked[0].private is True


def test_addenda_to_psychotherapy_notes_are_private_too(services) -> None:
    _, session = _client_session(services)
    note = services.notes.create(session.id, NoteTemplate.PSYCHOTHERAPY, {"process": "inner"})
    services.notes.sign(note.id)
    services.notes.add_addendum(note.id, "quasarprivate afterthought")
    assert services.search.search("quasarprivate") == []
    hits = services.search.search("quasarprivate", include_private=True)
    assert [h.kind for h in hits] == ["addendum"]
