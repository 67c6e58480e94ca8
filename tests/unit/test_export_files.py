"""Exported PDFs on disk: atomic writes, AES-256 passwords, audit events, resources.

docs/security.md 13 and 16: an export writes all or nothing, a password means
`/V 5 /R 5` encryption that opens with it and only with it, and each export
or print is one audit event without content or the file's location.
"""

from __future__ import annotations

import errno
import io
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

import pypdf
import pytest
from pypdf.errors import FileNotDecryptedError

from console.errors import ValidationError
from console.export import files
from console.export.encryption import Aes256Encryption, suggest_password
from console.export.files import ExportError, count_pages, write_pdf
from console.export.service import ExportService
from console.export.session_record import SessionRecordRenderer
from console.resources import ResourceNotFoundError, resource_path, resource_root
from console.services.clients import ClientFields
from console.services.sessions import SessionFields
from models import NoteTemplate, SessionKind

PASSWORD = "tidal-Lantern-42-quay"
NOTE_TEXT = "The harbour image stayed calm; SUD 2."


@pytest.fixture
def session(services):  # type: ignore[no-untyped-def]
    client = services.clients.create(ClientFields(name="Ines Marlowe"))
    record = services.sessions.create(
        client.id,
        SessionFields(starts_at=datetime(2026, 3, 12, 10, tzinfo=UTC), kind=SessionKind.ART),
    )
    note = services.notes.create(record.id, NoteTemplate.PROGRESS, {"note": NOTE_TEXT})
    services.notes.sign(note.id)
    return record


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """An empty folder to export into (tmp_path also holds the vault)."""
    folder = tmp_path / "exports"
    folder.mkdir()
    return folder


