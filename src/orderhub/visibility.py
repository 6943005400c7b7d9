"""Whose records a caller of the TM Forum APIs sees, in the domain's terms (no HTTP):
a partner's (`partner_id`), a consumer's own (`consumer_id`), or every one (`everything`,
operations). A prospect's consumer token (no customer yet) gives a scope that sees
nothing. Read by the customer directory (customers/directory.py) and the inventory's
products (inventory/products.py), each by its own tables' rules."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scope:
    partner_id: str | None = None
    consumer_id: str | None = None
    everything: bool = False
