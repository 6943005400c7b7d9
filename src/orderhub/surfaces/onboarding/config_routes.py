"""Seed 003: package selection, service configuration, terms, and submit."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Request
from fastapi.responses import JSONResponse

from orderhub.errors import FieldProblem, ValidationFailed
from orderhub.onboarding import catalog, configuration, orders, packages
from orderhub.onboarding import submit as submission
from orderhub.surfaces import idempotent
from orderhub.surfaces.callers import PartnerDep, idempotency_scope
from orderhub.surfaces.deps import IdempotencyKey, SessionDep
from orderhub.surfaces.onboarding import schemas as s
from orderhub.surfaces.onboarding import views
from orderhub.surfaces.schemas import problem_responses

router = APIRouter(tags=["onboarding configuration"])
Kind = Annotated[
    Literal["configuration", "features", "contacts", "identifiers"],
    Path(description="Which requirement set"),
]
_ERRORS = problem_responses(400, 401, 404, 409, 422, 500)


def _requirement_value(kind: str, body: s.RequirementsIn) -> Any:
    """The member the kind is set with; the body's shape depends on the path, so which
    member must be there (and alone) is checked here, with the schema's rule names."""
    member = s.REQUIREMENT_MEMBERS[kind]
    errors = [
        FieldProblem(other, "extra_forbidden", "Extra inputs are not permitted")
        for other in sorted(body.model_fields_set - {member})
    ]
    value = getattr(body, member)
    if value is None:
        errors.insert(0, FieldProblem(member, "missing", "Field required"))
    if errors:
        raise ValidationFailed(f"The body sets {kind} with '{member}' only.", errors=errors)
    return value


@router.get("/orders/{id}/packages", response_model=s.PackagesOut, responses=_ERRORS)
async def available_packages(id: s.Id, partner: PartnerDep, session: SessionDep) -> s.PackagesOut:
    """Seed method GetAvailablePackages: packages whose every service type qualified."""
    order = orders.get(session, partner_id=partner.partner_id, order_id=id)
    return s.PackagesOut(
        packages=[views.package(p) for p in packages.available(session, order=order)]
    )


@router.get("/package-plans/{plan_id}", response_model=s.PlanDetailsOut, responses=_ERRORS)
async def plan_details(plan_id: s.Id, partner: PartnerDep, session: SessionDep) -> s.PlanDetailsOut:
    """Seed method GetPackagePlanDetails: services inside, prices and contract term."""
    chosen = packages.plan(session, plan_id)
    return s.PlanDetailsOut(
        **views.plan(chosen.plan).model_dump(),
        package_id=chosen.package.id,
        package_name=chosen.package.name,
        services=[
            {"serviceTypeId": t, "name": catalog.service_type(session, t).name}
            for t in chosen.package.service_types
        ],
    )


@router.post("/orders/{id}/package", response_model=s.ServicesOut, responses=_ERRORS)
async def select_package_plan(
    id: s.Id, body: s.SelectPlanIn, partner: PartnerDep, session: SessionDep
) -> s.ServicesOut:
    """Seed method SelectPackagePlan, once per order (a second selection is a 409).
    Answers the services to configure."""
    order = orders.claim(session, partner_id=partner.partner_id, order_id=id)
    packages.select(session, order=order, plan_id=body.package_plan_id, actor=partner.client_id)
    return s.ServicesOut(
        services=[views.service(r) for r in configuration.services_of(session, order_id=id)]
    )


@router.get("/orders/{id}/services", response_model=s.ServicesOut, responses=_ERRORS)
async def order_services(id: s.Id, partner: PartnerDep, session: SessionDep) -> s.ServicesOut:
    order = orders.get(session, partner_id=partner.partner_id, order_id=id)
    return s.ServicesOut(
        services=[views.service(r) for r in configuration.services_of(session, order_id=order.id)]
    )


