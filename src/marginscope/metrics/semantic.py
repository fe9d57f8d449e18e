"""The semantic layer: every dimension, measure, time grain and comparison, declared once.

Everything that names a filter, a figure or a period reads these declarations instead of
writing its own list:

- :data:`DIMENSIONS` gives each filterable dimension its :class:`~marginscope.metrics.Filters`
  field, its column, whose attribute it is (customer, product or the invoice line), the
  column holding the name shown beside an id, its URL and API query parameter, its
  filter-bar control and its description. The URL state (``url_state.py``), the API's
  filter parameters (``api/deps.py``), the filter bar and the query templates derive
  from it.
- :data:`MEASURES` gives each measure its label, unit and (for derived measures) its
  formula over other measures. The display format of a grid column, the number format
  of an export column, the rounding of money in the API and the way a comparison reads
  a change (growth in % for amounts and counts, percentage points for rates) follow
  from the unit.
- :data:`GRAINS` and :data:`COMPARISONS` are the time grains and the comparison bases;
  :func:`comparison_range` is the one place a prior period is computed.

Why our own registry rather than boring-semantic-layer or MetricFlow: see
``docs/semantic-layer-evaluation.md``.

Adding a measure
----------------
A derived measure is one declaration in :data:`MEASURES` plus its hand-worked test. The
discount rate (line discounts / gross sales) was added so:

1. ``_ratio("discount_rate", "Discount rate", "discount", "gross_sales", "line discounts / gross
   sales", short_label="Discount %")`` among the measures, and its name in
   :data:`SALES_MEASURES` (the measures of a sales summary);
2. a test computing it by hand on the small company (``tests/metrics/test_semantic.py``,
   ``test_a_new_measure_is_one_declaration``: Q1's discount 7 of gross sales 370).

From the declaration alone it is in every sales result (``sales.summary``, ``by``, ``trend``,
``compare``, whose change of a rate is in points), in the API (``/api/v1/sales/summary``,
rounded as a rate, not as money), and in any grid that names it with ``Column("discount_rate")``
(formatted as a percent, with its label as the header), and so in that grid's CSV, Excel and
PDF exports. A base measure (a new sum over the lines) needs its sum in
:func:`marginscope.metrics.sales._line_totals` as well; a filter dimension needs its
:class:`~marginscope.metrics.Filters` field and its :class:`Dimension` declaration, and
the URL, the API, the filter bar and the predicates follow.

Examples
--------
>>> dimension("region").parameter, dimension("region").filter_field
('region', 'regions')
>>> MEASURES["gross_margin"].unit, MEASURES["gross_margin"].format
(<Unit.RATE: 'rate'>, 'percent')
>>> MEASURES["gross_profit"].evaluate({"revenue": 10, "cogs": 4})
6
>>> MEASURES["gross_margin"].evaluate({"revenue": 0, "gross_profit": 0}) is None
True
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import pandas as pd

from marginscope.metrics.periods import add_months

# --- dimensions ---------------------------------------------------------------------------------


class Entity(StrEnum):
    """Whose attribute a dimension is: it decides which table a filter on it reads."""

    CUSTOMER = "customer"
    PRODUCT = "product"
    LINE = "line"
    """An attribute of the invoice line itself (the rep credited with the sale)."""


class Choices(StrEnum):
    """How the filter bar offers a dimension's values."""

    VALUES = "values"
    """The distinct values (regions, tiers)."""
    NAMED = "named"
    """Ids with their names, all listed ("Ann Lee (SP001)")."""
    SEARCHED = "searched"
    """Ids with their names, found as the user types (too many to list: customers)."""


@dataclass(frozen=True)
class Dimension:
    """One dimension a page, an API call or an export filters or groups by.

    ``column`` is its column in the tables the metrics read and in their results;
    ``label_column`` the column of the name shown beside an id (None when the value is its own label).
    """

    column: str
    label: str
    plural: str
    entity: Entity
    filter_field: str
    parameter: str
    description: str
    choices: Choices = Choices.VALUES
    label_column: str | None = None

    @property
    def control(self) -> str:
        """The id of its filter-bar control."""
        return f"f-{self.parameter}"


