"""Shaping domain objects into the B2B API's answers."""

from __future__ import annotations

from orderhub.adapters.postal import AddressValidation, PostalAddress
from orderhub.business.models import BusinessCustomer, ExceptionRequest
from orderhub.business.service import CustomerMatch
from orderhub.surfaces.b2b import schemas as s


def postal_address(address: s.AddressIn) -> PostalAddress:
    """A wire address as the postal port takes it."""
    return PostalAddress(
        address_line1=address.address_line1,
        address_line2=address.address_line2,
        city=address.city,
        state=address.state,
        zip_code=address.zip_code,
    )


def customer_address(customer: BusinessCustomer) -> s.AddressOut:
    return s.AddressOut(
        address_line1=customer.address_line1,
        address_line2=customer.address_line2,
        city=customer.city,
        state=customer.state,
        zip_code=customer.zip_code,
    )


def customer(match: CustomerMatch) -> s.BusinessCustomerOut:
    c = match.customer
    return s.BusinessCustomerOut(
        id=c.id,
        name=c.name,
        alliance_status=match.alliance_status,
        can_quote=match.can_quote,
        # The full tax id is the partner's to know already; the answer only confirms it.
        tax_id_last4=c.tax_id[-4:],
        phone=c.phone,
        address=customer_address(c),
        sub_accounts=[
            s.SubAccountOut(id=a.id, number=a.number, name=a.name, status=a.status)
            for a in match.sub_accounts
        ],
    )


def exception_request(request: ExceptionRequest) -> s.ExceptionRequestOut:
    return s.ExceptionRequestOut(
        id=request.id,
        customer_id=request.customer_id,
        reason=request.reason,
        status=request.status,
        decision_note=request.decision_note,
        created_at=request.created_at,
        decided_at=request.decided_at,
    )


def operator_exception_request(request: ExceptionRequest) -> s.OperatorExceptionRequestOut:
    return s.OperatorExceptionRequestOut(
        **exception_request(request).model_dump(),
        partner_id=request.partner_id,
        decided_by=request.decided_by,
    )


def address_validation(result: AddressValidation) -> s.AddressValidationOut:
    standardized = result.standardized
    return s.AddressValidationOut(
        valid=result.valid,
        standardized_address=None
        if standardized is None
        else s.AddressOut(
            address_line1=standardized.address_line1,
            address_line2=standardized.address_line2,
            city=standardized.city,
            state=standardized.state,
            zip_code=standardized.zip_code,
        ),
        problems=[
            s.AddressProblemOut(field=p.field, rule=p.rule, message=p.message)
            for p in result.problems
        ],
    )
