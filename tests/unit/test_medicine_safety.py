"""Nothing unsafe gets through without a word: reviews, holds, the dose's day, discharge."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from console.clinical import medicine as m
from console.clinical import medicine_safety as safety
from console.errors import ValidationError
from console.services.bundle import Services
from console.services.clients import ClientFields
from console.services.medicine import DoseFields, OtherDayError, ReadingFields
from console.services.screening import ItemAnswer, ScreeningFields
from console.services.sessions import SessionFields
from models import SessionAttendance, SessionKind

DOSE_AT = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)
TODAY = DOSE_AT.date()


@pytest.fixture(autouse=True)
def _on_the_dose_day(services: Services) -> None:
    services.screening.today = services.medicine.today = lambda: TODAY  # type: ignore[method-assign]


def _client(services: Services, **screening: object) -> uuid.UUID:
    client = services.clients.create(ClientFields(name="Safety Test")).id
    values: dict[str, object] = {
        "answers": tuple(ItemAnswer(k, "no") for k in m.CONTRAINDICATION_KEYS),
        "weight_kg": 70.0,
        "baseline_systolic": 128,
        "baseline_diastolic": 82,
        "consent_date": TODAY - timedelta(days=30),
        "fasting_acknowledged": True,
        "ride_home_arranged": True,
    }
    values.update(screening)
    services.screening.save(client, ScreeningFields(**values))  # type: ignore[arg-type]
    return client


def _session(services: Services, client: uuid.UUID, starts_at: datetime = DOSE_AT) -> uuid.UUID:
    fields = SessionFields(starts_at=starts_at - timedelta(minutes=20), kind=SessionKind.MEDICINE)
    return services.sessions.create(client, fields).id


def test_hold_baseline_interactions_and_expired_consent_need_the_prescriber(
    services: Services,
) -> None:
    client = _client(
        services,
        baseline_systolic=185,
        baseline_diastolic=112,
        medications="Clonazepam 0.5 mg at night, lamotrigine 100 mg",
        consent_date=date(2025, 5, 4),
    )
    record = services.screening.get(client)
    assert record.state.status == "needs_review" and not record.state.may_start
    assert record.state.review == (
        "baseline blood pressure 185/112 is at the hold level (≥ 180/110)",
        "Benzodiazepine (clonazepam): interaction not acknowledged",
        "Lamotrigine: interaction not acknowledged",
        "consent of 4 May 2025 expired on 4 May 2026",
    )
    session = _session(services, client)
    with pytest.raises(ValidationError, match="Needs review: baseline blood pressure 185/112"):
        services.medicine.save(session, DoseFields(dose_mg=100, given_at=DOSE_AT))

    acked = services.screening.acknowledge_interaction(client, "Lamotrigine", "Dr Rx")
    assert acked.acknowledged["Lamotrigine"][0] == "Dr Rx"
    assert len(acked.state.review) == 3
    with pytest.raises(ValidationError, match="Review reason"):
        services.screening.record_review(client, "Dr Rx", "   ")
    reviewed = services.screening.record_review(client, "Dr Rx", "GP letter: BP controlled")
    assert reviewed.state.cleared and reviewed.review_by == "Dr Rx"
    services.medicine.save(session, DoseFields(dose_mg=100, given_at=DOSE_AT))
    assert [e.action for e in services.recent_audit(6)].count("review") == 2

    # a medication added after the review is a new reason, and needs a new review
    again = services.screening.save(
        client,
        replace(
            ScreeningFields(**{k: getattr(reviewed, k) for k in ScreeningFields.__annotations__}),
            medications="Clonazepam 0.5 mg at night, lamotrigine 100 mg, tramadol",
        ),
    )
    assert again.state.review == ("Opioid (tramadol): interaction not acknowledged",)


def test_nothing_to_review_and_unknown_medications_are_refused(services: Services) -> None:
    client = _client(services)
    with pytest.raises(ValidationError, match="nothing in the screening needs a review"):
        services.screening.record_review(client, "Dr Rx", "just in case")
    with pytest.raises(ValidationError, match="not in the screening"):
        services.screening.acknowledge_interaction(client, "Lamotrigine", "Dr Rx")
    with pytest.raises(ValidationError, match="Prescriber"):
        services.screening.acknowledge_interaction(client, "Lamotrigine", "")


def test_a_hold_level_pre_dose_reading_waits_for_a_repeat_or_a_review(services: Services) -> None:
    client = _client(services)
    session = _session(services, client)
    pre = ReadingFields(DOSE_AT - timedelta(minutes=10), 190, 100, 80, 98, pre_dose=True)
    services.medicine.add_reading(session, pre)
    gate = services.medicine.first_dose_gate(session)
    assert gate is not None and gate.hold and "190/100 is at the hold level" in gate.problem
    with pytest.raises(ValidationError, match="190/100 is at the hold level"):
        services.medicine.save(session, DoseFields(dose_mg=100, given_at=DOSE_AT))
    with pytest.raises(ValidationError, match="Review reason"):
        services.medicine.review_hold(session, "Dr Rx", "")
    reviewed = services.medicine.review_hold(session, "Dr Rx", "Anxious on arrival; 3 readings")
    assert reviewed.hold_review_by == "Dr Rx" and services.medicine.first_dose_gate(session) is None
    services.medicine.save(session, DoseFields(dose_mg=100, given_at=DOSE_AT))


def test_a_repeated_reading_below_hold_settles_a_high_baseline(services: Services) -> None:
    client = _client(services, baseline_systolic=182, baseline_diastolic=96)
    session = _session(services, client)
    assert services.screening.get(client).state.needs_review
    services.medicine.add_reading(
        session, ReadingFields(DOSE_AT - timedelta(minutes=5), 150, 90, 80, 98, pre_dose=True)
    )
    assert services.medicine.first_dose_gate(session) is None
    services.medicine.save(session, DoseFields(dose_mg=100, given_at=DOSE_AT))


def test_a_dose_on_another_day_needs_confirming_and_marks_the_session_done(
    services: Services,
) -> None:
    client = _client(services)
    future = datetime.now(UTC) + timedelta(days=3)
    session = _session(services, client, future)
    assert services.sessions.get(session).attendance is SessionAttendance.PLANNED
    services.screening.today = services.medicine.today = date.today  # type: ignore[method-assign]
    tomorrow = future + timedelta(days=1)
    with pytest.raises(OtherDayError, match="another day"):
        services.medicine.save(session, DoseFields(dose_mg=100, given_at=tomorrow))
    assert services.sessions.get(session).attendance is SessionAttendance.PLANNED
    services.medicine.save(
        session, DoseFields(dose_mg=100, given_at=tomorrow, other_day_confirmed=True)
    )
    assert services.sessions.get(session).attendance is SessionAttendance.DONE
    timeline = services.course.timeline(client)
    assert [e.attendance for e in timeline] == [SessionAttendance.DONE]


def test_discharge_before_the_observation_time_needs_a_reason(services: Services) -> None:
    client = _client(services)
    session = _session(services, client)
    rx = services.medicine
    rx.add_reading(
        session, ReadingFields(DOSE_AT - timedelta(minutes=5), 128, 80, 76, 98, pre_dose=True)
    )
    rx.save(session, DoseFields(dose_mg=100, given_at=DOSE_AT))
    for minutes, sedation in ((40, 3), (100, 5)):
        rx.add_reading(
            session,
            ReadingFields(DOSE_AT + timedelta(minutes=minutes), 130, 82, 80, 98, sedation=sedation),
        )
    with pytest.raises(ValidationError, match="Sedation"):
        rx.add_reading(
            session, ReadingFields(DOSE_AT + timedelta(minutes=110), 130, 82, 80, 98, sedation=6)
        )
    record = rx.get(session)
    assert record is not None
    readiness = record.readiness(DOSE_AT + timedelta(minutes=90))
    assert readiness.ready_at == DOSE_AT + timedelta(minutes=120)
    assert "Latest sedation score is 3 of 5" in readiness.problems
    checks = {"discharge_alert": True, "discharge_vitals_in_range": True}
    leaving = DoseFields(
        dose_mg=100,
        given_at=DOSE_AT,
        discharge_escort_present=True,
        discharged_at=DOSE_AT + timedelta(minutes=105),
        **checks,  # type: ignore[arg-type]
    )
    with pytest.raises(ValidationError, match="15 min to go"):
        rx.save(session, leaving)
    kept = rx.save(session, replace(leaving, discharged_at=DOSE_AT + timedelta(minutes=121)))
    assert kept.discharge_problems == () and kept.ready_to_leave_at == DOSE_AT + timedelta(hours=2)
    assert "early_discharge" not in [e.action for e in services.recent_audit(5)]


def test_the_policy_comes_from_settings_and_survives_bad_values() -> None:
    policy = safety.policy_from_settings(
        {
            "blood_pressure_points": "end, 30, pre",
            "discharge_min_observation_min": 180,
            "consent_valid_months": "twelve",
            "vitals_schedule": "0, 30, x",
        }
    )
    assert policy.bp_points == ("pre", 30, "end") and policy.min_observation_min == 180
    assert policy.consent_valid_months == 12 and policy.schedule == m.DEFAULT_SCHEDULE
    with pytest.raises(ValidationError, match="each once"):
        safety.parse_bp_points("pre, 40, 20")
    with pytest.raises(ValidationError, match="'soon'"):
        safety.parse_bp_points("pre, soon")
    assert safety.consent_expires(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert safety.consent_expires(date(2026, 11, 30), 3) == date(2027, 2, 28)
