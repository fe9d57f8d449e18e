"""What there is to filter by: the values of each filter, customer search, the data's span.

These are lookups, not figures, but they live in the metrics layer so that the
user's scope limits them too: a rep searching for a customer finds only their own.

Definitions
-----------
- The values of a customer attribute (region, industry, tier, customer type) are
  those of the customers in the scope; categories are those of the products table;
  reps are those of the reps table, with the ids of reps credited on invoice lines
  but missing from it.
- Customer search matches the id or the name, case-insensitively, anywhere in it.
- The data's span is the first and last invoice date of the lines in the scope.
- The customers a rep owns are those whose ``owner_rep_id`` is the rep; a manager's
  team is the reps whose ``manager`` is the manager's name (this is what a rep's or a
  manager's :class:`~marginscope.metrics.filters.Scope` is made of).
"""

from __future__ import annotations

import datetime as dt

import ibis
import ibis.expr.types as ir
import pandas as pd

from marginscope.metrics.executor import execute
from marginscope.metrics.filters import EVERYTHING, Scope
from marginscope.schema import TABLES
from marginscope.warehouse import Warehouse

CUSTOMER_ATTRIBUTES = ("region", "industry", "tier", "customer_type")
SEARCH_LIMIT = 50


def _customers(wh: Warehouse, scope: Scope):
    c = wh.table("customers")
    return c.filter(c.customer_id.isin(sorted(scope.customers))) if scope.customers is not None else c


def _distinct(wh: Warehouse, table: ir.Table, column: str) -> list[str]:
    # Sorted here, not in SQL: Ibis 12 compiles DISTINCT then ORDER BY for PostgreSQL and Spark as an
    # ORDER BY over a DISTINCT of every column, which returns each row's value (found by the parity suite).
    values = execute(wh, table.select(value=table[column]).distinct())["value"]
    return sorted(str(v) for v in values if v is not None and not pd.isna(v) and str(v) != "")


def attribute_values(wh: Warehouse, attribute: str, scope: Scope = EVERYTHING) -> list[str]:
    """The distinct values of a customer attribute, sorted.

    Examples
    --------
    >>> wh = Warehouse.connect("duckdb://:memory:")
    >>> attribute_values(wh, "region")
    []
    """
    if attribute not in CUSTOMER_ATTRIBUTES:
        raise ValueError(f"unknown customer attribute {attribute!r}; use one of {', '.join(CUSTOMER_ATTRIBUTES)}")
    return _distinct(wh, _customers(wh, scope), attribute)


def categories(wh: Warehouse) -> list[str]:
    return _distinct(wh, wh.table("products"), "category")


def products(wh: Warehouse) -> pd.DataFrame:
    """``product_id`` and ``name`` of every product, by name."""
    return execute(wh, wh.table("products").select("product_id", "name").order_by(["name", "product_id"]))


def reps(wh: Warehouse) -> pd.DataFrame:
    """``rep_id`` and ``name`` of every rep, by name; reps only known from invoice lines have their id as name."""
    known = wh.table("reps").select("rep_id", "name")
    lines = wh.table("invoice_lines")
    credited = lines.filter(lines.rep_id.notnull()).select("rep_id").distinct()
    unknown = credited.anti_join(known, "rep_id").mutate(name=ibis._.rep_id)
    return execute(wh, known.union(unknown).order_by(["name", "rep_id"]))


def owned_customers(wh: Warehouse, reps: list[str] | None = None, manager: str | None = None) -> list[str]:
    """Ids of the customers owned by ``reps``, or by the reps whose manager is ``manager``.

    Examples
    --------
    >>> wh = Warehouse.connect("duckdb://:memory:")
    >>> owned_customers(wh, reps=["SP01"])
    []
    """
    c = wh.table("customers")
    if manager is not None:
        r = wh.table("reps")
        team = r.filter(r.manager == manager).select("rep_id")
        owned = c.filter(c.owner_rep_id.isin(team.rep_id))
    else:
        owned = c.filter(c.owner_rep_id.isin(sorted(str(rep) for rep in reps or [])))
    return sorted(str(v) for v in execute(wh, owned.select("customer_id"))["customer_id"])


def find_customers(wh: Warehouse, text: str, scope: Scope = EVERYTHING, limit: int = SEARCH_LIMIT) -> pd.DataFrame:
    """Up to ``limit`` customers whose id or name contains ``text``, by name."""
    c = _customers(wh, scope)
    needle = text.strip().lower()
    if needle:
        c = c.filter(c.customer_id.lower().contains(needle) | c.name.lower().contains(needle))
    return execute(wh, c.select("customer_id", "name").order_by(["name", "customer_id"]).limit(limit))


def customer_names(wh: Warehouse, customer_ids: list[str], scope: Scope = EVERYTHING) -> pd.DataFrame:
    """``customer_id`` and ``name`` of the given customers that are in the scope."""
    c = _customers(wh, scope)
    return execute(wh, c.filter(c.customer_id.isin(sorted(customer_ids))).select("customer_id", "name"))


def data_span(wh: Warehouse, scope: Scope = EVERYTHING) -> tuple[dt.date | None, dt.date | None]:
    """(first, last) invoice date in the scope; (None, None) when there are no lines."""
    lines = wh.table("invoice_lines")
    if scope.customers is not None:
        lines = lines.filter(lines.customer_id.isin(sorted(scope.customers)))
    span = execute(wh, lines.aggregate(first=lines.invoice_date.min(), last=lines.invoice_date.max())).iloc[0]
    if pd.isna(span["first"]):
        return None, None
    return pd.Timestamp(span["first"]).date(), pd.Timestamp(span["last"]).date()


def table_counts(wh: Warehouse) -> dict[str, int]:
    """Rows in every canonical table (pages use it to say which optional data is missing)."""
    counts = [wh.table(name).count().name("rows").as_table().mutate(table_name=ibis.literal(name))
              for name in TABLES]
    result = execute(wh, ibis.union(*counts))
    return dict(zip(result.table_name, result.rows.astype(int)))
