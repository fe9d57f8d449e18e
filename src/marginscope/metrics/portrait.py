"""One customer's full portrait, composed from the other metrics with a customer filter.

Nothing is defined here that the other metric modules define: revenue, profit,
comparisons, receivables and trends come from them, so the portrait agrees with
every page. The date range is the "current period"; lifetime means all history.
Churn risk (:mod:`.churn`) and lifetime value (:mod:`.clv`) are the customer's row of
the models fitted over the selection without its customer filter, as of the end of
the range: the same figures the Customers and Segments pages show for it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace

import ibis
import pandas as pd

from marginscope.metrics import churn, clv, receivables, sales
from marginscope.metrics.customers import CHURN_WINDOW_DAYS
from marginscope.metrics.executor import execute
from marginscope.metrics.filters import EVERYTHING, Filters, Scope, cost_lines, ratio, sales_lines
from marginscope.metrics.periods import month_end, period_starts
from marginscope.warehouse import Warehouse


class CustomerNotFound(LookupError):
    """The customer does not exist, or is outside the user's scope (the two are not told apart)."""


@dataclass
class Portrait:
    """Everything a customer profile shows. DataFrames are empty where there is nothing to show."""

    customer: dict
    current: pd.DataFrame  # sales.summary of the date range
    year_over_year: pd.DataFrame  # sales.compare("yoy")
    year_to_date: pd.DataFrame  # sales.compare("ytd")
    lifetime: pd.DataFrame  # sales.summary over all history
    distinct_products: int  # products it ever bought (on an invoice), beside the lifetime revenue
    products: pd.DataFrame  # per product: quantity, revenue, gross profit, gross margin
    reps: pd.DataFrame  # reps credited on its lines: revenue, first and last invoice
    first_order: pd.DataFrame  # the lines of its first order
    largest_order: pd.DataFrame  # the lines of its largest order by revenue
    returns: pd.DataFrame  # its credit-note lines
    orders_by_status: pd.DataFrame
    late_deliveries: int
    receivables: pd.DataFrame  # open invoices with aging at the end of the range
    aging: pd.DataFrame
    receivables_history: pd.DataFrame  # open amount at each month end of the range
    cost_to_serve: pd.DataFrame  # by category
    trend: pd.DataFrame  # monthly sales.trend
    churn: dict  # churn_probability, as_of, horizon_days, auc of the model, reason when there is none
    lifetime_value: dict  # clv, clv_to_cac, expected_purchases, p_alive, ..., reason when there is none


def churn_of(customer_id: str, risk: pd.DataFrame, validation: churn.Validation) -> dict:
    """The customer's churn probability from a :func:`marginscope.metrics.churn.risk` table."""
    row = risk[risk.customer_id == customer_id]
    as_of = risk.attrs["as_of"]
    reason = risk.attrs.get("reason")
    if row.empty:
        reason = f"not an active customer: no purchase in the {CHURN_WINDOW_DAYS} days to {as_of:%d %b %Y}"
    return {"churn_probability": None if row.empty else row.churn_probability.iloc[0], "as_of": as_of,
            "horizon_days": churn.HORIZON_DAYS, "auc": validation.auc, "reason": reason}


def lifetime_value_of(customer_id: str, values: pd.DataFrame) -> dict:
    """The customer's lifetime value from a :func:`marginscope.metrics.clv.customers` table."""
    row = values[values.customer_id == customer_id]
    found = row.iloc[0].to_dict() if not row.empty else {}
    reason = values.attrs.get("reason")
    if row.empty:
        reason = f"no purchase up to {values.attrs['as_of']:%d %b %Y} in this selection"
    return {name: found.get(name) for name in ("clv", "clv_to_cac", "acquisition_cost", "expected_purchases",
                                                "p_alive", "expected_margin_per_purchase", "margin_basis")} | {
        "as_of": values.attrs["as_of"], "horizon_months": values.attrs["horizon_months"],
        "annual_discount_rate": values.attrs["annual_discount_rate"], "reason": reason}


def _customer_row(wh: Warehouse, customer_id: str, scope: Scope) -> dict:
    if scope.customers is not None and customer_id not in scope.customers:
        raise CustomerNotFound(customer_id)
    c = wh.table("customers")
    rows = execute(wh, c.filter(c.customer_id == customer_id))
    if rows.empty:
        raise CustomerNotFound(customer_id)
    return rows.iloc[0].to_dict()


def _order_lines(wh: Warehouse, lines, pick) -> pd.DataFrame:
    invoices = lines.filter(lines.kind == "invoice")
    orders = invoices.group_by("order_key").aggregate(day=invoices.invoice_date.min(), revenue=invoices.revenue.sum())
    chosen = orders.order_by(pick(orders)).limit(1)
    picked = invoices.semi_join(chosen, "order_key")
    return execute(wh, picked.select("order_key", "invoice_id", "line_no", "invoice_date", "product_id",
                                     "product_name", "quantity", "unit_price", "discount", "net_amount")
                   .order_by(["invoice_id", "line_no"]))


