"""Pre-aggregated sales: the invoice lines summed per day and per month, kept by every load.

A filter change on a page at 10 million invoice lines cannot afford to scan the lines:
the sales metrics read these rollups instead whenever a query can be answered from them
(see :func:`marginscope.metrics.filters.sales_source`), and the lines otherwise.

Tables (every money column is the sum of the signed line measures of
:func:`marginscope.metrics.filters.with_line_measures`, so sums over the cells equal
sums over the lines, to the last decimal):

- ``ms_sales_day``: one row per (invoice_date, customer_id, product_id, rep_id);
- ``ms_sales_month``: the same per month (``invoice_date`` holds the month's first day);
- ``ms_customer_day`` and ``ms_customer_month``: the same without the product, for the
  many queries that need no product (ten times fewer rows on the demo company);
- ``ms_split_orders``: the orders that cannot be counted by summing (below).

Orders are counted distinct (an order with lines of three products is one order),
which no sum can do in general. An order whose invoice lines all fall in one
(invoice_date, customer_id, rep_id) cell is *simple*: it is counted once in that cell's
``orders`` (customer tables) and once in the cell of each of its products (product
tables, so the orders of one product add up exactly too). Every other order is listed
in ``ms_split_orders`` with its cells, and queries count those distinct. Simple and
split orders are disjoint, so a query's orders = the sum of the cells' ``orders`` +
the distinct split orders among its cells. On ERP data almost every order is simple.

Customer and product attributes (region, tier, category, ...) are not stored: queries
join them, so a change of a customer's region needs no rebuild.

The rollups are rebuilt, whole, inside the transaction of every load that changes the
invoice lines (:func:`rebuild`), so they always hold exactly the lines' data; they
are plain Ibis expressions and run on any SQL backend with transactions.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from marginscope.metrics.filters import ROLLUP_MEASURES, ROLLUPS, with_line_measures

CELL_MONEY = "decimal(18, 4)"
"""The lines' own measure type: a cell's sum fits it (a cast that overflowed would fail, never round),
and DuckDB sums 64-bit decimals several times faster than the 128-bit ones a plain sum would give."""
SCHEMAS = {
    name: ibis.schema({"invoice_date": "date", "customer_id": "string",
                       **({"product_id": "string"} if name in (ROLLUPS.sales_day, ROLLUPS.sales_month) else {}),
                       "rep_id": "string", **{m: CELL_MONEY for m in ROLLUP_MEASURES}, "orders": "int64"})
    for name in (ROLLUPS.sales_day, ROLLUPS.sales_month, ROLLUPS.customer_day, ROLLUPS.customer_month)
} | {
    ROLLUPS.split_orders: ibis.schema({"order_key": "string", "invoice_date": "date", "customer_id": "string",
                                       "product_id": "string", "rep_id": "string"}),
}
CELL = ("invoice_date", "customer_id", "rep_id")
"""The cell an order must stay inside to be simple."""


def create(warehouse) -> list[str]:
    """Create the rollup tables that are missing; build them when the lines are not empty.

    A warehouse written before the rollups existed gets them on its first connection.
    """
    existing = set(warehouse.con.list_tables())
    missing = [name for name in SCHEMAS if name not in existing]
    if not missing:
        return []
    with warehouse.transaction():
        for name in missing:
            warehouse.con.create_table(name, schema=SCHEMAS[name])
        if warehouse.table("invoice_lines").count().execute():
            rebuild(warehouse)
    return missing


def _sums(t: ir.Table) -> dict:
    return {m: t[m].sum().cast(CELL_MONEY) for m in ROLLUP_MEASURES}


def expressions(warehouse) -> dict[str, ir.Table]:
    """Every rollup as an expression over the current invoice lines, in the tables' column order."""
    lines = with_line_measures(warehouse.table("invoice_lines"))
    ordered = lines.filter(lines.order_key.notnull())
    cells_of_order = ordered.select("order_key", *CELL).distinct()
    shapes = cells_of_order.group_by("order_key").aggregate(cells=cells_of_order.count())
    simple = shapes.filter(shapes.cells == 1).select(simple_key="order_key")
    lines = lines.left_join(simple, lines.order_key == simple.simple_key)

    sales_day = lines.group_by(["invoice_date", "customer_id", "product_id", "rep_id"]).aggregate(
        **_sums(lines), orders=lines.simple_key.nunique().cast("int64"))
    # The simple orders of a customer cell, each once (its lines may span several products).
    simple_cells = cells_of_order.semi_join(simple, cells_of_order.order_key == simple.simple_key)
    simple_orders = simple_cells.group_by(list(CELL)).aggregate(orders=simple_cells.count())
    customer_sums = sales_day.group_by(list(CELL)).aggregate(**_sums(sales_day))
    customer_day = customer_sums.left_join(
        simple_orders, [customer_sums[k].identical_to(simple_orders[k]) for k in CELL]).drop(
        *[f"{k}_right" for k in CELL])
    customer_day = customer_day.mutate(orders=customer_day.orders.fill_null(0).cast("int64"))

    def monthly(day: ir.Table, keys: list[str]) -> ir.Table:
        month = day.mutate(invoice_date=day.invoice_date.truncate("M").cast("date"))
        return month.group_by(keys).aggregate(**_sums(month), orders=month.orders.sum().cast("int64"))

    split = lines.filter(lines.order_key.notnull() & lines.simple_key.isnull()).select(
        "order_key", "invoice_date", "customer_id", "product_id", "rep_id").distinct()
    product_keys = ["invoice_date", "customer_id", "product_id", "rep_id"]
    built = {
        ROLLUPS.sales_day: sales_day,
        ROLLUPS.sales_month: monthly(sales_day, product_keys),
        ROLLUPS.customer_day: customer_day,
        ROLLUPS.customer_month: monthly(customer_day, list(CELL)),
        ROLLUPS.split_orders: split,
    }
    # In date order, so that a date range reads only the blocks it needs (DuckDB's zone maps).
    return {name: expr.select(*SCHEMAS[name].names).order_by("invoice_date") for name, expr in built.items()}


def rebuild(warehouse) -> None:
    """Replace every rollup's rows by the current lines' (call it inside the load's transaction)."""
    for name, expr in expressions(warehouse).items():
        warehouse.execute_sql(f"DELETE FROM {warehouse.quote(name)}")
        warehouse.con.insert(name, expr)
