"""Say what is true (docs/security.md 26): only real damage suggests a backup.

A user told "vault.db is damaged… restore it from a backup" when the disk was
full would replace newer records with older ones. Each condition here is made
for real: a full tmpfs, a read-only remount, a crafted vault.json, bytes that
are not UTF-8 on standard input, a flipped byte in a page's HMAC.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from console.errors import DiskSpaceError, VaultError
from console.services.bundle import Services
from console.services.clients import ClientFields
from console.vault import Vault
from tests.conftest import PASSPHRASE
from tests.hostile.bad_inputs import HEADER_MUTATIONS
from tests.hostile.conftest import CLIENTS, Made, cli, fill_disk, make_vault, names, one_line

DAMAGED_WORDS = ("damaged", "backup")


def test_a_full_disk_is_called_full_and_loses_nothing(tmpfs: Path, tmp_path: Path) -> None:
    made = make_vault(tmpfs / "vault")
    filler = fill_disk(tmpfs)
    saved = 0
    vault = Vault(made.folder)
    try:
        vault.unlock_with_passphrase(PASSPHRASE)
    except VaultError as exc:
        assert "full" in exc.message and "intact" in exc.message, exc.message
    else:
        with pytest.raises(DiskSpaceError) as full:
            for n in range(2000):
                Services(vault).clients.create(ClientFields(name=f"Filled {n:04d} " + "x" * 200))
                saved += 1
        assert "full" in full.value.message and "backup" not in full.value.message
        vault.lock()
    said = cli(made.folder, "backup", str(tmpfs / "b"), "--passphrase-stdin", stdin=PASSPHRASE)
    line = one_line(said)
    assert "full" in line and "restore" not in line.lower(), line
    assert not list((tmpfs / "b").glob("*.scbackup")) if (tmpfs / "b").exists() else True
    filler.unlink()
    listed = names(made.folder)
    assert set(CLIENTS) <= listed
    assert len(listed) == len(CLIENTS) + saved
    assert cli(made.folder, "verify", "--passphrase-stdin", stdin=PASSPHRASE).returncode == 0


def test_a_read_only_disk_is_called_read_only(tmpfs: Path) -> None:
    made = make_vault(tmpfs / "vault")
    assert subprocess.run(["mount", "-o", "remount,ro", str(tmpfs)]).returncode == 0
    line = one_line(cli(made.folder, "verify", "--passphrase-stdin", stdin=PASSPHRASE))
    assert "read-only" in line and "backup" not in line, line
    assert subprocess.run(["mount", "-o", "remount,rw", str(tmpfs)]).returncode == 0
    assert names(made.folder) == set(CLIENTS)


def test_a_flipped_byte_in_a_page_hmac_is_called_damage(made: Made) -> None:
    db = made.folder / "vault.db"
    data = bytearray(db.read_bytes())
    page = 4096
    for number in (0, 2):
        damaged = bytearray(data)
        damaged[(number + 1) * page - 10] ^= 0xFF  # inside the page's HMAC (last 64 bytes)
        db.write_bytes(bytes(damaged))
        result = cli(made.folder, "verify", "--passphrase-stdin", stdin=PASSPHRASE)
        text = (result.stderr + result.stdout).lower()
        assert result.returncode == 1, result
        assert all(word in text for word in DAMAGED_WORDS), text
        assert "internal error" not in text and "traceback" not in text
    db.write_bytes(bytes(data))


def _edit(path: Path, change: Any) -> None:
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))


CRAFTED = {
    name: HEADER_MUTATIONS[name]
    for name in (
        "lanes 0",
        "lanes -1",
        "lanes 100000",
        "memory huge",
        "iterations 10^9",
        "nonce empty",
        "wrapped short",
    )
}


@pytest.mark.parametrize("how", CRAFTED)
def test_crafted_vault_json_is_refused_before_any_derivation(made: Made, how: str) -> None:
    path = made.folder / "vault.json"
    _edit(path, CRAFTED[how])
    before = path.read_bytes()
    result = cli(made.folder, "verify", "--passphrase-stdin", stdin=PASSPHRASE)
    line = one_line(result)
    assert "vault.json is damaged" in line, line
    assert path.read_bytes() == before, "not counted as a failed passphrase"


def test_a_damaged_pending_key_does_not_lock_out_an_intact_vault(made: Made) -> None:
    _edit(made.folder / "vault.json", lambda d: d.update(pending={"db_key": {"kind": 3}}))
    assert names(made.folder) == set(CLIENTS)
    assert json.loads((made.folder / "vault.json").read_text())["pending"] is None


def test_an_interrupted_rotation_is_named_and_finished_with_the_passphrase(made: Made) -> None:
    class Crash(Exception):
        pass

    def crash(step: str) -> None:
        if step == "rekeyed":
            raise Crash

    vault = Vault(made.folder)
    vault.unlock_with_passphrase(PASSPHRASE)
    with pytest.raises(Crash):
        vault.rotate_key(PASSPHRASE, step=crash)
    vault.folder.release()  # the process "died" here
    line = one_line(cli(made.folder, "recover", stdin=f"{made.code}\nsome new passphrase\n"))
    assert "rotation was interrupted" in line and "passphrase" in line, line
    finished = cli(made.folder, "verify", "--passphrase-stdin", stdin=PASSPHRASE)
    assert finished.returncode == 0, finished.stderr
    assert "issue a new recovery code" in finished.stderr
    assert names(made.folder) == set(CLIENTS)


def test_bytes_that_are_not_utf8_are_one_clear_line(made: Made, tmp_path: Path) -> None:
    line = one_line(cli(made.folder, "verify", "--passphrase-stdin", stdin=b"\xff\xfe\xc3("))
    assert "not UTF-8" in line
    fresh = cli(
        tmp_path / "n",
        "init",
        "--passphrase-stdin",
        "--clinician",
        "Dr X",
        stdin=b"a fine passphrase\n",
    )
    assert fresh.returncode == 0
    not_utf8_name = os.fsdecode(b"Dr \xff\xfe")  # reaches the child as those raw bytes
    bad_name = cli(
        tmp_path / "m", "init", "--passphrase-stdin", "--clinician", not_utf8_name, stdin=PASSPHRASE
    )
    assert "not valid text" in one_line(bad_name)
    assert not (tmp_path / "m").exists()


@pytest.mark.parametrize("separator", ["\u2028", "\u0085", "\x0c", "\u2029"])
def test_a_passphrase_with_a_line_separator_is_read_whole(tmp_path: Path, separator: str) -> None:
    secret = f"first half{separator}second half of it"
    data = tmp_path / "sep"
    made = cli(data, "init", "--passphrase-stdin", "--clinician", "Dr Sep", stdin=secret)
    assert made.returncode == 0, made.stderr
    assert one_line(cli(data, "verify", "--passphrase-stdin", stdin="first half"))
    opened = cli(data, "verify", "--passphrase-stdin", stdin=secret + "\n")
    assert opened.returncode == 0, opened.stderr


def test_an_unreadable_copy_folder_is_not_called_damage(made: Made, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the backup folder should be")
    line = one_line(
        cli(made.folder, "backup", str(blocker / "inside"), "--passphrase-stdin", stdin=PASSPHRASE)
    )
    assert "damaged" not in line and "restore" not in line.lower(), line


def test_a_full_disk_while_saving_diagnoses_keeps_the_old_set_whole(tmpfs: Path) -> None:
    """The diagnoses are rows of their own: a save the disk refuses leaves the set that was
    there, never some of the new rows beside some of the old."""
    from console.services.clients import DiagnosisFields

    made = make_vault(tmpfs / "vault")
    vault = Vault(made.folder)
    vault.unlock_with_passphrase(PASSPHRASE)
    services = Services(vault)
    client = services.clients.find(CLIENTS[0])[0]
    first = (DiagnosisFields("F41.1", "Generalised anxiety disorder", True),)
    services.clients.update(client.id, ClientFields(name=client.name, diagnoses=first))
    filler = fill_disk(tmpfs)
    refused = 0
    try:
        for n in range(200):
            rows = tuple(
                DiagnosisFields("", f"Attempt {n} row {i} " + "y" * 1900, i == 0) for i in range(30)
            )
            try:
                services.clients.update(client.id, ClientFields(name=client.name, diagnoses=rows))
            except DiskSpaceError as exc:
                assert "full" in exc.message and "backup" not in exc.message
                refused += 1
                break
            first = rows
    finally:
        filler.unlink()
    assert refused, "the disk filled before the saves stopped"
    shown = [(d.code, d.label, d.primary) for d in services.clients.get(client.id).diagnoses]
    assert shown == [(d.code, d.label, d.primary) for d in first], "the last saved set, whole"
    vault.lock()
    assert cli(made.folder, "verify", "--passphrase-stdin", stdin=PASSPHRASE).returncode == 0
