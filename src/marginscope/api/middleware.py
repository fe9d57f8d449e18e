"""Authentication for every route of the server: the dashboard, its callbacks, the API and exports.

A request is signed in by the session cookie (browsers) or by an
``Authorization: Bearer ms_...`` API token. Anything else is refused: pages redirect
to the sign-in page, every other route answers 401. Only the sign-in page and the
liveness probe are open.

State-changing requests signed in by cookie must carry the session's CSRF token in
the ``X-CSRFToken`` header (Dash's renderer sends it from the ``_csrf_token`` cookie);
the sign-in and sign-out forms check their own form field instead.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import partial
from urllib.parse import quote

import anyio
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Receive, Scope, Send

from marginscope.auth import Auth, principal
from marginscope.auth.principal import Principal

SESSION_COOKIE = "ms_session"
CSRF_COOKIE = "_csrf_token"
CSRF_HEADER = "x-csrftoken"
OPEN_PATHS = {"/login", "/healthz"}
FORM_PATHS = {"/login", "/logout"}  # check the CSRF token of their own form
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


async def _respond(send: Send, status: int, body: dict, headers: Sequence[tuple[bytes, bytes]] = ()) -> None:
    payload = json.dumps(body).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode()),
                            *headers]})
    await send({"type": "http.response.body", "body": payload})


def identify(auth: Auth, connection: HTTPConnection) -> Principal | None:
    """The principal of a request: by API token first, then by session cookie."""
    header = connection.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        found = auth.tokens.authenticate(header[7:].strip())
        return Principal(found[0], token_id=found[1]) if found else None
    session = auth.sessions.lookup(connection.cookies.get(SESSION_COOKIE))
    return Principal(session.user, csrf_token=session.csrf_token) if session else None


class AuthMiddleware:
    """Pure ASGI, so it costs one SQLite lookup (in a worker thread) and nothing else per request."""

    def __init__(self, app: ASGIApp, auth: Auth):
        self.app, self.auth = app, auth

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        connection = HTTPConnection(scope)
        path = scope["path"]
        # SQLite may wait on another process's write (the CLI adding a user): not on the event loop.
        who = await anyio.to_thread.run_sync(identify, self.auth, connection)
        if who is None and path not in OPEN_PATHS:
            return await self._refuse(connection, scope, send)
        if who is not None and who.token_id is None and scope.get("method", "GET") not in SAFE_METHODS \
                and path not in FORM_PATHS and connection.headers.get(CSRF_HEADER) != who.csrf_token:
            return await _respond(send, 403, {"detail": "missing or wrong CSRF token: reload the page and try again"})
        if who is not None and who.token_id is not None:
            await anyio.to_thread.run_sync(partial(
                self.auth.audit.record, "api", who.user.username, client_address(connection), token_id=who.token_id,
                method=scope.get("method"), path=path))
        if who is not None and path == "/" and not scope.get("query_string") and _wants_page(connection, scope):
            default = await anyio.to_thread.run_sync(self.auth.views.default, who.user)
            if default is not None and default.url != "/":  # a user's default view is where they land
                return await _redirect(send, default.url)
        reset = principal.current.set(who)
        try:
            await self.app(scope, receive, send)
        finally:
            principal.current.reset(reset)

    async def _refuse(self, connection: HTTPConnection, scope: Scope, send: Send) -> None:
        if _wants_page(connection, scope):
            target = scope["path"] + (f"?{scope['query_string'].decode()}" if scope.get("query_string") else "")
            return await _redirect(send, f"/login?next={quote(target, safe='')}")
        if scope["type"] == "websocket":
            return await send({"type": "websocket.close", "code": 4401})
        await _respond(send, 401, {"detail": "sign in first: a session cookie or an 'Authorization: Bearer' "
                                             "API token is needed"}, [(b"www-authenticate", b"Bearer")])


def _wants_page(connection: HTTPConnection, scope: Scope) -> bool:
    return scope["type"] == "http" and scope.get("method") == "GET" \
        and "text/html" in connection.headers.get("accept", "") and not scope["path"].startswith(("/api/", "/export/"))


async def _redirect(send: Send, location: str) -> None:
    await send({"type": "http.response.start", "status": 303,
                "headers": [(b"location", location.encode()), (b"content-length", b"0")]})
    await send({"type": "http.response.body", "body": b""})


def client_address(connection: HTTPConnection) -> str | None:
    """The address a request came from: the connection's peer, or what a trusted proxy said it was.

    The server alone decides which (``MARGINSCOPE_TRUSTED_PROXIES``, see
    :func:`marginscope.server.proxy_options`); headers are never read here, so a client cannot
    name its own address.
    """
    return connection.client.host if connection.client else None
