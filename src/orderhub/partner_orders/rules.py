"""What keeps a B2B order from being enriched or handed off: pure functions of values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from orderhub.errors import FieldProblem


def date_problems(
    installation: dict[str, Any] | None, *, at: str, today: date
) -> list[FieldProblem]:
    """Requested dates not in the past, and the due date after the start date."""
    if not installation:
        return []
    start = _date(installation.get("requestedStartDate"))
    due = _date(installation.get("requestedDueDate"))
    problems = []
    for name, value in (("requestedStartDate", start), ("requestedDueDate", due)):
        if value is not None and value < today:
            problems.append(
                FieldProblem(f"{at}.{name}", "date_in_past", "The date must not be in the past.")
            )
    if start is not None and due is not None and due <= start:
        problems.append(
            FieldProblem(
                f"{at}.requestedDueDate",
                "due_before_start",
                "The requested due date must be after the requested start date.",
            )
        )
    return problems


@dataclass(frozen=True)
class SubOrderFacts:
    installation: dict[str, Any] | None  # its own section, or None to use the order's


def effective(own: dict[str, Any] | None, order: dict[str, Any] | None) -> dict[str, Any] | None:
    """A sub-order's own enrichment section replaces the order's as a whole."""
    return own if own is not None else order


def handoff_problems(
    *, installation: dict[str, Any] | None, sub_orders: list[SubOrderFacts], today: date
) -> list[FieldProblem]:
    """Every problem keeping the order from handoff: each sub-order needs an installation
    contact (its own or the order's), and every requested date must still hold."""
    problems = date_problems(installation, at="installation", today=today)
    for n, sub in enumerate(sub_orders):
        if sub.installation is not None:
            problems.extend(
                date_problems(sub.installation, at=f"subOrders.{n}.installation", today=today)
            )
        chosen = effective(sub.installation, installation)
        if not (chosen and chosen.get("contacts")):
            problems.append(
                FieldProblem(
                    f"subOrders.{n}.installation.contacts",
                    "installation_contact_required",
                    "An installation contact is required, on the order or the sub-order.",
                )
            )
    return problems


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None
