"""Screening gate and override, medicine sessions (dose, vitals, events), the course calendar."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from console.clinical import course as cc
from console.clinical import medicine as m
from console.clinical.medicine_safety import MedicinePolicy
from console.errors import ValidationError
from console.services.bundle import Services
from console.services.clients import ClientFields
from console.services.medicine import DoseFields, EventFields, ReadingFields
from console.services.programs import ProgramFields
from console.services.screening import ItemAnswer, ScreeningFields
from console.services.sessions import SessionFields
from models import ProgramKind, SessionAttendance, SessionKind

DOSE_AT = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)
SECRET = "Quetzalwhistle"


def _client(services: Services) -> uuid.UUID:
    return services.clients.create(ClientFields(name="Med Test")).id


def _medicine_session(services: Services, client: uuid.UUID) -> uuid.UUID:
    fields = SessionFields(starts_at=DOSE_AT - timedelta(minutes=30), kind=SessionKind.MEDICINE)
    return services.sessions.create(client, fields).id


def _screen(services: Services, client: uuid.UUID, answer: str = "no", **kw: object) -> None:
    values: dict[str, object] = {
        "answers": tuple(ItemAnswer(k, answer) for k in m.CONTRAINDICATION_KEYS),
        "weight_kg": 70.0,
        "consent_date": date.today() - timedelta(days=30),
        "consent_version": "v3",
        "fasting_acknowledged": True,
        "ride_home_arranged": True,
    }
    values.update(kw)
    services.screening.save(client, ScreeningFields(**values))  # type: ignore[arg-type]


def test_screening_starts_blocked_and_stamps_who_checked(services: Services) -> None:
    client = _client(services)
    record = services.screening.get(client)
    assert not record.exists and record.state.blocked
    answers = tuple(
        ItemAnswer(k, "unknown" if k == m.CONTRAINDICATION_KEYS[0] else "no", note="asked")
        for k in m.CONTRAINDICATION_KEYS
    )
    saved = services.screening.save(client, ScreeningFields(answers=answers, weight_kg=81.5))
    assert saved.state.blocked and saved.state.unknown == (m.CONTRAINDICATION_KEYS[0],)
    first = saved.answer(m.CONTRAINDICATION_KEYS[0])
    assert first.checked_by == services.vault.actor and first.checked_at is not None
    assert abs(first.checked_at - datetime.now(UTC)) < timedelta(minutes=1)  # stamped now
    assert "no consent" in saved.state.summary


def test_screening_values_are_checked(services: Services) -> None:
    client = _client(services)
    with pytest.raises(ValidationError, match="Weight"):
        services.screening.save(client, ScreeningFields(weight_kg=500))
    with pytest.raises(ValidationError, match="systolic and diastolic"):
        services.screening.save(client, ScreeningFields(baseline_systolic=120))
    with pytest.raises(ValidationError, match="yes, no or unknown"):
        services.screening.save(
            client, ScreeningFields(answers=(ItemAnswer(m.CONTRAINDICATION_KEYS[0], "maybe"),))
        )
    assert not services.screening.get(client).exists


def test_baseline_and_interactions_are_flagged(services: Services) -> None:
    client = _client(services)
    _screen(
        services, client, baseline_systolic=182, baseline_diastolic=95, medications="Lorazepam 1mg"
    )
    record = services.screening.get(client)
    assert [f.level for f in record.baseline_flags()] == ["hold"]
    assert record.baseline_flags(m.Thresholds(hold_systolic=190)) == ()
    assert record.interactions and "lorazepam" in record.interactions[0].lower()
    assert record.state.needs_review and not record.state.may_start
    assert "182/95" in record.state.summary and "lorazepam" in record.state.summary


def test_a_dose_needs_screening_cleared_or_an_audited_override(services: Services) -> None:
    client = _client(services)
    session = _medicine_session(services, client)
    dose = DoseFields(dose_mg=100, given_at=DOSE_AT)
    with pytest.raises(ValidationError, match="Screening"):
        services.medicine.save(session, dose)
    _screen(services, client, answer="no")
    services.screening.save(
        client,
        ScreeningFields(
            answers=tuple(
                ItemAnswer(k, "yes" if k == "pregnancy" else "no") for k in m.CONTRAINDICATION_KEYS
            ),
            weight_kg=70.0,
            consent_date=date(2026, 5, 1),
            fasting_acknowledged=True,
            ride_home_arranged=True,
        ),
    )
    with pytest.raises(ValidationError, match="Blocked: 1 item yes"):
        services.medicine.save(session, dose)
    with pytest.raises(ValidationError, match="required"):
        services.screening.override(client, "   ")
    services.screening.override(client, f"Prescriber reviewed {SECRET}")
    saved = services.medicine.save(session, dose)
    assert saved.mg_per_kg == pytest.approx(1.43) and saved.weight_kg == 70.0
    events = [e for e in services.recent_audit() if e.action == "override"]
    assert len(events) == 1 and SECRET not in events[0].detail
    # Once dosed, editing the session is no longer gated.
    services.screening.withdraw_override(client)
    services.medicine.save(session, DoseFields(dose_mg=100, given_at=DOSE_AT, notes="calm"))


def test_mg_per_kg_is_unknown_without_weight_and_kept_with_the_dose(services: Services) -> None:
    client = _client(services)
    session = _medicine_session(services, client)
    _screen(services, client, weight_kg=None)
    record = services.medicine.save(session, DoseFields(route="intramuscular", dose_mg=35))
    assert record.mg_per_kg is None and record.weight_kg is None
    _screen(services, client, weight_kg=70.0)
    record = services.medicine.save(session, DoseFields(route="intramuscular", dose_mg=35))
    assert record.mg_per_kg == 0.5
    _screen(services, client, weight_kg=100.0)
    assert services.medicine.get(session).mg_per_kg == 0.5  # type: ignore[union-attr]


def test_dose_rules(services: Services) -> None:
    client = _client(services)
    session = _medicine_session(services, client)
    _screen(services, client)
    with pytest.raises(ValidationError, match="Second dose"):
        services.medicine.save(session, DoseFields(second_dose_mg=50))
    with pytest.raises(ValidationError, match="before the first"):
        services.medicine.save(
            session,
            DoseFields(
                dose_mg=100,
                given_at=DOSE_AT,
                second_dose_mg=50,
                second_given_at=DOSE_AT - timedelta(minutes=1),
            ),
        )
    with pytest.raises(ValidationError, match="Route"):
        services.medicine.save(session, DoseFields(route="rectal"))
    with pytest.raises(ValidationError, match="Dissociation"):
        services.medicine.save(
            session, DoseFields(dissociation_scale="cadss6", dissociation_total=30)
        )
    other = services.sessions.create(
        client, SessionFields(starts_at=DOSE_AT, kind=SessionKind.INTEGRATION)
    ).id
    with pytest.raises(ValidationError, match="not a medicine session"):
        services.medicine.save(other, DoseFields())
    assert services.medicine.get(session) is None


def test_vitals_are_checked_timed_and_flagged(services: Services) -> None:
    client = _client(services)
    session = _medicine_session(services, client)
    _screen(services, client)
    baseline = ReadingFields(DOSE_AT - timedelta(minutes=10), 182, 96, 80, 98, pre_dose=True)
    flagged = services.medicine.add_reading(session, baseline)
    assert [f.message for f in flagged.flags] == ["Systolic 182 ≥ 180: hold dose"]
    with pytest.raises(ValidationError, match="pre-dose"):
        services.medicine.add_reading(session, ReadingFields(DOSE_AT, 130, 80, 80, 98))
    with pytest.raises(ValidationError, match="182/96 is at the hold level"):
        services.medicine.save(session, DoseFields(dose_mg=100, given_at=DOSE_AT))
    repeated = ReadingFields(DOSE_AT - timedelta(minutes=5), 150, 90, 80, 98, pre_dose=True)
    services.medicine.add_reading(session, repeated)
    services.medicine.save(session, DoseFields(dose_mg=100, given_at=DOSE_AT))
    with pytest.raises(ValidationError, match="before the dose"):
        services.medicine.add_reading(
            session, ReadingFields(DOSE_AT - timedelta(minutes=1), 130, 80, 80, 98)
        )
    for bad, field in (
        ((350, 80, 80, 98), "Systolic"),
        ((130, 80, 251, 98), "Heart rate"),
        ((130, 80, 80, 49), "SpO2"),
    ):
        with pytest.raises(ValidationError, match=field):
            services.medicine.add_reading(session, ReadingFields(DOSE_AT, *bad))
    at_edge = services.medicine.add_reading(
        session, ReadingFields(DOSE_AT + timedelta(minutes=15), 160, 99, 119, 93)
    )
    assert [f.field for f in at_edge.flags] == ["systolic"] and at_edge.minutes == 15
    below = services.medicine.add_reading(
        session, ReadingFields(DOSE_AT + timedelta(minutes=30), 159, 99, 119, 93)
    )
    assert below.flags == ()
    record = services.medicine.get(session)
    assert record is not None and len(record.readings) == 4
    assert [r.minutes for r in record.readings] == [None, None, 15, 30]
    # Moving the dose after the readings would put them before it: refused.
    with pytest.raises(ValidationError, match="Time given"):
        services.medicine.save(
            session, DoseFields(dose_mg=100, given_at=DOSE_AT + timedelta(minutes=20))
        )
    with pytest.raises(ValidationError, match="keep its time"):
        services.medicine.save(session, DoseFields(dose_mg=100))
    # Moving the dose before the baseline (5 min before it) would make a baseline after it.
    with pytest.raises(ValidationError, match="pre-dose reading"):
        services.medicine.save(
            session, DoseFields(dose_mg=100, given_at=DOSE_AT - timedelta(minutes=6))
        )
    moved = DOSE_AT - timedelta(minutes=5, seconds=-20)
    assert services.medicine.save(session, DoseFields(dose_mg=100, given_at=moved)), (
        "the baseline's own minute is still before the dose"
    )
    services.medicine.save(session, DoseFields(dose_mg=100, given_at=DOSE_AT))
    services.medicine.use_policy(MedicinePolicy(m.Thresholds(alert_systolic_high=155)))
    record = services.medicine.get(session)
    assert record is not None and record.readings[3].flags


def test_reminders_follow_the_schedule_and_an_injected_clock(services: Services) -> None:
    client = _client(services)
    session = _medicine_session(services, client)
    _screen(services, client)
    record = services.medicine.save(session, DoseFields(dose_mg=100))
    assert record.reminders(m.DEFAULT_SCHEDULE, DOSE_AT) is None  # no dose time yet
    services.medicine.save(session, DoseFields(dose_mg=100, given_at=DOSE_AT))
    services.medicine.add_reading(session, ReadingFields(DOSE_AT, 130, 80, 80, 98))
    record = services.medicine.get(session)
    assert record is not None
    state = record.reminders(m.DEFAULT_SCHEDULE, DOSE_AT + timedelta(minutes=15))
    assert state is not None and state.due == 15 and state.done == (0,)
    later = record.reminders(m.DEFAULT_SCHEDULE, DOSE_AT + timedelta(minutes=22))
    assert later is not None and later.overdue == 15
    assert later.overdue_by_min == 7 and later.done == (0,) and later.missed == ()
    assert m.reminder_words(later, str) == "Overdue by 7 min (15 min)"
    assert m.reminder_words(state, str) == "Reading due now (15 min)"


def test_adverse_events_and_discharge(services: Services) -> None:
    client = _client(services)
    session = _medicine_session(services, client)
    _screen(services, client)
    services.medicine.add_reading(
        session, ReadingFields(DOSE_AT - timedelta(minutes=5), 128, 82, 76, 98, pre_dose=True)
    )
    services.medicine.save(session, DoseFields(dose_mg=100, given_at=DOSE_AT))
    for minutes in (40, 110):
        services.medicine.add_reading(
            session, ReadingFields(DOSE_AT + timedelta(minutes=minutes), 132, 84, 80, 98)
        )
    event = services.medicine.add_event(
        session,
        EventFields(
            "nausea_vomiting",
            DOSE_AT + timedelta(minutes=25),
            "moderate",
            "resolved",
            action="Ondansetron offered",
            medication_given="Ondansetron 4 mg ODT",
        ),
    )
    with pytest.raises(ValidationError, match="describe"):
        services.medicine.add_event(session, EventFields("other", DOSE_AT, "mild", "resolved"))
    leaving = DoseFields(
        dose_mg=100,
        given_at=DOSE_AT,
        discharge_alert=True,
        discharge_vitals_in_range=True,
        discharged_at=DOSE_AT + timedelta(hours=2),
    )
    with pytest.raises(ValidationError, match=r"not ready for discharge \(No escort present"):
        services.medicine.save(session, leaving)
    record = services.medicine.save(
        session, replace(leaving, early_discharge_reason="Partner arriving at the door")
    )
    assert record.events[0].id == event.id
    assert record.discharge_problems == (
        "No escort present: the client must not drive or travel home alone",
    )
    assert record.early_discharge_reason == "Partner arriving at the door"
    assert [e.action for e in services.recent_audit(3)].count("early_discharge") == 1
    services.medicine.remove_event(event.id)
    assert services.medicine.get(session).events == ()  # type: ignore[union-attr]


def test_lay_out_a_program_from_a_template_and_tally_it(services: Services) -> None:
    client = _client(services)
    program = services.programs.create(
        client,
        ProgramFields(kind=ProgramKind.INTENSIVE, title="Intensive", start_date=date(2026, 6, 1)),
    )
    templates = services.course.templates()
    assert [t.template.kind for t in templates] == ["intensive", "weekly"]
    assert len(services.course.templates()) == 2  # seeded once
    first = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
    sessions = services.course.lay_out(program.id, templates[0].id, first)
    steps = templates[0].template.steps
    assert len(sessions) == len(steps) == 16
    assert [s.kind.value for s in sessions].count("medicine") == 6
    assert all(s.attendance is SessionAttendance.PLANNED for s in sessions)
    with pytest.raises(ValidationError, match="already has planned"):
        services.course.lay_out(program.id, templates[0].id, first)
    moved = services.course.move(sessions[0].id, date(2026, 6, 2))
    assert moved.starts_at.astimezone().date() == date(2026, 6, 2)
    assert moved.starts_at.astimezone().time() == first.astimezone().time()
    services.sessions.set_attendance(sessions[0].id, SessionAttendance.DONE)
    services.sessions.set_attendance(sessions[1].id, SessionAttendance.MISSED)
    entries = services.course.program_sessions(program.id)
    tally = services.course.tally(entries)
    assert (tally.done, tally.planned, tally.missed) == (1, 14, 1)
    assert tally.summary == "1 done, 14 planned, 1 missed"
    assert services.programs.get(program.id).end_date is not None


def test_timeline_names_the_approaches_of_each_session(services: Services) -> None:
    from console.services.art import ArtFields

    client = _client(services)
    medicine = _medicine_session(services, client)
    integration = services.sessions.create(
        client, SessionFields(starts_at=DOSE_AT + timedelta(days=1), kind=SessionKind.INTEGRATION)
    ).id
    services.art.save(integration, ArtFields(scene_title="x"))
    entries = services.course.timeline(client)
    assert [e.session.id for e in entries] == [medicine, integration]
    assert entries[0].modalities == ("medicine",) and entries[1].modalities == ("art",)


def test_templates_are_checked_and_editable(services: Services) -> None:
    with pytest.raises(ValidationError, match="Template name"):
        services.course.save_template(cc.Template(" ", "weekly", (cc.Step(0, "preparation"),)))
    with pytest.raises(ValidationError, match="Step 1"):
        services.course.save_template(cc.Template("X", "weekly", (cc.Step(-1, "preparation"),)))
    with pytest.raises(ValidationError, match="Step 2"):
        services.course.save_template(
            cc.Template("X", "weekly", (cc.Step(0, "preparation"), cc.Step(3, "party")))
        )
    saved = services.course.save_template(
        cc.Template("Short", "other", (cc.Step(7, "medicine"), cc.Step(0, "preparation")))
    )
    assert [s.day for s in saved.template.steps] == [0, 7]
    names = [t.name for t in services.course.templates()]
    assert "Short" in names and len(names) == 3
    services.course.remove_template(saved.id)
    assert "Short" not in [t.name for t in services.course.templates()]


def test_new_sessions_in_the_future_are_planned(services: Services) -> None:
    client = _client(services)
    future = services.sessions.create(
        client,
        SessionFields(starts_at=datetime.now(UTC) + timedelta(days=3), kind=SessionKind.IFS),
    )
    past = services.sessions.create(
        client,
        SessionFields(starts_at=datetime.now(UTC) - timedelta(days=3), kind=SessionKind.IFS),
    )
    assert future.attendance is SessionAttendance.PLANNED
    assert past.attendance is SessionAttendance.DONE


def test_demo_caseload_has_a_screened_client_with_medicine_sessions(services: Services) -> None:
    from console.demo import build_demo

    build_demo(services)
    alex = next(x.id for x in services.clients.list() if x.preferred_name == "Alex")
    assert services.screening.get(alex).state.cleared
    records = services.medicine.for_client(alex)
    assert len(records) == 2
    assert [r.mg_per_kg for r in records] == [2.56, 3.21]
    assert all(len(r.readings) == 8 and r.discharge_problems == () for r in records)
    assert sum(len(r.events) for r in records) == 1
    assert any(f.level == "alert" for f in records[0].flagged)
    timeline = services.course.timeline(alex)
    assert sum("medicine" in e.modalities for e in timeline) == 2
    waited = records[1]
    assert waited.ready_to_leave_at == waited.discharged_at  # left when the 2 h were up
    assert waited.readiness(waited.discharged_at).ready  # type: ignore[arg-type]
    assert {r.sedation for r in waited.readings if not r.pre_dose} == {4, 5}
    noor = next(x.id for x in services.clients.list() if x.preferred_name == "نور")
    state = services.screening.get(noor).state
    assert state.needs_review and len(state.review) == 4  # baseline, 2 medications, consent


def test_calendar_grid_covers_whole_weeks_and_sessions_moved_outside() -> None:
    grid = cc.calendar_grid(date(2026, 6, 3), date(2026, 6, 16), [date(2026, 6, 22)])
    assert grid.mondays[0] == date(2026, 6, 1) and grid.mondays[-1] == date(2026, 6, 22)
    assert len(grid.mondays) == 4
    assert grid.in_course(date(2026, 6, 3)) and not grid.in_course(date(2026, 6, 2))
    assert not grid.in_course(date(2026, 6, 22))
    open_ended = cc.calendar_grid(date(2026, 6, 3), None, [])
    assert open_ended.mondays == (date(2026, 6, 1),) and open_ended.end == date(2026, 6, 3)
