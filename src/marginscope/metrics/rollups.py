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
- ``ms_split_orders``: the orders that cannot be counted by summing (below);
- ``ms_segment_month`` and ``ms_segment_product_month``: the month tables summed per
  customer *segment* (region, industry, tier, customer type) instead of per customer
  and rep, for the pages' commonest question (a date range and a region or two, no
  rep or customer): a few thousand rows where the customer tables hold a million.
  ``ms_segment_month`` also counts the ``active_customers`` of each cell: its
  customers whose revenue in the month is above 0. A customer is in one segment, so
  these add up over the segments of one month (not over months: a customer active in
  two months is one active customer of both).
- ``ms_segment_costs_month``: cost to serve summed per month (``cost_date``) and segment.
- ``ms_segment_customer_month``: ``ms_customer_month`` summed over the reps, with each
  customer's segment, for what sums each customer's own rows without a rep or product
  (active customers, customer rankings): a region filter then reads the customers'
  rows without joining the customers.

Orders are counted distinct (an order with lines of three products is one order),
which no sum can do in general. An order whose invoice lines all fall in one
(invoice_date, customer_id, rep_id) cell is *simple*: it is counted once in that cell's
``orders`` (customer tables) and once in the cell of each of its products (product
tables, so the orders of one product add up exactly too). Every other order is listed
in ``ms_split_orders`` with its cells, and queries count those distinct. Simple and
split orders are disjoint, so a query's orders = the sum of the cells' ``orders`` +
the distinct split orders among its cells. On ERP data almost every order is simple.

Product attributes (category, name) are not stored, and customer attributes only in
the segment tables: queries join them, so a change of a product's category needs no
rebuild, and a change of a customer's region rebuilds the segment tables only.

Every load keeps the rollups inside its own transaction, so they always hold exactly the
data they sum; they are plain Ibis expressions (and a DELETE of the cells to replace) and
run on any SQL backend with transactions (DuckDB and PostgreSQL are tested):

- A load of invoice lines refreshes only what it touched (:func:`touched`, then
  :func:`refresh`). The unit it recomputes is a *block*, one customer's month: before the
  load replaces lines, it notes the blocks of the lines it writes, of the stored lines they
  replace, and of every line of every order those lines belong to (adding a line to an
  order, or moving or re-kinding one, can make the order split or simple in every cell it
  has lines in, and an order may span days, months, reps and customers). Afterwards, the
  rows of those blocks are deleted from every day, month and customer-segment table and
  summed again from the blocks' lines. Whether an order is simple is decided from all of its
  cells: those of its lines in the blocks, and those outside them, which only an order the
  load did not change can have, and which the split orders already list (such an order has
  cells in two blocks, so it is split). The segment cells (month and segment) of the blocks are
  then summed again, whole, from the customer tables: a segment's month sums customers the
  load did not touch. A block is a whole month of one customer, so each month cell it holds
  is summed again from day cells that are all in it.
- A load into empty lines, or one whose blocks hold more than :data:`FULL_REBUILD_SHARE`
  of the lines, rebuilds every table whole (:func:`rebuild`) instead: cheaper there.
- A load of customers or of costs to serve rebuilds the segment tables only
  (:func:`rebuild_segments`).

A refresh appends its rows, so the tables stay sorted by date only within what each load
wrote; a rebuild sorts them again.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from marginscope.metrics.executor import execute, execute_arrow
from marginscope.metrics.filters import ROLLUP_MEASURES, ROLLUPS, SEGMENT_COLUMNS, with_line_measures
from marginscope.schema import TABLES

