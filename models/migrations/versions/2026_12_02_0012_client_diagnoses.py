"""A client has several diagnoses, each an ICD-10 code with a label, one of them primary.

The one code and the free-text diagnoses a client had before become that
client's primary diagnosis; free text with no code becomes a diagnosis with
a label and no code. Line breaks in the old text become "; ", as a label is
one line. The two old columns go.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

clients = sa.table(
    "clients",
    sa.column("id", sa.Uuid()),
    sa.column("diagnoses", sa.Text()),
    sa.column("icd10_code", sa.String(10)),
)
client_diagnoses = sa.table(
    "client_diagnoses",
    sa.column("id", sa.Uuid()),
    sa.column("client_id", sa.Uuid()),
    sa.column("position", sa.Integer()),
    sa.column("code", sa.String(10)),
    sa.column("label", sa.Text()),
    sa.column("is_primary", sa.Boolean()),
    sa.column("created_at", sa.DateTime()),
    sa.column("updated_at", sa.DateTime()),
)


def _one_line(text: str) -> str:
    return "; ".join(" ".join(line.split()) for line in text.splitlines() if line.strip())


def upgrade() -> None:
    op.create_table(
        "client_diagnoses",
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=10), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("is_primary", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "code <> '' OR label <> ''", name=op.f("ck_client_diagnoses_code_or_label")
        ),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_client_diagnoses_client_id_clients")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_client_diagnoses")),
    )
    with op.batch_alter_table("client_diagnoses", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_client_diagnoses_client_id"), ["client_id"], unique=False
        )

    now = datetime.now(UTC).replace(tzinfo=None)
    rows = []
    for client_id, text, code in op.get_bind().execute(
        sa.select(clients.c.id, clients.c.diagnoses, clients.c.icd10_code)
    ):
        code, label = (code or "").strip().upper(), _one_line(text or "")
        if code or label:
            rows.append(
                {
                    "id": uuid.uuid4(),
                    "client_id": client_id,
                    "position": 0,
                    "code": code,
                    "label": label,
                    "is_primary": True,
                    "created_at": now,
                    "updated_at": now,
                }
            )
    if rows:
        op.bulk_insert(client_diagnoses, rows)

    # Dropped in place (SQLite's own DROP COLUMN), not by copying the table: clients is
    # the parent of most tables, and the vault enforces foreign keys inside the migration.
    with op.batch_alter_table("clients", recreate="never") as batch_op:
        batch_op.drop_column("icd10_code")
        batch_op.drop_column("diagnoses")


def downgrade() -> None:
    with op.batch_alter_table("clients") as batch_op:
        batch_op.add_column(sa.Column("diagnoses", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(
            sa.Column("icd10_code", sa.String(length=10), server_default="", nullable=False)
        )
    bind = op.get_bind()
    found: dict[uuid.UUID, list[tuple[str, str, bool]]] = {}
    query = sa.select(
        client_diagnoses.c.client_id,
        client_diagnoses.c.code,
        client_diagnoses.c.label,
        client_diagnoses.c.is_primary,
    ).order_by(client_diagnoses.c.client_id, client_diagnoses.c.position)
    for client_id, code, label, primary in bind.execute(query):
        found.setdefault(client_id, []).append((code, label, primary))
    for client_id, diagnoses in found.items():
        primary = next((d for d in diagnoses if d[2]), diagnoses[0])
        text = "; ".join(
            f"{label} ({code})" if label and code else label or code for code, label, _ in diagnoses
        )
        bind.execute(
            clients.update()
            .where(clients.c.id == client_id)
            .values(icd10_code=primary[0], diagnoses=text)
        )
    with op.batch_alter_table("client_diagnoses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_client_diagnoses_client_id"))
    op.drop_table("client_diagnoses")
