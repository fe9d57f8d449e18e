"""Every public method of the :class:`~marginscope.metrics.engine.Metrics` facade, with the
arguments the parity suite calls it with.

:func:`public_methods` finds the methods by looking at the facade (every namespace, every
public method), and the suite fails naming any that :data:`CALLS` does not cover, so a new
metric cannot go unchecked. Each entry gives named variants of a call; ``each_selection``
variants are called once per :class:`Selection` (filters, scope and as-of date), the others
(lookups and checks of the whole warehouse) once.
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace

from marginscope.insights import Thresholds
from marginscope.metrics import EVERYTHING, Filters, Scope
from marginscope.metrics.engine import Metrics
from tests.backends.company import Q1, R1_SCOPE, YEAR


@dataclass(frozen=True)
class Selection:
    """Filters and scope a user picks; ``as_of`` is the end of the range."""

    name: str
    filters: Filters
    scope: Scope = EVERYTHING

    @property
    def as_of(self) -> dt.date:
        return self.filters.end


SELECTIONS = (
    Selection("Jul 2025 - Jun 2026", YEAR),
    Selection("Q1 2026, North", replace(Q1, regions={"North"})),
    # A scope (customer ids) and a product filter, under which cost to serve is allocated.
    Selection("Q1 2026, Hardware, rep R1's customers", replace(Q1, categories={"Hardware"}), R1_SCOPE),
)

Call = Callable[[Metrics, Selection], object]


@dataclass(frozen=True)
class Calls:
    """Named variants of one method's call; ``ordered=False`` when the method promises no row order."""

    variants: dict[str, Call]
    each_selection: bool = True
    ordered: bool = True
    ignore: tuple[str, ...] = field(default=())  # columns that differ by nature (when each engine loaded)


def _one(call: Call, **options) -> Calls:
    return Calls({"": call}, **options)


def _over(values, call: Callable[[Metrics, Selection, object], object], **options) -> Calls:
    return Calls({str(value): (lambda m, s, v=value: call(m, s, v)) for value in values}, **options)


# The few customers of the API company give fewer than the default thresholds' minimums.
SMALL = Thresholds(min_customers=2, min_reps=1, min_products=1, mover_share=0.0)
LOAD_TIMES = ("started_at", "duration_s")

