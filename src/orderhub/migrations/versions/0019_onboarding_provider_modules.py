"""onboarding per-provider identifier realms, terms module and order payments

Per provider (partner): the terms module, whether submit needs a payment, and its
identifier realms (`onboarding_provider_settings`). Payments may be tied to an order and
are charged outside the request's transaction (a pending row with the key the port is
called with). The phone SQ check type takes the seed's name, `GeneralPhone`.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 00:00:00
"""

import sqlalchemy as sa
from alembic import op

import orderhub.db

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "onboarding_provider_settings",
        sa.Column("partner_id", sa.String(length=40), nullable=False),
        sa.Column("terms_module", sa.Boolean(), nullable=False),
        sa.Column("payment_required", sa.Boolean(), nullable=False),
        sa.Column("identifier_realms", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("updated_at", orderhub.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["partner_id"],
            ["partners.id"],
            name=op.f("fk_onboarding_provider_settings_partner_id_partners"),
        ),
        sa.PrimaryKeyConstraint("partner_id", name=op.f("pk_onboarding_provider_settings")),
    )
    with op.batch_alter_table("onboarding_payments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("order_id", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("port_key", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("request_key", sa.String(length=400), nullable=True))
        batch_op.add_column(sa.Column("request_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(
            sa.Column("settled_at", orderhub.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.alter_column("reference", existing_type=sa.String(length=40), nullable=True)
        batch_op.create_foreign_key(
            batch_op.f("fk_onboarding_payments_order_id_onboarding_orders"),
            "onboarding_orders",
            ["order_id"],
            ["id"],
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_onboarding_payments_port_key"), ["port_key"]
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_onboarding_payments_request_key"), ["request_key"]
        )
        batch_op.create_index(
            "ix_onboarding_payments_order_created", ["order_id", "created_at"], unique=False
        )
        batch_op.create_index(
            "ix_onboarding_payments_status_created", ["status", "created_at"], unique=False
        )
    # The seed's name of the phone check (`phone` stays an alias on input).
    op.execute(
        "UPDATE onboarding_service_types SET check_type = 'GeneralPhone' WHERE check_type = 'phone'"
    )
    op.execute("UPDATE onboarding_sq_results SET kind = 'GeneralPhone' WHERE kind = 'phone'")


def downgrade() -> None:
    op.execute("UPDATE onboarding_sq_results SET kind = 'phone' WHERE kind = 'GeneralPhone'")
    op.execute(
        "UPDATE onboarding_service_types SET check_type = 'phone' WHERE check_type = 'GeneralPhone'"
    )
    # Pending intents have no reference; they cannot be kept by the older schema.
    op.execute("DELETE FROM onboarding_payments WHERE reference IS NULL")
    with op.batch_alter_table("onboarding_payments", schema=None) as batch_op:
        batch_op.drop_index("ix_onboarding_payments_status_created")
        batch_op.drop_index("ix_onboarding_payments_order_created")
        batch_op.drop_constraint(batch_op.f("uq_onboarding_payments_request_key"), type_="unique")
        batch_op.drop_constraint(batch_op.f("uq_onboarding_payments_port_key"), type_="unique")
        batch_op.drop_constraint(
            batch_op.f("fk_onboarding_payments_order_id_onboarding_orders"), type_="foreignkey"
        )
        batch_op.alter_column("reference", existing_type=sa.String(length=40), nullable=False)
        batch_op.drop_column("settled_at")
        batch_op.drop_column("request_hash")
        batch_op.drop_column("request_key")
        batch_op.drop_column("port_key")
        batch_op.drop_column("order_id")
    op.drop_table("onboarding_provider_settings")
