"""PDF records read back with pypdf: content, ranges, psychotherapy notes, scripts, size.

docs/architecture.md "PDF records", docs/security.md 14 and 19. Rendering happens in memory;
files, passwords and audit events are in test_export_files.py.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import time
import unicodedata
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pypdf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.platypus import Paragraph

from console.demo import build_demo
from console.errors import ValidationError, WrongSecretError
from console.export.chart_sections import PSYCHOTHERAPY_PART
from console.export.client_chart import ClientChartRenderer
from console.export.fonts import covers
from console.export.notes import DRAFT_TITLE, PSYCHOTHERAPY_TITLE
from console.export.sections import SessionPart, register_section, unregister_section
from console.export.service import ExportService
from console.export.text import clean, escape, has_rtl, shape_arabic, text_flowables
from console.services.clients import ClientFields
from console.services.clinician import ClinicianFields
from console.services.notes import NoteRecord
from console.services.sessions import SessionFields, SessionRecord
from models import NoteStatus, NoteTemplate, SessionKind, SessionLocation
from tests.pdf_text import flat, pages_text

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
STANDARD_14 = ("Helvetica", "Times", "Courier", "Symbol", "ZapfDingbats")

GREEK = "Καλημέρα, ψυχή"
CYRILLIC = "Дмитрий Иванов"
HEBREW = "שלום עולם"
ARABIC = "مرحبا بالعالم"


# -- helpers ---------------------------------------------------------------------


def fonts_used(pdf: bytes) -> list[pypdf.generic.DictionaryObject]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    found = {}
    for page in reader.pages:
        resources = page["/Resources"].get_object()
        for ref in resources.get("/Font", {}).get_object().values():
            font = ref.get_object()
            found[font["/BaseFont"]] = font
    return list(found.values())


def _client(services, name: str = "Mara Quill", **extra: object):  # type: ignore[no-untyped-def]
    return services.clients.create(
        ClientFields(name=name, date_of_birth=date(1984, 2, 29), **extra)  # type: ignore[arg-type]
    )


def _session(services, client, when: datetime, kind: SessionKind = SessionKind.EMDR):  # type: ignore[no-untyped-def]
    return services.sessions.create(client.id, SessionFields(starts_at=when, kind=kind))


AT = datetime(2026, 3, 12, 10, 0, tzinfo=UTC)


# -- session record --------------------------------------------------------------


def test_session_record_prints_every_section_the_client_and_the_signature(services, export) -> None:  # type: ignore[no-untyped-def]
    services.clinician.update(
        ClinicianFields(name="Dr Ada Test", credentials="PsyD", clinic_name="Quay Clinic")
    )
    client = _client(services)
    session = _session(services, client, AT)
    sections = {
        "subjective": "Client reports sleeping better since the lantern exercise.",
        "objective": "Calm posture; SUD 3 at the start.",
        "assessment": "Consolidating gains from the bridge target.",
        "plan": "Future template for the commute next week.",
    }
    note = services.notes.create(session.id, NoteTemplate.SOAP, sections)
    signed = services.notes.sign(note.id)
    addendum = services.notes.add_addendum(note.id, "Correction: SUD was 4, not 3.")
    addendum = services.notes.sign_addendum(addendum.id)

    pdf = export.session_record(session.id)
    text = flat(pdf)

    assert pdf.pages == 1
    for label in ("Subjective", "Objective", "Assessment", "Plan"):
        assert label in text
    for body in sections.values():
        assert body in text
    assert "Mara Quill" in text
    assert "29 Feb 1984" in text
    assert str(client.id)[:8] in text
    assert "Quay Clinic" in text and "Dr Ada Test, PsyD" in text
    assert "12 Mar 2026, 10:00 UTC" in text
    assert "EMDR" in text and "50 min" in text and "In person" in text
    assert "Electronically signed by Dr Ada Test" in text
    assert signed.content_hash in text
    assert "Correction: SUD was 4, not 3." in text
    assert addendum.content_hash in text
    assert DRAFT_TITLE not in text
    assert "Page 1 of 1" in text


def test_a_draft_is_marked_as_not_signed(services, export) -> None:  # type: ignore[no-untyped-def]
    session = _session(services, _client(services), AT)
    services.notes.create(session.id, NoteTemplate.PROGRESS, {"note": "Still being written."})

    text = flat(export.session_record(session.id))

    assert DRAFT_TITLE in text
    assert "Still being written." in text
    assert "Electronically signed" not in text


def test_session_record_leaves_psychotherapy_notes_out_unless_chosen(services, export) -> None:  # type: ignore[no-untyped-def]
    session = _session(services, _client(services), AT, SessionKind.IFS)
    services.notes.create(session.id, NoteTemplate.PROGRESS, {"note": "Met the Worrier."})
    services.notes.create(session.id, NoteTemplate.PSYCHOTHERAPY, {"process": "PRIVATE-7F3K"})

    default = flat(export.session_record(session.id))
    chosen = flat(export.session_record(session.id, include_psychotherapy=True))

    assert "Met the Worrier." in default and "PRIVATE-7F3K" not in default
    assert PSYCHOTHERAPY_TITLE not in default
    assert "PRIVATE-7F3K" in chosen and PSYCHOTHERAPY_TITLE in chosen


def test_user_text_is_escaped_not_read_as_markup(services, export) -> None:  # type: ignore[no-untyped-def]
    session = _session(services, _client(services, "Tom <b>& Jerry</b>"), AT)
    tricky = 'Said "<b>not bold</b> & <script>x</script>" and 3 < 4 > 2 &amp; done'
    services.notes.create(session.id, NoteTemplate.PROGRESS, {"note": tricky})

    text = flat(export.session_record(session.id))

    assert tricky in text
    assert "Tom <b>& Jerry</b>" in text


def test_odd_text_never_breaks_rendering(services, export) -> None:  # type: ignore[no-untyped-def]
    session = _session(services, _client(services), AT)
    odd = (
        "bell\x07 esc\x1b tab\tcr\r\nline\u2028sep\n"
        + "x" * 7000  # one word longer than a line, and than a chunk
        + "\n   indented line\n\n\nafter blank lines 😀 e\u0301 \ufeff"
    )
    services.notes.create(session.id, NoteTemplate.PROGRESS, {"note": odd})

    pdf = export.session_record(session.id)

    text = flat(pdf)
    assert "indented line" in text and "after blank lines" in text
    assert pdf.pages >= 2


# -- client chart ----------------------------------------------------------------


def test_chart_holds_every_session_in_range_and_none_outside(services, export) -> None:  # type: ignore[no-untyped-def]
    client = _client(services)
    other = _client(services, "Someone Else")
    days = [date(2026, 1, 5), date(2026, 2, 2), date(2026, 2, 27), date(2026, 3, 30)]
    for index, day in enumerate(days):
        when = datetime(day.year, day.month, day.day, 23, 30, tzinfo=UTC)
        session = _session(services, client, when)
        services.notes.create(session.id, NoteTemplate.PROGRESS, {"note": f"MARK-{index}"})
    stranger = _session(services, other, datetime(2026, 2, 10, 9, tzinfo=UTC))
    services.notes.create(stranger.id, NoteTemplate.PROGRESS, {"note": "MARK-OTHER"})

    text = flat(export.client_chart(client.id, date(2026, 2, 1), date(2026, 2, 27)))

    assert "MARK-1" in text and "MARK-2" in text  # the end day is inclusive
    assert "MARK-0" not in text and "MARK-3" not in text
    assert "MARK-OTHER" not in text and "Someone Else" not in text
    assert "1 Feb 2026 – 27 Feb 2026" in text

    everything = flat(export.client_chart(client.id))
    assert all(f"MARK-{i}" in everything for i in range(4))
    assert "all sessions" in everything


def test_chart_range_ends_cannot_cross(services, export) -> None:  # type: ignore[no-untyped-def]
    client = _client(services)
    with pytest.raises(ValidationError):
        export.client_chart(client.id, date(2026, 3, 1), date(2026, 2, 1))


def test_chart_psychotherapy_notes_only_when_chosen_and_kept_apart(services, export) -> None:  # type: ignore[no-untyped-def]
    client = _client(services)
    session = _session(services, client, AT, SessionKind.IFS)
    services.notes.create(session.id, NoteTemplate.PROGRESS, {"note": "Record note."})
    services.notes.create(session.id, NoteTemplate.PSYCHOTHERAPY, {"process": "SECRET-PN-42"})

    default = flat(export.client_chart(client.id))
    chosen_pdf = export.client_chart(client.id, include_psychotherapy=True)
    chosen = pages_text(chosen_pdf)

    assert "Record note." in default
    assert "SECRET-PN-42" not in default
    assert "kept apart" not in default.lower()
    # chosen: present, labelled, and on pages of its own after the record
    marker_pages = [i for i, page in enumerate(chosen) if "SECRET-PN-42" in page]
    record_pages = [i for i, page in enumerate(chosen) if "Record note." in page]
    assert marker_pages and record_pages and min(marker_pages) > max(record_pages)
    apart = " ".join(chosen[min(marker_pages)].split())
    assert PSYCHOTHERAPY_PART in apart and "Psychotherapy note (kept apart)" in apart


def test_demo_chart_numbers_every_page_and_keeps_names_out_of_metadata(services, export) -> None:  # type: ignore[no-untyped-def]
    build_demo(services)
    alex = services.clients.find("Alex Rivera")[0]

    pdf = export.client_chart(alex.id)

    texts = pages_text(pdf)
    assert len(texts) == pdf.pages >= 2
    for number, page in enumerate(texts, 1):
        assert f"Page {number} of {pdf.pages}" in page
        assert "Confidential health information" in page
    for page in texts[1:]:
        assert "Alex Rivera" in page  # running header: a loose page finds its chart
    meta = pypdf.PdfReader(io.BytesIO(pdf)).metadata
    assert meta is not None
    assert meta.title == "Client chart"
    assert "Alex" not in " ".join(str(v) for v in meta.values())
    assert meta.author == "Dr Ada Test"


# -- scripts and fonts -----------------------------------------------------------


def test_every_script_prints_in_the_embedded_dejavu_fonts(services, export) -> None:  # type: ignore[no-untyped-def]
    client = _client(services, f"{GREEK} {CYRILLIC}", preferred_name=HEBREW)
    session = _session(services, client, AT)
    text = f"{GREEK}\n{CYRILLIC}\n{HEBREW}\n{ARABIC}\nMixed: {ARABIC} and {HEBREW} (end)."
    services.notes.create(session.id, NoteTemplate.PROGRESS, {"note": text})

    pdf = export.session_record(session.id)

    extracted = unicodedata.normalize("NFKC", flat(pdf))
    assert GREEK in extracted and CYRILLIC in extracted
    for rtl in (HEBREW, ARABIC):  # pypdf gives right-to-left text in either order
        assert rtl in extracted or rtl[::-1] in extracted
    fonts = fonts_used(pdf)
    assert fonts
    for font in fonts:
        name = str(font["/BaseFont"])
        assert "DejaVu" in name, name
        assert not any(std in name for std in STANDARD_14)
        descendant = (
            font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        )
        assert "/FontFile2" in descendant["/FontDescriptor"].get_object(), name


def test_shaped_arabic_and_hebrew_use_only_glyphs_the_font_has() -> None:
    for sample in (GREEK, CYRILLIC, HEBREW, ARABIC, "لا إله كَتَبَ پژوهش"):
        shaped = shape_arabic(sample)
        missing = [c for c in shaped if not c.isspace() and not covers(c)]
        assert not missing, (sample, missing)
    assert shape_arabic(ARABIC) != ARABIC  # joined forms, not isolated letters


def test_text_helpers_clean_escape_and_chunk() -> None:
    from console.export.styles import make_styles

    assert clean("a\r\nb\rc\x00\x1b\td\ud800") == "a\nb\nc    d\ufffd"
    assert escape("<a & b>") == "&lt;a &amp; b&gt;"
    flowables = text_flowables("word " * 3000, make_styles().body, 400)
    assert len(flowables) >= 7  # 15,000 characters in chunks of at most 2,000
    assert all(isinstance(f, Paragraph) for f in flowables)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=400))
def test_any_text_lays_out_and_keeps_its_words(text: str) -> None:
    """Whatever a clinician types (any character, markup-like or not) prints, word for word."""
    from reportlab.platypus import SimpleDocTemplate

    from console.export.styles import make_styles

    flowables = text_flowables(text, make_styles().body, 400)
    SimpleDocTemplate(io.BytesIO()).build(list(flowables))
    printed = [f for f in flowables if isinstance(f, Paragraph)]
    lines = [line for line in clean(text).split("\n") if line.strip()]
    assert len(printed) >= len(lines)
    if not any(has_rtl(line) for line in lines):
        # a soft hyphen is a place to break a word, invisible otherwise
        words = " ".join(p.getPlainText() for p in printed).replace("\xad", "").split()
        assert words == " ".join(lines).replace("\xad", "").split()


# -- size ------------------------------------------------------------------------


def test_a_one_megabyte_note_flows_over_many_pages(services, export) -> None:  # type: ignore[no-untyped-def]
    session = _session(services, _client(services), AT)
    line = "The client described the calm lake again; SUD dropped to two. "
    lines = []
    size = 0
    while size < 1_000_000:
        n = len(lines)
        text = f"{ARABIC} {HEBREW} line {n}" if n % 97 == 0 else (line * (1 + n % 7)).strip()
        lines.append(text)
        size += len(text) + 1
    lines.insert(500, "unbroken " * 4000)  # one 36 kB line with no newline
    note = "\n".join(lines) + "\nLAST-LINE-MARKER"
    services.notes.create(session.id, NoteTemplate.PROGRESS, {"note": note})

    started = time.perf_counter()
    pdf = export.session_record(session.id)
    elapsed = time.perf_counter() - started

    print(f"1 MB note: {pdf.pages} pages in {elapsed:.1f} s ({pdf.pages / elapsed:.0f} pages/s)")
    assert pdf.pages > 100
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == pdf.pages
    last = reader.pages[-1].extract_text()
    assert f"Page {pdf.pages} of {pdf.pages}" in last
    assert "LAST-LINE-MARKER" in " ".join(p.extract_text() for p in reader.pages[-3:])


# -- sections registered by later features ---------------------------------------


def test_a_registered_section_prints_in_the_record_and_the_chart(services, export) -> None:  # type: ignore[no-untyped-def]
    client = _client(services)
    session = _session(services, client, AT)
    calls: list[uuid.UUID] = []

    def extra(part: SessionPart) -> list[Paragraph]:
        calls.append(part.session.id)
        where = "chart" if part.in_chart else "record"
        return [Paragraph(f"EXTRA-SECTION-{where}", part.renderer.styles.body)]

    register_section("session", "test-extra", extra, order=400)
    try:
        with pytest.raises(ValueError):
            register_section("session", "test-extra", extra, order=1)
        assert "EXTRA-SECTION-record" in flat(export.session_record(session.id))
        assert "EXTRA-SECTION-chart" in flat(export.client_chart(client.id))
    finally:
        unregister_section("session", "test-extra")
    assert calls == [session.id, session.id]
    assert "EXTRA-SECTION" not in flat(export.session_record(session.id))


# -- emergency sheet -------------------------------------------------------------


def test_emergency_sheet_prints_the_code_and_no_client_data(vault_and_code, services) -> None:  # type: ignore[no-untyped-def]
    vault, code = vault_and_code
    build_demo(services)
    export = ExportService(vault, services, tz=UTC)

    pdf = export.emergency_sheet(code.lower().replace("-", " "))  # as a person might type it

    text = flat(pdf)
    assert pdf.pages == 1
    # printed in two lines of four groups
    assert code.replace("-", "") in text.replace(" ", "").replace("-", "")
    assert code[:19] in text and code[20:] in text
    assert vault.vault_id in text
    assert "Dr Ada Test" in text
    assert "session-console recover" in text
    assert "Page 1 of 1" in text
    for client in services.clients.list(status=None):
        assert client.name not in text and client.preferred_name not in text
    mono = [f for f in fonts_used(pdf) if "Mono" in str(f["/BaseFont"])]
    assert mono, "the code prints in the monospaced face"


def test_emergency_sheet_refuses_a_code_that_does_not_open_the_vault(
    vault_and_code, services
) -> None:  # type: ignore[no-untyped-def]
    vault, code = vault_and_code
    export = ExportService(vault, services)
    wrong = ("0" if code[0] != "0" else "1") + code[1:]
    with pytest.raises(WrongSecretError):
        export.emergency_sheet(wrong)
    with pytest.raises(WrongSecretError):
        export.emergency_sheet("not a code")


# -- pictures to look at ---------------------------------------------------------


def test_render_demo_documents_for_a_look(vault_and_code, services) -> None:  # type: ignore[no-untyped-def]
    """Writes the demo chart, a session record and the sheet to tests/artifacts (gitignored),
    with PNGs of their first pages when poppler's pdftoppm is installed."""
    vault, code = vault_and_code
    services.clinician.update(
        ClinicianFields(
            name="Dr Ada Test",
            credentials="PsyD, EMDR Certified Therapist",
            licence_number="PSY 12345",
            clinic_name="Harbour Light Therapy",
            clinic_address="12 Quay Street\nBristol BS1 4DJ\nUnited Kingdom",
            clinic_phone="+44 117 496 0000",
        )
    )
    build_demo(services, today=date(2026, 11, 20))
    zoe = services.clients.find("Zoë")[0]
    noor = services.clients.find("Noor")[0]
    recent = services.sessions.list_for_client(noor.id)[0]
    services.notes.add_addendum(
        services.notes.list_for_session(services.sessions.list_for_client(zoe.id)[-1].id)[0].id,
        "Phoned the client: the sleep diary shows five good nights.",
    )
    services.notes.create(
        recent.id,
        NoteTemplate.PROGRESS,
        {
            "note": "Client wrote her calm-place phrase in Arabic:\n"
            "المكان الهادئ هو شاطئ البحر عند الغروب، حيث أشعر بالأمان والسكينة وأسمع صوت "
            "الأمواج الهادئة وأرى الطيور تعود إلى أعشاشها قبل حلول الليل.\n"
            "and in Hebrew: המקום הבטוח שלי"
        },
    )
    export = ExportService(vault, services)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    documents = {
        "demo-chart": export.client_chart(zoe.id, include_psychotherapy=True),
        "demo-session": export.session_record(recent.id),
        "emergency-sheet": export.emergency_sheet(code),
    }
    pdftoppm = shutil.which("pdftoppm")
    for name, pdf in documents.items():
        target = ARTIFACTS / f"{name}.pdf"
        target.write_bytes(pdf)
        assert pdf.pages >= 1
        if pdftoppm:
            for old in ARTIFACTS.glob(f"{name}-*.png"):
                old.unlink()
            subprocess.run(
                [pdftoppm, "-png", "-r", "60", "-l", "3", str(target), str(ARTIFACTS / name)],
                check=True,
                timeout=60,
            )
            assert list(ARTIFACTS.glob(f"{name}-*.png"))


