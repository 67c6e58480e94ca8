"""The shared link end to end: the console, a real Mosquitto, the client page in real Chromium.

What is checked is what the client's screen shows (pixels of the page's own
screenshot, against the console's engine at the instants around it), what
the broker carries (sniffed: ciphertext only, no client's name) and what the
page says when a link is closed, expired or fed forgeries.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion
from playwright.sync_api import Browser, Page, sync_playwright
from PySide6.QtGui import QImage

from console.pacer.audio import sound_events
from console.pacer.clock import SetClock
from console.pacer.motion import Motion
from console.pacer.settings import PacerSettings
from console.remote.sealing import LinkSecret, Opener, Sealer, Sender
from console.remote.share import SharedLink
from console.remote.wire import settings_message
from tests.integration.remote_parts import (
    CHROMIUM,
    CHROMIUM_ARGS,
    STAND_IN_CONTROLLERS,
    Broker,
    Eavesdropper,
    broker,
)

WIDTH, HEIGHT = 1280, 720
SETTINGS = PacerSettings(speed_hz=0.5, limit="open", limit_value=0, colour="#5b9bd5")
SOUND_JS = Path(__file__).resolve().parents[2] / "resources/remote/src/sound.js"
CONTROLLER_WAIT_MS = int(
    re.search(r"CONTROLLER_WAIT_MS = ([\d_]+);", SOUND_JS.read_text()).group(1)  # type: ignore[union-attr]
)


@pytest.fixture
def running_broker(tmp_path: Path) -> Iterator[Broker]:
    with broker(tmp_path) as b:
        yield b


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium: Browser) -> Iterator[Page]:
    context = chromium.new_context(viewport={"width": WIDTH, "height": HEIGHT})
    yield context.new_page()
    context.close()


def _wait(condition, timeout: float = 15.0, what: str = "") -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or condition}")
        time.sleep(0.05)


def _shared(b: Broker, expires_in: timedelta = timedelta(hours=1)) -> SharedLink:
    link = SharedLink(b.address, datetime.now(UTC) + expires_in)
    link.open()
    return link


def _joined(page: Page, link: SharedLink) -> None:
    page.goto(link.url)
    start = page.get_by_role("button", name="Start")
    start.wait_for(timeout=15_000)
    start.click()
    _wait(lambda: link.status().started, what="the page's report that Start was tapped")


def _dot_x(page: Page, colour: str) -> float | None:
    """The stimulus's centre on the client's screen, found in the page's own pixels."""
    image = QImage.fromData(page.screenshot()).convertToFormat(QImage.Format.Format_RGB888)
    pixels = (
        np.frombuffer(image.constBits(), np.uint8)
        .reshape(image.height(), image.bytesPerLine())[:, : image.width() * 3]
        .reshape(image.height(), image.width(), 3)
    )
    target = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)])
    hits = np.argwhere(np.abs(pixels.astype(int) - target).sum(axis=2) < 30)
    return None if len(hits) == 0 else float(hits[:, 1].mean())


def _expected_x(motion: Motion, t: float) -> float:
    reach = WIDTH * SETTINGS.sweep_percent / 200 - SETTINGS.size_px / 2
    return WIDTH / 2 + motion.position(t)[0] * reach


def test_the_clients_screen_shows_the_consoles_set(running_broker: Broker, page: Page) -> None:
    link = _shared(running_broker)
    try:
        _joined(page, link)
        status = link.status()
        assert status.connection == "connected" and status.screen is not None
        assert status.uncertainty_s is not None and status.uncertainty_s < 0.05
        t0 = link.clock() + 0.3
        link.send_state(SETTINGS, SetClock().start(t0), at=t0)
        motion = Motion(SETTINGS)
        _wait(lambda: link.clock() > t0 + 0.5, what="the set to be under way")
        checked = 0
        for _ in range(12):
            before = link.clock() - t0
            x = _dot_x(page, SETTINGS.colour)
            after = link.clock() - t0
            assert x is not None, "the stimulus is on the client's screen"
            span = [_expected_x(motion, before + (after - before) * i / 50) for i in range(51)]
            slack = 0.05 * WIDTH  # one frame's travel at most, and the dot's antialiasing
            assert min(span) - slack <= x <= max(span) + slack, (before, after, x)
            checked += 1
        assert checked == 12
        stop_at = link.clock() + 0.2
        link.send_state(SETTINGS, None, at=stop_at)
        _wait(lambda: link.clock() > stop_at + 0.3)
        x = _dot_x(page, SETTINGS.colour)
        assert x is not None and abs(x - _expected_x(motion, 0.0)) < 3, "stopped: back at the start"
    finally:
        link.close()