DIMENSIONS: tuple[Dimension, ...] = (
    Dimension("region", "Region", "Regions", Entity.CUSTOMER, "regions", "region", "Customer region"),
    Dimension("industry", "Industry", "Industries", Entity.CUSTOMER, "industries", "industry", "Customer industry"),
    Dimension("rep_id", "Rep", "Reps", Entity.LINE, "reps", "rep", "Rep credited on the line (rep id)",
              Choices.NAMED, "rep_name"),
    Dimension("tier", "Tier", "Tiers", Entity.CUSTOMER, "tiers", "tier", "Customer tier"),
    Dimension("customer_type", "Customer type", "Customer types", Entity.CUSTOMER, "customer_types", "type",
              "Customer type"),
    Dimension("category", "Product category", "Product categories", Entity.PRODUCT, "categories", "category",
              "Product category"),
    Dimension("customer_id", "Customer", "Customers", Entity.CUSTOMER, "customers", "customer", "Customer id",
              Choices.SEARCHED, "customer_name"),
    Dimension("product_id", "Product", "Products", Entity.PRODUCT, "products", "product", "Product id",
              Choices.NAMED, "product_name"),
)
"""The filter dimensions, in the order the filter bar shows them and a URL writes them."""


def dimension(name: str) -> Dimension:
    """The dimension of a column, a query parameter or a :class:`Filters` field.

    >>> dimension("type").column, dimension("customers").parameter
    ('customer_type', 'customer')
    """
    for candidate in DIMENSIONS:
        if name in (candidate.column, candidate.parameter, candidate.filter_field):
            return candidate
    raise ValueError(f"unknown dimension {name!r}; use one of {', '.join(d.column for d in DIMENSIONS)}")


def of_entity(*entities: Entity) -> tuple[Dimension, ...]:
    """The filter dimensions that are attributes of ``entities``."""
    return tuple(d for d in DIMENSIONS if d.entity in entities)


FILTER_FIELDS = tuple(d.filter_field for d in DIMENSIONS)
"""The set-valued fields of :class:`~marginscope.metrics.Filters` (every field but the dates)."""

# --- measures -----------------------------------------------------------------------------------


class Unit(StrEnum):
    """What a measure's values are; its display format and its comparison follow from it."""

    MONEY = "money"
    """An amount in the reporting currency: rounded to the cent in the API and exports."""
    UNIT_PRICE = "unit_price"
    """An amount per unit, carried to 4 decimals."""
    COUNT = "count"
    RATE = "rate"
    """A share between 0 and 1 (margin %, conversion): shown as %, a change is in percentage points."""
    DAYS = "days"
    WEEKS = "weeks"
    QUANTITY = "quantity"


FORMATS = {Unit.MONEY: "money", Unit.UNIT_PRICE: "money_exact", Unit.COUNT: "count", Unit.RATE: "percent",
           Unit.DAYS: "number", Unit.WEEKS: "number", Unit.QUANTITY: "number"}
"""Unit -> the column kind of grids and exports (see ``web/components/grid.py``)."""


@dataclass(frozen=True)
class Measure:
    """One measure: a sum or count over rows (``formula`` None), or derived from other measures.

    ``formula`` takes a mapping of measure name -> value and works alike on Ibis columns,
    numbers and pandas Series, so the derivation is written once for the database and for
    Python. A ratio is declared with ``numerator`` and ``denominator`` and is missing, never
    0 or infinite, when the denominator is 0.
    """

    name: str
    label: str
    unit: Unit
    description: str
    formula: Callable[[_Values], Any] | None = None
    numerator: str | None = None
    denominator: str | None = None
    short_label: str | None = None

    @property
    def format(self) -> str:
        return FORMATS[self.unit]

    @property
    def is_rate(self) -> bool:
        """Whether a change of it is read in percentage points (and has no growth %)."""
        return self.unit is Unit.RATE

    @property
    def is_money(self) -> bool:
        return self.unit is Unit.MONEY

    def evaluate(self, values: Mapping[str, Any]) -> Any:
        """The measure from plain values (numbers, Decimals): a ratio over 0 is None."""
        return derive(values, (self.name,), divide)[self.name]


def divide(numerator: Any, denominator: Any) -> float | None:
    """numerator / denominator of plain values as a float; None when the denominator is 0 or missing."""
    if denominator is None or denominator == 0 or denominator != denominator or numerator is None:  # NaN
        return None
    return float(numerator) / float(denominator)


