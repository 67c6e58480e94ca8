"""The built bundle (`make installer`), run as a clinic laptop would: no venv, empty HOME.

Skipped unless dist/session-console exists, so `make test` stays fast; `make
installer-test` builds the bundle and runs these.

The upgrade path is checked through the bundle: a vault made by the source tree
(the "installed older version") is opened by the bundle, and by a copy of the
bundle that ships one more migration (the "newer version"), which migrates it
after an automatic backup; the older bundle then refuses the migrated vault.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtNetwork import QLocalSocket

from console.vault import Vault
from console.vault.backup import list_backups
from ui.single_instance import server_name

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = ROOT / "dist" / "session-console"
EXE = BUNDLE / ("session-console-cli.exe" if sys.platform == "win32" else "session-console")
PASS = "an installer test passphrase"


def _migrations(root: Path) -> set[str]:
    return {p.name for p in (root / "models" / "migrations" / "versions").glob("[0-9]*.py")}


# A bundle built before a migration was added would fail the upgrade checks for the
# wrong reason: skip it (`make installer-test` always builds afresh).
STALE = EXE.exists() and _migrations(BUNDLE / "_internal") != _migrations(ROOT)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not EXE.exists(), reason="no bundle: run `make installer` first"),
    pytest.mark.skipif(STALE, reason="the bundle predates the source's migrations: rebuild it"),
]

NEXT_MIGRATION = '''"""A later release adds a table."""
import sqlalchemy as sa
from alembic import op

revision = "9999"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("later_feature", sa.Column("id", sa.Integer, primary_key=True))


def downgrade() -> None:
    op.drop_table("later_feature")
'''


def clean_env(home: Path) -> dict[str, str]:
    env = {
        "HOME": str(home),
        "PATH": "/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }
    if sys.platform == "win32":
        env.update({k: os.environ[k] for k in ("SYSTEMROOT", "LOCALAPPDATA") if k in os.environ})
    return env


def bundle(exe: Path, home: Path, data: Path, *args: str, stdin: str = ""):
    return subprocess.run(
        [str(exe), "--data-dir", str(data), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=clean_env(home),
        timeout=180,
    )


def source(data: Path, *args: str, stdin: str = ""):
    """The same command from the checkout (the version a clinic already has)."""
    return subprocess.run(
        [sys.executable, "-m", "ui.launcher", "--data-dir", str(data), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        },
        cwd=ROOT,
        timeout=180,
    )


@pytest.fixture
def home(tmp_path: Path) -> Path:
    directory = tmp_path / "home"
    directory.mkdir()
    return directory


@pytest.fixture
def source_vault(tmp_path: Path) -> Path:
    data = tmp_path / "vault"
    made = source(data, "init", "--passphrase-stdin", "--clinician", "Dr Old Version", stdin=PASS)
    assert made.returncode == 0, made.stderr
    demo = source(data, "demo", "--passphrase-stdin", stdin=PASS)
    assert demo.returncode == 0, demo.stderr
    return data


def newer_bundle(tmp_path: Path) -> Path:
    """The bundle plus one migration, as the next release would ship (shared files linked)."""
    newer = tmp_path / "newer"
    internal = newer / "_internal"
    internal.mkdir(parents=True)
    shutil.copy2(EXE, newer / EXE.name)
    for entry in (BUNDLE / "_internal").iterdir():
        if entry.name != "models":
            (internal / entry.name).symlink_to(entry, entry.is_dir())
    shutil.copytree(BUNDLE / "_internal" / "models", internal / "models", symlinks=True)
    versions = internal / "models" / "migrations" / "versions"
    heads = sorted(p.name for p in versions.glob("[0-9]*.py"))  # date-prefixed, oldest first
    head = _revision_of(versions / heads[-1])
    (versions / "2099_01_01_9999_later_feature.py").write_text(NEXT_MIGRATION.format(head=head))
    return newer / EXE.name


def _revision_of(script: Path) -> str:
    for line in script.read_text(encoding="utf-8").splitlines():
        if line.startswith("revision"):
            return line.split("=", 1)[1].strip().strip("\"'")
    raise AssertionError(f"no revision in {script}")


# The clinic bundle's size budget (installer/README.md); a creep past it fails here.
BUDGET_MB = 250


def test_bundle_stays_within_its_size_budget() -> None:
    files = [p for p in BUNDLE.rglob("*") if p.is_file() and not p.is_symlink()]
    size_mb = sum(p.stat().st_blocks * 512 for p in files) / 2**20  # on disk, as `du -sm`
    largest = sorted(files, key=lambda p: p.stat().st_size, reverse=True)[:8]
    assert size_mb < BUDGET_MB, f"bundle is {size_mb:.0f} MB (budget {BUDGET_MB} MB); " + ", ".join(
        f"{p.relative_to(BUNDLE)} {p.stat().st_size / 2**20:.1f} MB" for p in largest
    )


def test_smoke_test_script_passes() -> None:
    result = subprocess.run(
        ["bash", str(ROOT / "installer" / "smoke_test.sh"), str(BUNDLE)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "self-test: ok" in result.stdout
    assert "smoke: ok" in result.stdout


def test_bundle_opens_a_vault_made_by_the_source_tree(source_vault: Path, home: Path) -> None:
    verify = bundle(EXE, home, source_vault, "verify", "--passphrase-stdin", stdin=PASS)
    assert verify.returncode == 0, verify.stderr
    assert "vault sound" in verify.stdout
    clients = bundle(EXE, home, source_vault, "list-clients", "--passphrase-stdin", stdin=PASS)
    assert clients.returncode == 0, clients.stderr
    assert len(clients.stdout.strip().splitlines()) == 4


@pytest.mark.skipif(sys.platform == "win32", reason="symlinked bundle copy")
def test_newer_bundle_backs_up_then_migrates(
    source_vault: Path, home: Path, tmp_path: Path
) -> None:
    before = source(source_vault, "list-clients", "--passphrase-stdin", stdin=PASS)
    assert before.returncode == 0, before.stderr
    backup_dir = Vault(source_vault).backup_dir
    already = list_backups(backup_dir) if backup_dir.exists() else []
    newer = newer_bundle(tmp_path)

    after = bundle(newer, home, source_vault, "list-clients", "--passphrase-stdin", stdin=PASS)
    assert after.returncode == 0, after.stderr
    assert after.stdout == before.stdout  # every client kept across the upgrade
    verify = bundle(newer, home, source_vault, "verify", "--passphrase-stdin", stdin=PASS)
    assert verify.returncode == 0, verify.stderr
    assert len(list_backups(backup_dir)) == len(already) + 1, "no automatic backup first"

    # The older bundle refuses the migrated vault in one line instead of damaging it.
    old = bundle(EXE, home, source_vault, "list-clients", "--passphrase-stdin", stdin=PASS)
    assert old.returncode != 0
    assert "newer version" in old.stderr
    assert "Traceback" not in old.stderr


def _listening(name: str) -> bool:
    probe = QLocalSocket()
    probe.connectToServer(name)
    ok = probe.waitForConnected(100)
    probe.abort()
    return ok


@pytest.mark.skipif(sys.platform != "linux", reason="offscreen GUI launch checked on Linux")
def test_second_launch_of_the_bundle_hands_over_to_the_first(home: Path, tmp_path: Path) -> None:
    data = tmp_path / "gui-vault"
    first = subprocess.Popen(
        [str(EXE), "--data-dir", str(data)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=clean_env(home),
    )
    try:
        deadline = time.monotonic() + 30
        while not _listening(server_name(data)):
            assert first.poll() is None, first.communicate()[1]
            assert time.monotonic() < deadline, "the first instance never took the lock"
            time.sleep(0.1)
        second = subprocess.run(
            [str(EXE), "--data-dir", str(data)],
            capture_output=True,
            text=True,
            env=clean_env(home),
            timeout=60,
        )
        assert second.returncode == 0, second.stderr
        assert "already running" in second.stdout
        assert first.poll() is None  # the first keeps running
    finally:
        first.terminate()
        first.wait(timeout=30)
