"""Key material in memory: kept in mutable buffers and overwritten when done.

Python's `bytes` and `str` cannot be cleared, so keys live in `bytearray`s
that `wipe` zeroes on lock, and the few immutable copies an API forces on us
(the hex key string SQLCipher's PRAGMA needs) are overwritten in place with
`wipe_immutable` once the call returns. This narrows, not closes, the window
in which a memory dump holds a key; core dumps are also switched off
(`console.hardening`).
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Iterator
from contextlib import contextmanager


def wipe(buffer: bytearray) -> None:
    for i in range(len(buffer)):
        buffer[i] = 0


def wipe_immutable(value: bytes | str) -> None:
    """Zero the character data of a `bytes` or an ASCII `str` object (CPython only).

    Objects of one character are shared by the whole interpreter, so they are left alone.
    """
    if sys.implementation.name != "cpython" or len(value) < 2:
        return
    if isinstance(value, bytes) or value.isascii():
        offset = sys.getsizeof(value) - len(value) - 1
    else:
        return
    ctypes.memset(id(value) + offset, 0, len(value))


@contextmanager
def key_copies(*buffers: bytearray) -> Iterator[tuple[bytes, ...]]:
    """`bytes` copies of keys for the APIs that insist on them, zeroed when the block ends.

    A copy left to the allocator keeps its bytes until the memory is reused,
    so a dump taken after lock could find it.
    """
    copies = tuple(bytes(buffer) for buffer in buffers)
    try:
        yield copies
    finally:
        for copy in copies:
            wipe_immutable(copy)
