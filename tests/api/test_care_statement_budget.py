"""How many SQL statements a care order costs: a budget, and none per change request.

Like test_b2b_statement_budget.py: a change that adds a query to a call fails here and
must raise the budget on purpose. Counted on SQLite, where BEGIN is a statement of its own.
"""

from __future__ import annotations

from tests.api.b2b_helpers import partner_headers
from tests.api.care_helpers import CARE, ELITE, POOLED, care_body, change
from tests.api.test_b2b_statement_budget import cost

# The care order: BEGIN, the idempotency key, the account, its group, lines, their
# features, the catalog, rate plans, devices in use, pending status moves, the order,
# its changes (both returned as inserted), the outbox event and its webhooks, the kept
# answer.
# POST: +3 for the order's ledger row, its references and its first history row
# (ledger/service.py), the same for 1 change request as for 20.
BUDGET = {"POST careOrder": 19, "GET careOrder/{id}": 3, "GET careOrder": 3}


def _labels(count: int) -> dict:
    """An order of `count` change requests over two lines, each setting a label."""
    return care_body(
        *(
            change(ctn=(POOLED, ELITE)[n % 2], udl=[{"type": f"Label {n}", "value": str(n)}])
            for n in range(count)
        )
    )


def _headers(client, auth: dict[str, str], message_id: str) -> dict[str, str]:
    return auth | {"X-ATT-ClientId": "sandbox-partner", "X-ATT-MessageId": message_id}


def test_a_care_order_stays_within_its_budget_whatever_its_size(client, backend):
    auth = partner_headers(client)
    spent = {}
    for size in (1, 20):
        create, accepted = cost(
            client.post,
            f"{CARE}/careOrder",
            json=_labels(size),
            headers=_headers(client, auth, f"budget-{size}"),
        )
        read, _ = cost(client.get, accepted.headers["Location"], headers=auth)
        listed, _ = cost(client.get, f"{CARE}/careOrder", headers=auth)
        spent[size] = {
            "POST careOrder": create,
            "GET careOrder/{id}": read,
            "GET careOrder": listed,
        }
    assert spent[1] == spent[20], f"a statement per change request: {spent}"
    if backend == "sqlite":
        over = {call: n for call, n in spent[1].items() if n > BUDGET[call]}
        assert not over, f"over budget: {over} (budget {BUDGET}, spent {spent[1]})"
