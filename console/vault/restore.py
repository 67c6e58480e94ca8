"""Putting a backup in place: checked first, then moved in as one journaled step.

The data folder also holds settings and the automatic backups, so the vault's
two files are swapped inside it rather than the whole folder: the backup is
unpacked into a private folder inside the data folder and verified as the
backup's own vault; only then is `restore.json` written, naming that folder
and where the replaced vault goes. From that moment the restore is committed:
every later step is a rename that `finish_interrupted` repeats idempotently
at the next start, so a crash leaves the old vault (no journal yet) or the
new one (journal rolled forward), never a mix.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from console.errors import EmptyBackupError, VaultCorruptError, VaultError
from console.vault.backup import extract_backup, verify_copy
from console.vault.database import raw_connect
from console.vault.fsutil import atomic_write_bytes, fsync_dir
from console.vault.header import DB_NAME, HEADER_NAME, Header

JOURNAL_NAME = "restore.json"
_DB_FILES = (f"{DB_NAME}-wal", f"{DB_NAME}-shm", DB_NAME)
LEGACY_THROTTLE = "unlock.json"


@dataclass(frozen=True)
class DatabaseFacts:
    """What a database says about itself, read with its key."""

    has_schema: bool
    vault_id: str | None
    clients: int
    last_seq: int
    seq_hash: dict[int, str]


def database_facts(db_path: Path, db_key: bytes, probe_seq: int | None = None) -> DatabaseFacts:
    conn = raw_connect(db_path, db_key)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "alembic_version" not in tables:
            return DatabaseFacts(False, None, 0, 0, {})
        vault_id = None
        if "vault_identity" in tables:
            row = conn.execute("SELECT vault_id FROM vault_identity LIMIT 1").fetchone()
            vault_id = row[0] if row else None
        clients = conn.execute("SELECT count(*) FROM clients").fetchone()[0]
        last = conn.execute("SELECT max(seq) FROM audit_events").fetchone()[0] or 0
        seq_hash: dict[int, str] = {}
        if probe_seq is not None:
            row = conn.execute("SELECT hash FROM audit_events WHERE seq = ?", (probe_seq,))
            found = row.fetchone()
            if found:
                seq_hash[probe_seq] = found[0]
        return DatabaseFacts(True, vault_id, int(clients), int(last), seq_hash)
    finally:
        conn.close()


def check_backup_database(
    work: Path, header: Header, db_key: bytes, *, allow_empty: bool, name: str
) -> None:
    """Refuse a backup whose database is not its own vault's, or holds nothing."""
    verify_copy(work / DB_NAME, db_key)
    head = header.head
    facts = database_facts(work / DB_NAME, db_key, head.seq if head else None)
    if not facts.has_schema:
        raise VaultCorruptError(
            f"{name} holds an empty database, not a copy of its vault; nothing was changed"
        )
    if facts.vault_id is not None and facts.vault_id != header.vault_id:
        raise VaultCorruptError(f"{name} holds the database of another vault; nothing was changed")
    if facts.vault_id is None and header.format >= 2:
        raise VaultCorruptError(
            f"{name} holds a database that does not name its vault; nothing was changed"
        )
    if head is not None and (facts.last_seq < head.seq or head.seq not in facts.seq_hash):
        raise VaultCorruptError(
            f"{name} holds a database older than its vault.json (the audit trail stops at "
            f"event {facts.last_seq}, vault.json says {head.seq}); nothing was changed"
        )
    if facts.clients == 0 and not allow_empty:
        raise EmptyBackupError(
            f"{name} holds no client records; if that is what you want, restore it with "
            "--allow-empty (in the app: confirm the empty restore). Nothing was changed"
        )


def unpack(backup_file: Path, directory: Path) -> Path:
    return extract_backup(Path(backup_file), directory)


def commit(directory: Path, work: Path, occupied: bool) -> Path | None:
    """Write the journal, then move the backup's files in; returns where the old vault went."""
    replaced = None
    if occupied:
        replaced = _free_name(directory, f"replaced-{datetime.now(UTC):%Y%m%d-%H%M%S}")
    journal: dict[str, object] = {
        "staging": work.name,
        "replaced": replaced.name if replaced else None,
    }
    atomic_write_bytes(directory / JOURNAL_NAME, json.dumps(journal).encode("utf-8"))
    _roll_forward(directory, journal)
    return replaced


def finish_interrupted(directory: Path) -> bool:
    """Complete a restore a crash cut short (call under the folder lock); True if one was."""
    path = directory / JOURNAL_NAME
    try:
        journal = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return False
    except (OSError, ValueError):
        journal = None
    if not isinstance(journal, dict) or not isinstance(journal.get("staging"), str):
        raise VaultCorruptError(
            f"{path} (a restore in progress) is damaged; nothing was changed. Move it away "
            "and check which vault files are in the folder"
        )
    _roll_forward(directory, journal)
    return True


def _safe_child(directory: Path, name: object) -> Path | None:
    if not isinstance(name, str) or not name or "/" in name or "\\" in name or name in (".", ".."):
        return None
    return directory / name


def _roll_forward(directory: Path, journal: dict[str, object]) -> None:
    work = _safe_child(directory, journal.get("staging"))
    replaced = _safe_child(directory, journal.get("replaced"))
    if work is None:
        raise VaultCorruptError(f"{directory / JOURNAL_NAME} names no restore folder")
    new_db, new_header = work / DB_NAME, work / HEADER_NAME
    if new_db.exists() or new_header.exists():
        if replaced is not None:
            replaced.mkdir(mode=0o700, exist_ok=True)
        names = (*_DB_FILES, LEGACY_THROTTLE) if new_db.exists() else ()
        for name in names:
            _move_aside(directory / name, replaced)
        if new_header.exists():
            _move_aside(directory / HEADER_NAME, replaced)
        if new_db.exists():
            os.chmod(new_db, 0o600)
            os.replace(new_db, directory / DB_NAME)
        if new_header.exists():
            os.chmod(new_header, 0o600)
            os.replace(new_header, directory / HEADER_NAME)
        fsync_dir(directory)
        if replaced is not None:
            fsync_dir(replaced)
    (directory / JOURNAL_NAME).unlink(missing_ok=True)
    fsync_dir(directory)
    shutil.rmtree(work, ignore_errors=True)


def _move_aside(path: Path, replaced: Path | None) -> None:
    if not path.exists():
        return
    if replaced is None:
        path.unlink()
    else:
        os.replace(path, replaced / path.name)


def _free_name(directory: Path, stem: str) -> Path:
    for n in range(1000):
        candidate = directory / (stem if n == 0 else f"{stem}-{n}")
        if not candidate.exists():
            return candidate
    raise VaultError(f"cannot choose a folder for the replaced vault in {directory}")
