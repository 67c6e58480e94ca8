"""The PDF fonts: DejaVu, shipped in resources/fonts and embedded (subset) in every file.

The standard-14 PDF fonts (Helvetica, Times…) cover Latin-1 only, so a
client's name in Greek, Cyrillic, Hebrew or Arabic would print as black
boxes. DejaVu Sans covers all of those (and much more); every style in the
documents uses it, and reportlab embeds the glyphs used as a TrueType subset
(/FontFile2), so the PDF looks the same on any computer.
"""

from __future__ import annotations

import threading

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from console.resources import resource_path

SANS = "DejaVuSans"
SANS_BOLD = "DejaVuSans-Bold"
SANS_ITALIC = "DejaVuSans-Oblique"
MONO = "DejaVuSansMono"

FILES: dict[str, str] = {
    SANS: "fonts/DejaVuSans.ttf",
    SANS_BOLD: "fonts/DejaVuSans-Bold.ttf",
    SANS_ITALIC: "fonts/DejaVuSans-Oblique.ttf",
    MONO: "fonts/DejaVuSansMono.ttf",
}

_lock = threading.Lock()
_registered = False


def register_fonts() -> None:
    """Register the fonts with reportlab once per process (safe from worker threads)."""
    global _registered
    with _lock:
        if _registered:
            return
        for name, resource in FILES.items():
            pdfmetrics.registerFont(TTFont(name, str(resource_path(resource))))
        # <b> and <i> inside paragraphs map to these faces; bold italic has no file
        # of its own here, so it prints bold (emphasis is kept, nothing is lost).
        addMapping(SANS, 0, 0, SANS)
        addMapping(SANS, 1, 0, SANS_BOLD)
        addMapping(SANS, 0, 1, SANS_ITALIC)
        addMapping(SANS, 1, 1, SANS_BOLD)
        _registered = True


def covers(char: str, font: str = SANS) -> bool:
    """Whether the font has a glyph for this character (else it prints a box)."""
    register_fonts()
    face = pdfmetrics.getFont(font).face
    return ord(char) in face.charToGlyph
