"""A clinic's laptop dies while the console upgrades the vault's schema (the backup before
it, migration 0012 turning one code and free text into rows of diagnoses, the audit).
Whenever the process is killed, the next start opens the vault with every diagnosis."""

from __future__ import annotations

import random
import shutil
import signal
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import text

from console.services.bundle import Services
from console.vault import Vault
from console.vault.database import make_engine
from tests import legacy_vault
from tests.conftest import PASSPHRASE, TEST_KDF
from tests.integration.test_crash_safety import Child

UNLOCK = """
import sys
from pathlib import Path
from console.vault import Vault

folder, passphrase = sys.argv[1:3]
vault = Vault(Path(folder))
print("unlocking", flush=True)
vault.unlock_with_passphrase(passphrase)
print("unlocked", flush=True)
sys.stdin.read()  # wait to be killed
"""


@pytest.fixture(scope="module")
def before_0012(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, uuid.UUID]:
    """A vault at migration 0011, one client with a code and two lines of free text."""
    tmp = tmp_path_factory.mktemp("upgrade")
    folder = tmp / "vault"
    older = legacy_vault.migrations_up_to(tmp, "0011")
    _, db_key = legacy_vault.build(folder, PASSPHRASE, TEST_KDF, older, clients=("Before 0012",))
    engine = make_engine(folder / "vault.db", db_key)
    with engine.begin() as db:
        raw = db.execute(text("select id from clients")).scalar_one()
        db.execute(
            text("update clients set icd10_code = 'f41.1', diagnoses = :words"),
            {"words": "Generalised anxiety\nwith panic"},
        )
    engine.dispose()
    client_id = uuid.UUID(hex=raw) if isinstance(raw, str) else raw
    return folder, client_id


def _diagnoses_after_opening(folder: Path, client_id: uuid.UUID) -> list[tuple[str, str, bool]]:
    vault = Vault(folder)
    vault.unlock_with_passphrase(PASSPHRASE)
    try:
        services = Services(vault)
        assert services.verify().sound, "the audit chain holds after the interrupted upgrade"
        return [(d.code, d.label, d.primary) for d in services.clients.get(client_id).diagnoses]
    finally:
        vault.lock()


def _copy(source: Path, tmp_path: Path, name: str) -> Path:
    target = tmp_path / name
    shutil.copytree(source, target)
    return target


def test_sigkill_at_random_moments_of_the_upgrade_loses_no_diagnosis(
    before_0012: tuple[Path, uuid.UUID], tmp_path: Path
) -> None:
    source, client_id = before_0012
    expected = [("F41.1", "Generalised anxiety; with panic", True)]

    timed = _copy(source, tmp_path, "timed")
    child = Child(UNLOCK, str(timed), PASSPHRASE)
    try:
        assert child.read_line() == "unlocking"
        started = time.monotonic()
        assert child.read_line() == "unlocked"
        upgrade_takes = time.monotonic() - started
    finally:
        child.close()
    assert _diagnoses_after_opening(timed, client_id) == expected

    rng = random.Random()
    for attempt in range(6):
        folder = _copy(source, tmp_path, f"killed-{attempt}")
        child = Child(UNLOCK, str(folder), PASSPHRASE)
        try:
            assert child.read_line() == "unlocking"
            pause = rng.uniform(0.0, upgrade_takes)
            time.sleep(pause)
            child.kill()
        finally:
            child.close()
        assert child.proc.returncode in (-signal.SIGKILL, 0)
        assert _diagnoses_after_opening(folder, client_id) == expected, (
            f"killed {pause * 1000:.0f} ms into a {upgrade_takes * 1000:.0f} ms upgrade"
        )