def _drawn_ahead(page: Page, link: SharedLink, t0: float) -> list[float]:
    """How far ahead of the console's set time the page's frames are drawn, frame by frame."""
    ahead = []
    for _ in range(20):
        before = link.clock() - t0
        drawn = float(page.evaluate("document.getElementById('stimulus').dataset.setTime"))
        after = link.clock() - t0
        ahead.append(drawn - (before + after) / 2)
    return ahead


@pytest.mark.parametrize("delay_ms", [None, 120])
def test_each_frame_is_drawn_for_the_moment_the_clients_screen_shows_it(
    running_broker: Broker, page: Page, delay_ms: int | None
) -> None:
    """Chromium reports when each frame reached the screen, and the page draws its frames
    that far ahead; a device whose delay the clinic measured is drawn that much ahead."""
    link = SharedLink(
        running_broker.address, datetime.now(UTC) + timedelta(hours=1), picture_delay_ms=delay_ms
    )
    link.open()
    try:
        _joined(page, link)
        t0 = link.clock() + 0.2
        link.send_state(SETTINGS, SetClock().start(t0), at=t0)
        _wait(lambda: link.clock() > t0 + 3.0, what="the set to be under way")
        by = "browser" if delay_ms is None else "clinic"
        _wait(lambda: link.status().picture_delay_by == by, what=f"the delay as the {by} has it")
        used = link.status().picture_delay_ms
        assert used is not None
        assert 0 < used < 150 if delay_ms is None else used == delay_ms
        ahead = float(np.median(_drawn_ahead(page, link, t0)))
        assert used / 1000 - 0.03 < ahead < used / 1000 + 0.03, (ahead, used)
    finally:
        link.close()


def test_forgeries_replays_and_a_speed_over_the_cap_change_nothing(
    running_broker: Broker, page: Page
) -> None:
    link = _shared(running_broker)
    spy = Eavesdropper(running_broker.mqtt_port, link.topics["live"])
    try:
        _joined(page, link)
        t0 = link.clock() + 0.2
        link.send_state(SETTINGS, SetClock().start(t0), at=t0)
        _wait(lambda: any(len(p) > 200 for _, p in spy.seen), what="a state on the wire")
        captured = next(p for _, p in spy.seen if len(p) > 200)
        tampered = bytearray(captured)
        tampered[40] ^= 0x01
        stranger = Sealer(LinkSecret.new(), Sender.CONSOLE, sequence=10**17)
        insider = Sealer(link.secret, Sender.CONSOLE, sequence=10**17)  # the key, but too fast
        too_fast = {**settings_message(SETTINGS), "speed_hz": "3.5"}
        forged = [
            captured,
            bytes(tampered),
            stranger.seal({"type": "ended", "reason": "revoked"}),
            insider.seal({"type": "state", "at": 0, "settings": too_fast, "clock": {}}),
        ]
        for payload in forged:
            spy.publish(link.topics["live"], payload)
        _wait(lambda: page.evaluate("document.body.dataset.refused") == "4", what="4 refusals")
        assert page.get_by_role("button", name="Start").is_hidden()
        assert "ended" not in (page.evaluate("document.body.dataset.ended") or "")
        moving = {page.evaluate("document.getElementById('stimulus').dataset.centre")}
        _wait(
            lambda: (
                len(moving | {page.evaluate("document.getElementById('stimulus').dataset.centre")})
                > 1
            ),
            what="the stimulus still moving at its own speed",
        )
    finally:
        spy.close()
        link.close()


def test_a_closed_link_and_an_expired_one_say_so_even_when_opened_later(
    running_broker: Broker, chromium: Browser
) -> None:
    link = _shared(running_broker)
    context = chromium.new_context(viewport={"width": WIDTH, "height": HEIGHT})
    try:
        first = context.new_page()
        _joined(first, link)
        link.end("revoked")
        first.get_by_text("closed by your therapist").wait_for(timeout=15_000)
        later = context.new_page()
        later.goto(link.url)
        later.get_by_text("closed by your therapist").wait_for(timeout=15_000)
        assert later.get_by_role("button", name="Start").is_hidden()
        stale = _shared(running_broker, expires_in=timedelta(seconds=-1))
        try:
            opened = context.new_page()
            opened.goto(stale.url)
            opened.get_by_text("This link has expired").wait_for(timeout=15_000)
        finally:
            stale.close()
    finally:
        context.close()
        link.close()


