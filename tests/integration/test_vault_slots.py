"""Key slots (docs/security.md 2, 3, 4, 6): every way in opens the vault, and only that.

Real vault folders, real Argon2id (TEST_KDF), real AES-GCM slots and a real
SQLCipher file. The OS keychain is the in-memory double from conftest, or the
`keyring` fail backend that headless Linux really has.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from console.errors import (
    KeychainUnavailableError,
    UnlockThrottledError,
    VaultError,
    WrongSecretError,
)
from console.services.bundle import Services
from console.services.clients import ClientFields
from console.vault import Vault
from tests.conftest import PASSPHRASE, TEST_KDF, MemoryKeyring

ROOT = Path(__file__).resolve().parents[2]
NEW_PASSPHRASE = "a brand new passphrase for the new laptop"
CLIENT = "Maren Slotcheck"


class FakeClock:
    """Time that moves only when the test says so (no sleeping through delays)."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def _add_client(vault: Vault, name: str = CLIENT) -> None:
    Services(vault).clients.create(ClientFields(name=name))


def _client_names(vault: Vault) -> set[str]:
    return {c.name for c in Services(vault).clients.list(status=None)}


def _slot_kinds(vault_dir: Path) -> list[str]:
    header = json.loads((vault_dir / "vault.json").read_text(encoding="utf-8"))
    return sorted(slot["kind"] for slot in header["slots"])


def _child_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    env.update(extra)
    return env


# -- each slot opens the vault ---------------------------------------------


def test_passphrase_slot_opens_the_vault(vault: Vault, vault_dir: Path) -> None:
    _add_client(vault)
    vault.lock()
    assert not vault.is_unlocked

    reopened = Vault(vault_dir)
    reopened.unlock_with_passphrase(PASSPHRASE)
    try:
        assert reopened.is_unlocked
        assert reopened.opened_with == "passphrase"
        assert not reopened.must_change_passphrase
        assert CLIENT in _client_names(reopened)
    finally:
        reopened.lock()


def test_recovery_slot_opens_the_vault_and_demands_a_new_passphrase(
    vault_and_code: tuple[Vault, str], vault_dir: Path
) -> None:
    vault, code = vault_and_code
    _add_client(vault)
    vault.lock()

    reopened = Vault(vault_dir)
    reopened.unlock_with_recovery(code)
    try:
        assert reopened.opened_with == "recovery"
        assert reopened.must_change_passphrase
        assert CLIENT in _client_names(reopened)
    finally:
        reopened.lock()


def test_keychain_slot_opens_the_vault(
    vault: Vault, vault_dir: Path, memory_keyring: MemoryKeyring
) -> None:
    _add_client(vault)
    vault.enable_keychain()
    assert vault.keychain_enabled
    assert _slot_kinds(vault_dir) == ["keychain", "passphrase", "recovery"]
    # One small secret per vault: fits the Windows credential limit (2560 bytes).
    assert len(memory_keyring.store) == 1
    (stored,) = memory_keyring.store.values()
    assert len(stored.encode()) < 2560
    vault.lock()

    reopened = Vault(vault_dir)
    reopened.unlock_with_keychain()
    try:
        assert reopened.opened_with == "keychain"
        assert CLIENT in _client_names(reopened)
    finally:
        reopened.lock()


def test_disabling_the_keychain_removes_only_that_slot(
    vault_and_code: tuple[Vault, str], vault_dir: Path, memory_keyring: MemoryKeyring
) -> None:
    vault, code = vault_and_code
    _add_client(vault)
    vault.enable_keychain()
    vault.disable_keychain()

    assert not vault.keychain_enabled
    assert memory_keyring.store == {}, "the secret must leave the OS keychain too"
    assert _slot_kinds(vault_dir) == ["passphrase", "recovery"]
    vault.lock()

    with pytest.raises(VaultError, match="not remembered"):
        Vault(vault_dir).unlock_with_keychain()

    by_passphrase = Vault(vault_dir)
    by_passphrase.unlock_with_passphrase(PASSPHRASE)
    assert CLIENT in _client_names(by_passphrase)
    by_passphrase.lock()

    by_code = Vault(vault_dir)
    by_code.unlock_with_recovery(code)
    assert CLIENT in _client_names(by_code)
    by_code.lock()


