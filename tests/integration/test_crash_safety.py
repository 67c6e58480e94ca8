"""Crash safety (docs/security.md 5, 10): SIGKILL at random moments never loses a saved record.

Each round starts a real child process on the same real vault; the parent
kills it with SIGKILL. A child reports a save on stdout only after the save
returned, so every reported save must be there afterwards, the database must
pass SQLite's and SQLCipher's integrity checks, and the vault must still open
with the current passphrase.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from console.errors import WrongSecretError
from console.services.bundle import Services
from console.services.clients import ClientFields
from console.services.sessions import SessionFields
from console.vault import Vault
from models import SessionKind
from tests.conftest import PASSPHRASE, TEST_KDF
from tests.processes import spawn

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SAVE_ROUNDS = 22
ROTATION_STEPS = ("pending-written", "rekeyed", "verified", "promoted")
SECOND_PASSPHRASE = "another long passphrase for the clinic"


# -- the child process ------------------------------------------------------------


class Child:
    """A child process with a watchdog, read line by line, always reaped."""

    def __init__(self, code: str, *args: str) -> None:
        self.proc = spawn(code, *args, stdin=True)
        self.watchdog = threading.Timer(60, self.proc.kill)
        self.watchdog.start()
        self.lines: list[str] = []

    def read_line(self) -> str:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line.endswith("\n"):
            self.proc.wait(timeout=30)
            stderr = self.proc.stderr.read() if self.proc.stderr else ""
            raise AssertionError(f"child ended early ({self.proc.returncode}):\n{stderr}")
        self.lines.append(line[:-1])
        return line[:-1]

    def kill(self) -> list[str]:
        """SIGKILL now; returns the complete lines it wrote that were not read yet."""
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
        return self.finish()

    def finish(self) -> list[str]:
        out, _ = self.proc.communicate(timeout=30)
        self.watchdog.cancel()
        complete = out.split("\n")[:-1]  # a last line without "\n" was cut by the kill
        self.lines.extend(complete)
        return complete

    def close(self) -> None:
        self.watchdog.cancel()
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.communicate(timeout=30)


def _pause(rng: random.Random, upto: float) -> None:
    """A random pause before the kill: the randomness of the kill moment is the point."""
    threading.Event().wait(rng.uniform(0.0, upto))


# -- helpers ----------------------------------------------------------------------


def _header(folder: Path) -> dict[str, Any]:
    return json.loads((folder / "vault.json").read_text(encoding="utf-8"))


def _fill(vault: Vault, notes: int, size: int) -> None:
    services = Services(vault)
    client = services.clients.create(ClientFields(name="Crash Test Client"))
    session = services.sessions.create(
        client.id, SessionFields(starts_at=datetime.now(UTC), kind=SessionKind.EMDR)
    )
    for i in range(notes):
        note = services.notes.create(session.id, "soap", {"subjective": f"{i} " + "y" * size})
        if i % 3 == 0:
            services.notes.sign(note.id)


def _records(vault: Vault) -> dict[str, Any]:
    services = Services(vault)
    clients = sorted(services.clients.list(status=None), key=lambda c: str(c.id))
    return {
        "clients": clients,
        "notes": {
            c.id: services.notes.list_for_client(c.id, include_psychotherapy=True) for c in clients
        },
    }


def _check_sound(vault: Vault) -> None:
    assert vault.integrity_problems() == []
    report = Services(vault).verify()
    assert report.sound, report.problems


def _opens_with(folder: Path, passphrase: str) -> bool:
    vault = Vault(folder)
    try:
        vault.unlock_with_passphrase(passphrase)
    except WrongSecretError:
        return False
    vault.lock()
    return True


# -- (a) saving notes -------------------------------------------------------------

SAVE_LOOP = """
import sys
from pathlib import Path
from uuid import UUID
from console.services.bundle import Services
from console.vault import Vault

folder, secret, session_id, tag = sys.argv[1:5]
vault = Vault(Path(folder))
vault.unlock_with_passphrase(secret)
services = Services(vault)
session = UUID(session_id)
i = 0
while True:
    note = services.notes.create(session, "soap", {"subjective": f"{tag}-{i} typed"})
    services.notes.save_draft(
        note.id, {"subjective": f"{tag}-{i} typed", "plan": f"{tag}-{i} autosaved"}
    )
    print(note.id, i, flush=True)
    i += 1