CELL_MONEY = "decimal(18, 4)"
"""The lines' own measure type: a cell's sum fits it (a cast that overflowed would fail, never round),
and DuckDB sums 64-bit decimals several times faster than the 128-bit ones a plain sum would give."""
SCHEMAS = {
    name: ibis.schema({"invoice_date": "date", "customer_id": "string",
                       **({"product_id": "string"} if name in (ROLLUPS.sales_day, ROLLUPS.sales_month) else {}),
                       "rep_id": "string", **dict.fromkeys(ROLLUP_MEASURES, CELL_MONEY), "orders": "int64"})
    for name in (ROLLUPS.sales_day, ROLLUPS.sales_month, ROLLUPS.customer_day, ROLLUPS.customer_month)
} | {
    ROLLUPS.split_orders: ibis.schema({"order_key": "string", "invoice_date": "date", "customer_id": "string",
                                       "product_id": "string", "rep_id": "string"}),
} | {
    name: ibis.schema({"invoice_date": "date", **({"product_id": "string"} if product else {}),
                       **dict.fromkeys(SEGMENT_COLUMNS, "string"), **dict.fromkeys(ROLLUP_MEASURES, CELL_MONEY),
                       "orders": "int64", **({} if product else {"active_customers": "int64"})})
    for name, product in zip((ROLLUPS.segment_month, ROLLUPS.segment_product_month), (False, True))
} | {
    ROLLUPS.segment_costs_month: ibis.schema({"cost_date": "date", **dict.fromkeys(SEGMENT_COLUMNS, "string"),
                                              "amount": CELL_MONEY}),
    ROLLUPS.segment_customer_month: ibis.schema({"invoice_date": "date", **dict.fromkeys(SEGMENT_COLUMNS, "string"),
                                                 "customer_id": "string", **dict.fromkeys(ROLLUP_MEASURES, CELL_MONEY),
                                                 "orders": "int64"}),
}
SEGMENT_TABLES = (ROLLUPS.segment_month, ROLLUPS.segment_product_month, ROLLUPS.segment_costs_month,
                  ROLLUPS.segment_customer_month)
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
        if execute(warehouse, warehouse.table("invoice_lines").count()):
            if set(missing) <= set(SEGMENT_TABLES):  # written before the segment tables: sum the months only
                rebuild_segments(warehouse)
            else:
                rebuild(warehouse)
    return missing


def _sums(t: ir.Table) -> dict:
    return {m: t[m].sum().cast(CELL_MONEY) for m in ROLLUP_MEASURES}


PRODUCT_CELL = ("invoice_date", "customer_id", "product_id", "rep_id")


def _join_cells(left: ir.Table, right: ir.Table, keys: tuple[str, ...]) -> ir.Table:
    """Left join on cell keys; only ``rep_id`` may be missing (the others are required columns), and
    a missing rep matches a missing rep."""
    on = [left[k].identical_to(right[k]) if k == "rep_id" else left[k] == right[k] for k in keys]
    return left.left_join(right, on).drop(*[f"{k}_right" for k in keys])


def _with_orders(sums: ir.Table, orders: ir.Table, keys: tuple[str, ...]) -> ir.Table:
    joined = _join_cells(sums, orders, keys)
    return joined.mutate(orders=joined.orders.fill_null(0).cast("int64"))


def _from_lines(lines: ir.Table, ordered: ir.Table) -> dict[str, ir.Table]:
    """The day rollups of ``lines`` (with their measures): product days, customer days and split orders.

    ``ordered`` holds the (``order_key``, cell) pairs of every line of every order in ``lines``,
    wherever those lines are: whether an order is simple depends on all of its lines.
    """
    ordered = ordered.filter(ordered.order_key.notnull())
    cells_of_order = ordered.select("order_key", *CELL).distinct()
    shapes = cells_of_order.group_by("order_key").aggregate(cells=cells_of_order.count())
    simple = shapes.filter(shapes.cells == 1).select(simple_key="order_key")
    lines = lines.left_join(simple, lines.order_key == simple.simple_key)

    # Distinct (order, cell) pairs counted per cell: cheaper than a distinct count in every group.
    product_pairs = lines.filter(lines.simple_key.notnull()).select("simple_key", *PRODUCT_CELL).distinct()
    product_orders = product_pairs.group_by(list(PRODUCT_CELL)).aggregate(orders=product_pairs.count())
    sales_day = _with_orders(lines.group_by(list(PRODUCT_CELL)).aggregate(**_sums(lines)), product_orders,
                             PRODUCT_CELL)
    # A simple order lies in one customer cell, however many products it has.
    simple_cells = cells_of_order.semi_join(simple, cells_of_order.order_key == simple.simple_key)
    customer_orders = simple_cells.group_by(list(CELL)).aggregate(orders=simple_cells.count())
    customer_day = _with_orders(lines.group_by(list(CELL)).aggregate(**_sums(lines)), customer_orders, CELL)
    split = lines.filter(lines.order_key.notnull() & lines.simple_key.isnull()).select(
        "order_key", *PRODUCT_CELL).distinct()
    return {ROLLUPS.sales_day: sales_day, ROLLUPS.customer_day: customer_day, ROLLUPS.split_orders: split}


