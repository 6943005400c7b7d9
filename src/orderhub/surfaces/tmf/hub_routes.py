"""`POST /hub` and `DELETE /hub/{id}` on each TM Forum API: listeners of its events.

A listener hears what its caller may see: a partner its own orders' events, a customer
theirs, operations everything (webhooks/rules.recipients). Deliveries are signed like
every webhook (`OrderHub-Signature`, with the `secret` answered once, at registration)
and carry the event id for dropping duplicates (docs/tmf.md, "Events").
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from fastapi import APIRouter, Request, Response

from orderhub.errors import FieldProblem, Forbidden, ValidationFailed
from orderhub.surfaces.deps import RuntimeDep, SessionDep
from orderhub.surfaces.tmf.callers import TmfCallerDep
from orderhub.surfaces.tmf.conventions import Api, answer, no_content
from orderhub.surfaces.tmf.hub_schemas import EventSubscriptionInput
from orderhub.webhooks import service as webhooks
from orderhub.webhooks import tmf_events


def wanted_event_types(api: Api, query: str | None) -> list[str]:
    """The engine event types a listener's `query` asks for. The query is
    `eventType=A,B` (or `eventType=A&eventType=B`); without one, all of the API's
    events. Anything else in it is refused: a filter silently ignored would send events
    the listener did not ask for."""
    known = tmf_events.event_types_of(api.name)
    if query is None or not query.strip():
        return tmf_events.engine_types(api.name, None)
    wanted: list[str] = []
    problems: list[FieldProblem] = []
    for name, value in parse_qsl(query.strip().lstrip("?"), keep_blank_values=True):
        if name != "eventType":
            problems.append(
                FieldProblem(
                    "query",
                    "query_filter",
                    f"Listeners filter by 'eventType' only, not '{name[:60]}'.",
                )
            )
            continue
        for event_type in (v.strip() for v in value.split(",")):
            if event_type not in known:
                problems.append(
                    FieldProblem(
                        "query",
                        "event_type",
                        f"'{event_type[:80]}' is not an event of this API; it has: "
                        + ", ".join(sorted(known)),
                    )
                )
            else:
                wanted.append(event_type)
    if problems or not wanted:
        raise ValidationFailed(
            "The listener's query is not valid.",
            errors=problems
            or [FieldProblem("query", "query_filter", "Name at least one 'eventType'.")],
        )
    return tmf_events.engine_types(api.name, wanted)


def router_for(api: Api) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.post("/hub")
    async def register_listener(
        request: Request,
        body: EventSubscriptionInput,
        caller: TmfCallerDep,
        session: SessionDep,
        runtime: RuntimeDep,
    ) -> Response:
        if caller.id is None and caller.kind != "operator":
            raise Forbidden("Sign in as a customer to listen to events.", code="customer_required")
        event_types = wanted_event_types(api, body.query)
        new = webhooks.listen(
            session,
            owner=caller.owner,
            api=api.name,
            callback=body.callback,
            query=body.query,
            event_types=event_types,
            base_url=str(request.base_url),
            key=runtime.key,
            allow_http=runtime.settings.sandbox,
        )
        listener = new.subscription
        shown = {"id": listener.id, "callback": listener.url, "query": listener.query}
        # The secret is shown once: deliveries are signed with it (OrderHub-Signature).
        # No `Location`: a listener is not read back, only deleted.
        return answer(
            {k: v for k, v in shown.items() if v is not None} | {"secret": new.secret}, status=201
        )

    @router.delete("/hub/{id}")
    async def unregister_listener(id: str, caller: TmfCallerDep, session: SessionDep) -> Response:
        # Operations may remove anybody's listener; others only their own.
        owner = None if caller.kind == "operator" else caller.owner
        webhooks.stop_listening(session, owner=owner, api=api.name, listener_id=id)
        return no_content()

    return router
