"""Real parts for the shared-link tests: Debian's Mosquitto on loopback and headless Chromium.

The broker serves the client page from `resources/remote/site` (its
`http_dir`) and MQTT over WebSockets on one port, as a clinic's would, with
anonymous access allowed only here. Mosquitto 2.0 will not start with a
WebSockets listener alone, so a plain MQTT listener on loopback is opened
beside it; the tests' own eavesdropper uses that one.
"""

from __future__ import annotations

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


@contextmanager
def broker(folder: Path) -> Iterator[Broker]:
    ws_port, mqtt_port = free_port(), free_port()
    config = folder / "mosquitto.conf"
    config.write_text(
        f"listener {mqtt_port} 127.0.0.1\n"
        f"listener {ws_port} 127.0.0.1\n"
        "protocol websockets\n"
        f"http_dir {resource_path('remote/site/pacer.html').parent}\n"
        "allow_anonymous true\n"
        "persistence false\n"
    )
    running = Broker(BrokerAddress("ws", "127.0.0.1", ws_port), mqtt_port, config)
    running.start()
    try:
        yield running
    finally:
        running.stop()


class Eavesdropper:
    """Everything the broker carries, as anyone with access to it would see it."""

    def __init__(self, port: int, topic: str = "#") -> None:
        self.seen: list[tuple[str, bytes]] = []
        self.client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id="eavesdropper")
        self.client.on_message = lambda _c, _u, m: self.seen.append((m.topic, bytes(m.payload)))
        self.client.on_connect = lambda c, *_: c.subscribe(topic)
        self.client.connect("127.0.0.1", port)
        self.client.loop_start()

    def publish(self, topic: str, payload: bytes) -> None:
        self.client.publish(topic, payload).wait_for_publish(5)

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()
