"""One process at a time on a vault (docs/security.md 23).

The attacks: `restore --replace` under a running app diverted that app's
saves into `replaced-*`; `rotate-key` beside a writer made most of its saves
fail with "file is not a database"; concurrent audit appends raced. Now the
running process holds an OS lock on the folder and everyone else is told.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE
from tests.hostile.conftest import CLIENTS, Made, cli, files, names, one_line
from tests.processes import spawn

HOLDER = """
import sys
from pathlib import Path
from console.services.bundle import Services
from console.services.clients import ClientFields
from console.vault import Vault

vault = Vault(Path(sys.argv[1]))
vault.unlock_with_passphrase(sys.argv[2])
print("open", flush=True)
for line in sys.stdin:
    Services(vault).clients.create(ClientFields(name=line.strip()))
    print("saved", flush=True)
vault.lock()
"""


@pytest.fixture
def holder(made: Made) -> Iterator[subprocess.Popen[str]]:
    """A second process with the vault open, saving a client per line it is sent."""
    proc = spawn(HOLDER, str(made.folder), PASSPHRASE, stdin=True)
    assert proc.stdout is not None and proc.stdout.readline() == "open\n"
    try:
        yield proc
    finally:
        proc.kill()
        proc.wait(timeout=30)


def _save(proc: subprocess.Popen[str], name: str) -> None:
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(name + "\n")
    proc.stdin.flush()
    assert proc.stdout.readline() == "saved\n"


def _finish(proc: subprocess.Popen[str]) -> None:
    assert proc.stdin is not None
    proc.stdin.close()
    assert proc.wait(timeout=60) == 0


BUSY = "open in another Session Console window or command"


@pytest.mark.parametrize(
    "command",
    [
        ("verify", "--passphrase-stdin"),
        ("list-clients", "--passphrase-stdin"),
        ("rotate-key",),
        ("change-passphrase",),
        ("new-recovery-code",),
        ("backup", "BACKUPS", "--passphrase-stdin"),
    ],
    ids=lambda c: c[0],
)
def test_a_second_process_is_told_the_vault_is_open_elsewhere(
    made: Made, holder: subprocess.Popen[str], tmp_path: Path, command: tuple[str, ...]
) -> None:
    before = json.loads((made.folder / "vault.json").read_text())
    args = [str(tmp_path / "b") if a == "BACKUPS" else a for a in command]
    stdin = f"{PASSPHRASE}\nanother long passphrase\n"
    assert BUSY in one_line(cli(made.folder, *args, stdin=stdin))
    after = json.loads((made.folder / "vault.json").read_text())
    assert after["slots"] == before["slots"] and after["db_key"] == before["db_key"]
    _save(holder, "Saved While Refused")
    _finish(holder)
    assert names(made.folder) == {*CLIENTS, "Saved While Refused"}


def test_restore_under_a_running_writer_moves_nothing(
    made: Made, holder: subprocess.Popen[str], tmp_path: Path
) -> None:
    backup = tmp_path / "elsewhere"
    from tests.hostile.conftest import make_vault

    other = make_vault(backup, clients=("From The Backup",))
    written = cli(
        other.folder, "backup", str(tmp_path / "b"), "--passphrase-stdin", stdin=PASSPHRASE
    )
    assert written.returncode == 0, written.stderr
    (archive,) = (tmp_path / "b").glob("*.scbackup")
    before = files(made.folder)
    refused = cli(
        made.folder, "restore", str(archive), "--replace", "--passphrase-stdin", stdin=PASSPHRASE
    )
    assert BUSY in one_line(refused)
    assert files(made.folder) == before
    assert not list(made.folder.glob("replaced-*"))
    for n in range(5):
        _save(holder, f"Kept {n}")
    _finish(holder)
    assert names(made.folder) == {*CLIENTS, *(f"Kept {n}" for n in range(5))}


def test_parallel_guesses_queue_and_each_one_counts(made: Made) -> None:
    """Guessing from many processes at once is no faster than one after another."""

    def guess(n: int) -> str:
        return cli(made.folder, "verify", "--passphrase-stdin", stdin=f"wrong guess {n:04d}").stderr

    with ThreadPoolExecutor(max_workers=6) as pool:
        said = list(pool.map(guess, range(6)))
    wrong = sum("wrong passphrase" in s for s in said)
    counted = json.loads((made.folder / "vault.json").read_text())["unlock_failures"]
    assert counted["failures"] == wrong
    assert wrong <= 3, said  # the fourth attempt already meets the delay
    assert all(
        "wrong passphrase" in s or "too many failed attempts" in s or BUSY in s for s in said
    ), said