def test_big_chart_renders_at_a_useful_speed(services) -> None:  # type: ignore[no-untyped-def]
    """200 sessions with a signed BIRP note each, laid out from plain records (no database
    writes): a figure to read, not a pass/fail on speed."""
    client = _client(services)
    start = datetime(2025, 1, 6, 9, tzinfo=UTC)
    sections = {
        "behaviour": "Arrived on time, moderate anxiety about the target memory.",
        "intervention": "EMDR desensitisation, horizontal eye movements, 6 sets of 24 passes.",
        "response": "SUD from 8 to 3; body tension eased in the chest. " * 3,
        "plan": "Continue desensitisation; future template for the commute.",
    }
    sessions, notes = [], []
    for i in range(200):
        when = start + timedelta(days=i)
        session = SessionRecord(
            uuid.uuid4(), client.id, None, when, 50, SessionKind.EMDR, SessionLocation.IN_PERSON, ""
        )
        sessions.append(session)
        notes.append(
            NoteRecord(
                id=uuid.uuid4(),
                session_id=session.id,
                client_id=client.id,
                template=NoteTemplate.BIRP,
                sections=sections,
                status=NoteStatus.SIGNED,
                created_at=when,
                updated_at=when,
                signed_at=when + timedelta(hours=1),
                signer_name="Dr Ada Test",
                content_hash="ab" * 32,
                goal_ids=(),
                addenda=(),
            )
        )
    renderer = ClientChartRenderer(
        services.clinician.get(), services, client, (), tuple(sessions), tuple(notes), tz=UTC
    )

    started = time.perf_counter()
    pdf = renderer.render()
    elapsed = time.perf_counter() - started

    rate = pdf.pages / elapsed
    print(f"200-session chart: {pdf.pages} pages in {elapsed:.1f} s ({rate:.0f} pages/s)")
    assert pdf.pages > 60
    texts = pages_text(pdf)
    assert f"Page {pdf.pages} of {pdf.pages}" in texts[-1]
    assert sum(page.count("Electronically signed by") for page in texts) == 200
