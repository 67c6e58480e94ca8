"""The emergency-access sheet: the vault's recovery code on paper (docs/security.md 4).

The recovery code is shown once, when the vault is created. This sheet is
how it survives: printed large in a monospaced face (no 0/O or 1/l doubt),
with the vault it opens and plain instructions. It holds no client data.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from reportlab.platypus import (
    Flowable,
    ListFlowable,
    ListItem,
    Paragraph,
    Spacer,
    TableStyle,
)

from console.export import formatting as fmt
from console.export.document import DocumentRenderer, RecordTable
from console.export.fonts import MONO
from console.export.styles import DRAFT, DRAFT_LIGHT, INK, PANEL
from console.export.text import escape
from console.services.clinician import ClinicianRecord

# The unlock window's button, word for word (ui/unlock/unlock_window.py), so the
# reader finds what the sheet names.
UNLOCK_LINK = "Forgot the passphrase? Use the recovery code"
FOOTER = (
    "Emergency access key for an encrypted Session Console vault. Keep it secret and offline. "
    "This sheet contains no client data."
)


class EmergencySheetRenderer(DocumentRenderer):
    kind: ClassVar[str] = "Emergency access sheet"
    subject: ClassVar[str] = "Vault recovery code"
    footer: ClassVar[str] = FOOTER

    def __init__(
        self,
        clinician: ClinicianRecord,
        recovery_code: str,
        vault_id: str,
        vault_created: datetime | None = None,
        **options: Any,
    ) -> None:
        super().__init__(clinician, **options)
        self.code = recovery_code
        self.vault_id = vault_id
        self.vault_created = vault_created

    def _code_lines(self) -> list[str]:
        groups = self.code.split("-")
        half = (len(groups) + 1) // 2
        return (
            ["-".join(groups[:half]), "-".join(groups[half:])] if len(groups) > 4 else [self.code]
        )

    def story(self) -> list[Flowable]:
        s = self.styles
        box = self._code_box()
        created = (
            fmt.day(fmt.local(self.vault_created, self.tz).date()) if self.vault_created else ""
        )
        ids = self._vault_id_row()
        return [
            *self.letterhead(),
            *self.title_block(
                "Emergency access sheet", "The recovery code of an encrypted Session Console vault"
            ),
            self.banner(
                "Keep this sheet secret and offline",
                "Anyone holding this sheet and a copy of the vault (or of a backup) can open "
                "every record in it. Store it as you would the key to your records room.",
                DRAFT,
                DRAFT_LIGHT,
            ),
            Spacer(1, 10),
            Paragraph("RECOVERY CODE", s.label),
            Spacer(1, 3),
            box,
            Spacer(1, 4),
            Paragraph(
                "32 letters and digits in groups of four. Case and dashes do not matter; "
                "O, I and L are read as 0, 1 and 1.",
                s.small,
            ),
            Spacer(1, 8),
            ids,
            Spacer(1, 3),
            self.fact_strip(
                [
                    ("Clinician", self.clinician.name),
                    ("Vault created", created),
                    ("Printed", self.moment(self.generated_at)),
                ],
                widths=[self.width * 0.44, self.width * 0.22, self.width * 0.34],
            ),
            *self._instructions(),
        ]

    def _code_box(self) -> RecordTable:
        """The code, large and boxed: the one thing on the sheet that must be copied exactly."""
        s = self.styles
        code = Paragraph(
            "<br/>".join(escape(line) for line in self._code_lines()),
            s.code.clone("code-big", fontSize=24, leading=36),
        )
        box = RecordTable([[code]], colWidths=[self.width])
        box.setStyle(
            TableStyle(
                [
                    ("BOX", (0, 0), (-1, -1), 1.6, INK),
                    ("TOPPADDING", (0, 0), (-1, -1), 16),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 18),
                ]
            )
        )
        return box

    def _vault_id_row(self) -> RecordTable:
        s = self.styles
        vault_id = Paragraph(
            f'<font name="{MONO}">{escape(self.vault_id)}</font>', s.value.clone("vault-id")
        )
        ids = RecordTable(
            [[Paragraph("VAULT ID", s.label), vault_id]],
            colWidths=[self.width * 0.16, self.width * 0.84],
        )
        ids.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, -1), PANEL),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 8),
                    ("TOPPADDING", (0, 0), (-1, -1), 6),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 7),
                ]
            )
        )
        return ids

    def _steps(self, items: list[str], numbered: bool) -> ListFlowable:
        s = self.styles
        return ListFlowable(
            [ListItem(Paragraph(text, s.body), leftIndent=16) for text in items],
            bulletType="1" if numbered else "bullet",
            start="1" if numbered else "•",
            bulletFormat="%s." if numbered else None,
            bulletFontName=s.body.fontName,
            bulletFontSize=9.5,
            leftIndent=16,
        )

    def _instructions(self) -> list[Flowable]:
        s = self.styles
        heading = s.part.clone("sheet-part", spaceBefore=12, spaceAfter=4)
        command = f'<font name="{MONO}">session-console recover --data-dir FOLDER</font>'
        return [
            Paragraph("What this is", heading),
            Paragraph(
                "A second key to the vault, shown only once, when the vault was created. It "
                "opens the vault when the passphrase is forgotten, or on a new computer where "
                "the key remembered in the system keychain is gone. Once it is used, the app "
                "asks for a new passphrase; the recovery code itself stays valid.",
                s.body,
            ),
            Paragraph("Where to keep it", heading),
            self._steps(
                [
                    "Offline and locked away: a safe at the practice, or a sealed envelope with "
                    "the colleague who would look after your records if you could not.",
                    "Never with the laptop, never as a photo, in an email or in cloud notes; "
                    "apart from the vault's backups, since together they open every record.",
                    "If it may have been seen or copied, treat the vault as exposed and follow "
                    "your practice's security-incident procedure.",
                ],
                numbered=False,
            ),
            Paragraph("How to use it", heading),
            self._steps(
                [
                    "Put the vault folder on the computer (the app's data folder, a copy from "
                    "the old computer, or a restored backup). The vault ID above says which "
                    "vault this code opens; it is also in the folder's vault.json.",
                    "Start Session Console. In the unlock window, below the Unlock button, "
                    f"click <b>“{escape(UNLOCK_LINK)}”</b>.",
                    "Type the recovery code and press Enter, then choose a new passphrase.",
                    "From then on, unlock with the new passphrase. Keep this sheet: the code "
                    "still works.",
                ],
                numbered=True,
            ),
            Paragraph(
                f"Without a screen, {command} in a terminal does the same (FOLDER is the vault "
                "folder; leave out --data-dir for the app's usual data folder).",
                s.small.clone("sheet-fallback", spaceBefore=4),
            ),
        ]
