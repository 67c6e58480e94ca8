"""One process at a time in a vault folder: an OS-level lock held while it is unlocked.

`filelock` takes `flock` on Unix and `msvcrt.locking` on Windows on a small
file beside the vault; the kernel drops it when the process dies, so a crash
never leaves the vault locked out. The lock is taken before a passphrase is
tried, so parallel guesses queue behind it, and exclusive operations
(restore, rotation, passphrase change, migration) run under it too.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from pathlib import Path

from filelock import FileLock, Timeout

from console.errors import VaultBusyError, VaultReadOnlyError

LOCK_NAME = "vault.lock"


class FolderLock:
    """The vault folder's lock; re-entrant within one `FolderLock` object."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self.path = self.directory / LOCK_NAME
        self._lock = FileLock(self.path, mode=0o600, thread_local=False)

    @property
    def held(self) -> bool:
        return self._lock.is_locked

    def acquire(self, wait_s: float = 0.0) -> None:
        """Take the lock, waiting up to `wait_s`; a held lock elsewhere is `VaultBusyError`."""
        try:
            self._lock.acquire(timeout=wait_s, poll_interval=0.05)
        except Timeout:
            raise VaultBusyError(
                "the vault is open in another Session Console window or command on this "
                "computer; close it there first (nothing was changed)"
            ) from None
        except PermissionError as exc:
            raise VaultReadOnlyError(
                f"the vault folder {self.directory} is read-only or not yours "
                f"({exc.strerror}); nothing was changed"
            ) from None
        except OSError as exc:
            if exc.errno == errno.EROFS:
                raise VaultReadOnlyError(
                    f"the vault folder {self.directory} is on a read-only disk; nothing was changed"
                ) from None
            raise

    def release(self) -> None:
        if self._lock.is_locked:
            self._lock.release(force=True)


def restrict_folder(directory: Path) -> None:
    """Owner-only access to a data folder (0700); a no-op where modes mean nothing."""
    if sys.platform == "win32":
        return
    with contextlib.suppress(OSError):
        os.chmod(directory, 0o700)
