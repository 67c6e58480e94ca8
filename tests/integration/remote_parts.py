"""Real parts for the shared-link tests: Debian's Mosquitto on loopback and headless Chromium.

The broker serves the client page from `resources/remote/site` (its
`http_dir`) and MQTT over WebSockets on one port, as a clinic's would, with
anonymous access allowed only here. Mosquitto 2.0 will not start with a
WebSockets listener alone, so a plain MQTT listener on loopback is opened
beside it; the tests' own eavesdropper uses that one.
"""

from __future__ import annotations

import getpass
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

from console.remote.share import BrokerAddress
from console.resources import resource_path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--autoplay-policy=no-user-gesture-required",
]


# Two game controllers, as the Gamepad API shows them: this machine has none, so the
# page is given stand-ins that record each rumble it asks for (what, when, which hand),
# and, as a controller's reset() does, drop those not yet begun when it is reset.
STAND_IN_CONTROLLERS = """
window.__rumbles = [];
const pad = (index) => ({
  index, connected: true, id: `stand-in ${index}`,
  vibrationActuator: {
    playEffect(kind, effect) {
      window.__rumbles.push({ pad: index, kind, at: performance.now() + effect.startDelay,
        duration: effect.duration, strong: effect.strongMagnitude, weak: effect.weakMagnitude });
      return Promise.resolve("complete");
    },
    reset() {
      const now = performance.now();
      window.__rumbles = window.__rumbles.filter((r) => r.pad !== index || r.at <= now);
      return Promise.resolve("complete");
    },
  },
});
const pads = [pad(0), pad(1)];
navigator.getGamepads = () => pads;
// Each is woken by a press of one of its buttons, as the page asks.
window.addEventListener("load", () => {
  for (const gamepad of pads) {
    window.dispatchEvent(Object.assign(new Event("gamepadconnected"), { gamepad }));
  }
});
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Broker:
    address: BrokerAddress
    mqtt_port: int
    config: Path
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        mosquitto = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
        self.process = subprocess.Popen(
            [mosquitto, "-c", str(self.config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        page = f"http://127.0.0.1:{self.address.port}/pacer.html"
        while True:
            try:
                with urllib.request.urlopen(page, timeout=1) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError("Mosquitto did not start") from None
                time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None


# The README's access list: pages, without an account, read a link's messages and write
# their reports; the console's account alone writes the link's messages.
ACL = """topic read sc/+/c
topic read sc/+/s
topic write sc/+/p
user {user}
topic readwrite sc/#
"""


@contextmanager
def broker(folder: Path, console: tuple[str, str] | None = None) -> Iterator[Broker]:
    """A broker on loopback; with `console` (name, password), set up as the README says."""
    ws_port, mqtt_port = free_port(), free_port()
    config = folder / "mosquitto.conf"
    site = resource_path("remote/site/pacer.html").parent
    if console is None:
        listeners = "allow_anonymous true\n"
        plain = ""
    else:
        passwords, acl = folder / "passwd", folder / "acl"
        passwords.write_text("")
        tool = shutil.which("mosquitto_passwd") or "/usr/bin/mosquitto_passwd"
        subprocess.run([tool, "-b", str(passwords), *console], check=True, capture_output=True)
        acl.write_text(ACL.format(user=console[0]))
        listeners = f"allow_anonymous true\npassword_file {passwords}\nacl_file {acl}\n"
        plain = f"allow_anonymous false\npassword_file {passwords}\nacl_file {acl}\n"
    config.write_text(
        # Started as root, Mosquitto would read its files as "mosquitto"; these are ours.
        f"user {getpass.getuser()}\n"
        + ("per_listener_settings true\n" if console else "")
        + f"listener {mqtt_port} 127.0.0.1\n"
        + plain
        + f"listener {ws_port} 127.0.0.1\n"
        + "protocol websockets\n"
        + f"http_dir {site}\n"
        + listeners
        + "persistence false\n"
    )
    running = Broker(BrokerAddress("ws", "127.0.0.1", ws_port), mqtt_port, config)
    running.start()
    try:
        yield running
    finally:
        running.stop()


class Eavesdropper:
    """Everything the broker carries, as anyone with access to it would see it."""

    def __init__(self, port: int, topic: str = "#", account: tuple[str, str] | None = None) -> None:
        self.seen: list[tuple[str, bytes]] = []
        self.client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=f"spy-{port}-{topic}")
        if account is not None:
            self.client.username_pw_set(*account)
        self.client.on_message = lambda _c, _u, m: self.seen.append((m.topic, bytes(m.payload)))
        self.client.on_connect = lambda c, *_: c.subscribe(topic)
        self.client.connect("127.0.0.1", port)
        self.client.loop_start()

    def publish(self, topic: str, payload: bytes) -> None:
        self.client.publish(topic, payload).wait_for_publish(5)

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()
