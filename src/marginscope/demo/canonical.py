"""Turn the generated model (integer codes, days and cents) into canonical Arrow tables.

This is the only place that knows both the model's arrays and the identifiers and
labels of :mod:`marginscope.schema`; each table comes out with exactly the schema's
columns, in order, typed by kind (see :func:`marginscope.demo.arrowutil.arrow_schema`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from marginscope import schema
from marginscope.demo import vocab
from marginscope.demo.arrowutil import (
    NO_DAY,
    canonical_table,
    dates,
    id_width,
    ids,
    labels,
    money,
    price,
    quantity,
    take,
)
from marginscope.demo.crm import Interactions, Nps, Opportunities, comments
from marginscope.demo.entities import Campaigns, Customers, Products, Reps
from marginscope.demo.finance import Budgets, Costs, Payments
from marginscope.demo.sales import Sales
from marginscope.demo.timeline import Timeline

CURRENCY = "EUR"


@dataclass
class World:
    """Everything the generator made, before it becomes tables."""

    timeline: Timeline
    reps: Reps
    customers: Customers
    products: Products
    campaigns: Campaigns
    sales: Sales
    payments: Payments
    costs: Costs
    interactions: Interactions
    opportunities: Opportunities
    nps: Nps
    budgets: Budgets


@dataclass
class Ids:
    """Identifier strings of every entity, indexed like the model's rows."""

    customer: pa.Array
    rep: pa.Array
    product: pa.Array
    campaign: pa.Array
    order: pa.Array
    invoice: pa.Array
    credit: pa.Array

    @classmethod
    def of(cls, w: World) -> Ids:
        s = w.sales
        return cls(
            customer=ids("C", w.customers.count, id_width(w.customers.count, 6)),
            rep=ids("SP", w.reps.count, 3),
            product=ids("P", w.products.count, 4),
            campaign=ids("CMP-", w.campaigns.count, 3),
            order=ids("SO-", len(s.order_day), id_width(len(s.order_day), 7)),
            invoice=ids("INV-", len(s.invoice_day), id_width(len(s.invoice_day), 7)),
            credit=ids("CN-", len(s.credit_day), id_width(len(s.credit_day), 7)),
        )


BATCH_ROWS = 1_000_000
"""Rows per batch of the big tables: bounds memory when writing millions of lines."""


def to_tables(w: World) -> dict[str, pa.Table]:
    """All twelve canonical tables, keyed and ordered as :data:`schema.TABLES`."""
    i = Ids.of(w)
    return {name: pa.concat_tables(iter_table(w, name, ids=i)).combine_chunks() for name in schema.TABLES}


def iter_table(w: World, name: str, batch_rows: int = BATCH_ROWS, ids: Ids | None = None):
    """Yield canonical table ``name`` in pieces of at most ``batch_rows`` rows.

    The concatenated pieces are the whole table, in the same row order whatever the
    batch size; streaming them lets :mod:`~marginscope.demo.sources` write ten
    million lines without holding them all as Arrow columns at once.
    """
    i = ids or Ids.of(w)
    if name in _WHOLE:
        yield _WHOLE[name](w, i)
        return
    for maker, rows in _sliced_parts(w, name):
        for start in range(0, max(rows, 1), batch_rows):
            yield maker(w, i, slice(start, min(start + batch_rows, rows)))


def row_count(w: World, name: str) -> int:
    """Rows of canonical table ``name`` (cheap: no table is built)."""
    if name in _WHOLE:
        return {"customers": w.customers.count, "products": w.products.count, "reps": w.reps.count,
                "opportunities": len(w.opportunities.stage), "budgets": len(w.budgets.period),
                "campaigns": w.campaigns.count, "nps_responses": len(w.nps.day)}[name]
    return sum(rows for _, rows in _sliced_parts(w, name))


def _sliced_parts(w: World, name: str) -> list[tuple]:
    """Row makers ``(world, ids, rows: slice) -> pa.Table`` of a big table, with their row counts."""
    s = w.sales
    return {
        "invoice_lines": [(_invoice_part, len(s.line_invoice)), (_credit_part, len(s.cn_line_source))],
        "orders": [(_orders, len(s.order_day))],
        "payments": [(_payments, len(w.payments.day))],
        "costs_to_serve": [(_costs, len(w.costs.day))],
        "interactions": [(_interactions, len(w.interactions.day))],
    }[name]


