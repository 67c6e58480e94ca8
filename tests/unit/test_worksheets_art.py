"""ART and imagery rescripting worksheets: guided steps, summary with sets, validation."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from console.clinical import art as a
from console.errors import NotFoundError, ValidationError
from console.pacer.set_log import SetResult
from console.pacer.settings import Protocol
from console.services.art import ArtFields
from console.services.bundle import Services
from console.services.clients import ClientFields
from console.services.rescripting import RescriptingFields
from console.services.sessions import SessionFields
from models import SessionKind
from tests.conftest import PASSPHRASE, TEST_KDF

START = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
SECRET = "Quillobarnacle"


@pytest.fixture
def session_id(services: Services) -> uuid.UUID:
    client = services.clients.create(ClientFields(name="Art Test")).id
    fields = SessionFields(starts_at=START, kind=SessionKind.ART)
    return services.sessions.create(client, fields).id


def _sets(
    services: Services, session_id: uuid.UUID, count: int, protocol: Protocol = "emdr"
) -> None:
    for n in range(count):
        at = START + timedelta(minutes=5 + n)
        services.bls_sets.log(
            session_id,
            SetResult(
                started_at=at,
                ended_at=at + timedelta(seconds=40),
                speed_hz=1.0,
                path="horizontal",
                profile="sinusoidal",
                sound="off",
                passes_completed=a.PASSES_PER_SET,
                ended_by="limit",
                notes=SECRET,
                protocol=protocol,
            ),
        )


def test_steps(services: Services) -> None:
    steps = services.art.steps()
    assert [s.number for s in steps] == [1, 2, 3, 4, 5, 6, 7]
    assert [s.key for s in steps if s.asks_sud] == ["scene", "final_check"]
    assert "replacement" in steps[4].fields and "sud_after" in steps[5].fields
    every = {f for s in steps for f in s.fields}
    assert every == set(ArtFields.__dataclass_fields__) - {"current_step"}


def test_get_or_create_and_save(services: Services, session_id: uuid.UUID) -> None:
    assert services.art.get(session_id) is None
    sheet = services.art.get_or_create(session_id)
    assert services.art.get_or_create(session_id).id == sheet.id
    assert (sheet.current_step, sheet.scene_private, sheet.sud_before) == (1, False, None)
    saved = services.art.save(
        session_id,
        ArtFields(scene_title="The office", scene_private=True, sud_before=7, current_step=2),
    )
    assert saved.id == sheet.id and saved.session_id == session_id
    assert (saved.scene_title, saved.scene_private, saved.sud_before) == ("The office", True, 7)
    assert services.art.get(session_id) == saved


def test_save_step_moves_through_the_worksheet(services: Services, session_id: uuid.UUID) -> None:
    services.art.save_step(session_id, 1, {"scene_title": "Car park", "sud_before": 8})
    services.art.save_step(session_id, 2, {"body_sensations": "Tight chest, easing"})
    services.art.save_step(session_id, 5, {"replacement": "I walk out into sunshine"})
    sheet = services.art.save_step(
        session_id, 6, {"final_check": "Calm", "body_scan": "Clear", "sud_after": 1}
    )
    assert sheet.current_step == 6
    assert (sheet.scene_title, sheet.sud_before, sheet.sud_after) == ("Car park", 8, 1)
    assert sheet.body_sensations == "Tight chest, easing"
    assert sheet.replacement == "I walk out into sunshine"
    with pytest.raises(ValidationError) as err:
        services.art.save_step(session_id, 2, {"sud_after": 3})
    assert err.value.field == "sud_after"
    with pytest.raises(ValidationError) as err:
        services.art.save_step(session_id, 8, {})
    assert err.value.field == "step"
    assert services.art.get(session_id) == sheet


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        (ArtFields(sud_before=11), "sud_before"),
        (ArtFields(sud_after=-1), "sud_after"),
        (ArtFields(current_step=0), "current_step"),
        (ArtFields(current_step=8), "current_step"),
        (ArtFields(scene_title="two\nlines"), "scene_title"),
    ],
)
def test_art_validation_saves_nothing(
    services: Services, session_id: uuid.UUID, fields: ArtFields, field: str
) -> None:
    kept = services.art.save(session_id, ArtFields(scene_title="Kept", sud_before=5))
    with pytest.raises(ValidationError) as err:
        services.art.save(session_id, fields)
    assert err.value.field == field
    assert services.art.get(session_id) == kept


def test_summary_counts_sets(services: Services, session_id: uuid.UUID) -> None:
    empty = services.art.summary(session_id)
    assert (empty.sets_used, empty.sud_before, empty.replacement) == (0, None, "")
    _sets(services, session_id, 5)
    services.art.save(
        session_id,
        ArtFields(
            scene_title="The office",
            scene_private=True,
            sud_before=7,
            sud_after=1,
            replacement="I see myself walking out",
        ),
    )
    summary = services.art.summary(session_id)
    assert summary.sets_used == 5
    assert (summary.sud_before, summary.sud_after) == (7, 1)
    assert summary.replacement == "I see myself walking out"
    assert summary.scene_private and summary.scene_title == "The office"
    with pytest.raises(NotFoundError):
        services.art.summary(uuid.uuid4())


def test_summary_counts_the_art_sets_of_a_session_that_had_both(services: Services) -> None:
    client = services.clients.create(ClientFields(name="Both Ways")).id
    fields = SessionFields(starts_at=START, kind=SessionKind.INTEGRATION)
    integration = services.sessions.create(client, fields).id
    _sets(services, integration, 2, "emdr")
    _sets(services, integration, 3, "art")
    assert services.art.summary(integration).sets_used == 3
    kinds = [s.protocol for s in services.bls_sets.list_for_session(integration)]
    assert kinds == ["emdr", "emdr", "art", "art", "art"]
    assert len(services.bls_sets.list_for_session(integration, "emdr")) == 2


def test_every_set_of_an_art_session_is_an_art_set(
    services: Services, session_id: uuid.UUID
) -> None:
    """An ART session has no EMDR worksheet: a set run with an EMDR preset still counts."""
    _sets(services, session_id, 2, "emdr")
    assert services.art.summary(session_id).sets_used == 2


def test_rescripting_save_and_validation(services: Services, session_id: uuid.UUID) -> None:
    assert services.rescripting.get(session_id) is None
    sheet = services.rescripting.get_or_create(session_id)
    assert sheet.who_rescripts == "therapist" and sheet.distress_before is None
    saved = services.rescripting.save(
        session_id,
        RescriptingFields(
            memory="Classroom, age 9",
            hotspot="Teacher laughing",
            emotions="shame",
            unmet_needs="protection",
            who_rescripts="adult_self",
            rescript="Adult self takes her outside",
            new_meaning="I did nothing wrong",
            distress_before=8,
            distress_after=2,
        ),
    )
    assert saved.id == sheet.id
    assert (saved.who_rescripts, saved.distress_before, saved.distress_after) == (
        "adult_self",
        8,
        2,
    )
    assert services.rescripting.get(session_id) == saved
    for bad, field in (
        (RescriptingFields(distress_before=11), "distress_before"),
        (RescriptingFields(distress_after=-1), "distress_after"),
        (RescriptingFields(who_rescripts="nobody"), "who_rescripts"),  # type: ignore[arg-type]
    ):
        with pytest.raises(ValidationError) as err:
            services.rescripting.save(session_id, bad)
        assert err.value.field == field
    assert services.rescripting.get(session_id) == saved


def test_audit_carries_no_content(services: Services, session_id: uuid.UUID) -> None:
    services.art.save(
        session_id,
        ArtFields(
            scene_title=SECRET,
            body_sensations=SECRET,
            replacement=SECRET,
            future_scene=SECRET,
            sud_before=9,
        ),
    )
    services.rescripting.save(
        session_id, RescriptingFields(memory=SECRET, rescript=SECRET, distress_before=9)
    )
    events = [
        e
        for e in services.recent_audit()
        if e.entity_kind in ("art_worksheet", "rescripting_worksheet")
    ]
    assert {e.entity_kind for e in events} == {"art_worksheet", "rescripting_worksheet"}
    for event in events:
        assert SECRET not in event.detail and "9" not in event.detail


def test_demo_caseload_carries_worksheets(services: Services) -> None:
    from console.demo import build_demo

    build_demo(services)
    by_name = {c.preferred_name: c.id for c in services.clients.list(status=None)}
    alex, zoe, noor = by_name["Alex"], by_name["Zoë"], by_name["نور"]
    (target,) = services.emdr.list_targets(alex)
    assert (target.title, target.voc, target.sud) == ("Crowded train, March 2024", 2, 8)
    assert target.negative_cognition == "I am in danger"
    assert services.emdr.reevaluation_default(alex, target.id) == 0
    history = services.emdr.sud_history(target.id)
    assert [p.source for p in history].count("set") == 6 and history[-1].value == 0
    (emdr,) = [s for s in services.sessions.list_for_client(alex) if s.kind is SessionKind.EMDR]
    work = services.emdr.get_work(emdr.id)
    assert work is not None and work.phases_done[-1] == "body_scan" and work.voc_end == 6
    (art,) = [s for s in services.sessions.list_for_client(noor) if s.kind is SessionKind.ART]
    summary = services.art.summary(art.id)
    assert summary.scene_private and (summary.sud_before, summary.sud_after) == (7, 1)
    assert summary.replacement == "I see myself walking out into the sunshine"
    sheets = [services.rescripting.get(s.id) for s in services.sessions.list_for_client(zoe)]
    assert len([s for s in sheets if s is not None]) == 1


def test_sets_from_before_the_upgrade_count_for_their_session(tmp_path: Path) -> None:
    """Migration 0011 on a vault at 0010: an ART session's sets are ART sets, others EMDR."""
    from sqlalchemy import text

    from console.vault import Vault
    from console.vault.database import make_engine
    from tests import legacy_vault

    older = legacy_vault.migrations_up_to(tmp_path, "0010")
    directory = tmp_path / "vault"
    _, db_key = legacy_vault.build(directory, PASSPHRASE, TEST_KDF, older, clients=("Before",))
    engine = make_engine(directory / "vault.db", db_key)
    stamp = START.replace(tzinfo=None)
    sessions = {SessionKind.ART: uuid.uuid4(), SessionKind.INTEGRATION: uuid.uuid4()}
    with engine.begin() as db:
        client = db.execute(text("select id from clients")).scalar_one()
        for kind, session in sessions.items():
            db.execute(
                text(
                    "insert into sessions (id, client_id, starts_at, duration_min, kind, "
                    "location, title, attendance, created_at, updated_at) values (:id, "
                    ":client, :at, 50, :kind, 'in_person', '', 'done', :at, :at)"
                ),
                {"id": session.hex, "client": client, "at": stamp, "kind": kind.value},
            )
            db.execute(
                text(
                    "insert into bls_sets (id, session_id, number, started_at, ended_at, "
                    "speed_hz, path, profile, sound, passes_completed, ended_by, frames, "
                    "late_frames, notes, created_at, updated_at) values (:id, :session, 1, "
                    ":at, :at, 1.0, 'horizontal', 'sinusoidal', 'off', 40, 'limit', 0, 0, "
                    "'', :at, :at)"
                ),
                {"id": uuid.uuid4().hex, "session": session.hex, "at": stamp},
            )
    engine.dispose()
    upgraded = Vault(directory)
    upgraded.unlock_with_passphrase(PASSPHRASE)
    try:
        services = Services(upgraded)
        assert services.art.summary(sessions[SessionKind.ART]).sets_used == 1
        assert services.art.summary(sessions[SessionKind.INTEGRATION]).sets_used == 0
        [emdr_set] = services.bls_sets.list_for_session(sessions[SessionKind.INTEGRATION])
        assert emdr_set.protocol == "emdr"
    finally:
        upgraded.lock()
