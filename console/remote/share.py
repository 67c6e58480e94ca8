"""One shared link: the console's end of the channel to a client page, through the broker.

The console connects out to the clinic's broker (it opens no port of its
own), publishes sealed messages on the link's topics and answers the page's
clock pings at once. Topics, under `sc/<link id>/`: `c` the console's live
messages (set state, pongs), `s` the link's retained state (when it expires,
or that it has ended, so a page opened later still learns it) and `p` the
page's messages (pings and status). Everything is sealed
(`console.remote.sealing`); the broker sees only the topic names and the
sizes.

The console's clock is its monotonic clock, the one the pacer's `SetClock`
is anchored on; a set's state is sent with the console time from which it
applies, so the page switches at that instant on its estimate of this clock.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, Literal
from urllib.parse import urlsplit

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

from console.errors import ValidationError
from console.pacer.clock import SetClock
from console.pacer.settings import PacerSettings
from console.remote.sealing import LinkSecret, Opener, RefusedMessage, Sealer, Sender
from console.remote.wire import settings_message

PAGE_FILE = "pacer.html"
MQTT_PATH = "/mqtt"
HEARD_WITHIN_S = 5.0  # a page reports every second; silent this long, it is reconnecting
LOST_AFTER_S = 20.0

Connection = Literal["waiting", "connected", "reconnecting", "lost", "ended"]


@dataclass(frozen=True)
class BrokerAddress:
    """The clinic's broker, as the setting holds it: `wss://host:port` (or `ws://` on a LAN)."""

    scheme: str
    host: str
    port: int

    @classmethod
    def parse(cls, text: str) -> BrokerAddress:
        parts = urlsplit(text.strip())
        if parts.scheme not in ("ws", "wss") or not parts.hostname:
            raise ValidationError("broker", "must look like wss://broker.example.org:8081")
        if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username:
            raise ValidationError("broker", "is a scheme, a host and a port, nothing more")
        try:
            port = parts.port or (443 if parts.scheme == "wss" else 80)
        except ValueError as exc:
            raise ValidationError("broker", "has a port that is not a number") from exc
        return cls(parts.scheme, parts.hostname, port)

    @property
    def tls(self) -> bool:
        return self.scheme == "wss"

    def page_url(self, secret: LinkSecret) -> str:
        """The link the client opens; the key is only in the fragment, never sent anywhere."""
        web = "https" if self.tls else "http"
        return f"{web}://{self.host}:{self.port}/{PAGE_FILE}#{secret.fragment}"


@dataclass(frozen=True)
class PageStatus:
    """What the therapist is shown about the client's page, as it last reported."""

    connection: Connection = "waiting"
    visible: bool | None = None
    screen: tuple[int, int] | None = None
    refresh_hz: float | None = None
    picture_delay_ms: float | None = None  # how long after drawing the page takes a frame to show
    picture_delay_by: str | None = None  # "clinic" (measured), "browser" (reported), "refresh"
    offset_s: float | None = None
    uncertainty_s: float | None = None
    frames: int = 0
    late_frames: int = 0
    worst_frame_ms: float | None = None
    refused: int = 0
    sound: str = "locked"
    started: bool = False  # the client has tapped Start
    controllers: int = 0  # game controllers the page vibrates
    time_origin_ms: float | None = None  # the page clock's zero, in Unix ms (for benches)
    heard_at: float | None = None  # console time of the last report


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def vibrating(controllers: int) -> str:
    """The therapist's words for the page's game controllers, in the status and the set log."""
    return f"vibrating {controllers} game controller" + ("" if controllers == 1 else "s")


def _count(value: object, most: int) -> int:
    """A small count from the page: anything else (negative, NaN, huge, not a number) is 0."""
    number = _number(value)
    return int(number) if number is not None and 0 <= number <= most else 0


def _one_of(value: object, allowed: tuple[str, ...]) -> str | None:
    return value if isinstance(value, str) and value in allowed else None


def _pair(value: object) -> tuple[int, int] | None:
    if isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) for v in value):
        return int(value[0]), int(value[1])
    return None


def status_from(report: dict[str, Any], now: float, before: PageStatus) -> PageStatus:
    """A page's report, taken field by field: it is the client's device, so nothing is trusted."""
    frames = _number(report.get("frames"))
    late = _number(report.get("late"))
    refused = _number(report.get("refused"))
    sound = report.get("sound")
    return PageStatus(
        connection="connected",
        visible=report.get("visible") if isinstance(report.get("visible"), bool) else None,
        screen=_pair(report.get("screen")),
        refresh_hz=_number(report.get("refresh_hz")),
        picture_delay_ms=_number(report.get("picture_delay_ms")),
        picture_delay_by=_one_of(report.get("picture_delay_by"), ("clinic", "browser", "refresh")),
        offset_s=_number(report.get("offset")),
        uncertainty_s=_number(report.get("uncertainty")),
        frames=int(frames) if frames is not None else before.frames,
        late_frames=int(late) if late is not None else before.late_frames,
        worst_frame_ms=_number(report.get("worst_ms")),
        refused=int(refused) if refused is not None else before.refused,
        sound=sound if isinstance(sound, str) and len(sound) < 20 else before.sound,
        started=report.get("tapped") is True,
        controllers=_count(report.get("controllers"), most=4),
        time_origin_ms=_number(report.get("time_origin")),
        heard_at=now,
    )


def clock_message(set_clock: SetClock | None) -> dict[str, object]:
    if set_clock is None or set_clock.anchor_wall is None:
        return {"started": False, "running": False, "anchor_wall": 0.0, "anchor_set": 0.0}
    return {
        "started": True,
        "running": set_clock.running,
        "anchor_wall": set_clock.anchor_wall,
        "anchor_set": set_clock.anchor_set,
    }


