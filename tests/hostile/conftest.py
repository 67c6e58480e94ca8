"""The hostile tester's tools: the real CLI in a child process, a vault worth attacking.

Every attack in this folder is made on real files with the real CLI (or the
vault API where the attacker is code on the same machine), and every check is
what a person would see: the exit status, the one line on stderr, whether the
records are still there.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from console.services.bundle import Services
from console.services.clients import ClientFields
from console.services.sessions import SessionFields
from console.vault import Vault
from models import NoteTemplate, SessionKind
from tests.conftest import PASSPHRASE, TEST_KDF

ROOT = Path(__file__).resolve().parents[2]
CLIENTS = ("Hedda Hostile", "Ivo Intact")


def cli(
    data: Path, *args: str, stdin: str | bytes = b"", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`session-console --data-dir DATA ARGS`, standard input given as bytes or text."""
    full_env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        **(env or {}),
    }
    raw = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
    done = subprocess.run(
        [sys.executable, "-m", "ui.launcher", "--data-dir", str(data), *args],
        input=raw,
        capture_output=True,
        env=full_env,
        cwd=ROOT,
        timeout=180,
    )
    return subprocess.CompletedProcess(
        done.args,
        done.returncode,
        done.stdout.decode("utf-8", "replace"),
        done.stderr.decode("utf-8", "replace"),
    )


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    """A refusal is exactly one line on stderr, a non-zero exit and no traceback."""
    assert result.returncode == 1, (result.returncode, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    return lines[0]


def names(data: Path, passphrase: str = PASSPHRASE) -> set[str]:
    listed = cli(data, "list-clients", "--passphrase-stdin", stdin=passphrase)
    assert listed.returncode == 0, listed.stderr
    return {line.split("\t")[2] for line in listed.stdout.splitlines()}


def files(folder: Path) -> dict[str, bytes]:
    """The vault's own files byte for byte (the lock file is empty by design)."""
    return {
        p.name: p.read_bytes()
        for p in sorted(folder.iterdir())
        if p.is_file() and p.name.startswith("vault.") and p.name != "vault.lock"
    }


@dataclass
class Made:
    folder: Path
    code: str
    note_id: str


def make_vault(folder: Path, clients: tuple[str, ...] = CLIENTS) -> Made:
    """A locked vault with clients, a session and a signed note (real Argon2id, test cost)."""
    vault, code = Vault.create(folder, PASSPHRASE, "Dr Eve Tester", kdf=TEST_KDF)
    try:
        services = Services(vault)
        made = [services.clients.create(ClientFields(name=name)) for name in clients]
        note_id = ""
        if made:
            session = services.sessions.create(
                made[0].id, SessionFields(starts_at=datetime.now(UTC), kind=SessionKind.EMDR)
            )
            note = services.notes.create(session.id, NoteTemplate.PROGRESS, {"note": "Rested."})
            services.notes.sign(note.id)
            note_id = str(note.id)
    finally:
        vault.lock()
    return Made(folder, code, note_id)


def fill_disk(mount: Path) -> Path:
    """Take every free byte of the file system at `mount`; returns the file that holds them."""
    filler = mount / "filler"
    with open(filler, "wb") as out:
        try:
            while True:
                out.write(b"\0" * 65536)
                out.flush()
        except OSError:
            pass
    return filler


def backup_of(folder: Path, dest: Path) -> Path:
    """A fresh verified backup of the (locked) vault in `folder`."""
    vault = Vault(folder)
    vault.unlock_with_passphrase(PASSPHRASE)
    try:
        return vault.backup(dest).path
    finally:
        vault.lock()


@pytest.fixture
def made(tmp_path: Path) -> Made:
    return make_vault(tmp_path / "vault")


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A small, real file system (root only): to fill a disk or make one read-only."""
    mount = tmp_path / "tmpfs"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip("mounting a tmpfs needs root")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)
