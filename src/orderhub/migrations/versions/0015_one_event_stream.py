"""one event stream: `outbox_events.txid` and the dispatcher's cursor `outbox_cursors`

Every owner's events are read in one order, `(txid, seq)` (webhooks/stream.py). On
PostgreSQL `txid` defaults to the writing transaction's id (`pg_current_xact_id()`),
so a reader can hold back the events of transactions that may still commit; on SQLite,
whose writers commit one after the other in `seq` order, it stays 0. Events written
before this revision read 0 too: they were all committed long ago.

Deliveries are now made from the stream by the dispatcher, which keeps its place in
`outbox_cursors` (row `deliveries`). It starts after the last event written before this
revision: those events had their deliveries queued when they were published.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-10 00:00:00
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import orderhub.db

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

TRANSACTION_ID = "(pg_current_xact_id()::text)::bigint"


def upgrade() -> None:
    # A constant default first: existing rows read 0 without the table being rewritten.
    op.add_column(
        "outbox_events",
        sa.Column("txid", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column("outbox_events", "txid", server_default=sa.text(TRANSACTION_ID))
    op.create_index("ix_outbox_events_txid_seq", "outbox_events", ["txid", "seq"])
    cursors = op.create_table(
        "outbox_cursors",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("txid", sa.BigInteger(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("updated_at", orderhub.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_outbox_cursors")),
    )
    last = op.get_bind().execute(sa.text("SELECT coalesce(max(seq), 0) FROM outbox_events"))
    op.bulk_insert(
        cursors,
        [
            {
                "name": "deliveries",
                "txid": 0,
                "seq": last.scalar_one(),
                "updated_at": datetime.now(UTC),
            }
        ],
    )


def downgrade() -> None:
    op.drop_table("outbox_cursors")
    op.drop_index("ix_outbox_events_txid_seq", table_name="outbox_events")
    with op.batch_alter_table("outbox_events") as batch:
        batch.drop_column("txid")
