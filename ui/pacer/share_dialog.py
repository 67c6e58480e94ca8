"""Share with the client: the link for a video call's chat, its code for a tablet in the room.

The link holds its key after the `#`, so it is the client's alone: it goes
to the clipboard only when the therapist clicks Copy, and the page it opens
shows only the stimulus. The dialog stays open beside the pacer, saying how
the client's page is doing, and closes the link when asked.
"""

from __future__ import annotations

import io

import segno
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from console.remote.share import PageStatus, SharedLink, vibrating
from ui.pacer.sharing import LinkSharing
from ui.widgets import named


def status_words(status: PageStatus) -> str:
    """What the therapist reads about the client's page, in plain words."""
    if status.connection == "ended":
        return "Closed: the client's page says the link has ended."
    if status.connection == "waiting":
        return "Waiting for the client to open the link."
    if status.connection == "lost":
        return "Lost: no word from the client's page for 20 seconds."
    head = "Reconnecting…" if status.connection == "reconnecting" else "Connected"
    parts = [head]
    if status.screen is not None:
        size = f"{status.screen[0]}×{status.screen[1]}"
        parts.append(f"{size} at {status.refresh_hz:.0f} Hz" if status.refresh_hz else size)
    if status.visible is False:
        parts.append("page hidden")
    if not status.started:
        parts.append("the client has not tapped Start yet")
    if status.controllers:
        parts.append(vibrating(status.controllers))
    if status.uncertainty_s is not None:
        parts.append(f"clock within ±{status.uncertainty_s * 1000:.1f} ms")
    if status.frames:
        parts.append(f"{status.late_frames} late of {status.frames} frames")
    if status.refused:
        parts.append(f"{status.refused} forged or stale messages refused")
    return ", ".join(parts) + "."


class ShareDialog(QDialog):
    def __init__(self, sharing: LinkSharing, link: SharedLink, parent: QWidget | None = None):
        super().__init__(parent)
        self.sharing = sharing
        self.link = link
        self.setWindowTitle(self.tr("Share with the client"))
        intro = QLabel(
            self.tr(
                "Send this link through your video platform's chat, or let a tablet in the "
                "room scan the code. The client taps Start once; you drive everything from "
                "here. The page shows only the stimulus."
            )
        )
        intro.setWordWrap(True)
        self.url = named(QLineEdit(link.url), "Client link")
        self.url.setReadOnly(True)
        self.url.setCursorPosition(0)  # the start of the address shows, not the key's end
        self.copy = named(QPushButton(self.tr("&Copy link")), "Copy client link")
        self.code = named(QLabel(), "Client link code")
        self.code.setPixmap(self._qr(link.url))
        self.status = named(QLabel(), "Client page status")
        self.status.setWordWrap(True)
        self.status.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.close_link = named(QPushButton(self.tr("Close &link")), "Close client link")
        row = QHBoxLayout()
        row.addWidget(self.url, 1)
        row.addWidget(self.copy)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.close_link, QDialogButtonBox.ButtonRole.DestructiveRole)
        below = QHBoxLayout()
        below.addWidget(self.code)
        below.addWidget(self.status, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addLayout(below)
        layout.addWidget(buttons)
        self.setMinimumWidth(620)
        self.copy.clicked.connect(self._on_copy_clicked)
        self.close_link.clicked.connect(self._on_close_link_clicked)
        buttons.rejected.connect(self.reject)
        sharing.changed.connect(self._refresh)
        self._refresh()

    @staticmethod
    def _qr(url: str) -> QPixmap:
        data = io.BytesIO()
        segno.make(url, error="m").save(data, kind="png", scale=4, border=3)
        pixmap = QPixmap()
        pixmap.loadFromData(data.getvalue(), "PNG")
        return pixmap

    def _refresh(self) -> None:
        self.status.setText(status_words(self.link.status()))
        self.close_link.setEnabled(self.link.ended is None)

    def _on_copy_clicked(self) -> None:
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None:
            clipboard.setText(self.link.url)
        self.copy.setText(self.tr("Copied"))

    def _on_close_link_clicked(self) -> None:
        self.sharing.close(self.link)
        self._refresh()
