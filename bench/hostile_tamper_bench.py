"""Tamper and bad-input figures, printed as JSON lines (run from the repository root).

`.venv/bin/python bench/hostile_tamper_bench.py`

What is counted
- tamper: every edit in tests/hostile/tampering.py made with the database key
  in hand, plus a vault.db rolled back alone, plus a whole-vault rollback
  (vault.db with its own vault.json) without and with the OS keychain
  remembering the vault. `detected` counts the cases where `verify` (or the
  unlock before it) refused; the documented undetectable case is the
  whole-vault rollback without the keychain.
- bad_inputs: every case in tests/hostile/bad_inputs.py run through the real
  CLI: how many were refused in one line, gave a traceback, exited 70, or
  changed a record or a key.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from console.services.bundle import Services  # noqa: E402
from console.services.clients import ClientFields  # noqa: E402
from console.vault import Vault  # noqa: E402
from tests.conftest import PASSPHRASE  # noqa: E402
from tests.hostile import tampering  # noqa: E402
from tests.hostile.bad_inputs import CASES, outcome, vault_state  # noqa: E402
from tests.hostile.conftest import cli, make_vault  # noqa: E402


def _refused(folder: Path) -> bool:
    return cli(folder, "verify", "--passphrase-stdin", stdin=PASSPHRASE).returncode != 0


def _rollback(work: Path, template: Path, with_db_json: bool) -> bool:
    folder = work / f"rollback-{with_db_json}"
    shutil.copytree(template, folder)
    saved = work / f"saved-{with_db_json}"
    shutil.copytree(folder, saved)
    vault = Vault(folder)
    vault.unlock_with_passphrase(PASSPHRASE)
    Services(vault).clients.create(ClientFields(name="Added Later"))
    vault.lock()
    for name in ("vault.db", "vault.json") if with_db_json else ("vault.db",):
        shutil.copy(saved / name, folder / name)
    return _refused(folder)


def tamper(work: Path, template: Path) -> dict[str, object]:
    detected: dict[str, bool] = {}
    for name, attack in tampering.ATTACKS.items():
        folder = work / name.replace(" ", "-")
        shutil.copytree(template, folder)
        attack(folder, tampering.database_key(folder, PASSPHRASE))
        detected[name] = _refused(folder)
    detected["roll back vault.db alone"] = _rollback(work, template, with_db_json=False)
    detected["roll back vault.db and vault.json (no keychain)"] = _rollback(
        work, template, with_db_json=True
    )
    return {
        "bench": "tamper",
        "tried": len(detected),
        "detected": sum(detected.values()),
        "undetected": [n for n, d in detected.items() if not d],
        "documented_undetectable": ["roll back vault.db and vault.json (no keychain)"],
    }


def bad_inputs(work: Path, template: Path) -> dict[str, object]:
    tally = {"refused": 0, "traceback": 0, "exit 70": 0, "changed": 0, "other": 0}
    for n, case in enumerate(CASES):
        folder = work / f"bad-{n}"
        shutil.copytree(template, folder)
        key = tampering.database_key(folder, PASSPHRASE)
        if case.prepare is not None:
            case.prepare(folder, work)
        before = vault_state(folder, key)
        said = outcome(case.command(folder, work))
        tally[said if said in tally else "other"] += 1
        tally["changed"] += vault_state(folder, key) != before
    return {"bench": "bad_inputs", "tried": len(CASES), **tally}


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="hostile-bench-") as tmp:
        work = Path(tmp)
        template = make_vault(work / "template").folder
        print(json.dumps(tamper(work, template)), flush=True)
        print(json.dumps(bad_inputs(work, template)), flush=True)


if __name__ == "__main__":
    main()