def test_keychain_entry_deleted_outside_the_app_loses_nothing(
    vault: Vault, vault_dir: Path, memory_keyring: MemoryKeyring
) -> None:
    _add_client(vault)
    vault.enable_keychain()
    vault.lock()
    memory_keyring.store.clear()  # the user emptied the keychain in the OS's own tool

    with pytest.raises(VaultError, match="passphrase"):
        Vault(vault_dir).unlock_with_keychain()

    reopened = Vault(vault_dir)
    reopened.unlock_with_passphrase(PASSPHRASE)
    try:
        assert CLIENT in _client_names(reopened)
    finally:
        reopened.lock()


# -- no keychain on this computer -------------------------------------------


def test_fail_backend_refuses_keychain_and_the_passphrase_carries_on(tmp_path: Path) -> None:
    assert isinstance(keyring.get_keyring(), fail.Keyring)
    vault_dir = tmp_path / "headless"
    vault, _ = Vault.create(vault_dir, PASSPHRASE, "Dr Headless", kdf=TEST_KDF)
    header_before = (vault_dir / "vault.json").read_bytes()

    with pytest.raises(KeychainUnavailableError) as refused:
        vault.enable_keychain()
    assert "keychain" in refused.value.message
    assert not vault.keychain_enabled
    assert (vault_dir / "vault.json").read_bytes() == header_before
    assert vault.is_unlocked, "a refused keychain must not lock the user out"

    _add_client(vault)
    vault.lock()
    with pytest.raises(VaultError):
        Vault(vault_dir).unlock_with_keychain()

    reopened = Vault(vault_dir)
    reopened.unlock_with_passphrase(PASSPHRASE)
    try:
        assert CLIENT in _client_names(reopened)
    finally:
        reopened.lock()


