"""Exports and prints of records, as one service the UI and the CLI call.

Rendering returns the PDF in memory (`RenderedPdf`, a bytes object that
knows its page count), so printing needs no file on disk. `export_*` render,
write atomically and audit; every export and every print writes one audit
event naming the record, the document kind and the page count, never any
content or where the file went (docs/security.md 13).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, tzinfo
from pathlib import Path

from console.errors import ValidationError, VaultError
from console.export import formatting as fmt
from console.export.client_chart import ClientChartRenderer
from console.export.document import RenderedPdf
from console.export.emergency_sheet import EmergencySheetRenderer
from console.export.encryption import Aes256Encryption, suggest_password
from console.export.files import count_pages, write_pdf
from console.export.session_record import SessionRecordRenderer
from console.services.bundle import Services
from console.vault import Vault
from console.vault.header import read_header
from console.vault.keyslots import RECOVERY, normalise_recovery_code, unwrap_with_secret

__all__ = ["ExportService", "RenderedPdf", "suggest_password"]


class ExportService:
    def __init__(self, vault: Vault, services: Services, *, tz: tzinfo | None = None) -> None:
        """`tz` is for tests; records print in the computer's own time zone by default."""
        self.vault = vault
        self.services = services
        self.tz = tz

    # -- rendering (in memory) ---------------------------------------------------
    def session_record(
        self,
        session_id: uuid.UUID,
        *,
        include_psychotherapy: bool = False,
        password: str | None = None,
    ) -> RenderedPdf:
        """One session's record; its psychotherapy notes only when asked for."""
        encryption = _encryption(password)
        sv = self.services
        session = sv.sessions.get(session_id)
        client = sv.clients.get(session.client_id)
        programs = sv.programs.list_for_client(client.id)
        program = next((p for p in programs if p.id == session.program_id), None)
        renderer = SessionRecordRenderer(
            sv.clinician.get(),
            sv,
            client,
            session,
            tuple(sv.notes.list_for_session(session.id)),
            program,
            {g.id: g for p in programs for g in p.goals},
            include_psychotherapy=include_psychotherapy,
            tz=self.tz,
        )
        pdf = renderer.render(encryption)
        return _about(pdf, "session", session.id, include_psychotherapy)

    def client_chart(
        self,
        client_id: uuid.UUID,
        start: date | None = None,
        end: date | None = None,
        include_psychotherapy: bool = False,
        *,
        password: str | None = None,
    ) -> RenderedPdf:
        """The chart over [start, end] (inclusive, local dates; either may be open)."""
        if start is not None and end is not None and end < start:
            raise ValidationError("end", "cannot be before the start date")
        encryption = _encryption(password)
        sv = self.services
        client = sv.clients.get(client_id)
        sessions = sorted(
            (
                s
                for s in sv.sessions.list_for_client(client.id)
                if _within(fmt.local(s.starts_at, self.tz).date(), start, end)
            ),
            key=lambda s: s.starts_at,
        )
        programs = sorted(sv.programs.list_for_client(client.id), key=lambda p: p.start_date)
        notes = sv.notes.list_for_client(client.id, include_psychotherapy=include_psychotherapy)
        renderer = ClientChartRenderer(
            sv.clinician.get(),
            sv,
            client,
            tuple(programs),
            tuple(sessions),
            tuple(notes),
            start=start,
            end=end,
            include_psychotherapy=include_psychotherapy,
            tz=self.tz,
        )
        pdf = renderer.render(encryption)
        return _about(pdf, "client", client.id, include_psychotherapy)

    def emergency_sheet(self, recovery_code: str, *, password: str | None = None) -> RenderedPdf:
        """The recovery code on paper, after checking that it really opens this vault.

        A mistyped code on the only printed copy would be found out on the
        day it is needed; one key derivation (about a second) now is cheaper.
        """
        encryption = _encryption(password)
        header = read_header(self.vault.directory)
        code = normalise_recovery_code(recovery_code)
        slot = header.slot(RECOVERY)
        if slot is None:
            raise VaultError("this vault has no recovery code")
        unwrap_with_secret(slot, code, header.vault_id)  # WrongSecretError if it does not open
        renderer = EmergencySheetRenderer(
            self.services.clinician.get(),
            code,
            header.vault_id,
            _parse_time(header.created_at),
            tz=self.tz,
        )
        return _about(renderer.render(encryption), "vault", header.vault_id, False)

    # -- files -------------------------------------------------------------------
    def write(self, pdf: bytes, path: Path | str, password: str | None = None) -> int:
        """Write a rendered PDF atomically, encrypted with `password` if given; returns pages.

        reportlab encrypts while laying out, so a password makes a fresh,
        encrypted layout of the same content (the record is not read again).
        """
        data = pdf
        if password is not None:
            if not isinstance(pdf, RenderedPdf):
                raise ValueError("only a PDF rendered here can be encrypted on writing")
            if pdf.encrypted:
                raise ValueError("this PDF is already password-protected")
            data = pdf.with_encryption(Aes256Encryption(password))
        write_pdf(data, Path(path))
        return data.pages if isinstance(data, RenderedPdf) else count_pages(data)

    def export_session(
        self,
        session_id: uuid.UUID,
        path: Path | str,
        password: str | None = None,
        include_psychotherapy: bool = False,
    ) -> int:
        pdf = self.session_record(
            session_id, include_psychotherapy=include_psychotherapy, password=password
        )
        return self._export(pdf, path)

    def export_client(
        self,
        client_id: uuid.UUID,
        path: Path | str,
        start: date | None = None,
        end: date | None = None,
        include_psychotherapy: bool = False,
        password: str | None = None,
    ) -> int:
        pdf = self.client_chart(client_id, start, end, include_psychotherapy, password=password)
        return self._export(pdf, path)

    def export_emergency_sheet(
        self, recovery_code: str, path: Path | str, password: str | None = None
    ) -> int:
        return self._export(self.emergency_sheet(recovery_code, password=password), path)

    def record_print(self, pdf: RenderedPdf) -> None:
        """Audit a print of a rendered PDF (call once the print job was handed over)."""
        self._audit("print", pdf)

    # -- internals ---------------------------------------------------------------
    def _export(self, pdf: RenderedPdf, path: Path | str) -> int:
        pages = self.write(pdf, path)
        self._audit("export", pdf)
        return pages

    def _audit(self, action: str, pdf: RenderedPdf) -> None:
        entity_kind, entity_id, psychotherapy = pdf.audit_subject
        detail = [pdf.kind.lower(), f"{pdf.pages} page{'s' if pdf.pages != 1 else ''}"]
        if pdf.encrypted:
            detail.append("password-protected")
        if psychotherapy:
            detail.append("psychotherapy notes included")
        self.vault.audit(action, entity_kind, entity_id, ", ".join(detail))


def _encryption(password: str | None) -> Aes256Encryption | None:
    return None if password is None else Aes256Encryption(password)


def _within(day: date, start: date | None, end: date | None) -> bool:
    return (start is None or day >= start) and (end is None or day <= end)


def _parse_time(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _about(
    pdf: RenderedPdf, entity_kind: str, entity_id: object, psychotherapy: bool
) -> RenderedPdf:
    """Remember which record a PDF shows, for the audit event of its export or print."""
    pdf.audit_subject = (entity_kind, str(entity_id), psychotherapy)
    return pdf
