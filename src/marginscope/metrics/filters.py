"""Filters and scope, applied where metrics read the base tables.

Every metric reads invoice lines and customer costs through :func:`sales_lines`
(or :func:`sales_source`, which reads the same sums from the rollups of
:mod:`marginscope.metrics.rollups` when it can) and :func:`customer_costs`, so no
metric can forget the user's filters or scope.

Definitions
-----------
- The date range filters sales by ``invoice_date`` (both ends included) and cost
  to serve by ``cost_date``.
- Region, industry, tier, customer type and customer filter by the customer's
  attributes; category and product by the product's; rep by the rep on the invoice
  line (the rep credited with the sale).
- Cost to serve belongs to a customer, not a product or a rep. With a product,
  category or rep filter, each customer's cost to serve is allocated in proportion
  to the filtered lines' share of that customer's revenue in the date range, so
  that contribution margin stays comparable across filters.
- :class:`Scope` is the set of customers a user may see (``None``: everyone).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import ibis
import ibis.expr.types as ir

from marginscope.metrics.periods import add_months, month_end, month_start
from marginscope.metrics.semantic import FILTER_FIELDS, Entity, of_entity
from marginscope.warehouse import Warehouse


def text_value(value, what: str = "a value") -> str:
    r"""``value`` as the text a query compares with; ``ValueError`` when it holds a NUL character.

    SQL text cannot carry a NUL: a query that writes the value into its SQL (on every backend
    but DuckDB's templates, which bind it, see :mod:`marginscope.metrics.templates`) would fail
    in the database instead of matching nothing.

    Examples
    --------
    >>> text_value("North")
    'North'
    >>> text_value("No\x00rth", "region")
    Traceback (most recent call last):
    ...
    ValueError: region 'No\x00rth' holds a NUL character, which no value may
    """
    text = str(value)
    if "\x00" in text:
        raise ValueError(f"{what} {text!r} holds a NUL character, which no value may")
    return text


def _frozen(values, what: str = "a value") -> frozenset[str]:
    return frozenset(text_value(v, what) for v in values or ())


@dataclass(frozen=True)
class Filters:
    """The global filters of every page, API call and export.

    An empty collection means "no filter on this dimension".

    Examples
    --------
    >>> f = Filters(start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31), regions={"North"})
    >>> f.days
    90
    >>> f.shifted(years=-1).start
    datetime.date(2025, 1, 1)
    """

    start: dt.date | None = None
    end: dt.date | None = None
    regions: frozenset[str] = field(default_factory=frozenset)
    industries: frozenset[str] = field(default_factory=frozenset)
    reps: frozenset[str] = field(default_factory=frozenset)
    tiers: frozenset[str] = field(default_factory=frozenset)
    customer_types: frozenset[str] = field(default_factory=frozenset)
    categories: frozenset[str] = field(default_factory=frozenset)
    customers: frozenset[str] = field(default_factory=frozenset)
    products: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        for name in FILTER_FIELDS:
            object.__setattr__(self, name, _frozen(getattr(self, name), name))
        if self.start and self.end and self.start > self.end:
            raise ValueError(f"the date range starts ({self.start}) after it ends ({self.end})")

    @property
    def days(self) -> int | None:
        if self.start is None or self.end is None:
            return None
        return (self.end - self.start).days + 1

    @property
    def splits_customers(self) -> bool:
        """True when the filter selects part of a customer's lines (so cost to serve is allocated)."""
        return any(getattr(self, d.filter_field) for d in SPLIT_FILTERS)

    def with_range(self, start: dt.date | None, end: dt.date | None) -> Filters:
        return replace(self, start=start, end=end)

    def shifted(self, *, years: int = 0) -> Filters:
        """The same filters over the same dates ``years`` years earlier (29 Feb becomes 28 Feb)."""
        assert self.start is not None and self.end is not None, "only a date range can be shifted"
        return self.with_range(add_months(self.start, 12 * years), add_months(self.end, 12 * years))


@dataclass(frozen=True)
class Scope:
    """The customers a user may see; ``customers=None`` is unrestricted (admins, analysts)."""

    customers: frozenset[str] | None = None

    def __post_init__(self) -> None:
        if self.customers is not None:
            object.__setattr__(self, "customers", _frozen(self.customers))

    @classmethod
    def everything(cls) -> Scope:
        return cls(None)