"""

REPORT = re.compile(r"^([0-9a-f-]{36}) (\d+)$")


def test_every_reported_save_survives_sigkill(vault: Vault, vault_dir: Path) -> None:
    services = Services(vault)
    client = services.clients.create(ClientFields(name="Client Saved In A Loop"))
    session = services.sessions.create(
        client.id, SessionFields(starts_at=datetime.now(UTC), kind=SessionKind.IFS)
    )
    vault.lock()

    rng = random.Random()
    reported: dict[str, str] = {}
    for round_no in range(SAVE_ROUNDS):
        tag = f"r{round_no}"
        child = Child(SAVE_LOOP, str(vault_dir), PASSPHRASE, str(session.id), tag)
        try:
            for _ in range(rng.randint(3, 8)):
                child.read_line()
            _pause(rng, 0.04)
            child.kill()
        finally:
            child.close()
        assert child.proc.returncode == -signal.SIGKILL
        for line in child.lines:
            match = REPORT.match(line)
            assert match, f"unexpected child output {line!r}"
            reported[match.group(1)] = f"{tag}-{match.group(2)} autosaved"

    assert len(reported) >= 3 * SAVE_ROUNDS
    survivor = Vault(vault_dir)
    survivor.unlock_with_passphrase(PASSPHRASE)
    try:
        notes = {str(n.id): n for n in Services(survivor).notes.list_for_client(client.id)}
        missing = sorted(set(reported) - set(notes))
        assert not missing, f"{len(missing)} reported saves are gone"
        for note_id, plan in reported.items():
            assert notes[note_id].sections["plan"] == plan
        _check_sound(survivor)
    finally:
        survivor.lock()


# -- (b) key rotation ---------------------------------------------------------------

ROTATE = """
import os
import signal
import sys
from pathlib import Path
from console.vault import Vault

folder, secret, kill_at = sys.argv[1:4]
vault = Vault(Path(folder))
vault.unlock_with_passphrase(secret)

def step(name):
    print("step", name, flush=True)
    if name == kill_at:
        os.kill(os.getpid(), signal.SIGKILL)

print("rotating", flush=True)
vault.rotate_key(secret, step=step if kill_at != "random" else None)
print("rotated", flush=True)
sys.stdin.read()  # wait to be killed
"""


@pytest.fixture(scope="module")
def _full_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    folder = tmp_path_factory.mktemp("template") / "vault"
    vault, _ = Vault.create(folder, PASSPHRASE, "Dr Template", kdf=TEST_KDF)
    _fill(vault, notes=80, size=12_000)
    records = _records(vault)
    vault.lock()
    return folder, records


@pytest.fixture
def full_vault(
    _full_template: tuple[Path, dict[str, Any]], tmp_path: Path
) -> tuple[Path, dict[str, Any]]:
    """A locked vault of about 1 MB, so re-encrypting it takes a moment (a fresh copy)."""
    template, records = _full_template
    folder = tmp_path / "vault"
    shutil.copytree(template, folder)
    return folder, records


def _reopen_and_check(folder: Path, records: dict[str, Any]) -> None:
    vault = Vault(folder)
    vault.unlock_with_passphrase(PASSPHRASE)
    try:
        assert _records(vault) == records
        _check_sound(vault)
    finally:
        vault.lock()
    assert _header(folder)["pending"] is None, "an interrupted rotation is settled"


@pytest.mark.parametrize("kill_at", ROTATION_STEPS)
def test_sigkill_at_each_rotation_step_keeps_the_vault(
    full_vault: tuple[Path, dict[str, Any]], kill_at: str
) -> None:
    folder, records = full_vault
    key_before = _header(folder)["db_key"]
    child = Child(ROTATE, str(folder), PASSPHRASE, kill_at)
    try:
        child.finish()
    finally:
        child.close()
    assert child.proc.returncode == -signal.SIGKILL
    assert child.lines[-1] == f"step {kill_at}", child.lines

    header = _header(folder)
    if kill_at == "promoted":
        assert header["pending"] is None
        assert header["db_key"] != key_before
    else:
        assert header["pending"] is not None, "the crash left a rotation half-way"
    _reopen_and_check(folder, records)


def test_sigkill_at_random_moments_during_rotation_keeps_the_vault(
    full_vault: tuple[Path, dict[str, Any]],
) -> None:
    folder, records = full_vault
    rng = random.Random()
    for _ in range(5):
        child = Child(ROTATE, str(folder), PASSPHRASE, "random")
        try:
            assert child.read_line() == "rotating"
            _pause(rng, 0.04)  # a rotation of this vault takes about 30 ms
            child.kill()
        finally:
            child.close()
        assert child.proc.returncode == -signal.SIGKILL
        _reopen_and_check(folder, records)

    # After all that, rotating in one go still works.
    vault = Vault(folder)
    vault.unlock_with_passphrase(PASSPHRASE)
    vault.rotate_key(PASSPHRASE)
    vault.lock()
    _reopen_and_check(folder, records)


# -- (c) passphrase change ------------------------------------------------------------

CHANGE = """
import os
import signal
import sys
from pathlib import Path
from console.vault import Vault

