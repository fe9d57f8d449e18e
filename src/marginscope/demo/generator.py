"""The demo company model: sizing, the order of the stages, and :func:`build`.

One ``numpy.random.default_rng(seed)`` feeds every stage in a fixed order, so the
same arguments give the same data, row for row. The stages:

1. reps, customers, products, campaigns (:mod:`~marginscope.demo.entities`);
2. expected demand, then the scale that hits a requested number of lines;
3. orders, invoices, lines and credit notes (:mod:`~marginscope.demo.sales`);
4. payments, CRM activities, cost to serve, deals, NPS and the budget
   (:mod:`~marginscope.demo.finance`, :mod:`~marginscope.demo.crm`);
5. conversion to the canonical tables (:mod:`~marginscope.demo.canonical`).
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable

import numpy as np
import pyarrow as pa

from marginscope.demo import canonical, crm, entities, finance, sales
from marginscope.demo.timeline import Timeline

Progress = Callable[[str, float], None]

MAX_LINES_PER_CUSTOMER_YEAR = 85
"""When a line target needs more, the customer count grows instead (realistic density)."""


def plan_customers(customers: int, lines: int | None, t: Timeline) -> int:
    """Customers needed so that ``lines`` invoice lines stay at a realistic density.

    Examples
    --------
    >>> t = Timeline.create(datetime.date(2026, 11, 23), years=3)
    >>> plan_customers(1500, None, t), plan_customers(1500, 50_000, t), plan_customers(1500, 10_000_000, t)
    (1500, 1500, 40615)
    """
    if lines is None:
        return customers
    span_years = t.span_days / 365.25
    return max(customers, math.ceil(lines / (span_years * MAX_LINES_PER_CUSTOMER_YEAR)))


def _check(customers: int, years: int, lines: int | None) -> None:
    if customers < 10:
        raise ValueError("customers must be at least 10")
    if not 1 <= years <= 30:
        raise ValueError("years must be between 1 and 30")
    if lines is not None and lines < 1:
        raise ValueError("lines must be positive")


def simulate(*, seed: int = 7, customers: int = 1500, years: int = 3, lines: int | None = None,
             as_of: datetime.date | None = None, progress: Progress | None = None) -> canonical.World:
    """Run the model and return it before conversion to tables (see :func:`build`)."""
    _check(customers, years, lines)
    report = progress or (lambda stage, fraction: None)
    t = Timeline.create(as_of or datetime.date.today(), years)
    rng = np.random.default_rng(seed)
    n = plan_customers(customers, lines, t)

    report("customers", 0.0)
    reps = entities.make_reps(rng, n, t)
    cust = entities.make_customers(rng, n, t, reps)
    products = entities.make_products(rng)
    campaigns = entities.make_campaigns(rng, t, n)

    demand = sales.make_demand(cust, campaigns, t)
    scale = 1.0 if lines is None else lines / sales.expected_lines(demand, cust)
    report("orders", 0.1)
    s = sales.make_sales(rng, demand, scale, cust, reps, products, campaigns, t)
    report("payments", 0.35)
    payments = finance.make_payments(rng, s, cust, t)
    report("crm", 0.4)
    interactions = crm.make_interactions(rng, demand, cust, t)
    costs = finance.make_costs(rng, s, cust, interactions.meetings(), t)
    opportunities = crm.make_opportunities(rng, cust, reps, products, campaigns, t)
    nps = crm.make_nps(rng, demand, cust, s, t)
    budgets = finance.make_budgets(rng, s, cust, products, t)
    return canonical.World(
        timeline=t, reps=reps, customers=cust, products=products, campaigns=campaigns, sales=s,
        payments=payments, costs=costs, interactions=interactions, opportunities=opportunities,
        nps=nps, budgets=budgets,
    )


def build(*, seed: int = 7, customers: int = 1500, years: int = 3, lines: int | None = None,
          as_of: datetime.date | None = None) -> dict[str, pa.Table]:
    """The demo company's canonical tables, in memory.

    Parameters
    ----------
    seed
        Seed of the random generator; the same arguments always give the same tables.
    customers
        Number of customers (raised when ``lines`` needs more, see below).
    years
        Calendar years of history, the current (partial) one included: data runs from
        1 January of ``as_of.year - years + 1`` to ``as_of``.
    lines
        Approximate number of ``invoice_lines`` rows (invoice and credit-note lines),
        within a few percent. Order rates are scaled to hit it; above about 85 lines
        per customer and year the customer count grows instead. ``None`` keeps the
        natural rate (about 40 lines per customer and year).
    as_of
        The "today" of the data (default: today). Nothing is dated after it except
        due dates and promised delivery dates.

    Returns
    -------
    dict of str to pyarrow.Table
        One table per name of :data:`marginscope.schema.TABLES`, with exactly its
        columns in order, typed by kind: string, int64, date32, decimal128(18, 2) for
        money and decimal128(18, 4) for prices and quantities.
    """
    world = simulate(seed=seed, customers=customers, years=years, lines=lines, as_of=as_of)
    return canonical.to_tables(world)
