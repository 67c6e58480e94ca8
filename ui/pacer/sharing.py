"""The pacer's links to clients' own devices: each told what the stimulus shows, and watched.

A link lives while its session is open, and at most the clinic's
`remote_link_max_hours`; closing the session or locking the vault ends it
(the page then says so). While one is live the run schedules each start,
pause and stop `LEAD_S` ahead, so the page, told at once, switches at the
same instant. A page that goes hidden (the client switched apps) pauses the
set, and the therapist is told why.
"""

from __future__ import annotations

import weakref
from datetime import UTC, datetime, timedelta
from typing import Literal

from PySide6.QtCore import QObject, QTimer, Signal

from console.config import Settings
from console.errors import ValidationError
from console.pacer.clock import SetClock
from console.pacer.set_log import MAX_REMOTE_CHARS
from console.pacer.settings import PacerSettings
from console.remote import broker_account
from console.remote.share import BrokerAddress, SharedLink, vibrating
from ui.pacer.run import PacerRun
from ui.workers import run_task

LEAD_S = 0.25  # above a telehealth path's one-way delay, below what a therapist notices
WATCH_MS = 1000


class LinkSharing(QObject):
    changed = Signal()  # a link was shared or closed, or a page reported

    def __init__(self, run: PacerRun, settings: Settings | None, parent: QObject | None = None):
        super().__init__(parent)
        self.run = run
        self.settings = settings
        self.links: list[SharedLink] = []
        self._hidden: set[int] = set()  # links whose page was last seen hidden
        self._timer = QTimer(self)
        self._timer.setInterval(WATCH_MS)
        self._timer.timeout.connect(self._watch)
        self._baseline: dict[int, tuple[int, int]] | None = None  # page frames at set start
        run.shown.connect(self._on_shown)
        run.remote_summary = weakref.WeakMethod(self.set_summary)  # the run never keeps us

    @property
    def live(self) -> list[SharedLink]:
        return [link for link in self.links if link.ended is None]

    def broker(self) -> BrokerAddress:
        """The clinic's broker; a clear refusal when none is set."""
        text = self.settings.get("remote_broker") if self.settings is not None else ""
        if not text:
            raise ValidationError(
                "broker",
                "no broker is set. Add the clinic's broker address in File → Settings…, "
                "under Client's own device",
            )
        return BrokerAddress.parse(text)

    def _picture_delay_ms(self) -> int | None:
        delay = self.settings.get("remote_picture_delay_ms") if self.settings is not None else -1
        return None if delay < 0 else delay

    def share(self) -> SharedLink:
        hours = self.settings.get("remote_link_max_hours") if self.settings is not None else 3
        user = self.settings.get("remote_broker_user") if self.settings is not None else ""
        link = SharedLink(
            self.broker(),
            datetime.now(UTC) + timedelta(hours=hours),
            clock=self.run.clock,
            credentials=broker_account.credentials(user),
            picture_delay_ms=self._picture_delay_ms(),
        )
        link.open()
        self.links.append(link)
        self.run.lead_s = LEAD_S
        self.run.announce()
        self._timer.start()
        self.changed.emit()
        return link

    def close(self, link: SharedLink) -> None:
        """Close a link for good (the therapist's choice)."""
        self._end(link, "revoked")

    def _end(self, link: SharedLink, reason: Literal["revoked", "expired"]) -> None:
        """The broker is told in the background; the link counts as ended at once."""

        link.mark_ended(reason)
        run_task(link.tell_ended, lambda _: self._closed(), lambda _: self._closed())
        self._closed()

    def _closed(self) -> None:
        if not self.live:
            self.run.lead_s = 0.0
        self.changed.emit()

    def _on_shown(self, at: float, settings: PacerSettings, clock: SetClock | None) -> None:
        if clock is not None and clock.anchor_set == 0.0 and self._baseline is None:
            self._baseline = {
                id(link): (link.status().frames, link.status().late_frames) for link in self.live
            }
        for link in self.live:
            link.send_state(settings, clock, at)

    def set_summary(self) -> str:
        """For the set log, as a set ends: the client's device it also ran on, and how it kept
        time there (its own frame counts over the set, the clock's uncertainty)."""
        baseline, self._baseline = self._baseline or {}, None
        words = []
        for link in self.live:
            status = link.status()
            if status.heard_at is None:
                words.append("Shared with a client's device that never connected.")
                continue
            frames0, late0 = baseline.get(id(link), (status.frames, status.late_frames))
            frames = max(0, status.frames - frames0)
            late = max(0, status.late_frames - late0)
            where = "the client's device"
            if status.screen is not None:
                where += f" ({status.screen[0]}×{status.screen[1]}"
                where += f" at {status.refresh_hz:.0f} Hz)" if status.refresh_hz else ")"
            line = f"Also on {where}: {late} of {frames} frames late"
            if status.controllers:
                line += f", {vibrating(status.controllers)}"
            if status.uncertainty_s is not None:
                line += f", clock within ±{status.uncertainty_s * 1000:.1f} ms"
            if status.connection != "connected":
                line += f", {status.connection} at the end"
            words.append(line + ".")
        return " ".join(words)[:MAX_REMOTE_CHARS]

    def _watch(self) -> None:
        for link in self.live:
            if link.wall() >= link.expires_at:
                self._end(link, "expired")
                continue
            status = link.status()
            hidden = status.visible is False and status.connection == "connected"
            if hidden and id(link) not in self._hidden and self.run.running:
                self.run.pause()
                self.run.message.emit(
                    self.tr(
                        "The client's page is hidden (another app or tab is in front): "
                        "the set is paused."
                    )
                )
            if hidden:
                self._hidden.add(id(link))
            else:
                self._hidden.discard(id(link))
        self.changed.emit()

    def shutdown(self) -> None:
        """The session closes or the vault locks: every link ends, and its page says so."""
        self._timer.stop()
        for link in self.live:
            link.end("expired", wait_s=1.0)
        self.run.lead_s = 0.0