EVERYTHING = Scope.everything()


def customer_attributes(wh: Warehouse) -> ir.Table:
    """The customer columns filters and groupings use, with the name as ``customer_name``."""
    c = wh.table("customers")
    return c.select("customer_id", "region", "industry", "tier", "customer_type", customer_name=c.name)


def _customer_predicates(t: ir.Table, filters: Filters, scope: Scope) -> list:
    predicates = []
    if scope.customers is not None:
        predicates.append(t.customer_id.isin(sorted(scope.customers)))
    predicates.extend(_value_predicates(t, filters, CUSTOMER_FILTERS))
    return predicates


CUSTOMER_FILTERS = of_entity(Entity.CUSTOMER)
"""The filters on a customer's attributes: they apply alike to sales and to a customer's costs."""
SPLIT_FILTERS = of_entity(Entity.PRODUCT, Entity.LINE)
"""The filters that select part of a customer's lines (its cost to serve is then allocated)."""


def _value_predicates(t: ir.Table, filters: Filters, dimensions) -> list:
    return [t[d.column].isin(sorted(values)) for d in dimensions if (values := getattr(filters, d.filter_field))]


def selection_predicates(t: ir.Table, filters: Filters, scope: Scope) -> list:
    """Every filter but the date range, for a table carrying customer, product and rep columns."""
    return _customer_predicates(t, filters, scope) + _value_predicates(t, filters, SPLIT_FILTERS)


def date_predicates(column: ir.Column, filters: Filters) -> list:
    predicates = []
    if filters.start:
        predicates.append(column >= filters.start)
    if filters.end:
        predicates.append(column <= filters.end)
    return predicates


def _lines_with_attributes(wh: Warehouse) -> ir.Table:
    p = wh.table("products")
    products = p.select("product_id", "category", product_name=p.name)
    lines = wh.table("invoice_lines")
    return lines.left_join(customer_attributes(wh), "customer_id").drop("customer_id_right") \
        .left_join(products, "product_id").drop("product_id_right")


def with_line_measures(t: ir.Table) -> ir.Table:
    """Signed per-line measures: each line contributes to the sums of METRICS.md."""
    is_invoice = t.kind == "invoice"
    zero = ibis.literal(0).cast("decimal(18, 4)")
    net = t.net_amount.cast("decimal(18, 4)")
    cogs = t.cogs.fill_null(0).cast("decimal(18, 4)")
    return t.mutate(
        gross_sales=ibis.ifelse(is_invoice, (t.quantity * t.unit_price).cast("decimal(18, 4)"), zero),
        discount=ibis.ifelse(is_invoice, t.discount_amount.fill_null(0).cast("decimal(18, 4)"), zero),
        invoiced=ibis.ifelse(is_invoice, net, zero),
        returns=ibis.ifelse(is_invoice, zero, net),
        revenue=ibis.ifelse(is_invoice, net, -net),
        cogs_signed=ibis.ifelse(is_invoice, cogs, -cogs),
        order_key=ibis.ifelse(is_invoice, t.order_id.fill_null(t.invoice_id), ibis.null("string")),
    )


def sales_lines(wh: Warehouse, filters: Filters, scope: Scope = EVERYTHING) -> ir.Table:
    """Invoice and credit-note lines within the filters and scope, with customer and
    product attributes and the signed measures every sales metric sums."""
    t = _lines_with_attributes(wh)
    predicates = selection_predicates(t, filters, scope) + date_predicates(t.invoice_date, filters)
    return with_line_measures(t.filter(predicates) if predicates else t)


@dataclass(frozen=True)
class RollupNames:
    """The tables of :mod:`marginscope.metrics.rollups`."""

    sales_day: str = "ms_sales_day"
    sales_month: str = "ms_sales_month"
    customer_day: str = "ms_customer_day"
    customer_month: str = "ms_customer_month"
    split_orders: str = "ms_split_orders"
    segment_month: str = "ms_segment_month"
    segment_product_month: str = "ms_segment_product_month"
    segment_costs_month: str = "ms_segment_costs_month"
    segment_customer_month: str = "ms_segment_customer_month"


