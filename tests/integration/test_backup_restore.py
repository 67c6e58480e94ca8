"""Backups and restore (docs/security.md 15, 20): encrypted copies that come back whole.

Real backups of real vaults, restored into real folders; the crash case kills
a real child process with SIGKILL while it is writing backups.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import tarfile
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from console.errors import (
    VaultCorruptError,
    VaultExistsError,
    WrongSecretError,
)
from console.services.bundle import Services
from console.services.clients import ClientFields
from console.services.sessions import SessionFields
from console.vault import Vault
from console.vault.backup import list_backups
from models import SessionKind
from tests.conftest import PASSPHRASE, TEST_KDF
from tests.processes import spawn

ROOT = Path(__file__).resolve().parents[2]
OTHER_PASSPHRASE = "the other practice's own passphrase"


# -- helpers --------------------------------------------------------------------


def _fill(vault: Vault, clients: int = 2, notes_per_client: int = 3, size: int = 200) -> None:
    """A small caseload: clients, sessions, signed notes with addenda, drafts."""
    services = Services(vault)
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    for c in range(clients):
        client = services.clients.create(
            ClientFields(name=f"Backup Client {c}", presenting_concerns="Sleep. " * 5)
        )
        for n in range(notes_per_client):
            session = services.sessions.create(
                client.id,
                SessionFields(starts_at=start + timedelta(days=7 * n), kind=SessionKind.EMDR),
            )
            note = services.notes.create(
                session.id, "soap", {"subjective": f"Session {n} of {c}. " + "x" * size}
            )
            if n % 2 == 0:
                services.notes.sign(note.id)
                addendum = services.notes.add_addendum(note.id, f"Addendum to {n}")
                services.notes.sign_addendum(addendum.id)
        services.notes.create(session.id, "psychotherapy", {"process": "Kept apart."})


def _records(vault: Vault) -> dict[str, Any]:
    services = Services(vault)
    clients = sorted(services.clients.list(status=None), key=lambda c: str(c.id))
    return {
        "clients": clients,
        "notes": {
            c.id: services.notes.list_for_client(c.id, include_psychotherapy=True) for c in clients
        },
    }


def _audit(vault: Vault) -> list[Any]:
    return sorted(Services(vault).recent_audit(limit=100_000), key=lambda e: e.seq)


def _tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` with its bytes: 'nothing changed' means this is equal."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def _other_vault(folder: Path) -> None:
    """Another, unrelated vault already living in `folder` (locked)."""
    other, _ = Vault.create(folder, OTHER_PASSPHRASE, "Dr Other", kdf=TEST_KDF)
    Services(other).clients.create(ClientFields(name="Client Of The Other Vault"))
    other.lock()


def _names(vault: Vault) -> set[str]:
    return {c.name for c in Services(vault).clients.list(status=None)}


# -- round trip -------------------------------------------------------------------


def test_restore_into_a_fresh_folder_gives_identical_records(vault: Vault, tmp_path: Path) -> None:
    _fill(vault)
    records = _records(vault)
    audit_before = _audit(vault)
    signed = [n for notes in records["notes"].values() for n in notes if n.is_signed]
    assert signed and all(n.content_hash for n in signed)

    info = vault.backup(tmp_path / "backups")
    assert info.path.exists() and info.size_bytes == info.path.stat().st_size
    vault_id = vault.vault_id
    vault.lock()

    restored, moved = Vault.restore(info.path, tmp_path / "fresh", PASSPHRASE)
    try:
        assert moved is None
        assert restored.vault_id == vault_id
        assert _records(restored) == records
        services = Services(restored)
        for note in signed:
            assert services.notes.verify_hash(note.id), "signed notes still match their hash"
        # The audit trail up to the backup is there unchanged, then restore is recorded.
        audit_after = _audit(restored)
        assert audit_after[: len(audit_before)] == audit_before
        assert "restore" in {e.action for e in audit_after[len(audit_before) :]}
        report = services.verify()
        assert report.sound, report.problems
        assert report.audit_events == len(audit_after)
    finally:
        restored.lock()

    again = Vault(tmp_path / "fresh")
    again.unlock_with_passphrase(PASSPHRASE)
    assert _records(again) == records
    again.lock()


def test_restore_with_the_recovery_code_demands_a_new_passphrase(
    vault_and_code: tuple[Vault, str], tmp_path: Path
) -> None:
    vault, code = vault_and_code
    _fill(vault, clients=1, notes_per_client=1)
    records = _records(vault)
    info = vault.backup(tmp_path / "backups")
    vault.lock()

    restored, _ = Vault.restore(
        info.path, tmp_path / "new-computer", code.lower(), use_recovery_code=True
    )
    try:
        assert restored.must_change_passphrase
        assert _records(restored) == records
    finally:
        restored.lock()


def test_restore_with_a_wrong_passphrase_changes_nothing(vault: Vault, tmp_path: Path) -> None:
    _fill(vault, clients=1, notes_per_client=1)
    info = vault.backup(tmp_path / "backups")
    vault.lock()
    target = tmp_path / "target"
    _other_vault(target)
    before = _tree(target)

    with pytest.raises(WrongSecretError, match="wrong passphrase"):
        Vault.restore(info.path, target, "not the passphrase at all", replace_existing=True)
    assert _tree(target) == before


# -- rotation ---------------------------------------------------------------------


def test_rotation_keeps_the_newest_backups_and_nothing_else_is_touched(
    vault: Vault, tmp_path: Path
) -> None:
    dest = tmp_path / "usb-stick"
    dest.mkdir()
    (dest / "tax-return.pdf").write_bytes(b"%PDF- not ours")
    made = [vault.backup(dest, keep=3).path for _ in range(5)]

    assert list_backups(dest) == made[-3:]
    assert all(not p.exists() for p in made[:2])
    assert (dest / "tax-return.pdf").read_bytes() == b"%PDF- not ours"
    backups_recorded = [e for e in _audit(vault) if e.action == "backup"]
    assert len(backups_recorded) == 5


# -- refusing to overwrite ----------------------------------------------------------


def test_restore_refuses_an_occupied_folder_then_moves_the_old_vault_aside(
    vault: Vault, tmp_path: Path
) -> None:
    _fill(vault, clients=1, notes_per_client=2)
    records = _records(vault)
    info = vault.backup(tmp_path / "backups")
    vault.lock()

    target = tmp_path / "clinic-laptop"
    _other_vault(target)
    old_files = {name: (target / name).read_bytes() for name in ("vault.json", "vault.db")}
    before = _tree(target)

    with pytest.raises(VaultExistsError):
        Vault.restore(info.path, target, PASSPHRASE)
    assert _tree(target) == before

    restored, moved = Vault.restore(info.path, target, PASSPHRASE, replace_existing=True)
    try:
        assert _records(restored) == records
        assert "Client Of The Other Vault" not in _names(restored)
    finally:
        restored.lock()

    assert moved is not None and moved.is_dir()
    for name, data in old_files.items():
        assert (moved / name).read_bytes() == data, f"the old {name} was kept as it was"
    old = Vault(moved)
    old.unlock_with_passphrase(OTHER_PASSPHRASE)
    try:
        assert _names(old) == {"Client Of The Other Vault"}
    finally:
        old.lock()


def test_replacing_twice_keeps_both_old_vaults(vault: Vault, tmp_path: Path) -> None:
    Services(vault).clients.create(ClientFields(name="Kept Twice"))
    info = vault.backup(tmp_path / "backups")
    vault.lock()
    target = tmp_path / "target"
    _other_vault(target)
    # A folder from an earlier replacing restore in this same second (and the next few).
    now = datetime.now(UTC)
    for ahead in range(5):
        stamp = (now + timedelta(seconds=ahead)).strftime("%Y%m%d-%H%M%S")
        (target / f"replaced-{stamp}").mkdir()
    before = _tree(target)

    restored, moved = Vault.restore(info.path, target, PASSPHRASE, replace_existing=True)
    restored.lock()
    assert moved is not None
    assert (moved / "vault.json").read_bytes() == before["vault.json"]


# -- damaged backups ------------------------------------------------------------------


def _damage_tar(data: bytes, how: str, tmp: Path) -> bytes:
    if how == "cut in half":
        return data[: len(data) // 2]
    if how == "empty":
        return b""
    if how == "not a backup at all":
        return b"PK\x03\x04 this is a zip file, or anything else" * 50
    if how == "a tar of something else":
        other = tmp / "holiday.txt"
        other.write_text("photos")
        out = tmp / "other.tar"
        with tarfile.open(out, "w") as tar:
            tar.add(other, arcname="holiday.txt")
        return out.read_bytes()
    raise AssertionError(how)


@pytest.mark.parametrize(
    "how", ["cut in half", "empty", "not a backup at all", "a tar of something else"]
)
def test_damaged_backup_is_refused_and_the_target_is_untouched(
    vault: Vault, tmp_path: Path, how: str
) -> None:
    _fill(vault, clients=1, notes_per_client=2, size=2000)
    info = vault.backup(tmp_path / "backups")
    vault.lock()
    damaged = tmp_path / "damaged.scbackup"
    damaged.write_bytes(_damage_tar(info.path.read_bytes(), how, tmp_path))

    target = tmp_path / "target"
    _other_vault(target)
    before = _tree(target)
    with pytest.raises(VaultCorruptError):
        Vault.restore(damaged, target, PASSPHRASE, replace_existing=True)
    assert _tree(target) == before

    fresh = tmp_path / "fresh"
    with pytest.raises(VaultCorruptError):
        Vault.restore(damaged, fresh, PASSPHRASE)
    assert _tree(fresh) == {}


@pytest.mark.parametrize("where", ["first page", "middle"])
def test_backup_with_a_damaged_database_is_refused_as_damaged(
    vault: Vault, tmp_path: Path, where: str
) -> None:
    _fill(vault, clients=2, notes_per_client=4, size=2000)
    info = vault.backup(tmp_path / "backups")
    vault.lock()
    with tarfile.open(info.path) as tar:
        member = tar.getmember("vault.db")
        offset, size = member.offset_data, member.size
    spot = offset + (100 if where == "first page" else size // 2)
    data = bytearray(info.path.read_bytes())
    data[spot : spot + 16] = bytes(b ^ 0xFF for b in data[spot : spot + 16])
    damaged = tmp_path / "bit-rot.scbackup"
    damaged.write_bytes(bytes(data))

    target = tmp_path / "target"
    _other_vault(target)
    before = _tree(target)
    try:
        with pytest.raises(VaultCorruptError):
            Vault.restore(damaged, target, PASSPHRASE, replace_existing=True)
    finally:
        assert _tree(target) == before, "a refused restore must leave the target alone"


# -- a kill during a later backup ----------------------------------------------------

BACKUP_LOOP = """
import sys
from pathlib import Path
from console.vault import Vault

