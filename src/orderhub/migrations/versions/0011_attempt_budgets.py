"""attempt budgets: failed sign-in attempts claimed before each check, for every credential

Replaces the per-table counters of consumer passwords and portal accounts.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 23:40:00
"""

import sqlalchemy as sa
from alembic import op

import orderhub.db

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "attempt_budgets",
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        sa.Column("locks", sa.Integer(), nullable=False),
        sa.Column("locked_until", orderhub.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("updated_at", orderhub.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_attempt_budgets")),
    )
    op.create_index("ix_attempt_budgets_updated_at", "attempt_budgets", ["updated_at"])
    with op.batch_alter_table("onboarding_accounts", schema=None) as batch_op:
        batch_op.drop_column("locked_until")
        batch_op.drop_column("failed_attempts")
    with op.batch_alter_table("password_credentials", schema=None) as batch_op:
        batch_op.drop_column("locked_until")
        batch_op.drop_column("failed_attempts")


def downgrade() -> None:
    with op.batch_alter_table("password_credentials", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("failed_attempts", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column("locked_until", orderhub.db.UTCDateTime(timezone=True), nullable=True)
        )
    with op.batch_alter_table("onboarding_accounts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("failed_attempts", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column("locked_until", orderhub.db.UTCDateTime(timezone=True), nullable=True)
        )
    op.drop_index("ix_attempt_budgets_updated_at", table_name="attempt_budgets")
    op.drop_table("attempt_budgets")
