"""b2b orders: business credit decisions, contracts, partner orders and sub-orders,
their history, and the quote's credit decision and lock

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 16:24:54.016112
"""

import sqlalchemy as sa
from alembic import op

import orderhub.db

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "business_credit_decisions",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("partner_id", sa.String(length=40), nullable=False),
        sa.Column("customer_id", sa.String(length=40), nullable=False),
        sa.Column("quote_id", sa.String(length=40), nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=False),
        sa.Column("deposit_required", sa.Boolean(), nullable=False),
        sa.Column("deposit_cents", sa.Integer(), nullable=False),
        sa.Column("bureau_reference", sa.String(length=40), nullable=False),
        sa.Column("created_at", orderhub.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", orderhub.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["business_customers.id"],
            name=op.f("fk_business_credit_decisions_customer_id_business_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"],
            ["partners.id"],
            name=op.f("fk_business_credit_decisions_partner_id_partners"),
        ),
        sa.ForeignKeyConstraint(
            ["quote_id"], ["quotes.id"], name=op.f("fk_business_credit_decisions_quote_id_quotes")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_business_credit_decisions")),
    )
    with op.batch_alter_table("business_credit_decisions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_business_credit_decisions_partner_customer",
            ["partner_id", "customer_id"],
            unique=False,
        )

    op.create_table(
        "contracts",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("partner_id", sa.String(length=40), nullable=False),
        sa.Column("quote_id", sa.String(length=40), nullable=False),
        sa.Column("customer_id", sa.String(length=40), nullable=False),
        sa.Column("credit_decision_id", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("customer_details", sa.JSON(), nullable=False),
        sa.Column("contact", sa.JSON(), nullable=False),
        sa.Column("effective_date", sa.Date(), nullable=False),
        sa.Column("term_months", sa.Integer(), nullable=False),
        sa.Column("monthly_cents", sa.Integer(), nullable=False),
        sa.Column("one_time_cents", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("quote_version", orderhub.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("signed_by", sa.JSON(), nullable=True),
        sa.Column("created_at", orderhub.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("signed_at", orderhub.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["credit_decision_id"],
            ["business_credit_decisions.id"],
            name=op.f("fk_contracts_credit_decision_id_business_credit_decisions"),
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["business_customers.id"],
            name=op.f("fk_contracts_customer_id_business_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["partners.id"], name=op.f("fk_contracts_partner_id_partners")
        ),
        sa.ForeignKeyConstraint(
            ["quote_id"], ["quotes.id"], name=op.f("fk_contracts_quote_id_quotes")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contracts")),
        sa.UniqueConstraint("quote_id", name=op.f("uq_contracts_quote_id")),
    )
    op.create_table(
        "partner_orders",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("partner_id", sa.String(length=40), nullable=False),
        sa.Column("customer_id", sa.String(length=40), nullable=False),
        sa.Column("quote_id", sa.String(length=40), nullable=False),
        sa.Column("contract_id", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("customer_defined_group", sa.String(length=100), nullable=True),
        sa.Column("installation", sa.JSON(), nullable=True),
        sa.Column("shipping", sa.JSON(), nullable=True),
        sa.Column("billing_configuration", sa.JSON(), nullable=True),
        sa.Column("acknowledgement_id", sa.String(length=40), nullable=True),
        sa.Column("provisioning_reference", sa.String(length=60), nullable=True),
        sa.Column("provisioning_due_at", orderhub.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("monthly_cents", sa.Integer(), nullable=False),
        sa.Column("one_time_cents", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("created_at", orderhub.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", orderhub.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", orderhub.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["contract_id"], ["contracts.id"], name=op.f("fk_partner_orders_contract_id_contracts")
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["business_customers.id"],
            name=op.f("fk_partner_orders_customer_id_business_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["partners.id"], name=op.f("fk_partner_orders_partner_id_partners")
        ),
        sa.ForeignKeyConstraint(
            ["quote_id"], ["quotes.id"], name=op.f("fk_partner_orders_quote_id_quotes")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partner_orders")),
        sa.UniqueConstraint("quote_id", name=op.f("uq_partner_orders_quote_id")),
    )
    with op.batch_alter_table("partner_orders", schema=None) as batch_op:
        batch_op.create_index(
            "ix_partner_orders_partner_cdg", ["partner_id", "customer_defined_group"], unique=False
        )
        batch_op.create_index(
            "ix_partner_orders_partner_created", ["partner_id", "created_at"], unique=False
        )
        batch_op.create_index(
            "ix_partner_orders_partner_status", ["partner_id", "status"], unique=False
        )
        batch_op.create_index(
            "ix_partner_orders_provisioning_due", ["provisioning_due_at"], unique=False
        )

    op.create_table(
        "partner_order_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("order_id", sa.String(length=40), nullable=False),
        sa.Column("sub_order_id", sa.String(length=40), nullable=True),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("from_status", sa.String(length=30), nullable=True),
        sa.Column("to_status", sa.String(length=30), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("actor", sa.String(length=80), nullable=False),
        sa.Column("created_at", orderhub.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["partner_orders.id"],
            name=op.f("fk_partner_order_events_order_id_partner_orders"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partner_order_events")),
    )
    with op.batch_alter_table("partner_order_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_partner_order_events_order_id"), ["order_id"], unique=False
        )

    op.create_table(
        "partner_sub_orders",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("order_id", sa.String(length=40), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("quote_item_id", sa.String(length=40), nullable=False),
        sa.Column("site_name", sa.String(length=200), nullable=True),
        sa.Column("site_address", sa.JSON(), nullable=False),
        sa.Column("product_id", sa.String(length=40), nullable=False),
        sa.Column("product_name", sa.String(length=200), nullable=False),
        sa.Column("configuration", sa.JSON(), nullable=False),
        sa.Column("monthly_cents", sa.Integer(), nullable=False),
        sa.Column("one_time_cents", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("installation", sa.JSON(), nullable=True),
        sa.Column("shipping", sa.JSON(), nullable=True),
        sa.Column("billing_configuration", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["partner_orders.id"],
            name=op.f("fk_partner_sub_orders_order_id_partner_orders"),
        ),
        sa.ForeignKeyConstraint(
            ["quote_item_id"],
            ["quote_items.id"],
            name=op.f("fk_partner_sub_orders_quote_item_id_quote_items"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partner_sub_orders")),
    )
    with op.batch_alter_table("partner_sub_orders", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_partner_sub_orders_order_id"), ["order_id"], unique=False
        )

    with op.batch_alter_table("quotes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("credit_decision_id", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("locked_by_contract_id", sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("quotes", schema=None) as batch_op:
        batch_op.drop_column("locked_by_contract_id")
        batch_op.drop_column("credit_decision_id")

    with op.batch_alter_table("partner_sub_orders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_partner_sub_orders_order_id"))

    op.drop_table("partner_sub_orders")
    with op.batch_alter_table("partner_order_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_partner_order_events_order_id"))

    op.drop_table("partner_order_events")
    with op.batch_alter_table("partner_orders", schema=None) as batch_op:
        batch_op.drop_index("ix_partner_orders_provisioning_due")
        batch_op.drop_index("ix_partner_orders_partner_status")
        batch_op.drop_index("ix_partner_orders_partner_created")
        batch_op.drop_index("ix_partner_orders_partner_cdg")

    op.drop_table("partner_orders")
    op.drop_table("contracts")
    with op.batch_alter_table("business_credit_decisions", schema=None) as batch_op:
        batch_op.drop_index("ix_business_credit_decisions_partner_customer")

    op.drop_table("business_credit_decisions")
