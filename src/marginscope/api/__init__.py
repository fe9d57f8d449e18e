"""The HTTP side beyond the dashboard: sign-in, the REST API under ``/api/v1`` and exports.

:func:`install` puts them on the dashboard's FastAPI server with the authentication
middleware in front of every route (see :mod:`.middleware`). Routers are one per domain
in :mod:`.routes`; they compute nothing and call :mod:`marginscope.metrics`.
"""

from __future__ import annotations

from fastapi import FastAPI

from marginscope.api.middleware import AuthMiddleware
from marginscope.auth import Auth, LoginLimiter
from marginscope.config import get_settings
from marginscope.metrics.engine import Metrics


def install(server: FastAPI, metrics: Metrics, auth: Auth, render_page=None) -> None:
    """Add sign-in, ``/api/v1``, exports and the authentication middleware to ``server``.

    ``render_page(path, search, user, scope)`` draws a dashboard page server side (exports use it).
    """
    from marginscope.api import openapi
    from marginscope.api.routes import export, login, v1

    settings = get_settings()
    server.state.metrics, server.state.auth, server.state.render_page = metrics, auth, render_page
    limiter = LoginLimiter(settings.login_attempts, settings.login_window_minutes * 60)
    server.include_router(login.router(auth, limiter))
    server.include_router(v1.router(), prefix="/api/v1")
    server.include_router(export.router)
    server.add_middleware(AuthMiddleware, auth=auth)
    openapi.install(server)
