"""B2B opportunities as first-class objects and site qualification

Opportunities get their table: one row per opportunity id the quotes already carry
(`won` when an order came from its quote, else `open`), and a quote's opportunity id
becomes a foreign key to it, no longer unique (an opportunity's quotes are alternatives).
Site qualification keeps no state: it asks the qualification port at validation.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 00:00:00
"""

import sqlalchemy as sa
from alembic import op

import orderhub.db

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

# One opportunity per distinct opportunity id of the quotes (ids were unique per quote,
# but grouping keeps this right whatever the rows). Won when an order came from one of
# its quotes: the first such order and its quote are the winners, its time the close.
_FILL = """
INSERT INTO opportunities (id, partner_id, customer_id, name, description, status,
    lost_reason, won_quote_id, won_order_id, created_at, updated_at, closed_at)
SELECT q.opportunity_id, MIN(q.partner_id), MIN(q.customer_id), MIN(q.name), NULL,
    CASE WHEN MIN(po.id) IS NULL THEN 'open' ELSE 'won' END,
    NULL, MIN(CASE WHEN po.id IS NOT NULL THEN q.id END), MIN(po.id),
    MIN(q.created_at), COALESCE(MIN(po.created_at), MAX(q.updated_at)), MIN(po.created_at)
FROM quotes q LEFT JOIN partner_orders po ON po.quote_id = q.id
GROUP BY q.opportunity_id
"""


def upgrade() -> None:
    op.create_table(
        "opportunities",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("partner_id", sa.String(length=40), nullable=False),
        sa.Column("customer_id", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("description", sa.String(length=1000), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("lost_reason", sa.String(length=1000), nullable=True),
        sa.Column("won_quote_id", sa.String(length=40), nullable=True),
        sa.Column("won_order_id", sa.String(length=40), nullable=True),
        sa.Column("created_at", orderhub.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", orderhub.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("closed_at", orderhub.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["business_customers.id"],
            name=op.f("fk_opportunities_customer_id_business_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["partners.id"], name=op.f("fk_opportunities_partner_id_partners")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_opportunities")),
    )
    with op.batch_alter_table("opportunities") as batch:
        batch.create_index(batch.f("ix_opportunities_customer_id"), ["customer_id"], unique=False)
        batch.create_index(
            "ix_opportunities_partner_created", ["partner_id", "created_at"], unique=False
        )
    op.execute(_FILL)
    with op.batch_alter_table("quotes") as batch:
        batch.drop_constraint("uq_quotes_opportunity_id", type_="unique")
        batch.create_index(batch.f("ix_quotes_opportunity_id"), ["opportunity_id"], unique=False)
        batch.create_foreign_key(
            batch.f("fk_quotes_opportunity_id_opportunities"),
            "opportunities",
            ["opportunity_id"],
            ["id"],
        )


def downgrade() -> None:
    # Back to one opportunity id per quote: fails (unique) where an opportunity has
    # several quotes, which the schema before this revision cannot hold.
    with op.batch_alter_table("quotes") as batch:
        batch.drop_constraint(batch.f("fk_quotes_opportunity_id_opportunities"), type_="foreignkey")
        batch.drop_index(batch.f("ix_quotes_opportunity_id"))
        batch.create_unique_constraint("uq_quotes_opportunity_id", ["opportunity_id"])
    with op.batch_alter_table("opportunities") as batch:
        batch.drop_index("ix_opportunities_partner_created")
        batch.drop_index(batch.f("ix_opportunities_customer_id"))
    op.drop_table("opportunities")
