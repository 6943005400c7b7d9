"""The subscriber inventory, read by the partners allowed on each account (`/inventory/v1`)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from sqlalchemy import Row

from orderhub.ids import utcnow
from orderhub.inventory import service as inventory
from orderhub.surfaces.b2b.deps import PartnerDep
from orderhub.surfaces.deps import SessionDep
from orderhub.surfaces.schemas import WireModel, problem_responses

router = APIRouter(prefix="/inventory/v1", tags=["inventory"])

AccountNumber = Annotated[str, Path(pattern=r"^\d{6,20}$", description="FAN or account number")]
Ctn = Annotated[str, Path(pattern=r"^\d{10}$", description="The line's phone number")]
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


def _summary(row: Row) -> dict[str, Any]:
    return {
        "ctn": row.ctn,
        "status": row.status,
        "account_group_id": row.account_group_id,
        "rate_plan": row.rate_plan_id,
        "rate_plan_name": row.rate_plan_name,
        "bill_cycle_day": row.bill_cycle_day,
    }


@router.get(
    "/accounts/{fan}/subscribers",
    response_model=SubscribersOut,
    responses=problem_responses(401, 404, 422, 500),
)
async def account_subscribers(
    fan: AccountNumber,
    partner: PartnerDep,
    session: SessionDep,
    status: LineStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> SubscribersOut:
    """The account's lines, by CTN. Another partner's account does not exist (404)."""
    inventory.account_for_partner(session, partner_id=partner.partner_id, number=fan)
    rows = inventory.subscribers_of(
        session, account_number=fan, status=status, limit=limit, offset=offset
    )
    return SubscribersOut(
        foundation_account_number=fan,
        subscribers=[SubscriberSummaryOut(**_summary(r)) for r in rows],
        limit=limit,
        offset=offset,
    )


@router.get(
    "/subscribers/{ctn}",
    response_model=SubscriberOut,
    responses=problem_responses(401, 404, 422, 500),
)
async def subscriber(ctn: Ctn, partner: PartnerDep, session: SessionDep) -> SubscriberOut:
    """One line with its features, labels, device, contacts, voicemail and history."""
    row = inventory.subscriber_for_partner(session, partner_id=partner.partner_id, ctn=ctn)
    now = utcnow()
    return SubscriberOut(
        **_summary(row),
        foundation_account_number=row.account_number,
        features=[
            FeatureOut(
                sku=f.sku,
                effective_date=f.effective_at,
                expiration_date=f.expires_at,
                status=inventory.feature_status(f, now),
            )
            for f in inventory.features_of(session, ctn=ctn)
        ],
        udl=row.udl,
        device=DeviceOut(imei=row.imei, iccid=row.iccid, network_block=row.network_block),
        subscriber_contact=row.subscriber_contact,
        billing_contact=row.billing_contact,
        voicemail=row.voicemail,
        activated_on=row.activated_on,
        next_bill_date=inventory.next_bill_date(row.bill_cycle_day, now.date()),
        source_order_id=row.source_order_id,
        created_at=row.created_at,
        updated_at=row.updated_at,
        history=[
            HistoryOut(id=e.id, type=e.type, actor=e.actor, data=e.data, created_at=e.created_at)
            for e in inventory.history_of(session, ctn=ctn)
        ],
    )


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
    created_at: datetime
    updated_at: datetime


@router.get(
    "/services/{id}", response_model=ServiceOut, responses=problem_responses(401, 404, 422, 500)
)
async def service(
    id: Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$")],
    partner: PartnerDep,
    session: SessionDep,
) -> ServiceOut:
    """A service as ordered through onboarding (PreActive until fulfilment activates it)."""
    row = inventory.service_for_partner(session, partner_id=partner.partner_id, service_id=id)
    return ServiceOut(
        id=row.id,
        account_number=row.account_number,
        package_subscription_id=row.package_subscription_id,
        service_subscription_id=row.service_subscription_id,
        service_type_id=row.service_type_id,
        status=row.status,
        configuration=row.configuration,
        features=row.features,
        contacts=row.contacts,
        identifiers=row.identifiers,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )
