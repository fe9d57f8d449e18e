"""The app factory: one place assembles the server, and ``marginscope serve`` runs it.

:func:`create_app` puts the dashboard (Dash on its FastAPI backend, :mod:`marginscope.web`),
the sign-in and REST API (:mod:`marginscope.api`), the exports (:mod:`marginscope.export`),
the alert rules and the scheduler that evaluates them and reloads the refresh sources
(:mod:`marginscope.alerts`, :mod:`marginscope.background`) on one server, in one process.
The dashboard and the API do not import each other: this module joins them.
"""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager

import uvicorn
from dash import Dash

from marginscope import background
from marginscope.alerts import AlertEvaluator
from marginscope.api import install as install_api
from marginscope.api.limits import BodyLimitMiddleware, BodyLimits
from marginscope.auth import Auth, Role, UserError
from marginscope.config import get_settings
from marginscope.export import routes as export_routes
from marginscope.ingest.refresh import RefreshPlan
from marginscope.load_service import LoadService
from marginscope.metrics.engine import Metrics
from marginscope.warehouse import Warehouse
from marginscope.web import warmup
from marginscope.web.app import create_dashboard

log = logging.getLogger(__name__)


def create_app(metrics: Metrics, auth: Auth | None = None, currency: str = "EUR",
               refresh: RefreshPlan | None = None) -> Dash:
    """The whole server over ``metrics``: dashboard, API, exports, alerts and scheduler.

    ``auth`` holds the users (default: an empty in-memory store, for tests that render pages
    directly); every route but ``/login`` and ``/healthz`` needs a signed-in user.
    ``app.scheduler`` (started with the server, see :func:`build`) evaluates the alert rules
    and reloads the ``refresh`` sources. Returns the Dash app; ``app.server`` is the FastAPI
    application to serve.
    """
    auth = auth or Auth(":memory:")
    alerts = AlertEvaluator(metrics, auth)
    app = create_dashboard(metrics, auth, alerts, currency)
    install_api(app.server, metrics, auth)
    # Added last, so outermost: a body too large is refused before sign-in is even checked.
    app.server.add_middleware(BodyLimitMiddleware, limits=BodyLimits.from_settings(get_settings()))
    app.server.state.render_page = app.render_page  # the exports draw pages with it
    app.server.include_router(export_routes.router)
    app.alerts = alerts  # type: ignore[attr-defined]
    service = LoadService(metrics, auth, alerts)
    app.scheduler = background.scheduler(  # type: ignore[attr-defined]
        service, alerts, refresh, get_settings().alerts_every_minutes)
    app.server.state.alerts, app.server.state.scheduler = alerts, app.scheduler
    app.server.state.load_service = service

    @app.server.get("/healthz", include_in_schema=False)
    async def health() -> dict:
        """Liveness, and whether the common views are compiled yet."""
        return {"status": "ok", "warmed_up": app.warm_up.done.is_set()}

    return app


def bootstrap_admin(auth: Auth) -> str | None:
    """Create the admin named by ``MARGINSCOPE_ADMIN_USER`` / ``MARGINSCOPE_ADMIN_PASSWORD`` if it does not exist.

    There is never a default password: without both variables, nothing is created.
    """
    settings = get_settings()
    if not (settings.admin_user and settings.admin_password) or auth.users.get(settings.admin_user):
        return None
    try:
        auth.users.add(settings.admin_user, settings.admin_password, Role.ADMIN)
    except UserError as exc:
        raise SystemExit(f"cannot create the admin from MARGINSCOPE_ADMIN_USER: {exc}") from None
    auth.audit.record("user_added", settings.admin_user, role="admin", by="MARGINSCOPE_ADMIN_USER")
    return settings.admin_user


def build(url: str | None = None, app_db: str | None = None, refresh: str | None = None):
    """The ASGI application (Dash on FastAPI) over the warehouse at ``url``, warming up its views.

    Its scheduler (alert rules, and the sources of the ``refresh`` file) starts with the server.
    """
    settings = get_settings()
    refresh = refresh or settings.refresh_config
    plan = RefreshPlan.from_yaml(refresh) if refresh else None  # a bad file stops the server here, with the reason
    metrics = Metrics(Warehouse.connect(url or settings.warehouse))
    auth = Auth.open(app_db)
    bootstrap_admin(auth)
    if auth.users.count() == 0:
        log.warning("no users yet: create one with `marginscope users add NAME --role admin`")
    app = create_app(metrics, auth, currency=settings.currency, refresh=plan)
    if settings.warm_up:
        app.warm_up.start()
    else:
        warmup.settle()
        app.warm_up.done.set()

    @asynccontextmanager
    async def running(_server):
        app.scheduler.start()
        try:
            yield
        finally:
            app.scheduler.stop()

    app.server.router.lifespan_context = running
    return app.server


def proxy_options(trusted_proxies: list[str]) -> dict:
    """uvicorn's options for forwarded headers: believed only from ``trusted_proxies`` (default none).

    uvicorn on its own believes ``X-Forwarded-For`` from 127.0.0.1, so that anyone on the server's
    machine, or anything forwarding to it, could name any client address to the sign-in limits and
    the audit log. Every part of the server reads the client as ``scope["client"]``
    (:func:`marginscope.api.middleware.client_address`), which these options decide.

    Examples
    --------
    >>> proxy_options([])
    {'proxy_headers': False}
    >>> proxy_options(["10.0.0.5"])
    {'proxy_headers': True, 'forwarded_allow_ips': ['10.0.0.5']}
    """
    if not trusted_proxies:
        return {"proxy_headers": False}
    return {"proxy_headers": True, "forwarded_allow_ips": list(trusted_proxies)}


def serve(url: str | None = None, host: str | None = None, port: int | None = None,
          app_db: str | None = None, refresh: str | None = None) -> None:
    settings = get_settings()
    uvicorn.run(build(url, app_db, refresh), host=host or settings.host, port=port or settings.port,
                log_level="warning", **proxy_options(settings.trusted_proxies))