@router.get("/orders/{id}/services/{service_id}/requirements/{kind}", responses=_ERRORS)
async def service_requirements(
    id: s.Id, service_id: s.Id, kind: Kind, partner: PartnerDep, session: SessionDep
) -> dict[str, Any]:
    """Seed methods GetServiceConfigurationRequirements, ...FeatureConfigurationRequirements,
    ...ContactRequirements and ...IdentifierRequirements: read fresh from the catalog."""
    order = orders.get(session, partner_id=partner.partner_id, order_id=id)
    svc = configuration.service(session, order=order, service_id=service_id, step=f"get {kind}")
    reqs = configuration.requirements(session, svc.service_type_id)
    answer: dict[str, Any] = {"serviceId": svc.id, "serviceTypeId": svc.service_type_id}
    if kind == "features":
        return answer | {"features": reqs["features"], "conflicts": reqs["featureConflicts"]}
    return answer | {kind: reqs[kind]}


@router.get("/orders/{id}/identifier-realms", response_model=s.RealmsOut, responses=_ERRORS)
async def identifier_realms(id: s.Id, partner: PartnerDep, session: SessionDep) -> s.RealmsOut:
    """Seed method GetServiceIdentifierRealms: the realms of the order's account."""
    return s.RealmsOut(
        realms=configuration.identifier_realms(session, partner_id=partner.partner_id, order_id=id)
    )


@router.put(
    "/orders/{id}/services/{service_id}/{kind}", response_model=s.ServiceOut, responses=_ERRORS
)
async def set_service_requirements(
    id: s.Id,
    service_id: s.Id,
    kind: Kind,
    body: s.RequirementsIn,
    partner: PartnerDep,
    session: SessionDep,
) -> s.ServiceOut:
    """Seed methods SetServiceConfigurationRequirements, SetServiceFeatureSetup,
    SetServiceContacts and SetServiceIdentifiers. Body: `{"values": {...}}`,
    `{"features": [...]}`, `{"contacts": [...]}` or `{"identifiers": [...]}`. Before a
    package is selected: 409."""
    value = _requirement_value(kind, body)
    if kind == "identifiers":
        value = [i.model_dump(exclude_none=True) for i in value]
    order = orders.claim(session, partner_id=partner.partner_id, order_id=id)
    row = configuration.set_values(
        session, order=order, service_id=service_id, kind=kind, value=value, actor=partner.client_id
    )
    return views.service(row)


@router.get("/orders/{id}/terms", response_model=s.TermsOut, responses=_ERRORS)
async def order_terms(id: s.Id, partner: PartnerDep, session: SessionDep) -> s.TermsOut:
    """Seed method GetTermsAndConditions: the blocks that apply to this order."""
    order = orders.get(session, partner_id=partner.partner_id, order_id=id)
    return s.TermsOut(
        blocks=[
            s.TermsBlockOut(id=t.id, title=t.title, version=t.version, text=t.text)
            for t in submission.terms_for(session, order=order)
        ],
        accepted=order.terms_accepted,
        accepted_at=order.terms_accepted_at,
    )


@router.post("/orders/{id}/terms/acceptance", response_model=s.TermsOut, responses=_ERRORS)
async def accept_terms(
    id: s.Id, body: s.AcceptanceIn, partner: PartnerDep, session: SessionDep
) -> s.TermsOut:
    """Accept every applicable block, naming each with its version."""
    order = orders.claim(session, partner_id=partner.partner_id, order_id=id)
    submission.accept_terms(
        session,
        order=order,
        accepted=[b.model_dump() for b in body.accepted],
        actor=partner.client_id,
    )
    return await order_terms(id, partner, session)


@router.post("/orders/{id}/submit", response_model=s.SubmittedOut, responses=_ERRORS)
async def submit_order(
    request: Request,
    id: s.Id,
    partner: PartnerDep,
    session: SessionDep,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Seed method Submit (Create) Order: every problem at once (409), or the package
    subscription, service subscriptions and services created PreActive in the inventory."""

    def produce() -> dict:
        order = orders.claim(session, partner_id=partner.partner_id, order_id=id)
        created = submission.submit(session, order=order, actor=partner.client_id)
        return s.SubmittedOut(
            order_id=id,
            status="submitted",
            package_subscription_id=created.package_subscription_id,
            service_subscription_ids=created.service_subscription_ids,
            service_ids=created.service_ids,
        ).model_dump(mode="json", by_alias=True)

    return idempotent.respond(
        request,
        session,
        scope=idempotency_scope(partner),
        key=idempotency_key,
        body={"orderId": id},
        status_code=200,
        produce=produce,
    )
