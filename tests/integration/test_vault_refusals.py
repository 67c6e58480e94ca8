"""What the vault refuses to open or create: a clear error, nothing changed.

See docs/security.md 1, 20.

Every case damages a real vault folder the way a disk, a sync tool or a newer
release would, then checks the error a person would see and that no file in
the folder was rewritten.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from console.errors import (
    ConsoleError,
    ValidationError,
    VaultCorruptError,
    VaultExistsError,
    VaultTooNewError,
    WrongSecretError,
)
from console.services.bundle import Services
from console.services.clients import ClientFields
from console.vault import Vault
from console.vault.database import make_engine, raw_connect, verify_key
from console.vault.header import read_header
from console.vault.keyslots import unwrap_with_key, unwrap_with_secret
from tests.conftest import PASSPHRASE, TEST_KDF

CLIENT = "Ilse Refusalcase"
SQLITE_JARGON = ("malformed", "sqlite", "SQL:", "Traceback", "btree", "dbapi")


@pytest.fixture
def locked_vault(vault: Vault, vault_dir: Path) -> Path:
    """A vault with one client, locked (no -wal left: the file is complete)."""
    Services(vault).clients.create(ClientFields(name=CLIENT))
    vault.lock()
    assert sorted(p.name for p in vault_dir.iterdir()) == ["vault.db", "vault.json", "vault.lock"]
    return vault_dir


def _snapshot(folder: Path) -> dict[str, bytes]:
    """The main vault files, byte for byte (SQLite may add -shm/-wal beside them)."""
    return {
        p.name: p.read_bytes() for p in folder.iterdir() if p.name in ("vault.json", "vault.db")
    }


def _header(folder: Path) -> dict[str, Any]:
    return json.loads((folder / "vault.json").read_text(encoding="utf-8"))


def _write_header(folder: Path, data: Any) -> None:
    (folder / "vault.json").write_text(json.dumps(data), encoding="utf-8")


def _opens_with_client(folder: Path) -> bool:
    vault = Vault(folder)
    vault.unlock_with_passphrase(PASSPHRASE)
    try:
        return CLIENT in {c.name for c in Services(vault).clients.list(status=None)}
    finally:
        vault.lock()


# -- vault.json ---------------------------------------------------------------

DAMAGED_HEADERS: dict[str, Callable[[dict[str, Any]], bytes]] = {
    "binary garbage": lambda h: b"\x00\xff\xfe garbage \x89PNG\r\n",
    "empty file": lambda h: b"",
    "cut in half": lambda h: json.dumps(h).encode()[: len(json.dumps(h)) // 2],
    "a JSON list": lambda h: b"[1, 2, 3]",
    "another app's JSON": lambda h: json.dumps({**h, "app": "notes-pro"}).encode(),
    "no format": lambda h: json.dumps({k: v for k, v in h.items() if k != "format"}).encode(),
    "no slots": lambda h: json.dumps({k: v for k, v in h.items() if k != "slots"}).encode(),
    "slots not a list": lambda h: json.dumps({**h, "slots": 7}).encode(),
    "unknown slot kind": lambda h: json.dumps(
        {**h, "slots": [{**s, "kind": "fingerprint"} for s in h["slots"]]}
    ).encode(),
    "salt not base64": lambda h: json.dumps(
        {**h, "slots": [{**s, "kdf": {**s["kdf"], "salt": "%%%"}} for s in h["slots"]]}
    ).encode(),
    "no database key": lambda h: json.dumps({k: v for k, v in h.items() if k != "db_key"}).encode(),
}


@pytest.mark.parametrize("damage", list(DAMAGED_HEADERS), ids=list(DAMAGED_HEADERS))
def test_damaged_vault_json_is_refused_and_left_alone(locked_vault: Path, damage: str) -> None:
    (locked_vault / "vault.json").write_bytes(DAMAGED_HEADERS[damage](_header(locked_vault)))
    before = _snapshot(locked_vault)

    with pytest.raises(VaultCorruptError) as refused:
        Vault(locked_vault).unlock_with_passphrase(PASSPHRASE)
    assert "vault.json" in refused.value.message
    assert _snapshot(locked_vault) == before

    # Setting up a new vault on top of the damaged one is refused too.
    with pytest.raises(VaultExistsError):
        Vault.create(locked_vault, PASSPHRASE, "Dr Overwrite", kdf=TEST_KDF)
    assert _snapshot(locked_vault) == before


@pytest.mark.parametrize("kdf", ["argon2id", [], 65536], ids=["string", "list", "number"])
def test_vault_json_with_a_damaged_kdf_entry_is_refused_clearly(
    locked_vault: Path, kdf: object
) -> None:
    header = _header(locked_vault)
    header["slots"] = [{**s, "kdf": kdf} for s in header["slots"]]
    _write_header(locked_vault, header)
    before = _snapshot(locked_vault)
    with pytest.raises(VaultCorruptError):
        Vault(locked_vault).unlock_with_passphrase(PASSPHRASE)
    assert _snapshot(locked_vault) == before


def test_vault_from_a_newer_format_is_refused_and_left_alone(locked_vault: Path) -> None:
    header = _header(locked_vault)
    header["format"] = 99
    _write_header(locked_vault, header)
    before = _snapshot(locked_vault)

    with pytest.raises(VaultTooNewError) as refused:
        Vault(locked_vault).unlock_with_passphrase(PASSPHRASE)
    assert "newer version" in refused.value.message
    assert "99" in refused.value.message
    assert _snapshot(locked_vault) == before

    # Putting the format back shows the refusal really was about the version.
    header["format"] = 1
    _write_header(locked_vault, header)
    assert _opens_with_client(locked_vault)


# -- vault.db -----------------------------------------------------------------


def test_missing_vault_db_is_refused_and_not_recreated(locked_vault: Path) -> None:
    (locked_vault / "vault.db").unlink()
    header_before = (locked_vault / "vault.json").read_bytes()

    with pytest.raises(VaultCorruptError) as refused:
        Vault(locked_vault).unlock_with_passphrase(PASSPHRASE)
    assert "vault.db" in refused.value.message
    assert "backup" in refused.value.message
    assert not (locked_vault / "vault.db").exists(), "an empty database must not appear"
    assert (locked_vault / "vault.json").read_bytes() == header_before


def _truncate_db(folder: Path) -> None:
    db = folder / "vault.db"
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 2])


def test_truncated_vault_db_is_refused_and_left_alone(locked_vault: Path) -> None:
    _truncate_db(locked_vault)
    before = _snapshot(locked_vault)

    attempt = Vault(locked_vault)
    with pytest.raises(VaultCorruptError):
        attempt.unlock_with_passphrase(PASSPHRASE)
    assert not attempt.is_unlocked
    assert _snapshot(locked_vault) == before


def test_truncated_vault_db_message_is_plain_and_says_what_to_do(locked_vault: Path) -> None:
    _truncate_db(locked_vault)
    with pytest.raises(VaultCorruptError) as refused:
        Vault(locked_vault).unlock_with_passphrase(PASSPHRASE)
    message = refused.value.message
    assert "vault.db" in message
    assert "backup" in message
    assert not any(word.lower() in message.lower() for word in SQLITE_JARGON), message


def test_damaged_page_in_vault_db_is_refused_or_reported(locked_vault: Path) -> None:
    db = locked_vault / "vault.db"
    pristine = db.read_bytes()
    page = 4096
    pages = len(pristine) // page
    for number in sorted({2, pages // 2, pages - 1}):
        damaged = bytearray(pristine)
        start = number * page + page // 2  # inside the page, well past its header
        damaged[start : start + 8] = bytes(b ^ 0xFF for b in damaged[start : start + 8])
        db.write_bytes(bytes(damaged))
        for extra in ("vault.db-wal", "vault.db-shm"):
            (locked_vault / extra).unlink(missing_ok=True)
        vault = Vault(locked_vault)
        try:
            vault.unlock_with_passphrase(PASSPHRASE)
        except VaultCorruptError:
            continue
        try:
            report = Services(vault).verify()
            assert not report.sound, f"damage in page {number + 1} went unnoticed"
        finally:
            vault.lock()


def test_database_revision_from_a_newer_app_is_refused(vault: Vault, vault_dir: Path) -> None:
    Services(vault).clients.create(ClientFields(name=CLIENT))
    with vault.session() as db:
        current = db.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
        db.execute(text("UPDATE alembic_version SET version_num = 'f00dfeedcafe'"))
    vault.lock()
    before = _snapshot(vault_dir)

    with pytest.raises(VaultTooNewError) as refused:
        Vault(vault_dir).unlock_with_passphrase(PASSPHRASE)
    assert "newer version" in refused.value.message
    assert _snapshot(vault_dir) == before

    # Control: once the revision is one this app knows, the same folder opens again.
    conn = raw_connect(vault_dir / "vault.db", _db_key_via_unwrap(vault_dir))
    try:
        conn.execute("UPDATE alembic_version SET version_num = ?", (current,))
    finally:
        conn.close()
    assert _opens_with_client(vault_dir)


def _db_key_via_unwrap(folder: Path) -> bytes:
    """The database key, unwrapped the documented way (passphrase slot, then db_key)."""
    header = read_header(folder)
    slot = header.slot("passphrase")
    assert slot is not None
    vault_key = unwrap_with_secret(slot, PASSPHRASE, header.vault_id)
    return unwrap_with_key(header.db_key, vault_key, header.vault_id)


def test_extra_database_revision_from_a_newer_app_is_refused(vault: Vault, vault_dir: Path) -> None:
    with vault.session() as db:
        db.execute(text("INSERT INTO alembic_version (version_num) VALUES ('f00dfeedcafe')"))
    vault.lock()
    before = _snapshot(vault_dir)
    with pytest.raises(VaultTooNewError):
        Vault(vault_dir).unlock_with_passphrase(PASSPHRASE)
    assert _snapshot(vault_dir) == before


# -- creating -----------------------------------------------------------------


def test_creating_over_an_existing_vault_is_refused(locked_vault: Path) -> None:
    before = _snapshot(locked_vault)
    with pytest.raises(VaultExistsError):
        Vault.create(locked_vault, "another long passphrase here", "Dr Second", kdf=TEST_KDF)
    assert _snapshot(locked_vault) == before
    assert _opens_with_client(locked_vault)


def test_creating_beside_a_stray_vault_db_is_refused(locked_vault: Path) -> None:
    (locked_vault / "vault.json").unlink()  # an interrupted set-up leaves only the database
    db_before = (locked_vault / "vault.db").read_bytes()
    with pytest.raises(VaultExistsError, match=r"vault\.db"):
        Vault.create(locked_vault, PASSPHRASE, "Dr Second", kdf=TEST_KDF)
    assert (locked_vault / "vault.db").read_bytes() == db_before
    assert not (locked_vault / "vault.json").exists()


@pytest.mark.parametrize("weak", ["", "short", "         x", "123456789"])
def test_weak_passphrase_is_refused_at_creation(tmp_path: Path, weak: str) -> None:
    folder = tmp_path / "new-vault"
    with pytest.raises(ValidationError) as refused:
        Vault.create(folder, weak, "Dr Weak", kdf=TEST_KDF)
    assert refused.value.field == "passphrase"
    assert not (folder / "vault.json").exists()
    assert not (folder / "vault.db").exists()


def test_weak_new_passphrase_is_refused_and_the_old_one_still_works(
    vault: Vault, vault_dir: Path
) -> None:
    Services(vault).clients.create(ClientFields(name=CLIENT))
    header_before = (vault_dir / "vault.json").read_bytes()
    with pytest.raises(ValidationError):
        vault.change_passphrase(PASSPHRASE, "short")
    assert (vault_dir / "vault.json").read_bytes() == header_before
    vault.lock()
    assert _opens_with_client(vault_dir)


# -- the SQLCipher engine itself ---------------------------------------------


def test_wrong_raw_key_is_a_clear_wrong_key_error(tmp_path: Path, locked_vault: Path) -> None:
    # Control: a database keyed with one random key opens with it ...
    key = secrets.token_bytes(32)
    own = tmp_path / "own.db"
    engine = make_engine(own, key)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (x TEXT)"))
        conn.execute(text("INSERT INTO t VALUES ('hello')"))
    engine.dispose()
    good = make_engine(own, key)
    verify_key(good)
    good.dispose()

    # ... and any other key, on it or on the vault's database, is refused plainly.
    for path in (own, locked_vault / "vault.db"):
        wrong = make_engine(path, secrets.token_bytes(32))
        with pytest.raises(WrongSecretError) as refused:
            verify_key(wrong)
        wrong.dispose()
        assert isinstance(refused.value, ConsoleError)
        assert refused.value.message == "the key does not open this database"
    assert _opens_with_client(locked_vault)
