"""Files leave in one piece, leftovers are swept, secrets do not linger (docs/security.md 25).

The attacks: a damaged backup printed 302 SQLCipher log lines; a failed init
left `vault.db.init` and an empty folder; `export --out` overwrote whatever
it was pointed at; a 100,000-character clinician name was stored; the
failed-unlock delay was reset by deleting or replacing its counter file; a
core dump or a memory read after lock held the database key.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from console.errors import UnlockThrottledError, WrongSecretError
from console.vault import Vault
from tests.conftest import PASSPHRASE
from tests.hostile.conftest import CLIENTS, Made, cli, fill_disk, names, one_line
from tests.hostile.tampering import database_key
from tests.processes import spawn


def test_leftovers_of_killed_operations_are_swept_at_the_next_start(made: Made) -> None:
    debris = [
        made.folder / ".restore-k1ll3d",
        made.folder / "backups" / ".backup-k1ll3d",
    ]
    for folder in debris:
        folder.mkdir(parents=True)
        (folder / "vault.db").write_bytes(b"encrypted but bulky")
    partial = made.folder / "backups" / ".session-console-x.scbackup.partial"
    partial.write_bytes(b"half a backup")
    init = made.folder / "vault.db.init"
    init.write_bytes(b"")
    header_tmp = made.folder / ".vault.json.k1ll3d.tmp"
    header_tmp.write_bytes(b'{"format": 2, "app": "sess')
    assert names(made.folder) == set(CLIENTS)
    for path in (*debris, partial, init, header_tmp):
        assert not path.exists(), path


def test_a_damaged_backup_is_one_line_not_sqlcipher_log_lines(made: Made, tmp_path: Path) -> None:
    written = cli(
        made.folder, "backup", str(tmp_path / "b"), "--passphrase-stdin", stdin=PASSPHRASE
    )
    assert written.returncode == 0, written.stderr
    (backup,) = (tmp_path / "b").glob("*.scbackup")
    data = bytearray(backup.read_bytes())
    for offset in range(2048, len(data) - 2048, 4096):
        data[offset] ^= 0xFF
    backup.write_bytes(bytes(data))
    result = cli(tmp_path / "fresh", "restore", str(backup), "--passphrase-stdin", stdin=PASSPHRASE)
    assert "damaged" in one_line(result)
    assert not (tmp_path / "fresh").exists() or not any((tmp_path / "fresh").iterdir())


def test_a_failed_init_leaves_no_file_and_no_folder(tmpfs: Path) -> None:
    fill_disk(tmpfs)
    target = tmpfs / "clinic" / "vault"
    result = cli(target, "init", "--passphrase-stdin", "--clinician", "Dr Full", stdin=PASSPHRASE)
    line = one_line(result)
    assert "full" in line, line
    assert not (tmpfs / "clinic").exists()


def test_a_huge_clinician_name_is_refused(tmp_path: Path) -> None:
    result = cli(
        tmp_path / "v", "init", "--passphrase-stdin", "--clinician", "A" * 100_000, stdin=PASSPHRASE
    )
    assert "at most 200 characters" in one_line(result)
    assert not (tmp_path / "v").exists()


def _client_id(made: Made) -> str:
    listed = cli(made.folder, "list-clients", "--passphrase-stdin", stdin=PASSPHRASE)
    return listed.stdout.splitlines()[0].split("\t")[0]


def test_export_never_overwrites_without_force_and_only_writes_files(
    made: Made, tmp_path: Path
) -> None:
    client = _client_id(made)
    existing = tmp_path / "chart.pdf"
    existing.write_bytes(b"someone else's document")

    def export(out: Path, *extra: str) -> object:
        return cli(
            made.folder,
            "export",
            "--client",
            client,
            "--out",
            str(out),
            *extra,
            "--passphrase-stdin",
            stdin=PASSPHRASE,
        )

    assert "--force" in one_line(export(existing))  # type: ignore[arg-type]
    assert existing.read_bytes() == b"someone else's document"
    folder = tmp_path / "a-folder.pdf"
    folder.mkdir()
    assert "not a regular file" in one_line(export(folder))  # type: ignore[arg-type]
    link = tmp_path / "link.pdf"
    link.symlink_to(tmp_path / "elsewhere.pdf")
    assert "not a regular file" in one_line(export(link))  # type: ignore[arg-type]
    assert not (tmp_path / "elsewhere.pdf").exists()
    fifo = tmp_path / "pipe.pdf"
    os.mkfifo(fifo)
    assert "not a regular file" in one_line(export(fifo))  # type: ignore[arg-type]
    forced = export(existing, "--force")
    assert forced.returncode == 0, forced.stderr  # type: ignore[attr-defined]
    assert existing.read_bytes().startswith(b"%PDF")


def _fail(folder: Path, times: int) -> None:
    for _ in range(times):
        with pytest.raises((WrongSecretError, UnlockThrottledError)):
            Vault(folder).unlock_with_passphrase("not the passphrase at all")


def test_the_unlock_delay_survives_deleting_or_replacing_its_counter(made: Made) -> None:
    _fail(made.folder, 4)
    with pytest.raises(UnlockThrottledError):
        Vault(made.folder).unlock_with_passphrase(PASSPHRASE)
    (made.folder / "unlock.json").unlink(missing_ok=True)
    with pytest.raises(UnlockThrottledError):
        Vault(made.folder).unlock_with_passphrase(PASSPHRASE)
    (made.folder / "unlock.json").mkdir()
    with pytest.raises(UnlockThrottledError) as longest:
        Vault(made.folder).unlock_with_passphrase(PASSPHRASE)
    assert longest.value.retry_after >= 299


def test_an_unreadable_counter_means_the_longest_delay(made: Made) -> None:
    path = made.folder / "vault.json"
    data = json.loads(path.read_text())
    data["unlock_failures"] = {"failures": "many", "last": "yesterday"}
    path.write_text(json.dumps(data))
    with pytest.raises(UnlockThrottledError) as waited:
        Vault(made.folder).unlock_with_passphrase(PASSPHRASE)
    assert waited.value.retry_after >= 299


HARDENED = """
import resource, sys
from console.__main__ import main
from console.hardening import dumpable
code = main(["--data-dir", sys.argv[1], "keychain", "status"])
print(resource.getrlimit(resource.RLIMIT_CORE)[0], dumpable(), code, flush=True)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl is Linux's")
def test_the_cli_process_cannot_dump_core(made: Made) -> None:
    proc = spawn(HARDENED, str(made.folder))
    out, err = proc.communicate(timeout=60)
    assert out.splitlines()[-1].split() == ["0", "False", "0"], (out, err)


