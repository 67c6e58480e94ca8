"""SIGKILL at chosen system calls, and at random moments, during the commands that move files.

A power cut or a killed process does not pick a convenient moment. For
`restore`, `rotate-key`, `change-passphrase` (with and without `--rotate`),
`backup` and `demo`, the real CLI runs as a child under strace, which kills it
on entry to the Nth rename, fsync or write (that call is not made), so the
files are left exactly as a crash at that point would leave them. The
random-moment rounds kill the child with SIGKILL after a random delay, with no
tracer, to catch what a chosen call cannot (a kill between two calls).

After every kill the checks are what the clinician would meet next: the vault
opens with the right secret (`verify` exits 0), the same clients are listed, a
restore ends with exactly one of the two vaults and no journal, earlier
backups still restore, and a killed `demo` can be run again to completion.
Every kill is counted per command and per system call; a kill after which a
check fails is a data-loss case, and the target is zero.

Why each kill names one system call: strace counts `when=N` per system call
(and per thread), not across a set, so a dry run numbers the calls of a group
(rename, renameat and renameat2 together) and the Nth call of the group is
injected as the kth call of its own system call. Why strace runs without `-f`:
these commands make every rename, fsync and write on the main thread, and the
one child they start (`ldconfig -p`, from `ctypes.util.find_library`) would
take some of the writes; a kill there would kill ldconfig, not the command.
Each kill traces the call it injects (`-e trace=NAME`): with `-e trace=none`,
strace 6.1 injects nothing.

How many: every rename (demo's 130-odd are sampled), two fsyncs and three
writes chosen from the dry run (the first and last call, and the first and last
on each file, thinned evenly), and two or three random moments per command:
about 80 kills, near four minutes on two cores. bench/hostile_kill_bench.py
makes more of them and prints the counts. Hidden work files a kill leaves are
counted, not failed: the next unlock sweeps `.restore-*`, and a backup an hour
later sweeps `.backup-*` and `.*.partial` (nothing sweeps `.vault.json.*.tmp`).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import random
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from console.services.bundle import Services
from console.vault import Vault
from tests.conftest import PASSPHRASE
from tests.hostile.conftest import backup_of, make_vault

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
STRACE = shutil.which("strace")
NEW_PASSPHRASE = "a brand new passphrase for the clinic"
VAULT_CLIENTS = ("Hedda Hostile", "Ivo Intact")
BACKUP_CLIENTS = ("Bea Backup", "Cai Copy")
GROUPS: dict[str, tuple[str, ...]] = {
    "rename": ("rename", "renameat", "renameat2"),
    "fsync": ("fsync", "fdatasync"),
    "write": ("write", "pwrite64"),
}
KILLED = -signal.SIGKILL
TIMEOUT_S = 180.0
RANDOM_TRIES = 3
# Kills run side by side, one per core (up to 4); each is a few CLI runs of ~1.3 s CPU.
WORKERS = max(1, min(4, os.cpu_count() or 1))
# A fixed seed makes a failing random round reproducible; KILL_SEED=n explores others.
SEED = int(os.environ.get("KILL_SEED", "20240601"))


# -- the CLI as a child ---------------------------------------------------------------


def child_env(work: Path) -> dict[str, str]:
    """The checkout on the path, no keychain, and a home inside the kill's own folder."""
    home = work / "home"
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        "QT_QPA_PLATFORM": "offscreen",
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
    }


def cli_argv(data: Path, args: list[str]) -> list[str]:
    return [sys.executable, "-m", "ui.launcher", "--data-dir", str(data), *args]


