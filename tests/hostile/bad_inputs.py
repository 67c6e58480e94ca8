"""A catalogue of hostile inputs to the CLI, each refused with one line and nothing changed.

Every case is (name, how to damage the folder or what to feed, the command).
Shared by tests/hostile/test_bad_inputs.py and bench/hostile_tamper_bench.py,
which counts how many gave a traceback, exit 70 or changed the vault.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from console.vault.database import raw_connect
from tests.conftest import PASSPHRASE
from tests.hostile.conftest import cli

Mutation = Callable[[dict[str, Any]], None]


def _slots(field: str, value: object) -> Mutation:
    return lambda d: [s.__setitem__(field, value) for s in d["slots"]]


def _kdf(field: str, value: object) -> Mutation:
    return lambda d: [s["kdf"].__setitem__(field, value) for s in d["slots"]]


HEADER_MUTATIONS: dict[str, Mutation] = {
    "lanes 0": _kdf("lanes", 0),
    "lanes -1": _kdf("lanes", -1),
    "lanes 100000": _kdf("lanes", 100000),
    "lanes true": _kdf("lanes", True),
    "memory huge": _kdf("memory_kib", 2**40),
    "memory 0": _kdf("memory_kib", 0),
    "memory float": _kdf("memory_kib", 65536.5),
    "iterations 10^9": _kdf("iterations", 10**9),
    "iterations 0": _kdf("iterations", 0),
    "iterations text": _kdf("iterations", "3"),
    "salt short": _kdf("salt", "AAAA"),
    "salt not base64": _kdf("salt", "%%%%"),
    "kdf unknown": _kdf("name", "scrypt"),
    "kdf missing": lambda d: [s.pop("kdf") for s in d["slots"]],
    "nonce empty": _slots("nonce", ""),
    "nonce long": _slots("nonce", "A" * 400),
    "wrapped short": _slots("wrapped", "AAAA"),
    "wrapped null": _slots("wrapped", None),
    "slot kind unknown": _slots("kind", "backdoor"),
    "slot id huge": _slots("id", "x" * 5000),
    "slots not a list": lambda d: d.update(slots=7),
    "slots empty": lambda d: d.update(slots=[]),
    "db key missing": lambda d: d.pop("db_key"),
    "db key a string": lambda d: d.update(db_key="key"),
    "integrity key garbage": lambda d: d.update(integrity_key={"kind": "integrity"}),
    "integrity key wrong kind": lambda d: d.update(integrity_key=d["db_key"]),
    "keyed_from negative": lambda d: d.update(keyed_from=-5),
    "audit head garbage": lambda d: d.update(audit_head={"seq": "x"}),
    "audit head forged": lambda d: d.update(audit_head={"seq": 10**6, "hash": "0", "mac": "0"}),
    "format 0": lambda d: d.update(format=0),
    "format text": lambda d: d.update(format="2"),
    "format newer": lambda d: d.update(format=99),
    "app wrong": lambda d: d.update(app="other"),
    "vault id huge": lambda d: d.update(vault_id="x" * 10_000),
    "vault id number": lambda d: d.update(vault_id=7),
    "top level emptied": lambda d: d.clear(),
}

RAW_HEADERS: dict[str, bytes] = {
    "empty file": b"",
    "binary": bytes(range(256)) * 8,
    "not json": b"{format: 2",
    "deep nesting": b"[" * 100_000 + b"]" * 100_000,
    "utf-16": json.dumps({"format": 2}).encode("utf-16"),
    "json null": b"null",
    "huge": b'{"pad": "' + b"x" * 2_000_000 + b'"}',
}


Command = Callable[[Path, Path], subprocess.CompletedProcess[str]]
Prepare = Callable[[Path, Path], None]


@dataclass(frozen=True)
class Case:
    name: str
    command: Command
    prepare: Prepare | None = None


def _verify(folder: Path, _tmp: Path) -> subprocess.CompletedProcess[str]:
    return cli(folder, "verify", "--passphrase-stdin", stdin=PASSPHRASE)


def _mutated(mutate: Mutation) -> Prepare:
    def prepare(folder: Path, _tmp: Path) -> None:
        path = folder / "vault.json"
        data = json.loads(path.read_text())
        mutate(data)
        path.write_text(json.dumps(data))

    return prepare


def _raw(raw: bytes) -> Prepare:
    return lambda folder, _tmp: (folder / "vault.json").write_bytes(raw) and None


def _stdin(raw: bytes, *args: str) -> Command:
    return lambda folder, _tmp: cli(folder, *args, stdin=raw)


def _restore_bytes(raw: bytes) -> Command:
    def run(folder: Path, tmp: Path) -> subprocess.CompletedProcess[str]:
        path = tmp / "hostile.scbackup"
        path.write_bytes(raw)
        return cli(
            folder, "restore", str(path), "--replace", "--passphrase-stdin", stdin=PASSPHRASE
        )

    return run


def _args(*args: str) -> Command:
    return lambda folder, tmp: cli(
        folder, *(a.replace("TMP", str(tmp)) for a in args), stdin=PASSPHRASE
    )


CASES: list[Case] = [
    *(Case(f"vault.json: {n}", _verify, _mutated(m)) for n, m in HEADER_MUTATIONS.items()),
    *(Case(f"vault.json: {n}", _verify, _raw(raw)) for n, raw in RAW_HEADERS.items()),
    Case("stdin: not UTF-8", _stdin(b"\xff\xfe\xfd", "verify", "--passphrase-stdin")),
    Case("stdin: surrogate bytes", _stdin(b"\xed\xa0\x80", "verify", "--passphrase-stdin")),
    Case("stdin: empty", _stdin(b"", "verify", "--passphrase-stdin")),
    Case("stdin: 5 MB", _stdin(b"x" * 5_000_000, "verify", "--passphrase-stdin")),
    Case("stdin: NUL bytes", _stdin(b"\x00" * 64, "verify", "--passphrase-stdin")),
    Case("change-passphrase: one line", _stdin(PASSPHRASE.encode(), "change-passphrase")),
    Case(
        "change-passphrase: weak new",
        _stdin(f"{PASSPHRASE}\nshort\n".encode(), "change-passphrase"),
    ),
    Case("recover: not a code", _stdin(b"hello\nanother passphrase here\n", "recover")),
    Case("backup file: empty", _restore_bytes(b"")),
    Case("backup file: random", _restore_bytes(bytes(range(256)) * 40)),
    Case("backup file: a PDF", _restore_bytes(b"%PDF-1.7\n%\xe2\xe3\n1 0 obj\n")),
    Case("backup: --keep 0", _args("backup", "TMP/b", "--keep", "0", "--passphrase-stdin")),
    Case("backup: under a file", _args("backup", "/etc/hostname/x", "--passphrase-stdin")),
    Case("restore: missing file", _args("restore", "TMP/none.scbackup", "--passphrase-stdin")),
    Case(
        "export: bad id",
        _args("export", "--client", "'; DROP TABLE", "--out", "TMP/x.pdf", "--passphrase-stdin"),
    ),
    Case(
        "export: no folder",
        _args("export", "--client", "0" * 32, "--out", "TMP/no/x.pdf", "--passphrase-stdin"),
    ),
    Case(
        "export: bad date",
        _args(
            "export",
            "--client",
            "0" * 32,
            "--from",
            "31/12/2026",
            "--out",
            "TMP/x.pdf",
            "--passphrase-stdin",
        ),
    ),
    Case(
        "export: unknown client",
        _args("export", "--client", "0" * 32, "--out", "TMP/x.pdf", "--passphrase-stdin"),
    ),
    Case("list-sessions: bad id", _args("list-sessions", "--client", "zz", "--passphrase-stdin")),
    Case("init: over a vault", _args("init", "--clinician", "Dr Again", "--passphrase-stdin")),
    Case("init: huge name", _args("init", "--clinician", "N" * 100_000, "--passphrase-stdin")),
    Case("keychain: none to enable", _args("keychain", "enable", "--passphrase-stdin")),
]


def outcome(result: subprocess.CompletedProcess[str]) -> str:
    """'refused' (one line, exit 1 or 2), or what went wrong."""
    if "Traceback" in result.stderr:
        return "traceback"
    if result.returncode == 70:
        return "exit 70"
    if result.returncode == 0:
        return "accepted"
    lines = result.stderr.strip().splitlines()
    if result.returncode == 2 and lines and lines[-1].startswith("session-console: error"):
        return "refused"
    return "refused" if len(lines) == 1 else f"{len(lines)} lines"


def _records(folder: Path, key: bytes) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table but the audit trail (which records the attempt itself)."""
    conn = raw_connect(folder / "vault.db", key)
    try:
        tables = [
            r[0]
            for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if r[0] != "audit_events" and not r[0].startswith("search_index_")
        ]
        return {t: sorted(map(tuple, conn.execute(f'SELECT * FROM "{t}"'))) for t in tables}
    finally:
        conn.close()


def vault_state(folder: Path, key: bytes) -> dict[str, object]:
    """The vault as a person's records depend on it: the keys and every record."""
    state: dict[str, object] = {"records": _records(folder, key)}
    try:
        header = json.loads((folder / "vault.json").read_text())
        state.update({k: header.get(k) for k in ("slots", "db_key", "integrity_key")})
    except (ValueError, UnicodeDecodeError, AttributeError, RecursionError):
        state["header"] = (folder / "vault.json").read_bytes()
    return state
