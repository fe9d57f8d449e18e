"""``marginscope serve``: the dashboard in one uvicorn process."""

from __future__ import annotations

import uvicorn

from marginscope.config import get_settings
from marginscope.metrics.engine import Metrics
from marginscope.warehouse import Warehouse
from marginscope.web.app import create_app


def build(url: str | None = None):
    """The ASGI application (Dash on FastAPI) over the warehouse at ``url``, warming up its views."""
    settings = get_settings()
    metrics = Metrics(Warehouse.connect(url or settings.warehouse))
    app = create_app(metrics, currency=settings.currency)
    if settings.warm_up:
        app.warm_up.start()
    else:
        app.warm_up.done.set()
    return app.server


def serve(url: str | None = None, host: str | None = None, port: int | None = None) -> None:
    settings = get_settings()
    uvicorn.run(build(url), host=host or settings.host, port=port or settings.port, log_level="warning")
