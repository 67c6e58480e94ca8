"""Schema migrations with Alembic, run on unlock on the vault's own connection."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

import models
from console.errors import VaultTooNewError

MIGRATIONS_DIR = Path(models.__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option(
        "file_template", "%%(year)d_%%(month).2d_%%(day).2d_%%(hour).2d%%(minute).2d_%%(slug)s"
    )
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        heads = MigrationContext.configure(conn).get_current_heads()
    if len(heads) > 1:
        raise VaultTooNewError(
            "this vault's records carry a schema this version of Session Console does not "
            "know; update the app to open it"
        )
    return heads[0] if heads else None


def needs_upgrade(engine: Engine) -> bool:
    """True when the schema is behind; refuses a vault from a newer app."""
    current = current_revision(engine)
    if current is None:
        return True
    script = ScriptDirectory.from_config(alembic_config())
    try:
        script.get_revision(current)
    except Exception as exc:  # alembic raises several kinds for an unknown id
        raise VaultTooNewError(
            "this vault's records were written by a newer version of Session Console; "
            "update the app to open it"
        ) from exc
    return current != head_revision()


def upgrade(engine: Engine) -> None:
    """Every pending migration as one transaction, begun by hand: the sqlite3 module opens
    none before a CREATE or ALTER, so a process killed half-way used to leave a half-changed
    schema (a new table, the old revision) that the next start could not upgrade."""
    cfg = alembic_config()
    with engine.connect() as conn:
        conn.exec_driver_sql("BEGIN IMMEDIATE")
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
        conn.commit()
