"""The console's admin page of operator users (`/console/operators`): who may sign in,
with which role; creating a user, changing a role, disabling and enabling. Admins only.
Every change goes through operators/service.py, which keeps an active admin."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from orderhub.errors import Conflict, FieldProblem, ValidationFailed
from orderhub.operators import service as operators
from orderhub.operators.rules import PASSWORD_MIN, Role
from orderhub.surfaces.console import pages
from orderhub.surfaces.console.auth import AdminAction, ConsoleUserDep, require
from orderhub.surfaces.deps import SessionDep

router = APIRouter(include_in_schema=False)

PAGE = f"{pages.PREFIX}/operators"
# `?done=` codes and the fixed text each shows (never text taken from the query).
DONE = {
    "created": "The operator was created; they can sign in now.",
    "role": "The role was changed; it applies from their next page.",
    "disabled": "The operator was disabled and signed out everywhere.",
    "enabled": "The operator was enabled; they can sign in again.",
}
ROLES = [r.value for r in Role]


def _render(
    request: Request,
    session: Session,
    *,
    status: int = 200,
    form: dict[str, str] | None = None,
    errors: list[FieldProblem] | None = None,
    **context: Any,
) -> Response:
    kept = {k: v for k, v in (form or {}).items() if k in ("username", "display_name", "role")}
    return pages.render(
        request,
        "operators.html",
        status=status,
        users=operators.list_all(session),
        roles=ROLES,
        password_min=PASSWORD_MIN,
        form=kept,
        errors={e.field: e.message for e in errors or []},
        **context,
    )


def _refused(request: Request, acting: Any, session: Session, refused: Exception) -> Response:
    """The page again, saying why the change was refused (409: it would leave no admin,
    or it is your own account; 422: not a role)."""
    status = 409 if isinstance(refused, Conflict) else 422
    return _render(
        request,
        session,
        status=status,
        flash=getattr(refused, "detail", "The change was refused."),
        flash_kind="error",
        me=acting.user.user_id,
    )


@router.get("/operators")
async def operators_page(
    request: Request, user: ConsoleUserDep, session: SessionDep, done: str | None = None
) -> Response:
    require(user, Role.ADMIN)
    flash = DONE.get(done or "")
    return _render(request, session, flash=flash, flash_kind="ok", me=user.user_id)


@router.post("/operators")
async def create_operator(request: Request, acting: AdminAction) -> Response:
    form = acting.form
    username = form.get("username", "").strip()[:100]
    role = form.get("role", "")
    password = form.get("password", "")
    runtime = request.app.state.runtime
    found = operators.problems(username=username, password=password, role=role)
    if not found:
        # Hashed on the hashing threads, with no connection held.
        password_hash = await operators.hash_new_password(runtime.passwords, password[:200])
        try:
            async with runtime.database.request_transaction(write=True) as session:
                operators.add(
                    session,
                    username=username,
                    password_hash=password_hash,
                    role=role,
                    display_name=form.get("display_name", "")[:100] or None,
                )
        except operators.UsernameTaken as taken:
            found = [FieldProblem("username", "taken", taken.detail)]
        else:
            return pages.redirect(f"{PAGE}?done=created")
    async with runtime.database.request_transaction(write=False) as session:
        return _render(
            request,
            session,
            status=409 if found[0].rule == "taken" else 422,
            form=form,
            errors=found,
            flash="The operator was not created: " + found[0].message,
            flash_kind="error",
            me=acting.user.user_id,
        )


@router.post("/operators/{user_id}/role")
async def change_role(
    request: Request, user_id: str, acting: AdminAction, session: SessionDep
) -> Response:
    try:
        changed = operators.change_role(session, user_id=user_id, role=acting.form.get("role", ""))
    except (Conflict, ValidationFailed) as refused:
        return _refused(request, acting, session, refused)
    if changed.id == acting.user.user_id and changed.role != Role.ADMIN:
        return pages.redirect(f"{pages.PREFIX}/")  # they may no longer see this page
    return pages.redirect(f"{PAGE}?done=role")


@router.post("/operators/{user_id}/disable")
async def disable(
    request: Request, user_id: str, acting: AdminAction, session: SessionDep
) -> Response:
    try:
        operators.change_disabled(
            session, user_id=user_id, disabled=True, by_user_id=acting.user.user_id
        )
    except Conflict as refused:
        return _refused(request, acting, session, refused)
    return pages.redirect(f"{PAGE}?done=disabled")


@router.post("/operators/{user_id}/enable")
async def enable(user_id: str, acting: AdminAction, session: SessionDep) -> Response:
    operators.change_disabled(
        session, user_id=user_id, disabled=False, by_user_id=acting.user.user_id
    )
    return pages.redirect(f"{PAGE}?done=enabled")
