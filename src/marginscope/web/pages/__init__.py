"""One module per page. Each defines ``PAGE``: its path, title and ``render(context)``.

``render`` runs in a worker thread with the metrics pinned to one data version; it
asks :mod:`marginscope.metrics` for figures and lays them out. It never aggregates.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from marginscope.alerts import AlertEvaluator
from marginscope.auth import User
from marginscope.metrics import Filters, Scope
from marginscope.metrics.engine import Metrics
from marginscope.metrics.semantic import COMPARISONS, DEFAULT_COMPARISON


@dataclass(frozen=True)
class PageContext:
    """What a page renders from."""

    metrics: Metrics
    filters: Filters
    scope: Scope
    search: str  # the URL's query string, carried by every link
    counts: dict[str, int]  # rows per canonical table
    currency: str = "EUR"
    args: dict[str, str] = field(default_factory=dict)  # path parameters, e.g. the customer id
    user: User | None = None  # None: the whole warehouse, drawn for the warm-up, benchmarks and tests
    alerts: AlertEvaluator | None = None
    comparison: str = DEFAULT_COMPARISON  # the basis every comparison on the page uses (the filter bar's)

    @property
    def compared_with(self) -> str:
        """How the page names its comparison ("vs last year")."""
        return COMPARISONS[self.comparison].short_label

    def link(self, path: str) -> str:
        return f"{path}{self.search}"

    def has(self, table: str) -> bool:
        return self.counts.get(table, 0) > 0

    def rep_names(self) -> dict[str, str]:
        """rep_id -> the rep's name, for the grids that hold ids (a rep without a name keeps their id)."""
        reps = self.metrics.catalog.reps()
        return dict(zip(reps.rep_id, reps.name))


@dataclass(frozen=True)
class Page:
    path: str  # "/customer/<customer_id>" names a path parameter
    title: str
    render: Callable[[PageContext], list]
    in_menu: bool = True
    whole_warehouse: bool = False  # shows data outside any scope: admins and analysts only
    section: str | None = None  # the menu entry a page outside the menu belongs to (highlighted for it)

    def match(self, pathname: str) -> dict[str, str] | None:
        pattern = "^" + re.sub(r"<(\w+)>", r"(?P<\1>[^/]+)", self.path.rstrip("/") or "/") + "/?$"
        found = re.match(pattern, pathname or "/")
        return found.groupdict() if found else None


def all_pages() -> list[Page]:
    from marginscope.web.pages import (
        alerts,
        budget,
        campaigns,
        customers,
        data,
        forecast,
        insights,
        overview,
        pipeline,
        portrait,
        products,
        profitability,
        segments,
        team,
    )
    return [overview.PAGE, insights.PAGE, budget.PAGE, forecast.PAGE, segments.PAGE, profitability.PAGE,
            customers.PAGE, team.PAGE, pipeline.PAGE, campaigns.PAGE, products.PAGE, alerts.PAGE, data.PAGE,
            portrait.PAGE,
            forecast.VIEW, campaigns.DETAIL]


def resolve(pathname: str, pages: list[Page]) -> tuple[Page, dict[str, str]] | None:
    """The page serving ``pathname`` and its path parameters.

    Examples
    --------
    >>> page, args = resolve("/customer/C000003", all_pages())
    >>> page.title, args
    ('Customer', {'customer_id': 'C000003'})
    """
    from urllib.parse import unquote
    for page in pages:
        args = page.match(pathname)
        if args is not None:
            return page, {name: unquote(value) for name, value in args.items()}
    return None
