"""A client's diagnoses as every record prints them: code, label, the primary one first and
marked in words (a shade alone is lost on a black-and-white printer)."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from console.export.document import DocumentRenderer
from console.export.styles import PANEL
from console.services.clients import DiagnosisFields

HEADING = "DIAGNOSES"
PRIMARY = "Primary"
SECONDARY = "Secondary"


def diagnoses_block(r: DocumentRenderer, diagnoses: Sequence[DiagnosisFields]) -> list[Flowable]:
    """A heading and the table; a row with no code prints a dash, so an uncoded one shows."""
    heading = Paragraph(HEADING, r.styles.label)
    heading.keepWithNext = True
    if not diagnoses:
        return [heading, Paragraph("No diagnoses recorded.", r.styles.empty)]
    widths = [26 * mm, 0.0, 24 * mm]
    widths[1] = r.width - sum(widths)
    rows = [[d.code, d.label, PRIMARY if d.primary else SECONDARY] for d in diagnoses]
    primary = [i for i, d in enumerate(diagnoses) if d.primary]
    table = r.list_table(
        ("ICD-10 CODE", "DIAGNOSIS", ""), rows, widths, marked=primary, marked_colour=PANEL
    )
    return [heading, Spacer(1, 2), table]