def derive(values: Mapping[str, Any], names, ratio: Callable[[Any, Any], Any]) -> dict[str, Any]:
    """``values`` (base measures) with every measure of ``names`` derived from them, in dependency order.

    ``ratio(numerator, denominator)`` divides: :func:`divide` for plain values, the metrics layer's
    ``ratio`` for Ibis columns (missing when the denominator is 0), so one formula serves both.

    >>> derive({"revenue": 10, "cogs": 4}, ["gross_margin"], divide)["gross_margin"]
    0.6
    """
    known = dict(values)

    def value(name: str) -> Any:
        if name not in known:
            measure = MEASURES[name]
            if measure.numerator and measure.denominator:
                known[name] = ratio(value(measure.numerator), value(measure.denominator))
            elif measure.formula is not None:
                known[name] = measure.formula(_Values(value))
            else:
                raise KeyError(f"{name} is a base measure and was not given")
        return known[name]

    for name in names:
        value(name)
    return known


class _Values:
    """Attribute access to measures, so a formula reads ``m.revenue - m.cogs``."""

    def __init__(self, value: Callable[[str], Any]):
        self._value = value

    def __getattr__(self, name: str) -> Any:
        return self._value(name)


def _derived(name: str, label: str, unit: Unit, description: str, formula: Callable[[Any], Any],
             short_label: str | None = None) -> Measure:
    return Measure(name, label, unit, description, formula=formula, short_label=short_label)


def _ratio(name: str, label: str, numerator: str, denominator: str, description: str, unit: Unit = Unit.RATE,
           short_label: str | None = None) -> Measure:
    return Measure(name, label, unit, description, numerator=numerator, denominator=denominator,
                   short_label=short_label)


_MEASURES = (
    # Sales and profit (METRICS.md, "Sales and profit (ERP)")
    Measure("gross_sales", "Gross sales", Unit.MONEY, "sum(quantity * unit_price) of invoice lines"),
    Measure("discount", "Discount", Unit.MONEY, "sum(discount_amount) of invoice lines"),
    Measure("invoiced", "Invoiced", Unit.MONEY, "net amount of invoice lines (before returns)"),
    Measure("returns", "Returns", Unit.MONEY, "net amount of credit-note lines, as a positive figure"),
    Measure("revenue", "Revenue", Unit.MONEY, "net amount of invoice lines minus returns"),
    Measure("cogs", "COGS", Unit.MONEY, "cogs of invoice lines minus cogs of credit-note lines"),
    _derived("gross_profit", "Gross profit", Unit.MONEY, "revenue - COGS", lambda m: m.revenue - m.cogs,
             "GP"),
    Measure("cost_to_serve", "Cost to serve", Unit.MONEY,
            "costs_to_serve of the customers (allocated by revenue share under a product, category or rep filter)"),
    _derived("contribution_margin", "Contribution margin", Unit.MONEY, "gross profit - cost to serve",
             lambda m: m.gross_profit - m.cost_to_serve, "Contribution"),
    Measure("orders", "Orders", Unit.COUNT, "distinct order_id of invoice lines (invoice_id without an order)"),
    Measure("active_customers", "Active customers", Unit.COUNT,
            "customers whose revenue in the selection is above 0 (the same as buying customers of a period)"),
    _ratio("gross_margin", "Gross margin %", "gross_profit", "revenue", "gross profit / revenue",
           short_label="GM %"),
    _ratio("contribution_margin_pct", "Contribution margin %", "contribution_margin", "revenue",
           "contribution margin / revenue", short_label="CM %"),
    _ratio("average_order_value", "Average order value", "revenue", "orders", "revenue / orders", Unit.MONEY,
           "AOV"),
    _ratio("return_rate", "Return rate", "returns", "invoiced", "returns / net amount of invoice lines"),
    _ratio("discount_rate", "Discount rate", "discount", "gross_sales", "line discounts / gross sales",
           short_label="Discount %"),
    # CRM pipeline (METRICS.md, "CRM pipeline and sales team")
    Measure("won", "Won deals", Unit.COUNT, "opportunities won, by close date"),
    Measure("lost", "Lost deals", Unit.COUNT, "opportunities lost, by close date"),
    _derived("closed", "Closed deals", Unit.COUNT, "won + lost", lambda m: m.won + m.lost),
    Measure("open", "Open deals", Unit.COUNT, "prospecting and engaging opportunities, whatever their dates"),
    Measure("new_opportunities", "New opportunities", Unit.COUNT, "opportunities by engage date"),
    Measure("pipeline_revenue", "Won revenue", Unit.MONEY, "sum(close_value) of won deals by close date"),
    _ratio("average_sale", "Average sale", "pipeline_revenue", "won", "won revenue / won deals", Unit.MONEY),
    _ratio("conversion_rate", "Conversion rate", "won", "closed", "won / (won + lost)", short_label="CVR"),
    Measure("days_to_close", "Days to close", Unit.DAYS, "close date - engage date, averaged over closed deals"),
    _derived("weeks_to_close", "Weeks to close", Unit.WEEKS, "days to close / 7", lambda m: m.days_to_close / 7),
    Measure("days_to_close_won", "Days to close (won)", Unit.DAYS, "days to close averaged over won deals"),
    # Budget (METRICS.md, "Budget")
    Measure("budget", "Budget", Unit.MONEY, "the budget of the months compared (a month in progress prorated)"),
    Measure("actual", "Actual", Unit.MONEY, "the measure's actual over the same months and dimension values"),
    _derived("variance", "Variance", Unit.MONEY, "actual - budget", lambda m: m.actual - m.budget),
    _ratio("attainment", "Attainment", "actual", "budget", "actual / budget"),
    Measure("actual_to_date", "Actual to date", Unit.MONEY, "the measure from the year's start to the as-of date"),
    Measure("forecast_rest", "Forecast, rest of year", Unit.MONEY,
            "the forecast of the year's remaining months (the month in progress for its remaining days)"),
    _derived("outlook", "Full-year outlook", Unit.MONEY, "actual to date + forecast of the rest of the year",
             lambda m: m.actual_to_date + m.forecast_rest),
    Measure("full_year_budget", "Full-year budget", Unit.MONEY, "the budget of the whole year"),
    _ratio("outlook_attainment", "Outlook attainment", "outlook", "full_year_budget", "outlook / full-year budget"),
)

