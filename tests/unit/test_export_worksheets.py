"""EMDR, ART and imagery-rescripting worksheets in the PDF records, read back with pypdf."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from console.demo import build_demo
from console.export.service import ExportService
from console.export.worksheet_sections import PRIVATE_SCENE
from console.services.art import ArtFields
from console.services.bundle import Services
from console.services.clients import ClientRecord
from console.services.sessions import SessionFields
from models import SessionKind
from tests.pdf_text import flat

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


def has_word(text: str, word: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text) is not None


@pytest.fixture
def export(vault, services: Services) -> ExportService:  # type: ignore[no-untyped-def]
    build_demo(services)
    return ExportService(vault, services, tz=UTC)


def _client(services: Services, first_name: str) -> ClientRecord:
    return next(c for c in services.clients.list(status=None) if c.name.startswith(first_name))


def _first(services: Services, client: ClientRecord, kind: SessionKind):  # type: ignore[no-untyped-def]
    return next(s for s in services.sessions.list_for_client(client.id) if s.kind is kind)


def test_alex_chart_prints_the_emdr_worksheet_and_his_targets(
    services: Services, export: ExportService
) -> None:
    alex = _client(services, "Alex")
    text = flat(export.client_chart(alex.id))

    for heading in ("EMDR targets", "SUD history", "Phases done", "Preparation", "Containment"):
        assert heading in text
    assert "Crowded train, March 2024" in text
    assert "NC: I am in danger" in text and "PC: I can handle it" in text
    assert "Negative cognition I am in danger" in text
    assert "Tight chest, throat" in text and "Fear, panic" in text
    assert "Assessment, Desensitisation, Installation, Body scan" in text
    assert "✓ Stop signal agreed" in text
    assert "Calm place (the lake), then the container" in text
    assert "SUD 0 · VOC 6" in text
    assert "clear" in text and "Re-evaluate the train memory" in text
    assert "Session closure" in text  # the closure SUD in the target's history
    # the plan comes before the sessions, the EMDR section inside its session
    assert text.index("EMDR targets") < text.index("Negative cognition")
    # his integration session combined ART and imagery rescripting
    assert has_word(text, "ART") and "Imagery rescripting" in text
    assert "The doors open onto the platform and I step out into fresh air" in text
    assert "Adult Alex opens the door" in text


def test_noor_art_session_record_prints_a_private_scene_by_title(
    services: Services, export: ExportService
) -> None:
    noor = _client(services, "Noor")
    session = _first(services, noor, SessionKind.ART)
    text = flat(export.session_record(session.id))

    assert has_word(text, "ART")
    assert "The night at the station (private)" in text
    assert "7 → 1" in text
    assert "Sets used" in text
    assert "I see myself walking out into the sunshine" in text
    assert PRIVATE_SCENE in text
    assert not has_word(text, "EMDR targets") and "Imagery rescripting" not in text


def test_a_private_scene_prints_no_step_notes_and_an_open_one_prints_them(
    services: Services, export: ExportService
) -> None:
    noor = _client(services, "Noor")
    session = services.sessions.create(
        noor.id,
        SessionFields(starts_at=datetime(2026, 3, 12, 10, tzinfo=UTC), kind=SessionKind.ART),
    )
    fields = ArtFields(
        scene_title="The lift",
        scene_private=True,
        sud_before=6,
        first_pass="Doors jam between floors; the light flickers",
        body_scan="Shoulders loose",
        replacement="The doors open onto the garden",
    )
    services.art.save(session.id, fields)
    private = flat(export.session_record(session.id))
    assert "The lift (private)" in private
    assert "The doors open onto the garden" in private
    assert "Doors jam between floors" not in private
    assert "Shoulders loose" not in private and "First pass" not in private

    services.art.save(session.id, ArtFields(**{**fields.__dict__, "scene_private": False}))
    shown = flat(export.session_record(session.id))
    assert "(private)" not in shown and PRIVATE_SCENE not in shown
    assert "Step 3 · First pass Doors jam between floors; the light flickers" in shown
    assert "Shoulders loose" in shown


def test_zoe_chart_prints_the_rescripting_worksheet(
    services: Services, export: ExportService
) -> None:
    zoe = _client(services, "Zoë")
    text = flat(export.client_chart(zoe.id))

    assert "Imagery rescripting" in text
    for value in (
        "Age 8, waiting alone after school as it got dark",
        "The last car leaving the car park",
        "Fear, abandonment",
        "Safety, someone to come",
        "Therapist (early sessions)",
        "The therapist arrives, sits with her and walks her home.",
        "I was a child who deserved to be looked after",
        "8 → 3 (0–10)",
    ):
        assert value in text
    assert "EMDR targets" not in text and not has_word(text, "ART")


def test_a_session_without_worksheets_prints_none_of_them(
    services: Services, export: ExportService
) -> None:
    alex = _client(services, "Alex")
    session = _first(services, alex, SessionKind.INTAKE)
    text = flat(export.session_record(session.id))

    # the intake note itself mentions "EMDR preparation": look for the sections' own labels
    assert not has_word(text, "ART") and "EMDR targets" not in text
    for label in ("Imagery rescripting", "Phases done", "Re-evaluation SUD", "Sets used"):
        assert label not in text
    assert "Who rescripts" not in text and "Replacement image" not in text


def test_render_a_worksheet_page_for_review(services: Services, export: ExportService) -> None:
    """A PNG of the EMDR session record in tests/artifacts/, to look at by eye."""
    alex = _client(services, "Alex")
    session = _first(services, alex, SessionKind.EMDR)
    pdf = export.session_record(session.id)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "worksheets-session.pdf").write_bytes(pdf)
    (ARTIFACTS / "worksheets-chart.pdf").write_bytes(export.client_chart(alex.id))
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm is not installed")
    for name in ("worksheets-session", "worksheets-chart"):
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", str(ARTIFACTS / f"{name}.pdf"), str(ARTIFACTS / name)],
            check=True,
        )
    assert (ARTIFACTS / "worksheets-session-1.png").exists()
