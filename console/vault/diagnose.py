"""What really went wrong when the database or the disk refused: said plainly.

A person told "damaged, restore a backup" when the disk was merely full would
replace newer records with older ones. So every storage failure is sorted
into what it is (disk full, read-only, busy elsewhere, an I/O error, real
damage) and only real damage suggests a backup.
"""

from __future__ import annotations

import errno
import shutil
import sqlite3
from pathlib import Path

from sqlalchemy.exc import DBAPIError

from console.errors import (
    DiskSpaceError,
    VaultBusyError,
    VaultCorruptError,
    VaultError,
    VaultIOError,
    VaultReadOnlyError,
)

_FULL = (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC))
_READ_ONLY = (errno.EROFS, errno.EACCES, errno.EPERM)
LOW_SPACE_BYTES = 2_000_000


def _mib(n: int) -> str:
    return f"{n / 1_048_576:.1f} MiB"


def free_bytes(directory: Path) -> int | None:
    try:
        return shutil.disk_usage(directory).free
    except OSError:
        return None


def disk_full(directory: Path, needed: int | None = None) -> DiskSpaceError:
    free = free_bytes(directory)
    have = f"{_mib(free)} free" if free is not None else "no space left"
    want = f", about {_mib(needed)} needed" if needed else ""
    return DiskSpaceError(
        f"the disk holding {directory} is full ({have}{want}); free some space and try "
        "again. Everything saved before is intact"
    )


def read_only(directory: Path) -> VaultReadOnlyError:
    return VaultReadOnlyError(
        f"the vault folder {directory} cannot be written (read-only disk or no permission); "
        "everything saved before is intact"
    )


def busy(directory: Path) -> VaultBusyError:
    return VaultBusyError(
        f"the vault in {directory} is busy: another Session Console window or command is "
        "writing to it; close it there and try again (nothing was changed)"
    )


def damaged(directory: Path) -> VaultCorruptError:
    return VaultCorruptError(
        f"vault.db in {directory} is damaged and cannot be read; nothing was changed. "
        "Restore it from a backup (`session-console restore`)"
    )


def _message(exc: BaseException) -> str:
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    return str(orig).lower()


def is_storage_failure(exc: BaseException) -> bool:
    """Disk, lock or file trouble, as opposed to a constraint or a programming error."""
    if isinstance(exc, OSError) and not isinstance(exc, sqlite3.Error):
        return True
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    return type(orig).__name__ in ("OperationalError", "DatabaseError")


def explain(exc: BaseException, directory: Path, needed: int | None = None) -> VaultError:
    """The typed, true error for a storage failure inside `directory`."""
    if isinstance(exc, VaultError):
        return exc
    if isinstance(exc, OSError) and not isinstance(exc, sqlite3.Error):
        if exc.errno in _FULL:
            return disk_full(directory, needed)
        if exc.errno in _READ_ONLY:
            return read_only(directory)
        return VaultIOError(
            f"the disk reported an error for {directory} ({exc.strerror or 'I/O error'}); "
            "check the disk and try again. Nothing saved before was changed"
        )
    text = _message(exc)
    free = free_bytes(directory)
    if "full" in text or (free is not None and free < LOW_SPACE_BYTES):
        return disk_full(directory, needed)
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return read_only(directory)
    if "locked" in text or "busy" in text:
        return busy(directory)
    if "disk i/o" in text:
        return VaultIOError(
            f"the disk reported an error reading or writing {directory}; check the disk and "
            "try again. Nothing saved before was changed"
        )
    return damaged(directory)
