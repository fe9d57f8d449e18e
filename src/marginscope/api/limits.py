"""Request bodies are bounded before they are read, on every route, signed in or not.

A body was read whole into memory wherever a route asked for it: a 200 MB ``POST /login``
(open to anyone) raised the server's memory by about 1 GB and stalled ``/healthz`` for 2.3 s,
and a 200 MB ingest push was read for 52.7 s before the 100,000-row limit refused it. Here a
body is refused with 413 as soon as it is known to be too large: at once when its
``Content-Length`` says so, otherwise as its chunks arrive, counted, without waiting for the
rest. The route never sees it.

Examples
--------
>>> limits = BodyLimits(login=16_384, ingest=64 << 20, other=8 << 20)
>>> limits.for_path("/login"), limits.for_path("/api/v1/ingest/payments"), limits.for_path("/_dash-update-component")
(16384, 67108864, 8388608)
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from marginscope.config import Settings

SIGN_IN_PATHS = ("/login", "/logout")
INGEST_PREFIX = "/api/v1/ingest/"


@dataclass(frozen=True)
class BodyLimits:
    """The largest body, in bytes, each kind of route reads."""

    login: int
    ingest: int
    other: int

    @classmethod
    def from_settings(cls, settings: Settings) -> BodyLimits:
        return cls(login=16 << 10, ingest=settings.ingest_max_mb << 20, other=settings.request_max_mb << 20)

    def for_path(self, path: str) -> int:
        if path in SIGN_IN_PATHS:
            return self.login  # a user name, a password and a token: a few hundred bytes
        if path.startswith(INGEST_PREFIX):
            return self.ingest
        return self.other


class BodyLimitMiddleware:
    """Answer 413 to a request whose body is larger than its route's limit (:class:`BodyLimits`)."""

    def __init__(self, app: ASGIApp, limits: BodyLimits):
        self.app, self.limits = app, limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limits.for_path(scope["path"])
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _refuse(send, limit)
            return
        received, too_large = 0, False

        async def counted() -> Message:
            nonlocal received, too_large
            if too_large:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    # The route is told the client went away: it stops reading and its answer is dropped.
                    too_large = True
                    return {"type": "http.disconnect"}
            return message

        async def unless_refused(message: Message) -> None:
            if not too_large:
                await send(message)

        try:
            await self.app(scope, counted, unless_refused)
        except Exception:
            if not too_large:
                raise
        if too_large:
            await _refuse(send, limit)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _refuse(send: Send, limit: int) -> None:
    payload = json.dumps({"detail": f"the request body is larger than {_size(limit)}, the most this route "
                                    "reads"}).encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": payload})


def _size(limit: int) -> str:
    """
    >>> _size(16 << 10), _size(64 << 20)
    ('16 KB', '64 MB')
    """
    return f"{limit >> 20} MB" if limit >= 1 << 20 else f"{limit >> 10} KB"
