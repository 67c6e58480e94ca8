"""What was done about a PHQ-9 item 9 flag: recorded with who and when, refused when empty,
audited without its content, printed on the chart, kept across the schema upgrade.
"""

from __future__ import annotations

import shutil
import subprocess
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from console.clinical import measures as m
from console.demo import build_demo
from console.errors import ValidationError
from console.export import formatting as fmt
from console.export.service import ExportService
from console.services.bundle import Services
from console.services.clients import ClientFields
from console.services.measures import MeasureRecord
from tests.conftest import PASSPHRASE, TEST_KDF
from tests.pdf_text import flat

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
NOW = datetime.now(UTC)  # the past the records are set in; "the future" is read when asked
ITEM9 = [1, 1, 1, 1, 1, 1, 1, 1, 1]
ASSESSMENT = "No plan or intent; partner at home tonight. Safety plan reviewed."


@pytest.fixture
def client_id(services: Services) -> uuid.UUID:
    return services.clients.create(ClientFields(name="Risk Test")).id


def flagged(services: Services, client_id: uuid.UUID, hours_ago: int = 2) -> MeasureRecord:
    return services.measures.record(
        client_id, "phq9", ITEM9, None, NOW - timedelta(hours=hours_ago)
    )


def test_a_flag_is_open_until_an_assessment_is_recorded(
    services: Services, client_id: uuid.UUID
) -> None:
    record = flagged(services, client_id)
    assert record.risk_open and record.risk == ()
    at = NOW - timedelta(hours=1)
    done = services.measures.address_risk(
        record.id, "assessment", "  Dr Sam Ortiz ", at, f"  {ASSESSMENT}\n"
    )
    assert not done.risk_open
    [risk] = done.risk
    assert (risk.method, risk.method_label) == ("assessment", "Risk assessment")
    assert (risk.text, risk.assessed_by, risk.assessed_at) == (ASSESSMENT, "Dr Sam Ortiz", at)
    assert risk.recorded_by == "Dr Ada Test" and risk.safety_plan == ""
    assert services.measures.get(record.id) == done
    assert services.measures.list_for_client(client_id) == [done]


def test_a_follow_up_is_kept_beside_the_first_in_time_order(
    services: Services, client_id: uuid.UUID
) -> None:
    record = flagged(services, client_id, hours_ago=5)
    later, earlier = NOW - timedelta(hours=1), NOW - timedelta(hours=4)
    services.measures.address_risk(record.id, "assessment", "Dr A", later, "Follow-up call.")
    both = services.measures.address_risk(record.id, "assessment", "Dr A", earlier, ASSESSMENT)
    assert [r.assessed_at for r in both.risk] == [earlier, later]


def test_the_safety_plan_is_linked_by_its_document(
    services: Services, client_id: uuid.UUID
) -> None:
    record = flagged(services, client_id)
    plan = "/srv/clinic/safety-plan.pdf"
    done = services.measures.address_risk(
        record.id, "safety_plan", "Dr A", NOW - timedelta(minutes=5), safety_plan=plan
    )
    [risk] = done.risk
    assert (risk.method, risk.safety_plan, risk.text) == ("safety_plan", plan, "")


