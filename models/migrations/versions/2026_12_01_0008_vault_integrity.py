"""Vault identity and signature seals: the database names its vault; signatures are keyed.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_REFUSE = "SELECT RAISE(ABORT, '{what} is immutable')"
TRIGGERS = {
    "vault_identity_no_update": ("UPDATE", "vault_identity", "the vault identity"),
    "vault_identity_no_delete": ("DELETE", "vault_identity", "the vault identity"),
    "signature_seals_no_update": ("UPDATE", "signature_seals", "a signature seal"),
    "signature_seals_no_delete": ("DELETE", "signature_seals", "a signature seal"),
}


def upgrade() -> None:
    op.create_table(
        "vault_identity",
        sa.Column("vault_id", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("vault_id", name=op.f("pk_vault_identity")),
    )
    op.create_table(
        "signature_seals",
        sa.Column("record_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("seal", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("record_id", name=op.f("pk_signature_seals")),
    )
    for name, (event, table, what) in TRIGGERS.items():
        op.execute(
            f"CREATE TRIGGER {name} BEFORE {event} ON {table} "
            f"BEGIN {_REFUSE.format(what=what)}; END"
        )


def downgrade() -> None:
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER {name}")
    op.drop_table("signature_seals")
    op.drop_table("vault_identity")
