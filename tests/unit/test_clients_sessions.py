"""Clients, programs and sessions: typed refusals, nothing half-saved (docs/security.md 18)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from console.errors import NotFoundError, ValidationError
from console.services.bundle import Services
from console.services.clients import ClientFields, DiagnosisFields
from console.services.programs import ProgramFields
from console.services.sessions import SessionFields
from console.vault import Vault
from models import ClientStatus, NoteTemplate, ProgramKind, SessionKind, SessionLocation
from tests.conftest import PASSPHRASE, TEST_KDF

FIND_NAMES = [
    "Ψυχή Παπαδοπούλου",
    "Иван Петров",
    "שרה כהן",
    "فاطمة الزهراء",
    "Jörg Straße",
    "田中 花子",
]

GOOD = ClientFields(
    name="Amara Osei",
    preferred_name="Ama",
    date_of_birth=date(1987, 4, 12),
    phone="+44 (0)20 7946-0958",
    email="amara.osei@example.org",
    address="12 Rue des Fleurs\n75001 Paris",
    emergency_contact_name="Kofi Osei",
    emergency_contact_phone="020 7946 0000",
    presenting_concerns="Panic on the underground",
    diagnoses=(DiagnosisFields("F41.0", "Panic disorder", primary=True),),
    anxiety_somatic=True,
    treatment_history="CBT in 2019",
)


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    """One vault for the many refusal cases (each checks that nothing changed) and finds."""
    vault, _ = Vault.create(
        tmp_path_factory.mktemp("shared") / "vault", PASSPHRASE, "Dr Ada Test", kdf=TEST_KDF
    )
    services = Services(vault)
    for name in FIND_NAMES:
        services.clients.create(ClientFields(name=name))
    services.clients.create(ClientFields(name="Kim Lee", preferred_name="Sunny"))
    yield services
    vault.lock()


@pytest.fixture(scope="module")
def shared_client(shared: Services) -> uuid.UUID:
    return shared.clients.create(replace(GOOD, name="Shared Client")).id


def _counts(services) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """Clients of any status, and audit events: both must not move on a refusal."""
    return len(services.clients.list(status=None)), services.recent_audit(1)[0].seq


# -- clients ------------------------------------------------------------------


def test_create_and_read_back_every_field(services) -> None:
    created = services.clients.create(GOOD)
    again = services.clients.get(created.id)
    assert again.fields() == GOOD
    assert again.status is ClientStatus.ACTIVE
    assert again.display_name == "Amara Osei “Ama”"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "   \t"}, "name"),
        ({"name": "Two\nLines"}, "name"),
        ({"name": "Nul\x00Byte"}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"preferred_name": "Nul\x00"}, "preferred_name"),
        ({"email": "not-an-email"}, "email"),
        ({"email": "two@@example.org"}, "email"),
        ({"email": "no spaces@example.org"}, "email"),
        ({"email": "missing@tld"}, "email"),
        ({"diagnoses": (DiagnosisFields("F4"),)}, "diagnoses"),
        ({"diagnoses": (DiagnosisFields("41.1"),)}, "diagnoses"),
        ({"diagnoses": (DiagnosisFields("FF1.1"),)}, "diagnoses"),
        ({"diagnoses": (DiagnosisFields("F41.12345"),)}, "diagnoses"),
        ({"diagnoses": (DiagnosisFields("F41-1"),)}, "diagnoses"),
        ({"diagnoses": (DiagnosisFields("panic"),)}, "diagnoses"),
        ({"date_of_birth": date.today() + timedelta(days=2)}, "date_of_birth"),
        ({"date_of_birth": date(1850, 1, 1)}, "date_of_birth"),
        ({"date_of_birth": datetime(1990, 1, 1, tzinfo=UTC)}, "date_of_birth"),
        ({"date_of_birth": "1990-01-01"}, "date_of_birth"),
        ({"phone": "call me maybe"}, "phone"),
        ({"address": "Main St\x00"}, "address"),
        ({"presenting_concerns": "a\x00b"}, "presenting_concerns"),
        ({"treatment_history": 42}, "treatment_history"),
        ({"anxiety_cognitive": "yes"}, "anxiety_cognitive"),
    ],
)
def test_invalid_client_is_refused_naming_the_field_and_nothing_saved(
    shared: Services, shared_client: uuid.UUID, change: dict[str, object], field: str
) -> None:
    before = _counts(shared)
    with pytest.raises(ValidationError) as err:
        shared.clients.create(replace(GOOD, **change))
    assert err.value.field == field
    assert field in str(err.value)
    with pytest.raises(ValidationError) as err:
        shared.clients.update(shared_client, replace(GOOD, **change))
    assert err.value.field == field
    assert _counts(shared) == before
    assert shared.clients.get(shared_client).fields() == replace(GOOD, name="Shared Client")


def test_invalid_update_leaves_the_client_as_it_was(services) -> None:
    client = services.clients.create(GOOD)
    before = _counts(services)
    with pytest.raises(ValidationError) as err:
        # A valid new name together with a bad email: neither may be written.
        services.clients.update(client.id, replace(GOOD, name="Renamed", email="bad@"))
    assert err.value.field == "email"
    assert services.clients.get(client.id).fields() == GOOD
    assert _counts(services) == before
    assert services.search.search("Renamed") == []


def test_values_are_tidied(services) -> None:
    client = services.clients.create(
        replace(
            GOOD,
            name="  Amara Osei  ",
            diagnoses=(DiagnosisFields(" f43.10 ", "PTSD"),),
            email=" a@example.org ",
        )
    )
    assert client.name == "Amara Osei"
    assert client.diagnoses == (DiagnosisFields("F43.10", "PTSD", primary=True),)
    assert client.email == "a@example.org"


def test_empty_optional_fields_are_fine(services) -> None:
    client = services.clients.create(ClientFields(name="Only A Name"))
    assert client.email == "" and client.diagnoses == () and client.date_of_birth is None


def test_unknown_client_is_not_found(services) -> None:
    with pytest.raises(NotFoundError):
        services.clients.get(uuid.uuid4())
    with pytest.raises(ValidationError) as err:
        services.clients.get("not-a-uuid")
    assert err.value.field == "client"


def test_archive_and_reactivate_move_between_lists(services) -> None:
    a = services.clients.create(ClientFields(name="Active Annie"))
    b = services.clients.create(ClientFields(name="Archived Arlo"))
    archived = services.clients.archive(b.id)
    assert archived.status is ClientStatus.ARCHIVED

    assert [c.id for c in services.clients.list()] == [a.id]
    assert [c.id for c in services.clients.list(status=ClientStatus.ARCHIVED)] == [b.id]
    assert {c.id for c in services.clients.list(status=None)} == {a.id, b.id}
    assert [c.id for c in services.clients.find("arlo")] == [b.id]  # find sees archived too

    services.clients.reactivate(b.id)
    assert {c.id for c in services.clients.list()} == {a.id, b.id}
    assert services.clients.list(status=ClientStatus.ARCHIVED) == []


def test_list_sorts_by_name_created_and_updated(services) -> None:
    names = ["charlie Moss", "Alice Stone", "bob Reed"]
    made = [services.clients.create(ClientFields(name=n)) for n in names]

    assert [c.name for c in services.clients.list()] == ["Alice Stone", "bob Reed", "charlie Moss"]
    assert [c.id for c in services.clients.list(sort="created")] == [m.id for m in reversed(made)]
    services.clients.update(made[0].id, ClientFields(name="charlie Moss", phone="0123"))
    assert services.clients.list(sort="updated")[0].id == made[0].id


def test_accented_names_sort_among_the_others(services) -> None:
    for name in ["Zed Zimmer", "Élodie Marchand", "Adam Abbott", "Ångström Berg", "Dora Diaz"]:
        services.clients.create(ClientFields(name=name))
    first_letters = [c.name[0] for c in services.clients.list()]
    assert first_letters == ["A", "Å", "D", "É", "Z"]


@pytest.mark.parametrize(
    ("needle", "expected"),
    [
        ("υχ", "Ψυχή Παπαδοπούλου"),
        ("ΨΥΧΉ", "Ψυχή Παπαδοπούλου"),
        ("ИВАН", "Иван Петров"),
        ("כה", "שרה כהן"),
        ("فاط", "فاطمة الزهراء"),
        ("STRASSE", "Jörg Straße"),
        ("jörg", "Jörg Straße"),
        ("田中", "田中 花子"),
        ("sunny", "Kim Lee"),  # preferred name
        ("  lee ", "Kim Lee"),
    ],
)
def test_find_by_substring_in_any_script(shared: Services, needle: str, expected: str) -> None:
    assert [c.name for c in shared.clients.find(needle)] == [expected]
    assert shared.clients.find("nobody-has-this") == []


# -- programs -----------------------------------------------------------------


def test_program_with_goals(services) -> None:
    client = services.clients.create(GOOD)
    older = services.programs.create(
        client.id, ProgramFields(ProgramKind.WEEKLY, "Weekly EMDR", date(2024, 1, 8))
    )
    program = services.programs.create(
        client.id,
        ProgramFields(
            ProgramKind.INTENSIVE,
            "Three-day intensive",
            date(2024, 6, 3),
            date(2024, 6, 5),
            "Ketamine integration",
            goals=("Ride the underground alone", "Sleep through the night"),
        ),
    )
    assert [g.text for g in program.goals] == [
        "Ride the underground alone",
        "Sleep through the night",
    ]
    assert not any(g.achieved for g in program.goals)
    assert [p.id for p in services.programs.list_for_client(client.id)] == [program.id, older.id]

    done = services.programs.set_goal_achieved(program.goals[1].id, True)
    assert done.achieved
    updated = services.programs.update(
        program.id,
        ProgramFields(
            ProgramKind.INTENSIVE,
            "Three-day intensive",
            date(2024, 6, 3),
            date(2024, 6, 6),
            goals=("Ride the underground alone, twice", "Sleep through the night", "Fly"),
        ),
    )
    # Goals keep their ids (notes cite them) and gain the new one.
    assert [g.id for g in updated.goals[:2]] == [g.id for g in program.goals]
    assert [g.text for g in updated.goals] == [
        "Ride the underground alone, twice",
        "Sleep through the night",
        "Fly",
    ]
    assert updated.goals[1].achieved and updated.end_date == date(2024, 6, 6)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (ProgramFields(ProgramKind.WEEKLY, "P", date(2024, 5, 2), date(2024, 5, 1)), "end_date"),
        (ProgramFields(ProgramKind.WEEKLY, "", date(2024, 5, 2)), "title"),
        (ProgramFields(ProgramKind.WEEKLY, "P", None), "start_date"),  # type: ignore[arg-type]
        (ProgramFields(ProgramKind.WEEKLY, "P", date(1800, 1, 1)), "start_date"),
        (ProgramFields("monthly", "P", date(2024, 5, 2)), "kind"),  # type: ignore[arg-type]
        (ProgramFields(ProgramKind.WEEKLY, "P", date(2024, 5, 2), goals=("ok", " ")), "goals[2]"),
    ],
)
def test_invalid_program_is_refused(
    shared: Services, shared_client: uuid.UUID, data: ProgramFields, field: str
) -> None:
    with pytest.raises(ValidationError) as err:
        shared.programs.create(shared_client, data)
    assert err.value.field == field
    assert shared.programs.list_for_client(shared_client) == []


def test_update_with_end_before_start_keeps_program(services) -> None:
    client = services.clients.create(GOOD)
    fields = ProgramFields(ProgramKind.OTHER, "Course", date(2024, 3, 1), date(2024, 4, 1))
    program = services.programs.create(client.id, fields)
    with pytest.raises(ValidationError) as err:
        services.programs.update(program.id, replace(fields, end_date=date(2024, 2, 1)))
    assert err.value.field == "end_date"
    assert services.programs.get(program.id).end_date == date(2024, 4, 1)


# -- sessions -----------------------------------------------------------------


def _at(day: int, hour: int = 10) -> datetime:
    return datetime(2025, 3, day, hour, 0, tzinfo=UTC)


def test_sessions_listed_newest_first_with_note_counts(services) -> None:
    client = services.clients.create(GOOD)
    other = services.clients.create(ClientFields(name="Other Person"))
    first = services.sessions.create(client.id, SessionFields(_at(3), SessionKind.INTAKE))
    third = services.sessions.create(client.id, SessionFields(_at(17), SessionKind.EMDR))
    second = services.sessions.create(
        client.id,
        SessionFields(_at(10), SessionKind.ART, 90, SessionLocation.TELEHEALTH, title="ART 1"),
    )
    services.sessions.create(other.id, SessionFields(_at(12), SessionKind.IFS))
    for _ in range(2):
        services.notes.create(second.id, NoteTemplate.PROGRESS, {"note": "x"})
    services.notes.create(third.id, NoteTemplate.SOAP)

    listed = services.sessions.list_for_client(client.id)
    assert [s.id for s in listed] == [third.id, second.id, first.id]
    assert [s.note_count for s in listed] == [1, 2, 0]
    assert listed[1].duration_min == 90
    assert listed[1].location is SessionLocation.TELEHEALTH
    assert listed[1].title == "ART 1"


def test_reschedule_moves_the_session(services) -> None:
    client = services.clients.create(GOOD)
    early = services.sessions.create(client.id, SessionFields(_at(3), SessionKind.EMDR, 60))
    late = services.sessions.create(client.id, SessionFields(_at(10), SessionKind.EMDR))
    moved = services.sessions.reschedule(early.id, _at(20, 14), 75)
    assert moved.starts_at == _at(20, 14)
    assert moved.duration_min == 75
    assert moved.kind is SessionKind.EMDR
    assert [s.id for s in services.sessions.list_for_client(client.id)] == [early.id, late.id]
    kept = services.sessions.reschedule(late.id, _at(11))
    assert kept.duration_min == 50


def test_time_zones_are_kept_as_the_same_instant(services) -> None:
    client = services.clients.create(GOOD)
    local = datetime(2025, 7, 1, 9, 30, tzinfo=timezone(timedelta(hours=-7)))
    session = services.sessions.create(client.id, SessionFields(local, SessionKind.IFS))
    again = services.sessions.get(session.id)
    assert again.starts_at == local
    assert again.starts_at.utcoffset() == timedelta(0)


def test_session_with_program_of_another_client_is_refused(services) -> None:
    client = services.clients.create(GOOD)
    other = services.clients.create(ClientFields(name="Other Person"))
    theirs = services.programs.create(
        other.id, ProgramFields(ProgramKind.WEEKLY, "Theirs", date(2024, 1, 1))
    )
    mine = services.programs.create(
        client.id, ProgramFields(ProgramKind.WEEKLY, "Mine", date(2024, 1, 1))
    )
    with pytest.raises(ValidationError) as err:
        services.sessions.create(
            client.id, SessionFields(_at(3), SessionKind.EMDR, program_id=theirs.id)
        )
    assert err.value.field == "program"
    with pytest.raises(ValidationError):
        services.sessions.create(
            client.id, SessionFields(_at(3), SessionKind.EMDR, program_id=uuid.uuid4())
        )
    assert services.sessions.list_for_client(client.id) == []

    ok = services.sessions.create(
        client.id, SessionFields(_at(3), SessionKind.EMDR, program_id=mine.id)
    )
    with pytest.raises(ValidationError) as err:
        services.sessions.update(
            ok.id, SessionFields(_at(4), SessionKind.EMDR, program_id=theirs.id)
        )
    assert err.value.field == "program"
    assert services.sessions.get(ok.id).program_id == mine.id
    assert services.sessions.get(ok.id).starts_at == _at(3)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (SessionFields(datetime(2025, 3, 3, 10, 0), SessionKind.EMDR), "starts_at"),
        (SessionFields("2025-03-03T10:00Z", SessionKind.EMDR), "starts_at"),  # type: ignore[arg-type]
        (SessionFields(datetime(1800, 1, 1, tzinfo=UTC), SessionKind.EMDR), "starts_at"),
        (SessionFields(_at(3), SessionKind.EMDR, duration_min=4), "duration_min"),
        (SessionFields(_at(3), SessionKind.EMDR, duration_min=721), "duration_min"),
        (SessionFields(_at(3), SessionKind.EMDR, duration_min=0), "duration_min"),
        (SessionFields(_at(3), SessionKind.EMDR, duration_min=-50), "duration_min"),
        (SessionFields(_at(3), SessionKind.EMDR, duration_min=50.5), "duration_min"),  # type: ignore[arg-type]
        (SessionFields(_at(3), SessionKind.EMDR, duration_min=True), "duration_min"),
        (SessionFields(_at(3), "hypnosis"), "kind"),  # type: ignore[arg-type]
        (SessionFields(_at(3), SessionKind.EMDR, location="moon"), "location"),  # type: ignore[arg-type]
        (SessionFields(_at(3), SessionKind.EMDR, title="a\nb"), "title"),
    ],
)
def test_invalid_session_is_refused(
    shared: Services, shared_client: uuid.UUID, data: SessionFields, field: str
) -> None:
    before = shared.recent_audit(1)[0].seq
    with pytest.raises(ValidationError) as err:
        shared.sessions.create(shared_client, data)
    assert err.value.field == field
    assert shared.sessions.list_for_client(shared_client) == []
    assert shared.recent_audit(1)[0].seq == before


def test_duration_bounds_are_inclusive(services) -> None:
    client = services.clients.create(GOOD)
    for minutes in (5, 720):
        made = services.sessions.create(
            client.id, SessionFields(_at(3), SessionKind.MEDICINE, duration_min=minutes)
        )
        assert services.sessions.get(made.id).duration_min == minutes


def test_reschedule_to_naive_time_is_refused(services) -> None:
    client = services.clients.create(GOOD)
    session = services.sessions.create(client.id, SessionFields(_at(3), SessionKind.EMDR))
    with pytest.raises(ValidationError) as err:
        services.sessions.reschedule(session.id, datetime(2025, 3, 4, 10, 0))
    assert err.value.field == "starts_at"
    with pytest.raises(ValidationError) as err:
        services.sessions.reschedule(session.id, _at(4), 1000)
    assert err.value.field == "duration_min"
    assert services.sessions.get(session.id).starts_at == _at(3)


def test_session_for_unknown_client_is_not_found(services) -> None:
    with pytest.raises(NotFoundError):
        services.sessions.create(uuid.uuid4(), SessionFields(_at(3), SessionKind.EMDR))


def test_goals_can_be_removed_unless_a_note_cites_them(services) -> None:  # type: ignore[no-untyped-def]
    client = services.clients.create(ClientFields(name="Goal Keeper"))
    fields = ProgramFields(
        kind=ProgramKind.WEEKLY,
        title="Weekly",
        start_date=date(2026, 1, 5),
        goals=("Sleep through", "Ride the train", "Speak in meetings"),
    )
    program = services.programs.create(client.id, fields)
    session = services.sessions.create(
        client.id,
        SessionFields(
            starts_at=datetime(2026, 1, 6, 9, tzinfo=UTC),
            kind=SessionKind.EMDR,
            program_id=program.id,
        ),
    )
    note = services.notes.create(session.id, NoteTemplate.PROGRESS, {"note": "Worked on sleep"})
    services.notes.set_goals(note.id, [program.goals[0].id])

    shorter = services.programs.update(program.id, replace(fields, goals=fields.goals[:1]))
    assert [g.text for g in shorter.goals] == ["Sleep through"]
    assert shorter.goals[0].id == program.goals[0].id, "a kept goal keeps its id"

    with pytest.raises(ValidationError) as refused:
        services.programs.update(program.id, replace(fields, goals=()))
    assert refused.value.field == "goals"
    assert [g.text for g in services.programs.get(program.id).goals] == ["Sleep through"]
