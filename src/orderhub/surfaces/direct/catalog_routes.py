"""Steps 2 and 3 of seed 001: customer lookup and offers; plus stores and terms."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from sqlalchemy import select

from orderhub.catalog import service as catalog
from orderhub.customers import service as customers
from orderhub.customers.rules import normalize_email, normalize_phone
from orderhub.errors import ValidationFailed
from orderhub.fulfillment.models import Store
from orderhub.orders.service import caller_customer_id
from orderhub.surfaces.deps import PrincipalDep, RuntimeDep, SessionDep
from orderhub.surfaces.direct import schemas as s
from orderhub.surfaces.direct import views
from orderhub.surfaces.schemas import Limit, problem_responses, query_int

router = APIRouter()
OffersOffset = query_int(ge=0, le=10_000, description="How many to skip, 0 to 10000.")

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
    phone: Annotated[str | None, Query(max_length=20)] = None,
    email: Annotated[str | None, Query(max_length=254)] = None,
    customer_id: Annotated[str | None, Query(alias="customerId", max_length=64)] = None,
) -> s.CustomersOut:
    """Find the caller's own customer record by phone, e-mail or customer id."""
    if not (phone or email or customer_id):
        raise ValidationFailed.one(
            "phone", "one_of_required", "Give one of phone, email or customerId."
        )
    own_id = caller_customer_id(session, principal)
    norm_phone = normalize_phone(phone) if phone else None
    norm_email = normalize_email(email) if email else None
    # A customer sees only their own record; anybody else's does not exist.
    found = None
    if (
        own_id
        and (not phone or norm_phone)
        and (not email or norm_email)
        and (not customer_id or customer_id == own_id)
    ):
        found = customers.get_record(
            session, customer_id=own_id, phone=norm_phone, email=norm_email
        )
    if found is None:
        raise customers.CustomerNotFound("No customer matches those details.")
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
    category: Literal["plan", "device", "accessory", "addon", "bundle"] | None = None,
    zip_code: Annotated[
        str | None, Query(alias="zipCode", max_length=5, pattern=r"^[0-9]{5}$")
    ] = None,
    customer_type: Annotated[
        Literal["consumer", "business"] | None, Query(alias="customerType")
    ] = None,
    limit: Limit = 50,
    offset: OffersOffset = 0,
) -> s.OffersOut:
    """Current offers and bundles, filtered by category and by who and where may buy them."""
    offers, total = catalog.list_offers(
        session,
        category=category,
        zip_code=zip_code,
        customer_type=customer_type,
        limit=limit,
        offset=offset,
    )
    return s.OffersOut(
        offers=[views.offer(o) for o in offers], total=total, limit=limit, offset=offset
    )


@router.get(
    "/v1/stores",
    response_model=s.StoresOut,
    tags=["fulfillment"],
    responses=problem_responses(401, 500),
)
async def list_stores(principal: PrincipalDep, session: SessionDep) -> s.StoresOut:
    """Stores an order can be picked up from (`storeId` of a storePickup fulfillment)."""
    stores = session.scalars(select(Store).order_by(Store.id))
    return s.StoresOut(stores=[s.StoreOut(id=x.id, name=x.name, address=x.address) for x in stores])


@router.get(
    "/v1/terms", response_model=s.TermsOut, tags=["fulfillment"], responses=problem_responses(500)
)
async def current_terms(runtime: RuntimeDep) -> s.TermsOut:
    """The terms and conditions version a fulfillment must accept."""
    return s.TermsOut(
        version=runtime.settings.terms_version, title="OrderHub service terms", text=TERMS_TEXT
    )
