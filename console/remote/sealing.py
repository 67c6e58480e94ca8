"""Every message between the console and a client page, sealed with the link's own key.

The key is made fresh for each link and travels only in the link's
`#fragment`, which a browser never sends to a server; the broker and the
network carry ciphertext alone. Each message is AES-GCM with a 96-bit nonce
built from the sender and its sequence number, so a nonce never repeats under
one key; the header and the link id are authenticated too. A receiver takes
only a sequence number higher than the last it took from that sender, so a
replayed, reordered or reflected message is refused, as is one from another
link, a changed byte, or another key. resources/remote/src/sealing.js is the
page's side of the same format.

Wire format: version (1 byte, 1) | sender (1 byte: 0 console, 1 page) |
sequence (8 bytes, big-endian) | AES-GCM ciphertext and tag of the JSON text.
"""

from __future__ import annotations

import base64
import enum
import json
import secrets
import struct
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

VERSION = 1
HEADER = struct.Struct(">BBQ")
KEY_BYTES = 32
LINK_ID_BYTES = 16
TAG_BYTES = 16
MAX_MESSAGE_BYTES = 64 * 1024  # a settings change is a few hundred bytes


class Sender(enum.IntEnum):
    CONSOLE = 0
    PAGE = 1


class RefusedMessage(ValueError):
    """A message that is not a fresh one sealed by the other end of this link."""


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def from_b64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class LinkSecret:
    """What the link's fragment carries: which link, and the key only its two ends hold."""

    link_id: bytes
    key: bytes

    @classmethod
    def new(cls) -> LinkSecret:
        return cls(secrets.token_bytes(LINK_ID_BYTES), AESGCM.generate_key(bit_length=256))

    @property
    def fragment(self) -> str:
        """`<link id>.<key>`, both base64url, for after the `#` of the link."""
        return f"{b64url(self.link_id)}.{b64url(self.key)}"

    @property
    def topic_id(self) -> str:
        """The link's name on the broker; it reveals nothing of the key."""
        return b64url(self.link_id)

    @classmethod
    def from_fragment(cls, fragment: str) -> LinkSecret:
        link_text, _, key_text = fragment.removeprefix("#").partition(".")
        try:
            link_id, key = from_b64url(link_text), from_b64url(key_text)
        except (ValueError, UnicodeError) as exc:
            raise RefusedMessage("the link is not one this console made") from exc
        if len(link_id) != LINK_ID_BYTES or len(key) != KEY_BYTES:
            raise RefusedMessage("the link is not one this console made")
        return cls(link_id, key)


def _nonce(sender: Sender, sequence: int) -> bytes:
    return bytes([sender]) + b"\0\0\0" + sequence.to_bytes(8, "big")


@dataclass
class Sealer:
    """One sender's side of a link: numbers and seals what it sends."""

    secret: LinkSecret
    sender: Sender
    sequence: int = 0
    _aead: AESGCM = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._aead = AESGCM(self.secret.key)

    def seal(self, message: dict[str, Any]) -> bytes:
        self.sequence += 1
        header = HEADER.pack(VERSION, self.sender, self.sequence)
        text = json.dumps(message, separators=(",", ":"), ensure_ascii=False).encode()
        sealed = self._aead.encrypt(
            _nonce(self.sender, self.sequence), text, header + self.secret.link_id
        )
        return header + sealed


@dataclass
class Opener:
    """One receiver's side of a link: takes only fresh messages from the other end."""

    secret: LinkSecret
    expect: Sender
    last: int = 0
    _aead: AESGCM = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._aead = AESGCM(self.secret.key)

    def open(self, data: bytes) -> dict[str, Any]:
        if not HEADER.size + TAG_BYTES <= len(data) <= MAX_MESSAGE_BYTES:
            raise RefusedMessage("a message of an impossible length")
        version, sender, sequence = HEADER.unpack_from(data)
        if version != VERSION:
            raise RefusedMessage(f"a message of version {version}, not {VERSION}")
        if sender != self.expect:
            raise RefusedMessage("a message from the wrong end of the link")
        if sequence <= self.last:
            raise RefusedMessage("a message already taken, or older than one taken (a replay)")
        header = data[: HEADER.size]
        try:
            text = self._aead.decrypt(
                _nonce(Sender(sender), sequence), data[HEADER.size :], header + self.secret.link_id
            )
        except InvalidTag as exc:
            raise RefusedMessage("a message not sealed with this link's key") from exc
        try:
            message = json.loads(text)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise RefusedMessage("a sealed message that is not JSON") from exc
        if not isinstance(message, dict):
            raise RefusedMessage("a sealed message that is not an object")
        self.last = sequence
        return message
