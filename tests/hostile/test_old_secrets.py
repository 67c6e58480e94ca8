"""Old secrets stop working (docs/security.md 22): rotation revokes, codes can be replaced.

The attack: keep an old vault.json (every backup carries one) and the old
passphrase; after `change-passphrase` and `rotate-key` they still unwrapped
the vault key, which still unwrapped today's database key.
"""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from console.errors import VaultCorruptError, WrongSecretError
from console.vault import Vault
from tests.conftest import PASSPHRASE
from tests.hostile.conftest import CLIENTS, Made, cli, names, one_line

NEW = "a brand new clinic passphrase"


def _slots(folder: Path) -> dict[str, dict[str, object]]:
    return {s["kind"]: s for s in json.loads((folder / "vault.json").read_text())["slots"]}


def test_graft_of_the_old_passphrase_slot_opens_nothing_after_rotation(made: Made) -> None:
    old_slot = _slots(made.folder)["passphrase"]
    rotated = cli(made.folder, "change-passphrase", "--rotate", stdin=f"{PASSPHRASE}\n{NEW}\n")
    assert rotated.returncode == 0, rotated.stderr
    assert "new recovery code: " in rotated.stdout
    header = json.loads((made.folder / "vault.json").read_text())
    header["slots"] = [s for s in header["slots"] if s["kind"] != "passphrase"] + [old_slot]
    (made.folder / "vault.json").write_text(json.dumps(header))
    with pytest.raises(WrongSecretError):
        Vault(made.folder).unlock_with_passphrase(PASSPHRASE)


def test_an_old_vault_json_with_the_old_passphrase_opens_nothing_after_rotation(
    made: Made, tmp_path: Path
) -> None:
    old_header = (made.folder / "vault.json").read_text()
    assert cli(made.folder, "rotate-key", stdin=PASSPHRASE).returncode == 0
    (made.folder / "vault.json").write_text(old_header)
    with pytest.raises(VaultCorruptError, match="does not open with this vault's key"):
        Vault(made.folder).unlock_with_passphrase(PASSPHRASE)


def test_a_passphrase_change_alone_says_what_it_does_not_protect(made: Made) -> None:
    changed = cli(made.folder, "change-passphrase", stdin=f"{PASSPHRASE}\n{NEW}\n")
    assert changed.returncode == 0, changed.stderr
    assert "--rotate" in changed.stdout and "Old copies of vault.json" in changed.stdout
    assert names(made.folder, NEW) == set(CLIENTS)


def test_a_new_recovery_code_retires_the_old_one(made: Made) -> None:
    issued = cli(made.folder, "new-recovery-code", stdin=PASSPHRASE)
    assert issued.returncode == 0, issued.stderr
    code = next(
        ln.removeprefix("new recovery code: ")
        for ln in issued.stdout.splitlines()
        if ln.startswith("new recovery code: ")
    )
    old = cli(made.folder, "recover", stdin=f"{made.code}\n{NEW}\n")
    assert "wrong recovery code" in one_line(old)
    new = cli(made.folder, "recover", stdin=f"{code}\n{NEW}\n")
    assert new.returncode == 0, new.stderr
    assert names(made.folder, NEW) == set(CLIENTS)


def test_rotation_keeps_the_keychain_slot_working(made: Made, memory_keyring: object) -> None:
    vault = Vault(made.folder)
    vault.unlock_with_passphrase(PASSPHRASE)
    vault.enable_keychain()
    vault.rotate_key(PASSPHRASE)
    vault.lock()
    again = Vault(made.folder)
    again.unlock_with_keychain()
    again.lock()


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_data_folder_files_and_backups_are_private(tmp_path: Path) -> None:
    data, backups = tmp_path / "data", tmp_path / "backups"
    made = cli(data, "init", "--passphrase-stdin", "--clinician", "Dr Private", stdin=PASSPHRASE)
    assert made.returncode == 0, made.stderr
    assert _mode(data) == 0o700
    for name in ("vault.db", "vault.json", "vault.lock"):
        assert _mode(data / name) == 0o600, name
    written = cli(data, "backup", str(backups), "--passphrase-stdin", stdin=PASSPHRASE)
    assert written.returncode == 0, written.stderr
    assert _mode(backups) == 0o700
    (backup,) = backups.glob("*.scbackup")
    assert _mode(backup) == 0o600
    restored = cli(
        data,
        "restore",
        str(backup),
        "--replace",
        "--allow-empty",
        "--passphrase-stdin",
        stdin=PASSPHRASE,
    )
    assert restored.returncode == 0, restored.stderr
    (replaced,) = data.glob("replaced-*")
    assert _mode(replaced) == 0o700
    for name in ("vault.db", "vault.json"):
        assert _mode(data / name) == 0o600, name
