"""The inventory API's vocabulary (`/inventory/v1`): accounts' lines (subscribers) with
their features and history, and the services ordered through onboarding."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import Path

from orderhub.surfaces.schemas import WireModel, path_id

AccountNumber = Annotated[
    str, Path(max_length=20, pattern=r"^[0-9]{6,20}$", description="FAN or account number")
]
Ctn = Annotated[
    str, Path(max_length=10, pattern=r"^[0-9]{10}$", description="The line's phone number")
]
ServiceId = path_id("Service ID")
LineStatus = Literal["preActive", "active", "suspended", "cancelled"]


class FeatureOut(WireModel):
    sku: str
    effective_date: datetime
    expiration_date: datetime | None
    status: str


class DeviceOut(WireModel):
    imei: str | None
    iccid: str | None
    network_block: bool


class SubscriberSummaryOut(WireModel):
    ctn: str
    status: LineStatus
    account_group_id: str | None
    rate_plan: str
    rate_plan_name: str | None
    bill_cycle_day: int


class HistoryOut(WireModel):
    id: int
    type: str
    actor: str
    data: dict[str, Any]
    created_at: datetime


class SubscriberOut(SubscriberSummaryOut):
    foundation_account_number: str
    features: list[FeatureOut]
    udl: list[dict[str, Any]]
    device: DeviceOut
    subscriber_contact: dict[str, Any] | None
    billing_contact: dict[str, Any] | None
    voicemail: dict[str, Any]
    activated_on: date | None
    next_bill_date: date
    source_order_id: str | None
    created_at: datetime
    updated_at: datetime
    history: list[HistoryOut]


class SubscribersOut(WireModel):
    foundation_account_number: str
    subscribers: list[SubscriberSummaryOut]
    limit: int
    offset: int


class ServiceOut(WireModel):
    id: str
    account_number: str
    package_subscription_id: str
    service_subscription_id: str
    service_type_id: str
    status: str
    configuration: dict[str, Any]
    features: list[str]
    contacts: list[dict[str, Any]]
    identifiers: list[dict[str, Any]]
    qualification: dict[str, Any] | None
    created_at: datetime
    updated_at: datetime
