"""Data status and quality: what is loaded, how fresh it is, and what in it needs a look.

Definitions
-----------
- A table's span is the first and last value of its main date column (invoice date,
  order date, payment date, cost date, engage date, interaction date, budget period,
  campaign start, response date); its freshness is the time since the start of its
  last successful load, overdue when longer than the expected refresh interval
  (setting ``refresh_hours``, default 24) for a table that holds data.
- Orphans are rows whose key points at nothing: invoice lines whose customer, product
  or rep is not in its master table (rep only when the line names one), and
  opportunities whose account is not a customer.
- An invoice without cost is an invoice line (not a credit note) whose ``cogs`` is
  missing: its gross profit would be overstated.
- A line with a negative margin beyond the threshold is an invoice line whose gross
  margin, (net amount - cogs) / net amount, is below ``-threshold`` (default 10%).
- Duplicate customers are customers whose names are equal once case, spaces and
  punctuation are ignored ("ACME GmbH" and "Acme G.m.b.H.").
- Missing budget months are the months of each year that has budget cells, for a
  measure budgeted in that year, without any cell.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import ibis
import pandas as pd

from marginscope.metrics.executor import execute
from marginscope.schema import TABLES
from marginscope.warehouse import LOAD_LOG, Warehouse

NEGATIVE_MARGIN_THRESHOLD = 0.10
REFRESH_HOURS = 24.0
DATE_COLUMNS = {"invoice_lines": "invoice_date", "orders": "order_date", "payments": "paid_date",
                "costs_to_serve": "cost_date", "opportunities": "engage_date", "interactions": "interaction_date",
                "budgets": "period", "campaigns": "start_date", "nps_responses": "response_date",
                "customers": "created_date"}


def tables(wh: Warehouse, now: dt.datetime | None = None, refresh_hours: float = REFRESH_HOURS) -> pd.DataFrame:
    """One row per canonical table: rows, first and last date, last load, hours since it and
    whether that is longer than the expected refresh interval (tables with data only)."""
    log = wh.table(LOAD_LOG)
    log = log.filter(log.status == "loaded")
    loads = log.group_by("table_name").aggregate(last_load=log.started_at.max(), loads=log.count())
    loaded = execute(wh, loads).set_index("table_name")
    # One query for every table's rows and span: engines such as Spark pay per query, not per row.
    spans = []
    for name in TABLES:
        t = wh.table(name)
        column = DATE_COLUMNS.get(name)
        first, last = (t[column].min(), t[column].max()) if column else (ibis.null("date"), ibis.null("date"))
        spans.append(t.aggregate(rows=t.count(), first_date=first.cast("date"), last_date=last.cast("date"))
                     .mutate(table_name=ibis.literal(name)))
    counted = execute(wh, ibis.union(*spans)).set_index("table_name")
    rows = []
    for name in TABLES:
        span = counted.loc[name]
        rows.append({"table_name": name, "rows": int(span["rows"]),
                     "first_date": None if pd.isna(span.first_date) else pd.Timestamp(span.first_date).date(),
                     "last_date": None if pd.isna(span.last_date) else pd.Timestamp(span.last_date).date(),
                     "last_load": loaded.last_load.get(name), "loads": int(loaded.loads.get(name, 0))})
    table = pd.DataFrame(rows)
    now = now or dt.datetime.now(dt.UTC).replace(tzinfo=None)  # the log is in UTC
    since = (pd.Timestamp(now) - pd.to_datetime(table.last_load)).dt.total_seconds() / 3600
    table["hours_since_load"] = since
    table["refresh_overdue"] = (table.rows > 0) & (since > refresh_hours)
    return table


LINE_COLUMNS = ["invoice_id", "line_no", "kind", "invoice_date", "customer_id", "product_id", "rep_id", "net_amount",
                "cogs"]


def _lines_without(wh: Warehouse, column: str, master: str) -> pd.DataFrame:
    lines = wh.table("invoice_lines")
    named = lines.filter(lines[column].notnull())
    return execute(wh, named.anti_join(wh.table(master).select(column), column).select(LINE_COLUMNS) \
        .order_by(["invoice_id", "line_no"]))


def _deals_without_customer(wh: Warehouse) -> pd.DataFrame:
    deals = wh.table("opportunities")
    missing = deals.filter(deals.customer_id.notnull()).anti_join(wh.table("customers").select("customer_id"),
                                                                  "customer_id")
    return execute(wh, missing.select("opportunity_id", "customer_id", "rep_id", "stage", "engage_date") \
        .order_by("opportunity_id"))


def _without_cost(wh: Warehouse) -> pd.DataFrame:
    lines = wh.table("invoice_lines")
    return execute(wh, lines.filter((lines.kind == "invoice") & lines.cogs.isnull()).select(LINE_COLUMNS) \
        .order_by(["invoice_id", "line_no"]))


def _negative_margins(wh: Warehouse, threshold: float) -> pd.DataFrame:
    lines = wh.table("invoice_lines")
    invoices = lines.filter((lines.kind == "invoice") & lines.cogs.notnull() & (lines.net_amount > 0))
    invoices = invoices.mutate(gross_margin=(invoices.net_amount - invoices.cogs).cast("float64")
                               / invoices.net_amount.cast("float64"))
    return execute(wh, invoices.filter(invoices.gross_margin < -threshold).select(*LINE_COLUMNS, "gross_margin") \
        .order_by(["invoice_id", "line_no"]))


def name_key(name: str) -> str:
    """A customer name with case, spaces and punctuation left out.

    >>> name_key("ACME G.m.b.H. ") == name_key("Acme GmbH")
    True
    """
    return "".join(ch for ch in name.casefold() if ch.isalnum())


def duplicate_customers(wh: Warehouse) -> pd.DataFrame:
    """Customers sharing a name once case, spaces and punctuation are ignored, by name."""
    customers = execute(wh, wh.table("customers").select("customer_id", "name"))
    customers["name_key"] = customers["name"].fillna("").map(name_key)
    customers = customers[customers.name_key != ""]
    shared = customers[customers.duplicated("name_key", keep=False)]
    return shared.sort_values(["name_key", "customer_id"]).drop(columns="name_key").reset_index(drop=True)


def missing_budget_months(wh: Warehouse) -> pd.DataFrame:
    """(measure, month) of each budgeted year with no budget cell."""
    b = wh.table("budgets")
    cells = execute(wh, b.group_by(["measure", "period"]).aggregate(cells=b.count()))
    if cells.empty:
        return pd.DataFrame(columns=["measure", "month"])
    cells["period"] = pd.to_datetime(cells["period"]).dt.date
    missing = []
    for measure, rows in cells.groupby("measure"):
        present = set(rows.period)
        for year in sorted({p.year for p in present}):
            missing += [{"measure": measure, "month": dt.date(year, m, 1)} for m in range(1, 13)
                        if dt.date(year, m, 1) not in present]
    return pd.DataFrame(missing, columns=["measure", "month"])


def _catalogue(threshold: float) -> dict[str, tuple]:
    """check name -> (rows behind it, the column its examples come from); budget months only with a budget."""
    return {
        "invoice lines without their customer": (lambda wh: _lines_without(wh, "customer_id", "customers"),
                                                 "customer_id"),
        "invoice lines without their product": (lambda wh: _lines_without(wh, "product_id", "products"), "product_id"),
        "invoice lines without their rep": (lambda wh: _lines_without(wh, "rep_id", "reps"), "rep_id"),
        "opportunities without their customer": (_deals_without_customer, "customer_id"),
        "invoice lines without a cost (cogs)": (_without_cost, "invoice_id"),
        f"invoice lines with a gross margin below -{threshold:.0%}": (lambda wh: _negative_margins(wh, threshold),
                                                                      "invoice_id"),
        "customers whose names differ only in case, spaces or punctuation": (duplicate_customers, "customer_id"),
        "budget months without a budget": (missing_budget_months, "month"),
    }


def check_rows(wh: Warehouse, check: str, threshold: float = NEGATIVE_MARGIN_THRESHOLD) -> pd.DataFrame:
    """The rows behind one check of :func:`checks`."""
    catalogue = _catalogue(threshold)
    if check not in catalogue:
        raise ValueError(f"unknown check {check!r}; the checks are: {'; '.join(catalogue)}")
    return catalogue[check][0](wh)


def checks(wh: Warehouse, threshold: float = NEGATIVE_MARGIN_THRESHOLD,
           rows_behind: Callable[[str], pd.DataFrame] | None = None) -> pd.DataFrame:
    """Every quality check: what it looks for, how many rows it found, a few examples.

    ``rows_behind(check)`` gives a check's rows (default :func:`check_rows`; the engine
    passes its cached one, so the Data page does not compute them twice).
    """
    rows_behind = rows_behind or (lambda check: check_rows(wh, check, threshold))
    has_budget = bool(int(execute(wh, wh.table("budgets").count())))
    found = []
    for check, (_, example_column) in _catalogue(threshold).items():
        if check == "budget months without a budget" and not has_budget:
            continue
        rows = rows_behind(check)
        examples = [str(value) for value in dict.fromkeys(rows[example_column].head(50))][:5]
        found.append({"check": check, "rows": len(rows), "examples": ", ".join(examples)})
    table = pd.DataFrame(found)
    table["status"] = ["ok" if rows == 0 else "check" for rows in table["rows"]]
    return table
