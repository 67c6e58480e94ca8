"""Issue 15, what a new user met in the PDFs: the set log's timing lines and the emergency sheet.

Every check reads the real bytes back: text with pypdf, size as written.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pypdf
from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter

from console.export.service import ExportService
from console.pacer.set_log import SetResult
from console.services.clients import ClientFields
from console.services.sessions import SessionFields
from console.vocabulary import SessionKind
from tests.pdf_text import flat, pages_text
from ui import printing
from ui.printing import print_pdf
from ui.unlock.unlock_window import UnlockWindow

AT = datetime(2026, 3, 12, 10, 0, tzinfo=UTC)
SMALL = 200_000  # bytes: a one-page sheet of text with three font subsets
UNLOCK_LINK = "Forgot the passphrase? Use the recovery code"


def _set(start: datetime, frames: int, late: int, p99: float | None, notes: str) -> SetResult:
    return SetResult(
        started_at=start,
        ended_at=start + timedelta(seconds=12),
        speed_hz=1.0,
        path="horizontal",
        profile="sinusoidal",
        sound="off",
        passes_completed=24,
        ended_by="limit",
        frames=frames,
        frame_p99_ms=p99,
        late_frames=late,
        notes=notes,
    )


def _emdr_session(services, *sets: SetResult):  # type: ignore[no-untyped-def]
    client = services.clients.create(ClientFields(name="Mara Quill"))
    session = services.sessions.create(
        client.id, SessionFields(starts_at=AT, kind=SessionKind.EMDR)
    )
    for result in sets:
        services.bls_sets.log(session.id, result)
    return session


# -- session record: timing only when it says something ------------------------------


def test_sets_within_budget_print_no_timing_line(services, export: ExportService) -> None:  # type: ignore[no-untyped-def]
    smooth = _set(AT + timedelta(minutes=5), 720, 0, 17.9, "Tight chest")
    nothing_drawn = _set(AT + timedelta(minutes=8), 0, 0, None, "Stopped at once")
    a_few_late = _set(AT + timedelta(minutes=11), 720, 5, 18.4, "Calmer")  # 0.7%: within 1%
    session = _emdr_session(services, smooth, nothing_drawn, a_few_late)

    text = flat(export.session_record(session.id))

    assert "Bilateral stimulation sets" in text and "Tight chest" in text and "Calmer" in text
    assert "Timing" not in text
    assert "frames" not in text


def test_a_set_out_of_budget_prints_its_timing_figures(services, export: ExportService) -> None:  # type: ignore[no-untyped-def]
    smooth = _set(AT + timedelta(minutes=5), 720, 0, 17.9, "Tight chest")
    busy = _set(AT + timedelta(minutes=8), 720, 36, 41.3, "Doors closing")
    session = _emdr_session(services, smooth, busy)

    lines = [
        " ".join(line.split())
        for line in "\n".join(pages_text(export.session_record(session.id))).splitlines()
    ]

    timing = [line for line in lines if line.startswith("Timing")]
    assert len(timing) == 1, lines
    assert "36 of 720 frames late (5.0%)" in timing[0]
    assert "p99 41.3 ms" in timing[0] and "12 s" in timing[0]
    assert "speed stayed exact" in timing[0]
    # it sits under the busy set (2), not under the smooth one (1)
    assert lines.index(timing[0]) > next(
        i for i, line in enumerate(lines) if "Doors closing" in line
    )


def test_a_set_that_also_ran_on_the_clients_device_says_so_in_the_record(
    services, export: ExportService
) -> None:  # type: ignore[no-untyped-def]
    remote = "Also on the client's device (1280×720 at 60 Hz): 2 of 720 frames late."
    shared = replace(_set(AT + timedelta(minutes=5), 720, 0, 17.9, "By video"), remote=remote)
    local = _set(AT + timedelta(minutes=8), 720, 0, 17.9, "In the room")
    session = _emdr_session(services, shared, local)

    text = " ".join(flat(export.session_record(session.id)).split())

    assert remote in text
    assert text.count("client's device") == 1, "only the shared set says so"


# -- the emergency-access sheet ----------------------------------------------------------


def test_emergency_sheet_is_small_and_points_to_the_unlock_window(
    qtbot, vault_and_code, services, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    vault, code = vault_and_code
    gate = UnlockWindow(vault)
    qtbot.addWidget(gate)
    gate.show()
    link = gate.recovery_button
    assert link.isVisible() and link.text().replace("&", "") == UNLOCK_LINK, "the sheet's words"
    export = ExportService(vault, services, tz=UTC)
    target = tmp_path / "sheet.pdf"

    export.export_emergency_sheet(code, target)

    assert target.stat().st_size < SMALL
    text = flat(target.read_bytes())
    assert f"“{UNLOCK_LINK}”" in text
    steps = text[text.index("How to use it") :]
    assert UNLOCK_LINK in steps
    # the terminal is a fallback at most: after the unlock window, never a step of its own
    if "session-console recover" in steps:
        assert steps.index("session-console recover") > steps.index(UNLOCK_LINK)
        assert "In a terminal run" not in steps


def test_printing_the_sheet_to_a_pdf_file_keeps_it_small(
    qapp, vault_and_code, services, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """The print dialog's "Print to File (PDF)" is a high-resolution PDF printer: the file
    written must be the sheet itself (text, font subsets), not a 1200 dpi picture of it."""
    vault, code = vault_and_code
    pdf = ExportService(vault, services, tz=UTC).emergency_sheet(code)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    target = tmp_path / "printed sheet.pdf"
    printer.setOutputFileName(str(target))

    assert print_pdf(pdf, printer) == 1

    assert target.stat().st_size < SMALL
    text = flat(target.read_bytes())
    assert code[:19] in text and UNLOCK_LINK in text, "the text is there to find, not a picture"


def test_a_paper_printer_still_gets_every_page_drawn(
    qapp, vault_and_code, services, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """Only a PDF file gets the bytes; a printer gets pictures of the pages (here captured
    by a PDF printer fed through the drawing path, so the pictures can be counted)."""
    vault, code = vault_and_code
    pdf = ExportService(vault, services, tz=UTC).emergency_sheet(code)
    document = QPdfDocument()
    data = QByteArray(bytes(pdf))
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    target = tmp_path / "drawn.pdf"
    printer.setOutputFileName(str(target))

    printing._draw(document, printer)
    document.close()

    page = pypdf.PdfReader(target).pages[0]
    assert list(page["/Resources"]["/XObject"]), "the page is drawn as a picture"
    assert code[:4] not in page.extract_text()