@pytest.mark.parametrize(
    ("method", "by", "minutes", "text", "plan", "field", "reason"),
    [
        ("assessment", "Dr A", -5, "  \n ", "", "Risk assessment", "write what you assessed"),
        ("assessment", "", -5, ASSESSMENT, "", "Assessed by", "is required"),
        ("assessment", "Dr A\nB", -5, ASSESSMENT, "", "Assessed by", "one line"),
        ("assessment", "Dr A", 30, ASSESSMENT, "", "Assessed at", "future"),
        ("assessment", "Dr A", -600, ASSESSMENT, "", "Assessed at", "before the measure"),
        ("safety_plan", "Dr A", -5, "", " ", "Safety plan", "no safety-plan document"),
        ("phone call", "Dr A", -5, ASSESSMENT, "", "Method", "risk assessment or"),
    ],
)
def test_refusals_save_nothing(
    services: Services,
    client_id: uuid.UUID,
    method: str,
    by: str,
    minutes: int,
    text: str,
    plan: str,
    field: str,
    reason: str,
) -> None:
    record = flagged(services, client_id)
    before = services.recent_audit()[0].seq
    with pytest.raises(ValidationError) as refused:
        services.measures.address_risk(
            record.id,
            method,  # type: ignore[arg-type]
            by,
            (datetime.now(UTC) if minutes > 0 else NOW) + timedelta(minutes=minutes),
            text,
            plan,
        )
    assert refused.value.field == field and reason in refused.value.reason
    assert services.measures.get(record.id).risk == ()
    assert services.recent_audit()[0].seq == before


def test_an_assessment_in_the_minute_the_measure_was_saved_is_accepted(
    services: Services, client_id: uuid.UUID
) -> None:
    """The time field shows minutes: 14:05 typed for a measure saved at 14:05:40 is fine."""
    answered = (NOW - timedelta(hours=1)).replace(second=40)
    record = services.measures.record(client_id, "phq9", ITEM9, None, answered)
    typed = answered.replace(second=0, microsecond=0)
    assert not services.measures.address_risk(
        record.id, "assessment", "Dr A", typed, ASSESSMENT
    ).risk_open


def test_only_a_flagged_live_measure_takes_an_assessment(
    services: Services, client_id: uuid.UUID
) -> None:
    calm = services.measures.record(client_id, "phq9", [1] * 8 + [0], None, NOW)
    with pytest.raises(ValidationError, match="no risk flag"):
        services.measures.address_risk(calm.id, "assessment", "Dr A", NOW, ASSESSMENT)
    wrong = flagged(services, client_id)
    services.measures.void(wrong.id, "entered for the wrong client")
    assert not services.measures.get(wrong.id).risk_open
    with pytest.raises(ValidationError, match="voided"):
        services.measures.address_risk(wrong.id, "assessment", "Dr A", NOW, ASSESSMENT)


def test_the_audit_names_the_method_never_the_content(
    services: Services, client_id: uuid.UUID
) -> None:
    record = flagged(services, client_id)
    done = services.measures.address_risk(
        record.id, "assessment", "Dr Sam Ortiz", NOW - timedelta(minutes=1), ASSESSMENT
    )
    event = services.recent_audit()[0]
    assert (event.action, event.entity_kind, event.entity_id) == (
        "create",
        "risk_assessment",
        str(done.risk[0].id),
    )
    assert event.detail == f"measure {record.id}, assessment"
    assert event.actor == "Dr Ada Test"
    assert services.verify().sound


def test_the_item9_rule() -> None:
    assert m.needs_risk_response((m.SELF_HARM_FLAG,))
    assert not m.needs_risk_response(())
    assert m.answer_label("phq9", 9, 2) == "More than half the days (2)"
    assert m.answer_label("phq9", 9, None) == "not answered"


# -- the chart PDF ----------------------------------------------------------------------


@pytest.fixture
def export(vault, services) -> ExportService:  # type: ignore[no-untyped-def]
    build_demo(services, today=date(2026, 11, 20))
    return ExportService(vault, services, tz=UTC)


def test_the_demo_shows_an_addressed_flag_on_the_chart(services, export) -> None:  # type: ignore[no-untyped-def]
    alex = services.clients.find("Alex Rivera")[0]
    [record] = [r for r in services.measures.list_for_client(alex.id) if r.flags]
    assert not record.risk_open and record.risk[0].method == "assessment"
    risk = record.risk[0]

    text = flat(export.client_chart(alex.id))

    day = fmt.day(record.answered_at.date())
    assert f"PHQ-9 item 9 above 0 on {day}: addressed" in text
    assert f"Risk assessment by {risk.assessed_by}, {fmt.moment(risk.assessed_at, UTC)}" in text
    assert "no plan, no intent, no past attempts" in text
    assert "item 9 above 0, addressed" in text
    assert "not addressed" not in text


