"""EMDR worksheets: the target plan, each session's work, and a target's SUD/VOC history."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from console.clinical import emdr as c
from console.errors import NotFoundError, ValidationError
from console.pacer.set_log import SetResult
from console.pacer.settings import Protocol
from console.services.bundle import Services
from console.services.changes import Changes, Kind
from console.services.clients import ClientFields
from console.services.emdr import HistoryPoint, SessionWorkFields, TargetFields
from console.services.sessions import SessionFields
from models import SessionKind

START = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
SECRET = "Zanzibarquill"  # in every piece of content written below


@pytest.fixture
def client_id(services: Services) -> uuid.UUID:
    return services.clients.create(ClientFields(name="Emdr Test")).id


def _session(
    services: Services, client_id: uuid.UUID, days: int = 0, kind: SessionKind = SessionKind.EMDR
) -> uuid.UUID:
    fields = SessionFields(starts_at=START + timedelta(days=days), kind=kind)
    return services.sessions.create(client_id, fields).id


def _target(services: Services, client_id: uuid.UUID, title: str, **kw: object) -> uuid.UUID:
    return services.emdr.create_target(client_id, TargetFields(title=title, **kw)).id  # type: ignore[arg-type]


def _set(
    services: Services,
    session_id: uuid.UUID,
    at: datetime,
    sud: int | None,
    voc: int | None,
    protocol: Protocol = "emdr",
) -> None:
    services.bls_sets.log(
        session_id,
        SetResult(
            started_at=at,
            ended_at=at + timedelta(seconds=24),
            speed_hz=1.0,
            path="horizontal",
            profile="sinusoidal",
            sound="off",
            passes_completed=24,
            ended_by="limit",
            sud=sud,
            voc=voc,
            notes=SECRET,
            protocol=protocol,
        ),
    )


def test_clinical_vocabulary() -> None:
    assert len(c.PHASES) == 8 and c.PHASE_KEYS[0] == "history"
    assert c.PHASE_KEYS[-1] == "reevaluation"
    assert {"stop_signal", "calm_place", "preferred_stimulation"} <= set(c.PREPARATION_KEYS)
    assert len(c.COGNITIONS) >= 10
    assert "I am in danger" in c.NEGATIVE_COGNITIONS and "I am safe now" in c.POSITIVE_COGNITIONS
    assert c.TARGET_KINDS == ("memory", "trigger", "future_template")
    assert c.TARGET_STATUSES == ("open", "in_processing", "completed")


def test_target_crud_and_order(services: Services, client_id: uuid.UUID) -> None:
    first = services.emdr.create_target(
        client_id,
        TargetFields(
            title="Crowded train",
            memory="Stuck between stations",
            worst_image="Doors closing",
            negative_cognition="I am in danger",
            positive_cognition="I am safe now",
            voc=2,
            emotions="fear",
            sud=8,
            body_location="chest",
        ),
    )
    assert (first.position, first.status, first.kind, first.voc, first.sud) == (
        0,
        "open",
        "memory",
        2,
        8,
    )
    second = _target(services, client_id, "Lift at work", kind="trigger")
    third = _target(services, client_id, "Next commute", kind="future_template")
    listed = services.emdr.list_targets(client_id)
    assert [t.id for t in listed] == [first.id, second, third]
    assert [t.position for t in listed] == [0, 1, 2]

    updated = services.emdr.update_target(first.id, TargetFields(title="Train", sud=6, voc=3))
    assert (updated.title, updated.sud, updated.voc, updated.memory) == ("Train", 6, 3, "")
    assert services.emdr.set_target_status(second, "in_processing").status == "in_processing"
    assert services.emdr.get_target(second).kind == "trigger"

    reordered = services.emdr.reorder_targets(client_id, [third, first.id, second])
    assert [t.id for t in reordered] == [third, first.id, second]
    assert [t.id for t in services.emdr.list_targets(client_id)] == [third, first.id, second]
    with pytest.raises(ValidationError) as err:
        services.emdr.reorder_targets(client_id, [third, first.id])
    assert err.value.field == "targets"
    other = services.clients.create(ClientFields(name="Other")).id
    assert services.emdr.list_targets(other) == []
    assert _target(services, other, "Theirs") not in [
        t.id for t in services.emdr.list_targets(client_id)
    ]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"sud": 11}, "sud"),
        ({"sud": -1}, "sud"),
        ({"voc": 0}, "voc"),
        ({"voc": 8}, "voc"),
        ({"voc": True}, "voc"),
        ({"kind": "dream"}, "kind"),
        ({"status": "done"}, "status"),
        ({"title": " "}, "title"),
    ],
)
def test_target_validation_saves_nothing(
    services: Services, client_id: uuid.UUID, changes: dict[str, object], field: str
) -> None:
    target = _target(services, client_id, "Original", sud=5)
    values = {"title": "Changed", **changes}
    with pytest.raises(ValidationError) as err:
        services.emdr.update_target(target, TargetFields(**values))  # type: ignore[arg-type]
    assert err.value.field == field
    with pytest.raises(ValidationError):
        services.emdr.create_target(client_id, TargetFields(**values))  # type: ignore[arg-type]
    kept = services.emdr.list_targets(client_id)
    assert [(t.title, t.sud) for t in kept] == [("Original", 5)]


def test_session_work_get_or_create_and_save(services: Services, client_id: uuid.UUID) -> None:
    session = _session(services, client_id)
    target = _target(services, client_id, "Train")
    assert services.emdr.get_work(session) is None
    work = services.emdr.get_or_create_work(session)
    assert services.emdr.get_or_create_work(session).id == work.id
    assert (work.phases_done, work.preparation, work.target_id) == ((), (), None)

    saved = services.emdr.save_work(
        session,
        SessionWorkFields(
            target_id=target,
            phases_done=("body_scan", "assessment", "desensitisation", "installation"),
            preparation=(("calm_place", True), ("stop_signal", True), ("metaphor", False)),
            interweaves="What would you tell a friend?",
            containment="Container exercise",
            state_at_end="Calm",
            sud_end=1,
            voc_end=6,
            plan="Re-evaluate next time",
            body_scan_clear=False,
            body_scan_notes="Slight tension in the throat",
            reevaluation_sud=None,
        ),
    )
    assert saved.id == work.id and saved.client_id == client_id
    # Phases and preparation items come back in the protocol's order.
    assert saved.phases_done == ("assessment", "desensitisation", "installation", "body_scan")
    assert saved.preparation == (
        ("stop_signal", True),
        ("calm_place", True),
        ("metaphor", False),
    )
    assert saved.prepared("calm_place") and not saved.prepared("eye_comfort")
    assert services.emdr.get_work(session) == saved
    assert saved.fields.sud_end == 1 and saved.body_scan_clear is False


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        (SessionWorkFields(sud_end=11), "sud_end"),
        (SessionWorkFields(voc_end=0), "voc_end"),
        (SessionWorkFields(voc_end=8), "voc_end"),
        (SessionWorkFields(reevaluation_sud=-1), "reevaluation_sud"),
        (SessionWorkFields(phases_done=("lunch",)), "phases_done"),
        (SessionWorkFields(preparation=(("coffee", True),)), "preparation"),
    ],
)
def test_session_work_validation_saves_nothing(
    services: Services, client_id: uuid.UUID, fields: SessionWorkFields, field: str
) -> None:
    session = _session(services, client_id)
    services.emdr.save_work(session, SessionWorkFields(plan="kept", sud_end=3))
    with pytest.raises(ValidationError) as err:
        services.emdr.save_work(session, fields)
    assert err.value.field == field
    kept = services.emdr.get_work(session)
    assert kept is not None and (kept.plan, kept.sud_end) == ("kept", 3)


def test_session_work_refuses_another_clients_target(
    services: Services, client_id: uuid.UUID
) -> None:
    session = _session(services, client_id)
    other = services.clients.create(ClientFields(name="Other")).id
    theirs = _target(services, other, "Theirs")
    with pytest.raises(ValidationError) as err:
        services.emdr.save_work(session, SessionWorkFields(target_id=theirs))
    assert err.value.field == "target"
    assert services.emdr.get_work(session) is None
    with pytest.raises(NotFoundError):
        services.emdr.save_work(session, SessionWorkFields(target_id=uuid.uuid4()))
    with pytest.raises(NotFoundError):
        services.emdr.get_or_create_work(uuid.uuid4())


def test_sud_and_voc_history_combine_sets_and_closures(
    services: Services, client_id: uuid.UUID
) -> None:
    target = _target(services, client_id, "Train", sud=8, voc=2)
    other_target = _target(services, client_id, "Lift", sud=5)
    later = _session(services, client_id, days=7)
    earlier = _session(services, client_id, days=0)
    unrelated = _session(services, client_id, days=3)
    # Logged out of order on purpose: the history is in time order regardless.
    _set(services, later, START + timedelta(days=7, minutes=10), 3, None)
    _set(services, earlier, START + timedelta(minutes=10), 7, None)
    _set(services, earlier, START + timedelta(minutes=15), None, None)  # no SUD asked
    _set(services, earlier, START + timedelta(minutes=20), 4, 5)
    _set(services, unrelated, START + timedelta(days=3, minutes=10), 9, 1)
    services.emdr.save_work(earlier, SessionWorkFields(target_id=target, sud_end=2, voc_end=5))
    services.emdr.save_work(later, SessionWorkFields(target_id=target, sud_end=0, voc_end=7))
    services.emdr.save_work(unrelated, SessionWorkFields(target_id=other_target, sud_end=4))

    history = services.emdr.sud_history(target)
    assert [(p.source, p.value) for p in history] == [
        ("set", 7),
        ("set", 4),
        ("session", 2),
        ("set", 3),
        ("session", 0),
    ]
    assert [p.at for p in history] == sorted(p.at for p in history)
    assert history[0] == HistoryPoint(START + timedelta(minutes=10, seconds=24), "set", 7)
    # The closure is at the session's end (50 minutes booked).
    assert history[2].at == START + timedelta(minutes=50)
    _at, source, sud = history[-1]  # a plain (datetime, source, sud) tuple too
    assert (source, sud) == ("session", 0)

    voc = services.emdr.voc_history(target)
    assert [(p.source, p.value) for p in voc] == [("set", 5), ("session", 5), ("session", 7)]
    assert [(p.source, p.value) for p in services.emdr.sud_history(other_target)] == [
        ("set", 9),
        ("session", 4),
    ]


def test_closure_after_an_overrunning_set(services: Services, client_id: uuid.UUID) -> None:
    target = _target(services, client_id, "Train")
    session = _session(services, client_id)
    _set(services, session, START + timedelta(minutes=55), 2, None)
    services.emdr.save_work(session, SessionWorkFields(target_id=target, sud_end=1))
    assert [p.source for p in services.emdr.sud_history(target)] == ["set", "session"]


def test_art_sets_of_an_integration_session_stay_out_of_the_target_history(
    services: Services, client_id: uuid.UUID
) -> None:
    target = _target(services, client_id, "Train")
    session = _session(services, client_id, kind=SessionKind.INTEGRATION)
    _set(services, session, START + timedelta(minutes=10), 6, None)
    _set(services, session, START + timedelta(minutes=20), 9, None, "art")
    services.emdr.save_work(session, SessionWorkFields(target_id=target))
    assert [p.value for p in services.emdr.sud_history(target)] == [6]


def test_chart_by_set_within_a_session_and_by_date_across(
    services: Services, client_id: uuid.UUID
) -> None:
    target = _target(services, client_id, "Train")
    first = _session(services, client_id, days=0)
    second = _session(services, client_id, days=40)  # far apart: still the next place
    for minutes, sud, voc in ((10, 7, None), (15, None, None), (20, 4, 5)):
        _set(services, first, START + timedelta(minutes=minutes), sud, voc)
    _set(services, second, START + timedelta(days=40, minutes=10), 3, None)
    services.emdr.save_work(first, SessionWorkFields(target_id=target, sud_end=2, voc_end=6))
    services.emdr.save_work(second, SessionWorkFields(target_id=target))

    by_set = services.emdr.chart(target, first)
    assert by_set.by_set and by_set.sessions == ()
    assert [(p.x, p.value, p.set_number) for p in by_set.sud] == [
        (1.0, 7, 1),
        (3.0, 4, 3),
        (4.0, 2, None),  # the closure, one place after the last set (set 2 had no SUD)
    ]
    assert [(p.x, p.value) for p in by_set.voc] == [(3.0, 5), (4.0, 6)]

    across = services.emdr.chart(target)
    assert not across.by_set
    assert across.sessions == (START, START + timedelta(days=40))
    xs = [p.x for p in across.sud]
    assert [p.value for p in across.sud] == [7, 4, 2, 3]
    assert xs == sorted(xs) and all(-0.5 < x < 0.5 for x in xs[:3]) and xs[3] == 1.0
    assert services.emdr.chart(target, _session(services, client_id, days=50)).sud == ()


def test_reevaluation_default(services: Services, client_id: uuid.UUID) -> None:
    target = _target(services, client_id, "Train", sud=8)
    assert services.emdr.reevaluation_default(client_id, target) == 8
    first = _session(services, client_id, days=0)
    second = _session(services, client_id, days=7)
    services.emdr.save_work(second, SessionWorkFields(target_id=target, sud_end=1))
    services.emdr.save_work(first, SessionWorkFields(target_id=target, sud_end=4))
    assert services.emdr.reevaluation_default(client_id, target) == 1
    # A session that has not closed yet doesn't hide the last closure SUD.
    third = _session(services, client_id, days=14)
    services.emdr.save_work(third, SessionWorkFields(target_id=target))
    assert services.emdr.reevaluation_default(client_id, target) == 1
    untouched = _target(services, client_id, "Lift")
    assert services.emdr.reevaluation_default(client_id, untouched) is None
    other = services.clients.create(ClientFields(name="Other")).id
    with pytest.raises(ValidationError):
        services.emdr.reevaluation_default(other, target)


def test_audit_and_changes_carry_no_content(services: Services, client_id: uuid.UUID) -> None:
    seen: list[Changes] = []
    services.changes.subscribe(seen.append)
    target = services.emdr.create_target(
        client_id,
        TargetFields(
            title=SECRET,
            memory=SECRET,
            worst_image=SECRET,
            negative_cognition=SECRET,
            positive_cognition=SECRET,
            emotions=SECRET,
            body_location=SECRET,
            sud=7,
        ),
    )
    services.emdr.update_target(target.id, TargetFields(title=SECRET + "!", sud=6))
    session = _session(services, client_id)
    services.emdr.save_work(
        session,
        SessionWorkFields(
            target_id=target.id,
            interweaves=SECRET,
            containment=SECRET,
            state_at_end=SECRET,
            plan=SECRET,
            body_scan_notes=SECRET,
            sud_end=3,
        ),
    )
    events = [e for e in services.recent_audit() if e.entity_kind.startswith("emdr")]
    assert {e.entity_kind for e in events} == {"emdr_target", "emdr_session_work"}
    assert any("sud" in e.detail for e in events)  # fields are named, values are not
    for event in events:
        assert SECRET not in event.detail and "7" not in event.detail
    assert {kind for ch in seen for kind in ch.kinds} >= {Kind.EMDR_TARGET, Kind.EMDR_SESSION_WORK}