SCANNED = """
import gc, sys
from pathlib import Path
from console.services.bundle import Services
from console.services.clients import ClientFields
from console.vault import Vault
vault = Vault(Path(sys.argv[1]))
vault.unlock_with_passphrase(sys.argv[2])
services = Services(vault)
for n in range(20):
    services.clients.create(ClientFields(name=f"Remembered {n}"))
services.verify()
vault.backup(Path(sys.argv[1]) / "backups")
print("unlocked", flush=True)
sys.stdin.readline()
vault.lock()
del vault, services
gc.collect()
print("locked", flush=True)
sys.stdin.readline()
"""


def _copies(pid: int, needles: tuple[bytes, ...]) -> int:
    """How many times the needles occur in the readable memory of process `pid`."""
    count = 0
    with open(f"/proc/{pid}/maps") as maps, open(f"/proc/{pid}/mem", "rb", 0) as mem:
        for line in maps:
            span, perms = line.split()[:2]
            if "r" not in perms:
                continue
            start, end = (int(x, 16) for x in span.split("-"))
            try:
                mem.seek(start)
                chunk = mem.read(end - start)
            except (OSError, ValueError, OverflowError):
                continue
            count += sum(chunk.count(n) for n in needles)
    return count


def test_every_copy_of_a_key_handed_out_is_zeroed_when_the_call_returns(
    vault: Vault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A copy left to the allocator survives until its memory is reused: rarely, past lock."""
    from console.vault import backup, database
    from console.vault import vault as vault_module

    handed: list[bytes] = []
    statements: list[str] = []
    real_connect, real_run = database.raw_connect, database.run_with_key

    def connect(path: Path, dek: bytes) -> object:
        handed.append(dek)
        return real_connect(path, dek)

    def run(conn: object, template: str, dek: bytes, *params: object) -> None:
        handed.append(dek)

        class Recording:
            def execute(self, statement: str, *args: object) -> object:
                statements.append(statement)
                return conn.execute(statement, *args)  # type: ignore[attr-defined]

        real_run(Recording(), template, dek, *params)

    for module in (backup, vault_module):
        monkeypatch.setattr(module, "raw_connect", connect)
    for module in (backup, vault_module, database):
        monkeypatch.setattr(module, "run_with_key", run)
    assert vault.integrity_problems() == []
    assert vault.missing_triggers() == []
    vault.backup(tmp_path / "backups")
    vault.replace_recovery_code(PASSPHRASE)
    assert len(handed) >= 4 and statements
    assert all(key == bytes(len(key)) for key in handed)
    assert all(set(statement) == {"\0"} for statement in statements)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc/PID/mem is Linux's")
def test_no_copy_of_the_database_key_survives_lock(made: Made) -> None:
    key = database_key(made.folder, PASSPHRASE)
    needles = (key.hex().encode(), key.hex().upper().encode(), key)
    proc = spawn(SCANNED, str(made.folder), PASSPHRASE, stdin=True)
    try:
        assert proc.stdout is not None and proc.stdin is not None
        assert proc.stdout.readline() == "unlocked\n"
        assert _copies(proc.pid, needles) > 0, "the scan must see the key while unlocked"
        proc.stdin.write("lock\n")
        proc.stdin.flush()
        assert proc.stdout.readline() == "locked\n"
        assert _copies(proc.pid, needles) == 0
    finally:
        proc.kill()
        proc.wait(timeout=30)
