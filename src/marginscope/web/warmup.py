"""Render the common views once when the server starts, so the first user does not pay for them.

A query is compiled once per filter shape (see :mod:`marginscope.metrics.templates`);
the first view of each shape costs a second or so. Warming renders every page with
the default filters and the overview with one filter of each kind, over the default
range and over a range of whole months, then every page again as a user with a scope
(a rep or a manager: the scope is a filter shape of its own), in a background thread
that steps aside while users' pages are being drawn.
"""

from __future__ import annotations

import datetime as dt
import gc
import logging
import threading
import time
from urllib.parse import urlencode

from marginscope.metrics import EVERYTHING, Scope, templates
from marginscope.metrics.engine import Metrics
from marginscope.metrics.periods import month_end, month_start

log = logging.getLogger(__name__)


def first_values(metrics: Metrics, scope: Scope = EVERYTHING) -> dict[str, str]:
    """One value of every filter the data has, by query parameter."""
    catalog = metrics.catalog
    candidates = {parameter: catalog.attribute_values(attribute, scope)[:1]
                  for parameter, attribute in (("region", "region"), ("industry", "industry"), ("tier", "tier"),
                                               ("type", "customer_type"))}
    candidates["rep"] = catalog.reps().rep_id.head(1).tolist()
    candidates["category"] = catalog.categories()[:1]
    candidates["customer"] = catalog.find_customers("", scope, limit=1).customer_id.tolist()
    return {parameter: values[0] for parameter, values in candidates.items() if values}


def whole_months(last: dt.date) -> str:
    """The year to date of the data cut at its last whole month, as a URL query.

    The default range ends on the data's last day; a range of whole months (a month, a
    quarter, from a date picker) is a filter shape of its own (see
    :mod:`marginscope.metrics.templates`).

    Examples
    --------
    >>> whole_months(dt.date(2026, 11, 23))
    '?start=2026-01-01&end=2026-10-31'
    >>> whole_months(dt.date(2026, 11, 30))
    '?start=2026-01-01&end=2026-11-30'
    """
    end = last if last == month_end(last) else month_start(last) - dt.timedelta(days=1)
    return f"?{urlencode({'start': dt.date(end.year, 1, 1).isoformat(), 'end': end.isoformat()})}"


def views(menu: list[str], values: dict[str, str], months: str = "") -> list[tuple[str, str]]:
    """Every menu page with the default filters, then the overview with each single filter, and the
    overview over the range of whole months ``months`` alone and with each single filter.

    Examples
    --------
    >>> views(["/", "/team"], {"region": "North"})
    [('/', ''), ('/team', ''), ('/', '?region=North')]
    >>> views(["/"], {"region": "North"}, "?start=2026-01-01&end=2026-10-31")[1:]
    [('/', '?region=North'), ('/', '?start=2026-01-01&end=2026-10-31'), \
('/', '?start=2026-01-01&end=2026-10-31&region=North')]
    """
    single = [f"?{urlencode({p: v})}" for p, v in values.items()]
    over_months = [months, *(f"{months}&{search[1:]}" for search in single)] if months else []
    return [(path, "") for path in menu] + [("/", search) for search in single + over_months]


class WarmUp:
    """The warm-up thread; ``done`` tells whether it has finished."""

    def __init__(self, render, metrics: Metrics, menu: list[str], users_waiting=lambda: False):
        self.render, self.metrics, self.menu = render, metrics, menu
        self.users_waiting = users_waiting
        self.done = threading.Event()

    def start(self) -> WarmUp:
        threading.Thread(target=self._run, name="marginscope-warm-up", daemon=True).start()
        return self

    def _run(self) -> None:
        started = time.perf_counter()
        try:
            values = first_values(self.metrics)
            # One customer stands in for any scope: queries are compiled per shape, not per value.
            scoped = Scope(frozenset([values["customer"]])) if "customer" in values else None
            last = self.metrics.catalog.data_span()[1]
            passes = [(view, EVERYTHING) for view in views(self.menu, values, whole_months(last) if last else "")]
            passes += [((path, ""), scoped) for path in self.menu] if scoped else []
            with templates.eagerly():  # users will ask for these shapes again: template them now
                for (path, search), scope in passes:
                    while self.users_waiting():
                        time.sleep(0.05)
                    self.render(path, search, None, scope)
        except Exception:  # warming is an optimisation; a failure must not stop the server
            log.exception("warming up the views failed")
        finally:
            settle()
            self.done.set()
            log.info("views warmed up in %.1f s", time.perf_counter() - started)


def settle() -> None:
    """Collect the garbage of starting up, then keep every object alive now out of the garbage
    collector's full collections (``gc.freeze``).

    The server starts with some 350,000 objects (the modules of Ibis, pandas, Dash and Plotly, and
    the templates of the warm-up), and a full collection walks them all: a pause of about 200 ms that
    fell, every thirty filter changes or so, in the middle of a user's page. Frozen, they are no
    longer walked; objects made afterwards are collected as before.
    """
    gc.collect()
    gc.freeze()