def _monthly(day: ir.Table, keys: tuple[str, ...]) -> ir.Table:
    month = day.mutate(invoice_date=day.invoice_date.truncate("M").cast("date"))
    # A simple order lies in one day, so the orders of a month's days add up.
    return month.group_by(list(keys)).aggregate(**_sums(month), orders=month.orders.sum().cast("int64"))


def _with_segment(t: ir.Table, customers: ir.Table) -> ir.Table:
    attributes = customers.select("customer_id", *SEGMENT_COLUMNS)
    return t.left_join(attributes, "customer_id").drop("customer_id_right")


def segment_cells(cells: ir.Table, customers: ir.Table, product: bool) -> ir.Table:
    """Customer (or product) cells summed per (invoice_date, [product_id,] segment).

    ``cells`` are cells of the customer (product) tables, ``customers`` the table of
    customers; a customer missing from it is in the segment of missing attributes, as
    the queries' left joins put it. Without ``product``, ``active_customers`` counts the
    customers whose revenue on the ``invoice_date`` (summed over their reps' cells) is
    above 0.
    """
    if product:
        return _segment_product_sums(_with_segment(cells, customers))
    # The cells of one customer and date differ by rep: a customer's revenue is theirs summed.
    return segment_totals(customer_segment_cells(cells, customers))


def _segment_product_sums(t: ir.Table) -> ir.Table:
    return t.group_by(["invoice_date", "product_id", *SEGMENT_COLUMNS]).aggregate(
        **_sums(t), orders=t.orders.sum().cast("int64"))


def segment_totals(per_customer: ir.Table) -> ir.Table:
    """Customer segment cells (:func:`customer_segment_cells`) summed per (invoice_date, segment), with
    ``active_customers``, the customers whose revenue on the date is above 0."""
    return per_customer.group_by(["invoice_date", *SEGMENT_COLUMNS]).aggregate(
        **_sums(per_customer), orders=per_customer.orders.sum().cast("int64"),
        active_customers=(per_customer.revenue > 0).sum().cast("int64"))


def customer_segment_cells(cells: ir.Table, customers: ir.Table) -> ir.Table:
    """Customer cells summed over their reps per (invoice_date, customer_id), with the customer's
    segment (missing attributes for a customer missing from ``customers``)."""
    t = _with_segment(cells, customers)
    return t.group_by(["invoice_date", *SEGMENT_COLUMNS, "customer_id"]).aggregate(
        **_sums(t), orders=t.orders.sum().cast("int64"))


def segment_costs(costs: ir.Table, customers: ir.Table) -> ir.Table:
    """Cost-to-serve rows summed per (cost_date, segment), a missing customer in the segment of
    missing attributes."""
    t = _with_segment(costs, customers)
    return t.group_by(["cost_date", *SEGMENT_COLUMNS]).aggregate(amount=t.amount.sum().cast(CELL_MONEY))


def _write(warehouse, name: str, expr: ir.Table) -> None:
    warehouse.execute_sql(f"DELETE FROM {warehouse.quote(name)}")
    _insert(warehouse, name, expr)


