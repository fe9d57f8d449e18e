"""Payments, customer-attributed costs (cost to serve) and the current year's budget.

These stages read the generated sales, so what finance sees is consistent with it:
payments settle the invoices, costs scale with the business a customer brings, and
the budget is last year's actuals plus a growth target.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from marginscope.demo import vocab
from marginscope.demo.entities import Customers, Products
from marginscope.demo.sales import SEASON, Sales
from marginscope.demo.timeline import Timeline

# ---------------------------------------------------------------------------
# Payments
# ---------------------------------------------------------------------------


@dataclass
class Payments:
    """Payments in id order: ``invoice`` index, ``day`` paid and ``cents`` applied."""

    invoice: np.ndarray
    day: np.ndarray
    cents: np.ndarray


def make_payments(rng: np.random.Generator, sales: Sales, customers: Customers, t: Timeline) -> Payments:
    """Settle invoices: mostly around the due date, late payers 30-120 days late.

    About 4 % of invoices are paid in two instalments and 0.8 % are disputed and never
    paid. Payments that would fall after as_of have not happened yet, which leaves
    the recent invoices (and the late payers' older ones) as open receivables.
    """
    totals = sales.invoice_totals()
    customer = sales.invoice_customer
    n = len(totals)
    late_payer = customers.late_payer[customer]
    delay = np.round(rng.normal(-4.0, 5.0, n)).astype(np.int64)
    delay = np.where(rng.random(n) < 0.07, rng.integers(5, 30, n), delay)  # the odd slow payment
    delay = np.where(late_payer, rng.integers(30, 121, n), delay)
    day = np.maximum(sales.due_day + delay, sales.invoice_day + 1)
    disputed = rng.random(n) < 0.008
    split = rng.random(n) < 0.04
    first = np.where(split, np.round(totals * rng.uniform(0.3, 0.7, n)).astype(np.int64), totals)
    second_day = day + rng.integers(15, 61, n)

    invoice = np.concatenate([np.arange(n), np.arange(n)])
    paid_day = np.concatenate([day, second_day])
    cents = np.concatenate([first, totals - first])
    part = np.repeat([0, 1], n)
    keep = (np.concatenate([~disputed, split & ~disputed]) & (paid_day <= t.end_day) & (cents > 0))
    invoice, paid_day, cents, part = invoice[keep], paid_day[keep], cents[keep], part[keep]
    order = np.lexsort((part, invoice, paid_day))
    return Payments(invoice=invoice[order], day=paid_day[order], cents=cents[order])


# ---------------------------------------------------------------------------
# Cost to serve
# ---------------------------------------------------------------------------

FREIGHT, SERVICE, SALES_EXPENSE, MARKETING, OTHER = range(5)  # the order of schema.COST_CATEGORIES
FREIGHT_BY_REGION = np.array([1.35, 1.15, 1.1, 1.0, 0.9])  # remote regions ship dearer


@dataclass
class Costs:
    """Cost-to-serve postings in id order."""

    customer: np.ndarray
    day: np.ndarray
    category: np.ndarray
    cents: np.ndarray


def customer_gross_profit(sales: Sales, n_customers: int) -> np.ndarray:
    """Gross profit per customer in cents: invoice lines less credit notes, net less COGS."""
    line_customer = sales.invoice_customer[sales.line_invoice]
    credit_customer = sales.invoice_customer[sales.credit_invoice[sales.cn_line_credit]]
    gp = np.bincount(line_customer, weights=sales.line_net - sales.line_cogs, minlength=n_customers)
    gp -= np.bincount(credit_customer, weights=sales.cn_line_net - sales.cn_line_cogs, minlength=n_customers)
    return gp


def make_costs(rng: np.random.Generator, sales: Sales, customers: Customers, meetings: tuple,
               t: Timeline) -> Costs:
    """GL postings attributed to customers.

    - freight: monthly, 8 EUR per shipment plus ~2.5 % of the invoice, more in remote regions;
    - service: quarterly, 15 EUR plus ~1 % of the quarter's sales;
    - sales_expense: 40-250 EUR of travel per customer meeting;
    - marketing: now and then a small customer-specific promotion;
    - other: rare one-off charges.

    Planted: ``high_cost`` customers get service costs of 1.2-1.8 times their gross
    profit, so their contribution margin is negative however much they buy.
    """
    n, months = customers.count, t.months
    inv_customer = sales.invoice_customer
    inv_month = t.month_index(sales.invoice_day)
    totals = sales.invoice_totals()
    parts: list[tuple[np.ndarray, np.ndarray, int, np.ndarray]] = []  # (customer, day, category, amount)

    # Freight: per shipment, summed per customer and month, posted at month end.
    per_invoice = (800 + 0.025 * totals) * rng.uniform(0.8, 1.2, len(totals))
    per_invoice *= FREIGHT_BY_REGION[customers.region[inv_customer]]
    per_invoice *= np.where(customers.high_cost[inv_customer], 2.0, 1.0)
    cell = inv_customer * months + inv_month
    freight = np.bincount(cell, weights=per_invoice, minlength=n * months)
    cells = np.flatnonzero(freight > 0)
    parts.append((cells // months, t.month_end[cells % months], FREIGHT, freight[cells]))

    # Service: per customer and quarter with sales, posted at quarter end (or as_of).
    quarter_of_month = (t.year - t.year[0]) * 4 + (t.month_of_year - 1) // 3
    n_quarters = int(quarter_of_month[-1]) + 1
    quarter_end = np.array([t.month_end[quarter_of_month == q].max() for q in range(n_quarters)])
    q_cell = inv_customer * n_quarters + quarter_of_month[inv_month]
    q_sales = np.bincount(q_cell, weights=totals, minlength=n * n_quarters)
    q_cells = np.flatnonzero(q_sales > 0)
    q_customer = q_cells // n_quarters
    service = (1500 + 0.01 * q_sales[q_cells]) * rng.uniform(0.7, 1.3, len(q_cells))

    # Planted: support-heavy accounts whose service cost exceeds their gross profit.
    gp = np.maximum(customer_gross_profit(sales, n), 0)
    target = np.where(customers.high_cost, gp * rng.uniform(1.2, 1.8, n) + 30_000, 0)
    weight = rng.uniform(0.5, 1.5, len(q_cells)) * customers.high_cost[q_customer]
    weight_sum = np.bincount(q_customer, weights=weight, minlength=n)
    share = np.divide(weight, weight_sum[q_customer], out=np.zeros_like(weight), where=weight > 0)
    service += share * target[q_customer]
    parts.append((q_customer, quarter_end[q_cells % n_quarters], SERVICE, service))

    # Sales expenses: travel for each customer meeting.
    m_customer, m_day = meetings
    parts.append((m_customer, m_day, SALES_EXPENSE, rng.uniform(4000, 25000, len(m_customer))))

    # Marketing and other: occasional, on a random day of an active quarter.
    q_start = np.array([t.month_start[quarter_of_month == k].min() for k in range(n_quarters)])
    for occasional, chance, low, high in ((MARKETING, 0.10, 3000, 40000), (OTHER, 0.03, 2000, 30000)):
        picked = q_cells[rng.random(len(q_cells)) < chance]
        q = picked % n_quarters
        on = q_start[q] + (rng.random(len(picked)) * (quarter_end[q] - q_start[q] + 1)).astype(np.int64)
        parts.append((picked // n_quarters, on, occasional, rng.uniform(low, high, len(picked))))

    customer = np.concatenate([p[0] for p in parts])
    day = np.concatenate([p[1] for p in parts])
    category = np.concatenate([np.full(len(p[0]), p[2]) for p in parts])
    cents = np.maximum(np.round(np.concatenate([p[3] for p in parts])).astype(np.int64), 1)
    order = np.lexsort((category, customer, day))
    return Costs(customer=customer[order], day=day[order], category=category[order], cents=cents[order])


# ---------------------------------------------------------------------------
# Budget
# ---------------------------------------------------------------------------

BUDGET_GROWTH = 0.08


@dataclass
class Budgets:
    """Monthly budget cells of the current year: ``period`` day (month start),
    ``measure`` (0 revenue, 1 gross profit), ``region`` and product ``category`` codes."""

    period: np.ndarray
    measure: np.ndarray
    region: np.ndarray
    category: np.ndarray
    cents: np.ndarray


def _actuals(sales: Sales, customers: Customers, products: Products, t: Timeline, year: int) -> np.ndarray:
    """Revenue and gross profit of ``year`` in cents, shape (2 measures, 12 months, regions, categories).

    Revenue is invoice net minus credit-note net, dated by document date, as in METRICS.md.
    """
    n_regions, n_categories = len(vocab.REGIONS), len(vocab.CATEGORIES)
    shape = (2, 12, n_regions, n_categories)
    cube = np.zeros(shape)
    inv_customer = sales.invoice_customer
    pieces = (
        (sales.invoice_day[sales.line_invoice], inv_customer[sales.line_invoice], sales.line_product,
         sales.line_net, sales.line_cogs, 1.0),
        (sales.credit_day[sales.cn_line_credit], inv_customer[sales.credit_invoice[sales.cn_line_credit]],
         sales.line_product[sales.cn_line_source], sales.cn_line_net, sales.cn_line_cogs, -1.0),
    )
    for day, customer, product, net, cogs, sign in pieces:
        month = t.month_index(day)
        in_year = t.year[month] == year
        cell = np.ravel_multi_index(
            (t.month_of_year[month[in_year]] - 1, customers.region[customer[in_year]],
             products.category[product[in_year]]), shape[1:])
        size = int(np.prod(shape[1:]))
        cube[0] += sign * np.bincount(cell, weights=net[in_year], minlength=size).reshape(shape[1:])
        cube[1] += sign * np.bincount(cell, weights=(net - cogs)[in_year], minlength=size).reshape(shape[1:])
    return cube


def make_budgets(rng: np.random.Generator, sales: Sales, customers: Customers, products: Products,
                 t: Timeline) -> Budgets:
    """The current year's monthly budget by region and product category.

    Each cell is last year's actual of the same month and cell plus 8 % growth, with
    a little noise, rounded to whole euros. With a single year of data there is no
    last year: the cell's run rate so far, shaped by the seasonality, stands in.
    """
    year = t.as_of.year
    if t.start.year < year:
        base = _actuals(sales, customers, products, t, year - 1)
    else:
        so_far = _actuals(sales, customers, products, t, year)
        elapsed = np.zeros(12)
        elapsed[t.month_of_year - 1] = t.month_days / t.month_length
        weight = SEASON * elapsed
        run_rate = so_far.sum(axis=1, keepdims=True) / max(weight.sum(), 1e-9)
        base = run_rate * SEASON[None, :, None, None] / (1 + BUDGET_GROWTH)
    amount = base * (1 + BUDGET_GROWTH) * rng.normal(1.0, 0.03, base.shape)
    cents = np.round(amount / 100).astype(np.int64) * 100

    measure, month, region, category = np.indices(base.shape).reshape(4, -1)
    first_days = np.arange(np.datetime64(f"{year}-01"), np.datetime64(f"{year + 1}-01"))
    first_days = first_days.astype("datetime64[D]").astype(np.int64)
    order = np.lexsort((category, region, measure, month))
    return Budgets(period=first_days[month][order], measure=measure[order], region=region[order],
                   category=category[order], cents=cents.ravel()[order])
