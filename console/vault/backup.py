"""Encrypted backups: one file holding vault.json and an encrypted copy of vault.db.

The copy is made with SQLCipher's own `sqlcipher_export` into a database
keyed with the same raw key, so nothing is ever decrypted to disk. The file
is written under a temporary name, fsynced, renamed, then verified by opening
the copy inside it. A crash mid-backup leaves earlier backups untouched.
"""

from __future__ import annotations

import errno
import os
import shutil
import tarfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from console.errors import BackupError, VaultCorruptError, WrongSecretError
from console.vault.database import integrity_problems, raw_connect, run_with_key
from console.vault.folder_lock import restrict_folder
from console.vault.fsutil import fsync_dir, private_dir
from console.vault.header import DB_NAME, HEADER_NAME

SUFFIX = ".scbackup"
PREFIX = "session-console-"


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    size_bytes: int
    created_at: datetime


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")


def free_bytes(directory: Path) -> int:
    return shutil.disk_usage(directory).free


def export_copy(db_path: Path, dek: bytes, target: Path) -> None:
    """An encrypted, consistent copy of the live database (same key)."""
    conn = raw_connect(db_path, dek)
    try:
        run_with_key(conn, 'ATTACH DATABASE ? AS backup KEY "{key}"', dek, str(target))
        conn.execute("SELECT sqlcipher_export('backup')")
        conn.execute("DETACH DATABASE backup")
    finally:
        conn.close()


def verify_copy(db_path: Path, dek: bytes) -> None:
    """Open the copy with its key and check every page; damage is never called a wrong key."""
    try:
        conn = raw_connect(db_path, dek)
    except WrongSecretError as exc:
        raise VaultCorruptError("the backup's database is damaged and cannot be opened") from exc
    try:
        problems = integrity_problems(conn)
    finally:
        conn.close()
    if problems:
        raise VaultCorruptError(f"the backup's database is damaged: {problems[0]}")


STALE_AFTER_S = 3600


def sweep_leftovers(directory: Path, now: float | None = None) -> None:
    """Remove work folders and partial files a killed backup left (encrypted, but bulky)."""
    if not directory.is_dir():
        return
    limit = (now if now is not None else time.time()) - STALE_AFTER_S
    for path in directory.iterdir():
        try:
            stale = path.stat().st_mtime < limit
        except OSError:
            continue
        if not stale:
            continue
        if path.name.startswith((".backup-", ".restore-")) and path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        elif path.name.startswith(".") and path.name.endswith(".partial"):
            path.unlink(missing_ok=True)


def create_backup(
    db_path: Path, header_path: Path, dek: bytes, dest_dir: Path, keep: int | None = None
) -> BackupInfo:
    """Write, verify, then publish: a backup that fails verification never gets its name."""
    made = not dest_dir.exists()
    dest_dir.mkdir(parents=True, exist_ok=True)
    if made:
        restrict_folder(dest_dir)
    sweep_leftovers(dest_dir)
    needed = db_path.stat().st_size * 2 + 1_000_000
    if free_bytes(dest_dir) < needed:
        raise BackupError(f"not enough free space in {dest_dir} for a backup")
    work = private_dir(dest_dir, ".backup-")
    final = dest_dir / f"{PREFIX}{_stamp()}{SUFFIX}"
    partial = dest_dir / f".{final.name}.partial"
    try:
        copy = work / DB_NAME
        export_copy(db_path, dek, copy)
        verify_copy(copy, dek)
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as raw:
            with tarfile.open(fileobj=raw, mode="w") as tar:
                tar.add(header_path, arcname=HEADER_NAME)
                tar.add(copy, arcname=DB_NAME)
            raw.flush()
            os.fsync(raw.fileno())
        verify_backup(partial, dek)
        os.replace(partial, final)
        fsync_dir(dest_dir)
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
            raise BackupError(
                f"the disk holding {dest_dir} is full; no backup was written (about "
                f"{needed / 1_048_576:.0f} MiB are needed)"
            ) from None
        raise BackupError(f"the backup could not be written to {dest_dir}: {exc.strerror}") from exc
    finally:
        partial.unlink(missing_ok=True)
        shutil.rmtree(work, ignore_errors=True)
    if keep is not None:
        rotate(dest_dir, keep)
    return BackupInfo(final, final.stat().st_size, datetime.now(UTC))


def list_backups(directory: Path) -> list[Path]:
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.glob(f"{PREFIX}*{SUFFIX}") if p.is_file())


def rotate(directory: Path, keep: int) -> list[Path]:
    """Delete the oldest of our own backups beyond `keep`; returns what was removed."""
    backups = list_backups(directory)
    removed = backups[: max(0, len(backups) - keep)]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def extract_backup(path: Path, work_parent: Path) -> Path:
    """Unpack a backup into a private folder beside it (vault.json + encrypted vault.db).

    The caller removes the folder when done.
    """
    try:
        with tarfile.open(path, mode="r:") as tar:
            if sorted(tar.getnames()) != sorted([HEADER_NAME, DB_NAME]):
                raise VaultCorruptError(f"{path.name} is not a Session Console backup")
            work = private_dir(work_parent, ".restore-")
            try:
                tar.extractall(work, filter="data")
            except BaseException:
                shutil.rmtree(work, ignore_errors=True)
                raise
            return work
    except FileNotFoundError as exc:
        raise BackupError(f"no backup file at {path}") from exc
    except (tarfile.TarError, EOFError) as exc:
        raise VaultCorruptError(f"{path.name} is damaged or not a Session Console backup") from exc


def verify_backup(path: Path, dek: bytes) -> None:
    work = extract_backup(path, path.parent)
    try:
        verify_copy(work / DB_NAME, dek)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def is_due(last_iso: str, interval_hours: int, now: datetime | None = None) -> bool:
    """Whether a scheduled backup should run; a missing or garbled time means yes."""
    if not last_iso:
        return True
    try:
        last = datetime.fromisoformat(last_iso)
    except ValueError:
        return True
    if last.tzinfo is None:
        return True
    return ((now or datetime.now(UTC)) - last).total_seconds() >= interval_hours * 3600