CALLS: dict[str, Calls] = {
    # catalog: lookups for filters and search
    "catalog.attribute_values": _over(("region", "customer_type"),
                                      lambda m, s, a: m.catalog.attribute_values(a, s.scope)),
    "catalog.categories": _one(lambda m, s: m.catalog.categories(), each_selection=False),
    "catalog.customer_names": _one(lambda m, s: m.catalog.customer_names(["C1", "C2", "S1", "F6", "nobody"], s.scope),
                                   ordered=False),
    "catalog.data_span": _one(lambda m, s: m.catalog.data_span(s.scope)),
    "catalog.find_customers": _over(("ACME", " f1 "),
                                    lambda m, s, text: m.catalog.find_customers(text, s.scope, limit=7)),
    "catalog.owned_customers": Calls({"R1": lambda m, s: m.catalog.owned_customers(reps=["R1"]),
                                      "Mia's team": lambda m, s: m.catalog.owned_customers(manager="Mia")},
                                     each_selection=False),
    "catalog.products": _one(lambda m, s: m.catalog.products(), each_selection=False),
    "catalog.reps": _one(lambda m, s: m.catalog.reps(), each_selection=False),
    "catalog.table_counts": _one(lambda m, s: m.catalog.table_counts(), each_selection=False),
    # quality: checks of the whole warehouse
    # The checks read the rows behind every check (check_rows) at the same threshold.
    "quality.checks": _one(lambda m, s: m.quality.checks(0.5), each_selection=False),
    "quality.check_rows": _one(lambda m, s: m.quality.check_rows("invoice lines without a cost (cogs)", 0.5),
                               each_selection=False),
    "quality.duplicate_customers": _one(lambda m, s: m.quality.duplicate_customers(), each_selection=False),
    "quality.load_log": _one(lambda m, s: m.quality.load_log(), each_selection=False, ignore=LOAD_TIMES),
    "quality.missing_budget_months": _one(lambda m, s: m.quality.missing_budget_months(), each_selection=False),
    "quality.quarantine": _one(lambda m, s: m.quality.quarantine(), each_selection=False),
    "quality.tables": _one(lambda m, s: m.quality.tables(refresh_hours=1e6), each_selection=False,
                           ignore=("last_load", "hours_since_load")),
    # sales
    # A customer, a product and a rep dimension: the three ways cost to serve reaches a group.
    "sales.by": Calls({**{d: (lambda m, s, d=d: m.sales.by(d, s.filters, s.scope))
                          for d in ("region", "category", "rep_id")},
                       "customer_id, labelled": lambda m, s: m.sales.by("customer_id", s.filters, s.scope, True)}),
    "sales.compare": _over(("previous", "ytd"), lambda m, s, basis: m.sales.compare(basis, s.filters, s.scope)),
    "sales.summary": _one(lambda m, s: m.sales.summary(s.filters, s.scope)),
    "sales.top_customers": _one(lambda m, s: m.sales.top_customers(5, s.filters, s.scope)),
    "sales.top_products": _one(lambda m, s: m.sales.top_products(1, s.filters, s.scope)),
    "sales.top": _over(("customer_id", "category"), lambda m, s, d: m.sales.top(d, 3, s.filters, s.scope)),
    "sales.trend": _over(("month", "week", "quarter"), lambda m, s, grain: m.sales.trend(grain, s.filters, s.scope)),
    "products.demand_trend": _over(("month",),
                                   lambda m, s, grain: m.products.demand_trend(grain, s.filters, s.scope)),
    "products.performance": _one(lambda m, s: m.products.performance(s.filters, s.scope)),
    # budget
    "budget.by_dimension": _over(("region", "product_category"), lambda m, s, d: m.budget.by_dimension(
        d, s.filters, s.scope, as_of=s.as_of - dt.timedelta(days=10))),
    # the budget a selection compares with: the company's, a scope's reps' cells, or none and why
    "budget.basis": _one(lambda m, s: m.budget.basis(s.filters, s.scope)),
    "budget.by_month": _one(lambda m, s: m.budget.by_month(s.filters, s.scope, as_of=s.as_of - dt.timedelta(days=10))),
    "budget.monthly_budget": _one(lambda m, s: m.budget.monthly_budget(s.filters, s.scope)),
    "budget.full_year_outlook": _one(lambda m, s: m.budget.full_year_outlook(2026, s.filters, s.scope,
                                                                             as_of=s.as_of)),
    "budget.to_date": _one(lambda m, s: m.budget.to_date(s.filters, s.scope, as_of=s.as_of)),
    # customers
    "customers.portrait": _over(("C1",), lambda m, s, c: m.customers.portrait(c, s.filters, s.scope)),
    "customers.retention": _over(("owner_rep_id",), lambda m, s, seg: m.customers.retention(seg, s.filters, s.scope)),
    "customers.status": _over(("month",), lambda m, s, grain: m.customers.status(grain, s.filters, s.scope)),
    "customers.status_lists": _one(lambda m, s: m.customers.status_lists("month", s.filters, s.scope, window=90)),
    # profitability
    "profitability.concentration": _one(lambda m, s: m.profitability.concentration(s.filters, s.scope)),
    "profitability.contribution_by": _over(("region",),
                                           lambda m, s, d: m.profitability.contribution_by(d, s.filters, s.scope)),
    "profitability.customers": _one(lambda m, s: m.profitability.customers(s.filters, s.scope)),
    "profitability.negative_margin": _over(("contribution_margin", "gross_profit"),
                                           lambda m, s, by: m.profitability.negative_margin(s.filters, s.scope, by)),
    "profitability.tier_multiples": _one(lambda m, s: m.profitability.tier_multiples(s.filters, s.scope)),
    "profitability.whale_curve": _one(lambda m, s: m.profitability.whale_curve(s.filters, s.scope)),
    # pipeline and team
    "pipeline.compare": _over(("previous",), lambda m, s, basis: m.pipeline.compare(basis, s.filters, s.scope)),
    "pipeline.funnel": Calls({"total": lambda m, s: m.pipeline.funnel(s.filters, s.scope)}),
    "pipeline.movers": _over(("rep_id",), lambda m, s, d: m.pipeline.movers(d, s.filters, s.scope)),
    "pipeline.summary": Calls({"total": lambda m, s: m.pipeline.summary(s.filters, s.scope),
                               **{d: (lambda m, s, d=d: m.pipeline.summary(s.filters, s.scope, dimension=d))
                                  for d in ("rep_id",)},
                               "quarter": lambda m, s: m.pipeline.summary(s.filters, s.scope, grain="quarter")}),
    "team.managers": _one(lambda m, s: m.team.managers(s.filters, s.scope)),
    "team.reps": _one(lambda m, s: m.team.reps(s.filters, s.scope)),
    # RFM
    "rfm.matrix": _one(lambda m, s: m.rfm.matrix(s.filters, s.scope)),
    "rfm.migration": _one(lambda m, s: m.rfm.migration(s.filters, s.scope)),
    "rfm.scores": _one(lambda m, s: m.rfm.scores(s.filters, s.scope)),
    "rfm.segments": _one(lambda m, s: m.rfm.segments(s.filters, s.scope)),
    # receivables
    "receivables.aging": _over((False, True), lambda m, s, by: m.receivables.aging(s.filters, s.scope, by)),
    "receivables.open_invoices": _one(lambda m, s: m.receivables.open_invoices(s.filters, s.scope)),
    "receivables.summary": _one(lambda m, s: m.receivables.summary(s.filters, s.scope)),
    # campaigns and NPS
    "campaigns.by_day": _one(lambda m, s: m.campaigns.by_day("CA1", s.filters, s.scope)),
    "campaigns.campaign": _over(("CA1",), lambda m, s, c: m.campaigns.campaign(c, s.filters, s.scope)),
    "campaigns.customers": _one(lambda m, s: m.campaigns.customers("CA1", s.filters, s.scope)),
    "campaigns.summary": _one(lambda m, s: m.campaigns.summary(s.filters, s.scope)),
    "nps.by": _over(("tier", "rfm_segment"), lambda m, s, d: m.nps.by(d, s.filters, s.scope)),
    "nps.respondents": _one(lambda m, s: m.nps.respondents(s.filters, s.scope)),
    "nps.responses": _one(lambda m, s: m.nps.responses(s.filters, s.scope)),
    "nps.summary": _one(lambda m, s: m.nps.summary(s.filters, s.scope)),
    # forecasts: the history (the input) of every series; models fitted on two of them
    "forecast.history": _over(("company", "region", "rep_id"), lambda m, s, series: m.forecast.history(series, s.filters, s.scope)),
    "forecast.candidates": _one(lambda m, s: m.forecast.candidates("revenue", "region", s.filters, s.scope)),
    "forecast.backtest": _one(lambda m, s: m.forecast.backtest("gross_profit", "company", s.filters, s.scope)),
    "forecast.monthly": _one(lambda m, s: m.forecast.monthly("revenue", "region", 6, s.filters, s.scope)),
    "forecast.horizon_to": _one(lambda m, s: m.forecast.horizon_to(dt.date(2026, 12, 1), s.as_of)),
    # started, then collected: what a page that starts its forecasts shows
    "forecast.start": _one(lambda m, s: (m.forecast.start("gross_profit", "region", 6, s.filters, s.scope),
                                         m.forecast.monthly("gross_profit", "region", 6, s.filters, s.scope))[1]),
    # churn risk and lifetime value: inputs (panel, summary) and what the models make of them
    "churn.panel": _one(lambda m, s: m.churn.panel(s.filters, s.scope)),
    "churn.holdout": _one(lambda m, s: m.churn.holdout(s.filters, s.scope)),
    "churn.risk": _one(lambda m, s: m.churn.risk(s.filters, s.scope)),
    "churn.at_risk": _one(lambda m, s: m.churn.at_risk(s.filters, s.scope, threshold=0.3)),
    "churn.at_risk_summary": _one(lambda m, s: m.churn.at_risk_summary(s.filters, s.scope)),
    "churn.validation": _one(lambda m, s: m.churn.validation(s.filters, s.scope)),
    "clv.summary": _one(lambda m, s: m.clv.summary(s.filters, s.scope)),
    "clv.model": _one(lambda m, s: m.clv.model(s.filters, s.scope)),
    "clv.customers": _one(lambda m, s: m.clv.customers(s.filters, s.scope, horizon_months=6)),
    "clv.by_segment": _one(lambda m, s: m.clv.by_segment(s.filters, s.scope)),
    # insights: the findings read the other metrics
    "insights.findings": _one(lambda m, s: m.insights.findings(s.filters, s.scope, SMALL, "EUR", s.as_of)),
}


