"""the order ledger: every channel's orders in `orders`, their references, one history

* `orders` becomes the ledger: `owner`, `party_kind`/`party_id`, the common `state`,
  `requested_date`, `completed_at`; `customer_id` becomes the consumer channel's
  own (nullable) column. A ledger row is added for every partner, onboarding and care
  order (same id), and their tables point at it.
* `order_references` indexes the external references no table indexes already (a
  consumer order's confirmation number is its own column, a CTN is found where it lives:
  phone_numbers, care_changes).
* `order_events` becomes the one history: partner and onboarding order events move into
  it (with `subject_id`, `from_status`, `to_status`), and their tables are dropped.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 01:00:00
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

import orderhub.db

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

# The channels' statuses and their common state, as of this revision (frozen here: the
# mapping in ledger/states.py may change later, this migration must not).
STATE = {
    "direct": {
        "draft": "pending",
        "submitted": "acknowledged",
        "inFulfillment": "inProgress",
        "completed": "completed",
        "cancelled": "cancelled",
        "rejected": "rejected",
    },
    "partner": {
        "draft": "pending",
        "submitted": "acknowledged",
        "accepted": "inProgress",
        "design": "inProgress",
        "installationScheduled": "inProgress",
        "installed": "inProgress",
        "jeopardy": "held",
        "completed": "completed",
        "rejected": "rejected",
    },
    "onboarding": {
        "started": "pending",
        "qualified": "pending",
        "packageSelected": "pending",
        "submitted": "completed",
    },
    "care": {
        "received": "acknowledged",
        "scheduled": "inProgress",
        "completed": "completed",
        "partiallyCompleted": "partial",
        "failed": "failed",
        "cancelled": "cancelled",
    },
}
FINAL = {"completed", "cancelled", "rejected", "failed", "partial"}
UTC = orderhub.db.UTCDateTime(timezone=True)

orders = sa.table(
    "orders",
    sa.column("id", sa.String),
    sa.column("channel", sa.String),
    sa.column("owner", sa.String),
    sa.column("party_kind", sa.String),
    sa.column("party_id", sa.String),
    sa.column("customer_id", sa.String),
    sa.column("status", sa.String),
    sa.column("state", sa.String),
    sa.column("currency", sa.String),
    sa.column("monthly_cents", sa.Integer),
    sa.column("one_time_cents", sa.Integer),
    sa.column("confirmation_number", sa.String),
    sa.column("requested_date", sa.Date),
    sa.column("created_at", UTC),
    sa.column("updated_at", UTC),
    sa.column("submitted_at", UTC),
    sa.column("completed_at", UTC),
)
references = sa.table(
    "order_references",
    sa.column("order_id", sa.String),
    sa.column("kind", sa.String),
    sa.column("value", sa.String),
)
events = sa.table(
    "order_events",
    sa.column("order_id", sa.String),
    sa.column("type", sa.String),
    sa.column("actor", sa.String),
    sa.column("subject_id", sa.String),
    sa.column("from_status", sa.String),
    sa.column("to_status", sa.String),
    sa.column("data", sa.JSON),
    sa.column("created_at", UTC),
)


def upgrade() -> None:
    with op.batch_alter_table("orders") as batch:
        batch.add_column(sa.Column("owner", sa.String(80), nullable=True))
        batch.add_column(sa.Column("party_kind", sa.String(30), nullable=True))
        batch.add_column(sa.Column("party_id", sa.String(64), nullable=True))
        batch.add_column(sa.Column("state", sa.String(20), nullable=True))
        batch.add_column(sa.Column("requested_date", sa.Date(), nullable=True))
        batch.add_column(sa.Column("completed_at", UTC, nullable=True))
        batch.alter_column("customer_id", existing_type=sa.String(40), nullable=True)
        batch.alter_column("status", existing_type=sa.String(20), type_=sa.String(30))
    op.create_table(
        "order_references",
        sa.Column("order_id", sa.String(40), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("value", sa.String(200), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_order_references_order_id_orders")
        ),
        sa.PrimaryKeyConstraint("order_id", "kind", "value", name=op.f("pk_order_references")),
    )
    op.create_index("ix_order_references_value", "order_references", ["value"])
    with op.batch_alter_table("order_events") as batch:
        batch.add_column(sa.Column("subject_id", sa.String(40), nullable=True))
        batch.add_column(sa.Column("from_status", sa.String(30), nullable=True))
        batch.add_column(sa.Column("to_status", sa.String(30), nullable=True))

    bind = op.get_bind()
    _ledger_rows(bind)
    _histories(bind)

    with op.batch_alter_table("orders") as batch:
        for name, length in (("owner", 80), ("party_kind", 30), ("party_id", 64), ("state", 20)):
            batch.alter_column(name, existing_type=sa.String(length), nullable=False)
        batch.create_index("ix_orders_owner_created", ["owner", "created_at"])
        batch.create_index("ix_orders_party_created", ["party_id", "created_at"])
        batch.create_index("ix_orders_state", ["state"])
        batch.create_index("ix_orders_created_at", ["created_at"])
        batch.create_index("ix_orders_updated_at", ["updated_at"])
    for table in ("partner_orders", "onboarding_orders", "care_orders"):
        with op.batch_alter_table(table) as batch:
            batch.create_foreign_key(f"fk_{table}_id_orders", "orders", ["id"], ["id"])
    op.drop_table("partner_order_events")
    op.drop_table("onboarding_order_events")


def _ledger_rows(bind: Any) -> None:
    """A ledger row for every order of every channel, and its references."""
    # Consumer orders, in bulk (the largest table): their customer is owner and party.
    direct = STATE["direct"]
    bind.execute(
        orders.update().values(
            owner=sa.literal("customer:") + orders.c.customer_id,
            party_kind="customer",
            party_id=orders.c.customer_id,
            state=sa.case(*((orders.c.status == s, state) for s, state in direct.items())),
            completed_at=sa.case(
                (
                    orders.c.status.in_([s for s, state in direct.items() if state in FINAL]),
                    orders.c.updated_at,
                ),
                else_=None,
            ),
        )
    )
    refs: list[dict[str, str]] = []

    partner = sa.text(
        "SELECT o.id, o.partner_id, o.customer_id, o.status, o.currency, o.monthly_cents,"
        " o.one_time_cents, o.acknowledgement_id, o.quote_id, o.contract_id,"
        " o.created_at, o.updated_at, o.submitted_at, q.opportunity_id"
        " FROM partner_orders o JOIN quotes q ON q.id = o.quote_id"
    ).columns(created_at=UTC, updated_at=UTC, submitted_at=UTC)
    for row in bind.execute(partner).mappings():
        found = {
            "quoteId": row["quote_id"],
            "opportunityId": row["opportunity_id"],
            "contractId": row["contract_id"],
            "acknowledgementId": row["acknowledgement_id"],
        }
        _insert(
            bind, row, "partner", row["partner_id"], "business_customer", row["customer_id"], found
        )
        refs += [_ref(row["id"], k, v) for k, v in found.items() if v]

    onboarding = sa.text(
        "SELECT o.id, o.partner_id, o.account_id, o.status, o.package_subscription_id,"
        " o.created_at, o.updated_at, o.submitted_at, a.number"
        " FROM onboarding_orders o JOIN onboarding_accounts a ON a.id = o.account_id"
    ).columns(created_at=UTC, updated_at=UTC, submitted_at=UTC)
    for row in bind.execute(onboarding).mappings():
        found = {
            "accountNumber": row["number"],
            "packageSubscriptionId": row["package_subscription_id"],
        }
        _insert(
            bind,
            row,
            "onboarding",
            row["partner_id"],
            "onboarding_account",
            row["account_id"],
            found,
        )
        refs += [_ref(row["id"], k, v) for k, v in found.items() if v]

    care = sa.text(
        "SELECT id, partner_id, account_number, status, message_id, po_number,"
        " created_at, updated_at FROM care_orders"
    ).columns(created_at=UTC, updated_at=UTC)
    for row in bind.execute(care).mappings():
        found = {"messageId": row["message_id"], "poNumber": row["po_number"]}
        _insert(bind, row, "care", row["partner_id"], "fan", row["account_number"], found)
        refs += [_ref(row["id"], k, v) for k, v in found.items() if v]
        bind.execute(
            events.insert().values(
                order_id=row["id"],
                type="care_order.received",
                actor=f"partner:{row['partner_id']}",
                to_status="received",
                data={},
                created_at=row["created_at"],
            )
        )
    if refs:
        bind.execute(references.insert(), refs)


def _insert(
    bind: Any,
    row: Any,
    channel: str,
    partner_id: str,
    party_kind: str,
    party_id: str,
    found: dict[str, Any],
) -> None:
    bind.execute(
        orders.insert().values(
            id=row["id"],
            channel=channel,
            owner=f"partner:{partner_id}",
            party_kind=party_kind,
            party_id=party_id,
            customer_id=None,
            status=row["status"],
            state=STATE[channel][row["status"]],
            currency=row.get("currency") or "USD",
            monthly_cents=row.get("monthly_cents") or 0,
            one_time_cents=row.get("one_time_cents") or 0,
            created_at=row["created_at"],
            updated_at=row["updated_at"],
            submitted_at=row.get("submitted_at"),
            completed_at=_completed(channel, row["status"], row["updated_at"]),
        )
    )


def _completed(channel: str, status: str, updated_at: Any) -> Any:
    return updated_at if STATE[channel][status] in FINAL else None


def _ref(order_id: str, kind: str, value: str) -> dict[str, str]:
    return {"order_id": order_id, "kind": kind, "value": str(value)}


def _histories(bind: Any) -> None:
    """The partner and onboarding histories, moved into order_events in their order."""
    moved = [
        {
            "order_id": r["order_id"],
            "type": r["type"],
            "actor": r["actor"],
            "subject_id": r["sub_order_id"],
            "from_status": r["from_status"],
            "to_status": r["to_status"],
            "data": {"note": r["note"]} if r["note"] else {},
            "created_at": r["created_at"],
        }
        for r in bind.execute(
            sa.text(
                "SELECT order_id, sub_order_id, type, from_status, to_status, note, actor,"
                " created_at FROM partner_order_events ORDER BY id"
            ).columns(created_at=UTC)
        ).mappings()
    ]
    onboarding_events = sa.table(
        "onboarding_order_events",
        sa.column("id", sa.Integer),
        sa.column("order_id", sa.String),
        sa.column("type", sa.String),
        sa.column("actor", sa.String),
        sa.column("data", sa.JSON),
        sa.column("created_at", UTC),
    )
    moved += [
        {
            "order_id": r.order_id,
            "type": r.type,
            "actor": r.actor,
            "subject_id": None,
            "from_status": None,
            "to_status": None,
            "data": r.data or {},
            "created_at": r.created_at,
        }
        for r in bind.execute(sa.select(onboarding_events).order_by(onboarding_events.c.id))
    ]
    moved.sort(key=lambda e: e["created_at"])
    if moved:
        bind.execute(events.insert(), moved)


def downgrade() -> None:
    op.create_table(
        "partner_order_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.String(length=40), nullable=False),
        sa.Column("sub_order_id", sa.String(length=40), nullable=True),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("from_status", sa.String(length=30), nullable=True),
        sa.Column("to_status", sa.String(length=30), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("actor", sa.String(length=80), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["partner_orders.id"],
            name=op.f("fk_partner_order_events_order_id_partner_orders"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partner_order_events")),
    )
    op.create_index("ix_partner_order_events_order_id", "partner_order_events", ["order_id"])
    op.create_table(
        "onboarding_order_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.String(length=40), nullable=False),
        sa.Column("type", sa.String(length=60), nullable=False),
        sa.Column("actor", sa.String(length=80), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["onboarding_orders.id"],
            name=op.f("fk_onboarding_order_events_order_id_onboarding_orders"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_onboarding_order_events")),
    )
    op.create_index(
        "ix_onboarding_order_events_order_seq", "onboarding_order_events", ["order_id", "id"]
    )
    bind = op.get_bind()
    bind.execute(
        sa.text(
            "INSERT INTO partner_order_events (order_id, sub_order_id, type, from_status,"
            " to_status, note, actor, created_at) SELECT e.order_id, e.subject_id, e.type,"
            " e.from_status, e.to_status, NULL, e.actor, e.created_at FROM order_events e"
            " JOIN orders o ON o.id = e.order_id WHERE o.channel = 'partner' ORDER BY e.id"
        )
    )
    bind.execute(
        sa.text(
            "INSERT INTO onboarding_order_events (order_id, type, actor, data, created_at)"
            " SELECT e.order_id, e.type, e.actor, e.data, e.created_at FROM order_events e"
            " JOIN orders o ON o.id = e.order_id WHERE o.channel = 'onboarding' ORDER BY e.id"
        )
    )
    bind.execute(
        sa.text(
            "DELETE FROM order_events WHERE order_id IN"
            " (SELECT id FROM orders WHERE channel <> 'direct')"
        )
    )
    for table in ("partner_orders", "onboarding_orders", "care_orders"):
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(f"fk_{table}_id_orders", type_="foreignkey")
    op.drop_index("ix_order_references_value", table_name="order_references")
    op.drop_table("order_references")
    bind.execute(sa.text("DELETE FROM orders WHERE channel <> 'direct'"))
    with op.batch_alter_table("order_events") as batch:
        batch.drop_column("to_status")
        batch.drop_column("from_status")
        batch.drop_column("subject_id")
    with op.batch_alter_table("orders") as batch:
        for index in (
            "ix_orders_updated_at",
            "ix_orders_created_at",
            "ix_orders_state",
            "ix_orders_party_created",
            "ix_orders_owner_created",
        ):
            batch.drop_index(index)
        for column in (
            "completed_at",
            "requested_date",
            "state",
            "party_id",
            "party_kind",
            "owner",
        ):
            batch.drop_column(column)
        batch.alter_column("status", existing_type=sa.String(30), type_=sa.String(20))
        batch.alter_column("customer_id", existing_type=sa.String(40), nullable=False)
