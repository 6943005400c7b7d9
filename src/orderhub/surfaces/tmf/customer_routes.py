"""TMF629 Customer: `customer` over consumer customers (`cus_`), business end customers
(`bcu_`) and onboarding accounts (`oac_`) (customers/directory.py reads them,
customers/management.py changes them; docs/tmf.md, "TMF629").

Who may do what: operations see every customer, create consumer (`Individual`) and
business (`Organization`) customers, change and delete them (a customer something refers
to, an order, a line, a quote, is 409). A partner sees the business customers it has an
alliance row with and its own onboarding accounts, and changes none here. A consumer
sees their own record and changes its postal address, not the e-mail or phone they sign
in with (those change only with proof the new one is theirs; operations, who vouch for
what they set, change them here). Onboarding accounts are read here
and managed through the onboarding API. Anything a caller does not see is a 404.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from orderhub.customers import directory, management
from orderhub.customers.directory import BUSINESS, CONSUMER, ManagedCustomer
from orderhub.customers.management import UNSET, Changes
from orderhub.errors import Forbidden
from orderhub.surfaces.deps import ReadSessionDep, RuntimeDep, SessionDep
from orderhub.surfaces.problems import TMF_JSON
from orderhub.surfaces.tmf import customer_views as views
from orderhub.surfaces.tmf.callers import CUSTOMER, PARTNER, TmfCallerDep
from orderhub.surfaces.tmf.conventions import (
    FieldsQuery,
    WindowDep,
    answer,
    created,
    fields_of,
    listing,
    project,
)
from orderhub.surfaces.tmf.customer_schemas import CustomerChange, CustomerCreate

router = APIRouter(include_in_schema=False)


def _managed_here(found: ManagedCustomer) -> None:
    if found.kind not in (CONSUMER, BUSINESS):
        raise Forbidden(
            "Onboarding accounts are read here and managed through the onboarding API.",
            code="managed_elsewhere",
        )


@router.get("/customer")
async def list_customers(
    request: Request,
    caller: TmfCallerDep,
    session: ReadSessionDep,
    window: WindowDep,
    fields: FieldsQuery = None,
) -> Response:
    """The customers the caller sees, oldest first (no attribute filters)."""
    page = directory.list_customers(
        session, scope=caller.scope(), limit=window.limit, offset=window.offset
    )
    return listing(
        [views.customer(request, caller, c) for c in page.customers],
        total=page.total,
        fields=fields_of(fields),
        always=views.REQUIRED,
    )


@router.get("/customer/{id}")
async def retrieve_customer(
    request: Request,
    id: str,
    caller: TmfCallerDep,
    session: ReadSessionDep,
    fields: FieldsQuery = None,
) -> Response:
    found = directory.get_customer(session, scope=caller.scope(), customer_id=id)
    return answer(
        project(views.customer(request, caller, found), fields_of(fields), views.REQUIRED)
    )


@router.post("/customer")
async def create_customer(
    request: Request,
    body: CustomerCreate,
    caller: TmfCallerDep,
    session: SessionDep,
    runtime: RuntimeDep,
) -> Response:
    """An `Individual` engaged party makes a consumer customer (with a wireless account),
    an `Organization` a business customer (its `taxId` characteristic and postal address
    required). Operations only."""
    caller.require_operator("create customers")
    kind = views.party_type(body)
    views.refuse_not_taken(body)
    if body.status is not None and body.status != "active":
        views.refuse_status()
    postal = runtime.adapters.postal
    if kind == views.INDIVIDUAL:
        views.refuse_characteristics(body, ())
        first, last = views.split_name(body.name)
        contact = views.contacts(body)
        new = management.create_individual(
            session,
            postal=postal,
            first_name=first,
            last_name=last,
            email=views.given(contact.email),
            phone=views.given(contact.phone),
            address=views.given(contact.address),
            owner=caller.owner,
        )
    else:
        views.refuse_characteristics(body, ("taxId",))
        contact = views.contacts(body, postal_required=True)
        if contact.email is not UNSET:
            views.refuse_email()
        new = management.create_organization(
            session,
            postal=postal,
            name=body.name,
            tax_id=views.required_tax_id(body),
            phone=views.given(contact.phone),
            address=contact.address,
            owner=caller.owner,
        )
    return created(views.customer(request, caller, new))


@router.patch("/customer/{id}")
async def patch_customer(
    request: Request,
    id: str,
    body: CustomerChange,
    caller: TmfCallerDep,
    session: SessionDep,
    runtime: RuntimeDep,
) -> Response:
    """Operations change a consumer's name, contact media and status, and a business
    customer's name, phone and address; a consumer changes their own postal address.
    Each `contactMedium` given replaces the customer's medium of its type."""
    found = directory.get_customer(session, scope=caller.scope(), customer_id=id)
    _managed_here(found)
    if caller.kind == PARTNER:
        caller.require_operator("change business customers")
    views.refuse_not_taken(body)
    views.check_party(body, found)
    views.refuse_characteristics(body, ())
    if caller.kind == CUSTOMER and (body.name is not None or body.status is not None):
        raise Forbidden(
            "You may change your contact media; your name and status are changed by customer care.",
            code="operator_only",
        )
    contact = views.contacts(body)
    if caller.kind == CUSTOMER and (contact.email is not UNSET or contact.phone is not UNSET):
        # An e-mail or phone is what the customer signs in with: changing it here, without
        # proof the new one is theirs, would hand the account to whoever holds it.
        raise Forbidden(
            "Your e-mail and phone are how you sign in: they change only with proof that the "
            "new one is yours (a code sent to it), not here. You may change your postal "
            "address here.",
            code="identifier_change_not_allowed",
        )
    first = last = name = UNSET
    if body.name is not None:
        if found.kind == CONSUMER:
            first, last = views.split_name(body.name)
        else:
            name = body.name
    if found.kind == BUSINESS and contact.email is not UNSET:
        views.refuse_email()
    changes = Changes(
        first_name=first,
        last_name=last,
        name=name,
        email=contact.email,
        phone=contact.phone,
        address=contact.address,
        status=UNSET if body.status is None else body.status,
    )
    after = management.update_customer(
        session,
        postal=runtime.adapters.postal,
        customer=found,
        changes=changes,
        owner=caller.owner,
    )
    return answer(views.customer(request, caller, after))


@router.delete("/customer/{id}")
async def delete_customer(id: str, caller: TmfCallerDep, session: SessionDep) -> Response:
    """Operations delete a consumer or business customer nothing refers to (409 otherwise)."""
    found = directory.get_customer(session, scope=caller.scope(), customer_id=id)
    _managed_here(found)
    caller.require_operator("delete customers")
    management.delete_customer(session, customer=found, owner=caller.owner)
    # The published document gives its 204 a media type (application/json;charset=utf-8)
    # and its checkers want the header even on an empty answer.
    return Response(status_code=204, media_type=TMF_JSON)