def run(
    argv: list[str], work: Path, stdin: str, timeout: float = TIMEOUT_S
) -> subprocess.CompletedProcess[str]:
    """Start `argv`, give it the secrets, wait; SIGKILL it once `timeout` passes.

    A child killed here, or by strace, has returncode -9.
    """
    proc = subprocess.Popen(
        argv,
        cwd=ROOT,
        env=child_env(work),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        out, err = proc.communicate(stdin.encode("utf-8"), timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
    return subprocess.CompletedProcess(
        argv, proc.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")
    )


def cli(
    work: Path, *args: str, stdin: str, data: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """`session-console --data-dir DATA ARGS` to completion; DATA defaults to the kill's vault."""
    return run(cli_argv(data or work / "vault", list(args)), work, stdin)


def said(result: subprocess.CompletedProcess[str]) -> str:
    """The last thing the command told the user."""
    lines = (result.stderr.strip() or result.stdout.strip()).splitlines()
    return lines[-1] if lines else f"exit {result.returncode} and no output"


def verify(work: Path, secret: str, data: Path | None = None) -> str | None:
    """None when `verify` says the vault is sound with `secret`; else what it said."""
    done = cli(work, "verify", "--passphrase-stdin", stdin=secret + "\n", data=data)
    if done.returncode == 0 and "vault sound" in done.stdout:
        return None
    return f"verify exit {done.returncode}: {said(done)}"


def listed(work: Path, secret: str, data: Path | None = None) -> list[tuple[str, str]] | str:
    """(status, name) per client from `list-clients`, or what it said when it failed."""
    done = cli(work, "list-clients", "--passphrase-stdin", stdin=secret + "\n", data=data)
    if done.returncode != 0:
        return f"list-clients exit {done.returncode}: {said(done)}"
    rows = [line.split("\t") for line in done.stdout.splitlines()]
    return [(row[1], row[2]) for row in rows]


def clients_problem(got: list[tuple[str, str]] | str, want: tuple[str, ...], where: str) -> str:
    """'' when `got` lists exactly the clients `want` names, else what is wrong."""
    if isinstance(got, str):
        return f"{where}: {got}"
    names = sorted(name for _, name in got)
    return "" if set(names) == set(want) else f"{where} lists {names}, not {sorted(want)}"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@functools.cache
def strace_works() -> bool:
    """strace is installed and may trace (a container can forbid ptrace)."""
    if STRACE is None:
        return False
    done = subprocess.run([STRACE, "-qq", "-o", os.devnull, "true"], capture_output=True)
    return done.returncode == 0


# -- the vaults every kill starts from ------------------------------------------------


@dataclass(frozen=True)
class World:
    """A pristine folder, copied whole for every kill.

    vault/    the clinician's vault: VAULT_CLIENTS, a session and a signed note
    earlier/  one backup of that vault; `backup` writes here
    other/    a backup of another vault (BACKUP_CLIENTS, same passphrase); `restore` reads it
    """

    template: Path

    def copy(self, work: Path) -> Path:
        shutil.copytree(self.template, work, symlinks=True)
        return work

    @property
    def earlier_backup(self) -> Path:
        return next((self.template / "earlier").glob("session-console-*.scbackup"))


def build_world(root: Path) -> World:
    """Made with the vault API and the test Argon2 cost, which the CLI then keeps using.

    Both backups are restored once here, so a later byte-for-byte copy of one is known to
    restore too.
    """
    template = root / "template"
    make_vault(template / "vault", VAULT_CLIENTS)
    other = make_vault(root / "other-vault", BACKUP_CLIENTS)
    made = [backup_of(template / "vault", template / "earlier")]
    made.append(backup_of(other.folder, template / "other"))
    shutil.rmtree(other.folder)
    for n, (backup, clients) in enumerate(zip(made, (VAULT_CLIENTS, BACKUP_CLIENTS), strict=True)):
        restored, _ = Vault.restore(backup, root / f"restored-{n}", PASSPHRASE)
        try:
            listed_names = {c.name for c in Services(restored).clients.list(status=None)}
        finally:
            restored.lock()
        assert listed_names == set(clients), (backup.name, listed_names)
    return World(template)


# -- the system calls of a dry run ----------------------------------------------------


@dataclass(frozen=True)
class Call:
    """The `index`th call of its group in a dry run, which is the `ordinal`th `syscall`."""

    group: str
    syscall: str
    ordinal: int
    index: int
    file: str
    text: str


TRACE_LINE = re.compile(r"^(?:(?P<t>\d+\.\d+) )?(?P<name>\w+)\((?P<args>.*)$")
# Names that differ from run to run (temporary files, time stamps) become one name.
VARIABLE_PARTS = (
    (re.compile(r"\.[A-Za-z0-9_]{8}\.tmp"), ".*.tmp"),
    (re.compile(r"session-console-[0-9-]+\.scbackup"), "session-console-*.scbackup"),
    (re.compile(r"\.(backup|restore)-[A-Za-z0-9_]+"), r".\1-*"),
    (re.compile(r"replaced-[0-9-]+"), "replaced-*"),
    (re.compile(r"pipe:\[\d+\]"), "pipe"),
)


def short(text: str, work: Path) -> str:
    text = text.replace(str(work) + "/", "").replace(str(work), ".")
    for pattern, name in VARIABLE_PARTS:
        text = pattern.sub(name, text)
    return text


def file_of(args: str, work: Path) -> str:
    """The file a call works on: the path strace -y gives its fd, or a rename's destination."""
    fd_path = re.match(r"\d+<([^>]*)>", args)
    quoted = re.findall(r'"((?:[^"\\]|\\.)*)"', args)
    name = fd_path.group(1) if fd_path else quoted[-1] if quoted else "?"
    return short(name, work)


def parse_calls(trace: str, work: Path) -> dict[str, list[Call]]:
    seen: Counter[str] = Counter()
    calls: dict[str, list[Call]] = {group: [] for group in GROUPS}
    group_of = {name: group for group, names in GROUPS.items() for name in names}
    for line in trace.splitlines():
        match = TRACE_LINE.match(line)
        if match is None or match["name"] not in group_of:
            continue
        name, group = match["name"], group_of[match["name"]]
        seen[name] += 1
        calls[group].append(
            Call(
                group,
                name,
                seen[name],
                len(calls[group]) + 1,
                file_of(match["args"], work),
                call_text(line, work),
            )
        )
    return calls


def call_text(line: str, work: Path) -> str:
    """A traced call as strace printed it, without time stamp and result, shortened."""
    text = TRACE_LINE.sub(lambda m: f"{m['name']}({m['args']}", line).rsplit(" = ", 1)[0]
    return short(text, work)[:150]


def quiet_fraction(trace: str) -> float:
    """How far into a run its first change to a file comes (before: imports, key derivation)."""
    stamped = [m for m in map(TRACE_LINE.match, trace.splitlines()) if m and m["t"]]
    if len(stamped) < 2:
        return 0.0
    begun, ended = float(stamped[0]["t"]), float(stamped[-1]["t"])
    changes = [float(m["t"]) for m in stamped[1:] if "<pipe:" not in m["args"]]
    if not changes or ended <= begun:
        return 0.0
    return (changes[0] - begun) / (ended - begun)


@dataclass(frozen=True)
class Reference:
    """What one clean run of a command looks like.

    calls: its renames, fsyncs and writes in order (empty without strace);
    seconds: its wall time with no tracer; quiet: the fraction of that before it first
    touches a file; active_after: the active client names it leaves.
    """

    calls: dict[str, list[Call]]
    seconds: float
    quiet: float
    active_after: Counter[str]


def strace_argv(trace: Path, *options: str) -> list[str]:
    assert STRACE is not None
    return [STRACE, "-qq", "-y", "-s", "48", "-o", str(trace), *options]


def dry_run(command: Command, world: World, root: Path) -> Reference:
    """The command run to completion twice, side by side: under strace to number its calls,
    and bare to time it and see the clients it leaves."""

    def traced() -> tuple[dict[str, list[Call]], float]:
        if not strace_works():
            return {group: [] for group in GROUPS}, 0.0
        work = world.copy(root / "dry-traced")
        trace = work / "trace.txt"
        names = ",".join(name for group in GROUPS.values() for name in group)
        argv = strace_argv(trace, "-ttt", "-e", f"trace=execve,{names}")
        done = run([*argv, *cli_argv(work / "vault", command.args(work))], work, command.stdin)
        assert done.returncode == 0, f"dry run of {command.name} under strace: {said(done)}"
        text = trace.read_text(encoding="utf-8", errors="replace")
        return parse_calls(text, work), quiet_fraction(text)

    def bare() -> tuple[float, Counter[str]]:
        work = world.copy(root / "dry-bare")
        started = time.perf_counter()
        done = cli(work, *command.args(work), stdin=command.stdin)
        seconds = time.perf_counter() - started
        assert done.returncode == 0, f"dry run of {command.name}: {said(done)}"
        after = listed(work, command.after_secret)
        assert not isinstance(after, str), after
        return seconds, Counter(name for status, name in after if status == "active")

    with ThreadPoolExecutor(2) as pool:
        first, second = pool.submit(traced), pool.submit(bare)
        (calls, quiet), (seconds, active) = first.result(), second.result()
    return Reference(calls, seconds, quiet, active)


def spaced(count: int, k: int) -> list[int]:
    """k indices into `count` items, evenly spaced from the first to the last."""
    step = (count - 1) / max(1, k - 1)
    return sorted({round(n * step) for n in range(k)})


def pick(calls: list[Call], k: int) -> list[Call]:
    """Every call when there are at most k. Else k spread evenly over the first, middle and
    last call and the first and last call on each file, so a short burst (a journal, the
    backup file itself) is as likely to be hit as the long one next to it."""
    if len(calls) <= k:
        return calls
    ends: dict[str, tuple[int, int]] = {}
    for i, call in enumerate(calls):
        ends[call.file] = (ends.get(call.file, (i, i))[0], i)
    marks = sorted(
        {0, len(calls) // 2, len(calls) - 1, *(i for pair in ends.values() for i in pair)}
    )
    if len(marks) >= k:
        chosen = [marks[i] for i in spaced(len(marks), k)]
    else:
        extra = [i for i in spaced(len(calls), k) if i not in marks]
        chosen = sorted([*marks, *extra[: k - len(marks)]])
    return [calls[i] for i in chosen]


# -- the commands under attack, and what must hold after a kill ------------------------


Check = Callable[[Path, World, Reference], list[str]]


@dataclass(frozen=True)
class Command:
    """A CLI command, its secrets on stdin, the checks after a kill, and how many kills.

    renames, fsyncs, writes: how many calls of each group are chosen from the dry run
    (all of them when there are no more); rounds: random-moment kills;
    after_secret: the passphrase that opens the vault once the command has completed.
    """

    name: str
    args: Callable[[Path], list[str]]
    stdin: str
    check: Check
    renames: int = 8
    fsyncs: int = 2
    writes: int = 3
    rounds: int = 3
    after_secret: str = PASSPHRASE

    def per_group(self, group: str) -> int:
        return {"rename": self.renames, "fsync": self.fsyncs, "write": self.writes}[group]


def check_restore(work: Path, world: World, ref: Reference) -> list[str]:
    """Unlocking finishes a cut-short restore: one vault or the other, never a mix, no
    journal left; a replaced vault is kept aside whole."""
    data = work / "vault"
    if problem := verify(work, PASSPHRASE):
        return [problem]
    problems = []
    if (data / "restore.json").exists():
        problems.append("restore.json is still in the data folder after verify")
    got = listed(work, PASSPHRASE)
    if isinstance(got, str):
        return [*problems, got]
    names = {name for _, name in got}
    replaced = sorted(data.glob("replaced-*"))
    if names == set(BACKUP_CLIENTS):
        if len(replaced) != 1:
            problems.append(f"restored, and {len(replaced)} replaced-* folders (not 1)")
        elif problem := clients_problem(
            listed(work, PASSPHRASE, data=replaced[0]), VAULT_CLIENTS, "the replaced vault"
        ):
            problems.append(problem)
    elif names != set(VAULT_CLIENTS):
        problems.append(f"the data folder lists {sorted(names)}: a mix of vaults, or nothing")
    return problems


def check_rotate(work: Path, world: World, ref: Reference) -> list[str]:
    """The passphrase still opens, whichever key the database was left under."""
    if problem := verify(work, PASSPHRASE):
        return [problem]
    problem = clients_problem(listed(work, PASSPHRASE), VAULT_CLIENTS, "the vault")
    return [problem] if problem else []


def check_change(work: Path, world: World, ref: Reference) -> list[str]:
    """Exactly one of the old and the new passphrase opens (either one is fine)."""
    refusals = {secret: verify(work, secret) for secret in (PASSPHRASE, NEW_PASSPHRASE)}
    opening = [secret for secret, refusal in refusals.items() if refusal is None]
    if len(opening) != 1:
        told = "; ".join(f"{s!r}: {r or 'opens'}" for s, r in refusals.items())
        return [f"{'both' if opening else 'neither'} of the two passphrases opens ({told})"]
    problem = clients_problem(listed(work, opening[0]), VAULT_CLIENTS, "the vault")
    return [problem] if problem else []


def check_backup(work: Path, world: World, ref: Reference) -> list[str]:
    """The vault is as it was, the earlier backup is byte for byte what it was, and every
    file carrying a backup's name restores, with the vault's clients."""
    if problem := verify(work, PASSPHRASE):
        return [problem]
    problems = [clients_problem(listed(work, PASSPHRASE), VAULT_CLIENTS, "the vault")]
    dest = work / "earlier"
    earlier = dest / world.earlier_backup.name
    if not earlier.is_file() or digest(earlier) != digest(world.earlier_backup):
        problems.append(f"the earlier backup {earlier.name} changed or is gone")
    made = sorted(set(dest.glob("session-console-*.scbackup")) - {earlier})
    for n, backup in enumerate(made):
        probe = work / f"restored-{n}"
        args = ("restore", str(backup), "--passphrase-stdin")
        done = cli(work, *args, stdin=PASSPHRASE + "\n", data=probe)
        if done.returncode != 0:
            problems.append(f"{backup.name} has a backup's name but does not restore: {said(done)}")
            continue
        got = listed(work, PASSPHRASE, data=probe)
        problems.append(clients_problem(got, VAULT_CLIENTS, f"{backup.name} restored"))
    return [p for p in problems if p]


def check_demo(work: Path, world: World, ref: Reference) -> list[str]:
    """`demo` run again finishes the job: the clinician's clients and one whole demo
    caseload active, the partial one archived. After a kill that came once the caseload was
    complete there is nothing to finish, and `demo` says so."""
    again = cli(work, "demo", "--passphrase-stdin", stdin=PASSPHRASE + "\n")
    problems = []
    if again.returncode != 0 and "already in this vault" not in again.stderr:
        problems.append(f"demo run again: exit {again.returncode}: {said(again)}")
    if problem := verify(work, PASSPHRASE):
        return [*problems, problem]
    got = listed(work, PASSPHRASE)
    if isinstance(got, str):
        return [*problems, got]
    active = Counter(name for status, name in got if status == "active")
    if active != ref.active_after:
        problems.append(
            f"active clients {sorted(active.elements())}; a clean demo leaves "
            f"{sorted(ref.active_after.elements())}"
        )
    return problems


def _restore_args(work: Path) -> list[str]:
    source = next((work / "other").glob("session-console-*.scbackup"))
    return ["restore", str(source), "--passphrase-stdin", "--replace"]


ONE_SECRET = PASSPHRASE + "\n"
TWO_SECRETS = f"{PASSPHRASE}\n{NEW_PASSPHRASE}\n"
# Renames are few: all of them (but demo's). A sample of the many fsyncs and writes, and a
# few random moments, keep the file near four minutes on two cores; the bench takes more.
COMMANDS: dict[str, Command] = {
    c.name: c
    for c in (
        Command("restore", _restore_args, ONE_SECRET, check_restore),
        Command("rotate-key", lambda work: ["rotate-key"], ONE_SECRET, check_rotate),
        Command(
            "change-passphrase",
            lambda work: ["change-passphrase"],
            TWO_SECRETS,
            check_change,
            rounds=2,
            after_secret=NEW_PASSPHRASE,
        ),
        Command(
            "change-passphrase --rotate",
            lambda work: ["change-passphrase", "--rotate"],
            TWO_SECRETS,
            check_change,
            rounds=2,
            after_secret=NEW_PASSPHRASE,
        ),
        Command(
            "backup",
            lambda work: ["backup", str(work / "earlier"), "--passphrase-stdin"],
            ONE_SECRET,
            check_backup,
        ),
        Command(
            "demo",
            lambda work: ["demo", "--passphrase-stdin"],
            ONE_SECRET,
            check_demo,
            renames=3,
            rounds=2,
        ),
    )
}


# -- killing, and counting ------------------------------------------------------------


@dataclass(frozen=True)
class Kill:
    """Where to kill: at a chosen call (under strace) or after `delay` seconds (no tracer)."""

    group: str
    call: Call | None = None
    delay: float = 0.0
    total: int = 0

    def label(self) -> str:
        if self.call is None:
            return f"a random moment, {self.delay * 1000:.0f} ms after the start"
        c = self.call
        return f"{c.group} call {c.index} of {self.total} ({c.syscall} #{c.ordinal})"


@dataclass(frozen=True)
class Outcome:
    """One kill: whether it came before the command ended (and how many runs ended first),
    the call it hit, what the checks found, what it left, how to make it again."""

    kill: Kill
    killed: bool
    completed: int
    hit: str
    problems: list[str]
    leftovers: list[str]
    again: str
    kept: Path | None


def plan(command: Command, ref: Reference, syscalls: bool, randomly: bool) -> list[Kill]:
    """The chosen calls from the dry run, and random delays from the first change to a file
    to the end of a bare run (the time before is imports, where a kill can hit nothing)."""
    kills = []
    if syscalls:
        for group in GROUPS:
            calls = ref.calls[group]
            chosen = pick(calls, command.per_group(group))
            kills += [Kill(group, call, total=len(calls)) for call in chosen]
    if randomly:
        rng = random.Random(f"{SEED}:{command.name}")
        low = ref.quiet * ref.seconds
        delays = [rng.uniform(low, ref.seconds) for _ in range(command.rounds)]
        kills += [Kill("random", delay=delay) for delay in delays]
    return kills


def leftovers(work: Path) -> list[str]:
    """Hidden work files a kill left in the data folder and the backup folder."""
    found = [p for folder in ("vault", "earlier") for p in (work / folder).glob(".*")]
    return sorted(short(str(p.relative_to(work)), work) for p in found)


def killed_call(trace: Path, work: Path) -> str:
    """The call strace stopped the command at: the last one it traced, which has no result."""
    lines = (
        trace.read_text(encoding="utf-8", errors="replace").splitlines() if trace.exists() else []
    )
    calls = [line for line in lines if TRACE_LINE.match(line)]
    return call_text(calls[-1], work) if calls else "(no call traced)"


def again(world: World, work: Path, argv: list[str], stdin: str) -> str:
    """A shell line that makes the same kill in a fresh copy of the world."""
    fresh = Path(f"{work}-again")
    moved = [arg.replace(str(work), str(fresh)) for arg in argv]
    env = " ".join(
        f"{k}={shlex.quote(v)}"
        for k, v in child_env(fresh).items()
        if k in ("PYTHONPATH", "PYTHON_KEYRING_BACKEND", "QT_QPA_PLATFORM", "HOME")
    )
    return (
        f"cp -a {world.template} {fresh} && cd {ROOT} && printf %s {shlex.quote(stdin)} | "
        f"env {env} {shlex.join(moved)}"
    )


def strike(command: Command, kill: Kill, work: Path, delay: float) -> tuple[list[str], int, str]:
    """Run the command in `work` and kill it; its argv, its returncode, the call it died at."""
    argv = cli_argv(work / "vault", command.args(work))
    if kill.call is None:
        done = run(argv, work, command.stdin, timeout=delay)
        return argv, done.returncode, f"SIGKILL {delay * 1000:.0f} ms after the start"
    name, trace = kill.call.syscall, work / "kill-trace.txt"
    inject = f"inject={name}:signal=KILL:when={kill.call.ordinal}"
    argv = [*strace_argv(trace, "-e", f"trace={name}", "-e", inject), *argv]
    done = run(argv, work, command.stdin)
    hit = killed_call(trace, work) if done.returncode == KILLED else said(done)
    return argv, done.returncode, hit


def attack(command: Command, world: World, ref: Reference, kill: Kill, work: Path) -> Outcome:
    """Copy the world, kill the command where `kill` says, and check what is left.

    A random delay longer than this run (the machine was quicker than in the dry run) is
    tried again, sooner, a bounded number of times; each such run counts as completed.
    """
    completed, delay = 0, kill.delay
    for _ in range(RANDOM_TRIES if kill.call is None else 1):
        shutil.rmtree(work, ignore_errors=True)
        world.copy(work)
        argv, returncode, hit = strike(command, kill, work, delay)
        if returncode != 0:
            break
        completed, delay = completed + 1, delay * 0.6
    line = again(world, work, argv, command.stdin)
    if returncode != KILLED:
        shutil.rmtree(work, ignore_errors=True)
        unkilled = [f"exit {returncode} with no kill: {hit}"] if returncode else []
        return Outcome(kill, False, completed, hit, unkilled, [], line, None)
    left = leftovers(work)
    problems = command.check(work, world, ref)
    if not problems:
        shutil.rmtree(work, ignore_errors=True)
    return Outcome(kill, True, completed, hit, problems, left, line, work if problems else None)


@dataclass
class Tally:
    """Kills delivered per command and per system call, and the cases where data was lost."""

    command: str
    kills: int = 0
    completed_without_kill: int = 0
    syscalls: Counter[str] = field(default_factory=Counter)
    lost: list[Outcome] = field(default_factory=list)
    failed_unkilled: list[Outcome] = field(default_factory=list)
    leftovers: Counter[str] = field(default_factory=Counter)

    def add(self, outcome: Outcome) -> None:
        self.completed_without_kill += outcome.completed
        if not outcome.killed:
            if outcome.problems:
                self.failed_unkilled.append(outcome)
            return
        self.kills += 1
        self.syscalls[outcome.kill.group] += 1
        self.leftovers.update(outcome.leftovers)
        if outcome.problems:
            self.lost.append(outcome)

    @property
    def data_lost(self) -> int:
        return len(self.lost)

    def record(self) -> dict[str, Any]:
        return {
            "bench": "kill_at_syscalls",
            "command": self.command,
            "kills": self.kills,
            "completed_without_kill": self.completed_without_kill,
            "data_lost": self.data_lost,
            "syscalls": {group: self.syscalls[group] for group in (*GROUPS, "random")},
        }

    def report(self) -> str:
        """Each bad case as: where it was killed, what was wrong, how to do it again."""
        lines = []
        for outcome in [*self.lost, *self.failed_unkilled]:
            lines.append(f"{self.command}: killed at {outcome.kill.label()}: {outcome.hit}")
            lines += [f"    {problem}" for problem in outcome.problems]
            lines.append(f"    again: {outcome.again}")
            if outcome.kept:
                lines.append(f"    left in {outcome.kept} (after the checks)")
        return "\n".join(lines)


def campaign(
    command: Command, world: World, ref: Reference, root: Path, *, syscalls: bool, randomly: bool
) -> Tally:
    """Every planned kill of one command, WORKERS at a time."""
    kills = plan(command, ref, syscalls, randomly)
    works = [root / f"kill-{n:03d}-{k.group}" for n, k in enumerate(kills)]
    with ThreadPoolExecutor(WORKERS) as pool:
        outcomes = list(pool.map(lambda k, w: attack(command, world, ref, k, w), kills, works))
    tally = Tally(command.name)
    for outcome in outcomes:
        tally.add(outcome)
    return tally


# -- the tests --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    return build_world(tmp_path_factory.mktemp("world"))


@pytest.fixture(scope="module")
def reference(world: World, tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Reference]:
    """One dry run per command, shared by its chosen-call and random-moment tests."""
    made: dict[str, Reference] = {}

    def get(name: str) -> Reference:
        if name not in made:
            made[name] = dry_run(COMMANDS[name], world, tmp_path_factory.mktemp("dry"))
        return made[name]

    return get


@pytest.mark.parametrize("name", list(COMMANDS))
def test_sigkill_at_a_rename_fsync_or_write_loses_nothing(
    name: str, world: World, reference: Callable[[str], Reference], tmp_path: Path
) -> None:
    if not strace_works():
        pytest.skip("strace is missing or may not trace here (.ci/system-deps.sh installs it)")
    tally = campaign(
        COMMANDS[name], world, reference(name), tmp_path, syscalls=True, randomly=False
    )
    print(json.dumps(tally.record()))  # the figures, shown with -s or on failure
    assert not tally.failed_unkilled, tally.report()
    assert tally.data_lost == 0, f"{tally.record()}\n{tally.report()}"
    for group in GROUPS:
        assert tally.syscalls[group] > 0, f"no kill at a {group} was delivered: {tally.record()}"


@pytest.mark.parametrize("name", list(COMMANDS))
def test_sigkill_at_random_moments_loses_nothing(
    name: str, world: World, reference: Callable[[str], Reference], tmp_path: Path
) -> None:
    tally = campaign(
        COMMANDS[name], world, reference(name), tmp_path, syscalls=False, randomly=True
    )
    print(json.dumps(tally.record()))
    assert not tally.failed_unkilled, tally.report()
    assert tally.data_lost == 0, f"{tally.record()}\n{tally.report()}"
    assert tally.kills > 0, f"every random kill came after the command ended: {tally.record()}"