def public_methods(metrics: Metrics) -> Iterator[str]:
    """``namespace.method`` for every public method of every namespace of the facade."""
    # The namespaces the facade holds, and those it gives as properties (the insights, imported when asked for).
    properties = {name: getattr(metrics, name) for name, member in inspect.getmembers(type(metrics))
                  if isinstance(member, property) and not name.startswith("_")}
    for namespace, value in {**vars(metrics), **properties}.items():
        if namespace.startswith("_") or getattr(value, "_m", None) is not metrics:
            continue
        for name, member in inspect.getmembers(type(value)):
            if not name.startswith("_") and callable(member):
                yield f"{namespace}.{name}"


@dataclass(frozen=True)
class Planned:
    """One call to make: its label (method, variant, selection), how to make it and how to compare it."""

    label: str
    method: str
    main: bool  # the method's first (main) variant
    call: Callable[[Metrics], object]
    entry: Calls


def calls_for(selections: tuple[Selection, ...], every_variant: bool = True) -> Iterator[Planned]:
    """Every call of :data:`CALLS` under ``selections``: with ``every_variant``, every variant under
    the first selection and the main one under the others; otherwise only main variants. Calls of
    the whole warehouse come once, with the first selection."""
    for method, entry in CALLS.items():
        for selection in selections if entry.each_selection else selections[:1]:
            for position, (variant, call) in enumerate(entry.variants.items()):
                if position and not (every_variant and selection is selections[0]):
                    continue
                label = f"{method}({variant})" + (f" under {selection.name}" if entry.each_selection else "")
                yield Planned(label, method, position == 0, (lambda m, c=call, s=selection: c(m, s)), entry)