def rebuild_segments(warehouse) -> None:
    """Replace the segment tables' rows, summed from the month tables, the costs to serve and the
    current customers (call it inside the transaction of a load that changed the customers or
    the costs to serve)."""
    customers = warehouse.table("customers")
    _write(warehouse, ROLLUPS.segment_customer_month,
           customer_segment_cells(warehouse.table(ROLLUPS.customer_month), customers))
    # Summed from the customer segment table just written, not from the customer months again.
    _write(warehouse, ROLLUPS.segment_month, segment_totals(warehouse.table(ROLLUPS.segment_customer_month)))
    _write(warehouse, ROLLUPS.segment_product_month,
           segment_cells(warehouse.table(ROLLUPS.sales_month), customers, product=True))
    costs = warehouse.table("costs_to_serve")
    _write(warehouse, ROLLUPS.segment_costs_month,
           segment_costs(costs.mutate(cost_date=costs.cost_date.truncate("M").cast("date")), customers))


def rebuild(warehouse) -> None:
    """Replace every rollup's rows by the current lines' (call it inside the load's transaction).

    The day tables are written first and the month and segment tables summed from them,
    so the lines are read once per day table only.
    """
    lines = with_line_measures(warehouse.table("invoice_lines"))
    for name, expr in _from_lines(lines, lines).items():
        _write(warehouse, name, expr)
    _write(warehouse, ROLLUPS.sales_month, _monthly(warehouse.table(ROLLUPS.sales_day), PRODUCT_CELL))
    _write(warehouse, ROLLUPS.customer_month, _monthly(warehouse.table(ROLLUPS.customer_day), CELL))
    rebuild_segments(warehouse)


def _month_of(date: ir.Value) -> ir.Value:
    return date.truncate("M").cast("date")


def _of_blocks(t: ir.Table, blocks: ir.Table) -> ir.Table:
    """The rows of ``t`` (a table of lines or cells) in one of the ``blocks``."""
    return t.semi_join(blocks, [t.customer_id == blocks.customer_id, _month_of(t.invoice_date) == blocks.month])


def _of_segment_cells(t: ir.Table, cells: ir.Table) -> ir.Table:
    """The rows of ``t`` (dated on a month's first day, with the segment columns) in one of the segment
    ``cells``; a missing attribute matches a missing attribute."""
    return t.semi_join(cells, [t.invoice_date == cells.invoice_date,
                               *(t[c].identical_to(cells[c]) for c in SEGMENT_COLUMNS)])


def touched(warehouse, changes: ir.Table) -> str:
    """Before a load replaces lines: store the blocks it touches in a temporary table; return its name.

    ``changes`` are the lines the load writes (new, or replacing the stored lines of their keys).
    The blocks are the (customer, month) pairs of those lines, of the stored lines they replace,
    and of every stored line of an order one of them belongs to: a line added to, moved out of
    or removed from an order can make the order simple or split in every cell it has lines in
    (an order may span days, months, reps and even customers). Call it before the stored lines
    are replaced, inside the load's transaction, and pass the name to :func:`refresh`.
    """
    target = warehouse.table("invoice_lines")
    replaced = target.semi_join(changes, [target[k] == changes[k] for k in TABLES["invoice_lines"].key])
    columns = ("customer_id", "invoice_date", "order_key")
    changed = with_line_measures(replaced).select(*columns).union(with_line_measures(changes).select(*columns))
    orders = changed.filter(changed.order_key.notnull()).select("order_key").distinct()
    lines = with_line_measures(target)
    rows = changed.union(lines.semi_join(orders, lines.order_key == orders.order_key).select(*columns))
    blocks = rows.select("customer_id", month=_month_of(rows.invoice_date)).distinct()
    name = warehouse.temp_name("blocks")
    warehouse.con.create_table(name, blocks.mutate(next_month=(blocks.month + ibis.interval(months=1)).cast("date")),
                               temp=True)
    return name


