"""Steps 2 and 3 of seed 001: customer lookup and offers; plus stores and terms."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from orderhub import contacts
from orderhub.catalog import service as catalog
from orderhub.customers import service as customers
from orderhub.fulfillment import service as fulfillment
from orderhub.orders.service import caller_customer_id
from orderhub.surfaces.callers import PrincipalDep
from orderhub.surfaces.deps import RuntimeDep, SessionDep, paging
from orderhub.surfaces.direct import schemas as s
from orderhub.surfaces.direct import views
from orderhub.surfaces.schemas import problem_responses

router = APIRouter()
OffersPage = paging(default_limit=50, max_offset=10_000)

TERMS_TEXT = (
    "Service is provided month to month. Devices bought on instalments are payable in full "
    "if service is cancelled. Prices exclude taxes and fees."
)


@router.get(
    "/v1/customers",
    response_model=s.CustomersOut,
    tags=["customers"],
    responses=problem_responses(401, 404, 422, 500),
)
async def lookup_customers(
    principal: PrincipalDep,
    session: SessionDep,
    phone: Annotated[str | None, Query(max_length=contacts.PHONE_TYPED_MAX_LENGTH)] = None,
    email: Annotated[str | None, Query(max_length=contacts.EMAIL_MAX_LENGTH)] = None,
    customer_id: Annotated[str | None, Query(alias="customerId", max_length=64)] = None,
) -> s.CustomersOut:
    """Find the caller's own customer record by phone, e-mail or customer id."""
    found = customers.find_own(
        session,
        caller_customer_id=caller_customer_id(session, principal),
        phone=phone,
        email=email,
        customer_id=customer_id,
    )
    return s.CustomersOut(customers=[views.customer(found)])


@router.get(
    "/v1/offers",
    response_model=s.OffersOut,
    tags=["offers"],
    responses=problem_responses(401, 422, 500),
)
async def list_offers(
    principal: PrincipalDep,
    session: SessionDep,
    page: OffersPage,
    category: Literal["plan", "device", "accessory", "addon", "bundle"] | None = None,
    zip_code: Annotated[
        str | None, Query(alias="zipCode", max_length=5, pattern=r"^[0-9]{5}$")
    ] = None,
    customer_type: Annotated[
        Literal["consumer", "business"] | None, Query(alias="customerType")
    ] = None,
) -> s.OffersOut:
    """Current offers and bundles available to the signed-in customer: those their type,
    the ZIP code of their service address and the lines they already have make them
    eligible for. `category`, `zipCode` and `customerType` narrow that further."""
    offers, total = catalog.list_offers(
        session,
        category=category,
        zip_code=zip_code,
        customer_type=customer_type,
        limit=page.limit,
        offset=page.offset,
        caller=catalog.buyer(session, customer_id=caller_customer_id(session, principal)),
    )
    return s.OffersOut(
        offers=[views.offer(o) for o in offers],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


@router.get(
    "/v1/stores",
    response_model=s.StoresOut,
    tags=["fulfillment"],
    responses=problem_responses(401, 500),
)
async def list_stores(principal: PrincipalDep, session: SessionDep) -> s.StoresOut:
    """Stores an order can be picked up from (`storeId` of a storePickup fulfillment)."""
    return s.StoresOut(
        stores=[
            s.StoreOut(id=x.id, name=x.name, address=x.address)
            for x in fulfillment.list_stores(session)
        ]
    )


@router.get(
    "/v1/terms", response_model=s.TermsOut, tags=["fulfillment"], responses=problem_responses(500)
)
async def current_terms(runtime: RuntimeDep) -> s.TermsOut:
    """The terms and conditions version a fulfillment must accept."""
    return s.TermsOut(
        version=runtime.settings.terms_version, title="OrderHub service terms", text=TERMS_TEXT
    )
