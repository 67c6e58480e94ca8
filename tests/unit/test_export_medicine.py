"""Medicine sessions, screening and the course in the printed records, read back from the PDFs.

Pages are also rendered to tests/artifacts (gitignored) as medicine-*.png to look at.
"""

from __future__ import annotations

import shutil
import subprocess
import uuid
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy
import pytest

from console.clinical import medicine as m
from console.errors import ValidationError
from console.export.medicine_section import (
    NO_WEIGHT,
    course,
    medicine_session,
    screening,
)
from console.export.sections import chart_sections, session_sections
from console.export.service import ExportService
from console.export.vitals_chart import SYSTOLIC, X_LABEL, vitals_drawing
from console.services.bundle import Services
from console.services.clients import ClientFields
from console.services.medicine import DoseFields, EventFields, ReadingFields
from console.services.screening import ItemAnswer, ScreeningFields
from console.services.sessions import SessionFields
from models import SessionKind
from tests.pdf_text import flat

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
DOSE_AT = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)
HEBREW = "שקט ורגוע"


def _screen(services: Services, client: uuid.UUID, weight: float | None = 80.0) -> None:
    services.screening.save(
        client,
        ScreeningFields(
            answers=tuple(ItemAnswer(k, "no") for k in m.CONTRAINDICATION_KEYS),
            weight_kg=weight,
            baseline_systolic=128,
            baseline_diastolic=84,
            medications="Sertraline 50 mg; lorazepam as needed",
            consent_date=date(2026, 4, 28),
            consent_version="v3",
            fasting_acknowledged=True,
            ride_home_arranged=True,
        ),
    )
    services.screening.acknowledge_interaction(client, "Benzodiazepine (lorazepam)", "Dr Rx")


@pytest.fixture(autouse=True)
def _on_the_dose_day(services: Services) -> None:
    """The consent of 28 Apr is current on the day of the story's dose, whatever today is."""
    services.screening.today = services.medicine.today = lambda: DOSE_AT.date()  # type: ignore[method-assign]


def _session(services: Services, client: uuid.UUID, kind: SessionKind, **kw: object) -> uuid.UUID:
    fields = SessionFields(starts_at=DOSE_AT - timedelta(minutes=30), kind=kind, **kw)  # type: ignore[arg-type]
    return services.sessions.create(client, fields).id


def _reading(minutes: int, sys: int, dia: int, hr: int, spo2: int, **kw: object) -> ReadingFields:
    return ReadingFields(DOSE_AT + timedelta(minutes=minutes), sys, dia, hr, spo2, **kw)  # type: ignore[arg-type]


class Story:
    """A screened client with one medicine session: dose, baseline + 3 readings, an event."""

    def __init__(self, services: Services) -> None:
        self.client = services.clients.create(ClientFields(name="Noa Testperson")).id
        _screen(services, self.client)
        self.session = _session(services, self.client, SessionKind.MEDICINE, title="KAP 1")
        rx = services.medicine
        rx.save(
            self.session,
            DoseFields(
                route="intramuscular",
                dose_mg=40.0,
                lot_number="LOT-7731",
                given_at=DOSE_AT,
                given_by="Dr Prescriber",
                monitored_by="Nurse Watcher",
                dissociation_total=11,
                client_state=f"Calm, tearful at 40 min. {HEBREW}",
                notes="Integration booked for Thursday.",
                discharge_alert=True,
                discharge_vitals_in_range=True,
                discharge_escort_present=False,
            ),
        )
        rx.add_reading(
            self.session, _reading(-10, 130, 82, 72, 98, respiratory_rate=14, pre_dose=True)
        )
        rx.add_reading(self.session, _reading(15, 148, 92, 88, 97, respiratory_rate=16))
        rx.add_reading(self.session, _reading(30, 168, 96, 94, 96, respiratory_rate=16))
        rx.add_reading(self.session, _reading(60, 136, 86, 78, 98, note="Sitting up"))
        rx.add_event(
            self.session,
            EventFields(
                kind="nausea_vomiting",
                occurred_at=DOSE_AT + timedelta(minutes=35),
                severity="moderate",
                outcome="resolved",
                action="Sat up, sips of water",
                medication_given="Ondansetron 4 mg",
            ),
        )
        self.other = _session(services, self.client, SessionKind.INTEGRATION, title="Integration 1")


@pytest.fixture
def story(services: Services) -> Story:
    return Story(services)


def _render(pdf: bytes, name: str) -> list[Path]:
    ARTIFACTS.mkdir(exist_ok=True)
    for old in ARTIFACTS.glob(f"{name}-*.png"):
        old.unlink()
    (ARTIFACTS / f"{name}.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", str(ARTIFACTS / f"{name}.pdf"), str(ARTIFACTS / name)],
        check=True,
    )
    pages = sorted(ARTIFACTS.glob(f"{name}-*.png"))
    assert pages
    return pages


def test_sections_are_registered() -> None:
    assert medicine_session in session_sections()
    assert screening in chart_sections() and course in chart_sections()


def test_session_record_prints_dose_vitals_events_and_discharge(
    story: Story, export: ExportService
) -> None:
    text = flat(export.session_record(story.session))
    assert "Medicine session" in text
    assert "MIN SINCE DOSE" in text  # the vitals table's own header, not the kind's label
    assert (
        "DATE TIME MEDICINE · FORM ROUTE DOSE MG/KG LOT GIVEN BY 1st 4 May 2026 10:00 Ketamine "
        "(racemic) form not recorded Intramuscular (IM) 40 mg 0.5 LOT-7731 Dr Prescriber"
    ) in text
    assert "Monitored by Nurse Watcher Weight used for mg/kg 80 kg" in text
    vitals = text[text.index("Vitals") :]
    assert "09:50 baseline 130/82 72 98% 14" in vitals
    assert "10:15 15 148/92 88 97% 16" in vitals
    assert "10:30 30 168/96 94 96%" in vitals
    assert "Systolic 168 ≥ 160: alert" in vitals
    assert "Sitting up" in vitals
    assert X_LABEL in text and "Systolic ≥ 160" in text  # the plot's axis and threshold labels
    assert "CADSS-6" in text and "total 11 (range 0–24)" in text
    assert "Nausea/vomiting" in text and "Ondansetron 4 mg" in text
    assert "Resolved during the session" in text
    assert "Not ready:" in text and "No escort present" in text
    assert "Escort present No" in text


