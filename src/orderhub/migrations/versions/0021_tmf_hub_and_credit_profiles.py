"""TM Forum product ordering: hub listeners, credit on file, order details, cancellations

A TMF `hub` registration is a webhook subscription that speaks TMF (`api`: which TMF API
it was registered on, `query`: its filter as sent, `base_url`: the address the events'
`href`s are built from). A customer's credit on file is the latest credit decision about
them, which a TMF622 order is checked against; the credit application a TMF622 order
copies from it has no SSN or date of birth, so those columns may be null. A TMF622
order's own attributes (description, priority, notes...) and its cancellation requests
(`cancelProductOrder`) get tables of their own (docs/tmf.md).

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
    with op.batch_alter_table("credit_applications") as batch:
        for column, length in (("ssn_last4", 4), ("ssn_hash", 64), ("dob_hash", 64)):
            batch.alter_column(column, existing_type=sa.String(length=length), nullable=True)
    op.create_table(
        "tmf_order_details",
        sa.Column("order_id", sa.String(length=40), nullable=False),
        sa.Column("description", sa.String(length=1000), nullable=True),
        sa.Column("category", sa.String(length=100), nullable=True),
        sa.Column("priority", sa.String(length=10), nullable=True),
        sa.Column("notification_contact", sa.String(length=200), nullable=True),
        sa.Column("requested_start_date", orderhub.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column(
            "requested_completion_date", orderhub.db.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column("notes", sa.JSON(), nullable=False),
        sa.Column("updated_at", orderhub.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_tmf_order_details_order_id_orders")
        ),
        sa.PrimaryKeyConstraint("order_id", name=op.f("pk_tmf_order_details")),
    )
    op.create_table(
        "cancel_product_orders",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("order_id", sa.String(length=40), nullable=False),
        sa.Column("owner", sa.String(length=80), nullable=False),
        sa.Column("state", sa.String(length=30), nullable=False),
        sa.Column("cancellation_reason", sa.String(length=1000), nullable=True),
        sa.Column(
            "requested_cancellation_date", orderhub.db.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column(
            "effective_cancellation_date", orderhub.db.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column("rejection_reason", sa.String(length=500), nullable=True),
        sa.Column("created_at", orderhub.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_cancel_product_orders_order_id_orders")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cancel_product_orders")),
    )
    op.create_index(
        "ix_cancel_product_orders_owner_created", "cancel_product_orders", ["owner", "created_at"]
    )
    op.create_index("ix_cancel_product_orders_created_at", "cancel_product_orders", ["created_at"])
    op.create_index("ix_cancel_product_orders_order_id", "cancel_product_orders", ["order_id"])


def downgrade() -> None:
    op.drop_table("cancel_product_orders")
    op.drop_table("tmf_order_details")
    with op.batch_alter_table("credit_applications") as batch:
        for column, length in (("ssn_last4", 4), ("ssn_hash", 64), ("dob_hash", 64)):
            batch.alter_column(column, existing_type=sa.String(length=length), nullable=False)
    op.drop_table("customer_credit_profiles")
    with op.batch_alter_table("webhook_subscriptions") as batch:
        batch.drop_column("base_url")
        batch.drop_column("query")
        batch.drop_column("api")