def _customers(w: World, i: Ids) -> pa.Table:
    c = w.customers
    return canonical_table("customers", {
        "customer_id": i.customer,
        "name": c.name,
        "industry": labels(vocab.INDUSTRIES, c.industry),
        "region": labels(vocab.REGIONS, c.region),
        "country": labels(c.country_names, c.country),
        "city": labels(c.city_names, c.city),
        "tier": labels(vocab.TIERS, c.tier),
        "customer_type": labels(vocab.CUSTOMER_TYPES, c.customer_type),
        "owner_rep_id": take(i.rep, c.owner),
        "parent_id": take(i.customer, c.parent),
        "created_date": dates(c.created_day),
        "acquisition_channel": labels(vocab.ACQUISITION_CHANNELS, c.channel),
        "acquisition_cost": money(c.acquisition_cents),
    })


def _products(w: World, i: Ids) -> pa.Table:
    p = w.products
    return canonical_table("products", {
        "product_id": i.product,
        "name": p.name,
        "category": labels([c.name for c in vocab.CATEGORIES], p.category),
        "subcategory": p.subcategory,
        "series": labels(vocab.SERIES, p.series),
        "list_price": price(p.list_cents),
        "standard_cost": price(p.cost_cents),
    })


def _reps(w: World, i: Ids) -> pa.Table:
    r = w.reps
    return canonical_table("reps", {
        "rep_id": i.rep,
        "name": r.name,
        "manager": r.manager,
        "team": r.team,
        "regional_office": labels(vocab.REGIONAL_OFFICES, r.region),
        "region": labels(vocab.REGIONS, r.region),
        "hire_date": dates(r.hire_day),
        "end_date": dates(r.end_day),
    })


def _invoice_part(w: World, i: Ids, rows: slice) -> pa.Table:
    s = w.sales
    inv = s.line_invoice[rows]
    order = s.invoice_order[inv]
    n = len(inv)
    return canonical_table("invoice_lines", {
        "invoice_id": take(i.invoice, inv),
        "line_no": s.line_no[rows],
        "kind": pa.repeat("invoice", n),
        "invoice_date": dates(s.invoice_day[inv]),
        "due_date": dates(s.due_day[inv]),
        "order_id": take(i.order, order),
        "customer_id": take(i.customer, s.order_customer[order]),
        "product_id": take(i.product, s.line_product[rows]),
        "rep_id": take(i.rep, s.order_rep[order]),
        "quantity": quantity(s.line_quantity[rows]),
        "unit_price": price(s.line_price[rows]),
        "discount_amount": money(s.line_discount[rows]),
        "net_amount": money(s.line_net[rows]),
        "cogs": money(s.line_cogs[rows]),
        "currency": pa.repeat(CURRENCY, n),
        "campaign_id": take(i.campaign, s.order_campaign[order]),
    })


def _credit_part(w: World, i: Ids, rows: slice) -> pa.Table:
    s = w.sales
    source = s.cn_line_source[rows]
    credit = s.cn_line_credit[rows]
    order = s.invoice_order[s.line_invoice[source]]
    n = len(source)
    return canonical_table("invoice_lines", {
        "invoice_id": take(i.credit, credit),
        "line_no": s.cn_line_no[rows],
        "kind": pa.repeat("credit_note", n),
        "invoice_date": dates(s.credit_day[credit]),
        "due_date": dates(np.full(n, NO_DAY)),
        "order_id": take(i.order, order),
        "customer_id": take(i.customer, s.order_customer[order]),
        "product_id": take(i.product, s.line_product[source]),
        "rep_id": take(i.rep, s.order_rep[order]),
        "quantity": quantity(s.cn_line_quantity[rows]),
        "unit_price": price(s.line_price[source]),
        "discount_amount": money(s.cn_line_discount[rows]),
        "net_amount": money(s.cn_line_net[rows]),
        "cogs": money(s.cn_line_cogs[rows]),
        "currency": pa.repeat(CURRENCY, n),
        "campaign_id": take(i.campaign, s.order_campaign[order]),
    })