def listing(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


# -- passwords -------------------------------------------------------------------


def test_a_password_gives_aes_256_revision_5_that_opens_only_with_it(
    export, session, out: Path
) -> None:  # type: ignore[no-untyped-def]
    target = out / "record.pdf"

    pages = export.export_session(session.id, target, password=PASSWORD)

    raw = target.read_bytes()
    assert pages == 1
    assert b"Ines Marlowe" not in raw and b"harbour" not in raw
    reader = pypdf.PdfReader(target)
    assert reader.is_encrypted
    encrypt = reader.trailer["/Encrypt"].get_object()
    assert (encrypt["/V"], encrypt["/R"]) == (5, 5)
    assert encrypt["/CF"]["/StdCF"]["/CFM"] == "/AESV3"
    # The keys' bytes as written: pypdf decodes a string that happens to open with a UTF-16
    # byte-order mark as text, which would halve its length.
    lengths = [len(encrypt[k].original_bytes) for k in ("/UE", "/OE", "/Perms")]
    assert lengths == [32, 32, 16]
    with pytest.raises(FileNotDecryptedError):
        reader.pages[0].extract_text()
    assert not pypdf.PdfReader(target).decrypt("wrong password")

    opened = pypdf.PdfReader(target)
    assert opened.decrypt(PASSWORD)
    text = " ".join(opened.pages[0].extract_text().split())
    assert NOTE_TEXT in text and "Ines Marlowe" in text
    assert opened.metadata is not None and opened.metadata.title == "Session record"


def test_write_with_a_password_lays_the_same_pdf_out_encrypted(export, session, out: Path) -> None:  # type: ignore[no-untyped-def]
    pdf = export.session_record(session.id)
    target = out / "again.pdf"

    pages = export.write(pdf, target, password=PASSWORD)

    assert pages == pdf.pages == 1
    reader = pypdf.PdfReader(target)
    assert reader.is_encrypted and reader.decrypt(PASSWORD)
    assert NOTE_TEXT in " ".join(reader.pages[0].extract_text().split())
    with pytest.raises(ValueError):
        export.write(b"%PDF-1.4 plain bytes", out / "x.pdf", password=PASSWORD)
    assert not (out / "x.pdf").exists()


def test_weak_or_overlong_passwords_are_refused(export, session, out: Path) -> None:  # type: ignore[no-untyped-def]
    for bad in ("", "short", "       x", "é" * 64):
        with pytest.raises(ValidationError):
            export.export_session(session.id, out / "r.pdf", password=bad)
    assert list(out.iterdir()) == []


def test_suggested_passwords_are_long_random_and_accepted() -> None:
    suggestions = {suggest_password() for _ in range(50)}
    assert len(suggestions) == 50
    for password in suggestions:
        assert len(password) == 29 and password.count("-") == 5
        assert not set(password) & set("0O1lIo")
        Aes256Encryption(password)  # valid as it is


# -- atomic writes ---------------------------------------------------------------


def test_export_writes_a_complete_file_and_no_temporary_one(export, session, out: Path) -> None:  # type: ignore[no-untyped-def]
    target = out / "record.pdf"
    pages = export.export_session(session.id, target)

    assert [p.name for p in out.iterdir()] == ["record.pdf"]
    assert pypdf.PdfReader(target).pages and pages == 1
    assert target.stat().st_mode & 0o077 == 0  # health information: owner only
    assert target.read_bytes().rstrip().endswith(b"%%EOF")


def test_a_failing_renderer_leaves_nothing_and_keeps_the_old_file(
    export, session, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    target = out / "record.pdf"
    target.write_bytes(b"previous export")
    before = listing(out)

    def broken(self: SessionRecordRenderer) -> list[object]:
        raise RuntimeError("renderer failed")

    monkeypatch.setattr(SessionRecordRenderer, "story", broken)
    with pytest.raises(RuntimeError):
        export.export_session(session.id, target)

    assert listing(out) == before


@pytest.mark.parametrize("failing", ["fsync", "replace"])
def test_a_failing_disk_leaves_nothing_and_keeps_the_old_file(
    export, session, out: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:  # type: ignore[no-untyped-def]
    target = out / "record.pdf"
    target.write_bytes(b"previous export")
    before = listing(out)

    def disk_full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, failing, disk_full)
    with pytest.raises(ExportError) as caught:
        export.export_session(session.id, target)
    monkeypatch.undo()

    assert listing(out) == before
    assert "record.pdf" in caught.value.message
    assert str(out) not in caught.value.message  # the file's name, never its folder


def test_a_folder_or_a_missing_folder_is_refused_cleanly(export, session, out: Path) -> None:  # type: ignore[no-untyped-def]
    folder = out / "a folder.pdf"
    folder.mkdir()
    with pytest.raises(ExportError):
        export.export_session(session.id, folder)
    with pytest.raises(ExportError):
        export.export_session(session.id, out / "missing" / "record.pdf")
    assert [p.name for p in out.iterdir()] == ["a folder.pdf"]
    assert list(folder.iterdir()) == []


def test_unwritable_folder_is_refused_cleanly(export, session, out: Path) -> None:  # type: ignore[no-untyped-def]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        pytest.skip("root can write into a read-only folder")
    folder = out / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(ExportError):
            export.export_session(session.id, folder / "record.pdf")
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


def test_write_pdf_and_count_pages_on_plain_bytes(export, session, out: Path) -> None:  # type: ignore[no-untyped-def]
    pdf = export.session_record(session.id)
    plain = bytes(pdf)
    assert count_pages(plain) == pdf.pages == len(pypdf.PdfReader(io.BytesIO(plain)).pages)
    assert export.write(plain, out / "plain.pdf") == pdf.pages
    with pytest.raises(ValueError):
        write_pdf(b"not a pdf", out / "bad.pdf")
    assert sorted(p.name for p in out.iterdir()) == ["plain.pdf"]
    assert files.count_pages(b"%PDF-1.4") == 0


# -- audit -----------------------------------------------------------------------


def test_export_and_print_are_audited_without_content(services, export, session, out: Path) -> None:  # type: ignore[no-untyped-def]
    target = out / "Ines Marlowe record.pdf"
    export.export_session(session.id, target, password=PASSWORD)
    pdf = export.session_record(session.id)
    export.record_print(pdf)
    client = services.clients.get(session.client_id)
    export.export_client(client.id, out / "chart.pdf", include_psychotherapy=True)

    events = services.recent_audit(10)
    exports = [e for e in events if e.action == "export"]
    prints = [e for e in events if e.action == "print"]
    assert len(exports) == 2 and len(prints) == 1
    by_kind = {e.entity_kind: e for e in exports}
    assert by_kind["session"].entity_id == str(session.id)
    assert by_kind["session"].detail == "session record, 1 page, password-protected"
    assert by_kind["client"].entity_id == str(client.id)
    assert by_kind["client"].detail.startswith("client chart, ")
    assert "psychotherapy notes included" in by_kind["client"].detail
    assert prints[0].entity_kind == "session" and prints[0].detail == "session record, 1 page"
    for event in events:
        for secret in ("Ines", "Marlowe", "harbour", str(out), ".pdf", PASSWORD):
            assert secret not in event.detail
    assert services.verify().sound


def test_a_failed_export_is_not_audited(services, export, session, out: Path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ExportError):
        export.export_session(session.id, out / "missing" / "r.pdf")
    assert not [e for e in services.recent_audit(10) if e.action == "export"]


def test_emergency_sheet_export_is_audited_against_the_vault(
    vault_and_code, services, out: Path
) -> None:  # type: ignore[no-untyped-def]
    vault, code = vault_and_code
    export = ExportService(vault, services)
    assert export.export_emergency_sheet(code, out / "sheet.pdf") == 1
    event = next(e for e in services.recent_audit(5) if e.action == "export")
    assert (event.entity_kind, event.entity_id) == ("vault", vault.vault_id)
    assert code not in event.detail and code.replace("-", "") not in event.detail


# -- resources -------------------------------------------------------------------


def test_resource_lookup_finds_shipped_fonts_and_fails_loudly() -> None:
    font = resource_path("fonts/DejaVuSans.ttf")
    assert font.is_file() and font.read_bytes()[:4] in (b"\x00\x01\x00\x00", b"true")
    assert resource_path("fonts/LICENSE-DejaVu.txt").read_text().count("Bitstream") > 3
    for bad in ("fonts/NoSuchFont.ttf", "", "../pyproject.toml", "/etc/passwd", "fonts\\x.ttf"):
        with pytest.raises(ResourceNotFoundError):
            resource_path(bad)


def test_resources_come_from_the_bundle_when_frozen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "resources" / "fonts").mkdir(parents=True)
    (tmp_path / "resources" / "fonts" / "Bundled.ttf").write_bytes(b"x")
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resource_root() == tmp_path / "resources"
    assert resource_path("fonts/Bundled.ttf") == tmp_path / "resources" / "fonts" / "Bundled.ttf"
