"""The consumer API's number selection (seed 001 §7): search, check and reserve."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field

from orderhub.surfaces.schemas import Id, JsonInt, RequestModel, WireModel

Number = Annotated[
    str,
    Field(
        max_length=10,
        pattern=r"^[2-9][0-9]{9}$",
        examples=["2145550123"],
    ),
]


class NumberSearchIn(RequestModel):
    """One of two questions: free numbers in an area code (`areaCode`, with `count`), or
    whether one requested number may be had (`number`)."""

    area_code: Annotated[
        str | None, Field(max_length=3, pattern=r"^[2-9][0-9]{2}$", examples=["214"])
    ] = None
    count: Annotated[JsonInt, Field(ge=1, le=50, description="With `areaCode` only.")] = 5
    number: Number | None = None


class NumbersOut(WireModel):
    area_code: str
    numbers: list[str]


class NumberAvailabilityOut(WireModel):
    """The answer for a requested number. `status` says why it is or is not available;
    who holds a number is never told."""

    number: str
    available: bool
    status: Literal["available", "reservedByThisOrder", "taken", "reserved", "unknown", "notInArea"]


class NumberReserveIn(RequestModel):
    number: Number
    item_id: Id


class ReservationOut(WireModel):
    number: str
    item_id: str
    reserved_until: datetime