ROLLUPS = RollupNames()
ROLLUP_MEASURES = ("gross_sales", "discount", "invoiced", "returns", "revenue", "cogs_signed")
"""The line measures the rollups sum (every measure of :func:`with_line_measures` but the order key)."""
PRODUCT_COLUMNS = ("product_id", "product_name", "category")
SEGMENT_COLUMNS = ("region", "industry", "tier", "customer_type")
"""The customer attributes the segment rollups keep (a customer's segment)."""


@dataclass(frozen=True)
class SalesSource:
    """What a sales query sums: invoice lines, or rollup cells holding the same sums.

    Both carry the measures of :func:`with_line_measures` (``revenue``, ``cogs_signed``,
    ...), ``invoice_date``, the customer, product and rep ids and the customer and product
    attributes. Lines carry ``order_key`` (orders are its distinct count); cells carry
    ``orders``, the simple orders they hold, and ``split_orders`` lists the other orders
    with their cells (orders = sum of ``orders`` + distinct ``order_key`` of
    ``split_orders``; see :mod:`marginscope.metrics.rollups`). A month cell's
    ``invoice_date`` is the month's first day.

    Segment cells (``customers`` set) carry no customer or rep id, only the segment
    columns (and the product's): ``customers`` then holds the customer cells of the same
    selection, for what needs a customer's own sums (its active customers). Segment
    cells without a product also carry ``active_customers``, which add up within a month
    (see :mod:`marginscope.metrics.rollups`); every segment cell of a month is dated on
    its first day.
    """

    rows: ir.Table
    cells: bool = False
    split_orders: ir.Table | None = None
    customers: ir.Table | None = None

    @property
    def customer_rows(self) -> ir.Table:
        """Rows with a ``customer_id``, for a customer's own sums."""
        return self.rows if self.customers is None else self.customers


def _first_full_month(start: dt.date) -> ir.Value:
    """The first month starting on or after ``start``, computed in SQL so that a query
    template binds ``start`` as a parameter (see :mod:`marginscope.metrics.templates`)."""
    day_before = ibis.literal(start) - ibis.interval(days=1)
    return (day_before.truncate("M") + ibis.interval(months=1)).cast("date")


def _last_full_month_end(end: dt.date) -> ir.Value:
    """The last day of the last month ending on or before ``end``, in SQL."""
    return ((ibis.literal(end) + ibis.interval(days=1)).truncate("M") - ibis.interval(days=1)).cast("date")


def _dated_cells(wh: Warehouse, day_table: str, month_table: str, filters: Filters, daily: bool,
                 edge: Callable[[ir.Table], ir.Table] | None = None, date: str = "invoice_date") -> ir.Table:
    """Cells covering exactly the date range: month cells for the months wholly inside it, day
    cells for the part-months at its edges (only day cells when ``daily``).

    Each part is one plain date interval, so that DuckDB skips the blocks outside it: days
    from the start to the first whole month, the whole months, days after the last whole
    month to the end (not before the first whole month, so that a range inside one month
    is read once). ``edge`` turns day cells into cells of the month table's form; both tables
    are dated by their column ``date``.
    """
    day = wh.table(day_table)
    if daily:
        predicates = date_predicates(day[date], filters)
        return day.filter(predicates) if predicates else day
    month = wh.table(month_table)
    if filters.start is None and filters.end is None:
        return month
    in_range = date_predicates(day[date], filters)
    whole_months, edges = [], []
    if filters.start is not None and filters.start == month_start(filters.start):
        whole_months.append(month[date] >= filters.start)
    elif filters.start is not None:
        first = _first_full_month(filters.start)
        whole_months.append(month[date] >= first)
        edges.append(day.filter([*in_range, day[date] < first]))
    if filters.end is not None and filters.end == month_end(filters.end):
        whole_months.append(month[date] <= filters.end)
    elif filters.end is not None:
        last = _last_full_month_end(filters.end)
        whole_months.append(month[date] <= last)
        after = [*in_range, day[date] > last]
        if filters.start is not None:
            after.append(day[date] >= _first_full_month(filters.start))
        edges.append(day.filter(after))
    cells = month.filter(whole_months)
    for days in edges:
        cells = cells.union(edge(days) if edge else days)
    return cells


def _with_attributes(wh: Warehouse, t: ir.Table, products: bool) -> ir.Table:
    t = t.left_join(customer_attributes(wh), "customer_id").drop("customer_id_right")
    return _with_product_attributes(wh, t) if products else t