def test_the_broker_carries_no_client_data_and_no_words_of_the_set(
    running_broker: Broker, page: Page
) -> None:
    spy = Eavesdropper(running_broker.mqtt_port)
    link = _shared(running_broker)
    try:
        _joined(page, link)
        t0 = link.clock() + 0.2
        link.send_state(SETTINGS, SetClock().start(t0), at=t0)
        _wait(lambda: link.clock() > t0 + 2.5)
        link.end("revoked")
        assert len(spy.seen) > 5
        words = [b"Alex", b"Rivera", b"horizontal", b"speed", b"ping", b"status", b"revoked"]
        for topic, payload in spy.seen:
            assert topic.startswith(f"sc/{link.secret.topic_id}/"), topic
            for word in words:
                assert word not in payload, (topic, word)
            with pytest.raises(ValueError):
                json.loads(payload)
    finally:
        spy.close()
        link.close()


def test_the_page_and_the_console_come_back_after_the_broker_restarts(
    running_broker: Broker, page: Page
) -> None:
    link = _shared(running_broker)
    try:
        _joined(page, link)
        t0 = link.clock() + 0.2
        link.send_state(SETTINGS, SetClock().start(t0), at=t0)
        running_broker.stop()
        _wait(lambda: link.status().connection == "reconnecting", timeout=20, what="a gap noticed")
        running_broker.start()
        heard = link.clock()
        _wait(
            lambda: (link.status().heard_at or 0) > heard, timeout=30, what="the page heard again"
        )
        assert link.status().connection == "connected"
        x = _dot_x(page, SETTINGS.colour)
        assert x is not None, "the set goes on on the client's screen"
    finally:
        link.close()


def test_with_the_consoles_own_account_a_stranger_cannot_take_a_links_place(
    tmp_path: Path, page: Page
) -> None:
    """The README's broker: pages without an account may only read a link and write reports."""
    account = ("console", "a long broker password")
    with broker(tmp_path, console=account) as running:
        link = SharedLink(
            running.address, datetime.now(UTC) + timedelta(hours=1), credentials=account
        )
        link.open()
        try:
            _joined(page, link)
            link.end("revoked")
            page.get_by_text("closed by your therapist").wait_for(timeout=15_000)
            stranger = mqtt.Client(CallbackAPIVersion.VERSION2, transport="websockets")
            stranger.ws_set_options(path="/mqtt")
            stranger.connect("127.0.0.1", running.address.port)
            stranger.loop_start()
            for topic in (link.topics["link"], link.topics["live"]):
                stranger.publish(topic, b"\x01" * 40, qos=1, retain=True).wait_for_publish(5)
            stranger.disconnect()
            stranger.loop_stop()
            spy = Eavesdropper(running.mqtt_port, link.topics["link"], account)
            try:
                _wait(lambda: bool(spy.seen), what="the link's retained state")
                retained = spy.seen[0][1]
            finally:
                spy.close()
            opened = Opener(link.secret, Sender.CONSOLE).open(retained)
            assert opened == {"type": "ended", "reason": "revoked"}, "the console's, not junk"
            page.reload()
            page.get_by_text("closed by your therapist").wait_for(timeout=15_000)
        finally:
            link.close()


# No controller: what the page asks of the Gamepad API, and whether it still listens for one.
NO_CONTROLLERS = """
window.__padCalls = 0;
window.__padListeners = 0;
const getGamepads = navigator.getGamepads.bind(navigator);
navigator.getGamepads = () => { window.__padCalls += 1; return getGamepads(); };
const add = window.addEventListener.bind(window);
const remove = window.removeEventListener.bind(window);
const gamepad = (type) => type === "gamepadconnected" || type === "gamepaddisconnected";
window.addEventListener = (type, ...rest) => {
  if (gamepad(type)) window.__padListeners += 1;
  return add(type, ...rest);
};
window.removeEventListener = (type, ...rest) => {
  if (gamepad(type)) window.__padListeners -= 1;
  return remove(type, ...rest);
};
"""


@contextmanager
def _joined_with(
    running_broker: Broker, chromium: Browser, init_script: str
) -> Iterator[tuple[Page, SharedLink]]:
    """A page that has joined a fresh link, with `init_script` run before the page's own."""
    context = chromium.new_context(viewport={"width": WIDTH, "height": HEIGHT})
    context.add_init_script(init_script)
    link = _shared(running_broker)
    try:
        page = context.new_page()
        _joined(page, link)
        yield page, link
    finally:
        context.close()
        link.close()


