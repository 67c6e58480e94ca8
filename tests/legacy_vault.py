"""A vault as the previous release wrote it: vault.json format 1, an unkeyed SHA-256
audit chain, no vault identity and no signature seals, at a chosen schema.

It is built from the low-level parts the old release used (Argon2id slots,
SQLCipher, Alembic, the chain's SHA-256 form), so the upgrade path is tested
on the files an existing clinic really has.
"""

from __future__ import annotations

import json
import shutil
import uuid
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session as DbSession

from console.services import audit
from console.vault import migrate
from console.vault.database import make_engine
from console.vault.keyslots import (
    DATABASE,
    PASSPHRASE,
    RECOVERY,
    KdfParams,
    new_key,
    new_recovery_code,
    wrap_with_key,
    wrap_with_secret,
)
from models import AuditEvent, Clinician
from models.base import utcnow


def migrations_up_to(tmp: Path, last: str) -> Path:
    """A copy of the migration scripts that stops at revision `last` (e.g. "0006")."""
    scripts = tmp / f"migrations-{last}"
    shutil.copytree(migrate.MIGRATIONS_DIR, scripts)
    for path in (scripts / "versions").glob("*_*.py"):
        parts = path.stem.split("_")
        number = parts[3] if len(parts) > 3 else ""
        if number.isdigit() and number > last:
            path.unlink()
    return scripts


def _old_client(db: DbSession, name: str) -> sa.Insert:
    """A client row as the schema of that release has it (today's model may have other columns)."""
    table = sa.Table("clients", sa.MetaData(), autoload_with=db.connection())
    now = utcnow().replace(tzinfo=None)
    values: dict[str, object] = {
        "id": uuid.uuid4().hex,
        "name": name,
        "status": "active",
        "created_at": now,
        "updated_at": now,
    }
    for column in table.columns:
        if not column.nullable and column.name not in values:
            values[column.name] = False if isinstance(column.type, sa.Boolean) else ""
    return table.insert().values(values)


def build(
    directory: Path,
    passphrase: str,
    kdf: KdfParams,
    migrations: Path | None = None,
    clients: tuple[str, ...] = (),
) -> tuple[str, bytes]:
    """Write a format-1 vault; returns its id and database key."""
    directory.mkdir(parents=True)
    vault_id = str(uuid.uuid4())
    vault_key, db_key = new_key(), new_key()
    fresh = lambda: KdfParams(kdf.memory_kib, kdf.iterations, kdf.lanes)  # noqa: E731
    header = {
        "format": 1,
        "app": "session-console",
        "vault_id": vault_id,
        "created_at": datetime.now(UTC).isoformat(),
        "slots": [
            wrap_with_secret(vault_key, passphrase, vault_id, PASSPHRASE, fresh()).to_json(),
            wrap_with_secret(vault_key, new_recovery_code(), vault_id, RECOVERY, fresh()).to_json(),
        ],
        "db_key": wrap_with_key(db_key, vault_key, vault_id, DATABASE).to_json(),
        "pending_db_key": None,
    }
    original = migrate.MIGRATIONS_DIR
    engine = make_engine(directory / "vault.db", db_key)
    try:
        migrate.MIGRATIONS_DIR = migrations or original
        migrate.upgrade(engine)
        with DbSession(engine) as db, db.begin():
            clinician = Clinician(name="Dr Legacy")
            db.add(clinician)
            for name in clients:
                db.execute(_old_client(db, name))
            db.flush()
            prev = audit.GENESIS
            for seq, (action, kind, entity) in enumerate(
                [("create", "vault", vault_id), ("create", "clinician", str(clinician.id))], 1
            ):
                event_id, at = uuid.uuid4(), utcnow()
                digest = audit._hash(
                    None, seq, event_id, at, clinician.name, action, kind, entity, "", prev
                )
                db.add(
                    AuditEvent(
                        seq=seq,
                        id=event_id,
                        at=at,
                        actor=clinician.name,
                        action=action,
                        entity_kind=kind,
                        entity_id=entity,
                        detail="",
                        prev_hash=prev,
                        hash=digest,
                    )
                )
                prev = digest
    finally:
        migrate.MIGRATIONS_DIR = original
        engine.dispose()
    (directory / "vault.json").write_text(json.dumps(header, indent=2), encoding="utf-8")
    return vault_id, db_key
