"""A sealed message is taken once, from the other end of its own link, unchanged, or not at all."""

from __future__ import annotations

import pytest

from console.remote.sealing import (
    HEADER,
    MAX_MESSAGE_BYTES,
    LinkSecret,
    Opener,
    RefusedMessage,
    Sealer,
    Sender,
)

SETTINGS = {"type": "settings", "speed_hz": "1.0", "path": "horizontal"}


def _pair(secret: LinkSecret | None = None) -> tuple[Sealer, Opener]:
    secret = secret or LinkSecret.new()
    return Sealer(secret, Sender.CONSOLE), Opener(secret, Sender.CONSOLE)


def test_a_message_travels_and_is_taken_once() -> None:
    sealer, opener = _pair()
    first, second = sealer.seal(SETTINGS), sealer.seal({"type": "stop", "at": 12.5})
    assert opener.open(first) == SETTINGS
    assert opener.open(second) == {"type": "stop", "at": 12.5}
    with pytest.raises(RefusedMessage, match="replay"):
        opener.open(first)
    with pytest.raises(RefusedMessage, match="replay"):
        opener.open(second)


def test_an_older_message_after_a_newer_is_refused() -> None:
    sealer, opener = _pair()
    older, newer = sealer.seal({"n": 1}), sealer.seal({"n": 2})
    assert opener.open(newer) == {"n": 2}
    with pytest.raises(RefusedMessage):
        opener.open(older)


def test_every_changed_byte_is_refused() -> None:
    sealer, opener = _pair()
    sealed = sealer.seal(SETTINGS)
    for i in range(len(sealed)):
        changed = bytearray(sealed)
        changed[i] ^= 0x01
        with pytest.raises(RefusedMessage):
            opener.open(bytes(changed))
    assert opener.open(sealed) == SETTINGS, "the untouched message still opens"


def test_another_key_another_link_or_the_wrong_end_is_refused() -> None:
    secret = LinkSecret.new()
    sealed = Sealer(secret, Sender.CONSOLE).seal(SETTINGS)
    with pytest.raises(RefusedMessage, match="key"):
        Opener(LinkSecret(secret.link_id, LinkSecret.new().key), Sender.CONSOLE).open(sealed)
    with pytest.raises(RefusedMessage, match="key"):
        Opener(LinkSecret(LinkSecret.new().link_id, secret.key), Sender.CONSOLE).open(sealed)
    with pytest.raises(RefusedMessage, match="wrong end"):
        Opener(secret, Sender.PAGE).open(sealed)  # the console's own message sent back to it


def test_truncated_huge_and_foreign_data_is_refused() -> None:
    sealer, opener = _pair()
    sealed = sealer.seal(SETTINGS)
    for bad in (b"", sealed[: HEADER.size], sealed[:-1], b"\x00" * (MAX_MESSAGE_BYTES + 1)):
        with pytest.raises(RefusedMessage):
            opener.open(bad)
    with pytest.raises(RefusedMessage, match="version"):
        opener.open(b"\x02" + sealed[1:])


def test_the_fragment_carries_the_link_and_nothing_else_is_taken_for_one() -> None:
    secret = LinkSecret.new()
    assert LinkSecret.from_fragment("#" + secret.fragment) == secret
    assert secret.topic_id in secret.fragment and secret.fragment.count(".") == 1
    for bad in ("", "#", "abc.def", secret.topic_id + ".", "." + secret.fragment.split(".")[1]):
        with pytest.raises(RefusedMessage):
            LinkSecret.from_fragment(bad)
    assert LinkSecret.new() != LinkSecret.new(), "every link has its own key"


def test_a_sealed_message_shows_none_of_its_words() -> None:
    sealer, _ = _pair()
    sealed = sealer.seal({"type": "hello", "name": "Alex Rivera"})
    assert b"Alex" not in sealed and b"hello" not in sealed
