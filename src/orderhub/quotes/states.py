"""Quote statuses. A quote is drafted, then validated; any change makes it a draft again.

Credit, contract and locking come with the rest of issue 4.
"""

from __future__ import annotations

from enum import StrEnum


class QuoteStatus(StrEnum):
    DRAFT = "draft"
    VALIDATED = "validated"