def test_keyring_backend_env_var_fail_creates_locks_and_unlocks(tmp_path: Path) -> None:
    """docs/security.md 3 literally: PYTHON_KEYRING_BACKEND=…fail.Keyring in a fresh process."""
    code = """
import sys
import keyring
from keyring.backends import fail
from console.errors import KeychainUnavailableError
from console.services.bundle import Services
from console.services.clients import ClientFields
from console.vault import KdfParams, Vault

folder, secret, memory, passes = sys.argv[1:5]
print("backend:", type(keyring.get_keyring()).__module__, flush=True)
kdf = KdfParams(memory_kib=int(memory), iterations=int(passes))
vault, _ = Vault.create(folder, secret, "Dr Env", kdf=kdf)
try:
    vault.enable_keychain()
    print("keychain: enabled")
except KeychainUnavailableError as exc:
    print("keychain: unavailable:", exc)
Services(vault).clients.create(ClientFields(name="Env Var Client"))
vault.lock()
again = Vault(folder)
again.unlock_with_passphrase(secret)
print("clients:", ",".join(c.name for c in Services(again).clients.list()))
again.lock()
"""
    folder = tmp_path / "env-vault"
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            code,
            str(folder),
            PASSPHRASE,
            str(TEST_KDF.memory_kib),
            str(TEST_KDF.iterations),
        ],
        cwd=ROOT,
        env=_child_env(PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "backend: keyring.backends.fail" in lines
    assert any(line.startswith("keychain: unavailable:") for line in lines), lines
    assert "clients: Env Var Client" in lines
    assert _slot_kinds(folder) == ["passphrase", "recovery"]


# -- emergency access ---------------------------------------------------------


def test_recovery_code_on_a_new_computer_forces_a_new_passphrase(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    old_computer = tmp_path / "old-laptop" / "vault"
    vault, code = Vault.create(old_computer, PASSPHRASE, "Dr Ada Test", kdf=TEST_KDF)
    _add_client(vault)
    vault.enable_keychain()
    vault.lock()

    new_computer = tmp_path / "new-laptop" / "vault"
    shutil.copytree(old_computer, new_computer)
    keyring.set_keyring(fail.Keyring())  # the new computer has no keychain entry at all

    moved = Vault(new_computer)
    with pytest.raises(KeychainUnavailableError):
        moved.unlock_with_keychain()
    assert not moved.is_unlocked

    moved.unlock_with_recovery(code)
    assert moved.must_change_passphrase
    assert CLIENT in _client_names(moved)
    moved.set_new_passphrase(NEW_PASSPHRASE)
    assert not moved.must_change_passphrase
    actions = [(e.action, e.detail) for e in Services(moved).recent_audit(5)]
    assert ("key_change", "passphrase changed") in actions
    moved.lock()

    with pytest.raises(WrongSecretError, match="wrong passphrase"):
        Vault(new_computer).unlock_with_passphrase(PASSPHRASE)
    fresh = Vault(new_computer)
    fresh.unlock_with_passphrase(NEW_PASSPHRASE)
    try:
        assert not fresh.must_change_passphrase
        assert CLIENT in _client_names(fresh)
    finally:
        fresh.lock()


def test_new_passphrase_without_the_old_needs_the_recovery_code(
    vault: Vault, vault_dir: Path
) -> None:
    header_before = (vault_dir / "vault.json").read_bytes()
    with pytest.raises(VaultError, match="current passphrase"):
        vault.set_new_passphrase(NEW_PASSPHRASE)
    assert (vault_dir / "vault.json").read_bytes() == header_before


def test_recovery_code_accepts_lower_case_and_spaces(
    vault_and_code: tuple[Vault, str], vault_dir: Path
) -> None:
    vault, code = vault_and_code
    vault.lock()
    typed = "  " + code.lower().replace("-", " ") + " "
    assert typed.strip() != code

    reopened = Vault(vault_dir)
    reopened.unlock_with_recovery(typed)
    assert reopened.is_unlocked
    reopened.lock()


# -- wrong secrets and the growing delay ---------------------------------------


def test_wrong_passphrase_says_so(vault: Vault, vault_dir: Path) -> None:
    vault.lock()
    attempt = Vault(vault_dir)
    with pytest.raises(WrongSecretError) as wrong:
        attempt.unlock_with_passphrase("correct horse battery stapler")
    assert str(wrong.value) == "wrong passphrase"
    assert not attempt.is_unlocked


def test_wrong_recovery_code_says_so(vault_and_code: tuple[Vault, str], vault_dir: Path) -> None:
    vault, code = vault_and_code
    vault.lock()
    # Same shape as a real code, one symbol different.
    other = ("Z" if code[0] != "Z" else "Y") + code[1:]
    with pytest.raises(WrongSecretError, match="wrong recovery code"):
        Vault(vault_dir).unlock_with_recovery(other)
    with pytest.raises(WrongSecretError, match="not a recovery code"):
        Vault(vault_dir).unlock_with_recovery("1234")


def test_failed_unlocks_grow_a_delay_and_are_audited(vault: Vault, vault_dir: Path) -> None:
    vault.lock()
    clock = FakeClock()
    wrong = ["wrong guess number one", "wrong guess number two", "wrong guess number three"]
    attempt = Vault(vault_dir, clock=clock)
    for guess in wrong:
        with pytest.raises(WrongSecretError):
            attempt.unlock_with_passphrase(guess)

    with pytest.raises(UnlockThrottledError) as first:
        attempt.unlock_with_passphrase(PASSPHRASE)  # even the right one waits
    assert not attempt.is_unlocked
    assert first.value.retry_after > 0
    assert "wait" in first.value.message

    # Restarting the app does not reset the delay.
    with pytest.raises(UnlockThrottledError):
        Vault(vault_dir, clock=clock).unlock_with_passphrase(PASSPHRASE)

    clock.advance(first.value.retry_after + 0.5)
    with pytest.raises(WrongSecretError):
        attempt.unlock_with_passphrase("wrong guess number four")
    with pytest.raises(UnlockThrottledError) as second:
        attempt.unlock_with_passphrase(PASSPHRASE)
    assert second.value.retry_after > first.value.retry_after, "the delay grows"

    clock.advance(second.value.retry_after + 0.5)
    attempt.unlock_with_passphrase(PASSPHRASE)
    try:
        events = sorted(Services(attempt).recent_audit(), key=lambda e: e.seq)
        failed = [e for e in events if e.action == "unlock_failed"]
        assert len(failed) == 4
        unlocked = [e for e in events if e.action == "unlock"][-1]
        assert all(e.seq < unlocked.seq for e in failed)
        # Each failure is dated when it happened, not when it was written down.
        span = failed[-1].at - failed[0].at
        assert abs(span - timedelta(seconds=first.value.retry_after + 0.5)) < timedelta(seconds=1)
        # The audit trail names the event, never what was typed.
        for event in events:
            assert not any(guess in event.detail for guess in wrong)
    finally:
        attempt.lock()

    # A successful unlock resets the delay: one more typo is not throttled.
    later = Vault(vault_dir, clock=clock)
    with pytest.raises(WrongSecretError):
        later.unlock_with_passphrase("one honest typo here")
    later.unlock_with_passphrase(PASSPHRASE)
    later.lock()
