"""Recording outcome measures: scored on entry, never edited, voided and re-entered."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from console.clinical import measures as m
from console.errors import NotFoundError, ValidationError
from console.services.bundle import Services
from console.services.changes import Action, Changes, Kind
from console.services.clients import ClientFields
from console.services.measures import MeasureRecord, MeasureService
from console.services.sessions import SessionFields
from models import SessionKind

NOW = datetime.now(UTC)
GAD7_SEVERE = [3, 3, 2, 2, 2, 2, 2]  # 16


@pytest.fixture
def client_id(services: Services) -> uuid.UUID:
    return services.clients.create(ClientFields(name="Measure Test")).id


def gad7(
    services: Services, client_id: uuid.UUID, answers: list[Any], days_ago: int = 1
) -> MeasureRecord:
    return services.measures.record(
        client_id, "gad7", answers, None, NOW - timedelta(days=days_ago)
    )


def test_record_scores_and_lists(services: Services, client_id: uuid.UUID) -> None:
    rec = gad7(services, client_id, GAD7_SEVERE)
    assert (rec.total, rec.band, rec.complete, rec.flags) == (16, "severe", True, ())
    assert rec.answers == tuple(GAD7_SEVERE) and rec.entered_by == "client"
    assert rec.measure is m.GAD7
    assert services.measures.list_for_client(client_id) == [rec]
    assert services.measures.get(rec.id) == rec


def test_list_is_oldest_first(services: Services, client_id: uuid.UUID) -> None:
    later = gad7(services, client_id, [1] * 7, days_ago=1)
    earlier = gad7(services, client_id, [2] * 7, days_ago=30)
    assert [r.id for r in services.measures.list_for_client(client_id)] == [earlier.id, later.id]


def test_incomplete_is_saved_unscored(services: Services, client_id: uuid.UUID) -> None:
    rec = gad7(services, client_id, [3, 3, 3, None, 3, 3, 3])
    assert rec.total is None and not rec.complete and rec.band == ""
    assert rec.answers == (3, 3, 3, None, 3, 3, 3)


def test_phq9_item_9_flag_is_stored(services: Services, client_id: uuid.UUID) -> None:
    rec = services.measures.record(client_id, "phq9", [1] * 9, None, NOW)
    assert rec.flags == (m.SELF_HARM_FLAG,)
    assert services.measures.get(rec.id).flags == (m.SELF_HARM_FLAG,)


def test_clinician_entered_total(services: Services, client_id: uuid.UUID) -> None:
    rec = services.measures.record(client_id, "pdss", None, 14, NOW, entered_by="clinician")
    assert rec.total == 14 and rec.answers is None and rec.complete


@pytest.mark.parametrize(
    ("key", "answers", "total", "entered_by", "field"),
    [
        ("pdss", None, 29, "clinician", "total"),
        ("spin", None, -1, "clinician", "total"),
        ("spin", None, 20, "client", "entered_by"),
        ("spin", [1, 2], None, "clinician", "answers"),
        ("pdss", None, None, "clinician", "total"),
        ("gad7", None, 10, "clinician", "total"),
        ("gad7", None, None, "client", "answers"),
        ("gad7", [0] * 6, None, "client", "answers"),
        ("gad7", [0, 0, 4, 0, 0, 0, 0], None, "client", "item 3"),
        ("gad7", [0] * 7, None, "robot", "entered_by"),
        ("bdi", [0] * 7, None, "client", "measure"),
    ],
)
def test_bad_input_is_refused_and_nothing_saved(
    services: Services,
    client_id: uuid.UUID,
    key: str,
    answers: Any,
    total: Any,
    entered_by: Any,
    field: str,
) -> None:
    with pytest.raises(ValidationError) as err:
        services.measures.record(client_id, key, answers, total, NOW, entered_by=entered_by)
    assert err.value.field == field
    assert services.measures.list_for_client(client_id, include_voided=True) == []


def test_future_date_is_refused(services: Services, client_id: uuid.UUID) -> None:
    with pytest.raises(ValidationError, match="future"):
        gad7(services, client_id, [0] * 7, days_ago=-1)


def test_naive_date_is_refused(services: Services, client_id: uuid.UUID) -> None:
    with pytest.raises(ValidationError, match="time zone"):
        services.measures.record(client_id, "gad7", [0] * 7, None, datetime(2026, 1, 1))


def test_unknown_client_is_refused(services: Services) -> None:
    with pytest.raises(NotFoundError):
        services.measures.record(uuid.uuid4(), "gad7", [0] * 7, None, NOW)


def test_session_must_be_the_clients(services: Services, client_id: uuid.UUID) -> None:
    other = services.clients.create(ClientFields(name="Someone Else"))
    theirs = services.sessions.create(
        other.id, SessionFields(starts_at=NOW - timedelta(days=1), kind=SessionKind.MEDICINE)
    )
    with pytest.raises(ValidationError, match="another client"):
        services.measures.record(client_id, "gad7", [0] * 7, None, NOW, session_id=theirs.id)
    ours = services.sessions.create(
        client_id, SessionFields(starts_at=NOW - timedelta(days=1), kind=SessionKind.MEDICINE)
    )
    rec = services.measures.record(client_id, "gad7", [0] * 7, None, NOW, session_id=ours.id)
    assert rec.session_id == ours.id


def test_void_then_re_enter(services: Services, client_id: uuid.UUID) -> None:
    wrong = gad7(services, client_id, [3] * 7)
    voided = services.measures.void(wrong.id, "entered the wrong client's sheet")
    assert voided.voided and voided.void_reason == "entered the wrong client's sheet"
    assert voided.total == 21  # the voided row keeps what was given
    right = gad7(services, client_id, [1] * 7)
    assert services.measures.list_for_client(client_id) == [right]
    everything = services.measures.list_for_client(client_id, include_voided=True)
    assert {r.id for r in everything} == {wrong.id, right.id}
    assert services.measures.get(wrong.id).voided


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_void_needs_a_reason(services: Services, client_id: uuid.UUID, reason: Any) -> None:
    rec = gad7(services, client_id, [1] * 7)
    with pytest.raises(ValidationError, match="reason"):
        services.measures.void(rec.id, reason)
    assert not services.measures.get(rec.id).voided


def test_void_twice_is_refused(services: Services, client_id: uuid.UUID) -> None:
    rec = gad7(services, client_id, [1] * 7)
    services.measures.void(rec.id, "duplicate")
    with pytest.raises(ValidationError, match="already voided"):
        services.measures.void(rec.id, "again")


def test_there_is_no_way_to_edit(services: Services, client_id: uuid.UUID) -> None:
    public = {n for n in dir(MeasureService) if not n.startswith("_")}
    assert public.isdisjoint({"update", "edit", "annotate", "delete", "change", "set_answers"})
    rec = gad7(services, client_id, GAD7_SEVERE)
    with pytest.raises(AttributeError):
        rec.total = 3  # type: ignore[misc]


def test_summary_baseline_latest_change(services: Services, client_id: uuid.UUID) -> None:
    assert services.measures.summary(client_id, "gad7").count == 0
    first = gad7(services, client_id, GAD7_SEVERE, days_ago=90)  # 16
    gad7(services, client_id, [2, 2, 2, 2, 2, 1, 1], days_ago=60)  # 12
    gad7(services, client_id, [2, 2, None, 2, 2, 2, 2], days_ago=20)  # incomplete: skipped
    last = gad7(services, client_id, [1, 1, 1, 1, 1, 1, 0], days_ago=10)  # 6
    stray = gad7(services, client_id, [0] * 7, days_ago=5)
    services.measures.void(stray.id, "practice run")
    summary = services.measures.summary(client_id, "gad7")
    assert summary.baseline == first and summary.latest == last
    assert summary.count == 3 and summary.change == "improvement"


def test_summary_of_one_response_has_no_change(services: Services, client_id: uuid.UUID) -> None:
    only = gad7(services, client_id, GAD7_SEVERE)
    summary = services.measures.summary(client_id, "gad7")
    assert summary.baseline == summary.latest == only and summary.change is None


def test_summary_keeps_measures_apart(services: Services, client_id: uuid.UUID) -> None:
    gad7(services, client_id, GAD7_SEVERE, days_ago=30)
    services.measures.record(client_id, "phq9", [3] * 8 + [0], None, NOW - timedelta(days=20))
    services.measures.record(client_id, "phq9", [0] * 9, None, NOW - timedelta(days=2))
    summary = services.measures.summary(client_id, "phq9")
    assert summary.count == 2 and summary.change == "improvement"
    assert services.measures.summary(client_id, "gad7").count == 1


def test_audit_events_hold_no_content(services: Services, client_id: uuid.UUID) -> None:
    rec = services.measures.record(client_id, "phq9", [2] * 8 + [1], None, NOW)
    services.measures.void(rec.id, "secretreason")
    events = [e for e in services.recent_audit() if e.entity_kind == "measure"]
    assert [e.action for e in events] == ["void", "create"]
    assert all(e.entity_id == str(rec.id) for e in events)
    for event in events:
        assert "secretreason" not in event.detail
        assert "17" not in event.detail and "self-harm" not in event.detail
    assert services.verify().sound


def test_changes_are_emitted(services: Services, client_id: uuid.UUID) -> None:
    seen: list[Changes] = []
    services.changes.subscribe(seen.append)
    rec = gad7(services, client_id, [1] * 7)
    services.measures.void(rec.id, "oops")
    assert [(c.kinds, c.action) for c in seen] == [
        ({Kind.MEASURE}, Action.CREATED),
        ({Kind.MEASURE}, Action.VOIDED),
    ]
    assert all(c.records == {rec.id} and c.for_client(client_id) for c in seen)


def test_demo_caseload_carries_measures(services: Services) -> None:
    from console.demo import build_demo

    build_demo(services)
    by_name = {c.preferred_name: c.id for c in services.clients.list(status=None)}
    alex, noor = by_name["Alex"], by_name["نور"]
    gad = services.measures.summary(alex, "gad7")
    assert (gad.count, gad.change) == (5, "improvement")
    assert gad.baseline and gad.latest and (gad.baseline.total, gad.latest.total) == (16, 6)
    phq = services.measures.list_for_client(alex, measure_key="phq9")
    assert [bool(r.flags) for r in phq] == [True, False, False, False, False]
    medicine = {s.id for s in services.sessions.list_for_client(alex) if s.kind == "medicine"}
    assert len({r.session_id for r in phq} & medicine) == 2
    (pcl,) = services.measures.list_for_client(noor)
    assert pcl.measure_key == "pcl5" and pcl.band == "probable PTSD"