def _with_product_attributes(wh: Warehouse, t: ir.Table) -> ir.Table:
    p = wh.table("products")
    return t.left_join(p.select("product_id", "category", product_name=p.name), "product_id").drop("product_id_right")


def _segment_cells(wh: Warehouse, filters: Filters, product: bool) -> ir.Table:
    """Segment cells covering exactly the date range: the segment tables' months wholly
    inside it, and the day cells of its part-months summed per month and segment."""
    from marginscope.metrics.rollups import segment_cells

    def monthly_segments(days: ir.Table) -> ir.Table:
        months = days.mutate(invoice_date=days.invoice_date.truncate("M").cast("date"))
        return segment_cells(months, wh.table("customers"), product)

    day_table, month_table = ((ROLLUPS.sales_day, ROLLUPS.segment_product_month) if product
                              else (ROLLUPS.customer_day, ROLLUPS.segment_month))
    return _dated_cells(wh, day_table, month_table, filters, False, edge=monthly_segments)


def _customer_segment_cells(wh: Warehouse, filters: Filters) -> ir.Table:
    """Customer cells without the rep, with the customer's segment, covering exactly the date range:
    the months of the customer segment table wholly inside it, and the customer day cells of its
    part-months."""
    from marginscope.metrics.rollups import customer_segment_cells

    return _dated_cells(wh, ROLLUPS.customer_day, ROLLUPS.segment_customer_month, filters, False,
                        edge=lambda days: customer_segment_cells(days, wh.table("customers")))


def _reads_customer_segments(filters: Filters, keys, daily: bool, product: bool) -> bool:
    """Whether the customer segment table answers: no rep or product filter or key, no customer
    attribute but the segment's, no period shorter than a month."""
    return (not daily and not product and not filters.reps
            and set(keys) <= {"period", "customer_id", *SEGMENT_COLUMNS})


def _reads_segments(filters: Filters, scope: Scope, keys, daily: bool) -> bool:
    """Whether segment cells answer: no filter or key finer than a segment or a product, no period
    shorter than a month."""
    return (not daily and scope.customers is None and not (filters.customers or filters.reps)
            and set(keys) <= {"period", *SEGMENT_COLUMNS, *PRODUCT_COLUMNS})


def sales_source(wh: Warehouse, filters: Filters, scope: Scope = EVERYTHING, *, keys=(), daily: bool = False,
                 orders: bool = True, by_customer: bool = True) -> SalesSource:
    """The rows a sales query over ``filters`` and ``scope`` sums, grouped by ``keys``.

    Rollup cells when they can answer exactly: the warehouse keeps rollups, and either
    orders are not counted, or no product is involved (no product or category filter,
    no product key), or the query counts the orders of each ``product_id`` (the orders of
    one product add up; those of several do not). The customer tables serve queries
    without a product. ``daily`` asks for day cells only (day and week periods). The
    invoice lines otherwise. The choice depends only on which filters are set, never on
    their values, as query templates require.

    ``by_customer=False`` tells that the query reads no column but its ``keys``, the
    measures and ``customer_id``: the segment tables then serve it when no customer, rep
    or scope narrows the selection and ``keys`` are segment or product columns (or the
    ``period`` a query derives from months). Its customer cells, those summed per
    customer (:attr:`SalesSource.customer_rows`, or the rows of a query keyed by customer),
    come from the customer segment table when no rep or product is involved: the
    customers' segments are in it, so a region filter needs no join.
    """
    product = bool(filters.categories or filters.products) or any(k in PRODUCT_COLUMNS for k in keys)
    if not wh.reads_rollups or (orders and product and tuple(keys) != ("product_id",)):
        return SalesSource(sales_lines(wh, filters, scope))
    split = None
    if orders:
        split = _with_attributes(wh, wh.table(ROLLUPS.split_orders), product)
        predicates = selection_predicates(split, filters, scope) + date_predicates(split.invoice_date, filters)
        split = split.filter(predicates) if predicates else split
    day_table, month_table = ((ROLLUPS.sales_day, ROLLUPS.sales_month) if product
                              else (ROLLUPS.customer_day, ROLLUPS.customer_month))
    if not by_customer and _reads_customer_segments(filters, keys, daily, product):
        cells = _customer_segment_cells(wh, filters)
    else:
        cells = _with_attributes(wh, _dated_cells(wh, day_table, month_table, filters, daily), product)
    predicates = selection_predicates(cells, filters, scope)
    cells = cells.filter(predicates) if predicates else cells
    if by_customer or not _reads_segments(filters, scope, keys, daily):
        return SalesSource(cells, cells=True, split_orders=split)
    segments = _segment_cells(wh, filters, product)
    segments = _with_product_attributes(wh, segments) if product else segments
    predicates = selection_predicates(segments, filters, scope)
    segments = segments.filter(predicates) if predicates else segments
    return SalesSource(segments, cells=True, split_orders=split, customers=cells)


