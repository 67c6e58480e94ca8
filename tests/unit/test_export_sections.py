"""The set log and measures sections, read back from the demo's PDFs with pypdf.

The measures page is also rendered to tests/artifacts (gitignored) as a PNG to look at.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import UTC, date
from pathlib import Path
from typing import cast

import pypdf
import pytest

from console.clinical import measures as m
from console.demo import _DEMO_SETS, build_demo
from console.export import formatting as fmt
from console.export.sections import chart_sections, session_sections
from console.export.service import ExportService
from console.services.bundle import Services
from console.services.clients import ClientRecord
from models import SessionKind

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
STANDARD_14 = ("Helvetica", "Times", "Courier", "Symbol", "ZapfDingbats")
TODAY = date(2026, 11, 20)


def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def export(vault, services) -> ExportService:  # type: ignore[no-untyped-def]
    build_demo(services, today=TODAY)
    return ExportService(vault, services, tz=UTC)


def _alex(services: Services) -> ClientRecord:
    return services.clients.find("Alex Rivera")[0]


def test_sections_are_registered() -> None:
    from console.export.measures_section import measures
    from console.export.set_log_section import set_log

    assert set_log in session_sections()
    assert measures in chart_sections()


def test_emdr_session_record_prints_the_set_table(services, export) -> None:  # type: ignore[no-untyped-def]
    alex = _alex(services)
    emdr = next(s for s in services.sessions.list_for_client(alex.id) if s.kind is SessionKind.EMDR)
    sets = services.bls_sets.list_for_session(emdr.id)
    assert len(sets) == len(_DEMO_SETS)

    text = flat(" ".join(pages_text(export.session_record(emdr.id))))

    assert "Bilateral stimulation sets" in text
    for header in ("SPEED (HZ)", "PASSES", "ENDED BY", "SUD", "VOC", "WHAT CAME UP"):
        assert header in text
    for _sud, _voc, noticed in _DEMO_SETS:
        assert flat(noticed) in text
    assert "Tight chest, the carriage doors closing" in text
    assert "Timing" not in text, "the demo's sets kept time: no timing line"
    assert "horizontal" in text and "limit" in text
    # a row reads number, time, speed, path, sound, passes, ended by, SUD, VOC
    first = sets[0]
    row = f"1 {first.started_at.astimezone(UTC):%H:%M:%S} 1 horizontal off 24 limit 8"
    assert row in text
    assert "1 5 I can handle it now" in text  # SUD 1, VOC 5
    assert "0 6 Calm; the memory is just a memory" in text


def test_session_without_sets_prints_no_set_table(services, export) -> None:  # type: ignore[no-untyped-def]
    alex = _alex(services)
    intake = next(
        s for s in services.sessions.list_for_client(alex.id) if s.kind is SessionKind.INTAKE
    )
    assert "Bilateral stimulation sets" not in flat(
        " ".join(pages_text(export.session_record(intake.id)))
    )


def test_set_notes_are_escaped(services, export) -> None:  # type: ignore[no-untyped-def]
    alex = _alex(services)
    emdr = next(s for s in services.sessions.list_for_client(alex.id) if s.kind is SessionKind.EMDR)
    first = services.bls_sets.list_for_session(emdr.id)[0]
    services.bls_sets.annotate(first.id, 7, None, "<b>fear</b> & a <br/> train")

    text = flat(" ".join(pages_text(export.session_record(emdr.id))))

    assert "<b>fear</b> & a <br/> train" in text


def test_chart_prints_measures_with_bands_flag_and_summary(services, export) -> None:  # type: ignore[no-untyped-def]
    alex = _alex(services)

    pdf = export.client_chart(alex.id)
    pages = pages_text(pdf)
    text = flat(" ".join(pages))

    assert "Measures" in text
    assert "GAD-7" in text and "PHQ-9" in text and "PCL-5" not in text
    for band in ("minimal", "mild", "moderate", "severe", "moderately severe"):
        assert band in text
    # the chart's own labels: medicine sessions and the axis
    assert "Rx" in text
    assert "GAD-7 total (0–21, lower is better)" in text
    # the item 9 warning, with the response's date
    flagged = [r for r in services.measures.list_for_client(alex.id, measure_key="phq9") if r.flags]
    assert flagged
    day = fmt.day(flagged[0].answered_at.astimezone(UTC).date())
    assert f"PHQ-9 item 9 above 0 on {day}" in text
    assert "item 9 above 0" in text
    # the same numbers as the screen
    for key in ("gad7", "phq9"):
        summary = services.measures.summary(alex.id, key)
        assert summary.baseline is not None and summary.latest is not None
        line = (
            f"baseline {summary.baseline.total}, latest {summary.latest.total}: "
            f"{summary.change} (reliable change {m.MEASURES[key].reliable_change})"
        )
        assert line in text
        for record in services.measures.list_for_client(alex.id, measure_key=key):
            assert f"{fmt.day(record.answered_at.astimezone(UTC).date())} {record.total}" in text
    # the chart is drawn in DejaVu too: no standard-14 font on any page
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    for page in reader.pages:
        resources = cast(pypdf.generic.DictionaryObject, page["/Resources"].get_object())
        fonts = resources.get("/Font", {}).get_object()
        for ref in fonts.values():
            assert not str(ref.get_object()["/BaseFont"]).lstrip("/").startswith(STANDARD_14)
    # the measures page has a drawing: filled rectangles and dashed lines
    page_index = next(i for i, page in enumerate(pages) if "GAD-7 total" in page)
    content = reader.pages[page_index].get_contents()
    assert content is not None
    ops = content.get_data()
    assert b" re" in ops and b"] 0 d" in ops


def test_noor_chart_prints_her_pcl5_and_no_rx(services, export) -> None:  # type: ignore[no-untyped-def]
    noor = services.clients.find("Noor Haddad")[0]
    text = flat(" ".join(pages_text(export.client_chart(noor.id))))
    assert "PCL-5" in text and "probable PTSD" in text
    assert "GAD-7" not in text
    assert "Rx" not in text
    assert "only one scored response" in text


def test_client_without_measures_has_no_measures_part(services, export) -> None:  # type: ignore[no-untyped-def]
    zoe = services.clients.find("Zoe")[0]
    text = flat(" ".join(pages_text(export.client_chart(zoe.id))))
    assert "lower is better" not in text
    assert "Bilateral stimulation sets" in text  # her EMDR sessions, inside the chart


def test_voided_response_is_left_out(services, export) -> None:  # type: ignore[no-untyped-def]
    alex = _alex(services)
    latest = services.measures.list_for_client(alex.id, measure_key="gad7")[-1]
    services.measures.void(latest.id, "entered for the wrong client")
    summary = services.measures.summary(alex.id, "gad7")
    assert summary.baseline is not None and summary.latest is not None

    text = flat(" ".join(pages_text(export.client_chart(alex.id))))

    assert f"baseline {summary.baseline.total}, latest {summary.latest.total}" in text
    day = fmt.day(latest.answered_at.astimezone(UTC).date())
    assert f"{day} {latest.total} " not in text


def test_render_measures_page_for_a_look(services, export) -> None:  # type: ignore[no-untyped-def]
    """Writes Alex's chart and the measures page as PNG to tests/artifacts (gitignored)."""
    pdf = export.client_chart(_alex(services).id)
    pages = pages_text(pdf)
    first = next(i for i, page in enumerate(pages) if "GAD-7 total" in page) + 1
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / "measures-chart.pdf"
    target.write_bytes(pdf)
    pdftoppm = shutil.which("pdftoppm")
    if not pdftoppm:
        pytest.skip("poppler's pdftoppm is not installed")
    for old in ARTIFACTS.glob("measures-chart-*.png"):
        old.unlink()
    subprocess.run(
        [
            pdftoppm,
            "-png",
            "-r",
            "60",
            "-f",
            str(first),
            "-l",
            str(first + 1),
            str(target),
            str(ARTIFACTS / "measures-chart"),
        ],
        check=True,
        timeout=60,
    )
    assert list(ARTIFACTS.glob("measures-chart-*.png"))