def _delete(warehouse, table: str, cells: str, segment: bool = False) -> None:
    """Delete the rows of a rollup ``table`` in the blocks (or, with ``segment``, the segment cells) of the
    temporary table ``cells``.

    Hand-written because Ibis writes no DELETE; every name in it is a table or column of this module,
    quoted, and no value is: it runs on DuckDB and PostgreSQL alike.
    """
    q = warehouse.quote
    t = q(table)
    if segment:
        on = [f"c.{q('invoice_date')} = {t}.{q('invoice_date')}",
              *(f"c.{q(col)} IS NOT DISTINCT FROM {t}.{q(col)}" for col in SEGMENT_COLUMNS)]
    else:
        on = [f"c.{q('customer_id')} = {t}.{q('customer_id')}", f"{t}.{q('invoice_date')} >= c.{q('month')}",
              f"{t}.{q('invoice_date')} < c.{q('next_month')}"]
    warehouse.execute_sql(f"DELETE FROM {t} WHERE EXISTS (SELECT 1 FROM {q(cells)} AS c WHERE {' AND '.join(on)})")


def _insert(warehouse, name: str, expr: ir.Table) -> None:
    # Rows in date order, then segment order, so that a date range (and a segment in it) reads only
    # the blocks it needs (DuckDB's zone maps); a refresh appends its rows in the same order.
    columns = SCHEMAS[name].names
    warehouse.con.insert(name, expr.select(*columns).order_by(
        [columns[0], *(c for c in SEGMENT_COLUMNS if c in columns)]))


FULL_REBUILD_SHARE = 0.5
"""Above this share of the lines in the touched blocks, :func:`refresh` rebuilds the rollups whole instead.

A refresh reads the blocks' lines, deletes the rows of the blocks from every rollup table and
inserts them again, in statements whose cost grows with the touched lines; a rebuild rewrites every
table from all the lines. Measured on the 1M-line demo warehouse (benchmarks/RESULTS.md, "Incremental
rollups"; two runs on a shared 2-core machine, which differ by up to a half), the refresh took 0.25x
to 0.43x the rebuild's time at 3% of the lines (a push of 1,000), 0.45x at 17%, 0.6x to 0.7x at 28%,
and 0.7x to 1.3x from 44% to 62%: they cross between about 40% and 60%. Near half the lines either
costs about the same, and a rebuild also writes the tables back in date order."""


def refresh(warehouse, blocks: str | None) -> str:
    """Bring every rollup up to date with the lines after a load (call it inside the load's transaction).

    ``blocks`` is the name :func:`touched` returned before the load replaced lines (``None`` for a
    load into empty lines, or when it is unknown): the rollup rows of those blocks are deleted and
    summed again from their lines, and the segment cells of the blocks' customers and months summed
    again from the customer tables. Without ``blocks``, or when the blocks hold more than
    :data:`FULL_REBUILD_SHARE` of the lines, every rollup is rebuilt (:func:`rebuild`). The table
    ``blocks`` is dropped. Returns ``"refreshed"`` or ``"rebuilt"``.
    """
    temporary = [blocks] if blocks else []
    try:
        if blocks is None:
            rebuild(warehouse)
            return "rebuilt"
        all_lines = warehouse.table("invoice_lines")
        cells = warehouse.con.table(blocks)
        # The blocks' lines are read once, measures computed on them only. Their dates bound the scan, so
        # that a push of recent lines reads only the recent part of lines stored in date order (DuckDB's
        # zone maps skip the rest).
        bounds = execute_arrow(warehouse, cells.aggregate(first=cells.month.min(),
                                                          end=cells.next_month.max())).to_pylist()[0]
        first, end = bounds["first"], bounds["end"]
        dated = all_lines.filter(all_lines.invoice_date >= first, all_lines.invoice_date < end)
        lines = _temporary(warehouse, "lines", with_line_measures(_of_blocks(dated, cells)), temporary)
        if int(execute(warehouse, lines.count())) > FULL_REBUILD_SHARE * int(execute(warehouse, all_lines.count())):
            rebuild(warehouse)
            return "rebuilt"
        _refresh_blocks(warehouse, blocks, lines, temporary)
        return "refreshed"
    finally:
        for name in temporary:
            warehouse.con.drop_table(name, force=True)


