"""Session-type badges drawn from the palette: a letter code on a coloured tile.

Colour is never the only cue (the two letters say the type), and the letter
colour is chosen for contrast on the tile, so the badges read in light and
dark themes alike.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap

from console.vocabulary import SESSION_KIND_CODES, SessionKind

_TILE = {
    SessionKind.INTAKE: "#5b6b7f",
    SessionKind.PREPARATION: "#3f7d6e",
    SessionKind.MEDICINE: "#8a4f9e",
    SessionKind.INTEGRATION: "#2f6fa8",
    SessionKind.EMDR: "#b5651d",
    SessionKind.ART: "#a83f5a",
    SessionKind.IFS: "#3b8a3b",
    SessionKind.MAINTENANCE: "#6d6d2f",
    SessionKind.OTHER: "#6b6b6b",
}


@cache
def session_icon(kind: SessionKind, size: int = 28) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor(_TILE[kind]))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawRoundedRect(QRectF(0, 0, size, size), size * 0.22, size * 0.22)
    font = QFont()
    font.setBold(True)
    font.setPixelSize(int(size * 0.42))
    painter.setFont(font)
    painter.setPen(QColor("white"))
    painter.drawText(
        QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, SESSION_KIND_CODES[kind]
    )
    painter.end()
    return QIcon(pixmap)


def calendar_icon(colour: QColor, size: int = 16) -> QIcon:
    """A page of a wall calendar in the given colour (the button text's, so it suits the theme)."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    unit = size / 16
    painter.setPen(colour)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRoundedRect(QRectF(1.5 * unit, 2.5 * unit, 13 * unit, 12 * unit), unit, unit)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    painter.drawRect(QRectF(1.5 * unit, 2.5 * unit, 13 * unit, 3 * unit))
    for row in range(3):
        for col in range(4):
            painter.drawRect(
                QRectF((3.5 + col * 2.6) * unit, (7 + row * 2.5) * unit, 1.6 * unit, 1.5 * unit)
            )
    painter.end()
    return QIcon(pixmap)