def segment_costs(wh: Warehouse, filters: Filters, scope: Scope = EVERYTHING) -> ir.Table | None:
    """Cost to serve summed per month (``cost_date``, its first day) and segment over the date range,
    from the segment table of :mod:`marginscope.metrics.rollups`; ``amount`` is the sum.

    None unless the warehouse reads rollups and the selection splits no customer (no
    product, category or rep filter) and names none (no customer filter, no scope): what
    then needs each customer's cost reads :func:`customer_costs`.
    """
    if not wh.reads_rollups or scope.customers is not None or filters.customers or filters.splits_customers:
        return None
    from marginscope.metrics.rollups import segment_costs as summed_per_segment

    def monthly_segments(days: ir.Table) -> ir.Table:
        return summed_per_segment(days.mutate(cost_date=days.cost_date.truncate("M").cast("date")),
                                  wh.table("customers"))

    rows = _dated_cells(wh, "costs_to_serve", ROLLUPS.segment_costs_month, filters, False, edge=monthly_segments,
                        date="cost_date")
    predicates = _customer_predicates(rows, filters, scope)
    return rows.filter(predicates) if predicates else rows


def cost_lines(wh: Warehouse, filters: Filters, scope: Scope = EVERYTHING) -> ir.Table:
    """Cost-to-serve rows within the date range, the customer filters and the scope (not allocated)."""
    costs = wh.table("costs_to_serve").left_join(customer_attributes(wh), "customer_id") \
        .drop("customer_id_right")
    predicates = _customer_predicates(costs, filters, scope) + date_predicates(costs.cost_date, filters)
    return costs.filter(predicates) if predicates else costs


def customer_costs(wh: Warehouse, filters: Filters, scope: Scope = EVERYTHING) -> ir.Table:
    """Cost to serve per customer (``customer_id``, ``cost_to_serve``) within the filters and scope.

    With a product, category or rep filter the cost is allocated by the filtered
    revenue's share of each customer's revenue (see the module docstring).
    """
    costs = cost_lines(wh, filters, scope)
    per_customer = costs.group_by("customer_id").aggregate(cost_to_serve=costs.amount.sum().cast("decimal(18, 4)"))
    if not filters.splits_customers:
        return per_customer
    cleared: dict[str, Any] = {d.filter_field: frozenset() for d in SPLIT_FILTERS}
    unsplit = replace(filters, **cleared)
    return allocate_costs(per_customer, sales_source(wh, filters, scope, orders=False).rows,
                          sales_source(wh, unsplit, scope, orders=False).rows)


def ratio(numerator: ir.Value, denominator: ir.Value) -> ir.Value:
    """numerator / denominator as float64, missing (never 0 or infinite) when the denominator is 0."""
    den = denominator.cast("float64")
    return ibis.ifelse(den == 0, ibis.literal(None, "float64"), numerator.cast("float64") / den)


def allocate_costs(per_customer: ir.Table, part: ir.Table, whole: ir.Table, keys: tuple[str, ...] = ()) -> ir.Table:
    """Split each customer's ``cost_to_serve`` over the ``part`` lines, by ``keys`` groups, in
    proportion to their share of the customer's revenue in the ``whole`` lines."""
    parts = part.group_by(["customer_id", *keys]).aggregate(part=part.revenue.sum())
    wholes = whole.group_by("customer_id").aggregate(whole=whole.revenue.sum())
    shares = parts.join(wholes, "customer_id").join(per_customer, "customer_id")
    allocated = shares.cost_to_serve.cast("float64") * ratio(shares.part, shares.whole)
    return shares.select("customer_id", *keys, cost_to_serve=allocated.cast("decimal(18, 4)"))
