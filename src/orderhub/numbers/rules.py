"""What a requested number's state means to the order asking: pure functions of values."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

# NANP area codes are geographic. A customer's area is the region of their service
# address, by its ZIP code's first three digits; a number is in it when its area code
# serves that region. 214, 469 and 972 overlay one another over Dallas, 713, 281 and 832
# over Houston. An area code not listed here (a pool loaded from another file, the
# benchmark's 555) has no known region, and an unknown fact does not refuse (as the
# catalog's eligibility rules).
_DALLAS = ("750", "751", "752", "753")
_HOUSTON = ("770", "772", "773", "774", "775")
AREA_ZIP_PREFIXES: dict[str, tuple[str, ...]] = {
    "214": _DALLAS,
    "469": _DALLAS,
    "972": _DALLAS,
    "713": _HOUSTON,
    "281": _HOUSTON,
    "832": _HOUSTON,
}


class Availability(StrEnum):
    """The answer to "may this order have this number?"; the unavailable ones say why,
    never who holds it."""

    AVAILABLE = "available"
    RESERVED_BY_THIS_ORDER = "reservedByThisOrder"  # reserving it again renews it
    TAKEN = "taken"  # assigned to a line
    RESERVED = "reserved"  # held, for now, by another order
    UNKNOWN = "unknown"  # in no pool
    NOT_IN_AREA = "notInArea"  # its area code does not serve the customer's address

    @property
    def available(self) -> bool:
        return self in (Availability.AVAILABLE, Availability.RESERVED_BY_THIS_ORDER)


def in_area(number: str, zip_code: str | None) -> bool:
    """Whether the number is local to the ZIP code. True with no ZIP code or for an area
    code of no known region; a ZIP code outside every region has no local number."""
    prefixes = AREA_ZIP_PREFIXES.get(number[:3])
    if not zip_code or prefixes is None:
        return True
    return zip_code[:3] in prefixes


def availability(
    *,
    number: str,
    status: str | None,
    holder: str | None,
    reserved_until: datetime | None,
    order_id: str,
    zip_code: str | None,
    now: datetime,
) -> Availability:
    """The state of a number (`status` None: not in the pool) for the order asking.

    A number outside the customer's area is `notInArea`, in the pool or not, whoever
    holds it: nothing more is told about a number the customer could not have anyway,
    and reserving it is refused for that reason first (service.reserve)."""
    if not in_area(number, zip_code):
        return Availability.NOT_IN_AREA
    if status is None:
        return Availability.UNKNOWN
    if status == "assigned":
        return Availability.TAKEN
    live = status == "reserved" and reserved_until is not None and reserved_until > now
    if live and holder == order_id:
        return Availability.RESERVED_BY_THIS_ORDER
    if live:
        return Availability.RESERVED
    return Availability.AVAILABLE


def lines_after_reserving(*, held: int, held_for_item: int, item_lines: int) -> int:
    """How many live numbers the order holds once it reserves one more for an item.

    `held` and `held_for_item` are its live reservations other than the number asked
    for. When the item already holds all its lines, its oldest reservation goes back to
    the pool (numbers/service.py reserve), so the order's count stays the same."""
    released = max(0, held_for_item + 1 - item_lines)
    return held - released + 1