class SharedLink:
    """The console's end of one link; publishes from any thread, answers pings on paho's."""

    def __init__(
        self,
        broker: BrokerAddress,
        expires_at: datetime,
        *,
        clock: Callable[[], float] = time.monotonic,
        wall: Callable[[], datetime] = lambda: datetime.now(UTC),
        on_status: Callable[[PageStatus], None] | None = None,
        credentials: tuple[str, str] | None = None,
        secret: LinkSecret | None = None,
        picture_delay_ms: int | None = None,
    ) -> None:
        self.broker = broker
        self.secret = secret or LinkSecret.new()
        self.expires_at = expires_at
        self.picture_delay_ms = picture_delay_ms
        self.clock = clock
        self.wall = wall
        self.on_status = on_status
        base = f"sc/{self.secret.topic_id}"
        self.topics = {"live": f"{base}/c", "link": f"{base}/s", "page": f"{base}/p"}
        self._sealer = Sealer(self.secret, Sender.CONSOLE, sequence=time.time_ns() // 1000)
        self._opener = Opener(self.secret, Sender.PAGE)
        self._send_lock = threading.Lock()
        self._status = PageStatus()
        self._ended: str | None = None
        self._told_ended = False
        self._last_state: dict[str, object] | None = None
        self._client = mqtt.Client(
            CallbackAPIVersion.VERSION2,
            client_id=f"console-{self.secret.topic_id[:8]}",
            transport="websockets",
        )
        self._client.ws_set_options(path=MQTT_PATH)
        if broker.tls:
            self._client.tls_set()
        if credentials is not None:
            self._client.username_pw_set(*credentials)
        self._client.reconnect_delay_set(1, 10)
        self._client.on_connect = self._on_connect
        self._client.on_message = self._on_message

    @property
    def url(self) -> str:
        return self.broker.page_url(self.secret)

    @property
    def ended(self) -> str | None:
        """Why the link ended ("revoked", "expired"), or None while it is live."""
        return self._ended

    def open(self) -> None:
        """Connect (in the background; the broker may be down for now and come back)."""
        self._client.connect_async(self.broker.host, self.broker.port, keepalive=20)
        self._client.loop_start()

    def status(self) -> PageStatus:
        """The page's last report, and whether it is still heard from."""
        status = self._status
        if self._ended is not None:
            return replace(status, connection="ended")
        if status.heard_at is None:
            return status
        silent = self.clock() - status.heard_at
        if silent > LOST_AFTER_S:
            return replace(status, connection="lost")
        if silent > HEARD_WITHIN_S:
            return replace(status, connection="reconnecting")
        return status

    def send_state(self, settings: PacerSettings, set_clock: SetClock | None, at: float) -> None:
        """From console time `at`, the page shows this set in this state."""
        if self._ended is not None:
            return
        state = {
            "type": "state",
            "at": at,
            "settings": settings_message(settings),
            "clock": clock_message(set_clock),
        }
        self._last_state = state
        self._publish(self.topics["live"], state)

    def end(self, reason: Literal["revoked", "expired"], wait_s: float = 5.0) -> None:
        """The link is closed for good: a page open now, or opened later, says so.

        Waits up to `wait_s` for the broker to have the retained notice.
        """
        self.mark_ended(reason)
        self.tell_ended(wait_s)

    def mark_ended(self, reason: Literal["revoked", "expired"]) -> None:
        """From now on nothing more is sent for a set (the first reason given stands)."""
        if self._ended is None:
            self._ended = reason

    def tell_ended(self, wait_s: float = 5.0) -> None:
        """Tell the broker (retained) and the page that the link has ended, then let go."""
        if self._ended is None or self._told_ended:
            return
        self._told_ended = True
        ended: dict[str, object] = {"type": "ended", "reason": self._ended}
        info = self._publish(self.topics["link"], ended, retain=True, qos=1)
        self._publish(self.topics["live"], ended)
        if self._client.is_connected():
            info.wait_for_publish(timeout=wait_s)
        self.close()

    def close(self) -> None:
        self._client.disconnect()
        self._client.loop_stop()

    def _publish(
        self, topic: str, message: dict[str, object], *, retain: bool = False, qos: int = 0
    ) -> mqtt.MQTTMessageInfo:
        # Sealed and handed over under one lock, so the broker gets them in sequence order.
        with self._send_lock:
            sealed = self._sealer.seal(message)
            return self._client.publish(topic, sealed, qos=qos, retain=retain)

    def _on_connect(
        self,
        client: mqtt.Client,
        _userdata: object,
        _flags: object,
        reason: Any,
        _props: object = None,
    ) -> None:
        if reason.is_failure:
            return
        client.subscribe(self.topics["page"], qos=0)
        if self._ended is None:
            about: dict[str, object] = {"type": "link", "expires_at": self.expires_at.timestamp()}
            if self.picture_delay_ms is not None:
                about["picture_delay_ms"] = self.picture_delay_ms
            self._publish(self.topics["link"], about, retain=True)
            if self._last_state is not None:
                self._publish(self.topics["live"], self._last_state)

    def _on_message(
        self, _client: mqtt.Client, _userdata: object, message: mqtt.MQTTMessage
    ) -> None:
        received = self.clock()
        try:
            report = self._opener.open(bytes(message.payload))
        except RefusedMessage:
            return
        kind = report.get("type")
        if kind == "ping" and self._ended is None:
            pong = {"type": "pong", "id": report.get("id"), "t1": received}
            with self._send_lock:
                pong["t2"] = self.clock()
                self._client.publish(self.topics["live"], self._sealer.seal(pong), qos=0)
        elif kind == "status":
            self._status = status_from(report, received, self._status)
            if self.on_status is not None:
                self.on_status(self._status)
