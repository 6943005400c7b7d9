"""TM Forum hub listeners and customers' credit on file

A TMF `hub` registration is a webhook subscription that speaks TMF (`api`: which TMF API
it was registered on, `query`: its filter as sent, `base_url`: the address the events'
`href`s are built from). A customer's credit on file is the latest credit decision about
them, which a TMF622 order is checked against (docs/tmf.md).

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07 00:00:00
"""

import sqlalchemy as sa
from alembic import op

import orderhub.db

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("webhook_subscriptions") as batch:
        batch.add_column(sa.Column("api", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("query", sa.String(length=1000), nullable=True))
        batch.add_column(sa.Column("base_url", sa.String(length=500), nullable=True))
    op.create_table(
        "customer_credit_profiles",
        sa.Column("customer_id", sa.String(length=40), nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("bureau_reference", sa.String(length=40), nullable=False),
        sa.Column("decided_at", orderhub.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_customer_credit_profiles_customer_id_customers"),
        ),
        sa.PrimaryKeyConstraint("customer_id", name=op.f("pk_customer_credit_profiles")),
    )


def downgrade() -> None:
    op.drop_table("customer_credit_profiles")
    with op.batch_alter_table("webhook_subscriptions") as batch:
        batch.drop_column("base_url")
        batch.drop_column("query")
        batch.drop_column("api")