def _month_ends(start: dt.date, end: dt.date) -> list[dt.date]:
    return [min(month_end(month), end) for month in period_starts(start, end, "month")]


def portrait(wh: Warehouse, customer_id: str, filters: Filters, scope: Scope = EVERYTHING,
             fiscal_year_start_month: int = 1,
             churn_risk: Callable[[Filters], tuple[pd.DataFrame, churn.Validation]] | None = None,
             lifetime_values: Callable[[Filters], pd.DataFrame] | None = None) -> Portrait:
    """The portrait of ``customer_id`` over the filters' date range (which must be set).

    ``churn_risk(filters)`` gives the churn risk table and its validation, and
    ``lifetime_values(filters)`` a CLV table, for the selection without its customer
    filter; by default they are computed here (the metrics facade passes its cached ones).

    Raises
    ------
    CustomerNotFound
        If the customer does not exist or the scope does not include it.
    """
    if filters.start is None or filters.end is None:
        raise ValueError("a portrait needs a date range with a start and an end")
    customer = _customer_row(wh, customer_id, scope)
    mine = replace(filters, customers=frozenset({customer_id}))
    lifetime_filters = replace(mine, start=None, end=None)

    lines = sales_lines(wh, mine, scope)
    all_lines = sales_lines(wh, lifetime_filters, scope)
    signed_quantity = ibis.ifelse(lines.kind == "invoice", lines.quantity, -lines.quantity)
    products = lines.group_by(["product_id", "product_name", "category"]).aggregate(
        quantity=signed_quantity.sum(), revenue=lines.revenue.sum(),
        gross_profit=(lines.revenue - lines.cogs_signed).sum())
    products = products.mutate(gross_margin=ratio(products.gross_profit, products.revenue))
    reps = all_lines.group_by("rep_id").aggregate(revenue=all_lines.revenue.sum(),
                                                 first_invoice=all_lines.invoice_date.min(),
                                                 last_invoice=all_lines.invoice_date.max())
    returns = lines.filter(lines.kind == "credit_note").select(
        "invoice_id", "line_no", "invoice_date", "product_id", "product_name", "quantity", "net_amount").order_by(
        "invoice_date")

    o = wh.table("orders")
    own_orders = o.filter(o.customer_id == customer_id)
    by_status = execute(wh, own_orders.group_by("status").aggregate(orders=own_orders.count()).order_by("status"))
    late = execute(wh, own_orders.filter(own_orders.delivered_date > own_orders.promised_date).count())

    history = []
    for last_day in _month_ends(filters.start, filters.end):
        figures = receivables.dso(wh, mine.with_range(filters.start, last_day), scope)
        history.append({"month_end": last_day, "open_amount": figures["open_amount"],
                        "overdue_amount": figures["overdue_amount"]})

    population = replace(filters, customers=frozenset())
    if churn_risk is None:
        def churn_risk(f: Filters) -> tuple[pd.DataFrame, churn.Validation]:
            panel = churn.panel(wh, f, scope)
            return churn.risk(wh, panel), churn.validation(churn.holdout(panel))
    if lifetime_values is None:
        def lifetime_values(f: Filters) -> pd.DataFrame:
            table = clv.summary(wh, f, scope)
            return clv.customers(table, clv.fit(table))

    costs = cost_lines(wh, mine, scope)
    cost_by_category = costs.group_by("category").aggregate(amount=costs.amount.sum()).order_by("category")

    return Portrait(
        customer=customer,
        current=execute(wh, sales.summary_expr(wh, mine, scope)),
        year_over_year=sales.compare(wh, "yoy", mine, scope, fiscal_year_start_month),
        year_to_date=sales.compare(wh, "ytd", mine, scope, fiscal_year_start_month),
        lifetime=execute(wh, sales.summary_expr(wh, lifetime_filters, scope)),
        distinct_products=int(execute(wh, all_lines.filter(all_lines.kind == "invoice").product_id.nunique())),
        products=execute(wh, products.order_by([ibis.desc("revenue"), "product_id"])),
        reps=execute(wh, reps.order_by(ibis.desc("revenue"))),
        first_order=_order_lines(wh, all_lines, lambda orders: [orders.day, orders.order_key]),
        largest_order=_order_lines(wh, all_lines, lambda orders: [ibis.desc(orders.revenue), orders.order_key]),
        returns=execute(wh, returns),
        orders_by_status=by_status,
        late_deliveries=int(late),
        receivables=execute(wh, receivables.open_invoices_expr(wh, mine, scope)),
        aging=execute(wh, receivables.aging_expr(wh, mine, scope)),
        receivables_history=pd.DataFrame(history),
        cost_to_serve=execute(wh, cost_by_category),
        trend=execute(wh, sales.trend_expr(wh, "month", mine, scope)),
        churn=churn_of(customer_id, *churn_risk(population)),
        lifetime_value=lifetime_value_of(customer_id, lifetime_values(population)),
    )