folder, current, new, mode = sys.argv[1:5]
vault = Vault(Path(folder))
vault.unlock_with_passphrase(current)
print("changing", flush=True)
vault.change_passphrase(current, new)
print("changed", flush=True)
if mode == "after":
    os.kill(os.getpid(), signal.SIGKILL)
sys.stdin.read()  # wait to be killed
"""


def test_sigkill_around_a_passphrase_change_leaves_exactly_one_passphrase(
    vault: Vault, vault_dir: Path
) -> None:
    _fill(vault, notes=20, size=500)
    records = _records(vault)
    vault.lock()

    rng = random.Random()
    current, other = PASSPHRASE, SECOND_PASSPHRASE
    modes = ["after", "random"] * 3
    for mode in modes:
        child = Child(CHANGE, str(vault_dir), current, other, mode)
        try:
            assert child.read_line() == "changing"
            if mode == "after":
                child.finish()  # it kills itself as soon as the change returned
                assert child.lines[-1] == "changed"
            else:
                _pause(rng, 0.5)  # two Argon2id derivations take about this long
                child.kill()
        finally:
            child.close()
        assert child.proc.returncode == -signal.SIGKILL

        old_opens = _opens_with(vault_dir, current)
        new_opens = _opens_with(vault_dir, other)
        assert old_opens != new_opens, "exactly one passphrase opens the vault"
        if "changed" in child.lines:
            assert new_opens, "a change that returned is on disk"
        if new_opens:
            current, other = other, current

        check = Vault(vault_dir)
        check.unlock_with_passphrase(current)
        try:
            assert _records(check) == records
            _check_sound(check)
        finally:
            check.lock()


KILL_BEFORE_RENAME = """
import os
import signal
import sys
from pathlib import Path
from console.vault import Vault

folder, current, new = sys.argv[1:4]
vault = Vault(Path(folder))
vault.unlock_with_passphrase(current)
real_replace = os.replace

def replace(src, dst):
    if str(dst).endswith("vault.json"):  # the new file is written and fsynced: die now
        os.kill(os.getpid(), signal.SIGKILL)
    real_replace(src, dst)

os.replace = replace
print("changing", flush=True)
vault.change_passphrase(current, new)
print("changed", flush=True)
"""


def test_vault_json_tmp_leftovers_never_prevent_opening(vault: Vault, vault_dir: Path) -> None:
    _fill(vault, notes=5, size=100)
    records = _records(vault)
    vault.lock()
    slots_before = _header(vault_dir)["slots"]

    child = Child(KILL_BEFORE_RENAME, str(vault_dir), PASSPHRASE, SECOND_PASSPHRASE)
    try:
        child.finish()
    finally:
        child.close()
    assert child.proc.returncode == -signal.SIGKILL
    assert child.lines == ["changing"]
    leftovers = [p for p in vault_dir.iterdir() if p.name.endswith(".tmp")]
    assert leftovers, "the kill left the new vault.json under its temporary name"
    assert _header(vault_dir)["slots"] == slots_before

    # More debris of the kinds a crash or a sync tool leaves behind.
    (vault_dir / "vault.json.tmp").write_bytes(b'{"format": 1, "app": "session-cons')
    (vault_dir / ".vault.json.zz9xk2.tmp").write_bytes(b"")

    assert not _opens_with(vault_dir, SECOND_PASSPHRASE)
    opened = Vault(vault_dir)
    opened.unlock_with_passphrase(PASSPHRASE)
    try:
        assert _records(opened) == records
        opened.change_passphrase(PASSPHRASE, SECOND_PASSPHRASE)
    finally:
        opened.lock()
    assert _opens_with(vault_dir, SECOND_PASSPHRASE)
    assert not _opens_with(vault_dir, PASSPHRASE)
