"""Search finds EMDR targets, worksheets and IFS parts, and says where each opens.

Psychotherapy notes stay out of results unless asked for, as before; the
kinds added here are chart records and are never private.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from console.clinical import ifs as c
from console.services import search
from console.services.art import ArtFields
from console.services.bundle import Services
from console.services.clients import ClientFields
from console.services.emdr import SessionWorkFields, TargetFields
from console.services.ifs import PartWorkFields
from console.services.rescripting import RescriptingFields
from console.services.search import HitPlace
from console.services.search_catchup import index_missing
from console.services.sessions import SessionFields
from console.vault import Vault
from models import NoteTemplate, SessionKind
from tests.conftest import PASSPHRASE

START = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
NEW_KINDS = (
    search.EMDR_TARGET,
    search.EMDR_WORKSHEET,
    search.ART_WORKSHEET,
    search.RESCRIPTING_WORKSHEET,
    search.PART,
    search.PART_WORK,
)


def _client(services: Services, name: str = "Searchable Client") -> uuid.UUID:
    return services.clients.create(ClientFields(name=name)).id


def _session(services: Services, client: uuid.UUID, kind: SessionKind, days: int = 0) -> uuid.UUID:
    fields = SessionFields(starts_at=START + timedelta(days=days), kind=kind)
    return services.sessions.create(client, fields).id


def _hits(services: Services, query: str, **kw: bool) -> list[tuple[str, str]]:
    return [(h.kind, h.record_id) for h in services.search.search(query, **kw)]


def _only(services: Services, query: str) -> search.SearchHit:
    hits = services.search.search(query)
    assert len(hits) == 1, [(h.kind, h.title) for h in hits]
    return hits[0]


def test_a_targets_negative_cognition_is_found_and_opens_the_session_that_worked_on_it(
    services: Services,
) -> None:
    client = _client(services)
    earlier = _session(services, client, SessionKind.EMDR)
    worked = _session(services, client, SessionKind.EMDR, days=7)
    _session(services, client, SessionKind.EMDR, days=14)
    target = services.emdr.create_target(
        client,
        TargetFields(
            title="The flooded basement",
            negative_cognition="I am powerless against quicksilverish water",
            worst_image="the stairs underwater",
        ),
    )
    services.emdr.save_work(earlier, SessionWorkFields(plan="resource first"))
    services.emdr.save_work(worked, SessionWorkFields(target_id=target.id))

    hit = _only(services, "quicksilverish")
    assert (hit.kind, hit.record_id, hit.client_id) == (
        search.EMDR_TARGET,
        str(target.id),
        str(client),
    )
    assert hit.title == "The flooded basement"
    assert "[quicksilverish]" in hit.snippet
    assert hit.private is False
    assert services.search.place(hit) == HitPlace(client, worked, "emdr", target.id)

    services.emdr.update_target(
        target.id, replace(target.fields, negative_cognition="I can get out now")
    )
    assert services.search.search("quicksilverish") == []
    assert _hits(services, "stairs underwater") == [(search.EMDR_TARGET, str(target.id))]


def test_a_target_no_session_processed_opens_the_latest_emdr_worksheet(
    services: Services,
) -> None:
    client = _client(services)
    older = _session(services, client, SessionKind.EMDR)
    newer = _session(services, client, SessionKind.EMDR, days=3)
    services.emdr.get_or_create_work(newer)
    services.emdr.get_or_create_work(older)
    target = services.emdr.create_target(client, TargetFields(title="Dentist's chair"))
    hit = _only(services, "dentist")
    assert services.search.place(hit) == HitPlace(client, newer, "emdr", target.id)

    lonely = _client(services, "No Sessions Yet")
    services.emdr.create_target(lonely, TargetFields(title="Thunderclap at camp"))
    assert services.search.place(_only(services, "thunderclap")).session_id is None


def test_emdr_art_and_rescripting_worksheets_are_found_and_open_their_tab(
    services: Services,
) -> None:
    client = _client(services)
    session = _session(services, client, SessionKind.INTEGRATION)
    emdr = services.emdr.save_work(session, SessionWorkFields(containment="a lighthousekeeper"))
    art = services.art.save(
        session,
        ArtFields(scene_title="Crossing the bridge", replacement="a marmalade sunrise"),
    )
    rescript = services.rescripting.save(
        session, RescriptingFields(rescript="grandmother steps in, zanzibarine calm")
    )

    for word, kind, record, tool in (
        ("lighthousekeeper", search.EMDR_WORKSHEET, emdr.id, "emdr"),
        ("marmalade", search.ART_WORKSHEET, art.id, "art"),
        ("zanzibarine", search.RESCRIPTING_WORKSHEET, rescript.id, "rescripting"),
    ):
        hit = _only(services, word)
        assert (hit.kind, hit.record_id, hit.client_id) == (kind, str(record), str(client)), word
        assert f"[{word}]" in hit.snippet
        assert services.search.place(hit) == HitPlace(client, session, tool)
    assert _only(services, "marmalade").title == "Crossing the bridge"
    assert _hits(services, "bridge") == [(search.ART_WORKSHEET, str(art.id))]

    services.art.save(session, replace(art.fields, replacement="a quiet morning"))
    assert services.search.search("marmalade") == []
    assert _hits(services, "quiet morning") == [(search.ART_WORKSHEET, str(art.id))]


def test_a_parts_name_and_its_session_work_are_found(services: Services) -> None:
    client = _client(services)
    session = _session(services, client, SessionKind.IFS)
    keeper = c.Part(uuid.uuid4(), "Gatekeeperling", "manager", fears="chaos if it rests")
    other = c.Part(uuid.uuid4(), "Sleepy one", "exile")
    services.ifs.save(client, c.PartsMap((keeper, other)), session)
    work = services.ifs.save_part_work(
        session,
        keeper.id,
        PartWorkFields(six_fs_notes=(("befriend", "wants a holiday by the fjordside"),)),
    )

    by_name = {h.kind: h for h in services.search.search("gatekeeperling")}
    assert {k: h.record_id for k, h in by_name.items()} == {
        search.PART: str(keeper.id),
        search.PART_WORK: str(work.id),
    }, "the part, and each session's work with it"
    assert by_name[search.PART].title == "Gatekeeperling"
    assert services.search.place(by_name[search.PART]) == HitPlace(client, None, "ifs", keeper.id)
    assert _hits(services, "chaos") == [(search.PART, str(keeper.id))]

    found = _only(services, "fjordside")
    assert (found.kind, found.record_id, found.title) == (
        search.PART_WORK,
        str(work.id),
        "Gatekeeperling",
    )
    assert services.search.place(found) == HitPlace(client, session, "ifs", keeper.id)

    renamed = replace(keeper, name="Doorwarden")
    services.ifs.save(client, c.PartsMap((renamed, other)), session)
    assert services.search.search("gatekeeperling") == []
    assert {k for k, _ in _hits(services, "doorwarden")} == {search.PART, search.PART_WORK}
    assert _only(services, "fjordside").title == "Doorwarden"

    services.ifs.save(client, c.PartsMap((other,)), session)
    assert _hits(services, "doorwarden") == [(search.PART_WORK, str(work.id))], (
        "off the map the part is not found; the session's record of it stays"
    )
    services.ifs.save(client, c.PartsMap((renamed, other)), session)
    assert (search.PART, str(keeper.id)) in _hits(services, "doorwarden")


def test_psychotherapy_note_rules_hold_beside_the_new_kinds(services: Services) -> None:
    client = _client(services)
    session = _session(services, client, SessionKind.INTEGRATION)
    target = services.emdr.create_target(client, TargetFields(title="Nebulosa hallway"))
    part = c.Part(uuid.uuid4(), "Nebulosa keeper", "manager")
    services.ifs.save(client, c.PartsMap((part,)), session)
    art = services.art.save(session, ArtFields(first_pass="nebulosa colours"))
    private = services.notes.create(
        session, NoteTemplate.PSYCHOTHERAPY, {"process": "nebulosa private musing"}
    )

    chart = {
        (search.EMDR_TARGET, str(target.id)),
        (search.PART, str(part.id)),
        (search.ART_WORKSHEET, str(art.id)),
    }
    assert set(_hits(services, "nebulosa")) == chart
    assert services.search.search("musing") == []
    everything = services.search.search("nebulosa", include_private=True)
    assert {(h.kind, h.record_id) for h in everything} == chart | {("note", str(private.id))}
    assert [h.record_id for h in everything if h.private] == [str(private.id)]


def _forget_new_kinds(vault: Vault) -> None:
    """The index as a vault written before these kinds were searchable has it."""
    kinds = ", ".join(f"'{k}'" for k in NEW_KINDS)
    with vault.session() as db:
        db.execute(text(f"DELETE FROM search_index WHERE kind IN ({kinds})"))
        db.execute(text(f"DELETE FROM search_rows WHERE kind IN ({kinds})"))


def test_records_saved_before_they_were_searchable_are_indexed_at_unlock(
    vault: Vault, services: Services
) -> None:
    client = _client(services)
    session = _session(services, client, SessionKind.INTEGRATION)
    services.emdr.create_target(client, TargetFields(title="x", positive_cognition="safe now"))
    services.emdr.save_work(session, SessionWorkFields(plan="continue with the orchard"))
    services.art.save(session, ArtFields(body_scan="warmth in the chest"))
    services.rescripting.save(session, RescriptingFields(new_meaning="I was a child"))
    part = c.Part(uuid.uuid4(), "Quillon", "firefighter")
    gone = c.Part(uuid.uuid4(), "Removedling", "exile")
    services.ifs.save(client, c.PartsMap((part, gone)), session)
    services.ifs.save(client, c.PartsMap((part,)), session)
    services.ifs.save_part_work(session, part.id, PartWorkFields(witnessing="the attic"))
    queries = ("safe now", "orchard", "warmth", "child", "quillon", "attic")
    expected = (1, 1, 1, 1, 2, 1)  # the part's name titles its work too
    before = {q: _hits(services, q) for q in queries}
    assert tuple(len(found) for found in before.values()) == expected, before

    _forget_new_kinds(vault)
    assert all(services.search.search(q) == [] for q in queries)
    vault.lock()
    vault.unlock_with_passphrase(PASSPHRASE)

    assert {q: _hits(services, q) for q in queries} == before
    assert services.search.search("removedling") == [], "a removed part stays unfound"
    with vault.session() as db:
        assert index_missing(db) == 0, "nothing left to catch up"


def test_notes_addenda_and_clients_open_where_they_did(services: Services) -> None:
    client = _client(services, "Placed Person")
    session = _session(services, client, SessionKind.EMDR)
    note = services.notes.create(session, NoteTemplate.PROGRESS, {"note": "ochreous sky"})
    services.notes.sign(note.id)
    services.notes.add_addendum(note.id, "later: vermilionish dusk")
    for query in ("ochreous", "vermilionish"):
        assert services.search.place(_only(services, query)) == HitPlace(
            client, session, "notes", note.id
        ), query
    assert services.search.place(_only(services, "placed person")) == HitPlace(client, None, "")
