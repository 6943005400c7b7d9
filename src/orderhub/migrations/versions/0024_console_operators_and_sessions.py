"""Operator users and console sessions (the operations console, docs/console.md)

Users have argon2 password hashes and a role; a session row holds only the SHA-256 of
its cookie's token.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-07 14:00:49.170935
"""

import sqlalchemy as sa
from alembic import op

import orderhub.db

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "operator_users",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("created_at", orderhub.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", orderhub.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("disabled_at", orderhub.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("sandbox", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operator_users")),
        sa.UniqueConstraint("username", name=op.f("uq_operator_users_username")),
    )
    op.create_table(
        "console_sessions",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=40), nullable=False),
        sa.Column("created_at", orderhub.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", orderhub.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("idle_until", orderhub.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", orderhub.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["operator_users.id"],
            name=op.f("fk_console_sessions_user_id_operator_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_console_sessions")),
    )
    with op.batch_alter_table("console_sessions", schema=None) as batch_op:
        batch_op.create_index("ix_console_sessions_user", ["user_id"], unique=False)
    with op.batch_alter_table("webhook_deliveries") as batch_op:
        batch_op.add_column(sa.Column("redelivered_by", sa.String(length=100), nullable=True))
        batch_op.add_column(
            sa.Column("redelivered_at", orderhub.db.UTCDateTime(timezone=True), nullable=True)
        )
    # An order's outbox events, on its console page.
    op.create_index("ix_outbox_events_subject", "outbox_events", ["subject", "seq"])


def downgrade() -> None:
    with op.batch_alter_table("webhook_deliveries") as batch_op:
        batch_op.drop_column("redelivered_at")
        batch_op.drop_column("redelivered_by")
    op.drop_index("ix_outbox_events_subject", "outbox_events")
    with op.batch_alter_table("console_sessions", schema=None) as batch_op:
        batch_op.drop_index("ix_console_sessions_user")

    op.drop_table("console_sessions")
    op.drop_table("operator_users")