def _temporary(warehouse, stem: str, expr: ir.Table, temporary: list[str]) -> ir.Table:
    name = warehouse.temp_name(stem)
    temporary.append(name)
    return warehouse.con.create_table(name, expr, temp=True)


def _refresh_blocks(warehouse, blocks_name: str, lines: ir.Table, temporary: list[str]) -> None:
    """Replace the rollup rows of the blocks by those summed from their ``lines`` (with measures)."""
    blocks = warehouse.con.table(blocks_name)
    # The cells of every line of the blocks' orders, inside the blocks or not. Outside them, they are
    # those the split orders list: an order with a line changed by this load has all of its blocks in
    # the blocks (see touched), and the others kept their lines, so an order with a cell outside the
    # blocks was split, and is listed with every cell, before the load as after it. This reads the
    # list, not every line again.
    keys = lines.filter(lines.order_key.notnull()).select("order_key").distinct()
    split = warehouse.table(ROLLUPS.split_orders)
    # An IN, not a semi join: Ibis 12 writes two chained semi or anti joins as a SEMI or ANTI JOIN for
    # PostgreSQL, which has neither.
    outside = split.filter(split.order_key.isin(keys.order_key))
    outside = outside.anti_join(blocks, [outside.customer_id == blocks.customer_id,
                                         _month_of(outside.invoice_date) == blocks.month])
    ordered = _temporary(warehouse, "orders", lines.select("order_key", *CELL).union(
        outside.select("order_key", *CELL)), temporary)
    # Each table's new rows are kept until the tables summed from them are written: the blocks' month
    # cells are summed from their day cells just written, not from the day tables.
    new = {name: _temporary(warehouse, "cells", expr, temporary) for name, expr in _from_lines(lines, ordered).items()}
    new[ROLLUPS.sales_month] = _temporary(warehouse, "cells", _monthly(new[ROLLUPS.sales_day], PRODUCT_CELL),
                                          temporary)
    new[ROLLUPS.customer_month] = _temporary(warehouse, "cells", _monthly(new[ROLLUPS.customer_day], CELL),
                                             temporary)
    customers = warehouse.table("customers")
    new[ROLLUPS.segment_customer_month] = customer_segment_cells(new[ROLLUPS.customer_month], customers)
    for name, expr in new.items():
        _delete(warehouse, name, blocks_name)
        _insert(warehouse, name, expr)
    # A segment's month sums every customer of the segment, touched or not: its cells are summed again
    # whole, from the customer tables (the segment of a customer missing from the customers is the
    # segment of missing attributes, as everywhere).
    segments = _with_segment(blocks.select("customer_id", invoice_date=blocks.month), customers)
    segments = _temporary(warehouse, "segments", segments.select("invoice_date", *SEGMENT_COLUMNS).distinct(),
                          temporary)
    segments_name = temporary[-1]
    _delete(warehouse, ROLLUPS.segment_month, segments_name, segment=True)
    _insert(warehouse, ROLLUPS.segment_month,
            segment_totals(_of_segment_cells(warehouse.table(ROLLUPS.segment_customer_month), segments)))
    _delete(warehouse, ROLLUPS.segment_product_month, segments_name, segment=True)
    month_cells = warehouse.table(ROLLUPS.sales_month)
    month_cells = month_cells.semi_join(segments, month_cells.invoice_date == segments.invoice_date)
    _insert(warehouse, ROLLUPS.segment_product_month,
            _segment_product_sums(_of_segment_cells(_with_segment(month_cells, customers), segments)))