def test_a_device_without_controllers_stops_listening_for_them_after_the_wait(
    running_broker: Broker, chromium: Browser
) -> None:
    """While a page listens for controllers Chromium polls for them in its browser process
    (1.3 % of a core, bench/web_peer_cpu.py); a device with none should not pay that."""
    with _joined_with(running_broker, chromium, NO_CONTROLLERS) as (page, link):
        assert page.evaluate("window.__padListeners") == 2, "it listens while the client wakes one"
        settings = PacerSettings(speed_hz=1.0, limit="open", limit_value=0, sound="tone")
        link.send_state(settings, SetClock().start(link.clock() + 0.2), at=link.clock())
        _wait(
            lambda: page.evaluate("window.__padListeners") == 0,
            timeout=CONTROLLER_WAIT_MS / 1000 + 5,
            what="the page to stop listening for controllers",
        )
        assert page.evaluate("window.__padCalls") == 0, "tones with no controller ask for none"
        assert link.status().controllers == 0


def _rumbles_in_a_set(
    running_broker: Broker,
    chromium: Browser,
    settings: PacerSettings,
    then: Callable[[SharedLink, float], None],
) -> tuple[list[dict[str, Any]], float, float]:
    """A set started half a second on, on a page holding two stand-in controllers; `then(link,
    t0)` runs while it goes. The rumbles asked for, t0, and the console's clock less the
    page's (the truth, from this machine's two clocks)."""
    with _joined_with(running_broker, chromium, STAND_IN_CONTROLLERS) as (page, link):
        _wait(lambda: link.status().controllers == 2, what="the page's report of two controllers")
        t0 = link.clock() + 0.5
        link.send_state(settings, SetClock().start(t0), at=link.clock())
        then(link, t0)
        rumbles = page.evaluate("window.__rumbles")
        origin_ms = page.evaluate("performance.timeOrigin")
        return rumbles, t0, time.monotonic() - time.time() + origin_ms / 1000


def test_a_controller_in_each_hand_rumbles_on_its_side_at_each_tones_instant(
    running_broker: Broker, chromium: Browser
) -> None:
    settings = PacerSettings(speed_hz=1.0, limit="passes", limit_value=4, sound="tone")
    expected = sound_events(Motion(settings), 0.0, 60.0)

    def until_the_last_turn(link: SharedLink, t0: float) -> None:
        _wait(lambda: link.clock() > t0 + expected[-1][0] + 0.5, what="the set's last turn")

    rumbles, t0, console_minus_page = _rumbles_in_a_set(
        running_broker, chromium, settings, until_the_last_turn
    )
    assert [r["pad"] for r in rumbles] == [0 if side == "left" else 1 for _, side in expected]
    for rumble, (at, _side) in zip(rumbles, expected, strict=True):
        due_ms = (t0 + at - console_minus_page) * 1000
        assert abs(rumble["at"] - due_ms) < 40, (rumble["at"] - due_ms, at)
        assert rumble["kind"] == "dual-rumble" and rumble["duration"] == 80
        assert rumble["strong"] == rumble["weak"] == 1.0


def test_a_stop_just_before_a_tone_takes_back_its_rumble(
    running_broker: Broker, chromium: Browser
) -> None:
    settings = PacerSettings(speed_hz=1.0, limit="open", limit_value=0, sound="tone")
    tones = sound_events(Motion(settings), 0.0, 10.0)
    stop_set_time = tones[4][0] - 0.1  # the fifth tone's rumble is asked for by then

    def stop_before_the_fifth_tone(link: SharedLink, t0: float) -> None:
        stop_at = t0 + stop_set_time
        _wait(lambda: link.clock() > stop_at - 0.25, what="a quarter second before the stop")
        link.send_state(settings, SetClock(stop_at, stop_set_time, False), at=stop_at)
        _wait(lambda: link.clock() > stop_at + 1.0, what="a second after the stop")

    rumbles, t0, console_minus_page = _rumbles_in_a_set(
        running_broker, chromium, settings, stop_before_the_fifth_tone
    )
    felt = [r["at"] / 1000 + console_minus_page - t0 for r in rumbles]
    assert [r["pad"] for r in rumbles] == [0 if side == "left" else 1 for _, side in tones[:4]]
    assert all(at < stop_set_time for at in felt), felt
