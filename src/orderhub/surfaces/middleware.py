"""What every request passes through before routing: its id and access line, the
request-body checks (size, duplicate JSON keys) and the sign-in gate. Plain ASGI
middleware: each costs microseconds, and the body checks and the gate answer before
FastAPI routes or validates anything.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from typing import Any

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from orderhub import metrics
from orderhub.identity.hashing import HashingBusy
from orderhub.logs import REQUEST_ID, route_template
from orderhub.surfaces.problems import request_problem, unexpected_problem

access = logging.getLogger("orderhub.access")

# A client's own X-Request-ID is kept when it is a plain token (a UUID, a trace id);
# anything else is replaced, so no header value can forge or break a log line.
_CLIENT_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
# The routes that check (or make) a password or client-secret hash (identity/hashing.py),
# and which of their requests do: the consumer sign-in route also takes one-time codes,
# which cost no hash and are not held back. The passkey sign-in's two steps are held to
# the same pace: without a token, each options request stores a challenge and each answer
# verifies a signature, so a flood of either must not outrun the sign-ins.
SIGN_IN_ROUTES: dict[tuple[str, str], Any] = {
    ("POST", "/msapi/order/v1/auth"): lambda body: (
        isinstance(body, dict) and body.get("method") == "password"
    ),
    ("POST", "/oauth/token"): None,
    ("POST", "/onboarding/v1/accounts"): None,
    ("POST", "/onboarding/v1/accounts/find-by-credentials"): None,
    ("POST", "/console/sign-in"): None,
    ("POST", "/msapi/order/v1/passkeys/authentication-options"): None,
    ("POST", "/msapi/order/v1/auth/passkey"): None,
}
# Where RequestBody leaves the JSON body it parsed, for the sign-in gate.
JSON_BODY = "orderhub.json_body"


class RequestContext:
    """Outermost: gives each request an id (`X-Request-ID`, returned on every response and
    in every log line and problem body), writes its one access line and counts it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _request_id(scope)
        token = REQUEST_ID.set(request_id)
        started = time.perf_counter()
        status = 500  # if the app fails before answering, the server answers 500
        responded = False

        async def send_with_id(message: Message) -> None:
            nonlocal status, responded
            if message["type"] == "http.response.start":
                status = message["status"]
                responded = True
                message["headers"] = [
                    *message.get("headers", ()),
                    (b"x-request-id", request_id.encode()),
                ]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception as exc:
            # What the app's handlers did not turn into an answer (Starlette hands these
            # to the outermost middleware, outside this one): answered here, so the 500
            # carries the request id too. Raised on if an answer had already begun.
            if responded:
                raise
            await unexpected_problem(Request(scope), exc)(scope, receive, send_with_id)
        finally:
            _record(scope, status, time.perf_counter() - started)
            REQUEST_ID.reset(token)


def _request_id(scope: Scope) -> str:
    for name, value in scope["headers"]:
        if name == b"x-request-id":
            text = value.decode("latin-1")
            if _CLIENT_REQUEST_ID.fullmatch(text):
                return text
            break
    return uuid.uuid4().hex


def _record(scope: Scope, status: int, seconds: float) -> None:
    template = route_template(scope)
    method = scope["method"]
    metrics.observe_request(method, template, status, seconds)
    caller = scope.get("state", {}).get("caller", "anonymous")
    access.info(
        "%s %s %d %.1fms %s",
        method,
        template,
        status,
        seconds * 1000,
        caller,
        extra={
            "fields_in_message": True,
            "fields": {
                "method": method,
                "route": template,
                "status": status,
                "durationMs": round(seconds * 1000, 2),
                "caller": caller,
                "requestId": REQUEST_ID.get(),
            },
        },
    )


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        self.key = key


def _refuse_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise _DuplicateKey(key)
        seen[key] = value
    return seen


class RequestBody:
    """Reads a request's body before the application does, to refuse two things up front:
    a body over `max_bytes` (413, by its Content-Length before reading, or as soon as a
    streamed body passes the limit), and a JSON body that names one key twice (400: JSON
    parsers disagree on which one wins, so a check and a use could see different values).
    The application then reads the same bytes."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        declared = _header(scope, b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._too_large(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await self._too_large(scope, receive, send)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        if body and _is_json(scope):
            try:
                scope[JSON_BODY] = json.loads(body, object_pairs_hook=_refuse_duplicates)
            except _DuplicateKey as duplicate:
                await _answer(
                    scope,
                    receive,
                    send,
                    400,
                    "duplicate_json_key",
                    "Duplicate key in JSON",
                    f"The JSON body names the key '{duplicate.key[:100]}' more than once.",
                )
                return
            except RecursionError:
                # Nested deeper than the parser goes (about a thousand levels): the
                # application's own parse would fail the same way, with a 500.
                await _answer(
                    scope,
                    receive,
                    send,
                    400,
                    "malformed_json",
                    "Malformed JSON",
                    "The request body is nested too deeply to be read.",
                )
                return
            except ValueError:
                pass  # malformed JSON: the application's 400 says so

        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        await _answer(
            scope,
            receive,
            send,
            413,
            "payload_too_large",
            "Payload too large",
            f"The request body is larger than {self.max_bytes} bytes.",
        )


def _is_json(scope: Scope) -> bool:
    content_type = (_header(scope, b"content-type") or "").split(";", 1)[0].strip().lower()
    return content_type == "application/json" or content_type.endswith("+json")


class SignInGate:
    """Admits a bounded number of password and secret checks per process
    (identity/hashing.py) and refuses the rest with 429 at once, before routing,
    validation or any database work: a burst of guesses then costs the server
    microseconds each instead of a full request. Runs after RequestBody, whose parsed
    JSON tells a password sign-in from a one-time code."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        route = (scope.get("method"), scope.get("path"))
        if scope["type"] != "http" or route not in SIGN_IN_ROUTES:
            await self.app(scope, receive, send)
            return
        hashes = SIGN_IN_ROUTES[route]
        if hashes is not None and not hashes(scope.get(JSON_BODY)):
            await self.app(scope, receive, send)
            return
        passwords = scope["app"].state.runtime.passwords
        try:
            passwords.admit()
        except HashingBusy as busy:
            metrics.SIGN_INS_REFUSED.labels("busy").inc()
            await _answer(
                scope,
                receive,
                send,
                busy.status,
                busy.code,
                busy.title,
                busy.detail,
                headers=busy.headers,
            )
            return
        try:
            await self.app(scope, receive, send)
        finally:
            passwords.release()


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return value.decode("latin-1")
    return None


async def _answer(
    scope: Scope,
    receive: Receive,
    send: Send,
    status: int,
    code: str,
    title: str,
    detail: str,
    *,
    headers: dict[str, Any] | None = None,
) -> None:
    response = request_problem(Request(scope), status, code, title, detail, headers=headers)
    await response(scope, receive, send)