def test_the_plot_is_drawn_in_the_series_colours(story: Story, export: ExportService) -> None:
    """Count pixels of the systolic colour: the legend icon alone is a few dozen."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm is not installed")
    pages = _render(export.session_record(story.session), "medicine-session")
    from PIL import Image

    colour = numpy.array([int(SYSTOLIC.colour.hexval()[2:][i : i + 2], 16) for i in (0, 2, 4)])
    counts = []
    for page in pages:
        pixels = numpy.asarray(Image.open(page).convert("RGB"), dtype=int)
        counts.append(int((numpy.abs(pixels - colour).sum(axis=2) < 40).sum()))
    # the legend's sample line and marker alone are about 30 pixels of that colour
    legend_only = vitals_drawing([], m.DEFAULT_THRESHOLDS, 400)
    assert legend_only.width == 400
    assert max(counts) > 80, counts


def test_client_chart_prints_screening_course_and_the_session(
    story: Story, export: ExportService
) -> None:
    pdf = export.client_chart(story.client)
    text = flat(pdf)
    assert "Screening" in text and "Course" in text and "Medicine session" in text
    assert text.index("Screening") < text.index("Course") < text.index("Medicine session ·")
    screen = text[text.index("Contraindications checklist") :]
    assert "Uncontrolled hypertension No" in screen
    assert "Screening: Cleared" in text
    assert "128/84 mmHg" in text
    assert "Benzodiazepine (lorazepam)" in text
    assert "28 Apr 2026, version v3" in text
    course_text = text[text.index("Course") :]
    assert "1 done, 0 planned, 0 missed" in course_text or "2 done" in course_text
    assert "2 done, 0 planned, 0 missed" in course_text  # both sessions are in the past
    assert "KAP 1" in course_text and "Medicine" in course_text
    summary = course_text[course_text.index("MAX BP") :]
    assert "Intramuscular (IM) 40 mg 0.5 168/96 1" in summary
    # under the session the chart still has the vitals and the plot
    assert "Systolic 168 ≥ 160: alert" in text and X_LABEL in text
    if shutil.which("pdftoppm") is not None:
        _render(pdf, "medicine-chart")


def test_a_dose_with_no_weight_prints_mg_per_kg_unknown(
    services: Services, export: ExportService
) -> None:
    client = services.clients.create(ClientFields(name="No Weight")).id
    _screen(services, client, weight=None)
    session = _session(services, client, SessionKind.MEDICINE)
    services.medicine.save(session, DoseFields(dose_mg=200.0, given_at=DOSE_AT))
    record = services.medicine.get(session)
    assert record is not None and record.mg_per_kg is None
    text = flat(export.session_record(session))
    assert NO_WEIGHT in text and "none on record" in text
    assert " 0 kg" not in text and "0.0" not in text
    assert "No vital signs recorded." in text
    chart = flat(export.client_chart(client))
    assert "Weight not recorded" in chart and NO_WEIGHT in chart


def test_other_sessions_and_unscreened_clients_print_no_medicine_parts(
    story: Story, services: Services, export: ExportService
) -> None:
    assert "Medicine session" not in flat(export.session_record(story.other))
    other = flat(export.session_record(story.other))
    assert "MIN SINCE DOSE" not in other and "LOT-7731" not in other and X_LABEL not in other
    client = services.clients.create(ClientFields(name="Never Screened")).id
    _session(services, client, SessionKind.INTEGRATION)
    chart = flat(export.client_chart(client))
    assert "Screening" not in chart and "Contraindications" not in chart
    assert "Course" in chart  # the client has a session
    # a medicine session with nothing recorded yet prints no section either
    empty = flat(export.session_record(_session(services, client, SessionKind.MEDICINE)))
    assert "MIN SINCE DOSE" not in empty and "Adverse events" not in empty


def test_second_dose_and_other_event_print(
    story: Story, services: Services, export: ExportService
) -> None:
    record = services.medicine.get(story.session)
    assert record is not None
    services.medicine.save(
        story.session,
        DoseFields(
            **{
                **record.dose.__dict__,
                "second_dose_mg": 20.0,
                "second_given_at": DOSE_AT + timedelta(minutes=20),
            }
        ),
    )
    services.medicine.add_event(
        story.session,
        EventFields(
            kind="other",
            occurred_at=DOSE_AT + timedelta(minutes=50),
            severity="mild",
            outcome="ongoing",
            description=f"Hiccups {HEBREW} 🙂",
        ),
    )
    text = flat(export.session_record(story.session))
    assert (
        "2nd 4 May 2026 10:20 Ketamine (racemic) form not recorded Intramuscular (IM) 20 mg 0.25"
        in text
    )
    assert "Hiccups" in text and "Ongoing at discharge" in text
    assert "2nd dose" in text
    if shutil.which("pdftoppm") is not None:
        _render(export.session_record(story.session), "medicine-second-dose")


def test_overridden_screening_prints_the_yes_item_and_the_override(
    services: Services, export: ExportService
) -> None:
    client = services.clients.create(ClientFields(name="Override Person")).id
    answers = tuple(
        ItemAnswer(k, "yes", note=f"Controlled on meds {HEBREW}")
        if k == "uncontrolled_hypertension"
        else ItemAnswer(k, "no")
        for k in m.CONTRAINDICATION_KEYS
    )
    services.screening.save(
        client,
        ScreeningFields(
            answers=answers,
            baseline_systolic=184,
            baseline_diastolic=100,
            consent_date=date(2026, 4, 28),
            fasting_acknowledged=True,
            ride_home_arranged=True,
        ),
    )
    services.screening.override(client, "Cardiologist cleared it in writing")
    text = flat(export.client_chart(client))
    # 184 is at the hold level: the override alone does not clear the way to a dose
    held = "baseline blood pressure 184/100 is at the hold level (≥ 180/110)"
    assert f"Screening: Needs review ⚠ — {held}" in text
    assert "Screening: Overridden" not in text
    assert f"Reason for review {held} — not reviewed" in text
    assert "Uncontrolled hypertension Yes Controlled on meds" in text
    assert "184/100 mmHg — Systolic 184 ≥ 180: hold dose" in text
    assert "Cardiologist cleared it in writing" in text
    assert "Weight not recorded" in text and "Interacting medications none found" in text
    assert "Prescriber review" not in text

    services.screening.record_review(client, "Dr Rx", "Repeated at 150/90 sitting, cleared")
    text = flat(export.client_chart(client))
    assert "Screening: Overridden ⚑ (Cardiologist cleared it in writing)" in text
    assert "Needs review" not in text
    assert f"Reason for review {held} — covered by the last review" in text
    assert "Prescriber review Repeated at 150/90 sitting, cleared by Dr Rx, " in text


def test_screening_prints_each_interaction_acknowledgement_and_an_expired_consent(
    services: Services, export: ExportService
) -> None:
    client = services.clients.create(ClientFields(name="Review Person")).id
    services.screening.save(
        client,
        ScreeningFields(
            answers=tuple(ItemAnswer(k, "no") for k in m.CONTRAINDICATION_KEYS),
            baseline_systolic=128,
            baseline_diastolic=84,
            medications="clonazepam 0.5 mg at night; lamotrigine 100 mg",
            consent_date=date(2025, 4, 1),  # twelve months before the dose day and more
            consent_version="v2",
            fasting_acknowledged=True,
            ride_home_arranged=True,
        ),
    )
    text = flat(export.client_chart(client))
    assert "Screening: Needs review ⚠ — Benzodiazepine (clonazepam): interaction not" in text
    for reason in (
        "Benzodiazepine (clonazepam): interaction not acknowledged — not reviewed",
        "Lamotrigine: interaction not acknowledged — not reviewed",
        "consent of 1 Apr 2025 expired on 1 Apr 2026 — not reviewed",
    ):
        assert f"Reason for review {reason}" in text, reason
    assert (
        "Interacting medications Benzodiazepine (clonazepam): not acknowledged "
        "Lamotrigine: not acknowledged"
    ) in text
    assert "Informed consent 1 Apr 2025, version v2 — expired on 1 Apr 2026" in text
    assert "Interacting medications not acknowledged" in text

    services.screening.acknowledge_interaction(client, "Benzodiazepine (clonazepam)", "Dr Rx")
    pdf = export.client_chart(client)
    text = flat(pdf)
    assert "Benzodiazepine (clonazepam): acknowledged by Dr Rx, " in text
    assert "Lamotrigine: not acknowledged" in text
    assert "Reason for review Benzodiazepine" not in text, "an acknowledgement settles it"
    assert "Screening: Needs review ⚠ — Lamotrigine: interaction not acknowledged; consent" in text
    if shutil.which("pdftoppm") is not None:
        _render(pdf, "medicine-screening-review")


def test_a_current_consent_prints_its_expiry(story: Story, export: ExportService) -> None:
    text = flat(export.client_chart(story.client))
    assert "Informed consent 28 Apr 2026, version v3 — expires 28 Apr 2027" in text
    assert "Benzodiazepine (lorazepam): acknowledged by Dr Rx, " in text
    assert "Screening: Cleared ✓" in text and "Reason for review" not in text


def test_an_early_discharge_prints_why_and_what_was_not_done(
    story: Story, services: Services, export: ExportService
) -> None:
    rx = services.medicine
    rx.add_reading(story.session, _reading(100, 128, 80, 76, 98, sedation=4))
    record = rx.get(story.session)
    assert record is not None
    leaving = replace(
        record.dose,
        medicine="esketamine",
        form="nasal_spray",
        route="intranasal",
        discharged_at=DOSE_AT + timedelta(minutes=105),
    )
    with pytest.raises(ValidationError, match="not ready for discharge"):
        rx.save(story.session, leaving)
    rx.save(story.session, replace(leaving, early_discharge_reason="Fire alarm: building cleared"))
    text = flat(export.session_record(story.session))
    assert "Esketamine Nasal spray device Intranasal 40 mg" in text
    assert "11:40 100 128/80 76 98% — 4/5" in text  # the sedation score beside the reading
    assert "Ready to leave at 4 May 2026, 12:00 UTC" in text
    early = text[text.index("Discharged before ready:") :]
    assert "Observed 120 min after the last dose is required: 15 min to go" in early
    assert "Blood pressure not taken about 40 min after the dose" in early
    assert "No escort present" in early
    assert "Reason: Fire alarm: building cleared" in early
