"""Initial schema: records, audit log, full-text index and immutability triggers.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


# Signed notes and addenda, and every audit event, are refused at the database
# too, so a bug or a hand-edit through SQL cannot change them.
_IMMUTABLE = "SELECT RAISE(ABORT, '{what} is immutable')"
_SQL_OBJECTS = [
    "CREATE VIRTUAL TABLE search_index USING fts5("
    "kind UNINDEXED, record_id UNINDEXED, client_id UNINDEXED, private UNINDEXED, "
    "title, body, tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE TRIGGER notes_signed_no_update BEFORE UPDATE ON notes "
    f"WHEN OLD.status = 'signed' BEGIN {_IMMUTABLE.format(what='a signed note')}; END",
    "CREATE TRIGGER notes_signed_no_delete BEFORE DELETE ON notes "
    f"WHEN OLD.status = 'signed' BEGIN {_IMMUTABLE.format(what='a signed note')}; END",
    "CREATE TRIGGER addenda_signed_no_update BEFORE UPDATE ON addenda "
    f"WHEN OLD.status = 'signed' BEGIN {_IMMUTABLE.format(what='a signed addendum')}; END",
    "CREATE TRIGGER addenda_signed_no_delete BEFORE DELETE ON addenda "
    f"WHEN OLD.status = 'signed' BEGIN {_IMMUTABLE.format(what='a signed addendum')}; END",
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_events "
    f"BEGIN {_IMMUTABLE.format(what='the audit log')}; END",
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_events "
    f"BEGIN {_IMMUTABLE.format(what='the audit log')}; END",
]
_SQL_OBJECT_NAMES = [
    "DROP TRIGGER audit_no_delete",
    "DROP TRIGGER audit_no_update",
    "DROP TRIGGER addenda_signed_no_delete",
    "DROP TRIGGER addenda_signed_no_update",
    "DROP TRIGGER notes_signed_no_delete",
    "DROP TRIGGER notes_signed_no_update",
    "DROP TABLE search_index",
]


def upgrade() -> None:
    op.create_table(
        "audit_events",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("entity_kind", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=False),
        sa.Column("detail", sa.String(length=500), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_events")),
        sa.UniqueConstraint("id", name=op.f("uq_audit_events_id")),
    )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_events_action"), ["action"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_events_entity_id"), ["entity_id"], unique=False)

    op.create_table(
        "clients",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("preferred_name", sa.String(length=200), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=True),
        sa.Column("phone", sa.String(length=50), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("emergency_contact_name", sa.String(length=200), nullable=False),
        sa.Column("emergency_contact_phone", sa.String(length=50), nullable=False),
        sa.Column("presenting_concerns", sa.Text(), nullable=False),
        sa.Column("diagnoses", sa.Text(), nullable=False),
        sa.Column("icd10_code", sa.String(length=10), nullable=False),
        sa.Column("anxiety_cognitive", sa.Boolean(), nullable=False),
        sa.Column("anxiety_somatic", sa.Boolean(), nullable=False),
        sa.Column("anxiety_behavioural", sa.Boolean(), nullable=False),
        sa.Column("treatment_history", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "active",
                "archived",
                name="clientstatus",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clients")),
    )
    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_clients_status"), ["status"], unique=False)

    op.create_table(
        "clinicians",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("credentials", sa.String(length=200), nullable=False),
        sa.Column("licence_number", sa.String(length=100), nullable=False),
        sa.Column("clinic_name", sa.String(length=200), nullable=False),
        sa.Column("clinic_address", sa.Text(), nullable=False),
        sa.Column("clinic_phone", sa.String(length=50), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clinicians")),
    )
    op.create_table(
        "programs",
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "intensive",
                "weekly",
                "other",
                name="programkind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_programs_client_id_clients")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programs")),
    )
    with op.batch_alter_table("programs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_programs_client_id"), ["client_id"], unique=False)

    op.create_table(
        "goals",
        sa.Column("program_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("achieved", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["program_id"], ["programs.id"], name=op.f("fk_goals_program_id_programs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goals")),
    )
    with op.batch_alter_table("goals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_goals_program_id"), ["program_id"], unique=False)

    op.create_table(
        "sessions",
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column("program_id", sa.Uuid(), nullable=True),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("duration_min", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "intake",
                "preparation",
                "medicine",
                "integration",
                "emdr",
                "art",
                "ifs",
                "maintenance",
                "other",
                name="sessionkind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "location",
            sa.Enum(
                "in_person",
                "telehealth",
                name="sessionlocation",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_sessions_client_id_clients")
        ),
        sa.ForeignKeyConstraint(
            ["program_id"], ["programs.id"], name=op.f("fk_sessions_program_id_programs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sessions")),
    )
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sessions_client_id"), ["client_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_sessions_program_id"), ["program_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_sessions_starts_at"), ["starts_at"], unique=False)

    op.create_table(
        "notes",
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column(
            "template",
            sa.Enum(
                "soap",
                "dap",
                "birp",
                "progress",
                "intake",
                "psychotherapy",
                name="notetemplate",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("sections", sa.JSON(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "signed",
                name="notestatus",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("signed_at", sa.DateTime(), nullable=True),
        sa.Column("signer_id", sa.Uuid(), nullable=True),
        sa.Column("signer_name", sa.String(length=200), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"], ["sessions.id"], name=op.f("fk_notes_session_id_sessions")
        ),
        sa.ForeignKeyConstraint(
            ["signer_id"], ["clinicians.id"], name=op.f("fk_notes_signer_id_clinicians")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notes")),
    )
    with op.batch_alter_table("notes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notes_session_id"), ["session_id"], unique=False)

    op.create_table(
        "addenda",
        sa.Column("note_id", sa.Uuid(), nullable=False),
        sa.Column("author_id", sa.Uuid(), nullable=False),
        sa.Column("author_name", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "signed",
                name="notestatus",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("signed_at", sa.DateTime(), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["clinicians.id"], name=op.f("fk_addenda_author_id_clinicians")
        ),
        sa.ForeignKeyConstraint(["note_id"], ["notes.id"], name=op.f("fk_addenda_note_id_notes")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_addenda")),
    )
    with op.batch_alter_table("addenda", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_addenda_note_id"), ["note_id"], unique=False)

    op.create_table(
        "note_goals",
        sa.Column("note_id", sa.Uuid(), nullable=False),
        sa.Column("goal_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["goal_id"], ["goals.id"], name=op.f("fk_note_goals_goal_id_goals")
        ),
        sa.ForeignKeyConstraint(
            ["note_id"], ["notes.id"], name=op.f("fk_note_goals_note_id_notes")
        ),
        sa.PrimaryKeyConstraint("note_id", "goal_id", name=op.f("pk_note_goals")),
    )

    for statement in _SQL_OBJECTS:
        op.execute(statement)


def downgrade() -> None:
    for name in _SQL_OBJECT_NAMES:
        op.execute(name)
    op.drop_table("note_goals")
    with op.batch_alter_table("addenda", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_addenda_note_id"))

    op.drop_table("addenda")
    with op.batch_alter_table("notes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notes_session_id"))

    op.drop_table("notes")
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sessions_starts_at"))
        batch_op.drop_index(batch_op.f("ix_sessions_program_id"))
        batch_op.drop_index(batch_op.f("ix_sessions_client_id"))

    op.drop_table("sessions")
    with op.batch_alter_table("goals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_goals_program_id"))

    op.drop_table("goals")
    with op.batch_alter_table("programs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_programs_client_id"))

    op.drop_table("programs")
    op.drop_table("clinicians")
    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_clients_status"))

    op.drop_table("clients")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_events_entity_id"))
        batch_op.drop_index(batch_op.f("ix_audit_events_action"))

    op.drop_table("audit_events")
