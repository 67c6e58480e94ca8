"""SIGKILL at chosen system calls, per command, printed as one JSON object per line.

Run from the repository root: `.venv/bin/python bench/hostile_kill_bench.py [COMMAND ...]`
(all commands when none is named). It makes the attacks of
tests/hostile/test_kill_at_syscalls.py, with more kills of each kind than the
test file can afford, and asserts nothing: it counts and prints. The kills at
chosen calls need strace (`.ci/system-deps.sh`); without it only the random
moments run. Several minutes on two cores.

One line per command: restore, rotate-key, change-passphrase,
change-passphrase --rotate, backup, demo.
- kills: runs really killed (exit by SIGKILL), counted after their checks.
- completed_without_kill: runs that ended before the kill came (a random delay
  longer than this run, or a chosen call this run did not make); not failures.
- data_lost: kills after which something a clinician would notice went wrong:
  the vault did not open with the right secret (or, after a passphrase change,
  not with exactly one of the two), a client was missing or another vault's
  was mixed in, a restore left its journal or lost the vault it replaced, a
  file named as a backup did not restore, or `demo` run again could not finish
  the caseload. Target 0.
- syscalls: kills delivered at each kind of call: rename (rename, renameat,
  renameat2), fsync (fsync, fdatasync), write (write, pwrite64), and random
  (SIGKILL after a random delay between the run's first change to a file and
  its end, with no tracer).

Each data-loss case is described on stderr: the call it was killed at, what was
wrong, and a shell line that makes the same kill again; its folder is kept.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")

from tests.hostile.test_kill_at_syscalls import (  # noqa: E402
    COMMANDS,
    Command,
    build_world,
    campaign,
    dry_run,
    strace_works,
)


def emit(record: dict[str, Any]) -> None:
    print(json.dumps(record, ensure_ascii=False), flush=True)


def wider(command: Command) -> Command:
    """More kills than the test file makes: every rename up to 12, 4 fsyncs, 5 writes,
    5 random moments."""
    return replace(command, renames=max(command.renames, 12), fsyncs=4, writes=5, rounds=5)


def main(names: list[str]) -> int:
    unknown = [name for name in names if name not in COMMANDS]
    if unknown:
        print(f"unknown command {unknown[0]!r}; choose from {list(COMMANDS)}", file=sys.stderr)
        return 2
    traced = strace_works()
    if not traced:
        print("strace is missing or may not trace: random moments only", file=sys.stderr)
    root = Path(tempfile.mkdtemp(prefix="kill-bench-"))
    world = build_world(root / "world")
    lost = 0
    for n, name in enumerate(names or list(COMMANDS)):
        command = wider(COMMANDS[name])
        work = root / f"command-{n}"
        reference = dry_run(command, world, work / "dry")
        tally = campaign(command, world, reference, work, syscalls=traced, randomly=True)
        emit(tally.record())
        if tally.lost or tally.failed_unkilled:
            lost += 1
            print(tally.report(), file=sys.stderr, flush=True)
    if lost:
        print(f"the folders of the failed kills are kept under {root}", file=sys.stderr)
    else:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
