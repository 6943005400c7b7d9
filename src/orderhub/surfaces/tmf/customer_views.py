"""Customers (customers/directory.py) in TMF629's vocabulary, and TMF629 bodies read into
the engine's terms.

Each caller is shown what its role needs, nothing more: never a password, an SSN, a date
of birth or a portal username; a consumer's credit on file only as its decision, score
and dates (to operations and to the consumer); a business customer's tax id only to
operations; to a partner, its alliance status with the customer."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from orderhub.adapters.postal import PostalAddress
from orderhub.contacts import email_problem, normalize_email, normalize_phone, phone_problem
from orderhub.credit import profiles
from orderhub.customers.directory import BUSINESS, CONSUMER, ManagedCustomer
from orderhub.customers.management import UNSET, Changes
from orderhub.errors import FieldProblem, ValidationFailed
from orderhub.surfaces.tmf.callers import OPERATOR, PARTNER, TmfCaller
from orderhub.surfaces.tmf.conventions import CUSTOMER, when
from orderhub.surfaces.tmf.customer_schemas import CustomerChange, CustomerCreate

INDIVIDUAL, ORGANIZATION = "Individual", "Organization"
REQUIRED = ("engagedParty",)  # what Customer requires besides id and href
EMAIL, PHONE, POSTAL = "email", "phone", "postalAddress"
_MEDIUM_TYPES = {
    "email": EMAIL,
    "phone": PHONE,
    "mobile": PHONE,
    "telephone": PHONE,
    "postaladdress": POSTAL,
    "address": POSTAL,
}


# ---- answers ----------------------------------------------------------------------------


def _email(address: str | None, contact_type: str = "email") -> list[dict[str, Any]]:
    if not address:
        return []
    return [
        {
            "mediumType": EMAIL,
            "characteristic": {"contactType": contact_type, "emailAddress": address},
        }
    ]


def _phone(number: str | None, contact_type: str = "mobile") -> list[dict[str, Any]]:
    if not number:
        return []
    return [
        {
            "mediumType": PHONE,
            "characteristic": {"contactType": contact_type, "phoneNumber": number},
        }
    ]


def _postal(
    line1: str, line2: str | None, city: str, state: str, zip_code: str, contact_type: str
) -> dict[str, Any]:
    characteristic = {
        "contactType": contact_type,
        "street1": line1,
        "city": city,
        "stateOrProvince": state,
        "postCode": zip_code,
        "country": "US",
    }
    if line2:
        characteristic["street2"] = line2
    return {"mediumType": POSTAL, "characteristic": characteristic}


def _characteristic(name: str, value: Any) -> dict[str, Any]:
    return {"name": name, "valueType": "string", "value": value}


def customer(request: Request, caller: TmfCaller, found: ManagedCustomer) -> dict[str, Any]:
    row = found.row
    resource: dict[str, Any] = {
        "id": found.id,
        "href": CUSTOMER.href(request, "customer", found.id),
        "@type": "Customer",
        "name": found.name,
        "status": found.status,
        "validFor": {"startDateTime": when(row.created_at)},
    }
    if found.kind == CONSUMER:
        resource |= {
            "engagedParty": {"id": found.id, "name": found.name, "@referredType": INDIVIDUAL},
            "contactMedium": [
                *_email(row.email),
                *_phone(row.phone),
                *(
                    _postal(a.line1, a.line2, a.city, a.state, a.zip_code, a.kind)
                    for a in found.addresses
                ),
            ],
            "account": [
                {
                    "id": a.number,
                    "name": f"Wireless account {a.number}",
                    "@referredType": "BillingAccount",
                }
                for a in found.accounts
            ],
            "characteristic": [_characteristic("customerType", row.type)],
        }
        if found.credit is not None:
            resource["creditProfile"] = [_credit(found.credit)]
    elif found.kind == BUSINESS:
        characteristic = [_characteristic("customerType", BUSINESS)]
        if caller.kind == OPERATOR:
            characteristic.append(_characteristic("taxId", row.tax_id))
        if caller.kind == PARTNER and found.alliance_status:
            characteristic.append(_characteristic("allianceStatus", found.alliance_status))
        resource |= {
            "engagedParty": {"id": found.id, "name": found.name, "@referredType": ORGANIZATION},
            "contactMedium": [
                *_phone(row.phone, "business"),
                _postal(
                    row.address_line1,
                    row.address_line2,
                    row.city,
                    row.state,
                    row.zip_code,
                    "service",
                ),
            ],
            "account": [
                {
                    "id": s.id,
                    "name": s.name,
                    "description": f"Sub-account {s.number} ({s.status})",
                    "@referredType": "BillingAccount",
                }
                for s in found.accounts
            ],
            "characteristic": characteristic,
        }
    else:
        named = row.customer
        party = ORGANIZATION if named.get("type") == "business" else INDIVIDUAL
        resource |= {
            "engagedParty": {"id": found.id, "name": found.name, "@referredType": party},
            "contactMedium": [
                *_email(row.primary_contact.get("email"), "primary"),
                *_phone(row.primary_contact.get("phone"), "primary"),
                *_email(row.billing_contact.get("email"), "billing"),
                *_phone(row.billing_contact.get("phone"), "billing"),
            ],
            "account": [
                {
                    "id": row.number,
                    "name": f"Onboarding account {row.number}",
                    "@referredType": "BillingAccount",
                }
            ],
            "relatedParty": [
                {"id": row.partner_id, "role": "ServiceProvider", "@referredType": "Organization"}
            ],
            "characteristic": [_characteristic("customerType", "onboarding")],
        }
    return resource


def _credit(profile: Any) -> dict[str, Any]:
    """The credit on file: its decision, score and when it was decided, nothing else."""
    return {
        "@type": "CreditProfile",
        "creditProfileDate": when(profile.decided_at),
        "creditScore": profile.score,
        "decision": profile.decision,
        "validFor": {
            "startDateTime": when(profile.decided_at),
            "endDateTime": when(profiles.valid_until(profile)),
        },
    }


# ---- bodies -----------------------------------------------------------------------------

NOT_TAKEN = {
    "account": "Accounts are opened by the engine with the customer.",
    "agreement": "Agreements are not managed through TMF629.",
    "creditProfile": "Credit profiles are read-only: they come from credit decisions.",
    "paymentMethod": "Payment methods are not managed through TMF629.",
    "relatedParty": "Related parties are not set through TMF629.",
    "statusReason": "A status reason is not kept.",
    "validFor": "A customer is valid from its creation; validFor is not set.",
}


# What each kind of medium is read from; `contactType` (a label: the answers give the
# engine's own) and the @-attributes are accepted and ignored on every medium.
_MEDIUM_ATTRIBUTES = {
    EMAIL: {"emailAddress"},
    PHONE: {"phoneNumber"},
    POSTAL: {"street1", "street2", "city", "stateOrProvince", "postCode", "country"},
}
_IGNORED_ATTRIBUTES = {"contactType", "type", "base_type", "schema_location"}


def refuse_not_taken(body: CustomerChange) -> None:
    problems = [
        FieldProblem(name, "not_supported", message)
        for name, message in NOT_TAKEN.items()
        if getattr(body, name) is not None
    ]
    if body.engagedParty is not None and body.engagedParty.role is not None:
        problems.append(
            FieldProblem(
                "engagedParty.role",
                "not_supported",
                "The engaged party is the customer's own party: it has no role to set.",
            )
        )
    for n, medium in enumerate(body.contactMedium or ()):
        if medium.validFor is not None:
            problems.append(
                FieldProblem(
                    f"contactMedium[{n}].validFor",
                    "not_supported",
                    "A contact medium is valid until it is replaced; validFor is not kept.",
                )
            )
        if medium.preferred is False:
            problems.append(
                FieldProblem(
                    f"contactMedium[{n}].preferred",
                    "not_supported",
                    "A customer has one medium of each type, the one used: it is preferred.",
                )
            )
        kind = _MEDIUM_TYPES.get(medium.mediumType.lower())
        if kind is None:
            continue  # refused by `contacts`
        given = medium.characteristic.model_fields_set - _IGNORED_ATTRIBUTES
        problems += [
            FieldProblem(
                f"contactMedium[{n}].characteristic.{name}",
                "not_supported",
                f"A {medium.mediumType} medium is read from "
                f"{', '.join(sorted(_MEDIUM_ATTRIBUTES[kind]))} only.",
            )
            for name in sorted(given - _MEDIUM_ATTRIBUTES[kind])
        ]
    for n, c in enumerate(body.characteristic or ()):
        if c.characteristicRelationship is not None:
            problems.append(
                FieldProblem(
                    f"characteristic[{n}].characteristicRelationship",
                    "not_supported",
                    "Characteristic relationships are not kept.",
                )
            )
    if problems:
        raise ValidationFailed(f"{len(problems)} attribute(s) are not taken here.", errors=problems)


def party_type(body: CustomerCreate) -> str:
    kind = body.engagedParty.referred_type
    if kind not in (INDIVIDUAL, ORGANIZATION):
        raise ValidationFailed.one(
            "engagedParty.@referredType",
            "party_type",
            "An engaged party is an 'Individual' (a consumer customer) or an 'Organization' "
            "(a business customer).",
        )
    return kind


def check_party(body: CustomerChange, found: ManagedCustomer) -> None:
    """A patch's engagedParty (the published schema requires one) must be the customer's."""
    party = body.engagedParty
    if party is None:
        return
    expected = ORGANIZATION if found.kind == BUSINESS else INDIVIDUAL
    if found.kind not in (CONSUMER, BUSINESS):
        expected = party.referred_type
    if party.referred_type != expected or (party.id is not None and party.id != found.id):
        raise ValidationFailed.one(
            "engagedParty",
            "engaged_party",
            "The engaged party of a customer does not change: leave it out or send its own.",
        )


def split_name(name: str) -> tuple[str, str]:
    """An individual's name as given and family name ("Alex Bell")."""
    parts = name.strip().rsplit(None, 1)
    if len(parts) != 2 or len(parts[0]) > 100 or len(parts[1]) > 100:
        raise ValidationFailed.one(
            "name", "full_name", "An individual's name is a given and a family name."
        )
    return parts[0], parts[1]


