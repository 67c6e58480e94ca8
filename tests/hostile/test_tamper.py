"""Tamper evidence that holds against someone with the database key (docs/security.md 24).

Every edit in `tampering.ATTACKS` went unnoticed by `verify` before the chain
and the seals were keyed and the head anchored in vault.json. The one case
that stays undetectable from the vault alone, putting back an older vault.db
with its own vault.json, is shown here too, and caught where the computer's
keychain remembers the vault.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from console.errors import VaultCorruptError
from console.services.bundle import Services
from console.services.clients import ClientFields
from console.vault import Vault
from tests.conftest import PASSPHRASE
from tests.hostile import tampering
from tests.hostile.conftest import Made, cli

EXPECTED = {
    "delete the last audit events": "rolled back or events were deleted",
    "rebuild the audit hashes": "audit event",
    "rebuild the audit hashes and drop the head": "audit event 1 (create) was altered",
    "set a signed note back to draft": "deleted or set back to draft",
    "delete a signed note": "deleted or set back to draft",
    "re-sign edited text with a recomputed hash": "does not match its sealed signature",
    "delete the signature seals": "does not match its sealed signature",
    "drop the protective triggers": "protective trigger",
}


def detected(folder: Path) -> str | None:
    """What `verify` (or the unlock before it) says; None if the vault was called sound."""
    result = cli(folder, "verify", "--passphrase-stdin", stdin=PASSPHRASE)
    if result.returncode == 0:
        return None
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    return result.stderr.strip()


@pytest.mark.parametrize("attack", tampering.ATTACKS)
def test_each_edit_with_the_database_key_is_named_by_verify(made: Made, attack: str) -> None:
    assert detected(made.folder) is None
    tampering.ATTACKS[attack](made.folder, tampering.database_key(made.folder, PASSPHRASE))
    said = detected(made.folder)
    assert said is not None, f"{attack} went unnoticed"
    assert EXPECTED[attack] in said, said


def _add_client(folder: Path, name: str) -> None:
    vault = Vault(folder)
    vault.unlock_with_passphrase(PASSPHRASE)
    try:
        Services(vault).clients.create(ClientFields(name=name))
    finally:
        vault.lock()


def test_putting_back_an_old_vault_db_alone_is_a_rollback(made: Made, tmp_path: Path) -> None:
    shutil.copy(made.folder / "vault.db", tmp_path / "old.db")
    _add_client(made.folder, "Added Later")
    shutil.copy(tmp_path / "old.db", made.folder / "vault.db")
    said = detected(made.folder)
    assert said is not None and "rolled back" in said, said


def test_a_whole_vault_rollback_is_undetectable_without_the_keychain(
    made: Made, tmp_path: Path
) -> None:
    """Documented in docs/security.md: vault.db and vault.json put back together."""
    saved = tmp_path / "saved"
    shutil.copytree(made.folder, saved)
    _add_client(made.folder, "Added Later")
    for name in ("vault.db", "vault.json"):
        shutil.copy(saved / name, made.folder / name)
    assert detected(made.folder) is None


def test_a_whole_vault_rollback_is_caught_where_the_keychain_remembers_it(
    made: Made, tmp_path: Path, memory_keyring: object
) -> None:
    vault = Vault(made.folder)
    vault.unlock_with_passphrase(PASSPHRASE)
    vault.enable_keychain()
    vault.lock()
    saved = tmp_path / "saved"
    shutil.copytree(made.folder, saved)
    _add_client(made.folder, "Added Later")
    for name in ("vault.db", "vault.json"):
        shutil.copy(saved / name, made.folder / name)
    with pytest.raises(VaultCorruptError, match="rolled back"):
        Vault(made.folder).unlock_with_keychain()
