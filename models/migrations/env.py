"""Alembic environment: always given an open connection by console.vault.migrate."""

from __future__ import annotations

from alembic import context

from models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("migrations run only through console.vault.migrate (an unlocked vault)")


def include_name(name: str | None, type_: str, _parent: object) -> bool:
    """The FTS5 index and its shadow tables are made by hand-written migrations."""
    return not (type_ == "table" and name is not None and name.startswith("search_index"))


context.configure(
    connection=connection,
    include_name=include_name,
    target_metadata=Base.metadata,
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
