"""Insights: the findings an analyst would write, stated from the metrics and only when the data supports them.

Every finding is computed from the :class:`~marginscope.metrics.engine.Metrics` facade
(so it carries the same filters, scope and caching as the page that shows its evidence),
worded from a fixed template with its numbers formatted as the pages format them, and
shown only when its condition holds. Thresholds are the fields of :class:`Thresholds`
(defaults below); every finding has a severity (``info``, ``warning``, ``critical``) and
links to the page with the evidence.

Definitions
-----------
- **concentration** (evidence: Profitability). The smallest share of customers, ranked by
  gross profit, whose GP reaches ``profit_share`` (default 80%) of total GP, and the GP share
  of the top ``top_share`` (20%) of customers
  (:func:`marginscope.metrics.profitability.concentration`). Shown when there are at least
  ``min_customers`` (5) customers, total GP is positive and that share of customers is at
  most ``concentration_share`` (30%). Severity: warning when it is at most
  ``concentration_warning_share`` (10%: profit hangs on very few accounts), else info.
  Entities: those customers.
- **negative_margin** (Profitability). Customers whose contribution margin is below 0
  (:func:`marginscope.metrics.profitability.negative_margin`), their share of customers,
  their total CM, and how many have discount, cost to serve or returns as the main driver.
  Shown when there is at least one. Severity: critical when they are at least
  ``negative_share_critical`` (10%) of customers, else warning. Entities: the customers.
- **tier_multiple** (Profitability, contribution by tier). Of every pair of tiers of
  :func:`marginscope.metrics.profitability.tier_multiples`, the one with the largest
  multiple of revenue per active customer (ties: by tier, then versus), with its multiple
  of orders per active customer. Shown when that multiple is at least ``tier_multiple``
  (1.5). Severity: info.
- **mover_<dimension>** for industry, customer, product, rep (sales per value of the
  dimension) and manager (:func:`marginscope.metrics.team.managers`). Revenue in the selected
  range against the comparison period of the basis chosen in the filter bar (the same period
  last year by default; :func:`marginscope.metrics.sales.comparison_periods`); a value missing in
  one period counts 0. The mover is the value with the largest absolute change (ties: by
  id). Shown when the range has a start and an end and that change is at least
  ``mover_share`` (2%) of the larger of the two periods' total revenue. Severity: warning
  when the mover fell, info when it rose. Entities: up to ``movers_listed`` (3) values whose
  change passes the same bar, largest first.
- **rep_quadrant** (Team), one finding per quadrant of the CVR x average-sale matrix
  (:mod:`marginscope.metrics.team`) holding reps, with the quadrant's recommended action.
  Shown when at least ``min_reps`` (2) reps have a quadrant. Severity: warning for "Needs
  support", else info. Entities: the reps.
- **abc_products** (Products). The A products (the set that makes 80% of revenue,
  :mod:`marginscope.metrics.products`), their share of revenue and each one's growth against
  the comparison period (the basis chosen in the filter bar). Shown when at least
  ``min_products`` (3) products have positive revenue. Severity: warning when an A product's
  revenue fell by more than ``decline``
  (10%), else info.
- **budget** (Budget). Revenue to date against budget
  (:func:`marginscope.metrics.budget.to_date`) and the full-year outlook of the as-of
  year (:func:`marginscope.metrics.budget.full_year_outlook`); the as-of date is the
  forecast's (the end of the range, never after today). Shown when the revenue budget to
  date is positive. Severity: critical when attainment to date or outlook attainment is
  below ``budget_critical`` (90%), warning when below 100%, else info.
- **slipping** (Segments). Customers whose RFM segment moved from Champions or Loyal to
  At-Risk over the last quarter (:func:`marginscope.metrics.rfm.migration`), with their
  revenue in the range and their share of the customers that were Champions or Loyal.
  Shown when there is at least one. Severity: critical when that share is at least
  ``slipping_critical_share`` (20%), else warning.

Findings come critical first, then warning, then info, each severity in the order above.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, cast

import pandas as pd

# The figures in a finding's text read exactly as on the pages (€1.2k, 34.5%): one set of formats.
from marginscope import formats as fmt
from marginscope.config import get_settings
from marginscope.metrics import semantic
from marginscope.metrics.filters import EVERYTHING, Filters, Scope
from marginscope.metrics.forecast import as_of_for
from marginscope.metrics.products import A_SHARE
from marginscope.metrics.sales import comparison_periods

if TYPE_CHECKING:
    from marginscope.metrics.engine import Metrics

SEVERITIES = ("critical", "warning", "info")
MOVER_DIMENSIONS = {"industry": ("industry", "Industries", "/profitability"),
                    "customer_id": ("customer", "Customers", "/profitability"),
                    "product_id": ("product", "Products", "/products"),
                    "rep_id": ("rep", "Reps", "/team"),
                    "manager": ("manager", "Managers", "/team")}
NAME_COLUMNS = {"customer_id": "customer_name", "product_id": "product_name", "rep_id": "rep_name"}


@dataclass(frozen=True)
class Thresholds:
    """When a finding appears and how severe it is; see the module docstring for each."""

    profit_share: float = 0.80
    top_share: float = 0.20
    concentration_share: float = 0.30
    concentration_warning_share: float = 0.10
    min_customers: int = 5
    negative_share_critical: float = 0.10
    tier_multiple: float = 1.5
    mover_share: float = 0.02
    movers_listed: int = 3
    min_reps: int = 2
    min_products: int = 3
    decline: float = 0.10
    budget_critical: float = 0.90
    slipping_critical_share: float = 0.20


DEFAULTS = Thresholds()
# The thresholds that are shares of a whole (of customers, of gross profit, of revenue): from 0 to 1.
SHARES = ("profit_share", "top_share", "concentration_share", "concentration_warning_share",
          "negative_share_critical", "mover_share", "slipping_critical_share")


@dataclass(frozen=True)
class Entity:
    """A customer, product, rep, manager or industry a finding names, with what it says about it."""

    kind: str
    id: str
    name: str
    note: str = ""

    @property
    def path(self) -> str | None:
        """The page of the entity, when it has one of its own."""
        return f"/customer/{self.id}" if self.kind == "customer" else None


@dataclass(frozen=True)
class Finding:
    """One finding: its kind, a title, the templated text, severity, numbers, evidence page and entities.

    ``numbers`` is read-only; ``link`` is a path, to which :meth:`url` adds the filters' query string.

    >>> f = Finding("budget", "Budget", "…", "info", {"attainment": 1.02}, "/budget")
    >>> f.url("?start=2026-01-01"), f.numbers["attainment"]
    ('/budget?start=2026-01-01', 1.02)
    """

    kind: str
    title: str
    text: str
    severity: str
    numbers: dict
    link: str
    entities: Sequence[Entity] = field(default=())  # a tuple once made

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"unknown severity {self.severity!r}; use one of {', '.join(SEVERITIES)}")
        object.__setattr__(self, "numbers", MappingProxyType(dict(self.numbers)))
        object.__setattr__(self, "entities", tuple(self.entities))

    def url(self, search: str = "") -> str:
        return f"{self.link}{search}"

    def as_dict(self, search: str = "") -> dict:
        """The finding as JSON can carry it, its link keeping ``search`` (the filters' query string)."""
        return {"kind": self.kind, "title": self.title, "text": self.text, "severity": self.severity,
                "numbers": {k: fmt.json_value(v) for k, v in self.numbers.items()}, "link": self.url(search),
                "entities": [{**asdict(e), "path": e.path} for e in self.entities]}


def _float(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _rows(frame: pd.DataFrame) -> Iterator[Any]:
    """The rows of ``frame`` as named tuples, whose fields are as untyped as the frame's columns."""
    return frame.itertuples()


def _names(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _signed_money(value: float, currency: str) -> str:
    return ("+" if value > 0 else "") + fmt.money(value, currency)


def _prior_range(basis: semantic.Comparison, prior: Filters) -> str:
    """Where a comparison's figure comes from, in words.

    >>> _prior_range(semantic.comparison("yoy"), Filters(start=dt.date(2025, 1, 1), end=dt.date(2025, 3, 31)))
    'in the same period last year (01 Jan 2025 – 31 Mar 2025)'
    """
    return f"in the {basis.label[0].lower()}{basis.label[1:]} ({prior.start:%d %b %Y} – {prior.end:%d %b %Y})"


def _signed_percent(value: float | None) -> str:
    return "n/a" if value is None else ("+" if value > 0 else "") + fmt.percent(value)


def concentration(m: Metrics, filters: Filters, scope: Scope, t: Thresholds, currency: str) -> Finding | None:
    found = m.profitability.concentration(filters, scope, profit_share=t.profit_share, top_share=t.top_share)
    share, n = found["customer_share_for_profit_share"], found["customers"]
    if share is None or n < t.min_customers or share > t.concentration_share + 1e-12:
        return None
    table = m.profitability.customers(filters, scope)
    top = table.assign(gp=table.gross_profit.astype("float64")).sort_values(
        ["gp", "customer_id"], ascending=[False, True]).head(round(share * n))
    numbers = {"customers": n, "top_customers": len(top), "customer_share": share, "profit_share": t.profit_share,
               "top_share": t.top_share, "gp_share_of_top": found["gp_share_of_top"]}
    text = (f"{fmt.percent(share)} of customers ({len(top)} of {n}) make {fmt.percent(t.profit_share, 0)} of "
            f"gross profit; the top {fmt.percent(t.top_share, 0)} make {fmt.percent(found['gp_share_of_top'])}.")
    entities = [Entity("customer", row.customer_id, row.name, f"gross profit {fmt.money(row.gp, currency)}")
                for row in _rows(top)]
    severity = "warning" if share <= t.concentration_warning_share + 1e-12 else "info"
    title = f"{fmt.counted(len(top), 'customer')} make {fmt.percent(t.profit_share, 0)} of gross profit"
    return Finding("concentration", title,
                   text, severity, numbers, "/profitability", entities)


DRIVER_NAMES = {"discount": "discount", "cost_to_serve": "cost to serve", "returns": "returns"}


def negative_margin(m: Metrics, filters: Filters, scope: Scope, t: Thresholds, currency: str) -> Finding | None:
    losers, summary = m.profitability.negative_margin(filters, scope)
    if summary["customers"] == 0:
        return None
    drivers = {driver: int((losers.main_driver == driver).sum()) for driver in DRIVER_NAMES}
    numbers = {"customers": summary["customers"], "share_of_customers": summary["share_of_customers"],
               "contribution_margin": summary["total"], **{f"by_{d}": n for d, n in drivers.items()}}
    causes = [f"{DRIVER_NAMES[d]} for {n}" for d, n in sorted(drivers.items(), key=lambda kv: -kv[1]) if n]
    one = summary["customers"] == 1
    text = (f"{fmt.counted(summary['customers'], 'customer')} ({fmt.percent(summary['share_of_customers'])} of "
            f"customers) {'has' if one else 'have'} a "
            f"negative contribution margin, {fmt.money(summary['total'], currency)} in all."
            + (f" The main cause is {_names(causes)}." if causes else ""))
    entities = [Entity("customer", row.customer_id, row.name,
                       f"contribution {fmt.money(row.contribution_margin, currency)}"
                       + (f", mostly {DRIVER_NAMES[row.main_driver]}" if isinstance(row.main_driver, str) else ""))
                for row in _rows(losers)]
    severity = "critical" if summary["share_of_customers"] >= t.negative_share_critical - 1e-12 else "warning"
    return Finding("negative_margin", f"{fmt.counted(summary['customers'], 'customer')} "
                   f"{'loses' if one else 'lose'} money", text, severity, numbers,
                   "/profitability", entities)


def tier_multiple(m: Metrics, filters: Filters, scope: Scope, t: Thresholds, currency: str) -> Finding | None:
    pairs = m.profitability.tier_multiples(filters, scope).dropna(subset=["revenue_multiple"])
    if pairs.empty:
        return None
    best = pairs.sort_values(["revenue_multiple", "tier", "versus"], ascending=[False, True, True]).iloc[0]
    if best.revenue_multiple < t.tier_multiple - 1e-12:
        return None
    numbers = {"tier": best.tier, "versus": best.versus, "revenue_multiple": float(best.revenue_multiple),
               "orders_multiple": _float(best.orders_multiple)}
    text = (f"{best.tier} customers spend {fmt.decimal_number(best.revenue_multiple)}x as much and buy "
            f"{fmt.decimal_number(best.orders_multiple)}x as often as {best.versus} customers "
            "(per active customer).")
    return Finding("tier_multiple", f"{best.tier} customers spend {fmt.decimal_number(best.revenue_multiple)}x "
                   f"{best.versus}", text, "info", numbers, "/profitability")


def _revenue_by(m: Metrics, dimension: str, filters: Filters, scope: Scope) -> pd.DataFrame:
    """(key, name, revenue) per value of a mover dimension."""
    if dimension == "manager":
        table = m.team.managers(filters, scope)
        return pd.DataFrame({"key": table.manager, "name": table.manager, "revenue": table.revenue})
    table = m.sales.top(dimension, None, filters, scope)  # revenue is all a mover needs: no costs to allocate
    names = table[NAME_COLUMNS[dimension]] if dimension in NAME_COLUMNS else table[dimension]
    return pd.DataFrame({"key": table[dimension], "name": names, "revenue": table.revenue})


def mover(m: Metrics, dimension: str, filters: Filters, scope: Scope, t: Thresholds,
          currency: str, comparison: str | None = None) -> Finding | None:
    if filters.start is None or filters.end is None:
        return None
    basis = semantic.comparison(comparison)
    prior_filters = filters.with_range(*comparison_periods(filters, basis.name).prior)
    now, before = _revenue_by(m, dimension, filters, scope), _revenue_by(m, dimension, prior_filters, scope)
    table = now.merge(before, on="key", how="outer", suffixes=("", "_prior"))
    table = table.assign(name=table.name.fillna(table.name_prior).fillna(table.key).fillna("(none)"),
                         key=table.key.fillna("(none)").astype(str),
                         revenue=table.revenue.astype("float64").fillna(0),
                         revenue_prior=table.revenue_prior.astype("float64").fillna(0))
    table["change"] = table.revenue - table.revenue_prior
    bar = t.mover_share * max(table.revenue.sum(), table.revenue_prior.sum())
    table = table[table.change.abs() >= bar - 1e-9]
    table = table[table.change != 0]
    if table.empty:
        return None
    table = table.assign(size=table.change.abs()).sort_values(["size", "key"], ascending=[False, True])
    top = table.iloc[0]
    growth = (top.change / abs(top.revenue_prior)) if top.revenue_prior else None
    kind, plural, link = MOVER_DIMENSIONS[dimension]
    numbers = {"dimension": dimension, "id": top.key, "name": str(top["name"]), "revenue": float(top.revenue),
               "prior_revenue": float(top.revenue_prior), "change": float(top.change), "growth": growth,
               "prior_start": prior_filters.start, "prior_end": prior_filters.end}
    direction = "rose" if top.change > 0 else "fell"
    text = (f"{plural}: {top['name']} moved most. Revenue {direction} by {fmt.money(abs(top.change), currency)} "
            f"({_signed_percent(growth) if top.revenue_prior else 'new'}), to {fmt.money(top.revenue, currency)} from "
            f"{fmt.money(top.revenue_prior, currency)} {_prior_range(basis, prior_filters)}.")
    entities = [Entity(kind, row.key, str(row.name), f"{_signed_money(row.change, currency)}")
                for row in _rows(table.head(t.movers_listed))]
    return Finding(f"mover_{kind}", f"{top['name']} {direction} most among {plural.lower()}", text,
                   "warning" if top.change < 0 else "info", numbers, link, entities)


def rep_quadrants(m: Metrics, filters: Filters, scope: Scope, t: Thresholds, currency: str) -> list[Finding]:
    from marginscope.metrics.team import QUADRANTS

    reps = m.team.reps(filters, scope)
    placed = reps[reps.quadrant.notna()]
    if len(placed) < t.min_reps:
        return []
    company_cvr, company_sale = reps.attrs["company_conversion_rate"], reps.attrs["company_average_sale"]
    found = []
    for name, action in QUADRANTS.values():
        members = placed[placed.quadrant == name].sort_values("rep_id")
        if members.empty:
            continue
        numbers = {"quadrant": name, "reps": len(members), "company_conversion_rate": company_cvr,
                   "company_average_sale": company_sale}
        names = [str(n) if isinstance(n, str) else str(r) for n, r in zip(members.name, members.rep_id)]
        verb = "falls" if len(members) == 1 else "fall"
        text = (f"{_names(names)} {verb} in the {name} quadrant (company: conversion {fmt.percent(company_cvr)}, "
                f"average sale {fmt.money(company_sale, currency)}). Recommended: {action}")
        entities = [Entity("rep", row.rep_id, shown,
                           f"conversion {fmt.percent(row.conversion_rate)}, average sale "
                           f"{fmt.money(row.average_sale, currency)}")
                    for row, shown in zip(_rows(members), names)]
        found.append(Finding("rep_quadrant", f"{name}: {len(members)} rep{'s' if len(members) > 1 else ''}", text,
                             "warning" if name == "Needs support" else "info", numbers, "/team", entities))
    return found


def abc_products(m: Metrics, filters: Filters, scope: Scope, t: Thresholds, currency: str,
                 comparison: str | None = None) -> Finding | None:
    basis = semantic.comparison(comparison)
    table = m.products.performance(filters, scope, basis.name)
    sold = table[table.revenue.astype("float64") > 0]
    if len(sold) < t.min_products:
        return None
    a = sold[sold.abc_class == "A"]
    growth = a.growth if "growth" in a else pd.Series([float("nan")] * len(a), index=a.index)
    falling = a[growth < -t.decline - 1e-12]
    numbers = {"a_products": len(a), "products": len(sold), "a_revenue_share": float(a.cumulative_share.iloc[-1]),
               "a_revenue": float(a.revenue.astype("float64").sum()), "falling": len(falling)}
    listed = [f"{row.name} ({_signed_percent(_float(g))})" for row, g in zip(_rows(a), growth)]
    text = (f"{len(a)} of {len(sold)} products make {fmt.percent(numbers['a_revenue_share'])} of revenue: "
            f"{_names(listed)}.")
    if len(falling):
        text += (f" {len(falling)} of them fell more than {fmt.percent(t.decline, 0)} against the "
                 f"{basis.label.lower()}: {_names(list(falling.name))}.")
    entities = [Entity("product", row.product_id, row.name, f"growth {_signed_percent(_float(g))}")
                for row, g in zip(_rows(a), growth)]
    verb = "makes" if len(a) == 1 else "make"
    title = f"{fmt.counted(len(a), 'product')} {verb} {fmt.percent(A_SHARE, 0)} of revenue"
    return Finding("abc_products", title, text,
                   "warning" if len(falling) else "info", numbers, "/products", entities)


def budget(m: Metrics, filters: Filters, scope: Scope, t: Thresholds, currency: str,
           as_of: dt.date | None = None) -> Finding | None:
    as_of = as_of or as_of_for(filters)
    to_date = m.budget.to_date(filters, scope, as_of=as_of).set_index("measure")
    if "revenue" not in to_date.index:
        return None
    row = to_date.loc["revenue"]
    planned = _float(row.budget)
    if planned is None or planned <= 0:
        return None
    attainment = _float(row.attainment)
    assert attainment is not None, "a budget above 0 has an attainment"
    numbers: dict[str, Any] = {"as_of": as_of, "budget_to_date": planned, "actual_to_date": _float(row.actual),
                               "variance": _float(row.variance), "attainment": attainment}
    text = (f"Revenue to {as_of:%d %b %Y} is {fmt.percent(attainment)} of budget: "
            f"{fmt.money(row.actual, currency)} against {fmt.money(planned, currency)}.")
    outlook = m.budget.full_year_outlook(as_of.year, filters, scope, as_of=as_of).set_index("measure")
    rated = [attainment]
    if "revenue" in outlook.index and _float(outlook.loc["revenue"].outlook_attainment) is not None:
        year = cast(pd.Series, outlook.loc["revenue"])  # one row per measure
        numbers.update(year=as_of.year, outlook=float(year.outlook), full_year_budget=float(year.full_year_budget),
                       outlook_attainment=float(year.outlook_attainment))
        rated.append(numbers["outlook_attainment"])
        text += (f" The {as_of.year} outlook is {fmt.money(year.outlook, currency)}, "
                 f"{fmt.percent(year.outlook_attainment)} of the {fmt.money(year.full_year_budget, currency)} "
                 "budget.")
    worst = min(rated)
    severity = "critical" if worst < t.budget_critical - 1e-12 else "warning" if worst < 1 - 1e-12 else "info"
    return Finding("budget", f"Revenue at {fmt.percent(attainment)} of budget", text, severity, numbers, "/budget")


def slipping(m: Metrics, filters: Filters, scope: Scope, t: Thresholds, currency: str) -> Finding | None:
    moves, slipped = m.rfm.migration(filters, scope)
    if slipped.empty:
        return None
    were_top = int(moves.loc[moves.segment_before.isin(["Champions", "Loyal"]), "customers"].sum())
    share = len(slipped) / were_top
    customers = m.profitability.customers(filters, scope).set_index("customer_id")
    ids = list(slipped.customer_id)
    revenue = customers.revenue.astype("float64").reindex(ids).fillna(0)
    names = customers["name"].reindex(ids)
    numbers = {"customers": len(ids), "were_champions_or_loyal": were_top, "share": share,
               "revenue": float(revenue.sum())}
    text = (f"{fmt.counted(len(ids), 'customer')} slipped from Champions or Loyal to At-Risk over the last quarter "
            f"({fmt.percent(share)} of the {were_top} who were Champions or Loyal); they bought "
            f"{fmt.money(revenue.sum(), currency)} in the period.")
    entities = [Entity("customer", cid, str(names[cid]) if isinstance(names[cid], str) else cid,
                       f"was {before}, revenue {fmt.money(revenue[cid], currency)}")
                for cid, before in zip(ids, slipped.segment_before)]
    severity = "critical" if share >= t.slipping_critical_share - 1e-12 else "warning"
    return Finding("slipping", f"{fmt.counted(len(ids), 'customer')} slipping to At-Risk", text, severity, numbers,
                   "/segments",
                   entities)


def findings(m: Metrics, filters: Filters, scope: Scope = EVERYTHING, thresholds: Thresholds = DEFAULTS,
             currency: str = "EUR", as_of: dt.date | None = None, comparison: str | None = None) -> list[Finding]:
    """Every finding the data supports, critical first (see the module docstring); the movers compare
    with ``comparison`` (the semantic layer's default when None)."""
    t = thresholds
    found = [concentration(m, filters, scope, t, currency), negative_margin(m, filters, scope, t, currency),
             tier_multiple(m, filters, scope, t, currency)]
    found += [mover(m, dimension, filters, scope, t, currency, comparison) for dimension in MOVER_DIMENSIONS]
    found += rep_quadrants(m, filters, scope, t, currency)
    found += [abc_products(m, filters, scope, t, currency, comparison), budget(m, filters, scope, t, currency, as_of),
              slipping(m, filters, scope, t, currency)]
    present = [f for f in found if f is not None]
    return sorted(present, key=lambda f: SEVERITIES.index(f.severity))


class InsightMetrics:
    """Findings written from the other metrics; definitions in this module."""

    def __init__(self, metrics: Metrics):
        self._m = metrics

    def findings(self, filters: Filters = Filters(), scope: Scope = EVERYTHING,
                 thresholds: Thresholds = DEFAULTS, currency: str | None = None,
                 as_of: dt.date | None = None, comparison: str | None = None) -> list[Finding]:
        """Every finding the data supports under ``thresholds``, critical first.

        ``currency`` (default: the settings') formats the amounts in the text; ``as_of`` (default: the end
        of the range, never after today) dates the budget finding; the movers compare with ``comparison``
        (default: the semantic layer's, the same period last year).
        """
        comparison = semantic.comparison(comparison).name
        currency = currency or get_settings().currency
        # One data version for the key and for every figure the findings read; the findings only read
        # cached methods (which lock), so they are computed without holding the lock (forecasts are fitted).
        with self._m.pinned():
            found = self._m._computed(self.findings, filters, scope, lambda: findings(
                self._m, filters, scope, thresholds, currency, as_of, comparison),
                thresholds=thresholds, currency=currency, as_of=as_of, comparison=comparison)
            return cast(list[Finding], found)  # the cache holds (and copies) the list as it would a frame
