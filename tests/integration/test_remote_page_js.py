"""The client page's own code, run in Node: the same stimulus, the same seal, an honest clock.

The page (resources/remote/) draws with a port of console/pacer, seals with
WebCrypto and estimates the console's clock. Here its modules run in a real
JavaScript engine on inputs made by the Python side, and are checked against
it: positions, pass counts, light-bar LEDs and sound times against
console/pacer on the same vectors; messages sealed by each side opened by the
other, and every forgery refused; the clock estimate within its stated
uncertainty of an injected offset, whatever the split of the delay.
"""

from __future__ import annotations

import base64
import itertools
import json
import math
import random
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from console.pacer.audio import sound_events
from console.pacer.light_bar import LightBar
from console.pacer.motion import Motion
from console.pacer.settings import PacerSettings
from console.remote.sealing import LinkSecret, Opener, Sealer, Sender
from console.remote.wire import settings_message

HARNESS = Path(__file__).parent / "remote_js" / "harness.mjs"
NODE = shutil.which("node")  # installed by .ci/system-deps.sh


def _run(command: str, payload: object, tmp_path: Path) -> Any:
    source = tmp_path / f"{command}.json"
    source.write_text(json.dumps(payload))
    assert NODE is not None, "Node.js runs the page's code (.ci/system-deps.sh installs it)"
    done = subprocess.run(
        [NODE, str(HARNESS), command, str(source)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _settings() -> list[PacerSettings]:
    paths = ("horizontal", "vertical", "diagonal_up", "diagonal_down", "circle", "figure_eight")
    speeds = (0.2, 0.7, 1.0, 1.25, 2.0)
    limits = (("passes", 24), ("seconds", 4.4), ("open", 0), ("passes", 3), ("seconds", 61.7))
    chosen = []
    for i, (path, profile, ending) in enumerate(
        itertools.product(paths, ("sinusoidal", "constant"), ("stop_at_side", "ease_to_centre"))
    ):
        limit, value = limits[i % len(limits)]
        chosen.append(
            PacerSettings(
                speed_hz=speeds[i % len(speeds)],
                path=path,  # type: ignore[arg-type]
                profile=profile,  # type: ignore[arg-type]
                ending=ending,  # type: ignore[arg-type]
                limit=limit,  # type: ignore[arg-type]
                limit_value=value,
                sound="tone",
                sound_at="turn" if i % 2 else "midline",
                shape="light_bar" if i % 3 == 0 else "dot",
            )
        )
    return chosen


def _times(motion: Motion, rng: random.Random) -> list[float]:
    end = motion.duration_s or 30.0
    turns = [motion.turn_time(k) for k in range(int(end / motion.pass_s) + 2)]
    edges = [math.nextafter(t, side) for t in turns for side in (-math.inf, math.inf)]
    return [-1.0, 0.0, *turns, *edges, *(rng.uniform(0, end * 1.05) for _ in range(400))]


def test_the_page_draws_and_sounds_what_the_console_does(tmp_path: Path) -> None:
    rng = random.Random(20261202)
    cases, vectors = [], []
    for settings in _settings():
        motion = Motion(settings)
        times = _times(motion, rng)
        xs = [rng.uniform(-1, 1) for _ in range(50)] + [-1.0, 0.0, 1.0]
        windows = [(a, a + rng.uniform(0.1, 5)) for a in (rng.uniform(0, 40) for _ in range(20))]
        cases.append((settings, motion, times, xs, windows))
        vectors.append(
            {"settings": settings_message(settings), "times": times, "xs": xs, "windows": windows}
        )
    results = _run("engine", vectors, tmp_path)
    for (settings, motion, times, xs, windows), page in zip(cases, results, strict=True):
        bar = LightBar(motion)
        assert page["duration"] == motion.duration_s, settings
        assert page["leds"] == bar.leds, settings
        assert page["completed"] == [motion.passes_completed(t) for t in times], settings
        for t, (x, y) in zip(times, page["positions"], strict=True):
            px, py = motion.position(t)
            assert abs(x - px) < 1e-12 and abs(y - py) < 1e-12, (settings, t)
        assert page["lit"] == [bar.lit(t) for t in times], settings
        for x, progress in zip(xs, page["progress"], strict=True):
            assert abs(progress - motion.x_progress(x)) < 1e-12
        for (t0, t1), sounds in zip(windows, page["sounds"], strict=True):
            assert [tuple(s) for s in sounds] == sound_events(motion, t0, t1), (settings, t0)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def test_each_side_opens_what_the_other_sealed(tmp_path: Path) -> None:
    secret = LinkSecret.new()
    messages = [
        {"type": "settings", **settings_message(PacerSettings())},
        {"type": "stop", "at": 3.25},
    ]
    messages.append({"type": "note", "text": "ünïcødé ✓ 𝄞"})
    console = Sealer(secret, Sender.CONSOLE)
    sealed = [_b64(console.seal(m)) for m in messages]
    opened = _run(
        "open", {"fragment": "#" + secret.fragment, "expect": 0, "messages": sealed}, tmp_path
    )
    assert [o.get("message") for o in opened] == messages
    from_page = _run(
        "seal", {"fragment": secret.fragment, "sender": 1, "messages": messages}, tmp_path
    )
    receiver = Opener(secret, Sender.PAGE)
    assert [receiver.open(base64.b64decode(d)) for d in from_page] == messages


def test_the_page_refuses_replays_forgeries_and_other_links(tmp_path: Path) -> None:
    secret, other = LinkSecret.new(), LinkSecret.new()
    console = Sealer(secret, Sender.CONSOLE)
    good, later = console.seal({"n": 1}), console.seal({"n": 2})
    tampered = bytearray(later)
    tampered[-3] ^= 0x40
    stranger, reflected = Sealer(other, Sender.CONSOLE), Sealer(secret, Sender.PAGE)
    stranger.sequence = reflected.sequence = 5  # fresh numbers: refused for what they are
    foreign = stranger.seal({"n": 3})
    own = reflected.seal({"n": 4})  # the page's own message sent back to it
    batch = [good, good, bytes(tampered), foreign, own, later, good]
    opened = _run(
        "open",
        {"fragment": secret.fragment, "expect": 0, "messages": [_b64(b) for b in batch]},
        tmp_path,
    )
    assert opened[0] == {"message": {"n": 1}}
    assert "replay" in opened[1]["refused"]
    assert "key" in opened[2]["refused"]
    assert "key" in opened[3]["refused"]
    assert "wrong end" in opened[4]["refused"]
    assert opened[5] == {"message": {"n": 2}}, "a refused forgery does not block the next"
    assert "replay" in opened[6]["refused"]


def _trips(offset: float, ways: list[tuple[float, float]], rng: random.Random) -> list[list[float]]:
    """Round trips between a page whose clock reads `offset` behind the console's."""
    trips, now = [], 1000.0
    for up, down in ways:
        now += rng.uniform(0.2, 0.6)
        t1 = now + up
        t2 = t1 + rng.uniform(0.0, 0.002)  # the console's own turn-round
        trips.append([now - offset, t1, t2, t2 + down - offset])
    return trips


@pytest.mark.parametrize("split", ["random", "slow_up", "slow_down"])
def test_the_clock_estimate_holds_the_injected_offset_within_its_uncertainty(
    tmp_path: Path, split: str
) -> None:
    rng = random.Random(split)
    offset = 12.345
    ways = {
        "random": [(rng.uniform(0.02, 0.08), rng.uniform(0.02, 0.08)) for _ in range(120)],
        "slow_up": [(0.08 + rng.uniform(0, 0.01), 0.02) for _ in range(40)],
        "slow_down": [(0.02, 0.08 + rng.uniform(0, 0.01)) for _ in range(40)],
    }[split]
    estimates = _run("clock", {"keep": 32, "trips": _trips(offset, ways, rng)}, tmp_path)
    for estimate, uncertainty in estimates:
        assert abs(estimate - offset) <= uncertainty + 1e-9
    final, uncertainty = estimates[-1]
    if split == "random":
        assert uncertainty < 0.035, "the fastest recent round trip is kept"
    else:
        assert abs(final - offset) > 0.025, "a lopsided path biases the estimate..."
        assert uncertainty >= abs(final - offset), "...and the uncertainty says so"


@pytest.mark.parametrize("seed", range(6))
def test_the_clock_estimate_takes_each_way_at_its_quickest(tmp_path: Path, seed: int) -> None:
    """A congested path's round trips are rarely quick both ways at once, but each way
    is often quick on its own: the estimate from the two quickest ways, apart, is the
    one a phase error of a few milliseconds needs (50 ms ± 30 ms each way, 32 kept)."""
    rng = random.Random(seed)
    offset = -3.21
    ways = [(rng.uniform(0.02, 0.08), rng.uniform(0.02, 0.08)) for _ in range(40)]
    estimates = _run("clock", {"keep": 32, "trips": _trips(offset, ways, rng)}, tmp_path)
    for estimate, uncertainty in estimates:
        assert abs(estimate - offset) <= uncertainty + 1e-9
    final, uncertainty = estimates[-1]
    assert abs(final - offset) < 0.002
    assert uncertainty < 0.025


def _publish(topic: str, payload: bytes) -> bytes:
    """An MQTT 3.1.1 PUBLISH at QoS 0, as the broker and MQTT.js frame one (payload < 16 kB)."""
    body = len(topic).to_bytes(2, "big") + topic.encode() + payload
    length = len(body)
    encoded = bytes([0x80 | (length & 0x7F), length >> 7]) if length > 127 else bytes([length])
    return b"\x30" + encoded + body


def test_a_round_trip_is_timed_when_its_frames_cross_the_socket(tmp_path: Path) -> None:
    """MQTT.js may hold a publish for a task and hands an arrival on only once parsed; the
    clock is timed at the socket, where each message is found by its seal's last bytes."""
    secret = LinkSecret.new()
    page = Sealer(secret, Sender.PAGE)
    console = Sealer(secret, Sender.CONSOLE)
    ping, status = page.seal({"type": "ping", "id": 7}), page.seal({"type": "status"})
    pong = console.seal({"type": "pong", "id": 7, "t1": 1.0, "t2": 1.0})
    unsent = page.seal({"type": "ping", "id": 8})
    b64 = lambda data: base64.b64encode(data).decode()  # noqa: E731
    frames = [
        # Two packets written at once (MQTT.js's writev): the ping is the first.
        {
            "at": 10.0,
            "way": "out",
            "frame": b64(_publish("sc/x/p", ping) + _publish("sc/x/p", status)),
        },
        {"at": 10.25, "way": "out", "frame": b64(_publish("sc/x/p", status))},
        {"at": 10.5, "way": "in", "frame": b64(_publish("sc/x/c", pong))},
        # A large message is stamped but not kept: what it carries is not found.
        {"at": 10.75, "way": "in", "frame": b64(_publish("sc/x/c", bytes(8192) + unsent))},
    ]
    messages = [b64(m) for m in (ping, pong, unsent)]
    stamped = _run("wire", {"frames": frames, "messages": messages}, tmp_path)
    assert stamped == [[10.0, None], [None, 10.5], [None, None]]
