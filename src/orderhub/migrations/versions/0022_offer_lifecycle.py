"""Consumer offers' TMF lifecycle status

An offer managed through TMF620 (docs/tmf.md) has a lifecycle status: "In design",
"In test", "Launched", "Retired", "Obsolete". Only a launched offer is sold, and `active`
stays in step with it (active = launched), so every channel keeps filtering by `active`.
Existing offers are "Launched" when active, else "Retired".

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07 00:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

_FILL = "UPDATE offers SET lifecycle_status = CASE WHEN active THEN 'Launched' ELSE 'Retired' END"


def upgrade() -> None:
    with op.batch_alter_table("offers") as batch:
        batch.add_column(sa.Column("lifecycle_status", sa.String(length=20), nullable=True))
    op.execute(_FILL)
    with op.batch_alter_table("offers") as batch:
        batch.alter_column("lifecycle_status", existing_type=sa.String(length=20), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("offers") as batch:
        batch.drop_column("lifecycle_status")
