"""The subscriber inventory, read by the partners allowed on each account: another
partner's account or line does not exist (404)."""

from __future__ import annotations

from fastapi import APIRouter

from orderhub import clock
from orderhub.inventory import provisioned
from orderhub.inventory import service as inventory
from orderhub.surfaces.callers import PartnerDep
from orderhub.surfaces.deps import RuntimeDep, SessionDep, paging
from orderhub.surfaces.inventory import schemas as s
from orderhub.surfaces.inventory import views
from orderhub.surfaces.schemas import problem_responses

router = APIRouter(tags=["inventory"])
LinesPage = paging(default_limit=50, max_limit=200, max_offset=1_000_000)


@router.get(
    "/accounts/{fan}/subscribers",
    response_model=s.SubscribersOut,
    responses=problem_responses(401, 404, 422, 500),
)
async def account_subscribers(
    fan: s.AccountNumber,
    partner: PartnerDep,
    session: SessionDep,
    page: LinesPage,
    status: s.LineStatus | None = None,
) -> s.SubscribersOut:
    """The account's lines, by CTN. Another partner's account does not exist (404)."""
    inventory.account_for_partner(session, partner_id=partner.partner_id, number=fan)
    rows = inventory.subscribers_of(
        session, account_number=fan, status=status, limit=page.limit, offset=page.offset
    )
    return s.SubscribersOut(
        foundation_account_number=fan,
        subscribers=[views.subscriber_summary(r) for r in rows],
        limit=page.limit,
        offset=page.offset,
    )


@router.get(
    "/subscribers/{ctn}",
    response_model=s.SubscriberOut,
    responses=problem_responses(401, 404, 422, 500),
)
async def subscriber(
    ctn: s.Ctn, partner: PartnerDep, runtime: RuntimeDep, session: SessionDep
) -> s.SubscriberOut:
    """One line with its features, labels, device, contacts, voicemail and history.

    Feature statuses are as of the sandbox's test clock in sandbox mode."""
    row = inventory.subscriber_for_partner(session, partner_id=partner.partner_id, ctn=ctn)
    now = clock.now(session, sandbox=runtime.settings.sandbox)
    return views.subscriber(
        row,
        features=inventory.features_of(session, ctn=ctn),
        history=inventory.history_of(session, ctn=ctn),
        now=now,
    )


@router.get(
    "/services/{id}", response_model=s.ServiceOut, responses=problem_responses(401, 404, 422, 500)
)
async def service(
    id: s.ServiceId,
    partner: PartnerDep,
    session: SessionDep,
) -> s.ServiceOut:
    """A service as ordered through onboarding (PreActive until fulfilment activates it)."""
    row = provisioned.service_for_partner(session, partner_id=partner.partner_id, service_id=id)
    return views.service(row)
