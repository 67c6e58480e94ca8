"""The base of every PDF the app writes (pretix's pattern, docs/architecture.md "Habits").

One renderer class per document: it owns a stylesheet, builds a story of
flowables, lays it out on two page templates (the first page opens with the
letterhead; later pages carry a running header naming the clinic and the
client, so a loose page can be put back in the right chart), draws a
confidentiality footer on each page, and numbers pages "Page n of m" with a
canvas that waits until the total is known. Output is bytes in memory, so
printing needs no file and an export can be written atomically.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, tzinfo
from typing import Any, ClassVar

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from console.export import formatting as fmt
from console.export.fonts import SANS, SANS_BOLD
from console.export.styles import (
    ACCENT,
    ACCENT_LIGHT,
    INK,
    MUTED,
    PANEL,
    RULE,
    Styles,
    make_styles,
)
from console.export.text import bidi_paragraph, escape, has_rtl, text_flowables, visual_line
from console.services.clinician import ClinicianRecord

MARGIN_X = 18 * mm
MARGIN_TOP_FIRST = 14 * mm
MARGIN_TOP_LATER = 21 * mm
MARGIN_BOTTOM = 22 * mm
FOOTER_SIZE = 6.8
PRODUCT = "Session Console"

CONFIDENTIAL = (
    "Confidential health information — protected by law. If this reached you by mistake, "
    "do not read, copy or pass it on: tell the sender and destroy it."
)


class RenderedPdf(bytes):
    """A rendered PDF's bytes, with what the audit trail and an encrypted copy need.

    `with_encryption` lays the same content out again with encryption:
    reportlab encrypts while it writes, it cannot encrypt finished bytes.
    """

    pages: int
    kind: str
    encrypted: bool
    audit_subject: tuple[str, str, bool]  # entity kind, id, psychotherapy notes included
    _rerender: Callable[[Any], RenderedPdf] | None

    def __new__(
        cls,
        data: bytes,
        *,
        pages: int,
        kind: str,
        encrypted: bool = False,
        rerender: Callable[[Any], RenderedPdf] | None = None,
    ) -> RenderedPdf:
        self = super().__new__(cls, data)
        self.pages, self.kind, self.encrypted, self._rerender = pages, kind, encrypted, rerender
        self.audit_subject = ("", "", False)
        return self

    def with_encryption(self, encryption: Any) -> RenderedPdf:
        if self._rerender is None:
            raise ValueError("this PDF cannot be laid out again; render it with encryption")
        copy = self._rerender(encryption)
        copy.audit_subject = self.audit_subject
        return copy


class NumberedCanvas(Canvas):  # type: ignore[misc]
    """Keeps every page until the end, then stamps "Page n of m" on each (pretix)."""

    def __init__(
        self, *args: Any, on_total: Callable[[int], None] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self._saved_pages: list[dict[str, Any]] = []
        self._on_total = on_total

    def showPage(self) -> None:
        self._saved_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._saved_pages)
        for state in self._saved_pages:
            self.__dict__.update(state)
            self._stamp_page_number(total)
            super().showPage()
        if self._on_total is not None:
            self._on_total(total)
        super().save()

    def _stamp_page_number(self, total: int) -> None:
        width, _ = self._pagesize
        self.saveState()
        self.setFont(SANS_BOLD, 8)
        self.setFillColor(MUTED)
        self.drawRightString(
            width - MARGIN_X, MARGIN_BOTTOM - 21, f"Page {self._pageNumber} of {total}"
        )
        self.restoreState()


class RecordTable(Table):  # type: ignore[misc]
    """A platypus Table whose cells default to DejaVu, not the standard-14 Helvetica.

    reportlab sets each cell's font even when the cell holds a Paragraph, so a
    plain Table would name Helvetica on every page that has one.
    """

    def __init__(self, data: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(data, *args, **kwargs)
        self.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), SANS, 9)]))


# A list table: labelled header on a light band, thin rules between rows.
LIST_TABLE_STYLE: tuple[tuple[Any, ...], ...] = (
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("LEFTPADDING", (0, 0), (-1, -1), 4),
    ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ("TOPPADDING", (0, 0), (-1, -1), 2),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ("BACKGROUND", (0, 0), (-1, 0), ACCENT_LIGHT),
    ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT),
    ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
)


class DocumentRenderer:
    """Base renderer: subclasses set `kind` and build `story()` from plain data."""

    kind: ClassVar[str] = "Record"
    subject: ClassVar[str] = "Health record"
    footer: ClassVar[str] = CONFIDENTIAL

    def __init__(
        self,
        clinician: ClinicianRecord,
        *,
        tz: tzinfo | None = None,
        pagesize: tuple[float, float] = A4,
        generated_at: datetime | None = None,
    ) -> None:
        self.clinician = clinician
        self.tz = tz
        self.pagesize = pagesize
        self.generated_at = generated_at or datetime.now(UTC)
        self.styles: Styles = make_styles()
        self.width = pagesize[0] - 2 * MARGIN_X

    # -- what subclasses provide ----------------------------------------------
    def story(self) -> list[Flowable]:
        raise NotImplementedError

    def subject_line(self) -> str:
        """Who the document is about, for the running header of pages 2 onwards."""
        return ""

    # -- rendering --------------------------------------------------------------
    def render(self, encryption: Any = None) -> RenderedPdf:
        """Lay the story out; `encryption` is an `Aes256Encryption` or None."""
        buffer = io.BytesIO()
        doc = self._doc_template(buffer, encryption)
        totals: list[int] = []

        def canvas_maker(*args: Any, **kwargs: Any) -> NumberedCanvas:
            return NumberedCanvas(*args, on_total=totals.append, **kwargs)

        doc.build(self.story(), canvasmaker=canvas_maker)
        return RenderedPdf(
            buffer.getvalue(),
            pages=totals[0] if totals else 0,
            kind=self.kind,
            encrypted=encryption is not None,
            rerender=self.render,
        )

    def _doc_template(self, buffer: io.BytesIO, encryption: Any) -> BaseDocTemplate:
        """The document with its metadata; the first page and the later ones differ in header."""
        doc = BaseDocTemplate(
            buffer,
            pagesize=self.pagesize,
            leftMargin=MARGIN_X,
            rightMargin=MARGIN_X,
            topMargin=MARGIN_TOP_LATER,
            bottomMargin=MARGIN_BOTTOM,
            title=self.kind,  # the kind only: file browsers show titles, never a client's name
            author=self.clinician.name,
            subject=self.subject,
            creator=PRODUCT,
            keywords="",
            encrypt=encryption,
            initialFontName=SANS,  # else every page names Helvetica, a standard-14 font
            initialFontSize=10,
        )
        doc.addPageTemplates(
            [
                PageTemplate(
                    "first",
                    [self._frame("first", MARGIN_TOP_FIRST)],
                    onPage=self._first_page,
                    autoNextPageTemplate="later",
                ),
                PageTemplate(
                    "later", [self._frame("later", MARGIN_TOP_LATER)], onPage=self._later_page
                ),
            ]
        )
        return doc

    def _frame(self, frame_id: str, top_margin: float) -> Frame:
        height = self.pagesize[1] - MARGIN_BOTTOM
        return Frame(
            MARGIN_X,
            MARGIN_BOTTOM,
            self.width,
            height - top_margin,
            id=frame_id,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )

    # -- page decoration --------------------------------------------------------
    def _first_page(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        width, height = self.pagesize
        canvas.saveState()
        canvas.setFillColor(ACCENT)
        canvas.rect(0, height - 5, width, 5, stroke=0, fill=1)
        canvas.restoreState()
        self._footer(canvas)

    def _later_page(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        width, height = self.pagesize
        top = height - MARGIN_TOP_LATER + 9
        canvas.saveState()
        canvas.setFillColor(ACCENT)
        canvas.rect(0, height - 3, width, 3, stroke=0, fill=1)
        canvas.setFont(SANS_BOLD, 8)
        canvas.setFillColor(ACCENT)
        issuer = self.clinician.clinic_name or self.clinician.name
        left = visual_line(f"{issuer} · {self.kind}")
        canvas.drawString(MARGIN_X, top, _clip(left, SANS_BOLD, 8, self.width * 0.55))
        subject = self.subject_line()
        if subject:
            canvas.setFont(SANS, 8)
            canvas.setFillColor(MUTED)
            canvas.drawRightString(
                width - MARGIN_X, top, _clip(visual_line(subject), SANS, 8, self.width * 0.43)
            )
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.line(MARGIN_X, top - 5, width - MARGIN_X, top - 5)
        canvas.restoreState()
        self._footer(canvas)

    def _footer(self, canvas: Canvas) -> None:
        width, _ = self.pagesize
        canvas.saveState()
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.line(MARGIN_X, MARGIN_BOTTOM - 10, width - MARGIN_X, MARGIN_BOTTOM - 10)
        canvas.setFont(SANS, FOOTER_SIZE)
        canvas.setFillColor(MUTED)
        lines = simpleSplit(self.footer, SANS, FOOTER_SIZE, self.width - 90)[:2]
        lines.append(
            f"Generated {fmt.moment(self.generated_at, self.tz)} by {PRODUCT}"
            f" for {self.clinician.name}"
        )
        y = MARGIN_BOTTOM - 21
        for line in lines:
            canvas.drawString(MARGIN_X, y, visual_line(line))
            y -= FOOTER_SIZE + 2.2
        canvas.restoreState()

    # -- helpers for builders ---------------------------------------------------
    def moment(self, value: datetime) -> str:
        return fmt.moment(value, self.tz)

    def para(self, text: str, style: Any = None, width: float | None = None) -> Paragraph:
        """One short paragraph of user text (a name, a title): escaped, any script."""
        style = style or self.styles.body
        if has_rtl(text):
            return bidi_paragraph(text.replace("\n", " "), style, width or self.width)
        return Paragraph(escape(text).replace("\n", "<br/>"), style)

    def text(self, text: str, style: Any = None, width: float | None = None) -> list[Flowable]:
        """Free text of any length: paragraph per line, or a dash when empty."""
        style = style or self.styles.body
        if not text.strip():
            return [Paragraph("—", self.styles.empty)]
        return text_flowables(text, style, width or self.width)

    def letterhead(self) -> list[Flowable]:
        """The clinic and clinician, from the profile, across the top of page 1."""
        c = self.clinician
        s = self.styles
        left_width, right_width = self.width * 0.58, self.width * 0.42
        name_line = c.name + (f", {c.credentials}" if c.credentials else "")
        left: list[Flowable] = [
            self.para(c.clinic_name or name_line, s.letterhead_name, left_width)
        ]
        if c.clinic_name:
            left.append(self.para(name_line, s.letterhead_line, left_width))
        if c.licence_number:
            left.append(self.para(f"Licence no. {c.licence_number}", s.letterhead_line, left_width))
        right: list[Flowable] = [
            self.para(line, s.letterhead_right, right_width)
            for line in c.clinic_address.splitlines()[:5]
            if line.strip()
        ]
        if c.clinic_phone:
            right.append(self.para(f"Tel. {c.clinic_phone}", s.letterhead_right, right_width))
        table = RecordTable([[left, right or ""]], colWidths=[left_width, right_width])
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.8, ACCENT),
                ]
            )
        )
        return [table, Spacer(1, 14)]

    def title_block(self, title: str, subtitle: str = "") -> list[Flowable]:
        block: list[Flowable] = [Paragraph(escape(title), self.styles.title)]
        if subtitle:
            block.append(self.para(subtitle, self.styles.subtitle))
        else:
            block.append(Spacer(1, 8))
        return block

    def fact_strip(
        self, items: Sequence[tuple[str, str]], widths: Sequence[float] | None = None
    ) -> Table:
        """A row of labelled facts (label above value) on a light panel."""
        count = max(1, len(items))
        col_widths = list(widths) if widths else [self.width / count] * count
        cells = [
            [
                Paragraph(escape(label.upper()), self.styles.label),
                self.para(value or "—", self.styles.value, col_widths[i] - 16),
            ]
            for i, (label, value) in enumerate(items)
        ]
        table = RecordTable([cells], colWidths=col_widths)
        table.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, -1), PANEL),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 8),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                    ("TOPPADDING", (0, 0), (-1, -1), 6),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 7),
                    ("LINEAFTER", (0, 0), (-2, -1), 1.5, colors.white),
                ]
            )
        )
        return table

    def detail_table(self, rows: Sequence[tuple[str, str]], label_width: float = 40 * mm) -> Table:
        """Label / value rows (client details): values may be long, multi-line, any script."""
        value_width = self.width - label_width
        data = [
            [
                Paragraph(escape(label), self.styles.small),
                self.text(value, self.styles.value, value_width - 12),
            ]
            for label, value in rows
        ]
        table = RecordTable(data, colWidths=[label_width, value_width], repeatRows=0)
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 6),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                    ("TOPPADDING", (0, 0), (-1, -1), 4),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                    ("BACKGROUND", (0, 0), (0, -1), PANEL),
                ]
            )
        )
        return table

    def list_table(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        widths: list[float],
        *,
        marked: Sequence[int] = (),
        marked_colour: colors.Color | None = None,
    ) -> RecordTable:
        """Header repeated on every page; every cell may be the client's text, any script or length.

        `marked` rows (0 = the first data row) get `marked_colour` behind them.
        A row longer than a page splits across pages rather than failing.
        """
        cell = self.styles.small.clone("list-cell", textColor=INK)
        data: list[list[object]] = [[Paragraph(escape(h), self.styles.label) for h in header]]
        for row in rows:
            data.append(
                [
                    self.text(value, cell, widths[i] - 8) if value.strip() else Paragraph("—", cell)
                    for i, value in enumerate(row)
                ]
            )
        commands = list(LIST_TABLE_STYLE)
        if marked_colour is not None:
            commands += [("BACKGROUND", (0, i + 1), (-1, i + 1), marked_colour) for i in marked]
        table = RecordTable(data, colWidths=widths, repeatRows=1, splitInRow=1)
        table.setStyle(TableStyle(commands))
        return table

    def banner(self, title: str, text: str, colour: colors.Color, light: colors.Color) -> Table:
        """A boxed notice with a coloured bar: drafts, psychotherapy notes, warnings."""
        title_style = self.styles.banner.clone("banner-coloured", textColor=colour)
        body = [Paragraph(escape(title), title_style)]
        if text:
            body.append(self.para(text, self.styles.banner_text, self.width - 24))
        table = RecordTable([[body]], colWidths=[self.width])
        table.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, -1), light),
                    ("LINEBEFORE", (0, 0), (0, -1), 3, colour),
                    ("LEFTPADDING", (0, 0), (-1, -1), 10),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 10),
                    ("TOPPADDING", (0, 0), (-1, -1), 5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                ]
            )
        )
        return table

    def date_range(self, start: date | None, end: date | None) -> str:
        if start and end:
            return f"{fmt.day(start)} – {fmt.day(end)}"
        if start:
            return f"from {fmt.day(start)}"
        if end:
            return f"up to {fmt.day(end)}"
        return "all sessions"


def _clip(text: str, font: str, size: float, width: float) -> str:
    """A single canvas line shortened with an ellipsis to fit `width`."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"
