"""Process settings that keep client data and keys out of crash files.

A core dump of an unlocked console would hold the database key and whatever
text was on screen. Both entry points (the desktop console and the headless
commands) switch core dumps off first thing: `RLIMIT_CORE` 0 everywhere it
exists, and on Linux `PR_SET_DUMPABLE` 0, which also stops other processes of
the same user from attaching a debugger or reading /proc/PID/mem.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import sys

PR_SET_DUMPABLE = 4


def harden_process() -> None:
    with contextlib.suppress(ImportError, ValueError, OSError):
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
            libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)


def dumpable() -> bool | None:
    """Whether this process may still be dumped (Linux); None where it cannot be told."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        return bool(libc.prctl(3, 0, 0, 0, 0))  # PR_GET_DUMPABLE
    except (OSError, AttributeError):
        return None
