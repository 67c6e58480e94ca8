"""The SQLCipher engine: a raw random key, WAL, full sync, no pooled connections.

The key is given as a SQLCipher raw key (`x'…'`), so no key derivation runs
per connection and the file's strength never rests on a human's choice. The
key never goes into the engine's URL: each connection is keyed by `_keyed`,
which overwrites its copy of the key statement afterwards, and SQLCipher's
own memory wiping (`cipher_memory_security`) and logging (off) are set
before the key.
A small pool keeps connections open while the vault is unlocked: with none
open, SQLite checkpoints and deletes the WAL every time the last connection
closes, which made every save pay for a full checkpoint. Locking disposes the
pool (`Vault.lock`), so no connection outlives the key.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.pool import QueuePool

from console.errors import CipherUnavailableError, VaultCorruptError, WrongSecretError
from console.vault import diagnose
from console.vault.memory import wipe_immutable

try:
    import sqlcipher3 as _sqlcipher
except ImportError:  # pragma: no cover - exercised only on a broken install
    _sqlcipher = None


def cipher_version() -> str:
    """SQLCipher's version; refuse to run on plain SQLite rather than write plaintext."""
    if _sqlcipher is None:
        raise CipherUnavailableError("SQLCipher (the sqlcipher3 package) is not installed")
    conn = _sqlcipher.connect(":memory:")
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        row = conn.execute("PRAGMA cipher_version").fetchone()
    finally:
        conn.close()
    if not row or not row[0]:
        raise CipherUnavailableError("the SQLite library in use has no SQLCipher encryption")
    return str(row[0])


def run_with_key(conn: Any, template: str, dek: bytes, *params: Any) -> None:
    """Execute a statement that carries the key (`{key}` in `template`), then wipe the text."""
    if "{key}" not in template:
        raise ValueError("the statement has no place for the key")
    hex_key = dek.hex()
    literal = f"x'{hex_key}'"
    statement = template.replace("{key}", literal)
    try:
        conn.execute(statement, params) if params else conn.execute(statement)
    finally:
        for text_with_key in (statement, literal, hex_key):
            wipe_immutable(text_with_key)


def _quiet(conn: Any) -> None:
    """SQLCipher's log lines would reach stderr (one per bad page); memory wiped on free."""
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute("PRAGMA cipher_memory_security = ON")


def create_private_file(path: Path) -> None:
    """An empty 0600 file for SQLite to fill; its -wal and -shm inherit the mode."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)


def _on_connect(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA busy_timeout = 5000")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA secure_delete = ON")
    finally:
        cursor.close()


def make_engine(path: Path, dek: bytes) -> Engine:
    """A pooled engine whose connections are keyed from a private copy of `dek`."""
    cipher_version()
    assert _sqlcipher is not None
    module = _sqlcipher.dbapi2
    key = bytearray(dek)

    def connect() -> Any:
        conn = module.connect(str(path), check_same_thread=False)
        try:
            _quiet(conn)
            copy = bytes(key)
            try:
                run_with_key(conn, 'PRAGMA key = "{key}"', copy)
            finally:
                wipe_immutable(copy)
        except BaseException:
            conn.close()
            raise
        return conn

    engine = create_engine(
        "sqlite://",
        module=module,
        creator=connect,
        poolclass=QueuePool,
        pool_size=2,
        max_overflow=6,
        echo=False,
        hide_parameters=True,
    )
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "engine_disposed", lambda _engine: _forget(key))
    return engine


def _forget(key: bytearray) -> None:
    for i in range(len(key)):
        key[i] = 0


def verify_key(engine: Engine) -> None:
    """SQLCipher reports a wrong key only at the first read: read now.

    A wrong key is `WrongSecretError`; any other failure is raised as it is,
    for `console.vault.diagnose` to tell disk trouble from damage.
    """
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT count(*) FROM sqlite_master")).scalar_one()
    except SADatabaseError as exc:
        engine.dispose()
        message = str(exc.orig) if exc.orig is not None else str(exc)
        if "not a database" in message:
            raise WrongSecretError("the key does not open this database") from None
        raise


def raw_connect(path: Path, dek: bytes) -> Any:
    """A bare DB-API connection for SQLCipher-only work (export, integrity checks)."""
    if _sqlcipher is None:
        raise CipherUnavailableError("SQLCipher (the sqlcipher3 package) is not installed")
    conn = _sqlcipher.connect(str(path), isolation_level=None)
    try:
        _quiet(conn)
        run_with_key(conn, 'PRAGMA key = "{key}"', dek)
    except BaseException:
        conn.close()
        raise
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except (_sqlcipher.DatabaseError, sqlite3.DatabaseError) as exc:
        conn.close()
        if "not a database" in str(exc):
            raise WrongSecretError("the key does not open this database") from exc
        if "malformed" in str(exc) or "corrupt" in str(exc):
            raise VaultCorruptError(f"{path.name} in {path.parent} is damaged") from None
        raise diagnose.explain(exc, path.parent) from None
    return conn


DB_ERRORS: tuple[type[BaseException], ...] = (sqlite3.DatabaseError, SADatabaseError) + (
    (_sqlcipher.DatabaseError,) if _sqlcipher is not None else ()
)


def integrity_problems(conn: Any) -> list[str]:
    """Both SQLite's structural check and SQLCipher's page HMAC check, in plain words."""
    advice = "restore vault.db from a backup"
    problems: list[str] = []
    try:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
        if [r[0] for r in rows] != ["ok"]:
            problems.append(f"vault.db is damaged (its structure check failed); {advice}")
        bad_pages = conn.execute("PRAGMA cipher_integrity_check").fetchall()
        if bad_pages:
            problems.append(
                f"vault.db is damaged ({len(bad_pages)} page(s) fail their HMAC); {advice}"
            )
    except DB_ERRORS:
        problems.append(f"vault.db is damaged and cannot be read through; {advice}")
    return problems
