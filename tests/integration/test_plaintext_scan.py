"""Nothing a clinician types reaches the disk in the clear (docs/security.md 1, 15).

A unique marker is saved through the services in a client's name, a note and
an addendum; then every byte of every file the vault wrote is searched for it:
vault.db, its -wal while the vault is open and after locking, vault.json and
a backup.
"""

from __future__ import annotations

import re
import secrets
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from console.services.bundle import Services
from console.services.clients import ClientFields
from console.services.sessions import SessionFields
from console.vault import Vault
from console.vault.database import cipher_version
from models import SessionKind


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def _holders(paths: list[Path], marker: str) -> list[str]:
    needle = marker.encode("utf-8")
    return [str(p) for p in paths if needle in p.read_bytes()]


def _save_marker_everywhere(services: Services, marker: str) -> None:
    client = services.clients.create(
        ClientFields(name=f"Client {marker}", presenting_concerns=f"Worried about {marker}")
    )
    session = services.sessions.create(
        client.id, SessionFields(starts_at=datetime.now(UTC), kind=SessionKind.EMDR)
    )
    note = services.notes.create(session.id, "soap", {"subjective": f"Client said {marker}"})
    services.notes.save_draft(
        note.id, {"subjective": f"Client said {marker}", "plan": f"Next time {marker}"}
    )
    services.notes.sign(note.id)
    services.notes.add_addendum(note.id, f"Correction: {marker}")


def test_scan_finds_a_marker_in_an_unencrypted_database(tmp_path: Path) -> None:
    """Control: the scan below does find text that SQLite stored in the clear."""
    marker = f"canary{secrets.token_hex(8)}"
    plain = tmp_path / "plain.db"
    conn = sqlite3.connect(plain)
    conn.execute("CREATE TABLE t (x TEXT)")
    conn.execute("INSERT INTO t VALUES (?)", (f"Client {marker}",))
    conn.commit()
    conn.close()
    assert _holders([plain], marker) == [str(plain)]


def test_marker_never_reaches_the_disk_in_the_clear(
    vault: Vault, vault_dir: Path, tmp_path: Path
) -> None:
    marker = f"canary{secrets.token_hex(8)}"
    services = Services(vault)
    wal = vault_dir / "vault.db-wal"

    # An open reader keeps SQLite from folding the -wal back in, as a busy app would.
    with vault.engine.connect() as reader:
        reader.execute(text("SELECT count(*) FROM clients")).scalar_one()
        wal_before = wal.stat().st_size if wal.exists() else 0
        _save_marker_everywhere(services, marker)

        # The marker is really stored: the app reads it back and finds it.
        hits = services.search.search(marker)
        assert {h.kind for h in hits} >= {"client", "note", "addendum"}
        assert wal.exists() and wal.stat().st_size > wal_before, "saves went to the -wal"

        while_open = _files(vault_dir)
        assert {p.name for p in while_open} >= {"vault.db", "vault.db-wal", "vault.json"}
        assert _holders(while_open, marker) == []
        reader.rollback()

    backup = vault.backup(tmp_path / "backups")
    assert _holders([backup.path], marker) == []

    vault.lock()
    after_lock = _files(vault_dir)
    assert "vault.db" in {p.name for p in after_lock}
    assert _holders(after_lock, marker) == []
    assert _holders(_files(tmp_path / "backups"), marker) == []

    db_bytes = (vault_dir / "vault.db").read_bytes()
    assert not db_bytes.startswith(b"SQLite format 3\x00"), "vault.db must not be plain SQLite"


def test_plain_sqlite_cannot_read_the_vault(vault: Vault, vault_dir: Path) -> None:
    Services(vault).clients.create(ClientFields(name="Someone"))
    vault.lock()
    conn = sqlite3.connect(vault_dir / "vault.db")
    try:
        with pytest.raises(sqlite3.DatabaseError, match="not a database"):
            conn.execute("SELECT name FROM sqlite_master").fetchall()
    finally:
        conn.close()


def test_sqlcipher_is_in_use(vault: Vault) -> None:
    version = cipher_version()
    assert version
    assert re.match(r"\d+\.\d+", version), version
    # The vault's own connections run on the same SQLCipher.
    with vault.engine.connect() as conn:
        assert conn.execute(text("PRAGMA cipher_version")).scalar_one() == version