folder, secret, dest = sys.argv[1:4]
vault = Vault(Path(folder))
vault.unlock_with_passphrase(secret)
print("ready", flush=True)
while True:
    info = vault.backup(Path(dest))
    print(info.path, flush=True)
"""


def _read_line(child: subprocess.Popen[str]) -> str:
    assert child.stdout is not None
    line = child.stdout.readline()
    if not line:
        child.wait(timeout=30)
        stderr = child.stderr.read() if child.stderr else ""
        raise AssertionError(f"child ended early ({child.returncode}):\n{stderr}")
    return line.rstrip("\n")


def test_a_kill_during_a_later_backup_leaves_the_earlier_one_whole(
    vault: Vault, vault_dir: Path, tmp_path: Path
) -> None:
    _fill(vault, clients=3, notes_per_client=10, size=3000)  # about 1 MB: a backup takes a while
    records = _records(vault)
    dest = tmp_path / "backups"
    first = vault.backup(dest).path
    first_bytes = first.read_bytes()
    vault.lock()

    rng = random.Random()
    for _ in range(3):
        child = spawn(BACKUP_LOOP, str(vault_dir), PASSPHRASE, str(dest))
        watchdog = threading.Timer(60, child.kill)
        watchdog.start()
        try:
            assert _read_line(child) == "ready"
            _read_line(child)  # at least one backup finished in this round
            threading.Event().wait(rng.uniform(0.0, 0.15))  # the kill lands anywhere
            os.kill(child.pid, signal.SIGKILL)
            child.wait(timeout=30)
            assert child.returncode == -signal.SIGKILL
        finally:
            watchdog.cancel()
            child.kill()
            child.communicate()

    # A half-written file that looks nearly like a backup is never taken for one.
    fake_partial = dest / f".{first.name}.partial"
    fake_partial.write_bytes(first_bytes[: len(first_bytes) // 3])

    listed = list_backups(dest)
    assert first in listed
    assert first.read_bytes() == first_bytes, "the earlier backup was not touched"
    assert not any(p.name.endswith(".partial") for p in listed)
    for backup in listed:
        with tarfile.open(backup) as tar:  # every listed backup is a complete archive
            assert sorted(tar.getnames()) == ["vault.db", "vault.json"]
            for member in tar.getmembers():
                extracted = tar.extractfile(member)
                assert extracted is not None
                assert len(extracted.read()) == member.size

    for index, backup in enumerate((first, listed[-1])):
        restored, _ = Vault.restore(backup, tmp_path / f"restored-{index}", PASSPHRASE)
        try:
            assert _records(restored) == records
            assert restored.integrity_problems() == []
        finally:
            restored.lock()

    live = Vault(vault_dir)
    live.unlock_with_passphrase(PASSPHRASE)
    try:
        assert _records(live) == records
        assert live.integrity_problems() == []
    finally:
        live.lock()
