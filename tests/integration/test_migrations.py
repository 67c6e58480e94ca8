"""Schema upgrades run on unlock, after an automatic backup, and are audited."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import inspect

from console.services.bundle import Services
from console.services.clients import ClientFields
from console.vault import Vault, migrate
from console.vault.backup import list_backups
from tests.conftest import PASSPHRASE, TEST_KDF

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


@pytest.fixture
def newer_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The same app with one more migration, as the next release would ship."""
    scripts = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, scripts)
    head = migrate.head_revision()
    (scripts / "versions" / "2099_01_01_9999_later_feature.py").write_text(
        NEXT_MIGRATION.format(head=head)
    )
    return scripts


def test_unlock_backs_up_then_migrates(
    vault_dir: Path, newer_app: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = migrate.MIGRATIONS_DIR
    vault, _ = Vault.create(vault_dir, PASSPHRASE, "Dr Old Version", kdf=TEST_KDF)
    client = Services(vault).clients.create(ClientFields(name="Kept Across Upgrade"))
    vault.lock()
    assert list_backups(vault.backup_dir) == []

    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", newer_app)
    upgraded = Vault(vault_dir)
    upgraded.unlock_with_passphrase(PASSPHRASE)
    try:
        assert "later_feature" in inspect(upgraded.engine).get_table_names()
        services = Services(upgraded)
        assert services.clients.get(client.id).name == "Kept Across Upgrade"
        assert any(e.action == "migrate" for e in services.recent_audit())
        assert services.verify().sound
        backups = list_backups(upgraded.backup_dir)
        assert len(backups) == 1
    finally:
        upgraded.lock()

    # The automatic backup holds the vault as it was before the upgrade.
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", original)
    restored, _ = Vault.restore(backups[0], vault_dir.parent / "restored", PASSPHRASE)
    try:
        assert "later_feature" not in inspect(restored.engine).get_table_names()
    finally:
        restored.lock()


def test_current_app_refuses_vault_migrated_by_newer_app(
    vault_dir: Path, newer_app: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = migrate.MIGRATIONS_DIR
    vault, _ = Vault.create(vault_dir, PASSPHRASE, "Dr New Version", kdf=TEST_KDF)
    vault.lock()
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", newer_app)
    newer = Vault(vault_dir)
    newer.unlock_with_passphrase(PASSPHRASE)
    newer.lock()
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", original)
    before = (vault_dir / "vault.db").read_bytes()
    from console.errors import VaultTooNewError

    with pytest.raises(VaultTooNewError, match="newer version"):
        Vault(vault_dir).unlock_with_passphrase(PASSPHRASE)
    assert (vault_dir / "vault.db").read_bytes() == before


def test_sessions_made_before_attendance_was_kept_upgrade_sensibly(
    vault_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Migration 0007: past sessions count as done, future ones as planned."""
    import uuid
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import text

    from console.vault.database import make_engine
    from tests import legacy_vault

    older = legacy_vault.migrations_up_to(tmp_path, "0006")
    _, db_key = legacy_vault.build(vault_dir, PASSPHRASE, TEST_KDF, older, clients=("Before 0007",))
    engine = make_engine(vault_dir / "vault.db", db_key)
    with engine.connect() as conn:
        client_hex = conn.execute(text("select id from clients")).scalar_one()
    client_id = uuid.UUID(hex=client_hex) if isinstance(client_hex, str) else client_hex
    now = datetime.now(UTC)
    with engine.begin() as db:
        for days in (-10, 10):
            db.execute(
                text(
                    "insert into sessions (id, client_id, starts_at, duration_min, kind, "
                    "location, title, created_at, updated_at) values "
                    "(:id, :client, :at, 50, 'ifs', 'in_person', '', :now, :now)"
                ),
                {
                    "id": uuid.uuid4().hex,
                    "client": client_id.hex,
                    "at": (now + timedelta(days=days)).replace(tzinfo=None),
                    "now": now.replace(tzinfo=None),
                },
            )
    engine.dispose()
    upgraded = Vault(vault_dir)
    upgraded.unlock_with_passphrase(PASSPHRASE)
    try:
        sessions = Services(upgraded).sessions.list_for_client(client_id)
        assert [s.attendance.value for s in sessions] == ["planned", "done"]
        assert Services(upgraded).verify().sound
    finally:
        upgraded.lock()
