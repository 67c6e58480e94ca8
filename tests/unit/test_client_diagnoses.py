"""Several coded diagnoses per client: checked row by row, saved whole or not at all, carried
over from the one code a vault had before, printed on the session record and the chart."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from console.errors import ValidationError
from console.services.bundle import Services
from console.services.clients import ClientFields, DiagnosisFields
from console.services.sessions import SessionFields
from console.vault import Vault
from models import SessionKind
from tests.conftest import PASSPHRASE, TEST_KDF
from tests.pdf_text import flat

GAD = DiagnosisFields("F41.1", "Generalised anxiety disorder", primary=True)
PTSD = DiagnosisFields("F43.10", "Post-traumatic stress disorder")
CLIENT = ClientFields(name="Wren Haldane", diagnoses=(GAD, PTSD))


def _rows(services: Services, client_id: uuid.UUID) -> list[tuple[int, str, str, bool]]:
    """The stored rows themselves, not the record made from them."""
    with services.clients.unit() as db:
        found = db.execute(
            text(
                "select position, code, label, is_primary from client_diagnoses "
                "where client_id = :id order by position"
            ),
            {"id": client_id.hex},
        )
        return [(r[0], r[1], r[2], bool(r[3])) for r in found]


def _events(services: Services) -> int:
    return services.recent_audit(1)[0].seq


# -- the service -------------------------------------------------------------------


def test_two_codes_are_two_rows_primary_first(services: Services) -> None:
    client = services.clients.create(replace(CLIENT, diagnoses=(PTSD, GAD)))

    assert client.diagnoses == (GAD, PTSD)
    assert services.clients.get(client.id).diagnoses == (GAD, PTSD)
    assert _rows(services, client.id) == [
        (0, "F41.1", "Generalised anxiety disorder", True),
        (1, "F43.10", "Post-traumatic stress disorder", False),
    ]


def test_codes_are_tidied_and_the_first_row_is_primary_when_none_is(services: Services) -> None:
    client = services.clients.create(
        ClientFields(
            name="Tidy Codes",
            diagnoses=(
                DiagnosisFields(" f41.1 ", "  Generalised anxiety disorder "),
                DiagnosisFields("f43. 10", "Post-traumatic stress disorder"),
                DiagnosisFields("", "Insomnia, not yet coded"),
            ),
        )
    )
    assert client.diagnoses == (
        GAD,
        PTSD,
        DiagnosisFields("", "Insomnia, not yet coded"),
    )


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            (GAD, DiagnosisFields("F41,1", "Comma for a point")),
            "Diagnosis 2: “F41,1” is not an ICD-10 code (for example F41.1)",
        ),
        (
            (DiagnosisFields("F41.1, F43.10", "Both in one"),),
            "Diagnosis 1: “F41.1, F43.10” holds 2 codes; give each its own row",
        ),
        (
            (GAD, PTSD, DiagnosisFields("", "")),
            "Diagnosis 3: give an ICD-10 code or a label (or remove the row)",
        ),
        (
            (GAD, replace(PTSD, primary=True)),
            "Diagnosis 2: only one diagnosis can be primary, and diagnosis 1 already is",
        ),
        (
            (GAD, PTSD, DiagnosisFields("f41.1", "Again, lower case")),
            "Diagnosis 3: F41.1 is already diagnosis 1",
        ),
        (
            (GAD, DiagnosisFields("F43.10", "Two\nlines")),
            "Diagnosis 2: the label must be on one line",
        ),
        (
            (DiagnosisFields("F4\x001"),),
            "Diagnosis 1: the code contains a NUL character",
        ),
    ],
)
def test_a_bad_row_is_refused_by_its_number_and_nothing_is_saved(
    services: Services, rows: tuple[DiagnosisFields, ...], message: str
) -> None:
    kept = services.clients.create(replace(CLIENT, name="Kept As It Was"))
    before = (len(services.clients.list(status=None)), _events(services))

    with pytest.raises(ValidationError) as refused:
        services.clients.create(replace(CLIENT, name="Never Saved", diagnoses=rows))
    assert refused.value.field == "diagnoses"
    assert refused.value.reason == message
    with pytest.raises(ValidationError) as refused:
        services.clients.update(kept.id, replace(CLIENT, name="Renamed", diagnoses=rows))
    assert refused.value.reason == message

    assert (len(services.clients.list(status=None)), _events(services)) == before
    assert services.clients.get(kept.id).name == "Kept As It Was"
    assert _rows(services, kept.id) == [
        (0, "F41.1", "Generalised anxiety disorder", True),
        (1, "F43.10", "Post-traumatic stress disorder", False),
    ]


def test_not_a_list_of_diagnoses_is_refused(services: Services) -> None:
    with pytest.raises(ValidationError) as refused:
        services.clients.create(ClientFields(name="Text", diagnoses="F41.1"))  # type: ignore[arg-type]
    assert refused.value.field == "diagnoses"


def test_a_save_replaces_every_row_and_audits_the_field_not_the_text(services: Services) -> None:
    client = services.clients.create(CLIENT)
    phobia = DiagnosisFields("F40.10", "Social anxiety disorder", primary=True)

    services.clients.update(client.id, replace(CLIENT, diagnoses=(phobia,)))

    assert services.clients.get(client.id).diagnoses == (phobia,)
    assert _rows(services, client.id) == [(0, "F40.10", "Social anxiety disorder", True)]
    event = services.recent_audit(1)[0]
    assert (event.action, event.entity_id, event.detail) == (
        "update",
        str(client.id),
        "fields: diagnoses",
    )

    services.clients.update(client.id, replace(CLIENT, diagnoses=(phobia,), phone="0123"))
    assert services.recent_audit(1)[0].detail == "fields: phone"

    services.clients.update(client.id, replace(CLIENT, diagnoses=()))
    assert services.clients.get(client.id).diagnoses == ()
    assert _rows(services, client.id) == []


def test_search_finds_a_client_by_code_and_by_label(services: Services) -> None:
    client = services.clients.create(CLIENT)
    services.clients.create(ClientFields(name="Someone Else"))

    for query in ("F43.10", "traumatic"):
        assert [h.record_id for h in services.search.search(query)] == [str(client.id)], query

    services.clients.update(client.id, replace(CLIENT, diagnoses=(GAD,)))
    assert services.search.search("traumatic") == []


# -- the upgrade from one code --------------------------------------------------


def test_a_vault_with_one_code_per_client_upgrades_to_one_primary_row(tmp_path: Path) -> None:
    from console.vault.database import make_engine
    from tests import legacy_vault

    older = legacy_vault.migrations_up_to(tmp_path, "0011")
    directory = tmp_path / "vault"
    names = ("Code And Text", "Text Only", "Code Only", "Neither")
    _, db_key = legacy_vault.build(directory, PASSPHRASE, TEST_KDF, older, clients=names)
    engine = make_engine(directory / "vault.db", db_key)
    old = {
        "Code And Text": ("F41.1", "Generalised anxiety disorder"),
        "Text Only": ("", "Panic disorder\n  with agoraphobia "),
        "Code Only": ("F40.10", ""),
        "Neither": ("", ""),
    }
    with engine.begin() as db:
        for name, (code, words) in old.items():
            db.execute(
                text("update clients set icd10_code = :code, diagnoses = :words where name = :n"),
                {"code": code, "words": words, "n": name},
            )
        client = db.execute(text("select id from clients where name = 'Code And Text'")).scalar()
        db.execute(
            text(
                "insert into sessions (id, client_id, starts_at, duration_min, kind, location, "
                "title, attendance, created_at, updated_at) values (:id, :client, :at, 50, "
                "'ifs', 'in_person', '', 'done', :at, :at)"
            ),
            {"id": uuid.uuid4().hex, "client": client, "at": datetime(2026, 11, 2, 10)},
        )
    engine.dispose()

    upgraded = Vault(directory)
    upgraded.unlock_with_passphrase(PASSPHRASE)
    try:
        services = Services(upgraded)
        found = {c.name: c.diagnoses for c in services.clients.list(status=None)}
        assert found == {
            "Code And Text": (GAD,),
            "Text Only": (DiagnosisFields("", "Panic disorder; with agoraphobia", primary=True),),
            "Code Only": (DiagnosisFields("F40.10", "", primary=True),),
            "Neither": (),
        }
        columns = {c["name"] for c in inspect(upgraded.engine).get_columns("clients")}
        assert "icd10_code" not in columns and "diagnoses" not in columns
        assert len(services.sessions.list_for_client(uuid.UUID(hex=client))) == 1
        assert services.verify().sound
        both = next(c for c in services.clients.list(status=None) if c.name == "Code And Text")
        services.clients.update(both.id, replace(both.fields(), diagnoses=(GAD, PTSD)))
        assert services.clients.get(both.id).diagnoses == (GAD, PTSD)
    finally:
        upgraded.lock()


# -- the printed records -------------------------------------------------------------


def test_session_record_and_chart_print_each_diagnosis_with_the_primary_marked(
    services: Services, export
) -> None:  # type: ignore[no-untyped-def]
    client = services.clients.create(replace(CLIENT, diagnoses=(PTSD, GAD)))
    session = services.sessions.create(
        client.id, SessionFields(datetime(2026, 3, 12, 10, tzinfo=UTC), SessionKind.INTEGRATION)
    )
    uncoded = services.clients.create(
        ClientFields(name="No Code Yet", diagnoses=(DiagnosisFields("", "Insomnia"),))
    )
    plain = services.clients.create(ClientFields(name="Nothing Recorded"))
    plain_session = services.sessions.create(
        plain.id, SessionFields(datetime(2026, 3, 12, 11, tzinfo=UTC), SessionKind.IFS)
    )

    record = flat(export.session_record(session.id))
    chart = flat(export.client_chart(client.id))
    for printed in (record, chart):
        assert "DIAGNOSES ICD-10 CODE DIAGNOSIS" in printed
        assert (
            "F41.1 Generalised anxiety disorder Primary "
            "F43.10 Post-traumatic stress disorder Secondary"
        ) in printed

    assert "— Insomnia Primary" in flat(export.client_chart(uncoded.id))
    assert "No diagnoses recorded." in flat(export.client_chart(plain.id))
    assert "DIAGNOSES" not in flat(export.session_record(plain_session.id))


def test_the_demo_caseload_has_a_client_with_two_diagnoses(services: Services) -> None:
    from console.demo import build_demo

    build_demo(services)
    by_name = {c.preferred_name: c for c in services.clients.list(status=None)}
    assert by_name["Zoë"].diagnoses == (GAD, PTSD)
    assert [len(c.diagnoses) for name, c in by_name.items() if name != "Zoë"] == [1, 1, 1]
    intake = next(
        s
        for s in services.sessions.list_for_client(by_name["Zoë"].id)
        if s.kind is SessionKind.INTAKE
    )
    (note,) = services.notes.list_for_session(intake.id)
    assert note.sections["formulation"] == (
        "Generalised anxiety disorder (F41.1); Post-traumatic stress disorder (F43.10)."
    )