def required_tax_id(body: CustomerChange) -> str:
    """An organization's tax id, from its `taxId` characteristic."""
    for c in body.characteristic or ():
        if c.name == "taxId" and isinstance(c.value, str | int):
            return str(c.value)
    raise ValidationFailed.one(
        "characteristic", "required", "An organization needs a 'taxId' characteristic."
    )


def refuse_status() -> None:
    raise ValidationFailed.one(
        "status", "status", "A new customer is 'active'; its status is changed later."
    )


def refuse_email() -> None:
    raise ValidationFailed.one(
        "contactMedium", "medium_type", "A business customer has no e-mail on file here."
    )


def refuse_characteristics(body: CustomerChange, allowed: tuple[str, ...]) -> None:
    unknown = [c.name for c in body.characteristic or () if c.name not in allowed]
    if unknown:
        raise ValidationFailed.one(
            "characteristic",
            "not_supported",
            "Characteristics taken here: " + (", ".join(allowed) or "none") + ".",
        )


def contacts(body: CustomerChange, *, postal_required: bool = False) -> Changes:
    """The e-mail, phone and postal address of `contactMedium` (one of each at most), by
    the contact rule every channel checks (orderhub/contacts.py)."""
    found: dict[str, Any] = {}
    problems: list[FieldProblem] = []
    for n, medium in enumerate(body.contactMedium or ()):
        at = f"contactMedium[{n}].characteristic"
        kind = _MEDIUM_TYPES.get(medium.mediumType.lower())
        c = medium.characteristic
        if kind is None:
            problems.append(
                FieldProblem(
                    f"contactMedium[{n}].mediumType",
                    "medium_type",
                    "A contact medium is an 'email', a 'phone' or a 'postalAddress'.",
                )
            )
        elif kind in found:
            problems.append(
                FieldProblem(f"contactMedium[{n}]", "duplicate", f"One {kind} at most.")
            )
        elif kind == EMAIL:
            found[EMAIL] = normalize_email(c.emailAddress or "")
            if found[EMAIL] is None:
                problems.append(email_problem(f"{at}.emailAddress"))
        elif kind == PHONE:
            found[PHONE] = normalize_phone(c.phoneNumber or "")
            if found[PHONE] is None:
                problems.append(phone_problem(f"{at}.phoneNumber"))
        else:
            missing = [
                name
                for name in ("street1", "city", "stateOrProvince", "postCode")
                if not getattr(c, name)
            ]
            problems += [
                FieldProblem(f"{at}.{name}", "required", f"A postal address needs {name}.")
                for name in missing
            ]
            if c.country not in (None, "US", "USA"):
                problems.append(
                    FieldProblem(f"{at}.country", "country", "Addresses are in the US.")
                )
            if not missing:
                found[POSTAL] = PostalAddress(
                    address_line1=c.street1,
                    address_line2=c.street2,
                    city=c.city,
                    state=c.stateOrProvince,
                    zip_code=c.postCode,
                )
    if postal_required and POSTAL not in found and not problems:
        problems.append(
            FieldProblem("contactMedium", "required", "A business customer needs a postalAddress.")
        )
    if problems:
        raise ValidationFailed("The contact media are not valid.", errors=problems)
    return Changes(
        email=found.get(EMAIL, UNSET),
        phone=found.get(PHONE, UNSET),
        address=found.get(POSTAL, UNSET),
    )


def given(value: Any) -> Any:
    return None if value is UNSET else value
