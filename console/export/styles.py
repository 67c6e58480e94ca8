"""The look of every record: one palette, one stylesheet, all in the embedded DejaVu fonts.

Body text is 10 pt on 14 pt leading (a clinical record is read, not skimmed);
headings step down from the title by size and weight, not by colour alone,
so the hierarchy survives a black-and-white printer.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle

from console.export.fonts import MONO, SANS, SANS_BOLD, SANS_ITALIC, register_fonts

INK = colors.HexColor("#1d2731")
MUTED = colors.HexColor("#5b6670")
ACCENT = colors.HexColor("#2c6e6a")
ACCENT_LIGHT = colors.HexColor("#e6f0ef")
RULE = colors.HexColor("#c9d3d8")
PANEL = colors.HexColor("#f3f5f6")
SIGNED = colors.HexColor("#2e6b34")
SIGNED_LIGHT = colors.HexColor("#eaf3eb")
DRAFT = colors.HexColor("#b3261e")
DRAFT_LIGHT = colors.HexColor("#fdecea")
APART = colors.HexColor("#5b3a8c")  # psychotherapy notes, kept apart
APART_LIGHT = colors.HexColor("#f1ecf8")


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    body_right: ParagraphStyle
    small: ParagraphStyle
    small_right: ParagraphStyle
    label: ParagraphStyle
    value: ParagraphStyle
    title: ParagraphStyle
    subtitle: ParagraphStyle
    part: ParagraphStyle
    heading: ParagraphStyle
    heading_right: ParagraphStyle
    section: ParagraphStyle
    empty: ParagraphStyle
    mono: ParagraphStyle
    code: ParagraphStyle
    letterhead_name: ParagraphStyle
    letterhead_line: ParagraphStyle
    letterhead_right: ParagraphStyle
    banner: ParagraphStyle
    banner_text: ParagraphStyle


def make_styles() -> Styles:
    """A fresh stylesheet (styles are mutable reportlab objects: one set per document)."""
    register_fonts()
    body = ParagraphStyle(
        "body", fontName=SANS, fontSize=10, leading=14, textColor=INK, spaceAfter=2
    )
    small = ParagraphStyle(
        "small", parent=body, fontSize=8.5, leading=11.5, textColor=MUTED, spaceAfter=0
    )
    heading = ParagraphStyle(
        "heading", parent=body, fontName=SANS_BOLD, fontSize=11, leading=14, spaceAfter=0
    )
    return Styles(
        body=body,
        small=small,
        heading=heading,
        **_text_styles(body, small),
        **_heading_styles(body, small),
        **_letterhead_styles(body, small),
    )


def _text_styles(body: ParagraphStyle, small: ParagraphStyle) -> dict[str, ParagraphStyle]:
    """Running text: aligned variants, field labels and values, and fixed-width text."""
    return dict(
        body_right=ParagraphStyle("body_right", parent=body, alignment=TA_RIGHT),
        small_right=ParagraphStyle("small_right", parent=small, alignment=TA_RIGHT),
        label=ParagraphStyle(
            "label", parent=small, fontName=SANS_BOLD, fontSize=7, leading=9, textColor=MUTED
        ),
        value=ParagraphStyle("value", parent=body, fontSize=10, leading=13, spaceAfter=0),
        empty=ParagraphStyle("empty", parent=body, fontName=SANS_ITALIC, textColor=MUTED),
        mono=ParagraphStyle("mono", parent=body, fontName=MONO, fontSize=7.5, leading=10),
        code=ParagraphStyle(
            "code",
            parent=body,
            fontName=MONO,
            fontSize=21,
            leading=30,
            alignment=TA_CENTER,
            textColor=INK,
        ),
    )


def _heading_styles(body: ParagraphStyle, small: ParagraphStyle) -> dict[str, ParagraphStyle]:
    return dict(
        title=ParagraphStyle(
            "title", parent=body, fontName=SANS_BOLD, fontSize=19, leading=24, spaceAfter=2
        ),
        subtitle=ParagraphStyle(
            "subtitle", parent=body, fontSize=10.5, leading=14, textColor=MUTED, spaceAfter=10
        ),
        part=ParagraphStyle(
            "part",
            parent=body,
            fontName=SANS_BOLD,
            fontSize=13.5,
            leading=18,
            textColor=ACCENT,
            spaceBefore=16,
            spaceAfter=6,
            keepWithNext=1,
        ),
        heading_right=ParagraphStyle(
            "heading_right", parent=small, alignment=TA_RIGHT, fontName=SANS_BOLD
        ),
        section=ParagraphStyle(
            "section",
            parent=body,
            fontName=SANS_BOLD,
            fontSize=9,
            leading=12,
            textColor=ACCENT,
            spaceBefore=7,
            spaceAfter=2,
            keepWithNext=1,
        ),
    )


def _letterhead_styles(body: ParagraphStyle, small: ParagraphStyle) -> dict[str, ParagraphStyle]:
    """The clinic's letterhead, and the coloured banners that set a notice apart."""
    return dict(
        letterhead_name=ParagraphStyle(
            "letterhead_name",
            parent=body,
            fontName=SANS_BOLD,
            fontSize=14,
            leading=18,
            textColor=ACCENT,
            spaceAfter=1,
        ),
        letterhead_line=ParagraphStyle(
            "letterhead_line", parent=small, fontSize=9, leading=12, alignment=TA_LEFT
        ),
        letterhead_right=ParagraphStyle(
            "letterhead_right", parent=small, fontSize=8.5, leading=11.5, alignment=TA_RIGHT
        ),
        banner=ParagraphStyle(
            "banner", parent=body, fontName=SANS_BOLD, fontSize=10, leading=13, spaceAfter=1
        ),
        banner_text=ParagraphStyle("banner_text", parent=small, textColor=INK),
    )
