"""ART and imagery rescripting worksheets: guided steps, summary with sets, validation."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from console.clinical import art as a
from console.errors import NotFoundError, ValidationError
from console.pacer.set_log import SetResult
from console.services.art import ArtFields
from console.services.bundle import Services
from console.services.clients import ClientFields
from console.services.rescripting import RescriptingFields
from console.services.sessions import SessionFields
from models import SessionKind

START = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
SECRET = "Quillobarnacle"


@pytest.fixture
def session_id(services: Services) -> uuid.UUID:
    client = services.clients.create(ClientFields(name="Art Test")).id
    fields = SessionFields(starts_at=START, kind=SessionKind.ART)
    return services.sessions.create(client, fields).id


def _sets(services: Services, session_id: uuid.UUID, count: int) -> None:
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
