"""A database that is not this vault's is refused, never adopted (docs/security.md 21).

The attack that started this: `truncate -s 0 vault.db`, then any command with
the right passphrase built a fresh schema over it and reported a sound vault
with no clients.
"""

from __future__ import annotations

import io
import shutil
import tarfile
from pathlib import Path

import pytest

from console.errors import VaultCorruptError, VaultError
from console.vault import Vault
from console.vault.database import raw_connect
from tests.conftest import PASSPHRASE
from tests.hostile.conftest import CLIENTS, Made, backup_of, cli, files, make_vault, names, one_line
from tests.hostile.tampering import database_key

COMMANDS = (("verify",), ("list-clients",), ("demo",), ("rotate-key",), ("backup", "BACKUPS"))


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_an_emptied_database_is_refused_by_every_command(
    made: Made, tmp_path: Path, command: tuple[str, ...]
) -> None:
    (made.folder / "vault.db").write_bytes(b"")
    before = files(made.folder)
    args = [str(tmp_path / "b") if a == "BACKUPS" else a for a in command]
    flag = [] if command[0] == "rotate-key" else ["--passphrase-stdin"]
    line = one_line(cli(made.folder, *args, *flag, stdin=PASSPHRASE))
    assert "empty" in line and "not this vault's database" in line, line
    assert files(made.folder) == before
    assert (made.folder / "vault.db").stat().st_size == 0
    assert not (tmp_path / "b").exists() or not any((tmp_path / "b").iterdir())


def test_a_missing_database_is_refused_and_nothing_is_created(made: Made) -> None:
    (made.folder / "vault.db").unlink()
    line = one_line(cli(made.folder, "verify", "--passphrase-stdin", stdin=PASSPHRASE))
    assert "vault.db is missing" in line
    assert not (made.folder / "vault.db").exists()


def test_another_vaults_database_is_refused(made: Made, tmp_path: Path) -> None:
    other = make_vault(tmp_path / "other", clients=("Someone Else",))
    shutil.copy(other.folder / "vault.db", made.folder / "vault.db")
    before = files(made.folder)
    line = one_line(cli(made.folder, "verify", "--passphrase-stdin", stdin=PASSPHRASE))
    assert "does not open with this vault's key" in line
    assert files(made.folder) == before


def test_a_database_naming_another_vault_is_refused(made: Made) -> None:
    """Same key, other identity: the database's own record says it is another vault's."""
    conn = raw_connect(made.folder / "vault.db", database_key(made.folder, PASSPHRASE))
    try:
        conn.execute("DROP TRIGGER vault_identity_no_update")
        conn.execute("UPDATE vault_identity SET vault_id = '00000000-0000-4000-8000-000000000000'")
    finally:
        conn.close()
    before = files(made.folder)
    with pytest.raises(VaultCorruptError, match="belongs to another vault"):
        Vault(made.folder).unlock_with_passphrase(PASSPHRASE)
    assert files(made.folder) == before


def _backup_with_empty_db(made: Made, tmp_path: Path) -> Path:
    target = tmp_path / "empty-db.scbackup"
    with tarfile.open(target, "w") as tar:
        tar.add(made.folder / "vault.json", arcname="vault.json")
        info = tarfile.TarInfo("vault.db")
        info.size = 0
        tar.addfile(info, io.BytesIO(b""))
    return target


def test_a_backup_with_an_empty_database_does_not_replace_a_real_vault(
    made: Made, tmp_path: Path
) -> None:
    hollow = _backup_with_empty_db(made, tmp_path)
    before = files(made.folder)
    result = cli(
        made.folder, "restore", str(hollow), "--replace", "--passphrase-stdin", stdin=PASSPHRASE
    )
    assert "empty database" in one_line(result)
    assert files(made.folder) == before
    assert names(made.folder) == set(CLIENTS)
    assert not list(made.folder.glob("replaced-*"))


def test_a_backup_without_clients_needs_allow_empty(tmp_path: Path) -> None:
    empty = make_vault(tmp_path / "empty", clients=())
    backup = backup_of(empty.folder, tmp_path / "backups")
    full = make_vault(tmp_path / "full")
    refused = cli(
        full.folder, "restore", str(backup), "--replace", "--passphrase-stdin", stdin=PASSPHRASE
    )
    assert "--allow-empty" in one_line(refused)
    assert names(full.folder) == set(CLIENTS)
    allowed = cli(
        full.folder,
        "restore",
        str(backup),
        "--replace",
        "--allow-empty",
        "--passphrase-stdin",
        stdin=PASSPHRASE,
    )
    assert allowed.returncode == 0, allowed.stderr
    assert names(full.folder) == set()


def test_a_backup_whose_database_belongs_to_another_vault_is_refused(
    made: Made, tmp_path: Path
) -> None:
    other = make_vault(tmp_path / "other", clients=("Someone Else",))
    genuine = backup_of(other.folder, tmp_path / "backups")
    mixed = tmp_path / "mixed.scbackup"
    with tarfile.open(genuine) as source, tarfile.open(mixed, "w") as tar:
        tar.add(made.folder / "vault.json", arcname="vault.json")
        member = source.getmember("vault.db")
        tar.addfile(member, source.extractfile(member))
    with pytest.raises((VaultCorruptError, VaultError)):
        Vault.restore(mixed, tmp_path / "fresh", PASSPHRASE)
    assert not (tmp_path / "fresh" / "vault.json").exists()
