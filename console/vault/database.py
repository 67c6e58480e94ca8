"""The SQLCipher engine: a raw random key, WAL, full sync, no pooled connections.

The key is given as a SQLCipher raw key (`x'…'`), so no key derivation runs
per connection and the file's strength never rests on a human's choice.
A small pool keeps connections open while the vault is unlocked: with none
open, SQLite checkpoints and deletes the WAL every time the last connection
closes, which made every save pay for a full checkpoint. Locking disposes the
pool (`Vault.lock`), so no connection outlives the key.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event, text
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.pool import QueuePool

from console.errors import CipherUnavailableError, VaultCorruptError, WrongSecretError

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


def raw_key(dek: bytes) -> str:
    return f"x'{dek.hex()}'"


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
    cipher_version()
    url = URL.create("sqlite+pysqlcipher", password=raw_key(dek), database=str(path))
    engine = create_engine(
        url, poolclass=QueuePool, pool_size=2, max_overflow=6, echo=False, hide_parameters=True
    )
    event.listen(engine, "connect", _on_connect)
    return engine


def verify_key(engine: Engine) -> None:
    """SQLCipher reports a wrong key only at the first read: read now."""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT count(*) FROM sqlite_master")).scalar_one()
    except SADatabaseError as exc:
        engine.dispose()
        message = str(exc.orig) if exc.orig is not None else str(exc)
        if "not a database" in message:
            raise WrongSecretError("the key does not open this database") from None
        raise VaultCorruptError(f"the database cannot be read ({message})") from None


def raw_connect(path: Path, dek: bytes) -> Any:
    """A bare DB-API connection for SQLCipher-only work (export, integrity checks)."""
    if _sqlcipher is None:
        raise CipherUnavailableError("SQLCipher (the sqlcipher3 package) is not installed")
    conn = _sqlcipher.connect(str(path), isolation_level=None)
    conn.execute(f'PRAGMA key = "{raw_key(dek)}"')
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except (_sqlcipher.DatabaseError, sqlite3.DatabaseError) as exc:
        conn.close()
        if "not a database" in str(exc):
            raise WrongSecretError("the key does not open this database") from exc
        raise VaultCorruptError(f"{path.name} is damaged ({exc})") from exc
    return conn


DB_ERRORS: tuple[type[BaseException], ...] = (sqlite3.DatabaseError, SADatabaseError) + (
    (_sqlcipher.DatabaseError,) if _sqlcipher is not None else ()
)


def integrity_problems(conn: Any) -> list[str]:
    """Both SQLite's structural check and SQLCipher's page HMAC check."""
    problems: list[str] = []
    try:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
        if [r[0] for r in rows] != ["ok"]:
            problems.extend(f"integrity_check: {r[0]}" for r in rows)
        problems.extend(
            f"cipher_integrity_check: {r[0]}"
            for r in conn.execute("PRAGMA cipher_integrity_check").fetchall()
        )
    except DB_ERRORS as exc:
        problems.append(f"the database is damaged ({exc})")
    return problems