def _orders(w: World, i: Ids, rows: slice) -> pa.Table:
    s = w.sales
    return canonical_table("orders", {
        "order_id": i.order.slice(rows.start, rows.stop - rows.start),
        "customer_id": take(i.customer, s.order_customer[rows]),
        "order_date": dates(s.order_day[rows]),
        "status": labels(schema.ORDER_STATUSES, s.order_status[rows]),
        "promised_date": dates(s.promised_day[rows]),
        "shipped_date": dates(s.shipped_day[rows]),
        "delivered_date": dates(s.delivered_day[rows]),
    })


def _payments(w: World, i: Ids, rows: slice) -> pa.Table:
    p = w.payments
    return canonical_table("payments", {
        "payment_id": _row_ids("PAY-", len(p.day), 7, rows),
        "invoice_id": take(i.invoice, p.invoice[rows]),
        "paid_date": dates(p.day[rows]),
        "amount": money(p.cents[rows]),
    })


def _costs(w: World, i: Ids, rows: slice) -> pa.Table:
    c = w.costs
    return canonical_table("costs_to_serve", {
        "cost_id": _row_ids("GL-", len(c.day), 8, rows),
        "customer_id": take(i.customer, c.customer[rows]),
        "cost_date": dates(c.day[rows]),
        "category": labels(schema.COST_CATEGORIES, c.category[rows]),
        "amount": money(c.cents[rows]),
    })


def _row_ids(prefix: str, total: int, min_width: int, rows: slice) -> pa.Array:
    """Ids of rows ``rows`` of a table numbered 1..total."""
    return ids(prefix, rows.stop - rows.start, id_width(total, min_width), first=rows.start + 1)


def _opportunities(w: World, i: Ids) -> pa.Table:
    o = w.opportunities
    return canonical_table("opportunities", {
        "opportunity_id": ids("OPP-", len(o.stage), id_width(len(o.stage), 6)),
        "customer_id": take(i.customer, o.customer),
        "rep_id": take(i.rep, o.rep),
        "product_id": take(i.product, o.product),
        "stage": labels(schema.OPPORTUNITY_STAGES, o.stage),
        "engage_date": dates(o.engage_day),
        "close_date": dates(o.close_day),
        "close_value": money(o.value_cents, mask=o.value_cents < 0),
        "campaign_id": take(i.campaign, o.campaign),
    })


def _interactions(w: World, i: Ids, rows: slice) -> pa.Table:
    x = w.interactions
    return canonical_table("interactions", {
        "interaction_id": _row_ids("ACT-", len(x.day), 7, rows),
        "customer_id": take(i.customer, x.customer[rows]),
        "rep_id": take(i.rep, x.rep[rows]),
        "interaction_date": dates(x.day[rows]),
        "type": labels(schema.INTERACTION_TYPES, x.kind[rows]),
    })


def _budgets(w: World, i: Ids) -> pa.Table:
    b = w.budgets
    n = len(b.period)
    return canonical_table("budgets", {
        "period": dates(b.period),
        "measure": labels(schema.BUDGET_MEASURES, b.measure),
        "amount": money(b.cents),
        "region": labels(vocab.REGIONS, b.region),
        "product_category": labels([c.name for c in vocab.CATEGORIES], b.category),
        "rep_id": pa.nulls(n, pa.string()),
        "customer_tier": pa.nulls(n, pa.string()),
    })


def _campaigns(w: World, i: Ids) -> pa.Table:
    c = w.campaigns
    return canonical_table("campaigns", {
        "campaign_id": i.campaign,
        "name": c.name,
        "channel": labels(vocab.CAMPAIGN_CHANNELS, c.channel),
        "start_date": dates(c.start_day),
        "end_date": dates(c.end_day),
        "cost": money(c.cost_cents),
        "target_segment": labels(vocab.TIERS, c.target_tier),
    })


def _nps(w: World, i: Ids) -> pa.Table:
    n = w.nps
    return canonical_table("nps_responses", {
        "customer_id": take(i.customer, n.customer),
        "response_date": dates(n.day),
        "score": n.score,
        "comment": labels(comments(), n.comment),
    })


_WHOLE = {  # small tables, made in one piece
    "customers": _customers, "products": _products, "reps": _reps, "opportunities": _opportunities,
    "budgets": _budgets, "campaigns": _campaigns, "nps_responses": _nps,
}