MEASURES: dict[str, Measure] = {m.name: m for m in _MEASURES}
"""Every declared measure by name."""

SALES_MEASURES = ("gross_sales", "discount", "returns", "revenue", "cogs", "gross_profit", "cost_to_serve",
                  "contribution_margin", "orders", "active_customers", "gross_margin", "contribution_margin_pct",
                  "average_order_value", "return_rate", "discount_rate")
"""The measures of a sales summary, in the order results list them."""
PIPELINE_MEASURES = ("won", "lost", "closed", "open", "new_opportunities", "pipeline_revenue", "average_sale",
                     "conversion_rate", "days_to_close", "weeks_to_close", "days_to_close_won")


def measures_of(unit: Unit, names: tuple[str, ...]) -> tuple[str, ...]:
    """The ``names`` whose unit is ``unit``, in their order."""
    return tuple(n for n in names if MEASURES[n].unit is unit)


def money_columns(columns) -> list[str]:
    """The columns of a result that hold money: a declared money measure, or a money measure with a
    suffix a metric gives it (``revenue_prior``, ``budget_full_year``)."""
    return [c for c in columns if (measure := measure_of_column(str(c))) is not None and measure.is_money]


SUFFIXES = ("_prior", "_current", "_full_year", "_to_date", "_last_365_days", "_per_customer")


def measure_of_column(column: str) -> Measure | None:
    """The measure a result column holds, by its name or its name with a suffix of :data:`SUFFIXES`.

    >>> measure_of_column("revenue_prior").name, measure_of_column("customer_name") is None
    ('revenue', True)
    """
    if column in MEASURES:
        return MEASURES[column]
    for suffix in SUFFIXES:
        if column.endswith(suffix) and column[: -len(suffix)] in MEASURES:
            return MEASURES[column[: -len(suffix)]]
    return None


# --- time grains and comparisons -----------------------------------------------------------------

GRAINS = ("day", "week", "month", "quarter", "year")


@dataclass(frozen=True)
class Comparison:
    """A comparison basis: the prior range it sets against a selected range."""

    name: str
    label: str
    short_label: str
    description: str


