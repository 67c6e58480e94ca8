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


def wipe(buffer: bytearray) -> None:
    for i in range(len(buffer)):
        buffer[i] = 0


def wipe_immutable(value: bytes | str) -> None:
    """Zero the character data of a `bytes` or an ASCII `str` object (CPython only)."""
    if sys.implementation.name != "cpython" or not value:
        return
    if isinstance(value, bytes) or value.isascii():
        offset = sys.getsizeof(value) - len(value) - 1
    else:
        return
    ctypes.memset(id(value) + offset, 0, len(value))
