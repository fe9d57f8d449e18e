"""The data contract: marginscope's canonical tables as code.

This module is the single source for table creation (:mod:`marginscope.warehouse`),
validation (:mod:`marginscope.ingest.validate`) and the reference documentation
(``marginscope schema`` and ``docs/data-contract.md``).

Examples
--------
>>> from marginscope.schema import TABLES
>>> TABLES["invoice_lines"].key
('invoice_id', 'line_no')
>>> TABLES["customers"].column("tier").required
False
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from enum import Enum

import ibis.expr.datatypes as dt


class Kind(str, Enum):
    """Logical column types; each maps to one Ibis type and one parser."""

    STRING = "string"
    INTEGER = "integer"
    DATE = "date"
    MONEY = "money"  # decimal(18,2): totals reconcile to the cent
    PRICE = "price"  # decimal(18,4): unit prices carry sub-cent precision
    QUANTITY = "quantity"  # decimal(18,4): fractional units (kg, hours) are common

    @property
    def ibis_type(self) -> dt.DataType:
        return _IBIS_TYPES[self]

    @property
    def is_numeric(self) -> bool:
        return self in (Kind.INTEGER, Kind.MONEY, Kind.PRICE, Kind.QUANTITY)

    @property
    def scale(self) -> int | None:
        """Decimal places kept for a decimal kind, ``None`` for the others."""
        return {Kind.MONEY: 2, Kind.PRICE: 4, Kind.QUANTITY: 4}.get(self)


_IBIS_TYPES = {
    Kind.STRING: dt.String(),
    Kind.INTEGER: dt.Int64(),
    Kind.DATE: dt.Date(),
    Kind.MONEY: dt.Decimal(18, 2),
    Kind.PRICE: dt.Decimal(18, 4),
    Kind.QUANTITY: dt.Decimal(18, 4),
}


@dataclass(frozen=True)
class Column:
    """One column of a canonical table.

    Parameters
    ----------
    name
        Column name in the warehouse.
    kind
        Logical type.
    required
        A row without a value here is rejected.
    description
        One line for the data-contract documentation.
    allowed
        The only values accepted, when the column is an enumeration.
    minimum, maximum
        Bounds of accepted values for a numeric column.
    references
        ``"table.column"`` this column points to; checked on load.
    planned
        A date that may lie well ahead (a due date, a budget month, an expected close): only a
        typo's bound applies to it on load, not the horizon of dates that have happened.
    """

    name: str
    kind: Kind
    required: bool = False
    description: str = ""
    allowed: tuple[str, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    references: str | None = None
    planned: bool = False


@dataclass(frozen=True)
class Table:
    """A canonical table: its grain, columns and key.

    ``key`` is the upsert key: loading a row whose key exists replaces that row.
    """

    name: str
    grain: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    required: bool = False
    date_column: str | None = None  # the column that dates a row, for status and freshness
    currency_column: str | None = None  # the column naming the currency of the row's amounts
    _by_name: dict[str, Column] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_name = {c.name: c for c in self.columns}
        missing = [k for k in self.key if k not in by_name]
        if missing:
            raise ValueError(f"{self.name}: key columns {missing} are not columns")
        object.__setattr__(self, "_by_name", by_name)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        return self._by_name[name]

    def has_column(self, name: str) -> bool:
        return name in self._by_name

    @property
    def required_columns(self) -> list[Column]:
        return [c for c in self.columns if c.required]

    @property
    def ibis_schema(self):
        import ibis

        return ibis.schema({c.name: c.kind.ibis_type for c in self.columns})


FIRST_DAY, LAST_DAY = datetime.date(1900, 1, 1), datetime.date(2199, 12, 31)
"""The calendar of the data and of every selection: a load refuses dates before FIRST_DAY, and a selection
must lie between the two, as a comparison reaches years back and ahead, which the ends of Python's calendar
(0001-01-01, 9999-12-31) have not."""

# One letter a kind, so that each table below reads as its columns' names.
S, I, D, M, P, Q = Kind.STRING, Kind.INTEGER, Kind.DATE, Kind.MONEY, Kind.PRICE, Kind.QUANTITY  # noqa: E741

INVOICE_KINDS = ("invoice", "credit_note")
ORDER_STATUSES = ("open", "shipped", "delivered", "cancelled")
COST_CATEGORIES = ("freight", "service", "sales_expense", "marketing", "other")
OPPORTUNITY_STAGES = ("prospecting", "engaging", "won", "lost")
INTERACTION_TYPES = ("call", "email", "meeting", "other")
BUDGET_MEASURES = ("revenue", "gross_profit")

_TABLE_LIST = [
    Table(
        "reps",
        "one row per sales rep",
        (
            Column("rep_id", S, True),
            Column("name", S, True),
            Column("manager", S),
            Column("team", S),
            Column("regional_office", S),
            Column("region", S),
            Column("hire_date", D),
            Column("end_date", D, description="Last day with the company; empty while employed", planned=True),
        ),
        key=("rep_id",),
    ),
    Table(
        "customers",
        "one row per customer",
        (
            Column("customer_id", S, True, "Customer number in the ERP"),
            Column("name", S, True, "Customer name"),
            Column("industry", S, description="Industry or sector"),
            Column("region", S, description="Sales region"),
            Column("country", S),
            Column("city", S),
            Column("tier", S, description="Commercial tier, e.g. Platinum/Gold/Silver/Bronze"),
            Column("customer_type", S, description="e.g. distributor, reseller, end customer"),
            Column("owner_rep_id", S, description="Rep who owns the account", references="reps.rep_id"),
            Column("parent_id", S, description="Parent company's customer_id", references="customers.customer_id"),
            Column("created_date", D, description="Date the customer was acquired"),
            Column("acquisition_channel", S),
            Column("acquisition_cost", M, minimum=0),
        ),
        key=("customer_id",),
        required=True,
        date_column="created_date",
    ),
    Table(
        "products",
        "one row per product",
        (
            Column("product_id", S, True, "Product number (SKU)"),
            Column("name", S, True),
            Column("category", S, description="Product category, a global filter"),
            Column("subcategory", S),
            Column("series", S),
            Column("list_price", P, minimum=0),
            Column("standard_cost", P, minimum=0),
        ),
        key=("product_id",),
        required=True,
    ),
    Table(
        "invoice_lines",
        "one row per line of an invoice or credit note",
        (
            Column("invoice_id", S, True),
            Column("line_no", I, True, minimum=1),
            Column("kind", S, True, "invoice or credit_note", allowed=INVOICE_KINDS),
            Column("invoice_date", D, True),
            Column("due_date", D, planned=True),
            Column("order_id", S),
            Column("customer_id", S, True, references="customers.customer_id"),
            Column("product_id", S, True, references="products.product_id"),
            Column("rep_id", S, references="reps.rep_id"),
            Column("quantity", Q, True, "Units; never negative (credit notes carry kind=credit_note)", minimum=0),
            Column("unit_price", P, True, minimum=0),
            Column("discount_amount", M, description="Discount given on the line; empty means 0", minimum=0),
            Column("net_amount", M, True, "quantity * unit_price - discount_amount"),
            Column("cogs", M, description="Cost of goods sold for the line"),
            Column("currency", S, description="ISO 4217 code; empty means the reporting currency"),
            Column("campaign_id", S, description="Campaign the sale is attributed to"),
        ),
        key=("invoice_id", "line_no"),
        required=True,
        date_column="invoice_date",
        currency_column="currency",
    ),
    Table(
        "orders",
        "one row per sales order",
        (
            Column("order_id", S, True),
            Column("customer_id", S, True, references="customers.customer_id"),
            Column("order_date", D, True),
            Column("status", S, True, allowed=ORDER_STATUSES),
            Column("promised_date", D, planned=True),
            Column("shipped_date", D),
            Column("delivered_date", D),
        ),
        key=("order_id",),
        date_column="order_date",
    ),
    Table(
        "payments",
        "one row per payment applied to an invoice",
        (
            Column("payment_id", S, True),
            Column("invoice_id", S, True, references="invoice_lines.invoice_id"),
            Column("paid_date", D, True),
            Column("amount", M, True),
        ),
        key=("payment_id",),
        date_column="paid_date",
    ),
    Table(
        "costs_to_serve",
        "one row per customer-attributed expense (a GL line with a customer)",
        (
            Column("cost_id", S, True),
            Column("customer_id", S, True, references="customers.customer_id"),
            Column("cost_date", D, True),
            Column("category", S, True, allowed=COST_CATEGORIES),
            Column("amount", M, True),
        ),
        key=("cost_id",),
        date_column="cost_date",
    ),
    Table(
        "opportunities",
        "one row per CRM deal",
        (
            Column("opportunity_id", S, True),
            Column("customer_id", S, description="Empty for deals not yet tied to an account",
                   references="customers.customer_id"),
            Column("rep_id", S, True, references="reps.rep_id"),
            Column("product_id", S, references="products.product_id"),
            Column("stage", S, True, allowed=OPPORTUNITY_STAGES),
            Column("engage_date", D, description="Empty for deals still prospecting"),
            Column("close_date", D, description="Empty for open deals", planned=True),
            Column("close_value", M),
            Column("campaign_id", S),
        ),
        key=("opportunity_id",),
        date_column="engage_date",
    ),
    Table(
        "interactions",
        "one row per CRM activity",
        (
            Column("interaction_id", S, True),
            Column("customer_id", S, True, references="customers.customer_id"),
            Column("rep_id", S, references="reps.rep_id"),
            Column("interaction_date", D, True),
            Column("type", S, True, allowed=INTERACTION_TYPES),
        ),
        key=("interaction_id",),
        date_column="interaction_date",
    ),
    Table(
        "budgets",
        "one row per budget cell: a month, a measure and optional dimension values",
        (
            Column("period", D, True, "First day of the budget month", planned=True),
            Column("measure", S, True, allowed=BUDGET_MEASURES),
            Column("amount", M, True),
            Column("region", S),
            Column("product_category", S),
            Column("rep_id", S, references="reps.rep_id"),
            Column("customer_tier", S),
        ),
        key=("period", "measure", "region", "product_category", "rep_id", "customer_tier"),
        date_column="period",
    ),
    Table(
        "campaigns",
        "one row per marketing campaign",
        (
            Column("campaign_id", S, True),
            Column("name", S, True),
            Column("channel", S),
            Column("start_date", D, True, planned=True),
            Column("end_date", D, True, planned=True),
            Column("cost", M, minimum=0),
            Column("target_segment", S, description="Tier or segment the campaign targets"),
        ),
        key=("campaign_id",),
        date_column="start_date",
    ),
    Table(
        "nps_responses",
        "one row per survey answer",
        (
            Column("customer_id", S, True, references="customers.customer_id"),
            Column("response_date", D, True),
            Column("score", I, True, "0-10", minimum=0, maximum=10),
            Column("comment", S),
        ),
        key=("customer_id", "response_date"),
        date_column="response_date",
    ),
]

TABLES: dict[str, Table] = {t.name: t for t in _TABLE_LIST}
"""Canonical tables by name, in load order (referenced tables first)."""

def table(name: str) -> Table:
    """Return the canonical table called ``name``, with a helpful error otherwise."""
    try:
        return TABLES[name]
    except KeyError:
        raise KeyError(f"unknown table {name!r}; the tables are: {', '.join(TABLES)}") from None


def load_order(names: list[str]) -> list[str]:
    """Sort table names so that referenced tables load before the tables citing them."""
    order = list(TABLES)
    return sorted(names, key=order.index)