COMPARISONS: dict[str, Comparison] = {c.name: c for c in (
    Comparison("yoy", "Same period last year", "vs last year",
               "the same dates a year earlier (29 February becomes 28 February)"),
    Comparison("previous", "Previous period", "vs previous period",
               "the period of equal length just before (month on month for a month, quarter on quarter for a "
               "quarter)"),
    Comparison("ytd", "Year to date", "YTD vs last YTD",
               "the fiscal year to the range's end, against the prior fiscal year to the same day"),
)}
DEFAULT_COMPARISON = "yoy"


def comparison(name: str | None) -> Comparison:
    """The comparison called ``name`` (the default when None).

    >>> comparison(None).name
    'yoy'
    """
    name = name or DEFAULT_COMPARISON
    if name not in COMPARISONS:
        raise ValueError(f"unknown comparison {name!r}; use one of {', '.join(COMPARISONS)}")
    return COMPARISONS[name]


Range = tuple[dt.date, dt.date]


def comparison_range(start: dt.date, end: dt.date, basis: str | None,
                     fiscal_year_start_month: int = 1) -> tuple[Range, Range]:
    """(current range, prior range) of a comparison of [start, end].

    Every prior range is like for like: the same number of days (``previous``), the same
    days a year earlier (``yoy``), or the prior fiscal year up to the same day (``ytd``), so a
    range ending in a month in progress is compared with the same days of its comparison
    month, never a whole one.

    Examples
    --------
    >>> comparison_range(dt.date(2026, 4, 1), dt.date(2026, 6, 30), "previous")[1]
    (datetime.date(2025, 12, 31), datetime.date(2026, 3, 31))
    >>> comparison_range(dt.date(2026, 12, 1), dt.date(2026, 12, 6), "yoy")[1]
    (datetime.date(2025, 12, 1), datetime.date(2025, 12, 6))
    >>> comparison_range(dt.date(2026, 5, 1), dt.date(2026, 6, 6), "ytd", 4)
    ((datetime.date(2026, 4, 1), datetime.date(2026, 6, 6)), (datetime.date(2025, 4, 1), datetime.date(2025, 6, 6)))
    """
    basis = comparison(basis).name
    if basis == "previous":
        length = end - start + dt.timedelta(days=1)
        return (start, end), (start - length, start - dt.timedelta(days=1))
    if basis == "yoy":
        return (start, end), (add_months(start, -12), add_months(end, -12))
    year = end.year if end.month >= fiscal_year_start_month else end.year - 1
    first = dt.date(year, fiscal_year_start_month, 1)
    return (first, end), (add_months(first, -12), add_months(end, -12))


@dataclass(frozen=True)
class Change:
    """A measure now and in the comparison period: ``change`` in the measure's unit (percentage points,
    as a fraction, for a rate), ``growth`` = change / |prior| (None for a rate, or a prior of 0)."""

    current: float | None
    prior: float | None
    change: float | None
    growth: float | None


def change(measure: str, current: float | None, prior: float | None) -> Change:
    """How ``measure`` moved from ``prior`` to ``current`` (METRICS.md, "Periods").

    >>> change("revenue", 120.0, 100.0).growth
    0.2
    >>> moved = change("conversion_rate", 0.542, 0.565)
    >>> round(moved.change, 3), moved.growth
    (-0.023, None)
    >>> change("revenue", 5.0, 0.0).growth is None
    True
    """
    current, prior = _plain(current), _plain(prior)
    delta = None if current is None or prior is None else current - prior
    return Change(current, prior, delta, None if MEASURES[measure].is_rate else growth(current, prior))


def growth(current: float | None, prior: float | None) -> float | None:
    """(current - prior) / |prior|; ``None`` ("n/a") when the prior is 0 or either is missing.

    >>> growth(120, 100), growth(-50, -100), growth(5, 0)
    (0.2, 0.5, None)
    """
    current, prior = _plain(current), _plain(prior)
    if current is None or prior is None or prior == 0:
        return None
    return (current - prior) / abs(prior)


def _plain(value) -> float | None:
    """A number as a float; None when it is missing (None, NaN, NaT or pandas' NA)."""
    return None if value is None or pd.isna(value) else float(value)