def test_an_open_flag_prints_red_and_a_linked_plan_prints_its_document(
    services,
    export,  # type: ignore[no-untyped-def]
) -> None:
    alex = services.clients.find("Alex Rivera")[0]
    open_flag = services.measures.record(alex.id, "phq9", ITEM9, None, NOW - timedelta(days=3))
    planned = services.measures.record(alex.id, "phq9", ITEM9, None, NOW - timedelta(days=2))
    services.measures.address_risk(
        planned.id,
        "safety_plan",
        "Dr Lee Park",
        NOW - timedelta(days=2) + timedelta(minutes=20),
        "Called his partner with him.",
        "https://clinic.example/safety-plan.pdf",
    )

    pdf = export.client_chart(alex.id)
    text = flat(pdf)

    open_day = fmt.day(open_flag.answered_at.date())
    assert f"PHQ-9 item 9 above 0 on {open_day}: not addressed" in text
    assert "no risk assessment or safety plan is recorded for this answer" in text
    assert "item 9 above 0, not addressed" in text
    assert "(recorded by Dr Ada Test)" in text
    assert "Safety plan linked by Dr Lee Park" in text
    assert "Document: https://clinic.example/safety-plan.pdf. Note: Called his partner" in text
    _render_for_a_look(pdf, "risk-chart")


def _render_for_a_look(pdf: bytes, name: str) -> None:
    """The measures pages as PNG in tests/artifacts (gitignored), to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / f"{name}.pdf"
    target.write_bytes(pdf)
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        return
    for old in ARTIFACTS.glob(f"{name}-*.png"):
        old.unlink()
    subprocess.run(
        [pdftoppm, "-png", "-r", "60", str(target), str(ARTIFACTS / name)],
        check=True,
        timeout=60,
    )


# -- the schema upgrade -----------------------------------------------------------------


def test_a_flag_from_before_the_upgrade_is_open_afterwards(tmp_path: Path) -> None:
    """Migration 0010 on a vault at 0009 with a flagged PHQ-9: it arrives unaddressed."""
    from sqlalchemy import inspect, text

    from console.vault import Vault
    from console.vault.database import make_engine
    from tests import legacy_vault

    older = legacy_vault.migrations_up_to(tmp_path, "0009")
    directory = tmp_path / "vault"
    _, db_key = legacy_vault.build(directory, PASSPHRASE, TEST_KDF, older, clients=("Before",))
    engine = make_engine(directory / "vault.db", db_key)
    assert "risk_assessments" not in inspect(engine).get_table_names()
    with engine.begin() as db:
        client = db.execute(text("select id from clients")).scalar_one()
        stamp = (NOW - timedelta(days=1)).replace(tzinfo=None)
        db.execute(
            text(
                "insert into measure_responses (id, client_id, measure, answered_at, answers, "
                "total, complete, entered_by, voided, void_reason, flags, created_at, "
                "updated_at) values (:id, :client, 'phq9', :at, '[1,1,1,1,1,1,1,1,1]', 9, 1, "
                "'client', 0, '', :flag, :at, :at)"
            ),
            {"id": uuid.uuid4().hex, "client": client, "at": stamp, "flag": m.SELF_HARM_FLAG},
        )
    engine.dispose()
    upgraded = Vault(directory)
    upgraded.unlock_with_passphrase(PASSPHRASE)
    try:
        services = Services(upgraded)
        [client_record] = services.clients.find("Before")
        [record] = services.measures.list_for_client(client_record.id)
        assert record.risk_open
        done = services.measures.address_risk(
            record.id, "assessment", "Dr Legacy", NOW - timedelta(hours=1), ASSESSMENT
        )
        assert not done.risk_open and services.verify().sound
    finally:
        upgraded.lock()
