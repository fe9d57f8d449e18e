"""The HTTP side beyond the dashboard: sign-in and the REST API under ``/api/v1``.

:func:`install` puts them on a FastAPI server with the authentication middleware in front
of every route (see :mod:`.middleware`); the app factory (:mod:`marginscope.server`) calls
it beside the dashboard and the exports. Routers are one per domain in :mod:`.routes`;
they compute nothing and call :mod:`marginscope.metrics`. Nothing here imports the
dashboard (:mod:`marginscope.web`).
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from marginscope.api.middleware import AuthMiddleware
from marginscope.auth import Auth, LoginLimiter
from marginscope.config import get_settings
from marginscope.metrics.engine import Metrics


def install(server: FastAPI, metrics: Metrics, auth: Auth) -> None:
    """Add sign-in, ``/api/v1`` and the authentication middleware (in front of every route) to ``server``."""
    from marginscope.api import openapi
    from marginscope.api.routes import login, v1

    settings = get_settings()
    server.state.metrics, server.state.auth = metrics, auth
    limiter = LoginLimiter(attempts=settings.login_attempts, window=settings.login_window_minutes * 60,
                           backoff=settings.login_backoff_seconds, max_wait=settings.login_backoff_max_minutes * 60,
                           address_attempts=settings.login_address_attempts, max_keys=settings.login_tracked_keys)
    server.include_router(login.router(auth, limiter))
    server.include_router(v1.router(), prefix="/api/v1")

    @server.api_route("/api/{rest:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"], include_in_schema=False)
    async def no_such_route(rest: str) -> JSONResponse:
        """An API path that names no route: without this, the dashboard's catch-all answered 200 with a page."""
        return JSONResponse(status_code=404, content={"detail": f"no API route /api/{rest[:100]}; the routes are "
                                                                "listed at /docs"})
    server.add_middleware(AuthMiddleware, auth=auth)
    server.add_exception_handler(RequestValidationError, _without_the_input)
    openapi.install(server)


SHOWN_CHARACTERS = 200


async def _without_the_input(request: Request, exc: Exception) -> JSONResponse:
    """FastAPI's 422 repeats each bad value (``input``): a 50 MB push came back as a 45.8 MB answer. Here each
    problem keeps its place, its message and its type, with the message cut short."""
    assert isinstance(exc, RequestValidationError)
    problems = [{"loc": list(error.get("loc", ())), "msg": str(error.get("msg", ""))[:SHOWN_CHARACTERS],
                 "type": error.get("type", "")} for error in exc.errors()[:100]]
    return JSONResponse(status_code=422, content={"detail": problems})
